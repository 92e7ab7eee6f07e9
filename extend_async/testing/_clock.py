"""A clock that moves only when told to: for the client, the fake server, or both."""

from __future__ import annotations

import asyncio
import threading

__all__ = ["ManualClock"]


class ManualClock:
    """Deterministic time for tests.

    As the client's clock, ``await sleep(s)`` advances time by ``s`` at once and records
    the wait in :attr:`sleeps`, so a test asserts a retry or polling schedule exactly,
    without waiting. As the fake server's clock, :meth:`advance` drives run lifecycles.
    Thread-safe: a fake server on its own thread may read it while a test advances it.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        #: Every wait requested through :meth:`sleep`, in order.
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (>= 0)."""
        if seconds < 0:
            raise ValueError(f"time only moves forward; got advance({seconds!r})")
        with self._lock:
            self._now += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)
