"""Rate limit: ``wait_many`` over 10,000 runs against a server that allows 50 requests/s.

The fake Extend API (``_fake_process.py``, another process) holds ``--runs`` runs
(default 10,000), each finishing at a random moment (fixed seed) in the first
``--duration`` seconds (default 60), and answers 429 past ``--rate-limit`` requests per
second (default 50). A client in a fresh interpreter,
``AsyncExtend(max_requests_per_second=50 * --pace, max_concurrency=32)``, drains
``batch_processor_runs.wait_many(ids)`` with the default ``PollPolicy`` and notes when
it yields each run. The server reports requests and 429s; each run's delay is the
moment the client yielded it minus the moment it finished on the server (both on the
system-wide monotonic clock).

No client can poll 10,000 runs more than once per 10,000 / 45 = 222 s at 45 requests/s,
so the delay is mostly the request budget. The "ideal" columns say how well anything
could do on the same budget: a client that knows every finish time and polls each run
once, as soon as it has finished, never faster than the same pace.

Memory: the same with ``--baseline-runs`` runs (default 1,000) finishing over a
proportionally shorter spread, in its own interpreter; the peak RSS of both shows what
the wait holds per run. Run: ``python bench/bench_rate_limit.py [--runs N] [--duration
S] [--baseline-runs N] [--repeats N] [--json PATH]``; the defaults take about five
minutes.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from _common import (
    Cell,
    Job,
    Report,
    Scenario,
    Stopwatch,
    add_cpu_option,
    child_main,
    emit,
    mean,
    measure_against,
    median_fields,
    parse_options,
    percentile,
    rotate,
    run_bounded,
    start_fake,
    verdict,
)

from extend_async import AsyncExtend

CONCURRENCY = 32
SLACK_SECONDS = 120.0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=10_000, help="runs to wait for")
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds over which the runs finish"
    )
    parser.add_argument(
        "--baseline-runs",
        type=int,
        default=1_000,
        help="a smaller run for comparison (memory); 0 skips it",
    )
    parser.add_argument("--rate-limit", type=int, default=50, help="server requests/s")
    parser.add_argument(
        "--pace", type=float, default=0.9, help="client requests/s as a fraction of the limit"
    )
    parser.add_argument("--seed", type=int, default=3)
    add_cpu_option(parser)


async def wait_run(job: Job) -> dict[str, Any]:
    ids: list[str] = job["ids"]
    seen: dict[str, float] = {}
    failures = 0
    client = AsyncExtend(
        job["token"],
        base_url=job["url"],
        max_concurrency=CONCURRENCY,
        max_requests_per_second=job["rate"],
    )
    async with client:
        started = time.monotonic()
        with Stopwatch() as watch:
            async with client.batch_processor_runs.wait_many(ids) as stream:
                async for run_id, outcome in stream:
                    seen[run_id] = time.monotonic()
                    if isinstance(outcome, BaseException):
                        failures += 1
    return {
        "cpu": watch.sample.cpu,
        "wall": watch.sample.wall,
        "started": started,
        "seen": [seen[run_id] for run_id in ids],
        "failures": failures,
    }


def in_child(job: Job) -> dict[str, Any]:
    return run_bounded(wait_run(job), job["limit"])


def ideal_delays(finish_at: Sequence[float], started: float, rate: float) -> list[float]:
    """Delays of a client that polls each run once, right after it finishes (or when
    it starts), at most ``rate`` requests/s."""
    gap = 1.0 / rate
    polled = started - gap
    delays = []
    for finished in sorted(finish_at):
        polled = max(finished, started, polled + gap)
        delays.append(polled - finished)
    return delays


def measure(scenario: Scenario, rate: float, own_cpu: bool) -> dict[str, Any]:
    """One wait over a freshly seeded server: figures for one table row."""
    assert scenario.finish_after is not None
    limit = 3 * scenario.runs / rate + scenario.finish_after[1] + SLACK_SECONDS
    with start_fake(scenario, own_cpu=own_cpu) as fake:
        job: Job = {"variant": "wait_many", "rate": rate, "limit": limit}
        result = measure_against(fake, __file__, job, limit=limit)
        assert fake.finish_at is not None
        finish_at, cpus = fake.finish_at, fake.cpus
    delays = [seen - finished for seen, finished in zip(result["seen"], finish_at, strict=True)]
    ideal = ideal_delays(finish_at, result["started"], rate)
    return {
        **{key: value for key, value in result.items() if key != "seen"},
        "mean_delay": mean(delays),
        "p95_delay": percentile(delays, 95),
        "max_delay": max(delays),
        "ideal_mean": mean(ideal),
        "ideal_p95": percentile(ideal, 95),
        "cpus": cpus,
    }


def row(scenario: Scenario, figures: dict[str, float]) -> list[Cell]:
    assert scenario.finish_after is not None
    return [
        scenario.runs,
        scenario.finish_after[1],
        figures["wall"],
        figures["requests"],
        figures["requests"] / scenario.runs,
        figures["rate_limited"],
        figures["requests"] / figures["wall"],
        figures["mean_delay"],
        figures["p95_delay"],
        figures["ideal_mean"],
        figures["ideal_p95"],
        figures["cpu"],
        figures["peak_rss_mib"],
    ]


COLUMNS = [
    "runs",
    "finish spread s",
    "wall s",
    "requests (server)",
    "GETs/run",
    "429s",
    "requests/s",
    "mean delay s",
    "p95 delay s",
    "ideal mean s",
    "ideal p95 s",
    "client CPU s",
    "peak RSS MiB",
]


def scenarios(args: argparse.Namespace) -> list[Scenario]:
    sizes = [args.baseline_runs, args.runs] if args.baseline_runs else [args.runs]
    return [
        Scenario(
            runs=runs,
            seed=args.seed,
            finish_after=(0.0, args.duration * runs / args.runs),
            rate_limit=args.rate_limit,
        )
        for runs in sizes
    ]


def main() -> None:
    if child_main(in_child):
        return
    options = parse_options(__doc__ or "", default_repeats=1, configure=configure)
    args = options.extra
    rate = args.rate_limit * args.pace
    chosen = scenarios(args)
    jobs = {
        str(scenario.runs): partial(measure, scenario, rate, not args.shared_cpus)
        for scenario in chosen
    }
    results = rotate(jobs, options.repeats)
    report = Report(
        title=(
            f"wait_many under a {args.rate_limit} requests/s limit, client paced at "
            f"{rate:g}/s, cap {CONCURRENCY}, default PollPolicy, "
            f"{'median of' if options.repeats > 1 else 'runs:'} {options.repeats}"
        ),
        columns=COLUMNS,
        process_rss=False,
    )
    medians = {scenario.runs: median_fields(results[str(scenario.runs)]) for scenario in chosen}
    report.rows += [row(scenario, medians[scenario.runs]) for scenario in chosen]
    rejected = sum(run["rate_limited"] for runs in results.values() for run in runs)
    failed = sum(run["failures"] for runs in results.values() for run in runs)
    report.metrics["429 responses, all runs"] = rejected
    report.metrics["runs that ended in an error"] = failed
    report.notes.append(f"goal: no 429 ({verdict(rejected == 0)})")
    if args.baseline_runs:
        small, big = medians[args.baseline_runs], medians[args.runs]
        growth = big["peak_rss_mib"] - small["peak_rss_mib"]
        extra_runs = args.runs - args.baseline_runs
        span = f"{args.baseline_runs:,} to {args.runs:,} runs"
        report.metrics[f"peak RSS growth from {span}, MiB"] = growth
        report.metrics["the same per extra run, KiB"] = growth * 1024 / extra_runs
    report.notes.append(results[str(chosen[-1].runs)][0]["cpus"])
    emit(report, options)


if __name__ == "__main__":
    main()
