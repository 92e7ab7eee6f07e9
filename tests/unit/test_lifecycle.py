"""The session's life: lazy creation, reuse, closing, borrowed sessions, event loops."""

from __future__ import annotations

import asyncio
import types
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import aiohttp
import pytest
from aioresponses import aioresponses

from extend_async import AsyncExtend, ClientClosedError, ExtendError

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"
T = TypeVar("T")


def session_of(client: AsyncExtend) -> aiohttp.ClientSession | None:
    return client._pipeline.transport._session


def run_in_new_loop(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``main()`` in a private event loop, leaving the current-loop setting alone."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def test_a_client_can_be_built_outside_an_event_loop(token, run_url, run_body) -> None:
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    client = AsyncExtend(token)
    assert session_of(client) is None

    async def use() -> str:
        with aioresponses() as mocked:
            mocked.get(run_url(), payload=run_body)
            async with client:
                return (await client.batch_processor_runs.get(RUN_ID)).id

    assert run_in_new_loop(use) == RUN_ID
    assert client.closed


async def test_the_session_is_created_on_first_call_and_reused(
    make_client, mocked, run_url, run_body
) -> None:
    mocked.get(run_url(), payload=run_body, repeat=True)

    async with make_client() as client:
        assert session_of(client) is None
        await client.batch_processor_runs.get(RUN_ID)
        first = session_of(client)
        await client.batch_processor_runs.get(RUN_ID)
        await client.with_options(timeout=1).batch_processor_runs.get(RUN_ID)

        assert isinstance(first, aiohttp.ClientSession)
        assert session_of(client) is first
        assert first.connector is not None
        assert first.connector.limit == 100
        assert first.closed is False

    assert first.closed is True
    assert client.closed is True


async def test_the_connector_pool_is_never_smaller_than_the_cap(
    make_client, mocked, run_url, run_body
) -> None:
    mocked.get(run_url(), payload=run_body)

    async with make_client(max_concurrency=250) as client:
        await client.batch_processor_runs.get(RUN_ID)
        assert session_of(client).connector.limit == 250


async def test_close_is_idempotent(make_client, mocked, run_url, run_body) -> None:
    mocked.get(run_url(), payload=run_body)
    client = make_client()
    await client.batch_processor_runs.get(RUN_ID)
    session = session_of(client)

    await client.close()
    await client.close()

    assert session.closed
    assert client.closed
    assert session_of(client) is None


async def test_closing_an_unused_client_is_fine(make_client) -> None:
    client = make_client()

    await client.close()

    assert client.closed


async def test_use_after_close_is_refused_for_the_client_and_its_siblings(
    make_client, mocked
) -> None:
    async with make_client() as client:
        sibling = client.with_options(max_retries=0)

    for user in (client, sibling):
        with pytest.raises(ClientClosedError, match="this client is closed; create a new one"):
            await user.batch_processor_runs.get(RUN_ID)
    assert sibling.closed
    assert mocked.requests == {}


async def test_closing_a_sibling_leaves_its_parent_open(
    make_client, mocked, run_url, run_body
) -> None:
    mocked.get(run_url(), payload=run_body, repeat=True)
    async with make_client() as client:
        async with client.with_options(timeout=5) as sibling:
            await sibling.batch_processor_runs.get(RUN_ID)
        await sibling.close()

        assert (client.closed, sibling.closed) == (False, False)
        assert session_of(client).closed is False
        assert (await client.batch_processor_runs.get(RUN_ID)).id == RUN_ID
        assert (await sibling.batch_processor_runs.get(RUN_ID)).id == RUN_ID

    # The parent owns the session: closing it ends the family.
    assert (client.closed, sibling.closed) == (True, True)


async def test_a_user_session_is_used_and_left_open(make_client, mocked, run_url, run_body) -> None:
    mocked.get(run_url(), payload=run_body)
    async with aiohttp.ClientSession() as session:
        async with make_client(session=session) as client:
            await client.batch_processor_runs.get(RUN_ID)
            assert session_of(client) is session

        assert client.closed
        assert session.closed is False
    assert session.closed is True


async def test_a_user_session_reaches_the_server(make_client, loopback) -> None:
    async with aiohttp.ClientSession() as session:
        async with make_client(session=session, base_url=loopback.url) as client:
            run = await client.batch_processor_runs.get(RUN_ID)

        assert session.closed is False
    assert run.id == RUN_ID
    assert len(loopback.seen) == 1


def test_one_client_in_two_event_loops_is_a_clear_error(token, run_url, run_body) -> None:
    client = AsyncExtend(token, max_retries=0)

    async def first() -> None:
        with aioresponses() as mocked:
            mocked.get(run_url(), payload=run_body)
            await client.batch_processor_runs.get(RUN_ID)

    async def second() -> ExtendError:
        try:
            with pytest.raises(ExtendError) as info:
                await client.batch_processor_runs.get(RUN_ID)
            return info.value
        finally:
            await client.close()

    run_in_new_loop(first)
    error = run_in_new_loop(second)

    assert type(error) is ExtendError
    assert str(error).startswith("this client is bound to the event loop it was first used in")
    assert "create one AsyncExtend per event loop" in str(error)


async def test_with_options_siblings_share_the_session_gate_and_clock(
    make_client, mocked, run_url, run_body
) -> None:
    mocked.get(run_url(), payload=run_body, repeat=True)

    async with make_client(max_concurrency=3) as client:
        sibling = client.with_options(timeout=9, max_retries=5, workspace_id="ws_2")
        await sibling.batch_processor_runs.get(RUN_ID)
        await client.batch_processor_runs.get(RUN_ID)

        assert sibling._pipeline.transport is client._pipeline.transport
        assert session_of(sibling) is session_of(client)
        assert sibling._pipeline.gate is client._pipeline.gate
        assert sibling._pipeline.clock is client._pipeline.clock
        assert sibling._pipeline.rng is client._pipeline.rng
        assert sibling.config.max_concurrency == 3
        assert sibling.config.workspace_id == "ws_2"
        assert client.config.workspace_id is None
        assert sibling.batch_processor_runs is not client.batch_processor_runs
        assert sibling.batch_processor_runs is sibling.batch_processor_runs


async def test_a_client_used_after_a_fork_is_refused_until_reset(
    make_client, mocked, run_url, run_body, monkeypatch
) -> None:
    from extend_async import _transport

    mocked.get(run_url(), payload=run_body, repeat=True)
    async with make_client() as client:
        await client.batch_processor_runs.get(RUN_ID)
        parent_session = session_of(client)
        monkeypatch.setattr(_transport, "os", types.SimpleNamespace(getpid=lambda: 424242))

        with pytest.raises(ExtendError, match=r"created before os\.fork\(\)"):
            await client.batch_processor_runs.get(RUN_ID)

        client._pipeline.transport.abandon_after_fork()
        await client.batch_processor_runs.get(RUN_ID)
        child_session = session_of(client)

        assert child_session is not parent_session
        assert client._pipeline.transport._orphans == [parent_session]
        assert parent_session.closed is False
        await parent_session.close()  # in a real child its loop would be gone
    assert child_session.closed


async def test_abandoning_after_a_fork_never_touches_a_user_session(make_client) -> None:
    async with aiohttp.ClientSession() as session, make_client(session=session) as client:
        client._pipeline.transport.abandon_after_fork()

        assert session_of(client) is session
        assert client._pipeline.transport._orphans == []
