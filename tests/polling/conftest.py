"""Fixtures for fan-out and polling: mocked replies, a manual clock, clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp.web
import pytest
from aioresponses import aioresponses
from polling._support import RUN_PATH, Holding, Runs
from support import BASE_URL, TOKEN

from extend_async import AsyncExtend, RetryPolicy
from extend_async.testing import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def runs(clock: ManualClock) -> Iterator[Runs]:
    scripted = Runs(clock)
    with aioresponses(passthrough=["http://127.0.0.1"]) as mocked:
        mocked.get(RUN_PATH, callback=scripted.answer, repeat=True)
        yield scripted


@pytest.fixture
async def client(clock: ManualClock) -> AsyncIterator[AsyncExtend]:
    async with AsyncExtend(
        TOKEN, base_url=BASE_URL, clock=clock, retry=RetryPolicy(max_retries=0)
    ) as async_client:
        yield async_client


@pytest.fixture
def make_client(clock: ManualClock) -> Iterator[Callable[..., AsyncExtend]]:
    """Clients with other options; each is closed after the test."""
    made: list[AsyncExtend] = []

    def build(**options: Any) -> AsyncExtend:
        options.setdefault("base_url", BASE_URL)
        options.setdefault("clock", clock)
        options.setdefault("retry", RetryPolicy(max_retries=0))
        made.append(AsyncExtend(TOKEN, **options))
        return made[-1]

    yield build
    for async_client in made:
        assert async_client.closed, "close every client a test makes"


@pytest.fixture
async def holding() -> AsyncIterator[Holding]:
    server = Holding()
    app = aiohttp.web.Application()
    app.router.add_get("/batch_processor_runs/{id}", server.handle)
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
