"""``extend-async demo``: the whole flow against the in-process fake server.

Through the public client, as an application would: upload a batch of invoices, create
an extraction processor, run it on each file a few thousand times over under the
server's rate limit, then learn how every run ended two ways side by side: by
``wait_many`` (polling, with a live progress bar) and by webhook (the fake signs and
POSTs each run's end to a receiver on loopback, ``aiohttp_handler``, which verifies
it). The summary says whether the two agree. One client does it all, paced a little
under the limit, so no 429 storms; uploads and creates go through a fixed pool of
workers and the wait through ``wait_many``'s own, never one task per run. The fake
decides how long each run takes and how it ends (``set_lifecycle`` with ranges),
drawn from its seed: the same ``--seed`` gives the same outcomes.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .._client import AsyncExtend
from ..models import (
    ExtractionConfig,
    ProcessorRunStatus,
    WebhookEvent,
    WebhookEventProcessorRun,
    WebhookEventType,
)
from ..polling import PollPolicy, Progress
from ._context import add_command
from ._pool import run_pool
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
_RUN_ENDS = (WebhookEventType.PROCESSOR_RUN_PROCESSED, WebhookEventType.PROCESSOR_RUN_FAILED)
_WEBHOOK_PATH = "/webhooks/extend"

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
        commands,
        "demo",
        help="upload, run, and hear back by polling and by webhook, against a local fake API",
    )
    demo.add_argument(
        "--runs", type=positive_count, default=2000, help="how many runs (default 2000)"
    )
    demo.add_argument(
        "--files", type=positive_count, default=20, help="invoices uploaded, run in turn (20)"
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


class _Heard:
    """What the webhook receiver heard: each run's end once (a retried delivery,
    with an event id already heard, is counted as a duplicate)."""

    def __init__(self) -> None:
        self.ends: dict[str, str] = {}
        self.by_type: Counter[str] = Counter()
        self.duplicates = 0
        self._event_ids: set[str] = set()

    async def __call__(self, event: WebhookEvent) -> None:
        if event.event_id in self._event_ids:
            self.duplicates += 1
            return
        self._event_ids.add(event.event_id)
        self.by_type[str(event.event_type)] += 1
        if isinstance(event, WebhookEventProcessorRun):
            self.ends[event.payload.id] = str(event.payload.status)


@contextlib.asynccontextmanager
async def _receiver(heard: _Heard, secret: str) -> AsyncIterator[str]:
    """An aiohttp.web endpoint on loopback verifying every delivery; yields its URL."""
    from aiohttp import web  # here, as the handler: no other command loads aiohttp.web

    from ..webhooks import aiohttp_handler

    app = web.Application()
    app.router.add_post(_WEBHOOK_PATH, aiohttp_handler(heard, secret=secret))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    try:
        await site.start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}{_WEBHOOK_PATH}"
    finally:
        await runner.cleanup()


def _invoice(index: int) -> bytes:
    """A small text invoice, different for each index."""
    return (
        f"ACME SUPPLIES LTD\nInvoice # INV-{index + 1:05d}\nDate: 2025-04-{index % 28 + 1:02d}\n"
        f"Total due: {100 + index * 7.25:.2f} EUR\n"
    ).encode()


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
        f"{args.files} invoices uploaded, then {args.runs} runs on them, on a local fake "
        f"Extend API limited to {args.rate_limit} requests/s; every run's end is heard by "
        "polling and by webhook...",
        file=sys.stderr,
    )
    statuses: dict[str, str] = {}
    heard = _Heard()
    secret = "wss_" + secrets.token_urlsafe(24)
    started = time.monotonic()
    async with (
        fake,
        _receiver(heard, secret) as url,
        AsyncExtend(
            fake.token,
            base_url=fake.url,
            max_concurrency=args.concurrency,
            max_requests_per_second=args.rate_limit * _PACE_SHARE,
        ) as client,
    ):
        fake.webhooks.add_endpoint(url, secret=secret, event_types=_RUN_ENDS)

        async def upload(index: int) -> str:
            file = await client.files.upload(_invoice(index), filename=f"INV-{index + 1:05d}.txt")
            return file.id

        with ProgressDisplay(sys.stderr, label="uploaded") as display:
            file_ids = await _fan_out(upload, args.files, args.concurrency, display.update)
        processor = await client.processors.create(
            name="Invoices (demo)", type="EXTRACT", config=ExtractionConfig(schema=_SCHEMA)
        )

        async def create(index: int) -> str:
            run = await client.processor_runs.create(
                processor.id, file=file_ids[index % len(file_ids)]
            )
            return run.id

        with ProgressDisplay(sys.stderr, label="created") as display:
            ids = await _fan_out(create, args.runs, args.concurrency, display.update)
        poll = PollPolicy(interval=0.5, fast_phase=args.max_duration, max_interval=2.0)
        with ProgressDisplay(sys.stderr, label="finished") as display:
            stream = client.processor_runs.wait_many(ids, poll=poll, on_progress=display.update)
            async with stream:
                async for run_id, outcome in stream:
                    statuses[run_id] = (
                        type(outcome).__name__
                        if isinstance(outcome, BaseException)
                        else str(outcome.status)
                    )
        await fake.webhooks.drain()  # the last runs' deliveries, already on their way
        elapsed = time.monotonic() - started
    agreeing = sum(heard.ends.get(run_id) == status for run_id, status in statuses.items())
    _summary(fake, processor.id, statuses, heard, agreeing, elapsed)
    finished = set(statuses.values()) <= set(ProcessorRunStatus.TERMINAL)
    return 0 if finished and agreeing == len(statuses) else 1


async def _fan_out(
    make: Callable[[int], Awaitable[str]],
    n: int,
    workers: int,
    on_progress: Callable[[Progress], object],
) -> list[str]:
    """``make(0)`` to ``make(n - 1)`` by a fixed pool of ``workers``, with progress; the
    results in order. The first error stops the others and is raised."""
    results: list[str] = [""] * n
    done = in_flight = 0

    async def one(index: int) -> None:
        nonlocal done, in_flight
        in_flight += 1
        try:
            results[index] = await make(index)
        finally:
            in_flight -= 1
        done += 1
        on_progress(Progress(done, n, in_flight, done + in_flight))

    await run_pool(one, n, workers)
    return results


def _summary(
    fake: FakeExtendServer,
    processor_id: str,
    statuses: dict[str, str],
    heard: _Heard,
    agreeing: int,
    elapsed: float,
) -> None:
    by_status = Counter(statuses.values())
    by_kind = {key: count for key, count in fake.requests.items() if isinstance(key, str)}
    requests = sum(by_kind.values())
    rows = [
        *((f"  {status}", str(count)) for status, count in sorted(by_status.items())),
        ("webhook events", f"{sum(heard.by_type.values())}  ({heard.duplicates} duplicates)"),
        *((f"  {kind}", str(count)) for kind, count in sorted(heard.by_type.items())),
        ("webhook agrees with polling", f"{agreeing} of {len(statuses)} runs"),
        ("requests made", f"{requests}  ({requests / elapsed:.1f}/s)"),
        *((f"  {kind}", str(count)) for kind, count in sorted(by_kind.items())),
        ("429s seen", str(fake.rate_limited)),
        ("elapsed", f"{elapsed:.1f} s"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{len(statuses)} runs of processor {processor_id}, by status:")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
