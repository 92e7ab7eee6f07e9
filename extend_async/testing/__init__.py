"""Tools for testing code that uses extend_async, without a live Extend account.

Kept import-light: heavy pieces are imported on first attribute access.
"""

from __future__ import annotations

from .._retry import set_testing
from ._clock import ManualClock

__all__ = ["ManualClock", "set_testing"]
