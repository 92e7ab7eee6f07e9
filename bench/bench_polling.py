"""Polling: ``wait_many`` against a task per run, through the SDK and through raw aiohttp.

The fake Extend API (``_fake_process.py``, another process) holds 5,000 runs, each of
which finishes on its 3rd, 4th or 5th GET (drawn with a fixed seed, so every variant
gets the same work). Each client, in a fresh interpreter, waits for all of them, at
most 64 requests in flight, polling each run every 50 ms:

- ``wait_many``: ``AsyncExtend(max_concurrency=64).batch_processor_runs.wait_many(ids,
  poll=PollPolicy(interval=0.05, fast_phase=1e9, jitter=0))``, drained;
- task per run (SDK): one asyncio task per run doing ``get``, then
  ``asyncio.sleep(0.05)``, until the run is final, through the same client;
- task per run (raw aiohttp): the same loop on one raw session (``Semaphore(64)``,
  ``json.loads``): the floor.

Each measured run gets a freshly seeded server, whose count of GETs is the "requests"
column. Then 1,000 runs finishing on their 4th GET: ``wait_many`` against the raw
loop, for wall time. Run: ``python bench/bench_polling.py [--repeats N] [--json PATH]
[--profile] [--shared-cpus]``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

from _common import (
    Cell,
    Job,
    RawClient,
    Report,
    Scenario,
    Stopwatch,
    add_cpu_option,
    child_main,
    emit_all,
    measure_against,
    median_fields,
    parse_options,
    profile_difference,
    rotate,
    round_ratios,
    run_bounded,
    start_fake,
    verdict,
)

from extend_async import AsyncExtend, PollPolicy

RUNS = 5_000
POLLS = (3, 5)
SMALL_RUNS = 1_000
SMALL_POLLS = (4, 4)
CONCURRENCY = 64
INTERVAL = 0.05
LIMIT_SECONDS = 180.0
WALL_RATIO_GOAL = 1.3
TERMINAL = frozenset({"PROCESSED", "FAILED"})

WAIT_MANY = "wait_many (AsyncExtend)"
TASKS = "task per run (AsyncExtend.get)"
RAW = "task per run (raw aiohttp)"


async def wait_many_run(job: Job) -> dict[str, Any]:
    policy = PollPolicy(interval=INTERVAL, fast_phase=1e9, jitter=0.0)
    async with AsyncExtend(job["token"], base_url=job["url"], max_concurrency=CONCURRENCY) as c:
        finished = 0
        with Stopwatch() as watch:
            stream = c.batch_processor_runs.wait_many(job["ids"], poll=policy)
            async with stream:
                async for _, outcome in stream:
                    if isinstance(outcome, BaseException):
                        raise outcome
                    finished += 1
    return {"cpu": watch.sample.cpu, "wall": watch.sample.wall, "finished": finished}


async def poll_each(ids: list[str], is_done: Callable[[str], Awaitable[bool]]) -> dict[str, Any]:
    """One task per id: ``is_done`` (one GET), then sleep ``INTERVAL``, until it is."""

    async def until_done(run_id: str) -> None:
        while True:
            if await is_done(run_id):
                return
            await asyncio.sleep(INTERVAL)

    with Stopwatch() as watch:
        await asyncio.gather(*(until_done(run_id) for run_id in ids))
    return {"cpu": watch.sample.cpu, "wall": watch.sample.wall, "finished": len(ids)}


async def tasks_run(job: Job) -> dict[str, Any]:
    async with AsyncExtend(job["token"], base_url=job["url"], max_concurrency=CONCURRENCY) as c:
        get = c.batch_processor_runs.get

        async def is_done(run_id: str) -> bool:
            return (await get(run_id)).is_terminal

        return await poll_each(job["ids"], is_done)


async def raw_run(job: Job) -> dict[str, Any]:
    async with RawClient(job["url"], job["token"], CONCURRENCY) as raw:

        async def is_done(run_id: str) -> bool:
            return (await raw.get_run(run_id))["status"] in TERMINAL

        return await poll_each(job["ids"], is_done)


RUNNERS: Mapping[str, Callable[[Job], Awaitable[dict[str, Any]]]] = {
    WAIT_MANY: wait_many_run,
    TASKS: tasks_run,
    RAW: raw_run,
}


def in_child(job: Job) -> dict[str, Any]:
    return run_bounded(RUNNERS[job["variant"]](job), LIMIT_SECONDS)


def measure(scenario: Scenario, own_cpu: bool, variant: str) -> dict[str, Any]:
    """One run of ``variant`` against a freshly seeded server."""
    with start_fake(scenario, own_cpu=own_cpu) as fake:
        result = measure_against(fake, __file__, {"variant": variant}, limit=LIMIT_SECONDS)
        if result["finished"] != scenario.runs:
            raise RuntimeError(f"{variant}: {result['finished']} of {scenario.runs} finished")
        return {**result, "cpus": fake.cpus}


Runs = dict[str, list[dict[str, Any]]]


def measure_all(scenario: Scenario, variants: list[str], repeats: int, own_cpu: bool) -> Runs:
    """Every run of every variant."""
    jobs = {name: partial(measure, scenario, own_cpu, name) for name in variants}
    return rotate(jobs, repeats)


def medians(results: Runs) -> dict[str, dict[str, float]]:
    return {name: median_fields(runs) for name, runs in results.items()}


def table(title: str, results: Runs) -> Report:
    report = Report(
        title=title,
        columns=[
            "client",
            "wall s",
            "requests (server)",
            "requests/s",
            "client CPU s",
            "client CPU µs/request",
            "server CPU µs/request",
            "peak RSS MiB",
            "RSS growth MiB",
        ],
        process_rss=False,
    )
    for name, figures in medians(results).items():
        requests = figures["requests"]
        row: list[Cell] = [
            name,
            figures["wall"],
            int(requests),
            requests / figures["wall"],
            figures["cpu"],
            figures["cpu"] / requests * 1e6,
            figures["server_cpu"] / requests * 1e6,
            figures["peak_rss_mib"],
            figures["peak_rss_mib"] - figures["start_rss_mib"],
        ]
        report.rows.append(row)
    return report


def ratios(report: Report, results: Runs, *, goal: bool) -> Report:
    median = medians(results)
    ours, floor = median[WAIT_MANY], median[RAW]
    wall = ours["wall"] / floor["wall"]
    report.metrics["wait_many wall ÷ raw aiohttp loop wall"] = wall
    report.metrics["wait_many CPU/request ÷ raw aiohttp loop CPU/request"] = (
        ours["cpu"] / ours["requests"] / (floor["cpu"] / floor["requests"])
    )
    if TASKS in median:
        tasks = median[TASKS]["wall"]
        report.metrics["wait_many wall ÷ task-per-run (SDK) wall"] = ours["wall"] / tasks
    if goal:
        met = verdict(wall <= WALL_RATIO_GOAL)
        spread = round_ratios(results[WAIT_MANY], results[RAW], "wall")
        report.notes.append(f"goal: wall ratio <= {WALL_RATIO_GOAL} ({met}; {spread})")
    return report


def profile(scenario: Scenario, own_cpu: bool) -> None:
    """cProfile one ``wait_many`` against one raw loop, each on a fresh server."""

    def once(runner: Callable[[Job], Awaitable[dict[str, Any]]]) -> Callable[[], object]:
        def run() -> object:
            with start_fake(scenario, own_cpu=own_cpu) as fake:
                job: Job = {"url": fake.url, "token": fake.token, "ids": fake.ids}
                return run_bounded(runner(job), LIMIT_SECONDS)

        return run

    low, high = scenario.finish_after_polls or (1, 1)
    requests = round(scenario.runs * (low + high) / 2)
    profile_difference(once(wait_many_run), once(raw_run), requests, timer=time.process_time)


def main() -> None:
    if child_main(in_child):
        return
    options = parse_options(
        __doc__ or "", default_repeats=3, profiling=True, configure=add_cpu_option
    )
    own_cpu = not options.extra.shared_cpus
    big = Scenario(runs=RUNS, finish_after_polls=POLLS, seed=1)
    small = Scenario(runs=SMALL_RUNS, finish_after_polls=SMALL_POLLS, seed=2)
    each = f"cap {CONCURRENCY}, every {INTERVAL * 1000:.0f} ms, medians of {options.repeats}"
    big_results = measure_all(big, [WAIT_MANY, TASKS, RAW], options.repeats, own_cpu)
    small_results = measure_all(small, [WAIT_MANY, RAW], options.repeats, own_cpu)
    reports = [
        ratios(
            table(f"Polling {RUNS:,} runs finishing on GET 3 to 5, {each}", big_results),
            big_results,
            goal=False,
        ),
        ratios(
            table(f"Polling {SMALL_RUNS:,} runs finishing on GET 4, {each}", small_results),
            small_results,
            goal=True,
        ),
    ]
    reports[0].notes.append(big_results[WAIT_MANY][0]["cpus"])
    emit_all(reports, options)
    if options.profile:
        profile(small, own_cpu)


if __name__ == "__main__":
    main()
