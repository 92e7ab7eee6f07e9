"""Upload: a 1 GiB file to the fake Extend API in another process, against raw aiohttp and curl.

The fake (``_fake_process.py``, keeping only each upload's size and SHA-256, so no disk
write slows it) runs on a CPU of its own. Each client, in a fresh interpreter, uploads a
1 MiB file first (warm-up: the session, the code paths), notes its peak RSS, then
times the upload of the big one: ``AsyncExtend().files.upload(path)``; the blocking
``Extend().files.upload(path)``; raw aiohttp posting the same open file in an
``aiohttp.FormData`` (aiohttp's own streamed file payload: the baseline); and ``curl -F
file=@path`` when curl is installed. Every upload must reach the fake whole (its size and
SHA-256 are checked). Reported: MB/s (10^6 bytes per second of wall time), client CPU,
the peak RSS growth over the upload, and the server's CPU over it; then, untimed, the
async clients upload a 64 MiB file while a 5 ms ticker runs on their loop, whose
largest delay is the worst event-loop stall (a ticker during the timed upload would
slow it). As a cross-check of the throughput ratio, one more interpreter per round
uploads the big file through ours and raw aiohttp in turn, each way round. Goals: RSS
growth under 64 MiB, and throughput within 1.2x of raw aiohttp's and curl's (their MB/s
over ours). Run: ``python bench/bench_upload.py [--size-mib N] [--repeats N] [--json
PATH] [--shared-cpus]`` (1 GiB takes about a minute per repeat).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from statistics import median
from typing import IO, Any

import aiohttp
from _common import (
    Cell,
    Fake,
    Job,
    Report,
    Scenario,
    Stopwatch,
    add_cpu_option,
    child_main,
    emit,
    measure_in_child,
    median_fields,
    parse_options,
    peak_rss_mib,
    rotate,
    round_ratios,
    run_bounded,
    start_fake,
    verdict,
)

from extend_async import AsyncExtend, Extend

MIB = 1 << 20
WARM_UP_BYTES = MIB
PROBE_BYTES = 64 * MIB
LIMIT_SECONDS = 600.0
RSS_GOAL_MIB = 64.0
SPEED_GOAL = 1.2
TICK = 0.005

ASYNC = "files.upload (AsyncExtend)"
SYNC = "files.upload (Extend)"
RAW = "raw aiohttp FormData (baseline)"
CURL = "curl -F"
IN_TURN = "AsyncExtend and raw aiohttp in turn, one interpreter"


class LoopLag:
    """The longest the event loop was late waking a 5 ms ticker: what a blocking read
    on the loop would show as a stall."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            self.worst = max(self.worst, time.perf_counter() - started - TICK)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


def figures(
    watch: Stopwatch, before_rss: float, after_rss: float, lag: LoopLag | None
) -> dict[str, Any]:
    """One variant's figures; the RSS peaks are taken just before and just after the
    timed upload, so the growth is that upload's alone."""
    return {
        "cpu": watch.sample.cpu,
        "wall": watch.sample.wall,
        "before_rss_mib": before_rss,
        "after_rss_mib": after_rss,
        "loop_lag_ms": None if lag is None else lag.worst * 1000,
    }


async def async_run(job: Job) -> dict[str, Any]:
    async with AsyncExtend(job["token"], base_url=job["url"]) as client:
        await client.files.upload(job["warm_up"])
        before = peak_rss_mib()
        with Stopwatch() as watch:
            await client.files.upload(job["path"])
        after = peak_rss_mib()
        with LoopLag() as lag:
            await client.files.upload(job["probe"])
    return figures(watch, before, after, lag)


def sync_run(job: Job) -> dict[str, Any]:
    with Extend(job["token"], base_url=job["url"]) as client:
        client.files.upload(job["warm_up"])
        before = peak_rss_mib()
        with Stopwatch() as watch:
            client.files.upload(job["path"])
        after = peak_rss_mib()
    return figures(watch, before, after, None)


async def raw_post(session: aiohttp.ClientSession, url: str, file: IO[bytes]) -> None:
    form = aiohttp.FormData()
    form.add_field("file", file, filename=os.path.basename(file.name))
    async with session.post(f"{url}/files/upload", data=form) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"raw aiohttp upload: status {response.status}")


async def raw_aiohttp(job: Job, files: Mapping[str, IO[bytes]]) -> dict[str, Any]:
    probe = AsyncExtend(job["token"], base_url=job["url"])
    headers = dict(probe.config.headers)  # the very headers our client sends
    await probe.close()
    async with aiohttp.ClientSession(headers=headers) as session:
        await raw_post(session, job["url"], files["warm_up"])
        before = peak_rss_mib()
        with Stopwatch() as watch:
            await raw_post(session, job["url"], files["path"])
        after = peak_rss_mib()
        with LoopLag() as lag:
            await raw_post(session, job["url"], files["probe"])
    return figures(watch, before, after, lag)


def with_files(
    work: Callable[[Job, Mapping[str, IO[bytes]]], Awaitable[dict[str, Any]]], seconds: float
) -> Callable[[Job], dict[str, Any]]:
    """Run ``work`` with the job's files open (opened here, off the event loop)."""

    def run(job: Job) -> dict[str, Any]:
        with ExitStack() as stack:
            keys = ("warm_up", "path", "probe")
            files = {key: stack.enter_context(Path(job[key]).open("rb")) for key in keys}
            return run_bounded(work(job, files), seconds)

    return run


def curl_run(job: Job) -> dict[str, Any]:
    headers = [f"Authorization: Bearer {job['token']}", "x-extend-api-version: 2025-04-21"]
    command = ["curl", "-sS", "--fail", "-o", os.devnull, "-H", "Expect:"]
    for header in headers:
        command += ["-H", header]
    url = f"{job['url']}/files/upload"
    subprocess.run([*command, "-F", f"file=@{job['warm_up']}", url], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*command, "-F", f"file=@{job['path']}", url], check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"cpu": cpu, "wall": wall, "before_rss_mib": None, "after_rss_mib": None}


async def in_turn(job: Job, files: Mapping[str, IO[bytes]]) -> dict[str, Any]:
    """Ours and raw aiohttp in one interpreter, the big file each way round (ours
    first, then raw first): no difference between two processes can skew this ratio."""
    probe = AsyncExtend(job["token"], base_url=job["url"])
    headers = dict(probe.config.headers)
    await probe.close()
    async with (
        AsyncExtend(job["token"], base_url=job["url"]) as client,
        aiohttp.ClientSession(headers=headers) as session,
    ):

        async def ours() -> None:
            await client.files.upload(job["path"])

        async def raw() -> None:
            big = await asyncio.to_thread(Path(job["path"]).open, "rb")
            with big:  # aiohttp closes it too, once sent
                await raw_post(session, job["url"], big)

        await client.files.upload(job["warm_up"])
        await raw_post(session, job["url"], files["warm_up"])
        walls: dict[str, float] = {"ours": 0.0, "raw": 0.0}
        for order in (("ours", "raw"), ("raw", "ours")):
            for name in order:
                started = time.perf_counter()
                await (ours() if name == "ours" else raw())
                walls[name] += time.perf_counter() - started
    return {"ratio": walls["ours"] / walls["raw"]}


RUNS: Mapping[str, Callable[[Job], dict[str, Any]]] = {
    ASYNC: lambda job: run_bounded(async_run(job), LIMIT_SECONDS),
    SYNC: sync_run,
    RAW: with_files(raw_aiohttp, LIMIT_SECONDS),
    CURL: curl_run,
    IN_TURN: with_files(in_turn, 4 * LIMIT_SECONDS),
}


def in_child(job: Job) -> dict[str, Any]:
    return RUNS[job["variant"]](job)


def make_file(path: Path, size: int) -> str:
    """Write ``size`` bytes that do not compress (a random MiB, repeated); their SHA-256."""
    block = os.urandom(MIB)
    digest = hashlib.sha256()
    with path.open("wb") as file:
        left = size
        while left:
            piece = block[: min(left, MIB)]
            file.write(piece)
            digest.update(piece)
            left -= len(piece)
    return digest.hexdigest()


def measure(fake: Fake, job: Job, expected: tuple[int, str], variant: str) -> dict[str, Any]:
    before = fake.stats()
    result = measure_in_child(__file__, {**job, "variant": variant}, limit=LIMIT_SECONDS)
    result["server_cpu"] = fake.stats().cpu - before.cpu
    arrived = fake.uploads()[-1 if variant in (SYNC, CURL) else -2]
    if arrived != expected:
        raise RuntimeError(f"{variant}: the fake got {arrived}, not {expected}")
    return result


def cross_check(fake: Fake, job: Job, expected: tuple[int, str]) -> float:
    """One round of :func:`in_turn`: raw aiohttp's MB/s over ours."""
    job = {**job, "variant": IN_TURN}
    ratio = float(measure_in_child(__file__, job, limit=4 * LIMIT_SECONDS)["ratio"])
    if fake.uploads()[-4:] != [expected] * 4:
        raise RuntimeError(f"{IN_TURN}: the fake did not get the file whole four times")
    return ratio


def table(results: dict[str, list[dict[str, Any]]], size: int, repeats: int) -> Report:
    columns = ["client", "MB/s", "client CPU s", "server CPU s", "peak RSS MiB"]
    columns += ["RSS growth MiB", "worst loop stall ms"]
    title = f"Upload of {size / MIB:,.0f} MiB to the fake in another process, medians of {repeats}"
    report = Report(title=title, columns=columns, process_rss=False)
    for name, runs in results.items():
        median = median_fields(runs)
        row: list[Cell] = [name, size / 1e6 / median["wall"], median["cpu"], median["server_cpu"]]
        if "before_rss_mib" in median:
            growth = max(run["after_rss_mib"] - run["before_rss_mib"] for run in runs)
            row += [median["after_rss_mib"], growth]
        else:
            row += ["-", "-"]
        row.append(median.get("loop_lag_ms", "-"))
        report.rows.append(row)
    return report


def with_goals(report: Report, results: dict[str, list[dict[str, Any]]]) -> Report:
    ours = median_fields(results[ASYNC])
    for name in (SYNC, ASYNC):
        growth = max(run["after_rss_mib"] - run["before_rss_mib"] for run in results[name])
        report.metrics[f"{name}: largest RSS growth MiB"] = growth
        report.notes.append(
            f"goal: {name} RSS growth < {RSS_GOAL_MIB:.0f} MiB ({verdict(growth < RSS_GOAL_MIB)})"
        )
    for name in (RAW, CURL):
        if name not in results:
            continue
        ratio = ours["wall"] / median_fields(results[name])["wall"]
        report.metrics[f"{name} MB/s ÷ AsyncExtend MB/s"] = ratio
        spread = round_ratios(results[ASYNC], results[name], "wall")
        met = verdict(ratio <= SPEED_GOAL)
        report.notes.append(
            f"goal: {name} at most {SPEED_GOAL}x AsyncExtend's MB/s ({met}; wall ratio {spread})"
        )
    sync = median_fields(results[SYNC])["wall"] / ours["wall"]
    report.metrics["Extend wall ÷ AsyncExtend wall"] = sync
    if CURL not in results:
        report.notes.append("curl not found: its row is skipped")
    return report


def add_options(parser: argparse.ArgumentParser) -> None:
    add_cpu_option(parser)
    parser.add_argument(
        "--size-mib", type=int, default=1024, help="size of the uploaded file (default 1024)"
    )


def main() -> None:
    if child_main(in_child):
        return
    options = parse_options(__doc__ or "", default_repeats=3, configure=add_options)
    size = options.extra.size_mib * MIB
    names = [ASYNC, SYNC, RAW] + ([CURL] if shutil.which("curl") else [])
    limit = max(size, PROBE_BYTES) + MIB
    scenario = Scenario(runs=0, keep_uploads=False, max_upload_size=limit)
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as folder:
        path, warm_up = Path(folder) / "big.pdf", Path(folder) / "warm-up.pdf"
        probe = Path(folder) / "probe.pdf"
        expected = (size, make_file(path, size))
        make_file(warm_up, WARM_UP_BYTES)
        make_file(probe, PROBE_BYTES)
        with start_fake(scenario, own_cpu=not options.extra.shared_cpus) as fake:
            job: Job = {"url": fake.url, "token": fake.token, "path": str(path)}
            job.update(warm_up=str(warm_up), probe=str(probe))
            runs = {name: partial(measure, fake, job, expected, name) for name in names}
            results = rotate(runs, options.repeats)
            report = with_goals(table(results, size, options.repeats), results)
            ratios = [cross_check(fake, job, expected) for _ in range(options.repeats)]
            report.metrics[f"{RAW} MB/s ÷ AsyncExtend MB/s, in turn"] = median(ratios)
            listed = ", ".join(f"{ratio:.2f}" for ratio in ratios)
            report.notes.append(f"cross-check, {IN_TURN}, 2 uploads each a round: {listed}")
            report.notes.append(fake.cpus)
    emit(report, options)


if __name__ == "__main__":
    main()
