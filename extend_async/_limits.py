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
import math
from collections import deque

from ._clock import Clock
from ._retry import is_testing

__all__ = ["Gate", "GateRefusedError"]


class GateRefusedError(Exception):
    """The gate cannot admit a request before the caller's deadline.

    ``reason`` says why in words fit for an error message; ``wait`` is how long the
    request would have had to wait; ``cooldown`` is True when a 429 pause is the cause.
    """

    def __init__(self, reason: str, wait: float, *, cooldown: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.cooldown = cooldown


class _Slots:
    """The in-flight cap: a counting semaphore, first come first served.

    Taking a free slot is a plain decrement, with no coroutine (``asyncio.Semaphore``
    builds one and scans its waiters on every acquire, and every request takes a slot).
    A slot given back goes straight to the longest waiter, so none can be overtaken.
    A waiter with a deadline is refused when it passes; one timer serves the whole
    queue (armed for the earliest deadline), not one per waiter: thousands of queued
    calls must not cost thousands of timers.
    """

    __slots__ = ("_free", "_timer", "_timer_at", "_waiters")

    def __init__(self, size: int) -> None:
        self._free = size
        #: (waiter, its deadline on the loop's clock or None), in arrival order.
        self._waiters: deque[tuple[asyncio.Future[None], float | None]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = math.inf

    def try_take(self) -> bool:
        if self._free and not self._waiters:
            self._free -= 1
            return True
        return False

    async def take(self, timeout: float | None = None) -> None:
        """Wait for a slot, at most ``timeout`` seconds (real time: slots come back
        when other requests end, not on the client's clock)."""
        if self.try_take():
            return
        if timeout is not None and timeout <= 0:
            raise GateRefusedError("every request slot is taken (max_concurrency)", 0.0)
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        deadline = None if timeout is None else loop.time() + timeout
        entry = (waiter, deadline)
        self._waiters.append(entry)
        if deadline is not None and deadline < self._timer_at:
            self._arm(loop, deadline)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self.give_back()  # handed a slot as we were cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):  # give_back may have dropped it
                    self._waiters.remove(entry)
            raise

    def give_back(self) -> None:
        while self._waiters:
            waiter, _ = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1

    def _arm(self, loop: asyncio.AbstractEventLoop, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = when
        self._timer = loop.call_at(when, self._expire, loop)

    def _expire(self, loop: asyncio.AbstractEventLoop) -> None:
        """Refuse every waiter whose deadline has passed; re-arm for the next one."""
        self._timer, self._timer_at = None, math.inf
        now = loop.time()
        following = math.inf
        for waiter, deadline in self._waiters:
            if deadline is None or waiter.done():
                continue
            if deadline <= now:
                waiter.set_exception(
                    GateRefusedError("no request slot came free in time (max_concurrency)", 0.0)
                )
            elif deadline < following:
                following = deadline
        if following < math.inf:
            self._arm(loop, following)


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
        """Take a slot at once if that is all it takes (no pace, no pause, a slot free).

        The common case, without a coroutine; when it says False, await :meth:`acquire`.
        """
        if self._interval:
            return False
        if self._cooldown_until:
            if self._cooldown_until > self._clock.monotonic():
                return False
            self._cooldown_until = 0.0  # the pause is over: back to the fast path
        if not self._slots.try_take():
            return False
        self.in_flight += 1
        return True

    async def acquire(self, deadline: float | None = None) -> None:
        """Take a free slot, then wait out the cooldown and the pace.

        The pace is reserved only once a slot is held: reserved earlier, requests
        queued behind the cap would all go out together when slots free up. A 429
        that arrives while we wait for our turn sends us back to waiting it out.
        With a ``deadline`` (on the clock), no wait may end after it: the request is
        refused at once with :class:`GateRefusedError` instead of sleeping in vain.
        """
        clock = self._clock
        await self._slots.take(None if deadline is None else deadline - clock.monotonic())
        if not self._interval and not self._cooldown_until:
            self.in_flight += 1
            return
        try:
            while True:
                now = clock.monotonic()
                wait = self._cooldown_until - now
                if wait > 0:
                    if deadline is not None and now + wait > deadline:
                        raise GateRefusedError(
                            f"the client holds every request for {wait:.3g} s more "
                            "after the server's 429",
                            wait,
                            cooldown=True,
                        )
                    await clock.sleep(wait)
                    continue
                if not self._interval:
                    break
                send_at = max(now, self._next_send)
                if deadline is not None and send_at > deadline:
                    raise GateRefusedError(
                        "the client's pace (max_requests_per_second) would send it in "
                        f"{send_at - now:.3g} s",
                        send_at - now,
                    )
                self._next_send = send_at + self._interval
                if send_at > now:
                    await clock.sleep(send_at - now)
                if self._cooldown_until <= clock.monotonic():
                    break
        except BaseException:
            self._slots.give_back()  # cancelled or refused while waiting: never used
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
