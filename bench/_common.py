"""What every benchmark shares: the loopback servers, timers, medians, options, output.

Client CPU is ``time.process_time()`` (every thread of this process, so the sync
client's portal thread counts too; the server runs in another process and does not).
Wall time is ``time.perf_counter()``.

Two servers, each in a child process: ``_server.py`` (one canned body, no checks) for
the per-call benchmarks, and ``_fake_process.py`` (the package's ``FakeExtendServer``
seeded with a :class:`Scenario`: run lifecycles, a rate limit, added latency, and
server-side counters) for fan-out, polling and rate limiting. Those benchmarks also run
each measured client in a fresh interpreter (:func:`measure_in_child`), so that every
variant gets its own peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import importlib.util
import json
import math
import os
import platform
import pstats
import queue
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeVar

__all__ = [
    "TOKEN",
    "Cell",
    "Fake",
    "FakeStats",
    "Job",
    "Options",
    "PagesServer",
    "RawClient",
    "Report",
    "Sample",
    "Scenario",
    "Server",
    "Stopwatch",
    "add_cpu_option",
    "alternate",
    "child_main",
    "cpu_per_call",
    "emit",
    "emit_all",
    "max_field",
    "mean",
    "measure_against",
    "measure_in_child",
    "median_fields",
    "median_sample",
    "parse_options",
    "percentile",
    "profile_difference",
    "rotate",
    "round_ratios",
    "run_bounded",
    "run_ids",
    "start_fake",
    "start_pages_server",
    "start_server",
    "verdict",
]

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")

#: The bearer token every benchmark client sends (the server checks nothing).
TOKEN = "bench-token"

_SERVER_SCRIPT = Path(__file__).with_name("_server.py")
_FAKE_SCRIPT = Path(__file__).with_name("_fake_process.py")
_PAGES_SCRIPT = Path(__file__).with_name("_pages_server.py")
_PAGES_READY_SECONDS = 180.0  # seeding and listing 10,000 runs on the fake takes ~10 s
_SERVER_STOP_SECONDS = 5.0
_SERVER_READY_SECONDS = 60.0
_STATS_SECONDS = 10.0
#: The CPUs this process may use before any pinning (a second fake re-splits these).
_CPUS_AT_START = frozenset(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else ()


class _Child:
    """A script run with this Python, its stdout read line by line on a thread, so that
    every read can give up after a timeout instead of hanging the benchmark."""

    def __init__(self, script: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._pump, args=(self.process.stdout,), daemon=True).start()

    def _pump(self, stdout: IO[str]) -> None:
        for line in stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def read_line(self, timeout: float) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no answer from the server within {timeout} s") from None
        if line is None:
            raise RuntimeError(f"the server exited (status {self.process.poll()})")
        return line

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        """SIGTERM (both servers stop cleanly on it), then SIGKILL if it hangs."""
        process = self.process
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(_SERVER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()


class Server(NamedTuple):
    """The running loopback server: its base URL and how to stop it.

    Use ``with start_server() as server:`` or call ``server.stop()`` yourself.
    """

    url: str
    stop: Callable[[], None]

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_server() -> Server:
    """Start ``_server.py`` in a child process and return once it listens."""
    child = _Child(_SERVER_SCRIPT)
    try:
        line = child.read_line(_SERVER_READY_SECONDS)
    except (TimeoutError, RuntimeError):
        line = ""
    if not line.isdigit():
        child.stop()
        raise RuntimeError(f"the benchmark server did not report its port (got {line!r})")
    return Server(f"http://127.0.0.1:{line}", child.stop)


@dataclass(frozen=True)
class Scenario:
    """What ``_fake_process.py`` serves: ``runs`` batch processor runs and how they end.

    With neither lifecycle the runs are PROCESSED from the start. ``finish_after_polls``
    ends each run on a GET number drawn uniformly from the range; ``finish_after`` ends
    it that many seconds (drawn uniformly, real time) after it was added. Draws come from
    ``seed``. ``rate_limit`` is the fake's requests per second; ``latency`` is added to
    every GET of a run before it is answered. ``keep_uploads=False`` makes the fake keep
    only each upload's size and hash (nothing on disk); ``max_upload_size`` is its limit.
    """

    runs: int
    seed: int = 0
    finish_after_polls: tuple[int, int] | None = None
    finish_after: tuple[float, float] | None = None
    rate_limit: int | None = None
    latency: float = 0.0
    keep_uploads: bool = True
    max_upload_size: int | None = None

    def argv(self) -> list[str]:
        args = ["--runs", str(self.runs), "--seed", str(self.seed)]
        if self.finish_after_polls is not None:
            args += ["--finish-after-polls", *map(str, self.finish_after_polls)]
        if self.finish_after is not None:
            args += ["--finish-after", *map(repr, self.finish_after)]
        if self.rate_limit is not None:
            args += ["--rate-limit", str(self.rate_limit)]
        if self.latency:
            args += ["--latency", repr(self.latency)]
        if not self.keep_uploads:
            args += ["--no-keep-uploads"]
        if self.max_upload_size is not None:
            args += ["--max-upload-size", str(self.max_upload_size)]
        return args

    @classmethod
    def parse(cls, argv: Sequence[str]) -> Scenario:
        """The inverse of :meth:`argv` (used by ``_fake_process.py``)."""
        parser = argparse.ArgumentParser(description="Serve a seeded fake Extend API.")
        parser.add_argument("--runs", type=int, required=True)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--finish-after-polls", type=int, nargs=2, metavar=("MIN", "MAX"))
        parser.add_argument("--finish-after", type=float, nargs=2, metavar=("MIN", "MAX"))
        parser.add_argument("--rate-limit", type=int)
        parser.add_argument("--latency", type=float, default=0.0)
        parser.add_argument("--no-keep-uploads", action="store_true")
        parser.add_argument("--max-upload-size", type=int)
        args = parser.parse_args(argv)
        polls, seconds = args.finish_after_polls, args.finish_after
        return cls(
            runs=args.runs,
            seed=args.seed,
            finish_after_polls=None if polls is None else (polls[0], polls[1]),
            finish_after=None if seconds is None else (seconds[0], seconds[1]),
            rate_limit=args.rate_limit,
            latency=args.latency,
            keep_uploads=not args.no_keep_uploads,
            max_upload_size=args.max_upload_size,
        )


@dataclass(frozen=True)
class FakeStats:
    """Server-side counters: GETs of runs received (429s included), 429s served, TCP
    connections accepted, and the server process's CPU seconds."""

    requests: int
    rate_limited: int
    connections: int
    cpu: float

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> FakeStats:
        return cls(
            requests=document["requests"].get("get_batch_processor_run", 0),
            rate_limited=document["rate_limited"],
            connections=document["connections"],
            cpu=document["cpu"],
        )

    def __sub__(self, earlier: FakeStats) -> FakeStats:
        return FakeStats(
            self.requests - earlier.requests,
            self.rate_limited - earlier.rate_limited,
            self.connections - earlier.connections,
            self.cpu - earlier.cpu,
        )


_Server = TypeVar("_Server", bound="_ChildServer")


class _ChildServer:
    """A server script in a child process: started, its ready line read (the child is
    stopped if that fails), given a CPU of its own with ``own_cpu`` (``cpus`` says what
    was done); a context manager that stops it."""

    def __init__(self, script: Path, args: list[str], ready_seconds: float, own_cpu: bool):
        self._child = _Child(script, *args)
        try:
            self.ready: dict[str, Any] = json.loads(self._child.read_line(ready_seconds))
            pid = self._child.process.pid
            self.cpus = _give_own_cpu(pid) if own_cpu else "CPUs shared (--shared-cpus)"
        except BaseException:
            self._child.stop()
            raise

    def _stats(self) -> dict[str, Any]:
        """The counters the child answers a ``stats`` line with."""
        self._child.send("stats")
        document: dict[str, Any] = json.loads(self._child.read_line(_STATS_SECONDS))
        return document

    def stop(self) -> None:
        self._child.stop()

    def __enter__(self: _Server) -> _Server:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class Fake(_ChildServer):
    """A running ``_fake_process.py``: its URL, token, seeded ids and, for runs that
    finish on time, each one's finish time on ``time.monotonic()`` (the system-wide
    clock, so comparable with this process's)."""

    def __init__(self, scenario: Scenario, *, own_cpu: bool) -> None:
        super().__init__(_FAKE_SCRIPT, scenario.argv(), _SERVER_READY_SECONDS, own_cpu)
        self.scenario = scenario
        ready = self.ready
        self.url: str = ready["url"]
        self.token: str = ready["token"]
        self.ids: list[str] = ready["ids"]
        self.finish_at: list[float] | None = ready["finish_at"]

    def stats(self) -> FakeStats:
        """The counters now."""
        return FakeStats.from_document(self._stats())

    def uploads(self) -> list[tuple[int, str]]:
        """(size, SHA-256) of every file uploaded to the fake so far, oldest first."""
        return [(int(size), str(sha256)) for size, sha256 in self._stats()["uploads"]]


def start_fake(scenario: Scenario, *, own_cpu: bool = True) -> Fake:
    """Start ``_fake_process.py`` with ``scenario``; return once it listens.

    With ``own_cpu`` (and at least two CPUs, on Linux) the server gets one CPU to itself
    and this process, with every process it starts from now on, the others: a real
    server is on another machine, and sharing cores would charge the client for the
    server's preemptions and cache misses. ``Fake.cpus`` says what was done.
    """
    return Fake(scenario, own_cpu=own_cpu)


def _give_own_cpu(server_pid: int) -> str:
    """Pin ``server_pid`` to the last CPU and this process to the others; a description."""
    if not hasattr(os, "sched_setaffinity"):
        return "CPUs shared (no CPU affinity on this platform)"
    cpus = sorted(_CPUS_AT_START)
    if len(cpus) < 2:
        return "CPUs shared (only one CPU)"
    server_cpu, client_cpus = cpus[-1], cpus[:-1]
    os.sched_setaffinity(server_pid, {server_cpu})
    os.sched_setaffinity(0, client_cpus)
    return f"server pinned to CPU {server_cpu}, clients to CPU {_cpu_list(client_cpus)}"


def _cpu_list(cpus: Sequence[int]) -> str:
    return ",".join(map(str, cpus))


def add_cpu_option(parser: argparse.ArgumentParser) -> None:
    """``--shared-cpus``: do not give the fake server a CPU of its own."""
    parser.add_argument(
        "--shared-cpus",
        action="store_true",
        help="let the server and the clients share every CPU (default: the server "
        "gets one to itself, the clients the rest)",
    )


def run_ids(count: int) -> list[str]:
    """Distinct, URL-safe batch processor run ids, so no response is a cached repeat."""
    return [f"bpr_{n:08d}" for n in range(count)]


@dataclass(frozen=True)
class Sample:
    """Seconds of client CPU and of wall time spent on one measured run."""

    cpu: float
    wall: float


class Stopwatch:
    """``with Stopwatch() as watch: ...`` then ``watch.sample`` (garbage collected first)."""

    sample: Sample

    def __enter__(self) -> Stopwatch:
        gc.collect()
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        wall = time.perf_counter() - self._wall
        self.sample = Sample(cpu=time.process_time() - self._cpu, wall=wall)


def median_sample(samples: Sequence[Sample]) -> Sample:
    """The median CPU time and the median wall time (taken separately)."""
    return Sample(
        cpu=statistics.median(s.cpu for s in samples),
        wall=statistics.median(s.wall for s in samples),
    )


def rotate(variants: Mapping[str, Callable[[], T]], repeats: int) -> dict[str, list[T]]:
    """Run every variant ``repeats`` times, rotating the order each round.

    Rotation spreads any drift of the machine (frequency, caches, the server's own
    warm-up) evenly over the variants instead of charging it to whichever runs first.
    """
    names = list(variants)
    results: dict[str, list[T]] = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(variants[name]())
    return results


def cpu_per_call(
    work: Mapping[str, Callable[[], object]], repeats: int, *, seconds: float = 0.5
) -> dict[str, list[float]]:
    """CPU seconds per call of each variant, round by round (:func:`rotate`): a round
    calls a variant as many times as take about ``seconds`` of CPU (once at least),
    counted from calls made for at least a hundredth of that first (a call of a few
    microseconds is below the clock's resolution alone)."""

    def one(call: Callable[[], object]) -> Callable[[], float]:
        calls, started = 0, time.process_time()
        while not calls or time.process_time() - started < seconds / 100:
            call()
            calls += 1
        once = (time.process_time() - started) / calls
        count = max(1, round(seconds / max(once, 1e-7)))

        def timed() -> float:
            with Stopwatch() as watch:
                for _ in range(count):
                    call()
            return watch.sample.cpu / count

        return timed

    return rotate({name: one(call) for name, call in work.items()}, repeats)


def official_available() -> bool:
    """Whether the official SDK (``extend-ai``) is installed next to this package."""
    return importlib.util.find_spec("extend_ai") is not None


def alternate(variants: Mapping[str, Callable[[], Sample]], repeats: int) -> dict[str, Sample]:
    """:func:`rotate` the measured variants; the median sample of each."""
    return {name: median_sample(runs) for name, runs in rotate(variants, repeats).items()}


#: A measurement handed to a fresh interpreter: JSON in, JSON out.
Job = dict[str, Any]

_CHILD_FLAG = "--child"
_CHILD_START_SECONDS = 30.0  # interpreter start and imports, on top of a job's own limit


def measure_in_child(script: str, job: Job, *, limit: float) -> dict[str, Any]:
    """Run ``job`` in a fresh ``python script --child`` and return what it reports.

    The child answers with its handler's result plus ``start_rss_mib`` (its peak RSS
    once imported, before the job) and ``peak_rss_mib`` (after). It is killed, and
    TimeoutError raised, if it runs past ``limit`` seconds plus start-up.
    """
    try:
        completed = subprocess.run(
            [sys.executable, script, _CHILD_FLAG],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=limit + _CHILD_START_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"{job.get('variant')!r} ran past its {limit:.0f} s limit") from None
    if completed.returncode != 0:
        raise RuntimeError(f"{job.get('variant')!r} failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout.splitlines()[-1])
    return result


def measure_against(fake: Fake, script: str, job: Job, *, limit: float) -> dict[str, Any]:
    """:func:`measure_in_child` with the fake's url, token and ids added to ``job``, and
    the server-side counters of that run (``requests``, ``rate_limited``,
    ``connections``) added to the result."""
    before = fake.stats()
    job = {"url": fake.url, "token": fake.token, "ids": fake.ids, **job}
    result = measure_in_child(script, job, limit=limit)
    server = fake.stats() - before
    result.update(
        requests=server.requests,
        rate_limited=server.rate_limited,
        connections=server.connections,
        server_cpu=server.cpu,
    )
    return result


def child_main(run: Callable[[Job], dict[str, Any]]) -> bool:
    """In a process started by :func:`measure_in_child`: ``run`` the job read from stdin,
    print the result as JSON and return True. Anywhere else return False at once."""
    if sys.argv[1:] != [_CHILD_FLAG]:
        return False
    job: Job = json.loads(sys.stdin.read())
    start_rss = peak_rss_mib()
    result = run(job)
    result.update(start_rss_mib=start_rss, peak_rss_mib=peak_rss_mib())
    print(json.dumps(result))
    return True


def run_bounded(work: Awaitable[T], seconds: float) -> T:
    """``asyncio.run`` that gives up (TimeoutError) after ``seconds``."""

    async def bounded() -> T:
        return await asyncio.wait_for(work, seconds)

    return asyncio.run(bounded())


def median_fields(runs: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """The median of every numeric field over ``runs`` (each field separately)."""
    numeric = [key for key, value in runs[0].items() if isinstance(value, (int, float))]
    return {key: statistics.median(run[key] for run in runs) for key in numeric}


def max_field(runs: Sequence[Mapping[str, Any]], key: str) -> float:
    """The largest ``key`` over ``runs`` (for figures held against an upper bound)."""
    return max(float(run[key]) for run in runs)


def round_ratios(
    subject: Sequence[Mapping[str, Any]], baseline: Sequence[Mapping[str, Any]], key: str
) -> str:
    """``key`` of ``subject`` over ``baseline``, round by round (as :func:`rotate` ran them
    next to each other): the smallest and the largest, to show the spread behind a median."""
    ratios = [float(s[key]) / float(b[key]) for s, b in zip(subject, baseline, strict=True)]
    return f"{min(ratios):.2f} to {max(ratios):.2f} over {len(ratios)} rounds"


def percentile(values: Sequence[float], q: int) -> float:
    """The ``q``-th percentile (1..99) by linear interpolation between order statistics."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan


class RawClient:
    """The floor: one aiohttp session sending the SDK's own headers, at most
    ``concurrency`` requests in flight (``asyncio.Semaphore``), ``json.loads`` of each
    body. ``async with RawClient(url, token, 64) as raw: await raw.get_run(id)``."""

    def __init__(self, url: str, token: str, concurrency: int) -> None:
        self._url = url
        self._token = token
        self._concurrency = concurrency

    async def __aenter__(self) -> RawClient:
        import aiohttp

        from extend_async import AsyncExtend

        # The same headers AsyncExtend sends, so both sides put the same bytes on the wire.
        probe = AsyncExtend(self._token, base_url=self._url)
        headers = dict(probe.config.headers)
        await probe.close()
        # The pool AsyncExtend's transport builds: never the bottleneck below the cap.
        connector = aiohttp.TCPConnector(limit=max(100, self._concurrency))
        self._session: aiohttp.ClientSession = aiohttp.ClientSession(
            connector=connector, headers=headers
        )
        self._slots = asyncio.Semaphore(self._concurrency)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.close()

    async def get_run(self, run_id: str) -> dict[str, Any]:
        """One ``GET /batch_processor_runs/{id}``: the run as a dict."""
        url = f"{self._url}/batch_processor_runs/{run_id}"
        async with self._slots, self._session.get(url) as response:
            body = await response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {run_id}: unexpected status {response.status}")
        run: dict[str, Any] = json.loads(body)["batchProcessorRun"]
        return run


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass(frozen=True)
class Options:
    repeats: int
    json: Path | None
    profile: bool
    #: The script's own options (see ``configure`` of :func:`parse_options`).
    extra: argparse.Namespace = field(default_factory=argparse.Namespace)


def parse_options(
    description: str,
    *,
    default_repeats: int = 5,
    profiling: bool = False,
    configure: Callable[[argparse.ArgumentParser], None] | None = None,
) -> Options:
    """``--repeats N`` and ``--json PATH``; with ``profiling``, ``--profile`` too;
    ``configure`` adds the script's own options, returned in ``Options.extra``."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=default_repeats,
        help=f"measured runs per variant; medians are reported (default {default_repeats})",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results here")
    if profiling:
        parser.add_argument(
            "--profile",
            action="store_true",
            help="after measuring, profile the extend_async run and print its hot spots",
        )
    if configure is not None:
        configure(parser)
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return Options(
        repeats=args.repeats,
        json=args.json,
        profile=getattr(args, "profile", False),
        extra=args,
    )


Cell = float | int | str


@dataclass
class Report:
    """One benchmark's results: a table, headline ratios, and notes.

    ``process_rss`` adds this process's peak RSS to the output; benchmarks that measure
    each client in a child process report the children's instead, in the table.
    """

    title: str
    columns: Sequence[str]
    rows: list[Sequence[Cell]] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    process_rss: bool = True


def emit(report: Report, options: Options) -> None:
    """Print the report as markdown and, with ``--json``, write it as JSON."""
    emit_all([report], options)


def emit_all(reports: Sequence[Report], options: Options) -> None:
    """Print each report as markdown; with ``--json``, write them as one JSON document
    (a single report's document, or ``{"reports": [...]}`` for several)."""
    rss = peak_rss_mib()
    load = _load_average()
    for report in reports:
        print(f"## {report.title}\n")
        print(_markdown_table(report.columns, report.rows) + "\n")
        for name, value in report.metrics.items():
            print(f"- {name}: {_format(value)}")
        if report.process_rss:
            print(f"- peak RSS of the benchmark process: {rss:.1f} MiB")
        for note in report.notes:
            print(f"- {note}")
        print()
    stolen = _stolen_share()
    if load is not None:
        print(f"Load average over the last minute, {os.cpu_count()} CPUs: {load:.2f}")
    if stolen is not None:
        print(f"CPU time taken by the hypervisor (steal) since start: {stolen:.1%}")
    print()
    if options.json is None:
        return
    documents = [_document(report, options, rss) for report in reports]
    for document in documents:
        document["load_average_1min"] = load
        document["steal_share"] = stolen
    document = documents[0] if len(documents) == 1 else {"reports": documents}
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(document, indent=2) + "\n")


def _cpu_ticks() -> tuple[int, int] | None:
    """(steal, all) jiffies of every CPU so far, from Linux's /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(value) for value in fields[:8]]  # user .. steal; guest is within user
    return (ticks[7], sum(ticks)) if len(ticks) == 8 else None


_TICKS_AT_START = _cpu_ticks()


def _stolen_share() -> float | None:
    """The share of CPU time the hypervisor took since this module was imported."""
    now = _cpu_ticks()
    if now is None or _TICKS_AT_START is None or now[1] == _TICKS_AT_START[1]:
        return None
    return (now[0] - _TICKS_AT_START[0]) / (now[1] - _TICKS_AT_START[1])


def _load_average() -> float | None:
    """The 1-minute load average: other work on the machine skews every figure."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def _document(report: Report, options: Options, rss: float) -> dict[str, object]:
    document: dict[str, object] = {
        "title": report.title,
        "python": platform.python_version(),
        "repeats": options.repeats,
        "rows": [dict(zip(report.columns, row, strict=True)) for row in report.rows],
        "metrics": report.metrics,
    }
    if report.process_rss:
        document["peak_rss_mib"] = rss
    document["notes"] = report.notes
    return document


def verdict(met: bool) -> str:
    """How a goal reads in a report."""
    return "met" if met else "MISSED"


def _markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    cells = [list(columns), *([_format(value) for value in row] for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        for line in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _format(value: Cell) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def profile_difference(
    subject: Callable[[], object],
    baseline: Callable[[], object],
    calls: int,
    *,
    top: int = 25,
    timer: Callable[[], float] | None = None,
) -> None:
    """Profile both runs (each making ``calls`` API calls) and print the functions whose
    own time grew the most from ``baseline`` to ``subject``, in µs per API call.

    cProfile adds a fixed cost to every Python call, so deep call chains look dearer
    than they are; read it for where, and the benchmark itself for how much. ``timer``
    replaces cProfile's wall clock, e.g. ``time.process_time`` to count CPU only (then a
    system call is not charged for the time its process waited to run again).
    """
    ours, theirs = _own_times(subject, timer), _own_times(baseline, timer)
    absent = (0, 0.0)
    growth: list[tuple[float, str, int, int]] = []
    for function in ours.keys() | theirs.keys():
        our_calls, our_time = ours.get(function, absent)
        their_calls, their_time = theirs.get(function, absent)
        growth.append((our_time - their_time, function, our_calls, their_calls))
    growth.sort(reverse=True)
    rows: list[Sequence[Cell]] = [
        [function, our_calls / calls, their_calls / calls, extra / calls * 1e6]
        for extra, function, our_calls, their_calls in growth[:top]
    ]
    columns = ["function", "calls/API call", "baseline calls/API call", "extra own µs/API call"]
    print(f"\n### Profile: the {top} functions whose own time grew the most\n")
    print(_markdown_table(columns, rows))


def _own_times(
    run: Callable[[], object], timer: Callable[[], float] | None
) -> dict[str, tuple[int, float]]:
    """Function -> (calls, own seconds) for one profiled run of ``run``."""
    profiler = cProfile.Profile() if timer is None else cProfile.Profile(timer)
    profiler.runcall(run)
    # pstats keeps (primitive calls, calls, own time, cumulative time, callers).
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return {
        f"{_short_path(filename)}:{line}({name})": (ncalls, own)
        for (filename, line, name), (_, ncalls, own, _, _) in raw.items()
    }


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename.removeprefix(str(Path.cwd()) + "/")


class PagesServer(_ChildServer):
    """A running ``_pages_server.py``: canned ``GET /processor_runs`` pages recorded from
    the fake. ``url``, ``token``, how many ``pages`` and ``items`` it serves, their
    ``bytes``; :meth:`stats` gives (pages served, server CPU seconds) so far."""

    def __init__(self, runs: int, page_size: int, seed: int, *, own_cpu: bool) -> None:
        args = ["--runs", str(runs), "--page-size", str(page_size), "--seed", str(seed)]
        super().__init__(_PAGES_SCRIPT, args, _PAGES_READY_SECONDS, own_cpu)
        ready = self.ready
        self.url: str = ready["url"]
        self.token: str = ready["token"]
        self.pages: int = ready["pages"]
        self.items: int = ready["items"]
        self.bytes: int = ready["bytes"]

    def stats(self) -> tuple[int, float]:
        document = self._stats()
        return int(document["requests"]), float(document["cpu"])


def start_pages_server(
    runs: int, page_size: int, *, seed: int = 0, own_cpu: bool = True
) -> PagesServer:
    """Start ``_pages_server.py`` (``runs`` processor runs in pages of ``page_size``);
    return once it listens. With ``own_cpu`` the server gets a CPU to itself, as
    :func:`start_fake` does (``PagesServer.cpus`` says what was done)."""
    return PagesServer(runs, page_size, seed, own_cpu=own_cpu)
