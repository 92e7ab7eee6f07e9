"""``extend-async demo``: the whole flow against the in-process fake server.

Through the public client, as an application would: create an extraction processor,
run it on a few thousand documents (by URL) under the server's rate limit, then wait
for every run with a live progress bar, and sum up what happened. One client does it
all, paced a little under the limit, so no 429 storms; the creates go through a fixed
pool of workers and the wait through ``wait_many``'s own, never one task per run. The
fake decides how long each run takes and how it ends (``set_lifecycle`` with ranges),
drawn from its seed: the same ``--seed`` gives the same outcomes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

from .._client import AsyncExtend
from ..models import ExtractionConfig, ProcessorRunStatus
from ..polling import PollPolicy, Progress
from ._context import add_command
from ._progress import ProgressDisplay
from ._values import fraction, positive_count, positive_seconds

if TYPE_CHECKING:
    from ..testing import FakeExtendServer

# The client paces itself under the server's limit: timers wake late now and then (a
# garbage collection of the whole heap stops the process for 0.1 to 0.2 s here), and the
# requests held up go out together. At 80% of the limit, a hold-up of up to a quarter of
# a second still fits in the server's one-second window.
_PACE_SHARE = 0.8
_SHORTEST_RUN = 0.2  # seconds

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "vendor_name": {"type": ["string", "null"], "description": "Who sent the invoice"},
        "invoice_number": {"type": ["string", "null"], "description": "The invoice's number"},
        "invoice_date": {"type": ["string", "null"], "description": "Date issued, ISO 8601"},
        "total_amount": {"type": ["number", "null"], "description": "Amount due"},
    },
    "required": ["vendor_name", "invoice_number", "invoice_date", "total_amount"],
    "additionalProperties": False,
}


def register(commands: Any) -> None:
    demo = add_command(
        commands, "demo", help="create and wait for many runs against a local fake API"
    )
    demo.add_argument(
        "--runs", type=positive_count, default=2000, help="how many runs (default 2000)"
    )
    demo.add_argument(
        "--rate-limit", type=positive_count, default=250, help="server requests/s (250)"
    )
    demo.add_argument(
        "--max-duration", type=positive_seconds, default=12.0, help="longest run, seconds (12)"
    )
    demo.add_argument("--failure-rate", type=fraction, default=0.1, help="share that FAILs (0.1)")
    demo.add_argument(
        "--concurrency", type=positive_count, default=32, help="requests in flight (32)"
    )
    demo.add_argument("--seed", type=int, default=7, help="seed of durations and outcomes")
    demo.set_defaults(run=_demo)


async def _demo(args: argparse.Namespace) -> int:
    from .._clock import SystemClock
    from ..testing import FakeExtendServer

    fake = FakeExtendServer(clock=SystemClock(), seed=args.seed, rate_limit=args.rate_limit)
    # Each run draws how long it takes and how it ends, from the fake's seeded generator.
    fake.processor_runs.set_lifecycle(
        finish_after=(_SHORTEST_RUN, max(args.max_duration, _SHORTEST_RUN)),
        outcome={"PROCESSED": 1 - args.failure_rate, "FAILED": args.failure_rate},
    )
    print(
        f"{args.runs} runs on a local fake Extend API limited to {args.rate_limit} "
        "requests/s: creating them, then waiting for all of them...",
        file=sys.stderr,
    )
    statuses: Counter[str] = Counter()
    started = time.monotonic()
    async with (
        fake,
        AsyncExtend(
            fake.token,
            base_url=fake.url,
            max_concurrency=args.concurrency,
            max_requests_per_second=args.rate_limit * _PACE_SHARE,
        ) as client,
    ):
        processor = await client.processors.create(
            name="Invoices (demo)", type="EXTRACT", config=ExtractionConfig(schema=_SCHEMA)
        )

        async def create(index: int) -> str:
            run = await client.processor_runs.create(
                processor.id, file=f"https://files.example.com/invoices/INV-{index:05d}.pdf"
            )
            return run.id

        with ProgressDisplay(sys.stderr, label="created") as display:
            ids = await _fan_out(create, args.runs, args.concurrency, display.update)
        poll = PollPolicy(interval=0.5, fast_phase=args.max_duration, max_interval=2.0)
        with ProgressDisplay(sys.stderr, label="finished") as display:
            stream = client.processor_runs.wait_many(ids, poll=poll, on_progress=display.update)
            async with stream:
                async for _, outcome in stream:
                    key = (
                        type(outcome).__name__
                        if isinstance(outcome, BaseException)
                        else str(outcome.status)
                    )
                    statuses[key] += 1
        elapsed = time.monotonic() - started
    _summary(fake, processor.id, statuses, elapsed)
    return 0 if statuses.keys() <= set(ProcessorRunStatus.TERMINAL) else 1


async def _fan_out(
    make: Callable[[int], Awaitable[str]],
    n: int,
    workers: int,
    on_progress: Callable[[Progress], object],
) -> list[str]:
    """``make(0)`` to ``make(n - 1)`` by a fixed pool of ``workers``; the results in
    order. The first error stops the others and is raised."""
    results: list[str] = [""] * n
    indexes: Iterator[int] = iter(range(n))
    done = in_flight = 0

    async def work() -> None:
        nonlocal done, in_flight
        for index in indexes:
            in_flight += 1
            try:
                results[index] = await make(index)
            finally:
                in_flight -= 1
            done += 1
            on_progress(Progress(done, n, in_flight, done + in_flight))

    tasks = [asyncio.ensure_future(work()) for _ in range(min(workers, n))]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in tasks:
        error = None if task.cancelled() else task.exception()
        if error is not None:
            raise error
    return results


def _summary(
    fake: FakeExtendServer, processor_id: str, statuses: Counter[str], elapsed: float
) -> None:
    by_kind = {key: count for key, count in fake.requests.items() if isinstance(key, str)}
    requests = sum(by_kind.values())
    rows = [
        *((f"  {status}", str(count)) for status, count in sorted(statuses.items())),
        ("requests made", f"{requests}  ({requests / elapsed:.1f}/s)"),
        *((f"  {kind}", str(count)) for kind, count in sorted(by_kind.items())),
        ("429s seen", str(fake.rate_limited)),
        ("elapsed", f"{elapsed:.1f} s"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{sum(statuses.values())} runs of processor {processor_id}, by status:")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
