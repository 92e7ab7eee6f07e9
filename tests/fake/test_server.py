"""Starting, stopping and describing the fake; the API key never shows."""

from __future__ import annotations

import logging

import aiohttp
import pytest

import extend_async.testing
from extend_async import AsyncExtend, AuthenticationError
from extend_async.testing import TESTING_RETRY, FakeExtendServer

SECRET = "sk_live_do_not_print_0123456789"


async def test_start_stop_and_url() -> None:
    fake = FakeExtendServer()
    with pytest.raises(RuntimeError, match="not been started"):
        _ = fake.url

    await fake.start()
    try:
        assert fake.url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError, match="already running"):
            await fake.start()
    finally:
        await fake.stop()
    await fake.stop()  # idempotent


async def test_a_taken_port_fails_on_start_and_leaves_nothing_open() -> None:
    async with FakeExtendServer() as first:
        port = int(first.url.rsplit(":", 1)[1])
        second = FakeExtendServer(port=port)
        with pytest.raises(OSError, match=r"(?i)in use"):
            await second.start()
        with pytest.raises(RuntimeError):
            _ = second.url


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="token"):
        FakeExtendServer(token="")


async def test_clients_built_by_the_fake(fake: FakeExtendServer) -> None:
    async with fake.client() as client:
        assert client.config.base_url == fake.url
        assert client.config.retry == TESTING_RETRY
        assert TESTING_RETRY.initial_backoff == 0
    async with fake.client(workspace_id="ws_1", max_retries=5) as tuned:
        assert tuned.config.workspace_id == "ws_1"
        assert tuned.config.retry.max_retries == 5


async def test_the_token_never_shows(
    caplog: pytest.LogCaptureFixture, http: aiohttp.ClientSession
) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeExtendServer(token=SECRET) as fake:
        run = fake.add_batch_run()
        fake.faults.add(route="get_batch_processor_run", status=500, times=1)
        async with fake.client() as client:
            assert await client.batch_processor_runs.get(run.id) == run
        async with AsyncExtend("sk_wrong", base_url=fake.url) as stranger:
            with pytest.raises(AuthenticationError) as caught:
                await stranger.batch_processor_runs.get(run.id)
        url = f"{fake.url}/batch_processor_runs/{run.id}"
        async with http.get(url, headers={"Authorization": f"Bearer {SECRET}"}) as response:
            version_error = await response.text()

        shown = [
            repr(fake),
            str(fake.last_headers),
            repr(fake.request_log),
            repr(fake.faults.pending),
            str(caught.value),
            repr(caught.value.body),
            version_error,
            caplog.text,
        ]
    assert all(SECRET not in text for text in shown)
    assert fake.last_headers["Authorization"] == "Bearer ********"


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        _ = extend_async.testing.NoSuchThing
    assert set(extend_async.testing.__all__) <= set(dir(extend_async.testing))
