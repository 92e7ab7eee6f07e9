"""Suite-wide fixtures and guards."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests import _aioresponses_compat

_aioresponses_compat.install()


@pytest.fixture(autouse=True)
def _no_thread_left_behind() -> Iterator[None]:
    """Every test must stop the threads it started (portal threads included)."""
    before = set(threading.enumerate())
    yield
    leaked = [
        t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon
    ]
    portals = [
        t for t in threading.enumerate() if t not in before and t.name == "extend-async-portal"
    ]
    assert not leaked, f"threads left running: {leaked}"
    assert not portals, f"portal threads left running: {portals}"
