"""Fan-out: ``get_many`` over 2,000 finished runs, against raw aiohttp and the official SDK.

The fake Extend API (``_fake_process.py``, another process) holds 2,000 PROCESSED runs.
Each client, in a fresh interpreter of its own, fetches 256 of them (warm-up: opens the
pool) and then all 2,000, at most 64 in flight:
``AsyncExtend(max_concurrency=64).batch_processor_runs.get_many(ids)``; raw aiohttp
(one session, ``asyncio.Semaphore(64)``, ``json.loads``: the floor); and the official
``extend_ai.AsyncExtend`` under ``asyncio.Semaphore(64)`` on an ``httpx.AsyncClient``
with a pool of 64 (skipped when it is not installed). The same again with 20 ms added
by the server to every GET, where all 64 slots stay busy, for the connection count.
TCP connections are counted by the server (accepted), over warm-up and run together.
Run: ``python bench/bench_fanout.py [--repeats N] [--json PATH] [--profile]``.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Any

from _common import (
    Cell,
    Fake,
    Job,
    RawClient,
    Report,
    Sample,
    Scenario,
    Stopwatch,
    add_cpu_option,
    child_main,
    emit_all,
    max_field,
    measure_against,
    median_fields,
    median_sample,
    parse_options,
    profile_difference,
    rotate,
    round_ratios,
    run_bounded,
    start_fake,
    verdict,
)

from extend_async import AsyncExtend

REQUESTS = 2_000
WARM_UP = 256
BATCHES = 5  # timed batches per child (the official client, 50x slower, times one)
CONCURRENCY = 64
LATENCY = 0.02
LIMIT_SECONDS = 120.0
CPU_RATIO_GOAL = 1.2
SPEED_GOAL = 10.0

GET_MANY = "get_many (AsyncExtend)"
RAW = "raw aiohttp (floor)"
OFFICIAL = "official extend-ai async"
PAIRED = "get_many and raw aiohttp in turn"

Batch = Callable[[list[str]], Awaitable[object]]


async def timed(batch: Batch, ids: list[str], batches: int = BATCHES) -> dict[str, Any]:
    """Warm up on the first ids, then time ``batches`` batches of all of them: the
    median batch (one child's figures then depend less on one scheduling hiccup)."""
    await batch(ids[:WARM_UP])
    samples = []
    for _ in range(batches):
        with Stopwatch() as watch:
            await batch(ids)
        samples.append(watch.sample)
    sample = median_sample(samples)
    return {"cpu": sample.cpu, "wall": sample.wall, "batches": batches}


async def get_many_run(job: Job) -> dict[str, Any]:
    async with AsyncExtend(job["token"], base_url=job["url"], max_concurrency=CONCURRENCY) as c:
        return await timed(c.batch_processor_runs.get_many, job["ids"])


def gathered(get: Callable[[str], Awaitable[object]]) -> Batch:
    """A batch that gathers one ``get`` per id (the caller caps the concurrency)."""

    async def batch(ids: list[str]) -> list[object]:
        return await asyncio.gather(*(get(run_id) for run_id in ids))

    return batch


async def raw_run(job: Job) -> dict[str, Any]:
    async with RawClient(job["url"], job["token"], CONCURRENCY) as raw:
        return await timed(gathered(raw.get_run), job["ids"])


async def official_run(job: Job) -> dict[str, Any]:
    # Imported by name: the official SDK (and its httpx) live only in the bench venv.
    httpx: Any = importlib.import_module("httpx")
    official: Any = importlib.import_module("extend_ai")
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=60.0) as http:
        client = official.AsyncExtend(token=job["token"], base_url=job["url"], httpx_client=http)
        slots = asyncio.Semaphore(CONCURRENCY)

        async def get(run_id: str) -> object:
            async with slots:
                return await client.batch_processor_run.get(run_id)

        return await timed(gathered(get), job["ids"], batches=1)


async def paired_run(job: Job) -> dict[str, Any]:
    """get_many and the floor in one process, batch after batch in turn: a cross-check
    of the CPU ratio that no difference between two processes can skew."""
    ids: list[str] = job["ids"]
    client = AsyncExtend(job["token"], base_url=job["url"], max_concurrency=CONCURRENCY)
    async with client, RawClient(job["url"], job["token"], CONCURRENCY) as raw:
        batches: dict[str, Batch] = {
            "cpu": client.batch_processor_runs.get_many,
            "floor_cpu": gathered(raw.get_run),
        }
        for batch in batches.values():
            await batch(ids[:WARM_UP])
        samples: dict[str, list[Sample]] = {key: [] for key in batches}
        for _ in range(BATCHES):
            for key, batch in batches.items():
                with Stopwatch() as watch:
                    await batch(ids)
                samples[key].append(watch.sample)
    figures = {key: median_sample(runs) for key, runs in samples.items()}
    return {"cpu": figures["cpu"].cpu, "floor_cpu": figures["floor_cpu"].cpu, "batches": 0}


RUNS: Mapping[str, Callable[[Job], Awaitable[dict[str, Any]]]] = {
    GET_MANY: get_many_run,
    RAW: raw_run,
    OFFICIAL: official_run,
    PAIRED: paired_run,
}


def in_child(job: Job) -> dict[str, Any]:
    return run_bounded(RUNS[job["variant"]](job), LIMIT_SECONDS)


def variants() -> list[str]:
    found = importlib.util.find_spec("extend_ai") is not None
    return [GET_MANY, RAW, OFFICIAL] if found else [GET_MANY, RAW]


Results = dict[str, list[dict[str, Any]]]


def measure_all(fake: Fake, names: list[str], repeats: int) -> Results:
    def one(variant: str) -> dict[str, Any]:
        return measure_against(fake, __file__, {"variant": variant}, limit=LIMIT_SECONDS)

    return rotate({name: partial(one, name) for name in names}, repeats)


def per_request(figures: Mapping[str, float]) -> tuple[float, float]:
    """Requests/s and client CPU µs per request of the measured batch."""
    return REQUESTS / figures["wall"], figures["cpu"] / REQUESTS * 1e6


def connections_cell(runs: Sequence[Mapping[str, Any]], median: float) -> str:
    return f"{median:.0f} (max {max_field(runs, 'connections'):.0f})"


def table(title: str, results: Results, *, memory: bool) -> Report:
    columns = ["client", "requests/s", "client CPU µs/request", "server CPU µs/request"]
    columns += ["TCP connections opened"]
    if memory:
        columns += ["peak RSS MiB", "RSS growth MiB"]
    report = Report(title=title, columns=columns, process_rss=False)
    for name, runs in results.items():
        figures = median_fields(runs)
        rate, cpu = per_request(figures)
        server_cpu = figures["server_cpu"] / figures["requests"] * 1e6
        row: list[Cell] = [
            name,
            rate,
            cpu,
            server_cpu,
            connections_cell(runs, figures["connections"]),
        ]
        if memory:
            row += [figures["peak_rss_mib"], figures["peak_rss_mib"] - figures["start_rss_mib"]]
        report.rows.append(row)
        if any(run["requests"] != WARM_UP + REQUESTS * run["batches"] for run in runs):
            report.notes.append(f"{name}: the server did not see every request")
    return report


def with_goals(
    report: Report, idle: Results, busy: Results, paired: list[dict[str, Any]]
) -> Report:
    ours, floor = median_fields(idle[GET_MANY]), median_fields(idle[RAW])
    cpu_ratio = ours["cpu"] / floor["cpu"]
    report.metrics["get_many CPU/request ÷ raw aiohttp CPU/request"] = cpu_ratio
    met = cpu_ratio <= CPU_RATIO_GOAL
    spread = round_ratios(idle[GET_MANY], idle[RAW], "cpu")
    report.notes.append(f"goal: CPU ratio <= {CPU_RATIO_GOAL} ({verdict(met)}; {spread})")
    in_turn = [run["cpu"] / run["floor_cpu"] for run in paired]
    report.metrics["the same, both in one process, batches in turn (median)"] = statistics.median(
        in_turn
    )
    report.notes.append(
        f"CPU ratio with both in one process, batches in turn: {min(in_turn):.2f} to "
        f"{max(in_turn):.2f} over {len(in_turn)} processes"
    )
    most = max(max_field(results[GET_MANY], "connections") for results in (idle, busy))
    report.metrics["most TCP connections get_many opened in any run"] = most
    report.notes.append(f"goal: connections <= {CONCURRENCY} ({verdict(most <= CONCURRENCY)})")
    if OFFICIAL not in idle:
        report.notes.append(
            "official extend-ai not installed: skipped (run with a Python that has "
            "extend-ai==0.2.0 to include it)"
        )
        return report
    speed = median_fields(idle[OFFICIAL])["wall"] / ours["wall"]
    report.metrics["get_many requests/s ÷ official requests/s"] = speed
    busy_speed = median_fields(busy[OFFICIAL])["wall"] / median_fields(busy[GET_MANY])["wall"]
    report.metrics[f"the same with {LATENCY * 1000:.0f} ms server latency"] = busy_speed
    report.notes.append(f"goal: speed ratio >= {SPEED_GOAL} ({verdict(speed >= SPEED_GOAL)})")
    return report


def profile(fake: Fake) -> None:
    job: Job = {"url": fake.url, "token": fake.token, "ids": fake.ids}
    profile_difference(
        lambda: run_bounded(get_many_run(job), LIMIT_SECONDS),
        lambda: run_bounded(raw_run(job), LIMIT_SECONDS),
        REQUESTS * BATCHES + WARM_UP,
        timer=time.process_time,
    )


def main() -> None:
    if child_main(in_child):
        return
    options = parse_options(
        __doc__ or "", default_repeats=3, profiling=True, configure=add_cpu_option
    )
    own_cpu = not options.extra.shared_cpus
    with start_fake(Scenario(runs=REQUESTS), own_cpu=own_cpu) as fake:
        idle = measure_all(fake, [*variants(), PAIRED], options.repeats)
    paired = idle.pop(PAIRED)
    with start_fake(Scenario(runs=REQUESTS, latency=LATENCY), own_cpu=own_cpu) as fake:
        busy = measure_all(fake, variants(), options.repeats)
    each = f"{REQUESTS:,} GETs after {WARM_UP} warm-up, cap {CONCURRENCY}, "
    each += f"medians of {options.repeats}"
    reports = [
        with_goals(
            table(f"Fan-out, no added latency: {each}", idle, memory=True), idle, busy, paired
        ),
        table(f"Fan-out, {LATENCY * 1000:.0f} ms server latency: {each}", busy, memory=False),
    ]
    reports[0].notes.append(fake.cpus)
    emit_all(reports, options)
    if options.profile:
        with start_fake(Scenario(runs=REQUESTS), own_cpu=own_cpu) as fake:
            profile(fake)


if __name__ == "__main__":
    main()
