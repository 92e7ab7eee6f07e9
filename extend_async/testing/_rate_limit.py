"""Requests per second per API key, on the fake's clock.

A sliding one-second window: exact and deterministic under a ManualClock (time stands
still until the test advances it), and sensible on a real clock for demos.
"""

from __future__ import annotations

import math
import threading
from collections import deque

from .._clock import Clock

__all__ = ["RateLimiter"]

_WINDOW = 1.0


class RateLimiter:
    """Admits at most ``limit`` requests per key in any one-second window."""

    def __init__(self, clock: Clock, limit: int | None = None) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sent: dict[str, deque[float]] = {}
        self.limit = limit

    @property
    def limit(self) -> int | None:
        """Requests per second per key; None turns the limit off."""
        return self._limit

    @limit.setter
    def limit(self, value: int | None) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"rate_limit must be an int or None, got {value!r}")
        if value is not None and value < 1:
            raise ValueError(f"rate_limit must be at least 1 request per second, got {value}")
        with self._lock:
            self._limit = value
            self._sent.clear()

    def admit(self, key: str) -> int | None:
        """Count a request, or refuse it: the whole seconds to wait (>= 1), as for
        ``Retry-After``."""
        limit = self._limit
        if limit is None:
            return None
        now = self._clock.monotonic()
        with self._lock:
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0] <= now - _WINDOW:
                sent.popleft()
            if len(sent) < limit:
                sent.append(now)
                return None
            return max(1, math.ceil(sent[0] + _WINDOW - now))
