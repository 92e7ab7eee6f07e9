"""Sequential calls: the blocking ``Extend`` against ``AsyncExtend`` and the official SDK.

500 ``batch_processor_runs.get`` calls one after another against the loopback server
(another process), after a warm-up: through ``Extend`` (each call crosses to the
client's portal thread and back), through ``AsyncExtend`` inside one ``asyncio.run``
(no thread hop), and through the official ``extend-ai`` sync client when it is
installed. Run: ``python bench/bench_sync.py``.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import Any

from _common import (
    TOKEN,
    Report,
    Sample,
    Stopwatch,
    alternate,
    emit,
    official_available,
    parse_options,
    run_ids,
    start_server,
)

from extend_async import AsyncExtend, Extend

CALLS = 500
WARM_UP = 20
SYNC_RATIO_GOAL = 2.0
OFFICIAL = "official extend-ai sync"


def timed_sequence(get: Callable[[str], object]) -> Sample:
    """Warm up (connection, portal thread, caches), then time ``CALLS`` calls in a row."""
    for run_id in run_ids(WARM_UP):
        get(run_id)
    ids = run_ids(CALLS)
    with Stopwatch() as watch:
        for run_id in ids:
            get(run_id)
    return watch.sample


def sync_run(url: str) -> Sample:
    with Extend(TOKEN, base_url=url) as client:
        return timed_sequence(lambda run_id: client.batch_processor_runs.get(run_id))


async def async_sequence(url: str) -> Sample:
    async with AsyncExtend(TOKEN, base_url=url) as client:
        for run_id in run_ids(WARM_UP):
            await client.batch_processor_runs.get(run_id)
        ids = run_ids(CALLS)
        with Stopwatch() as watch:
            for run_id in ids:
                await client.batch_processor_runs.get(run_id)
        return watch.sample


def async_run(url: str) -> Sample:
    return asyncio.run(async_sequence(url))


def official_run(url: str) -> Sample:
    # Imported by name: the official SDK (and its httpx) live only in the bench venv.
    httpx: Any = importlib.import_module("httpx")
    official: Any = importlib.import_module("extend_ai")
    with httpx.Client(timeout=60.0) as http:
        client = official.Extend(token=TOKEN, base_url=url, httpx_client=http)
        return timed_sequence(lambda run_id: client.batch_processor_run.get(run_id))


def build_report(results: dict[str, Sample]) -> Report:
    report = Report(
        title=f"{CALLS} sequential get calls, medians",
        columns=["client", "calls/s", "wall µs/call", "client CPU µs/call"],
    )
    for name, sample in results.items():
        report.rows.append(
            [name, CALLS / sample.wall, sample.wall / CALLS * 1e6, sample.cpu / CALLS * 1e6]
        )
    sync, async_ = results["Extend (sync)"], results["AsyncExtend"]
    report.metrics["portal overhead per call, sync - async (wall µs)"] = (
        (sync.wall - async_.wall) / CALLS * 1e6
    )
    report.metrics["portal overhead per call, sync - async (CPU µs)"] = (
        (sync.cpu - async_.cpu) / CALLS * 1e6
    )
    official = results.get(OFFICIAL)
    if official is None:
        report.notes.append(
            "official extend-ai not installed: skipped (run with a Python that has "
            "extend-ai==0.2.0 to include it)"
        )
        return report
    ratio = official.wall / sync.wall
    report.metrics["Extend calls/s / official calls/s"] = ratio
    verdict = "met" if ratio >= SYNC_RATIO_GOAL else "MISSED"
    report.notes.append(f"goal: Extend >= {SYNC_RATIO_GOAL}x the official sync client ({verdict})")
    return report


def main() -> None:
    options = parse_options(__doc__ or "")
    with start_server() as server:
        url = server.url
        variants: dict[str, Callable[[], Sample]] = {
            "Extend (sync)": lambda: sync_run(url),
            "AsyncExtend": lambda: async_run(url),
        }
        if official_available():
            variants[OFFICIAL] = lambda: official_run(url)
        emit(build_report(alternate(variants, options.repeats)), options)


if __name__ == "__main__":
    main()
