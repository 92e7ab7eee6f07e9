"""Fan-out and waiting: ``get_many``, ``wait``, ``wait_many`` and ``wait_all``.

Written once for any object fetched by id with a known set of terminal states: a
resource mixes in :class:`AsyncPolling` and supplies ``_fetch`` and ``_is_terminal``.

Concurrency is the client's, not one task per id. ``get_many`` runs a fixed pool of
workers over the ids; waiting runs one scheduler, a heap of ``(due time, seq, id)``
served by a fixed pool of workers, so 10,000 runs cost a heap and a few tasks, not
10,000 coroutines and timers. Every request still passes the client's gate (in-flight
cap, ``max_requests_per_second`` pacing, the shared 429 cooldown), and every wait
sleeps on the client's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import math
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar, overload

import attrs

from ._clock import Clock
from ._endpoint import Call, HasPipeline, WaitDeadline, check_id
from ._introspect import refused_by_public_name
from ._limits import Gate
from .errors import RateLimitError, WaitTimeoutError

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["DEFAULT_POLL", "AsyncPolling", "PollPolicy", "Progress", "WaitStream"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


def _finite(minimum: float, *, inclusive: bool = True) -> Callable[[Any, Any, float], None]:
    def check(_instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
        ok = value >= minimum if inclusive else value > minimum
        if not (ok and math.isfinite(value)):
            bound = ">=" if inclusive else ">"
            raise ValueError(
                f"PollPolicy.{attribute.name} must be finite and {bound} {minimum}, got {value!r}"
            )

    return check


def _at_least_interval(
    instance: PollPolicy, attribute: attrs.Attribute[float], value: float
) -> None:
    if not (math.isfinite(value) and value >= instance.interval):
        raise ValueError(
            f"PollPolicy.max_interval must be finite and >= interval ({instance.interval!r}), "
            f"got {value!r}"
        )


def _jitter_fraction(_instance: Any, _attribute: attrs.Attribute[float], value: float) -> None:
    if not 0 <= value < 1:
        raise ValueError(f"PollPolicy.jitter must be >= 0 and < 1, got {value!r}")


@attrs.frozen
class PollPolicy:
    """When to look again at something that is still running.

    The first poll goes out at once (the run may be over already). Then every
    ``interval`` seconds during the first ``fast_phase`` seconds; after that each wait
    is ``interval + (growth - 1) * (seconds past the fast phase)``, at most
    ``max_interval``. On time, that is exactly "x ``growth`` per poll"; unlike a poll
    counter it keeps growing with wall time when the client delays polls (pacing, a
    429 pause), so old runs leave the request budget to new ones. Each wait is spread
    by +-``jitter`` (never past ``max_interval``) so runs started together drift apart.

    Defaults: 1 s for 10 s, then x1.15 per poll up to 30 s, +-25%. Against a 30 s fast
    phase that saves 17 polls on a run of a minute (27 instead of 44) and 19 on one
    of an hour, for a finished run seen at most ~15% of its age late (+ jitter) and
    never more than 30 s. We hold no data on how long batch runs take; they score a
    processor on every file of a set, so seconds-long ones are the exception, and the
    fast phase still sees those within a second.
    """

    interval: float = attrs.field(default=1.0, validator=_finite(0.0, inclusive=False))
    fast_phase: float = attrs.field(default=10.0, validator=_finite(0.0))
    growth: float = attrs.field(default=1.15, validator=_finite(1.0))
    max_interval: float = attrs.field(default=30.0, validator=_at_least_interval)
    jitter: float = attrs.field(default=0.25, validator=_jitter_fraction)

    def delay(self, poll_number: int, elapsed: float, rng: random.Random | None = None) -> float:
        """Seconds to wait after ``poll_number`` polls, ``elapsed`` seconds into the wait.

        ``poll_number`` 0 means nothing was polled yet: the answer is 0 (poll at once).
        """
        if poll_number == 0:
            return 0.0
        past_fast_phase = max(0.0, elapsed - self.fast_phase)
        base = min(self.max_interval, self.interval + (self.growth - 1.0) * past_fast_phase)
        spread = self.jitter * (2.0 * (rng or random).random() - 1.0)
        return min(self.max_interval, base * (1.0 + spread))


DEFAULT_POLL: Final = PollPolicy()


@attrs.frozen
class Progress:
    """A snapshot of a ``wait_many``: ids finished, ids in all, requests in flight, polls.

    ``in_flight`` is the client's (all its calls, like its concurrency cap);
    ``requests`` counts this wait's polls (a poll the client retried counts once).
    """

    done: int
    total: int
    in_flight: int
    requests: int


def _check_ids(ids: Iterable[str]) -> list[str]:
    """The ids as a list, each checked (a lone str is refused: it is not a list of ids)."""
    if isinstance(ids, (str, bytes)):
        raise TypeError(f"ids must be an iterable of id strings, not a single {ids!r}")
    return [check_id(f"ids[{index}]", value) for index, value in enumerate(ids)]


def _check_until(until: Collection[str]) -> frozenset[str]:
    """The statuses that end a wait besides the terminal ones (a lone str is refused)."""
    if (
        isinstance(until, str)
        or not isinstance(until, Collection)
        or not all(isinstance(status, str) for status in until)
    ):
        raise TypeError(f"until must be a collection of statuses, got {until!r}")
    return frozenset(until)


def _check_timeout(timeout: float | None) -> float | None:
    if timeout is not None and not timeout >= 0:  # also refuses NaN
        raise ValueError(f"timeout must be >= 0 seconds or None, got {timeout!r}")
    return timeout


def check_wait_arguments(method: str, timeout: float | None, poll: PollPolicy) -> None:
    """Refuse a create-and-wait call's ``timeout`` or ``poll`` before its run is started:
    a wait that failed on them afterwards would leave a run nobody waits for."""
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout >= 0
    ):
        raise ValueError(f"{method}(): timeout must be >= 0 seconds or None, got {timeout!r}")
    if not isinstance(poll, PollPolicy):
        raise TypeError(f"{method}(): poll must be a PollPolicy, got {poll!r}")


async def _cancel_and_wait(tasks: Iterable[asyncio.Task[None]]) -> None:
    """Cancel ``tasks`` and wait until every one has ended, even if we are cancelled
    meanwhile (then re-raise that cancellation once they have)."""
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    interrupted = False
    while pending:
        try:
            await asyncio.wait(pending)
        except asyncio.CancelledError:
            interrupted = True
        pending = [task for task in pending if not task.done()]
    if interrupted:
        raise asyncio.CancelledError


async def _fetch_many(
    fetch: Callable[[str], Awaitable[T]],
    ids: list[str],
    *,
    workers: int,
    return_exceptions: bool,
) -> list[T | BaseException]:
    """Fetch each distinct id once with a fixed pool of workers; results in input order."""
    distinct = list(dict.fromkeys(ids))
    results: dict[str, T | BaseException] = {}
    queue = iter(distinct)

    async def work() -> None:
        for id in queue:
            try:
                results[id] = await fetch(id)
            except Exception as exc:
                if not return_exceptions:
                    raise
                results[id] = exc

    tasks = [asyncio.ensure_future(work()) for _ in range(min(workers, len(distinct)))]
    try:
        if tasks:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        await _cancel_and_wait(tasks)
    # Every worker's error is read, so none is logged as never retrieved; the first raised.
    errors = [task.exception() for task in tasks if not task.cancelled()]
    first = next((error for error in errors if error is not None), None)
    if first is not None:
        raise first
    return [results[id] for id in ids]


class _Entry(Generic[T]):
    """What the scheduler knows about one id."""

    __slots__ = ("id", "last", "polls")

    def __init__(self, id: str) -> None:
        self.id = id
        self.polls = 0
        self.last: T | None = None


class _Fatal:
    """Not a run's outcome: the scheduler itself failed (``on_progress`` raised)."""

    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


_NOT_YET: Any = object()  # a poll refused with 429: the run's state is unknown, poll again


class _Scheduler(Generic[T]):
    """One heap of due times, a fixed pool of workers, one queue of outcomes.

    A worker pops the earliest entry, sleeps until it is due, polls it, and pushes it
    back with its next due time unless it is finished. An idle worker always takes the
    heap's minimum, so no entry in the heap is ever due before one a worker holds; a
    worker that finds the heap empty ends, because every remaining id is then held by
    a worker that will poll it again itself.
    """

    def __init__(
        self,
        fetch: Callable[[str, float | None], Awaitable[T]],
        is_terminal: Callable[[T], bool],
        ids: list[str],
        *,
        policy: PollPolicy,
        timeout: float | None,
        clock: Clock,
        gate: Gate,
        rng: random.Random,
        on_progress: Callable[[Progress], object] | None,
    ) -> None:
        self._fetch = fetch
        self._is_terminal = is_terminal
        self._policy = policy
        self._timeout = timeout
        self._clock = clock
        self._gate = gate
        self._rng = rng
        self._on_progress = on_progress
        self.total = len(ids)
        self.outcomes: asyncio.Queue[tuple[str, T | BaseException] | _Fatal] = asyncio.Queue()
        self._done = 0
        self._requests = 0
        self._started = clock.monotonic()
        self._deadline = None if timeout is None else self._started + timeout
        self._seq = 0
        self._heap: list[tuple[float, int, _Entry[T]]] = []
        for id in ids:
            self._push(_Entry(id), self._started + policy.delay(0, 0.0, rng))

    def start(self, workers: int) -> list[asyncio.Task[None]]:
        return [asyncio.ensure_future(self._work()) for _ in range(min(workers, self.total))]

    def _push(self, entry: _Entry[T], due: float) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (due, self._seq, entry))

    async def _work(self) -> None:
        heap, clock = self._heap, self._clock
        try:
            while heap:
                due, _, entry = heapq.heappop(heap)
                wait = due - clock.monotonic()
                if wait > 0:
                    await clock.sleep(wait)
                await self._poll(entry)
        except Exception as exc:
            self.outcomes.put_nowait(_Fatal(exc))

    async def _poll(self, entry: _Entry[T]) -> None:
        deadline = self._deadline
        try:
            value = await self._fetch(entry.id, deadline)
        except WaitDeadline as exc:
            # No poll (or retry) can be made before the deadline: the wait ends now.
            self._requests += exc._sent
            assert self._timeout is not None
            self._finish(entry, WaitTimeoutError(entry.id, entry.last, self._timeout))
            return
        except RateLimitError as exc:
            if exc.max_retry_after is not None:  # the server wants a longer pause than we wait
                self._requests += 1
                self._finish(entry, exc)
                return
            self._requests += exc._sent
            value = _NOT_YET  # the client-wide cooldown holds every worker; try again
        except Exception as exc:
            self._requests += 1  # counted before the report that _finish makes
            self._finish(entry, exc)
            return
        else:
            self._requests += 1
        entry.polls += 1
        now = self._clock.monotonic()
        if value is not _NOT_YET:
            entry.last = value
            if self._is_terminal(value):
                self._finish(entry, value)
                return
        if deadline is not None and now >= deadline:
            assert self._timeout is not None
            self._finish(entry, WaitTimeoutError(entry.id, entry.last, self._timeout))
            return
        due = now + self._policy.delay(entry.polls, now - self._started, self._rng)
        if value is _NOT_YET:
            due = max(due, now + self._gate.cooling_down_for)
        self._push(entry, due if deadline is None else min(due, deadline))
        self._report()

    def _finish(self, entry: _Entry[T], outcome: T | BaseException) -> None:
        self._done += 1
        self.outcomes.put_nowait((entry.id, outcome))
        self._report()

    def _report(self) -> None:
        if self._on_progress is not None:
            self._on_progress(
                Progress(self._done, self.total, self._gate.in_flight, self._requests)
            )


class WaitStream(Generic[T_co]):
    """``(id, outcome)`` pairs in the order the runs finish; see ``wait_many``.

    The polls start with the first item asked for. Leaving an ``async for`` over the
    stream in any way (``break``, ``return``, an exception) stops them at once, as does
    :meth:`aclose` or the end of an ``async with`` block, which also waits until every
    worker has ended.
    """

    __slots__ = ("_closed", "_make", "_remaining", "_return_exceptions", "_scheduler", "_tasks")

    def __init__(
        self, make: Callable[[], _Scheduler[Any]], workers: int, return_exceptions: bool
    ) -> None:
        self._make: Callable[[], _Scheduler[Any]] | None = make
        self._remaining = workers  # the pool size until started, then the ids to go
        self._return_exceptions = return_exceptions
        self._scheduler: _Scheduler[Any] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._closed = False

    def __aiter__(self) -> AsyncIterator[T_co]:
        return _Loop(self)

    async def __anext__(self) -> T_co:
        scheduler = self._scheduler
        if scheduler is None:
            if self._closed or self._make is None:
                raise StopAsyncIteration
            scheduler, self._make = self._make(), None
            self._tasks = scheduler.start(self._remaining)
            self._scheduler, self._remaining = scheduler, scheduler.total
        if self._closed or not self._remaining:
            await self.aclose()
            raise StopAsyncIteration
        item = await scheduler.outcomes.get()
        if isinstance(item, _Fatal):
            await self.aclose()
            raise item.error
        self._remaining -= 1
        if not self._return_exceptions and isinstance(item[1], BaseException):
            await self.aclose()
            raise item[1]
        result: T_co = item  # type: ignore[assignment]
        return result

    def stop(self) -> None:
        """Cancel every poll now, without waiting for the workers to end (safe to call
        from anywhere, e.g. when the stream is dropped). :meth:`aclose` also waits."""
        self._closed = True
        for task in self._tasks:
            if not task.done():
                with contextlib.suppress(RuntimeError):  # its loop is already closed
                    task.get_loop().call_soon_threadsafe(task.cancel)

    def __del__(self) -> None:
        self.stop()

    async def aclose(self) -> None:
        """Stop waiting: cancel what is in flight and wait until it has ended. Idempotent."""
        self._closed = True
        self._make = None
        tasks, self._tasks = self._tasks, []
        await _cancel_and_wait(tasks)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class _Loop(Generic[T_co]):
    """What ``async for`` holds while it runs over a :class:`WaitStream`.

    Python drops it the moment the loop is left, whichever way; that is when the
    stream's polls are stopped, so a ``break`` leaves nothing running behind it.
    """

    __slots__ = ("_stream",)

    def __init__(self, stream: WaitStream[T_co]) -> None:
        self._stream = stream

    def __aiter__(self) -> Self:
        return self

    def __anext__(self) -> Awaitable[T_co]:
        return self._stream.__anext__()

    def __del__(self) -> None:
        self._stream.stop()


class AsyncPolling(HasPipeline, Generic[T]):
    """``get_many``, ``wait``, ``wait_many`` and ``wait_all`` for a fetch-by-id resource.

    A resource supplies :meth:`_fetch` (one GET) and :meth:`_is_terminal` (only the
    known final states; an unknown new status keeps the wait going).
    """

    def _poll_call(self, id: str) -> Call[T]:
        """The request that fetches ``id`` (the resource's GET)."""
        raise NotImplementedError

    def _is_terminal(self, obj: T) -> bool:
        raise NotImplementedError

    async def _fetch(self, id: str, deadline: float | None = None) -> T:
        return await self._pipeline.execute(
            self._poll_call(id), parsed_only=True, wait_deadline=deadline
        )

    @overload
    async def get_many(
        self, ids: Iterable[str], *, return_exceptions: Literal[False] = False
    ) -> list[T]: ...
    @overload
    async def get_many(
        self, ids: Iterable[str], *, return_exceptions: bool
    ) -> list[T | BaseException]: ...
    @refused_by_public_name
    async def get_many(
        self, ids: Iterable[str], *, return_exceptions: bool = False
    ) -> list[T] | list[T | BaseException]:
        """Fetch many objects at once, under the client's concurrency cap.

        Results come in the order of ``ids``; a repeated id is fetched once. With
        ``return_exceptions=True`` a failed id gives its exception in its place and
        the others complete; otherwise the first error cancels the rest and is raised.
        """
        return await _fetch_many(
            self._fetch,
            _check_ids(ids),
            workers=self._pipeline.config.max_concurrency,
            return_exceptions=return_exceptions,
        )

    @refused_by_public_name
    async def wait(
        self,
        id: str,
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
    ) -> T:
        """Poll ``id`` until it reaches a terminal state, and return it.

        ``until`` names statuses that end the wait too (a workflow run's
        ``NEEDS_REVIEW``, say). The last poll is made at the deadline; if the object is
        still not final, :class:`WaitTimeoutError` is raised with ``.last``, the last
        state seen. A 429 does not end the wait: the client pauses, then polling resumes.
        """
        check_id("id", id)
        done = await self.wait_all(
            [id], timeout=timeout, poll=poll, until=until, return_exceptions=False
        )
        return done[id]

    @overload
    def wait_many(
        self,
        ids: Iterable[str],
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
        return_exceptions: Literal[True] = True,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> WaitStream[tuple[str, T | BaseException]]: ...
    @overload
    def wait_many(
        self,
        ids: Iterable[str],
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
        return_exceptions: Literal[False],
        on_progress: Callable[[Progress], object] | None = None,
    ) -> WaitStream[tuple[str, T]]: ...
    @overload
    def wait_many(
        self,
        ids: Iterable[str],
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
        return_exceptions: bool,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> WaitStream[tuple[str, T | BaseException]]: ...
    @refused_by_public_name
    def wait_many(
        self,
        ids: Iterable[str],
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
        return_exceptions: bool = True,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> WaitStream[tuple[str, T | BaseException]] | WaitStream[tuple[str, T]]:
        """Wait for many ids at once; yield ``(id, run)`` as each one finishes.

        A repeated id is waited for once. An id that fails (not found, or still running
        at the deadline: :class:`WaitTimeoutError`) yields ``(id, exception)`` and the
        others go on; with ``return_exceptions=False`` the first failure is raised
        instead and the rest are cancelled. ``on_progress`` gets a :class:`Progress`
        after every poll, on the event loop that runs the wait. Close the stream
        (``async with``) to stop early.
        """
        checked = list(dict.fromkeys(_check_ids(ids)))
        return self._wait_stream(
            checked, _check_timeout(timeout), poll, until, return_exceptions, on_progress
        )

    @overload
    async def wait_all(
        self,
        ids: Iterable[str],
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
        return_exceptions: Literal[True] = True,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> dict[str, T | BaseException]: ...
    @overload
    async def wait_all(
        self,
        ids: Iterable[str],
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
        return_exceptions: Literal[False],
        on_progress: Callable[[Progress], object] | None = None,
    ) -> dict[str, T]: ...
    @overload
    async def wait_all(
        self,
        ids: Iterable[str],
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
        return_exceptions: bool,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> dict[str, T | BaseException]: ...
    @refused_by_public_name
    async def wait_all(
        self,
        ids: Iterable[str],
        *,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
        return_exceptions: bool = True,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> dict[str, T | BaseException] | dict[str, T]:
        """``wait_many`` collected: ``{id: run or exception}``, keys in the order of ``ids``."""
        checked = list(dict.fromkeys(_check_ids(ids)))
        stream = self._wait_stream(
            checked, _check_timeout(timeout), poll, until, return_exceptions, on_progress
        )
        async with stream:
            finished = {id: outcome async for id, outcome in stream}
        return {id: finished[id] for id in checked}

    def _wait_stream(
        self,
        ids: list[str],
        timeout: float | None,
        poll: PollPolicy,
        until: Collection[str],
        return_exceptions: bool,
        on_progress: Callable[[Progress], object] | None,
    ) -> WaitStream[tuple[str, T | BaseException]]:
        pipeline = self._pipeline
        is_done = self._is_terminal
        stops = _check_until(until)
        if stops:
            terminal = self._is_terminal

            def is_done(obj: T) -> bool:
                return terminal(obj) or getattr(obj, "status", None) in stops

        def scheduler() -> _Scheduler[T]:
            return _Scheduler(
                self._fetch,
                is_done,
                ids,
                policy=poll,
                timeout=timeout,
                clock=pipeline.clock,
                gate=pipeline.gate,
                rng=pipeline.rng,
                on_progress=on_progress,
            )

        return WaitStream(scheduler, pipeline.config.max_concurrency, return_exceptions)
