"""Fixtures for the webhook tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A bare aiohttp session, to send deliveries by hand."""
    async with aiohttp.ClientSession() as session:
        yield session
