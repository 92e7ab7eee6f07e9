"""Listing: ``async for`` over 10,000 processor run summaries, against a raw aiohttp loop.

The server (``_pages_server.py``, another process) serves canned pages recorded from the
package's fake: 10,000 runs seeded with ``fake.processor_runs.add``, listed 100 to a page
by their ``nextPageToken``. Both clients walk all 100 pages, one request at a time:

- ``async for summary in client.processor_runs.list(page_size=100)`` on ``AsyncExtend``:
  every summary a typed ``ProcessorRunSummary``;
- the floor: one aiohttp session with the same headers, a loop sending the same query
  (``maxPageSize=100``, then each page's ``nextPageToken``), ``json.loads`` of each
  body, the items taken as dicts;
- the floor with each decoded page structured as the client does
  (``Endpoint.parse``): what the typed models cost, apart from the client's pipeline
  and its item generator.

The client decodes with msgspec when the ``speedups`` extra is installed (``nox -s
bench`` installs it); then the client is also timed with the standard library's
decoder, what a bare install costs, with the floor of the same run.

As a cross-check of the ratio, both clients then walk in turn in one loop, 20 pairs of
walks, each pair giving a ratio. A second table times the pieces of one page alone,
with no socket: ``json.loads``, the client's decoder, and structuring the page.

Each measured run opens its client, walks 5 pages (warm-up: the connection, caches),
then times 5 whole walks (figures are per walk). Variants alternate, the order
rotating each round; figures are medians of ``--repeats`` rounds (default 15). Client
CPU is this process's ``process_time``; "server CPU" is the page server's over the same
walks. The server gets a CPU of its own (``--shared-cpus`` turns that off), since the
goal is about the client's CPU per item (at most 1.3x the floor's). Run: ``python
bench/bench_pager.py [--repeats N] [--json PATH] [--profile] [--shared-cpus]``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import timeit
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
from _common import (
    PagesServer,
    Report,
    Stopwatch,
    add_cpu_option,
    emit_all,
    parse_options,
    profile_difference,
    rotate,
    round_ratios,
    start_pages_server,
    verdict,
)

from extend_async import AsyncExtend
from extend_async import _json as client_json
from extend_async.models import ProcessorRunSummary
from extend_async.resources import ENDPOINTS

ITEMS = 10_000
PAGE_SIZE = 100
WARM_UP_PAGES = 5
WALKS = 5  # timed walks over every page per measured run (one walk is ~0.1 s)
# Rounds scatter by a third on a shared machine (0.9 to 1.7 in one run): the median of
# 15 moves by a few hundredths from run to run, that of 5 by a tenth or more.
ROUNDS = 15
CPU_RATIO_GOAL = 1.3

SPEEDUPS = client_json.loads is not client_json.stdlib_loads
OURS = f"async for over processor_runs.list (AsyncExtend{', msgspec' if SPEEDUPS else ''})"
OURS_STDLIB = "the same, decoding with the standard library (no speedups extra)"
RAW = "raw aiohttp loop, json.loads (floor)"
RAW_TYPED = "the floor, each page structured by Endpoint.parse"

Walk = Callable[[int | None], Awaitable[int]]


async def extend_walk(client: AsyncExtend, pages: int | None) -> int:
    """Items of the first ``pages`` pages (all of them when None), as typed summaries."""
    count = 0
    if pages is None:
        async for summary in client.processor_runs.list(page_size=PAGE_SIZE):
            count += summary.id is not None
        return count
    async for page in client.processor_runs.list(page_size=PAGE_SIZE).pages():
        count += len(page.items)
        pages -= 1
        if not pages:
            break
    return count


async def raw_walk(
    session: aiohttp.ClientSession, url: str, pages: int | None, *, typed: bool = False
) -> int:
    """The same requests by hand: the query, the tokens, ``json.loads``, dicts. With
    ``typed``, each decoded page structured as the client does (``Endpoint.parse``):
    what typed models cost without the client's pipeline and its item generator."""
    parse = ENDPOINTS["list_processor_runs"].parse
    count = 0
    token: str | None = None
    while True:
        query = {"maxPageSize": str(PAGE_SIZE)}
        if token is not None:
            query["nextPageToken"] = token
        async with session.get(f"{url}/processor_runs", params=query) as response:
            body = await response.read()
            if response.status != 200:
                raise RuntimeError(f"page {token!r}: unexpected status {response.status}")
        decoded = json.loads(body)
        if typed:
            page: Any = parse(decoded)
            for summary in page.items:
                count += summary.id is not None
            token = page.next_page_token
        else:
            for item in decoded["processorRuns"]:
                count += item["id"] is not None
            token = decoded.get("nextPageToken")
        if pages is not None:
            pages -= 1
        if not token or pages == 0:
            return count


@contextlib.contextmanager
def stdlib_decoder() -> Iterator[None]:
    """The client decoding as a bare install does, for as long as this lasts."""
    installed = client_json.loads
    client_json.loads = client_json.stdlib_loads
    try:
        yield
    finally:
        client_json.loads = installed


async def extend_run(server: PagesServer, *, stdlib: bool = False) -> dict[str, Any]:
    with stdlib_decoder() if stdlib else contextlib.nullcontext():
        async with AsyncExtend(server.token, base_url=server.url) as client:
            return await timed(server, lambda pages: extend_walk(client, pages))


async def raw_run(server: PagesServer, typed: bool = False) -> dict[str, Any]:
    # The same headers AsyncExtend sends, so both sides put the same bytes on the wire.
    probe = AsyncExtend(server.token, base_url=server.url)
    headers = dict(probe.config.headers)
    await probe.close()
    async with aiohttp.ClientSession(headers=headers) as session:
        return await timed(server, lambda pages: raw_walk(session, server.url, pages, typed=typed))


async def timed(server: PagesServer, walk: Walk) -> dict[str, Any]:
    """Warm up on a few pages, then time ``WALKS`` walks over every page; per walk."""
    await walk(WARM_UP_PAGES)
    served, server_cpu = server.stats()
    with Stopwatch() as watch:
        items = [await walk(None) for _ in range(WALKS)]
    served_after, server_cpu_after = server.stats()
    if items != [server.items] * WALKS or served_after - served != server.pages * WALKS:
        raise RuntimeError(f"walked {items} items over {served_after - served} pages")
    return {
        "cpu": watch.sample.cpu / WALKS,
        "wall": watch.sample.wall / WALKS,
        "server_cpu": (server_cpu_after - server_cpu) / WALKS,
    }


PAIRED_WALKS = 20


async def paired_run(server: PagesServer) -> list[float]:
    """Both clients open in one loop, walk after walk in turn (ours, then the floor):
    the CPU ratio of each pair, which no drift between two rounds can skew."""
    async with AsyncExtend(server.token, base_url=server.url) as client:
        headers = dict(client.config.headers)
        async with aiohttp.ClientSession(headers=headers) as session:
            walks: list[Walk] = [
                lambda pages: extend_walk(client, pages),
                lambda pages: raw_walk(session, server.url, pages),
            ]
            for walk in walks:
                await walk(WARM_UP_PAGES)
            ratios = []
            for _ in range(PAIRED_WALKS):
                cpu = []
                for walk in walks:
                    with Stopwatch() as watch:
                        await walk(None)
                    cpu.append(watch.sample.cpu)
                ratios.append(cpu[0] / cpu[1])
            return ratios


def check_same_items(server: PagesServer) -> None:
    """Both walks see the same summaries, in the same order (typed on our side)."""

    async def both() -> tuple[list[str], list[str]]:
        async with AsyncExtend(server.token, base_url=server.url) as client:
            ours = [
                summary.id
                async for summary in client.processor_runs.list(page_size=PAGE_SIZE)
                if isinstance(summary, ProcessorRunSummary)
            ]
            headers = dict(client.config.headers)
        async with aiohttp.ClientSession(headers=headers) as session:
            theirs: list[str] = []
            token: str | None = None
            while True:
                query = {"maxPageSize": str(PAGE_SIZE)}
                if token is not None:
                    query["nextPageToken"] = token
                async with session.get(f"{server.url}/processor_runs", params=query) as r:
                    page = json.loads(await r.read())
                theirs += [summary["id"] for summary in page["processorRuns"]]
                token = page.get("nextPageToken")
                if not token:
                    return ours, theirs

    ours, theirs = asyncio.run(both())
    if ours != theirs or len(ours) != ITEMS:
        raise RuntimeError(f"the two walks differ: {len(ours)} against {len(theirs)} items")


def best_us(work: Callable[[], object], runs: int = 1_000, *, collect: bool = False) -> float:
    """µs per call of ``work``, the best of five timings; with ``collect``, with the
    garbage collector on (``timeit`` turns it off), as it is in the walks."""
    setup = "gc.enable()" if collect else "pass"
    return min(timeit.repeat(work, setup, number=runs, repeat=5)) / runs * 1e6


def pieces_alone(server: PagesServer) -> Report:
    """What one page costs the client, piece by piece, with no socket."""

    async def first_page() -> bytes:
        probe = AsyncExtend(server.token, base_url=server.url)
        headers = dict(probe.config.headers)
        await probe.close()
        async with aiohttp.ClientSession(headers=headers) as session:
            query = {"maxPageSize": str(PAGE_SIZE)}
            async with session.get(f"{server.url}/processor_runs", params=query) as response:
                return await response.read()

    body = asyncio.run(first_page())
    document = json.loads(body)
    endpoint = ENDPOINTS["list_processor_runs"]
    page = endpoint.parse(document)
    if len(page.items) != PAGE_SIZE:  # type: ignore[attr-defined]
        raise RuntimeError("the first page is not a full page")
    pieces = {
        "json.loads (what the floor decodes with)": best_us(lambda: json.loads(body)),
        "the same, garbage collector on": best_us(lambda: json.loads(body), collect=True),
        f"the client's decoder ({'msgspec' if SPEEDUPS else 'the standard library'})": (
            best_us(lambda: client_json.loads(body))
        ),
        "structuring the page (Endpoint.parse: 100 ProcessorRunSummary)": best_us(
            lambda: endpoint.parse(document)
        ),
        "the same, garbage collector on ": best_us(lambda: endpoint.parse(document), collect=True),
    }
    if SPEEDUPS:
        pieces["the standard library's decoder (no speedups extra)"] = best_us(
            lambda: client_json.stdlib_loads(body)
        )
    report = Report(
        title=f"One page of {PAGE_SIZE} summaries ({len(body) / 1024:.1f} KiB) alone, no "
        "socket (best of five timings; the collector off unless said)",
        columns=["piece", "µs per page", "µs per item"],
        rows=[[name, us, us / PAGE_SIZE] for name, us in pieces.items()],
        process_rss=False,
    )
    return report


def build_report(
    server: PagesServer, results: dict[str, list[dict[str, Any]]], paired: list[float]
) -> Report:
    report = Report(
        title=f"{ITEMS:,} processor run summaries in pages of {PAGE_SIZE}, one request at a "
        f"time, medians of {len(results[OURS])} rounds",
        columns=[
            "client",
            "client CPU µs/item",
            "client CPU ms/page",
            "wall items/s",
            "wall s",
            "server CPU ms/page",
        ],
    )
    medians = {}
    for name, runs in results.items():
        cpu = statistics.median(run["cpu"] for run in runs)
        wall = statistics.median(run["wall"] for run in runs)
        server_cpu = statistics.median(run["server_cpu"] for run in runs)
        medians[name] = cpu
        report.rows.append(
            [
                name,
                cpu / ITEMS * 1e6,
                cpu / server.pages * 1e3,
                ITEMS / wall,
                wall,
                server_cpu / server.pages * 1e3,
            ]
        )
    ratio = medians[OURS] / medians[RAW]
    report.metrics["client CPU per item, AsyncExtend ÷ raw aiohttp"] = ratio
    report.metrics["the floor structured ÷ the floor"] = medians[RAW_TYPED] / medians[RAW]
    report.metrics["AsyncExtend ÷ the floor structured"] = medians[OURS] / medians[RAW_TYPED]
    if OURS_STDLIB in medians:
        report.metrics["without the speedups extra, AsyncExtend ÷ raw aiohttp"] = (
            medians[OURS_STDLIB] / medians[RAW]
        )
    spread = round_ratios(results[OURS], results[RAW], "cpu")
    met = verdict(ratio <= CPU_RATIO_GOAL)
    report.notes.append(f"goal: ratio <= {CPU_RATIO_GOAL} ({met}; {spread})")
    report.metrics["the same, both clients in one loop, walks in turn (median)"] = (
        statistics.median(paired)
    )
    report.notes.append(
        f"walks in turn: {min(paired):.2f} to {max(paired):.2f} over {len(paired)} pairs"
    )
    report.notes.append(
        f"{server.pages} pages, {server.bytes / server.pages / 1024:.1f} KiB of JSON each on "
        "average, recorded from FakeExtendServer"
    )
    report.notes.append(server.cpus)
    return report


def main() -> None:
    options = parse_options(
        __doc__ or "", default_repeats=ROUNDS, profiling=True, configure=add_cpu_option
    )
    own_cpu = not options.extra.shared_cpus
    with start_pages_server(ITEMS, PAGE_SIZE, own_cpu=own_cpu) as server:
        if server.items != ITEMS:
            raise RuntimeError(f"the server holds {server.items} items, not {ITEMS}")
        check_same_items(server)
        variants = {
            OURS: lambda: asyncio.run(extend_run(server)),
            RAW: lambda: asyncio.run(raw_run(server)),
            RAW_TYPED: lambda: asyncio.run(raw_run(server, typed=True)),
        }
        if SPEEDUPS:
            variants[OURS_STDLIB] = lambda: asyncio.run(extend_run(server, stdlib=True))
        results = rotate(variants, options.repeats)
        paired = asyncio.run(paired_run(server))
        emit_all([build_report(server, results, paired), pieces_alone(server)], options)
        if options.profile:
            profile_difference(
                lambda: asyncio.run(extend_run(server)),
                lambda: asyncio.run(raw_run(server)),
                server.pages + WARM_UP_PAGES,
            )


if __name__ == "__main__":
    main()
