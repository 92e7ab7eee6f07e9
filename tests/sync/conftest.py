"""Fixtures for the blocking facade: mocked replies reach the portal thread too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aioresponses import aioresponses
from support import BASE_URL, TOKEN

from extend_async import Extend, RetryPolicy


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    # The patch is process-wide, so it also answers requests sent from the portal thread.
    with aioresponses(passthrough=["http://127.0.0.1"]) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[Extend]:
    with Extend(TOKEN, base_url=BASE_URL, retry=RetryPolicy(initial_backoff=0)) as sync_client:
        yield sync_client
