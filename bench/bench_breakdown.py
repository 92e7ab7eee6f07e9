"""Where ``get_many``'s CPU goes: the floor, then the same work built up step by step.

Every variant runs in this one interpreter against the fake Extend API (another
process), batch after batch in a rotating order, so that the process's own state
(caches, allocator, the server's warm-up) is shared by all of them:

- the floor: raw aiohttp gathered under ``asyncio.Semaphore(64)``, ``json.loads``;
- the same requests from ``get_many``'s pool of 64 workers (the shape of our fan-out);
- the same, each body also structured into a ``BatchProcessorRun`` by the converter;
- ``AsyncExtend.batch_processor_runs.get_many`` itself.

Each step's ratio to the floor, round by round, says what that layer costs.
Run: ``python bench/bench_breakdown.py [--repeats N] [--json PATH]``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
from collections.abc import Awaitable, Callable
from typing import Any

from _common import RawClient, Report, Scenario, Stopwatch, emit, parse_options, start_fake

from extend_async import AsyncExtend, BatchProcessorRun
from extend_async._converter import converter
from extend_async.polling import _fetch_many

REQUESTS = 2_000
WARM_UP = 256
CONCURRENCY = 64
ROUNDS = 24

Batch = Callable[[list[str]], Awaitable[object]]


async def measure(url: str, token: str, ids: list[str], rounds: int) -> dict[str, list[float]]:
    """CPU seconds of each variant's batches, in the order the rounds ran."""
    structure = converter.get_structure_hook(BatchProcessorRun)
    client = AsyncExtend(token, base_url=url, max_concurrency=CONCURRENCY)
    async with client, RawClient(url, token, CONCURRENCY) as raw:
        session = raw._session

        async def body(run_id: str) -> Any:
            async with session.get(f"{url}/batch_processor_runs/{run_id}") as response:
                return json.loads(await response.read())["batchProcessorRun"]

        async def typed(run_id: str) -> BatchProcessorRun:
            run: BatchProcessorRun = structure(await body(run_id), BatchProcessorRun)
            return run

        def pool(fetch: Callable[[str], Awaitable[object]]) -> Batch:
            async def batch(batch_ids: list[str]) -> object:
                return await _fetch_many(
                    fetch, batch_ids, workers=CONCURRENCY, return_exceptions=False
                )

            return batch

        async def floor(batch_ids: list[str]) -> object:
            return await asyncio.gather(*(raw.get_run(run_id) for run_id in batch_ids))

        variants: dict[str, Batch] = {
            "raw aiohttp gathered under a semaphore (the floor)": floor,
            "64 workers, raw session, json.loads": pool(body),
            "the same, structured into BatchProcessorRun": pool(typed),
            "get_many (AsyncExtend)": client.batch_processor_runs.get_many,
        }
        for batch in variants.values():
            await batch(ids[:WARM_UP])
        names = list(variants)
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for round_ in range(rounds):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                with Stopwatch() as watch:
                    await variants[name](ids)
                cpu[name].append(watch.sample.cpu)
        return cpu


def main() -> None:
    options = parse_options(__doc__ or "", default_repeats=ROUNDS)
    with start_fake(Scenario(runs=REQUESTS)) as fake:
        cpu = asyncio.run(measure(fake.url, fake.token, fake.ids, options.repeats))
        cpus = fake.cpus
    floor = next(iter(cpu.values()))
    report = Report(
        title=f"get_many built up from the floor: {REQUESTS:,} GETs, cap {CONCURRENCY}, "
        f"{options.repeats} rotated rounds in one process",
        columns=["variant", "client CPU µs/request", "CPU ÷ floor (median of rounds)"],
    )
    for name, seconds in cpu.items():
        ratios = [ours / base for ours, base in zip(seconds, floor, strict=True)]
        report.rows.append(
            [name, statistics.median(seconds) / REQUESTS * 1e6, statistics.median(ratios)]
        )
    report.notes.append(cpus)
    emit(report, options)


if __name__ == "__main__":
    main()
