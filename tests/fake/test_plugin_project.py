"""The plugin in a separate, user-like project: root conftest, strict mode, -W error."""

from __future__ import annotations

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
