"""pytest fixtures for testing code that uses extend_async against the fake server.

Opt in from your root ``conftest.py``::

    pytest_plugins = ["extend_async.testing.pytest_plugin"]

Fixtures (all function-scoped):

* ``extend_fake``: a :class:`FakeExtendServer` serving from the test's event loop.
* ``extend_async_client``: an ``AsyncExtend`` on ``extend_fake``, closed afterwards.
* ``extend_fake_thread``: a :class:`FakeExtendServer` serving from its own thread.
* ``extend_client``: a blocking ``Extend`` on ``extend_fake_thread``, closed afterwards.

The two async fixtures need pytest-asyncio; without it (not installed, or disabled with
``-p no:asyncio``) they still exist, and fail saying so, instead of pytest's bare
"fixture not found". Clients retry as in production but without waiting. Importing this
plugin is cheap: the server is imported only when a fixture is used.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .._client import AsyncExtend
    from .._sync import Extend
    from ._server import FakeExtendServer

__all__ = ["extend_async_client", "extend_client", "extend_fake", "extend_fake_thread"]


@pytest.fixture
def extend_fake_thread() -> Iterator[FakeExtendServer]:
    """A fake Extend API on its own thread, for synchronous code."""
    from ._server import FakeExtendServer

    with FakeExtendServer.in_thread() as fake:
        yield fake


@pytest.fixture
def extend_client(extend_fake_thread: FakeExtendServer) -> Iterator[Extend]:
    """A blocking ``Extend`` client on ``extend_fake_thread``."""
    with extend_fake_thread.sync_client() as client:
        yield client


_NEEDS_PYTEST_ASYNCIO = (
    "the async fixtures extend_fake and extend_async_client need pytest-asyncio, which "
    "is not installed or not enabled: install pytest-asyncio "
    "(python -m pip install pytest-asyncio) and mark async tests with "
    '@pytest.mark.asyncio (or set asyncio_mode = "auto"). The sync fixtures '
    "extend_fake_thread and extend_client work without it."
)


def _async_fixture(func: Callable[..., Any]) -> Any:
    """pytest-asyncio's fixture decorator, or pytest's when pytest-asyncio is missing (the
    fixture then exists, and ``_extend_needs_pytest_asyncio`` fails it with a hint)."""
    try:
        import pytest_asyncio
    except ImportError:
        return pytest.fixture(func)
    return pytest_asyncio.fixture(func)


@pytest.fixture
def _extend_needs_pytest_asyncio(request: pytest.FixtureRequest) -> None:
    """Fail with a hint when pytest-asyncio is not there to run the async fixtures.

    pytest sets up a fixture's dependencies before looking at the fixture itself, so this
    runs first: without pytest-asyncio (not installed, or ``-p no:asyncio``) the test
    fails naming the missing plugin rather than with pytest's generic async-fixture error.
    """
    plugin = sys.modules.get("pytest_asyncio.plugin")
    if plugin is None or not request.config.pluginmanager.is_registered(plugin):
        pytest.fail(_NEEDS_PYTEST_ASYNCIO, pytrace=False)


@_async_fixture
async def extend_fake(_extend_needs_pytest_asyncio: None) -> AsyncIterator[FakeExtendServer]:
    """A fake Extend API serving from the test's event loop."""
    from ._server import FakeExtendServer

    async with FakeExtendServer() as fake:
        yield fake


@_async_fixture
async def extend_async_client(extend_fake: FakeExtendServer) -> AsyncIterator[AsyncExtend]:
    """An ``AsyncExtend`` client on ``extend_fake`` (it shares the fake's clock)."""
    async with extend_fake.client() as client:
        yield client
