"""``extend-async demo``: many runs polled at once against the in-process fake server.

Shows the point of the package end to end: one client polls every run concurrently,
paced under the server's rate limit (so no 429 storms), and reports each run as it
finishes, with a live progress bar.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from typing import Any

from .._client import AsyncExtend
from ..polling import PollPolicy
from ._context import add_command
from ._progress import ProgressDisplay
from ._values import fraction, positive_count, positive_seconds

# The client paces itself a little under the server's limit: timers wake late now and
# then, and a late request must not land in the next second's full budget.
_PACE_SHARE = 0.9


def register(commands: Any) -> None:
    demo = add_command(commands, "demo", help="poll many runs at once against a local fake API")
    demo.add_argument(
        "--runs", type=positive_count, default=1000, help="how many runs (default 1000)"
    )
    demo.add_argument(
        "--rate-limit", type=positive_count, default=100, help="server requests/s (100)"
    )
    demo.add_argument(
        "--max-duration", type=positive_seconds, default=6.0, help="longest run, seconds (6)"
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

    rng = random.Random(args.seed)
    fake = FakeExtendServer(clock=SystemClock(), seed=args.seed, rate_limit=args.rate_limit)
    ids = [
        fake.add_batch_run(
            finish_after=rng.uniform(0.2, args.max_duration),
            outcome="FAILED" if rng.random() < args.failure_rate else "PROCESSED",
        ).id
        for _ in range(args.runs)
    ]
    print(
        f"{args.runs} runs on a local fake Extend API limited to {args.rate_limit} requests/s; "
        "waiting for all of them...",
        file=sys.stderr,
    )
    statuses: Counter[str] = Counter()
    started = time.monotonic()
    with ProgressDisplay(sys.stderr) as display:
        async with (
            fake,
            AsyncExtend(
                fake.token,
                base_url=fake.url,
                max_concurrency=args.concurrency,
                max_requests_per_second=args.rate_limit * _PACE_SHARE,
            ) as client,
        ):
            poll = PollPolicy(interval=0.5, fast_phase=args.max_duration, max_interval=2.0)
            stream = client.batch_processor_runs.wait_many(
                ids, poll=poll, on_progress=display.update
            )
            async with stream:
                async for _, outcome in stream:
                    key = (
                        type(outcome).__name__
                        if isinstance(outcome, BaseException)
                        else str(outcome.status)
                    )
                    statuses[key] += 1
            elapsed = time.monotonic() - started
    requests = fake.requests["get_batch_processor_run"]
    print(f"finished {sum(statuses.values())} runs in {elapsed:.1f} s")
    for status, count in sorted(statuses.items()):
        print(f"  {status:<12} {count}")
    print(f"requests made  {requests}  ({requests / elapsed:.1f}/s)")
    print(f"429s seen      {fake.rate_limited}")
    return 0 if statuses.keys() <= {"PROCESSED", "FAILED"} else 1
