"""Canned pages of ``GET /processor_runs``, recorded from the fake, in a process of its own.

``--runs N`` processor runs are seeded into the package's ``FakeExtendServer``
(``fake.processor_runs.add``: three processors, one of each type, and a mix of
statuses, each run created a second after the one before), and every page of
``maxPageSize=--page-size`` is fetched from it once, following the tokens, the way a
client lists them. Those bodies are then served as they are from a bare aiohttp app:
the fake rebuilds and sorts every run for every page (tens of milliseconds per page for
10,000 runs), and a benchmark of the client should not wait on that.

A request must carry exactly ``maxPageSize`` (the recorded size) and, after the first
page, ``nextPageToken`` (one the recorded pages gave out), with the bearer token and
the API version header; anything else gets a 400, so both clients of the benchmark are
held to the same query. It binds 127.0.0.1 on a free port, prints one JSON line once it
listens::

    {"url": ..., "token": ..., "pages": N, "items": N, "bytes": N}

answers each ``stats`` line on stdin with ``{"requests": N, "cpu": seconds}`` (pages
served, this process's CPU time so far), and serves until SIGTERM, SIGINT or the end
of stdin.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import aiohttp
from aiohttp import web

from extend_async.testing import FakeExtendServer

_TOKEN = "bench-pages-token"
_API_VERSION = "2025-04-21"
_STATUSES = ("PROCESSED", "PROCESSED", "PROCESSED", "FAILED", "PROCESSING", "CANCELLED")
_START = datetime(2025, 4, 21, tzinfo=timezone.utc)


def seed(fake: FakeExtendServer, runs: int) -> None:
    processors = [fake.processors.add(type=kind) for kind in ("EXTRACT", "CLASSIFY", "SPLITTER")]
    for n in range(runs):
        fake.processor_runs.add(
            processor_id=processors[n % 3].id,
            status=_STATUSES[n % len(_STATUSES)],
            file_name=f"document-{n:05d}.pdf",
            created_at=_START + timedelta(seconds=n),
            updated_at=_START + timedelta(seconds=n, milliseconds=500),
        )


async def record(runs: int, page_size: int, seed_value: int) -> dict[str | None, bytes]:
    """Every page's body, by the token that asks for it (None: the first page)."""
    fake = FakeExtendServer(token=_TOKEN, seed=seed_value)
    seed(fake, runs)
    headers = {"Authorization": f"Bearer {_TOKEN}", "x-extend-api-version": _API_VERSION}
    bodies: dict[str | None, bytes] = {}
    async with fake, aiohttp.ClientSession(headers=headers) as session:
        token: str | None = None
        while True:
            query = {"maxPageSize": str(page_size)}
            if token is not None:
                query["nextPageToken"] = token
            async with session.get(f"{fake.url}/processor_runs", params=query) as response:
                body = await response.read()
                if response.status != 200:
                    raise RuntimeError(f"the fake answered {response.status}: {body[:200]!r}")
            bodies[token] = body
            token = json.loads(body).get("nextPageToken")
            if not token:
                return bodies


class Pages:
    def __init__(self, bodies: dict[str | None, bytes], page_size: int) -> None:
        self.bodies = bodies
        self.size = str(page_size)
        self.served = 0

    async def list_processor_runs(self, request: web.Request) -> web.Response:
        query = request.query
        keys = sorted(query)
        token = query.get("nextPageToken")
        if (
            request.headers.get("Authorization") != f"Bearer {_TOKEN}"
            or request.headers.get("x-extend-api-version") != _API_VERSION
            or keys not in (["maxPageSize"], ["maxPageSize", "nextPageToken"])
            or query["maxPageSize"] != self.size
            or token not in self.bodies
        ):
            return web.json_response({"success": False, "error": "not a recorded page"}, status=400)
        self.served += 1
        return web.Response(body=self.bodies[token], content_type="application/json")


def answer_stats(pages: Pages, loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    for line in sys.stdin:
        if line.strip() == "stats":
            print(json.dumps({"requests": pages.served, "cpu": time.process_time()}), flush=True)
    loop.call_soon_threadsafe(stop.set)


async def serve(args: argparse.Namespace) -> None:
    bodies = await record(args.runs, args.page_size, args.seed)
    pages = Pages(bodies, args.page_size)
    app = web.Application()
    app.router.add_get("/processor_runs", pages.list_processor_runs)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    items = sum(len(json.loads(body)["processorRuns"]) for body in bodies.values())
    ready = {
        "url": f"http://127.0.0.1:{sock.getsockname()[1]}",
        "token": _TOKEN,
        "pages": len(bodies),
        "items": items,
        "bytes": sum(len(body) for body in bodies.values()),
    }
    print(json.dumps(ready), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    threading.Thread(target=answer_stats, args=(pages, loop, stop), daemon=True).start()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve canned pages of processor runs.")
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--page-size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
