"""pytest fixtures for testing code that uses extend_async against the fake server.

Opt in from your root ``conftest.py``::

    pytest_plugins = ["extend_async.testing.pytest_plugin"]

Fixtures (all function-scoped):

* ``extend_fake``: a :class:`FakeExtendServer` serving from the test's event loop.
* ``extend_async_client``: an ``AsyncExtend`` on ``extend_fake``, closed afterwards.
* ``extend_fake_thread``: a :class:`FakeExtendServer` serving from its own thread.
* ``extend_client``: a blocking ``Extend`` on ``extend_fake_thread``, closed afterwards.

The two async fixtures need pytest-asyncio (they are defined only when it is
installed). Clients retry as in production but without waiting. Importing this plugin
is cheap: the server is imported only when a fixture is used.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .._client import AsyncExtend
    from .._sync import Extend
    from ._server import FakeExtendServer

__all__ = ["extend_client", "extend_fake_thread"]


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


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the sync fixtures still work
    pass
else:
    __all__ += ["extend_async_client", "extend_fake"]

    @pytest_asyncio.fixture
    async def extend_fake() -> AsyncIterator[FakeExtendServer]:
        """A fake Extend API serving from the test's event loop."""
        from ._server import FakeExtendServer

        async with FakeExtendServer() as fake:
            yield fake

    @pytest_asyncio.fixture
    async def extend_async_client(extend_fake: FakeExtendServer) -> AsyncIterator[AsyncExtend]:
        """An ``AsyncExtend`` client on ``extend_fake`` (it shares the fake's clock)."""
        async with extend_fake.client() as client:
            yield client
