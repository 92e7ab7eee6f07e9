"""Helpers for the polling tests (importable as ``polling._support``).

Each run's lifecycle is scripted in :class:`Runs` ("PROCESSED on poll 3"), and the
mocked endpoint answers from it, counting every request per id.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp.web
import yarl
from aioresponses import CallbackResult
from support import BASE_URL, run_body

import extend_async
from extend_async import Clock, PollPolicy

#: No jitter: every due time is an exact number.
EXACT = PollPolicy(interval=1.0, fast_phase=10.0, growth=1.5, max_interval=8.0, jitter=0.0)

RUN_PATH = re.compile(re.escape(BASE_URL) + r"/batch_processor_runs/(?P<id>[^/?]+)$")

_PACKAGE = str(Path(extend_async.__file__).parent)
#: The fake server's own code (its webhook worker runs for as long as it serves).
_FAKE = str(Path(extend_async.__file__).parent / "testing")


class Runs:
    """Scripted runs behind the mocked endpoint.

    ``finish_on[id] = n``: the n-th GET of ``id`` shows it finished (earlier ones
    PROCESSING); ids not listed finish at once, with ``final[id]`` (PROCESSED unless
    set). ``fail[id] = status`` answers every GET of ``id`` with that status;
    ``fail_on[id, n] = (status, headers)`` only its n-th. ``hook(id, n)`` runs first.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.finish_on: dict[str, int] = {}
        self.final: dict[str, str] = {}
        self.fail: dict[str, int] = {}
        self.fail_on: dict[tuple[str, int], tuple[int, dict[str, str]]] = {}
        self.polls: Counter[str] = Counter()
        self.sent_at: list[tuple[str, float]] = []
        self.hook: Callable[[str, int], None] | None = None

    def answer(self, url: yarl.URL, **_: Any) -> CallbackResult:
        match = RUN_PATH.match(str(url))
        assert match is not None, url
        run_id = match["id"]
        self.polls[run_id] += 1
        poll = self.polls[run_id]
        self.sent_at.append((run_id, self.clock.monotonic()))
        if self.hook is not None:
            self.hook(run_id, poll)
        status, headers = self.fail_on.get((run_id, poll), (self.fail.get(run_id, 200), {}))
        if status != 200:
            return CallbackResult(status=status, headers=headers, payload={"error": "scripted"})
        finished = poll >= self.finish_on.get(run_id, 1)
        state = self.final.get(run_id, "PROCESSED") if finished else "PROCESSING"
        return CallbackResult(payload=run_body(run_id, state))

    @property
    def total(self) -> int:
        return sum(self.polls.values())

    def times(self, run_id: str) -> list[float]:
        return [at for sent, at in self.sent_at if sent == run_id]


class VirtualClock:
    """Virtual time for many concurrent sleepers (a ManualClock suits one at a time).

    ``sleep`` parks the task until its wake-up time; whenever nothing else can run,
    time jumps to the earliest wake-up and that sleeper resumes. So each task sees the
    time it asked to wake at, and ordering between tasks is what real time would give,
    without waiting.
    """

    def __init__(self) -> None:
        self._now = 0.0
        self._seq = itertools.count()
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._driver: asyncio.Task[None] | None = None

    def monotonic(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        waker = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + max(0.0, seconds), next(self._seq), waker))
        if self._driver is None or self._driver.done():
            self._driver = asyncio.ensure_future(self._drive())
        await waker

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        while self._sleepers:
            await asyncio.sleep(0)
            if loop._ready:  # type: ignore[attr-defined]  # something can still run now
                continue
            wake, _, waker = heapq.heappop(self._sleepers)
            if not waker.done():
                self._now = max(self._now, wake)
                waker.set_result(None)


def client_tasks() -> list[asyncio.Task[Any]]:
    """Tasks of the running loop that run this package's code (server tasks excluded)."""
    current = asyncio.current_task()
    return [
        task
        for task in asyncio.all_tasks()
        if task is not current
        and getattr(task.get_coro(), "cr_code", None) is not None
        and task.get_coro().cr_code.co_filename.startswith(_PACKAGE)  # type: ignore[union-attr]
        and not task.get_coro().cr_code.co_filename.startswith(_FAKE)  # type: ignore[union-attr]
    ]


def acquired_connections(client: extend_async.AsyncExtend) -> int:
    """Connections of the client's pool that a request holds right now."""
    session = client._pipeline.transport._session
    return 0 if session is None else len(session.connector._acquired)  # type: ignore[union-attr]


class Holding:
    """A loopback server: runs in :attr:`held` are answered only once released; the
    others at once, PROCESSED."""

    def __init__(self) -> None:
        self.held: set[str] = set()
        self.release = asyncio.Event()
        self.arrived: Counter[str] = Counter()
        self._arrival = asyncio.Condition()
        self.url = ""

    async def handle(self, request: aiohttp.web.Request) -> aiohttp.web.Response:
        run_id = request.match_info["id"]
        self.arrived[run_id] += 1
        async with self._arrival:
            self._arrival.notify_all()
        if run_id in self.held:
            await self.release.wait()
        return aiohttp.web.json_response(run_body(run_id, "PROCESSED"))

    async def wait_for(self, *run_ids: str) -> None:
        """Until each of ``run_ids`` has arrived at least once."""
        async with self._arrival:
            await self._arrival.wait_for(lambda: all(self.arrived[i] for i in run_ids))
