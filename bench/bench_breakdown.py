"""Where ``get_many``'s CPU goes: the floor, then the same work built up step by step.

Every variant runs in this one interpreter against the fake Extend API (another
process), batch after batch in a rotating order, so that the process's own state
(caches, allocator, the server's warm-up) is shared by all of them:

- the floor: raw aiohttp gathered under ``asyncio.Semaphore(64)``, ``json.loads``;
- the floor plus a fixed arithmetic loop after each response, timed alone first: the
  calibration, what a microsecond of client Python costs inside the exchange;
- the same requests from ``get_many``'s pool of 64 workers (the shape of our fan-out);
- the same, each body also structured into a ``BatchProcessorRun`` by the converter;
- ``AsyncExtend.batch_processor_runs.get_many`` itself.

Each step's ratio to the floor, round by round, says what that layer costs. A second
table times the pieces alone, with no socket: decoding one of the fake's bodies
(``json.loads``, then the client's decoder), structuring it, and a whole ``get`` whose
session hands back that body at once (the pipeline's own share is what is left).
Run: ``python bench/bench_breakdown.py [--repeats N] [--json PATH]``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import timeit
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

from _common import (
    RawClient,
    Report,
    Scenario,
    Stopwatch,
    emit_all,
    parse_options,
    start_fake,
)

from extend_async import AsyncExtend, BatchProcessorRun
from extend_async import _json as client_json
from extend_async._converter import converter
from extend_async.polling import _fetch_many

REQUESTS = 2_000
WARM_UP = 256
CONCURRENCY = 64
ROUNDS = 24

Batch = Callable[[list[str]], Awaitable[object]]


def busy() -> int:
    """A few microseconds of pure interpreter work: no allocation, no I/O."""
    total = 0
    for number in range(60):
        total += number * number
    return total


def best_us(work: Callable[[], object], runs: int = 20_000) -> float:
    """µs per call of ``work``, the best of five timings."""
    return min(timeit.repeat(work, number=runs, repeat=5)) / runs * 1e6


class CannedResponse:
    """An aiohttp response stand-in that has the whole body at once: what a session
    stubbed for :func:`pieces_alone` hands back for every request."""

    status = 200
    reason = "OK"

    def __init__(self, body: bytes, headers: Any) -> None:
        self._body = body
        self.headers = headers

    async def __aenter__(self) -> CannedResponse:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def read(self) -> bytes:
        return self._body


async def best_async_us(work: Callable[[], Awaitable[object]], runs: int = 20_000) -> float:
    """µs per awaited call of ``work``, one after another, the best of five timings."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(runs):
            await work()
        best = min(best, time.perf_counter() - started)
    return best / runs * 1e6


async def pieces_alone(url: str, token: str, run_id: str) -> dict[str, float]:
    """µs per call of each piece of a ``get``, with no socket, on the fake's own body."""
    client = AsyncExtend(token, base_url=url)
    async with client:
        session = client.batch_processor_runs._pipeline.transport._get_session()
        async with session.get(f"{url}/batch_processor_runs/{run_id}") as response:
            body = await response.read()
            canned = CannedResponse(body, response.headers)
        payload = json.loads(body)["batchProcessorRun"]
        structure = converter.get_structure_hook(BatchProcessorRun)

        async def stub_exchange() -> bytes:
            async with canned:
                return await canned.read()

        # The bench's stub: every request of this client gets the canned response.
        session.request = lambda *args, **kwargs: canned  # type: ignore[method-assign]
        get = client.batch_processor_runs.get
        pieces = {
            "json.loads (what the floor decodes with)": best_us(lambda: json.loads(body)),
            "the client's decoder": best_us(lambda: client_json.loads(body)),
            "structuring into BatchProcessorRun": best_us(
                lambda: structure(payload, BatchProcessorRun)
            ),
            "the stub's exchange": await best_async_us(stub_exchange),
            "get, with the session stubbed": await best_async_us(lambda: get(run_id)),
        }
    accounted = sum(
        pieces[name]
        for name in (
            "the client's decoder",
            "structuring into BatchProcessorRun",
            "the stub's exchange",
        )
    )
    pieces["the rest of the pipeline (get minus the three above)"] = (
        pieces["get, with the session stubbed"] - accounted
    )
    return pieces


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

        async def floor_and_busy(batch_ids: list[str]) -> object:
            async def one(run_id: str) -> object:
                run = await raw.get_run(run_id)
                busy()
                return run

            return await asyncio.gather(*(one(run_id) for run_id in batch_ids))

        variants: dict[str, Batch] = {
            "raw aiohttp gathered under a semaphore (the floor)": floor,
            f"the floor plus {best_us(busy):.1f} µs of arithmetic per response": floor_and_busy,
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
        alone = asyncio.run(pieces_alone(fake.url, fake.token, fake.ids[0]))
        cpus = fake.cpus
    floor = next(iter(cpu.values()))
    report = Report(
        title=f"get_many built up from the floor: {REQUESTS:,} GETs, cap {CONCURRENCY}, "
        f"{options.repeats} rotated rounds in one process",
        columns=[
            "variant",
            "client CPU µs/request",
            "÷ floor's",
            "CPU ÷ floor, median of rounds",
        ],
    )
    floor_median = statistics.median(floor)
    for name, seconds in cpu.items():
        ratios = [ours / base for ours, base in zip(seconds, floor, strict=True)]
        median = statistics.median(seconds)
        report.rows.append(
            [name, median / REQUESTS * 1e6, median / floor_median, statistics.median(ratios)]
        )
    report.notes.append(cpus)
    pieces = Report(
        title="The pieces of one get alone, no socket (best of five timings)",
        columns=["piece", "µs per call"],
        rows=[[name, us] for name, us in alone.items()],
    )
    emit_all([report, pieces], options)


if __name__ == "__main__":
    main()
