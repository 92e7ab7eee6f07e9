"""The client-wide gate every request attempt passes.

Three limits live here and apply to everything the client sends:
- a cap on requests in flight (our own semaphore, not the connector's pool limit,
  so time spent queueing never eats a request's socket timeout);
- optional pacing to ``max_requests_per_second`` (send-time reservations: O(1) per
  request, no polling loop);
- a shared cooldown: one 429 with ``Retry-After`` pauses every new request of the
  client until then, instead of each request retrying into the same wall.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from ._clock import Clock
from ._retry import is_testing

__all__ = ["Gate"]


class _Slots:
    """The in-flight cap: a counting semaphore, first come first served.

    Taking a free slot is a plain decrement, with no coroutine (``asyncio.Semaphore``
    builds one and scans its waiters on every acquire, and every request takes a slot).
    A slot given back goes straight to the longest waiter, so none can be overtaken.
    """

    __slots__ = ("_free", "_waiters")

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiters: deque[asyncio.Future[None]] = deque()

    def try_take(self) -> bool:
        if self._free and not self._waiters:
            self._free -= 1
            return True
        return False

    async def take(self) -> None:
        if self.try_take():
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.give_back()  # handed a slot as we were cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):  # give_back may have dropped it
                    self._waiters.remove(waiter)
            raise

    def give_back(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1


class Gate:
    """Admission control for one client and all its siblings."""

    __slots__ = ("_clock", "_cooldown_until", "_interval", "_next_send", "_slots", "in_flight")

    def __init__(self, max_concurrency: int, max_requests_per_second: float | None, clock: Clock):
        self._slots = _Slots(max_concurrency)
        self._interval = 1.0 / max_requests_per_second if max_requests_per_second else 0.0
        self._next_send = 0.0
        self._cooldown_until = 0.0
        self._clock = clock
        #: Requests admitted and not yet released (for progress reports).
        self.in_flight = 0

    def try_enter(self) -> bool:
        """Take a slot at once if that is all it takes (no pace, no 429 yet, a slot free).

        The common case, without a coroutine; when it says False, await :meth:`acquire`.
        """
        if self._interval or self._cooldown_until or not self._slots.try_take():
            return False
        self.in_flight += 1
        return True

    async def acquire(self) -> None:
        """Take a free slot, then wait out the cooldown and the pace.

        The pace is reserved only once a slot is held: reserved earlier, requests
        queued behind the cap would all go out together when slots free up. A 429
        that arrives while we wait for our turn sends us back to waiting it out.
        """
        await self._slots.take()
        if not self._interval and not self._cooldown_until:
            self.in_flight += 1
            return
        clock = self._clock
        try:
            while True:
                wait = self._cooldown_until - clock.monotonic()
                if wait > 0:
                    await clock.sleep(wait)
                    continue
                if not self._interval:
                    break
                now = clock.monotonic()
                send_at = max(now, self._next_send)
                self._next_send = send_at + self._interval
                if send_at > now:
                    await clock.sleep(send_at - now)
                if self._cooldown_until <= clock.monotonic():
                    break
        except BaseException:
            self._slots.give_back()  # cancelled while waiting: the slot was never used
            raise
        self.in_flight += 1

    def release(self) -> None:
        """Return the slot taken by :meth:`try_enter` or :meth:`acquire`."""
        self.in_flight -= 1
        self._slots.give_back()

    def cool_down(self, seconds: float) -> None:
        """Hold back every new request of the client for ``seconds`` from now.

        Not in testing mode (``set_testing``), where no retry waits.
        """
        if is_testing():
            return
        until = self._clock.monotonic() + seconds
        if until > self._cooldown_until:
            self._cooldown_until = until

    @property
    def cooling_down_for(self) -> float:
        """Seconds left in the current cooldown (0 when there is none)."""
        return max(0.0, self._cooldown_until - self._clock.monotonic())
