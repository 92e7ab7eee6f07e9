"""Fixtures shared by the unit tests of the core.

Everything here is deterministic: HTTP goes through aioresponses (loopback traffic is
let through for the few wire-level tests), time through a ManualClock, and the
environment is scrubbed of ``EXTEND_*`` variables so a developer's shell never leaks in.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import aiohttp.web
import pytest
import yarl
from aiohttp.client_reqrep import ConnectionKey
from aioresponses import aioresponses

from extend_async import AsyncExtend, BatchProcessorRun, ExtendError, RetryPolicy
from extend_async._endpoint import Endpoint
from extend_async._retry import is_testing
from extend_async.testing import ManualClock, set_testing

TOKEN = "sk_live_7Hq2ZtT9vXw3LmN8pR4s"
BASE_URL = "https://api.extend.ai"
RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"

# The documented success body of Get Batch Processor Run (examples/get_batch_processor_run.json).
RUN_BODY: dict[str, Any] = {
    "success": True,
    "batchProcessorRun": {
        "object": "batch_processor_run",
        "id": RUN_ID,
        "processorId": "dp_Xj8mK2pL9nR4vT7qY5wZ",
        "processorVersionId": "dpv_xK9mLPqRtN3vS8wF5hB2cQ",
        "processorName": "Invoice Processor",
        "metrics": {"numFiles": 12, "numPages": 37},
        "status": "PROCESSING",
        "source": "EVAL_SET",
        "runCount": 12,
        "options": {"fuzzyMatchFields": ["vendor_name"], "excludeFields": ["notes"]},
        "createdAt": "2024-03-21T15:30:00Z",
        "updatedAt": "2024-03-21T16:45:00Z",
        "sourceId": "ev_1234",
    },
}


@pytest.fixture(autouse=True)
def _scrubbed_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EXTEND_API_KEY", "EXTEND_BASE_URL", "EXTEND_WORKSPACE_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def token() -> str:
    return TOKEN


@pytest.fixture
def run_body() -> dict[str, Any]:
    """A fresh, mutable copy of the documented response document."""
    return copy.deepcopy(RUN_BODY)


@pytest.fixture
def run_url() -> Callable[..., yarl.URL]:
    """The URL of Get Batch Processor Run for an already-encoded path segment."""

    def build(segment: str = RUN_ID, base: str = BASE_URL) -> yarl.URL:
        return yarl.URL(f"{base}/batch_processor_runs/{segment}", encoded=True)

    return build


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    with aioresponses(passthrough=["http://127.0.0.1"]) as m:
        yield m


@pytest.fixture
def sent(mocked: aioresponses) -> Callable[..., list[dict[str, Any]]]:
    """The keyword arguments of every request sent to ``url`` with ``method``."""

    def requests(url: yarl.URL, method: str = "GET") -> list[dict[str, Any]]:
        return [call.kwargs for call in mocked.requests.get((method, url), [])]

    return requests


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def exact_retry() -> Callable[..., RetryPolicy]:
    """A jitter-free policy, so every backoff is an exact number."""

    def build(**overrides: Any) -> RetryPolicy:
        return RetryPolicy(**{"jitter": 0.0, **overrides})

    return build


@pytest.fixture
def make_client(clock: ManualClock) -> Callable[..., AsyncExtend]:
    """An AsyncExtend with the test token and the manual clock (use it with ``async with``)."""

    def build(**kwargs: Any) -> AsyncExtend:
        kwargs.setdefault("token", TOKEN)
        kwargs.setdefault("clock", clock)
        return AsyncExtend(**kwargs)

    return build


@pytest.fixture
def fetch_error() -> Callable[[AsyncExtend, str], Awaitable[ExtendError]]:
    """Run Get Batch Processor Run and return the ExtendError it raised."""

    async def run(client: AsyncExtend, run_id: str = RUN_ID) -> ExtendError:
        with pytest.raises(ExtendError) as info:
            await client.batch_processor_runs.get(run_id)
        return info.value

    return run


@pytest.fixture
def create_endpoint() -> Endpoint[BatchProcessorRun]:
    """A non-idempotent operation, to check what may and may not be sent twice."""
    return Endpoint(
        "create_run", "POST", "/batch_processor_runs", BatchProcessorRun, "batchProcessorRun"
    )


@pytest.fixture
def connection_key() -> ConnectionKey:
    return ConnectionKey("api.extend.ai", 443, True, True, None, None, None)


@pytest.fixture
def connect_refused(connection_key: ConnectionKey) -> aiohttp.ClientConnectorError:
    """The request never left: no connection was ever established."""
    return aiohttp.ClientConnectorError(connection_key, ConnectionRefusedError(111, "refused"))


@pytest.fixture
def testing_mode() -> Iterator[None]:
    """``set_testing(True)`` for one test, always put back as it was."""
    before = is_testing()
    set_testing(True)
    try:
        yield
    finally:
        set_testing(before)


class Loopback:
    """A real HTTP server on 127.0.0.1 whose handler a test sets."""

    def __init__(self) -> None:
        self.seen: list[aiohttp.web.Request] = []
        self.release = asyncio.Event()
        self.respond: Callable[[aiohttp.web.Request], Awaitable[aiohttp.web.StreamResponse]] = (
            self._default
        )
        self.url = ""

    async def _default(self, request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
        return aiohttp.web.json_response(RUN_BODY)

    async def handle(self, request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
        self.seen.append(request)
        return await self.respond(request)

    async def hold(self, request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
        """A handler that answers only once :attr:`release` is set."""
        await self.release.wait()
        return await self._default(request)


@pytest.fixture
async def loopback() -> AsyncIterator[Loopback]:
    server = Loopback()
    app = aiohttp.web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = aiohttp.web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    server.url = f"http://{host}:{port}"
    try:
        yield server
    finally:
        server.release.set()
        await runner.cleanup()
