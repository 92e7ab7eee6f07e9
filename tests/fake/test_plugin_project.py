"""The plugin in a separate, user-like project: root conftest, strict mode, -W error.

docs/testing.md is tested here as a user would use it: its files written out verbatim
into a fresh project, its snippets run as the lines of async tests.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = """
pytest_plugins = ["extend_async.testing.pytest_plugin"]
"""

TESTS = """
import threading

import pytest

from extend_async import AsyncExtend, Extend
from extend_async.testing import FakeExtendServer


@pytest.mark.asyncio
async def test_async_fixtures(extend_fake, extend_async_client):
    assert isinstance(extend_fake, FakeExtendServer)
    assert isinstance(extend_async_client, AsyncExtend)
    run = extend_fake.add_batch_run()
    assert await extend_async_client.batch_processor_runs.get(run.id) == run


def test_sync_fixtures(extend_fake_thread, extend_client):
    assert isinstance(extend_client, Extend)
    run = extend_fake_thread.add_batch_run(status="FAILED")
    assert extend_client.batch_processor_runs.get(run.id).status == "FAILED"


def test_nothing_is_left_running():
    names = {thread.name for thread in threading.enumerate()}
    assert "extend-fake-server" not in names
    assert "extend-async-portal" not in names
"""

INI = """
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
asyncio_default_test_loop_scope = function
filterwarnings = error
"""


def test_fixtures_work_in_a_user_project(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_user=TESTS)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=3)


def test_the_plugin_imports_no_server_until_a_fixture_is_used(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        check="""
import sys

import extend_async.testing
import extend_async.testing.pytest_plugin

assert "aiohttp.web" not in sys.modules, "aiohttp.web imported early"
assert "extend_async.testing._server" not in sys.modules
extend_async.testing.FakeExtendServer
assert "extend_async.testing._server" in sys.modules
print("light")
"""
    )

    result = pytester.runpython(pytester.path / "check.py")

    assert result.ret == 0
    result.stdout.fnmatch_lines(["light"])


@pytest.mark.parametrize(
    "conftest_prefix",
    [
        "",  # pytest-asyncio installed, disabled by -p no:asyncio
        "import sys\nsys.modules['pytest_asyncio'] = None  # as if not installed\n",
    ],
    ids=["disabled", "not-installed"],
)
def test_without_pytest_asyncio_the_async_fixtures_say_to_install_it(
    pytester: pytest.Pytester, conftest_prefix: str
) -> None:
    pytester.makeconftest(conftest_prefix + CONFTEST)
    pytester.makepyfile(
        test_user="""
async def test_async(extend_fake):
    pass


def test_async_client(extend_async_client):
    pass


def test_sync(extend_fake_thread, extend_client):
    assert extend_client.batch_processor_runs.get(extend_fake_thread.add_batch_run().id)
"""
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")

    result.assert_outcomes(passed=1, errors=2)
    message = (
        "the async fixtures extend_fake and extend_async_client need pytest-asyncio, which is"
        " not installed or not enabled: install pytest-asyncio *"
    )
    result.stdout.fnmatch_lines([message, message])
    result.stdout.no_fnmatch_line("*fixture 'extend_fake' not found*")


TESTING_MD = (Path(__file__).resolve().parents[2] / "docs" / "testing.md").read_text("utf-8")
# Strict mode spelled out (it is pytest-asyncio's default), every warning an error.
STRICT = ("-p", "no:cacheprovider", "-W", "error", "-o", "asyncio_mode=strict", "--strict-markers")


def doc_blocks(markdown: str) -> tuple[dict[str, str], list[str]]:
    """The fenced blocks of a page: files (a first line ``# path``) and python snippets."""
    files: dict[str, str] = {}
    snippets: list[str] = []
    for language, body in re.findall(
        r"^```(\w+)\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL
    ):
        header = re.fullmatch(r"# ([\w/.-]+\.(?:py|toml|ini))", body.partition("\n")[0])
        if header:
            files[header[1]] = body
        elif language == "python":
            snippets.append(body)
    return files, snippets


DOC_FILES, DOC_SNIPPETS = doc_blocks(TESTING_MD)
CONFIG_FILES = ["pyproject.toml", "pytest.ini"]  # the two ways the page shows
SNIPPET_TEST = """
import pytest

from extend_async.testing import FakeExtendServer


@pytest.mark.asyncio
async def test_snippet(extend_fake):
    fake = extend_fake
    run = fake.add_batch_run()
{body}
"""


def write_project(pytester: pytest.Pytester, files: dict[str, str]) -> None:
    for name, body in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")


def test_the_testing_page_has_its_files_and_snippets() -> None:
    assert sorted(DOC_FILES) == [
        "conftest.py",
        "myapp/batches.py",
        "pyproject.toml",
        "pytest.ini",
        "tests/test_batches.py",
        "tests/test_without_plugin.py",
    ]
    # seeding, lifecycles, wait, faults, two on rate limits, processor runs and their
    # drawn lifecycles, parser runs, workflows, evaluation sets, edits
    assert len(DOC_SNIPPETS) == 12


@pytest.mark.parametrize("config", CONFIG_FILES)
def test_the_testing_page_works_verbatim_in_a_fresh_project(
    pytester: pytest.Pytester, config: str
) -> None:
    files = {name: body for name, body in DOC_FILES.items() if name not in CONFIG_FILES}
    files[config] = DOC_FILES[config]
    for number, snippet in enumerate(DOC_SNIPPETS):
        body = textwrap.indent(snippet, "    ")
        files[f"tests/test_snippet_{number}.py"] = SNIPPET_TEST.format(body=body)
    write_project(pytester, files)

    result = pytester.runpytest_subprocess(*STRICT)

    # test_batches.py's four, test_without_plugin.py's two, one per snippet
    result.assert_outcomes(passed=4 + 2 + len(DOC_SNIPPETS))


@pytest.mark.skipif(
    int(pytest.__version__.split(".")[0]) < 9,
    reason="pytest 8 drops warnings raised while plugins are configured",
)
def test_without_the_loop_scope_line_pytest_asyncio_stops_a_strict_run(
    pytester: pytest.Pytester,
) -> None:
    write_project(
        pytester, {"tests/test_without_plugin.py": DOC_FILES["tests/test_without_plugin.py"]}
    )

    result = pytester.runpytest_subprocess(*STRICT)

    assert result.ret != 0
    assert 'The configuration option "asyncio_default_fixture_loop_scope" is unset.' in (
        result.stdout.str() + result.stderr.str()
    )
