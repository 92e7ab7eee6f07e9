"""Developer and CI sessions: tests on every supported Python, lint, typecheck, bench.

The Python versions come from the pyproject classifiers, so there is one list.
Every session installs the package itself (not the working tree on sys.path), so the
tests see what users get.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "tests_lowest", "coverage", "lint", "typecheck", "differential"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = nox.project.python_versions(PYPROJECT)


def _group(name: str) -> list[str]:
    """The requirement strings of a dependency group (include-group expanded)."""
    groups = PYPROJECT["dependency-groups"]
    out: list[str] = []
    for item in groups[name]:
        out.extend(_group(item["include-group"]) if isinstance(item, dict) else [item])
    return out


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite under coverage, on the newest aiohttp (what users install)."""
    session.install(".", *_group("test"))
    # `pytest`, not `python -m pytest`: the working tree must not shadow the installed
    # package. One data file per Python, combined by the `coverage` session.
    session.run(
        "pytest",
        "--cov",
        "--cov-report=",
        *session.posargs,
        env={"COVERAGE_FILE": str(ROOT / f".coverage.py{session.python}")},
    )


@nox.session(python=PYTHONS[0])
def tests_lowest(session: nox.Session) -> None:
    """The suite on the lowest versions our pyproject allows: proves the floors."""
    session.install("--resolution=lowest-direct", ".", *_group("test"))
    session.run("pytest", "-p", "no:cacheprovider", *session.posargs)


@nox.session(python=PYTHONS[-1])
def differential(session: nox.Session) -> None:
    """The official SDK (extend-ai 0.2.0) against our fake server: it must parse every
    response the fake serves, evidence that the fake speaks the real shapes."""
    session.install(".", *_group("test"), "extend-ai==0.2.0")
    session.run("pytest", "tests/fake/test_official_sdk.py", "-p", "no:cacheprovider")


@nox.session(python=PYTHONS[-1])
def coverage(session: nox.Session) -> None:
    """Combine the per-Python data files and hold the line at 90%."""
    session.install("coverage[toml]>=7.10")
    session.run("coverage", "combine")
    session.run("coverage", "report", "--fail-under=90")


@nox.session(python=PYTHONS[-1])
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install(*_group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHONS[0])
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package and on a file that uses the public API as users do."""
    session.install(".", *_group("typecheck"))
    session.run("mypy", "--strict", "extend_async")
    session.run("mypy", "--strict", "tests/typing")


@nox.session(python=PYTHONS[-1])
def bench(session: nox.Session) -> None:
    """Benchmarks (never part of the test run); figures are ratios to a same-run baseline.

    Set ``EXTEND_BENCH_OFFICIAL=1`` to include the official SDK (extend-ai 0.2.0).
    """
    session.install(".")
    if os.environ.get("EXTEND_BENCH_OFFICIAL"):
        session.install("extend-ai==0.2.0")
    scripts = sorted(p.name for p in (ROOT / "bench").glob("bench_*.py"))
    for script in session.posargs or scripts:
        session.run("python", f"bench/{script}")
