"""``extend-async fake-server``: the local fake Extend API, served until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
from typing import TYPE_CHECKING, Any

from ._context import EXIT_FAILURE, CommandError, add_command
from ._seeding import PUBLISHED_VERSIONS, WORKFLOW_STEPS, Seeded, seed
from ._values import (
    count,
    http_url,
    non_empty,
    port_number,
    positive_count,
    seconds,
    webhook_secret,
)

if TYPE_CHECKING:
    from ..testing import FakeExtendServer

#: With webhooks, runs created through the API also end this long after they were made,
#: so that their events come with nobody polling (workflow runs already end after 5 s).
UNPOLLED_RUN_SECONDS = 2.0
#: A text to run a processor or a workflow on, in the commands the announcement shows.
_SAMPLE_TEXT = "'Invoice INV-7, total 12.50 EUR'"


def register(commands: Any) -> None:
    serve = add_command(
        commands,
        "fake-server",
        help="serve a local fake Extend API (for demos and tests)",
        description=(
            "Serve a local fake Extend API, seeded with files, processors of the three types, "
            "workflows that run them, and runs of each: every other processor and workflow "
            "run finished, the others still going. The ids are announced on start."
        ),
    )
    serve.add_argument("--host", type=non_empty, default="127.0.0.1")
    serve.add_argument("--port", type=port_number, default=0, help="0 picks a free port (default)")
    serve.add_argument(
        "--token", type=non_empty, default="test-token", help="the API key clients must send"
    )
    seeding = serve.add_argument_group("what to seed")
    seeding.add_argument(
        "--seed-runs", type=count, default=5, metavar="N", help="batch processor runs (5)"
    )
    seeding.add_argument(
        "--seed-files", type=count, default=3, metavar="N", help="stored files, one page each (3)"
    )
    seeding.add_argument(
        "--seed-processors",
        type=count,
        default=3,
        metavar="N",
        help=f"processors, EXTRACT, CLASSIFY and SPLITTER in turn, each with "
        f"{PUBLISHED_VERSIONS} published versions (3)",
    )
    seeding.add_argument(
        "--seed-workflows",
        type=count,
        default=1,
        metavar="N",
        help=f"workflows, each running the first {WORKFLOW_STEPS} processors (1)",
    )
    seeding.add_argument(
        "--seed-processor-runs",
        type=count,
        default=6,
        metavar="N",
        help="processor runs, on the processors in turn (6)",
    )
    seeding.add_argument(
        "--seed-workflow-runs",
        type=count,
        default=6,
        metavar="N",
        help="workflow runs, on the workflows in turn (6)",
    )
    seeding.add_argument("--seed", type=int, default=0, help="seed of the generated data (0)")
    seeding.add_argument(
        "--finish-after",
        type=seconds,
        metavar="SECONDS",
        help="runs still going finish after SECONDS, and batch runs start PROCESSING too "
        "(default: those processor and workflow runs finish on their second GET, batch "
        "runs are seeded finished)",
    )
    serve.add_argument("--rate-limit", type=positive_count, metavar="N", help="requests per second")
    hooks = serve.add_argument_group("webhooks")
    hooks.add_argument(
        "--webhook-url",
        type=http_url,
        action="append",
        metavar="URL",
        help="POST every event to URL, signed, as Extend does (repeat for more endpoints)",
    )
    hooks.add_argument(
        "--webhook-secret",
        type=webhook_secret,
        metavar="SECRET",
        help="the signing secret of the endpoints (default: one per endpoint, from --seed)",
    )
    serve.add_argument(
        "--json", action="store_true", help="announce the URL, token and ids as one JSON line"
    )
    serve.set_defaults(run=_serve, check=_check)


def _check(args: argparse.Namespace) -> None:
    """Runs need something to run on: said as argparse's usage errors are."""
    needs = (
        (
            "--seed-processor-runs",
            args.seed_processor_runs,
            "--seed-processors",
            args.seed_processors,
        ),
        ("--seed-workflow-runs", args.seed_workflow_runs, "--seed-workflows", args.seed_workflows),
    )
    if args.webhook_secret is not None and not args.webhook_url:
        args.parser.error("argument --webhook-secret: only with --webhook-url")
    for runs_flag, runs, on_flag, on in needs:
        if runs and not on:
            args.parser.error(
                f"argument {runs_flag}: {runs} runs need {on_flag} 1 or more "
                f"(or give {runs_flag} 0)"
            )


async def _serve(args: argparse.Namespace) -> int:
    from .._clock import SystemClock
    from ..testing import FakeExtendServer

    fake = FakeExtendServer(
        token=args.token,
        host=args.host,
        port=args.port,
        clock=SystemClock(),
        seed=args.seed,
        rate_limit=args.rate_limit,
    )
    seeded = seed(
        fake,
        batch_runs=args.seed_runs,
        files=args.seed_files,
        processors=args.seed_processors,
        workflows=args.seed_workflows,
        processor_runs=args.seed_processor_runs,
        workflow_runs=args.seed_workflow_runs,
        finish_after=args.finish_after,
    )
    endpoints = [
        fake.webhooks.add_endpoint(url, secret=args.webhook_secret)
        for url in args.webhook_url or ()
    ]
    hooks = [{"url": endpoint.url, "secret": endpoint.secret} for endpoint in endpoints]
    if endpoints:
        for runs in (fake.processor_runs, fake.parser_runs, fake.edit_runs):
            runs.set_lifecycle(finish_after=UNPOLLED_RUN_SECONDS, finish_after_polls=2)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(signum, stop.set)
    await _listen(fake, args.host, args.port)
    try:
        if args.json:
            document = {"url": fake.url, "token": fake.token, **seeded.as_json()}
            print(json.dumps({**document, "webhooks": hooks}))
        else:
            _announce(fake.url, fake.token, seeded, hooks)
        print("", end="", flush=True)
        await stop.wait()
    finally:
        await fake.stop()
    return 0


async def _listen(fake: FakeExtendServer, host: str, port: int) -> None:
    """Start serving. A port in use or an address not ours is the environment's
    refusal, not bad usage: one line and exit code 1."""
    try:
        await fake.start()
    except OSError as exc:
        raise CommandError(
            f"cannot listen on {host}:{port}: {_reason(exc)}", exit_code=EXIT_FAILURE
        ) from exc


def _reason(exc: OSError) -> str:
    """The system's words (asyncio's own message repeats the address)."""
    if exc.errno is not None and exc.errno > 0:
        return os.strerror(exc.errno).lower()
    return str(exc.strerror or exc).lower()  # getaddrinfo's errors are negative


def _announce(url: str, token: str, seeded: Seeded, hooks: list[dict[str, str]]) -> None:
    """Where to point a client, where events go, commands to try, and every id."""
    print(f"Fake Extend API listening on {url}  (Ctrl-C to stop)")
    print(f"  export EXTEND_BASE_URL={url}")
    print(f"  export EXTEND_API_KEY={token}")
    for hook in hooks:
        print(f"  webhook deliveries to {hook['url']}, signed with {hook['secret']}")
    for run in seeded.batch_runs:
        print(f"  extend-async batch-runs get {run.id}")
    if seeded.processors:
        first = seeded.processors[0]
        print("  extend-async processors list")
        print(f"  extend-async processor-runs create {first.id} --raw-text {_SAMPLE_TEXT} --wait")
    if seeded.processor_runs:
        print("  extend-async processor-runs list")
    if seeded.workflows:
        flow = seeded.workflows[0]
        print(f"  extend-async workflow-runs create {flow.id} --raw-text {_SAMPLE_TEXT} --wait")
    if seeded.workflow_runs:
        print("  extend-async workflow-runs list")
    versions = ", ".join(f"1.{minor}" for minor in range(PUBLISHED_VERSIONS))
    steps = ", ".join(str(processor.type) for processor in seeded.processors[:WORKFLOW_STEPS])
    rows = [
        *(("file", f.id, f.name) for f in seeded.files),
        *(("processor", p.id, f"{p.type!s}, versions {versions} and draft")
          for p in seeded.processors),
        *(("workflow", w.id, f"version 1 and draft; steps: {steps or 'none'}")
          for w in seeded.workflows),
        *(("processor run", r.id, _state(str(r.status), seeded.ending))
          for r in seeded.processor_runs),
        *(("workflow run", r.id, _state(str(r.status), seeded.ending))
          for r in seeded.workflow_runs),
    ]  # fmt: skip
    if not rows:
        return
    print("Seeded:")
    kind_width = max(len(kind) for kind, _, _ in rows)
    id_width = max(len(object_id) for _, object_id, _ in rows)
    for kind, object_id, what in rows:
        print(f"  {kind:<{kind_width}}  {object_id:<{id_width}}  {what}")


def _state(status: str, ending: str) -> str:
    """The run's status; for one still going, how it will end."""
    return f"{status}, {ending}" if status in ("PENDING", "PROCESSING") else status
