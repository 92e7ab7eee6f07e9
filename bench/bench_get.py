"""Client CPU per request: ``AsyncExtend.batch_processor_runs.get`` against raw aiohttp.

Both sides send the same 2,000 concurrent GETs, at most 64 in flight, to the loopback
server (another process), on one session each, after a warm-up that opens the pool.
The raw side is the floor: one ``ClientSession``, an ``asyncio.Semaphore(64)``, the
same headers, and ``json.loads`` of each body. Run: ``python bench/bench_get.py``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from _common import (
    TOKEN,
    Report,
    Sample,
    Stopwatch,
    alternate,
    emit,
    parse_options,
    profile_difference,
    run_ids,
    start_server,
)

from extend_async import AsyncExtend

REQUESTS = 2_000
CONCURRENCY = 64
WARM_UP = 256
CPU_RATIO_GOAL = 1.2

Batch = Callable[[list[str]], Awaitable[None]]


async def timed(batch: Batch) -> Sample:
    """Warm up (connections, caches), then time one batch of ``REQUESTS`` calls."""
    await batch(run_ids(WARM_UP))
    ids = run_ids(REQUESTS)
    with Stopwatch() as watch:
        await batch(ids)
    return watch.sample


async def extend_run(url: str) -> Sample:
    async with AsyncExtend(TOKEN, base_url=url, max_concurrency=CONCURRENCY) as client:

        async def batch(ids: list[str]) -> None:
            await asyncio.gather(*(client.batch_processor_runs.get(run_id) for run_id in ids))

        return await timed(batch)


async def raw_run(url: str) -> Sample:
    # The same headers AsyncExtend sends, so both sides put the same bytes on the wire.
    probe = AsyncExtend(TOKEN, base_url=url)
    headers = dict(probe.config.headers)
    await probe.close()
    connector = aiohttp.TCPConnector(limit=max(100, CONCURRENCY))
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        slots = asyncio.Semaphore(CONCURRENCY)

        async def one(run_id: str) -> Any:
            async with slots, session.get(f"{url}/batch_processor_runs/{run_id}") as response:
                body = await response.read()
                if response.status != 200:
                    raise RuntimeError(f"unexpected status {response.status}")
            return json.loads(body)

        async def batch(ids: list[str]) -> None:
            await asyncio.gather(*(one(run_id) for run_id in ids))

        return await timed(batch)


def build_report(results: dict[str, Sample]) -> Report:
    report = Report(
        title=f"{REQUESTS:,} concurrent GETs (cap {CONCURRENCY}), medians",
        columns=["client", "client CPU µs/request", "wall requests/s", "wall s"],
    )
    for name, sample in results.items():
        report.rows.append([name, sample.cpu / REQUESTS * 1e6, REQUESTS / sample.wall, sample.wall])
    ratio = results["AsyncExtend"].cpu / results["raw aiohttp"].cpu
    report.metrics["CPU/request ratio AsyncExtend / raw aiohttp"] = ratio
    verdict = "met" if ratio <= CPU_RATIO_GOAL else "MISSED"
    report.notes.append(f"goal: ratio <= {CPU_RATIO_GOAL} ({verdict})")
    return report


def main() -> None:
    options = parse_options(__doc__ or "", profiling=True)
    with start_server() as server:
        results = alternate(
            {
                "AsyncExtend": lambda: asyncio.run(extend_run(server.url)),
                "raw aiohttp": lambda: asyncio.run(raw_run(server.url)),
            },
            options.repeats,
        )
        emit(build_report(results), options)
        if options.profile:
            profile_difference(
                lambda: asyncio.run(extend_run(server.url)),
                lambda: asyncio.run(raw_run(server.url)),
                REQUESTS + WARM_UP,
            )


if __name__ == "__main__":
    main()
