"""``extend-async batch-runs get|wait``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._context import add_command, add_connection_options, make_client
from ._progress import ProgressDisplay
from ._render import run_json, run_line, run_summary
from ._values import non_empty, positive_seconds


def register(commands: Any) -> None:
    group = add_command(commands, "batch-runs", help="batch processor runs")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")

    get = add_command(actions, "get", help="show one batch processor run")
    get.add_argument("id", type=non_empty, help="batch processor run id (bpr_...)")
    get.add_argument("--json", action="store_true", help="print the run as JSON")
    add_connection_options(get)
    get.set_defaults(run=_get)

    wait = add_command(actions, "wait", help="wait until runs finish, with live progress")
    wait.add_argument(
        "ids", nargs="+", type=non_empty, metavar="ID", help="batch processor run ids"
    )
    wait.add_argument(
        "--timeout",
        type=positive_seconds,
        metavar="SECONDS",
        help="give up on runs still going after SECONDS",
    )
    wait.add_argument("--json", action="store_true", help="one JSON run per line")
    add_connection_options(wait)
    wait.set_defaults(run=_wait)


async def _get(args: argparse.Namespace) -> int:
    async with make_client(args) as client:
        run = await client.batch_processor_runs.get(args.id)
    print(run_json(run) if args.json else run_summary(run))
    return 0


async def _wait(args: argparse.Namespace) -> int:
    failures = 0
    with ProgressDisplay(sys.stderr) as display:
        async with make_client(args) as client:
            stream = client.batch_processor_runs.wait_many(
                args.ids, timeout=args.timeout, on_progress=display.update
            )
            async with stream:
                async for run_id, outcome in stream:
                    if isinstance(outcome, BaseException):
                        failures += 1
                        display.write_line(run_line(run_id, outcome), sys.stderr)
                    else:
                        line = (
                            run_json(outcome, compact=True)
                            if args.json
                            else run_line(run_id, outcome)
                        )
                        display.write_line(line, sys.stdout)
    return 1 if failures else 0
