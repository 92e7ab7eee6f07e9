"""Import time: ``import extend_async`` against its four runtime dependencies alone.

Each statement runs in a fresh ``python -X importtime`` subprocess (bytecode caches
warmed by one discarded run first). Only imports made by the statement count: the
child prints a marker to stderr before it, and the interpreter's own start-up imports
above the marker are ignored. A statement's time is the sum of the cumulative
microseconds of its top-level imports; the figure is the median over the runs.
Run: ``python bench/bench_import.py``.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from _common import Report, emit, parse_options, rotate

IMPORT_RATIO_GOAL = 1.3
OFFENDERS_SHOWN = 12
_MARKER = "--- statement starts ---"
# Installed packages normally carry bytecode; with PYTHONDONTWRITEBYTECODE set, every
# run would compile from source and measure the compiler instead of the imports.
_CACHING_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

OURS = "extend_async"
DEPENDENCIES = "aiohttp, attrs, cattrs, anyio"
STATEMENTS = {OURS: f"import {OURS}", DEPENDENCIES: f"import {DEPENDENCIES}"}
#: The official SDK imports lazily: its package alone, then what a first call needs.
OFFICIAL = {
    "extend_ai (official, package only)": "import extend_ai",
    "extend_ai (official, client class)": "from extend_ai import Extend",
}


@dataclass(frozen=True)
class ImportLine:
    """One line of ``-X importtime``: own and cumulative µs, module, nesting depth."""

    own_us: int
    cumulative_us: int
    module: str
    depth: int


def import_profile(statement: str) -> list[ImportLine]:
    """The ``-X importtime`` lines produced by ``statement`` in a fresh interpreter."""
    code = f"import sys; print({_MARKER!r}, file=sys.stderr, flush=True); {statement}"
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=_CACHING_ENV,
    )
    _, _, after = completed.stderr.partition(_MARKER + "\n")
    return [line for text in after.splitlines() if (line := _parse(text)) is not None]


def _parse(text: str) -> ImportLine | None:
    # "import time:       123 |        456 |   package.module" (two spaces per level).
    if not text.startswith("import time:"):
        return None
    own, cumulative, name = text.removeprefix("import time:").split("|")
    if not own.strip().isdigit():  # the header line
        return None
    module = name.lstrip(" ")
    depth = (len(name) - len(module) - 1) // 2
    return ImportLine(int(own), int(cumulative), module, depth)


def total_us(lines: list[ImportLine]) -> int:
    return sum(line.cumulative_us for line in lines if line.depth == 0)


def extra_modules(
    ours: list[list[ImportLine]], deps: list[list[ImportLine]]
) -> list[tuple[str, float]]:
    """Modules ``import extend_async`` loads beyond the four dependencies, by median own µs."""
    known = {line.module for lines in deps for line in lines}
    own: defaultdict[str, list[int]] = defaultdict(list)
    for lines in ours:
        for line in lines:
            if line.module not in known:
                own[line.module].append(line.own_us)
    medians = [(module, statistics.median(times)) for module, times in own.items()]
    return sorted(medians, key=lambda item: item[1], reverse=True)


def main() -> None:
    options = parse_options(__doc__ or "", default_repeats=7)
    statements = dict(STATEMENTS)
    if importlib.util.find_spec("extend_ai") is not None:
        statements.update(OFFICIAL)
    for statement in statements.values():  # warm the bytecode caches
        import_profile(statement)
    profiles = rotate(
        {name: partial(import_profile, statement) for name, statement in statements.items()},
        options.repeats,
    )
    totals = {name: statistics.median(map(total_us, runs)) for name, runs in profiles.items()}

    ours, deps = totals[OURS], totals[DEPENDENCIES]
    report = Report(
        title=f"Import time, median of {options.repeats} fresh interpreters",
        columns=["statement", "import ms", "vs the four dependencies"],
        rows=[[statements[name], us / 1000, us / deps] for name, us in totals.items()],
    )
    ratio = ours / deps
    report.metrics[f"import ratio {OURS} / ({DEPENDENCIES})"] = ratio
    verdict = "met" if ratio <= IMPORT_RATIO_GOAL else "MISSED"
    report.notes.append(f"goal: ratio <= {IMPORT_RATIO_GOAL} ({verdict})")
    offenders = extra_modules(profiles[OURS], profiles[DEPENDENCIES])
    listed = ", ".join(f"{module} {us / 1000:.2f} ms" for module, us in offenders[:OFFENDERS_SHOWN])
    report.notes.append(f"largest own imports beyond the dependencies (own time): {listed}")
    if not OFFICIAL.keys() & totals.keys():
        report.notes.append("official extend-ai not installed: skipped")
    emit(report, options)


if __name__ == "__main__":
    main()
