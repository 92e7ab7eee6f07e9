"""A minimal loopback server for the benchmarks, run in its own process.

It answers ``GET /batch_processor_runs/{id}`` with the API's example body (the id
substituted) and checks nothing else. It binds 127.0.0.1 on a free port, prints
that port on stdout, and serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket

from aiohttp import web

_ID_PLACEHOLDER = "__RUN_ID__"

_EXAMPLE = {
    "success": True,
    "batchProcessorRun": {
        "object": "batch_processor_run",
        "id": _ID_PLACEHOLDER,
        "processorId": "dp_Xj8mK2pL9nR4vT7qY5wZ",
        "processorVersionId": "dpv_xK9mLPqRtN3vS8wF5hB2cQ",
        "processorName": "Invoice Processor",
        "metrics": {"numFiles": 12, "numPages": 37},
        "status": "PROCESSING",
        "source": "EVAL_SET",
        "runCount": 12,
        "options": {"fuzzyMatchFields": ["vendor_name"], "excludeFields": ["notes"]},
        "createdAt": "2024-03-21T15:30:00Z",
        "updatedAt": "2024-03-21T16:45:00Z",
        "sourceId": "ev_1234",
    },
}

# The body is rendered once; a request only joins the id between the two halves.
_HEAD, _TAIL = json.dumps(_EXAMPLE).encode().split(_ID_PLACEHOLDER.encode())


async def get_batch_processor_run(request: web.Request) -> web.Response:
    run_id = request.match_info["id"].encode()
    return web.Response(body=_HEAD + run_id + _TAIL, content_type="application/json")


async def serve() -> None:
    app = web.Application()
    app.router.add_get("/batch_processor_runs/{id}", get_batch_processor_run)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    print(sock.getsockname()[1], flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve())
