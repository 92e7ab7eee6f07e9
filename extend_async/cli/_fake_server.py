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
from ._values import count, non_empty, port_number, positive_count, seconds

if TYPE_CHECKING:
    from ..models import BatchProcessorRun
    from ..testing import FakeExtendServer

#: The API reference's example id, which the README's examples use.
EXAMPLE_RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"


def register(commands: Any) -> None:
    serve = add_command(
        commands, "fake-server", help="serve a local fake Extend API (for demos and tests)"
    )
    serve.add_argument("--host", type=non_empty, default="127.0.0.1")
    serve.add_argument("--port", type=port_number, default=0, help="0 picks a free port (default)")
    serve.add_argument(
        "--token", type=non_empty, default="test-token", help="the API key clients must send"
    )
    serve.add_argument("--seed-runs", type=count, default=5, metavar="N", help="runs to create")
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    serve.add_argument("--rate-limit", type=positive_count, metavar="N", help="requests per second")
    serve.add_argument(
        "--finish-after",
        type=seconds,
        metavar="SECONDS",
        help="seeded runs start PROCESSING and finish after SECONDS (default: already done)",
    )
    serve.add_argument(
        "--json", action="store_true", help="announce the URL, token and ids as one JSON line"
    )
    serve.set_defaults(run=_serve)


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
    lifecycle = {} if args.finish_after is None else {"finish_after": args.finish_after}
    runs = _seed(fake, args.seed_runs, lifecycle)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(signum, stop.set)
    await _listen(fake, args.host, args.port)
    try:
        ids = [run.id for run in runs]
        if args.json:
            print(json.dumps({"url": fake.url, "token": fake.token, "batchProcessorRunIds": ids}))
        else:
            _announce(fake.url, fake.token, ids)
        print("", end="", flush=True)
        await stop.wait()
    finally:
        await fake.stop()
    return 0


def _seed(fake: FakeExtendServer, n: int, lifecycle: dict[str, Any]) -> list[BatchProcessorRun]:
    """``n`` runs; the first has the example id, so the README's examples just work."""
    if n == 0:
        return []
    first = fake.add_batch_run(id=EXAMPLE_RUN_ID, **lifecycle)
    return [first, *fake.seed_batch_runs(n - 1, **lifecycle)]


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


def _announce(url: str, token: str, ids: list[str]) -> None:
    print(f"Fake Extend API listening on {url}  (Ctrl-C to stop)")
    print(f"  export EXTEND_BASE_URL={url}")
    print(f"  export EXTEND_API_KEY={token}")
    for run_id in ids:
        print(f"  extend-async batch-runs get {run_id}")
