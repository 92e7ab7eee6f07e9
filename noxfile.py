"""Developer and CI sessions: tests on every supported Python, lint, typecheck, bench.

The Python versions come from the pyproject classifiers, so there is one list.
Every session installs the package itself (not the working tree on sys.path), so the
tests see what users get.

``nox`` alone runs everything and fails if anything fails, a wanted Python included:
the noxfile finds the machine's own interpreters (pyenv's too, without any pyenv set-up)
and never downloads one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "tests_lowest", "coverage", "lint", "typecheck", "differential"]
# A Python that is not there fails its sessions: a run that skipped one proves nothing.
nox.options.error_on_missing_interpreters = True
# Test the machine's own interpreters, never a downloaded one (and never wait on a
# network that may not be there): neither nox nor uv may fetch Pythons.
if hasattr(nox.options, "download_python"):  # nox >= 2025.05.01
    nox.options.download_python = "never"
os.environ["UV_PYTHON_DOWNLOADS"] = "never"

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = nox.project.python_versions(PYPROJECT)

# X.Y.Z, then whether it is a free-threaded build (not what the classifiers promise),
# then the real executable (a pyenv shim or a venv names its interpreter this way).
_ASK_VERSION = (
    "import sys, sysconfig; print('%d.%d.%d' % sys.version_info[:3]);"
    " print(bool(sysconfig.get_config_var('Py_GIL_DISABLED'))); print(sys.executable)"
)


def _pyenv_roots() -> Iterator[Path]:
    """Where pyenv keeps its Pythons: ``$PYENV_ROOT``, ``pyenv root``, ``~/.pyenv``."""
    if os.environ.get("PYENV_ROOT"):
        yield Path(os.environ["PYENV_ROOT"])
    if shutil.which("pyenv"):
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            yield Path(out.stdout.strip())
    yield Path.home() / ".pyenv"


def _newest_first(pattern: str, base: Path) -> list[Path]:
    """``base.glob(pattern)``, highest X.Y.Z first (``3.12.10`` before ``3.12.9``)."""

    def key(path: Path) -> tuple[int, ...]:
        found = re.search(r"(\d+)\.(\d+)\.(\d+)", path.as_posix())
        return tuple(int(n) for n in found.groups()) if found else ()

    return sorted(base.glob(pattern), key=key, reverse=True) if base.is_dir() else []


def _candidates(version: str) -> Iterator[Path]:
    """Places a ``pythonX.Y`` may live, in order of preference.

    PATH first (what the user chose), then version managers, then the usual system
    places. pyenv's shims are on PATH but fail unless pyenv has that version selected,
    which is why a working interpreter is looked for behind them.
    """
    name = f"python{version}"
    on_path = shutil.which(name)
    if on_path:
        yield Path(on_path)
    for root in _pyenv_roots():
        yield from _newest_first(f"versions/{version}.*/bin/{name}", root)
    home = Path.home()
    for base, pattern in [
        (home / ".local/share/mise/installs/python", f"{version}.*/bin/{name}"),
        (home / ".asdf/installs/python", f"{version}.*/bin/{name}"),
        (home / ".local/share/uv/python", f"cpython-{version}.*/bin/{name}"),
        (Path("/opt/hostedtoolcache/Python"), f"{version}.*/x64/bin/{name}"),
    ]:
        yield from _newest_first(pattern, base)
    for directory in [
        "/usr/local/bin",
        "/usr/bin",
        "/opt/homebrew/bin",
        "/opt/local/bin",
        f"/Library/Frameworks/Python.framework/Versions/{version}/bin",
    ]:
        yield Path(directory) / name


def _working_python(version: str) -> tuple[Path, str, str] | None:
    """The first candidate that runs and is ``version``: (path, X.Y.Z, sys.executable)."""
    for path in _candidates(version):
        if not os.access(path, os.X_OK):
            continue
        out = subprocess.run(
            [str(path), "-c", _ASK_VERSION], capture_output=True, text=True, check=False
        )
        lines = out.stdout.splitlines()
        if out.returncode != 0 or len(lines) != 3:
            continue  # a shim with nothing behind it, a broken install
        full_version, free_threaded, executable = lines
        if full_version.startswith(f"{version}.") and free_threaded == "False":
            return path, full_version, executable
    return None


def _put_pythons_on_path() -> None:
    """Make every wanted Python the first ``pythonX.Y`` on PATH, and say which it is.

    nox and uv both look for ``pythonX.Y`` on PATH, and uv gives up at the first one
    that fails to run (a pyenv shim): so each found interpreter's directory goes in
    front. What ``.ci/run`` once did with PYENV_VERSION now happens wherever nox runs.
    """
    for version in PYTHONS:
        found = _working_python(version)
        if found is None:
            print(
                f"Python {version}: NOT FOUND on PATH, in pyenv or the usual places;"
                " its sessions fail unless nox finds one elsewhere (install it, or put"
                " it on PATH)",
                file=sys.stderr,
            )
            continue
        path, full_version, executable = found
        if shutil.which(f"python{version}") != str(path):
            os.environ["PATH"] = os.pathsep.join([str(path.parent), os.environ["PATH"]])
        print(f"Python {version}: {full_version} at {executable}", file=sys.stderr)


def _let_ctrl_c_through() -> None:
    """Undo an inherited "ignore SIGINT" (nox started as a background job of a script).

    An ignored signal stays ignored in every process started from here, so the tests
    would inherit it, and the suite's test that interrupts a blocking call with SIGINT
    would wait forever. A handler, unlike an ignore, is reset to the default in children.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


_put_pythons_on_path()
_let_ctrl_c_through()


def _group(name: str) -> list[str]:
    """The requirement strings of a dependency group (include-group expanded)."""
    groups = PYPROJECT["dependency-groups"]
    out: list[str] = []
    for item in groups[name]:
        out.extend(_group(item["include-group"]) if isinstance(item, dict) else [item])
    return out


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite under coverage, on the newest aiohttp (what users install), with
    the ``speedups`` extra (``tests_lowest`` runs it without)."""
    session.install(".[speedups]", *_group("test"))
    # `pytest`, not `python -m pytest`: the working tree must not shadow the installed
    # package. One data file per Python, combined by the `coverage` session.
    session.run(
        "pytest",
        "--cov",
        "--cov-report=",
        *session.posargs,
        env={"COVERAGE_FILE": str(ROOT / f".coverage.py{session.python}")},
    )


@nox.session(python=PYTHONS[0], reuse_venv=False)  # fresh: the first run is without the extra
def tests_lowest(session: nox.Session) -> None:
    """The suite on the lowest versions our pyproject allows, without the extra (what a
    bare install decodes with); then the decoder tests on the extra's floor."""
    session.install("--resolution=lowest-direct", ".", *_group("test"))
    session.run("pytest", "-p", "no:cacheprovider", *session.posargs)
    session.install("--resolution=lowest-direct", ".[speedups]")
    session.run("pytest", "-p", "no:cacheprovider", "tests/unit/test_json.py")


@nox.session(python=PYTHONS[-1])
def differential(session: nox.Session) -> None:
    """The official SDK (extend-ai 0.2.0) against our fake server: it must read every
    response the fake serves, on every endpoint the package serves, evidence that the
    fake speaks the real shapes. The summary ends with "official client: N calls over M
    endpoints"."""
    session.install(".", *_group("test"), "extend-ai==0.2.0")
    session.run("pytest", "tests/differential", "-p", "no:cacheprovider", *session.posargs)


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
    session.install(".[speedups]", *_group("typecheck"))
    session.run("mypy", "--strict", "extend_async")
    session.run("mypy", "--strict", "tests/typing")


@nox.session(python=PYTHONS[-1])
def bench(session: nox.Session) -> None:
    """Benchmarks (never part of the test run); figures are ratios to a same-run baseline.

    Set ``EXTEND_BENCH_OFFICIAL=1`` to include the official SDK (extend-ai 0.2.0).
    """
    session.install(".[speedups]")
    if os.environ.get("EXTEND_BENCH_OFFICIAL"):
        session.install("extend-ai==0.2.0")
    scripts = sorted(p.name for p in (ROOT / "bench").glob("bench_*.py"))
    for script in session.posargs or scripts:
        session.run("python", f"bench/{script}")
