"""Latency of the fake Extend server under 2,000 concurrent GETs.

The fake runs in a child process (on the real clock), and this process fires the GETs
from a bare aiohttp session, so the figures describe the server and the loopback, not
our client. The first round opens every connection (cold); the later rounds reuse them
(warm) and are summarised by their medians.

    python bench/bench_fake_server.py [--concurrency 2000] [--rounds 5] [--runs 100]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from multiprocessing.connection import Connection

import aiohttp

from extend_async import SystemClock
from extend_async.testing import FakeExtendServer


def _serve(conn: Connection, runs: int) -> None:
    asyncio.run(_serve_until_told(conn, runs))


async def _serve_until_told(conn: Connection, runs: int) -> None:
    fake = FakeExtendServer(clock=SystemClock())
    ids = [run.id for run in fake.seed_batch_runs(runs)]
    async with fake:
        conn.send((fake.url, fake.token, ids))
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)


async def _one_round(
    session: aiohttp.ClientSession, urls: list[str], headers: dict[str, str]
) -> list[float]:
    go = asyncio.Event()

    async def get(url: str) -> float:
        await go.wait()
        started = time.perf_counter()
        async with session.get(url, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {url} -> {response.status}")
        return time.perf_counter() - started

    tasks = [asyncio.create_task(get(url)) for url in urls]
    await asyncio.sleep(0)  # every task is parked on the event: release them together
    go.set()
    return await asyncio.gather(*tasks)


def _percentiles(latencies: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, max(latencies) * 1000


async def _measure(url: str, token: str, ids: list[str], args: argparse.Namespace) -> None:
    headers = {"Authorization": f"Bearer {token}", "x-extend-api-version": "2025-04-21"}
    urls = [f"{url}/batch_processor_runs/{ids[i % len(ids)]}" for i in range(args.concurrency)]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        rounds = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            latencies = await _one_round(session, urls, headers)
            rounds.append((time.perf_counter() - started, *_percentiles(latencies)))

    print(f"fake server, {args.concurrency} concurrent GETs, {args.rounds} rounds")
    print(f"{'round':<8}{'wall ms':>10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for number, (wall, p50, p95, top) in enumerate(rounds, 1):
        label = f"{number} cold" if number == 1 else str(number)
        print(f"{label:<8}{wall * 1000:>10.1f}{p50:>10.1f}{p95:>10.1f}{top:>10.1f}")
    warm = rounds[1:] or rounds
    print(
        f"warm median: p50 {statistics.median(r[1] for r in warm):.1f} ms, "
        f"p95 {statistics.median(r[2] for r in warm):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=100, help="distinct runs to spread GETs over")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=_serve, args=(theirs, args.runs), daemon=True)
    server.start()
    try:
        url, token, ids = ours.recv()
        asyncio.run(_measure(url, token, ids, args))
    finally:
        ours.send("stop")
        server.join(timeout=10)


if __name__ == "__main__":
    main()
