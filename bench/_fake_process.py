"""The package's ``FakeExtendServer`` in a process of its own, seeded for one benchmark.

Arguments are a :class:`_common.Scenario` (``--runs N`` plus lifecycle, rate limit,
seed and latency; see ``--help``). It runs on the real clock with no access log, binds
127.0.0.1 on a free port, and prints one JSON line once it listens::

    {"url": ..., "token": ..., "ids": [...], "finish_at": [...] or null}

``finish_at`` (runs that finish on time only) gives each run's finish time on
``time.monotonic()``, the system-wide clock, so a client in another process can tell
how late it saw each run. Then every ``stats`` line on stdin is answered with one JSON
line of server-side counters::

    {"requests": {"get_batch_processor_run": N}, "rate_limited": N, "connections": N,
     "cpu": seconds, "uploads": [[size, sha256], ...]}

``connections`` counts the TCP connections the server accepted; ``cpu`` is this
process's CPU time so far. It serves until
SIGTERM, SIGINT or the end of stdin, and prints the counters a last time on the way out.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import sys
import threading
import time
from typing import Any

from _common import Scenario

from extend_async import SystemClock
from extend_async.testing import FakeExtendServer
from extend_async.testing._files import DEFAULT_MAX_UPLOAD_SIZE

_TOKEN = "bench-fake-token"
_ROUTE = "get_batch_processor_run"


class _CountingLoop(asyncio.SelectorEventLoop):
    """An event loop that counts the connections accepted by the servers it creates."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted = 0

    async def create_server(
        self, protocol_factory: Any, *args: Any, **kwargs: Any
    ) -> asyncio.Server:
        def counted() -> Any:
            self.accepted += 1
            return protocol_factory()

        return await super().create_server(counted, *args, **kwargs)


def seed(fake: FakeExtendServer, scenario: Scenario) -> tuple[list[str], list[float] | None]:
    """Add the scenario's runs; their ids and, for timed runs, their finish times."""
    rng = random.Random(scenario.seed)
    if scenario.finish_after_polls is not None:
        low, high = scenario.finish_after_polls
        runs = [
            fake.add_batch_run(finish_after_polls=rng.randint(low, high))
            for _ in range(scenario.runs)
        ]
        return [run.id for run in runs], None
    if scenario.finish_after is not None:
        low_s, high_s = scenario.finish_after
        run_ids: list[str] = []
        finish_at: list[float] = []
        for _ in range(scenario.runs):
            after = rng.uniform(low_s, high_s)
            added = time.monotonic()  # the fake stamps the run a hair later: never early
            run_ids.append(fake.add_batch_run(finish_after=after).id)
            finish_at.append(added + after)
        return run_ids, finish_at
    return [run.id for run in fake.seed_batch_runs(scenario.runs)], None


def counters(fake: FakeExtendServer, loop: _CountingLoop) -> str:
    requests = {key: count for key, count in fake.requests.items() if isinstance(key, str)}
    return json.dumps(
        {
            "requests": requests,
            "rate_limited": fake.rate_limited,
            "connections": loop.accepted,
            "cpu": time.process_time(),
            "uploads": [[s.size, s.sha256] for s in fake.files.all() if s.sha256 is not None],
        }
    )


def answer_stats(fake: FakeExtendServer, loop: _CountingLoop, stop: asyncio.Event) -> None:
    """Answer ``stats`` lines from stdin (on a thread); at its end, stop the server."""
    for line in sys.stdin:
        if line.strip() == "stats":
            print(counters(fake, loop), flush=True)
    loop.call_soon_threadsafe(stop.set)


async def serve(scenario: Scenario, loop: _CountingLoop) -> None:
    limit = scenario.max_upload_size
    fake = FakeExtendServer(
        token=_TOKEN,
        clock=SystemClock(),
        seed=scenario.seed,
        rate_limit=scenario.rate_limit,
        keep_uploads=scenario.keep_uploads,
        max_upload_size=DEFAULT_MAX_UPLOAD_SIZE if limit is None else limit,
    )
    if scenario.latency:
        fake.faults.add(route=_ROUTE, latency=scenario.latency)
    run_ids, finish_at = seed(fake, scenario)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with fake:
        ready = {"url": fake.url, "token": fake.token, "ids": run_ids, "finish_at": finish_at}
        print(json.dumps(ready), flush=True)
        threading.Thread(target=answer_stats, args=(fake, loop, stop), daemon=True).start()
        await stop.wait()
    print(counters(fake, loop), flush=True)


def main() -> None:
    scenario = Scenario.parse(sys.argv[1:])
    loop = _CountingLoop()
    try:
        loop.run_until_complete(serve(scenario, loop))
    finally:
        loop.close()


if __name__ == "__main__":
    main()
