"""Fixtures for the fake server's own tests: a fake on the test loop and clients of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from extend_async import AsyncExtend
from extend_async.testing import FakeExtendServer


@pytest.fixture
async def fake() -> AsyncIterator[FakeExtendServer]:
    async with FakeExtendServer(seed=7) as server:
        yield server


@pytest.fixture
async def client(fake: FakeExtendServer) -> AsyncIterator[AsyncExtend]:
    async with fake.client() as extend:
        yield extend


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A bare aiohttp session, to see exactly what goes over the wire."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def headers(fake: FakeExtendServer) -> dict[str, str]:
    """The headers a well-behaved client sends (a fresh dict for each test to change)."""
    return {"Authorization": f"Bearer {fake.token}", "x-extend-api-version": "2025-04-21"}
