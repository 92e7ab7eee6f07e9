"""Suite-wide fixtures and guards.

Test-only shim for aioresponses 0.7.9 on aiohttp >= 3.14: aiohttp 3.14 made
``stream_writer`` a required keyword of ``ClientResponse``; aioresponses 0.7.9 (its
latest release) does not pass it, so every mocked reply raised TypeError. We keep
the newest aiohttp (what users install) and hand aioresponses a response class that
supplies a finished writer. Nothing of this reaches the package; the loopback tests
cover what aioresponses bypasses (pool, framing, timeouts).
"""

from __future__ import annotations

import inspect
import threading
import types
from collections.abc import Iterator
from typing import Any

import aiohttp
import aioresponses.core
import pytest
import yarl


class _CompatClientResponse(aiohttp.ClientResponse):
    def __init__(self, method: str, url: yarl.URL, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", types.SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


if "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters:
    aioresponses.core.ClientResponse = _CompatClientResponse  # type: ignore[misc]


@pytest.fixture(autouse=True)
def _no_thread_left_behind() -> Iterator[None]:
    """Every test must stop the threads it started (portal threads included)."""
    before = set(threading.enumerate())
    yield
    started = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    leaked = [t for t in started if not t.daemon or t.name == "extend-async-portal"]
    assert not leaked, f"threads left running: {leaked}"
