"""How often a request really arrives, over a real socket: max_retries=N means N+1.

aiohttp sends an idempotent request a second time by itself when its connection drops;
the client switches that off, so that its own retry policy alone decides. A redirect
is never followed, and a POST that may have reached the server is never sent again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import aiohttp.web
import pytest
from unit._drops import close_before_response, close_mid_body, reset

from extend_async import APIConnectionError, APIStatusError

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"
Handler = Callable[[aiohttp.web.Request], Awaitable[aiohttp.web.StreamResponse]]


DROPS = [
    pytest.param(reset, id="reset"),
    pytest.param(close_before_response, id="close-before-response"),
    pytest.param(close_mid_body, id="close-mid-body"),
]


@pytest.mark.parametrize("drop", DROPS)
@pytest.mark.parametrize("max_retries", [0, 1, 2])
async def test_a_dropped_get_arrives_max_retries_plus_one_times(
    make_client, loopback, fetch_error, drop: Handler, max_retries: int
) -> None:
    loopback.respond = drop

    async with make_client(base_url=loopback.url, max_retries=max_retries) as client:
        error = await fetch_error(client)

    assert isinstance(error, APIConnectionError)
    assert len(loopback.seen) == max_retries + 1


@pytest.mark.parametrize("drop", DROPS)
async def test_a_session_of_your_own_gets_the_same_count(
    make_client, loopback, fetch_error, drop: Handler
) -> None:
    loopback.respond = drop

    async with aiohttp.ClientSession() as session:
        async with make_client(base_url=loopback.url, session=session, max_retries=1) as client:
            error = await fetch_error(client)
        assert session.closed is False  # borrowed: used, never closed

    assert isinstance(error, APIConnectionError)
    assert len(loopback.seen) == 2


@pytest.mark.parametrize("drop", DROPS)
async def test_a_post_that_may_have_arrived_is_sent_once(
    make_client, loopback, clock, create_endpoint, drop: Handler
) -> None:
    loopback.respond = drop

    async with make_client(base_url=loopback.url, max_retries=5) as client:
        with pytest.raises(APIConnectionError) as info:
            await client._pipeline.execute(create_endpoint.call(body={"processorId": "dp_1"}))

    assert info.value.may_have_been_sent is True
    assert [request.method for request in loopback.seen] == ["POST"]
    assert clock.sleeps == []


async def test_a_redirect_loop_is_one_request_and_not_retried(
    make_client, loopback, fetch_error
) -> None:
    async def loop_back(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
        raise aiohttp.web.HTTPFound(location=str(request.url))

    loopback.respond = loop_back

    async with make_client(base_url=loopback.url) as client:
        error = await fetch_error(client)

    assert type(error) is APIStatusError
    assert error.status_code == 302
    location = f"{loopback.url}/batch_processor_runs/{RUN_ID}"
    assert error.message == f"a redirect to {location!r}, which the client does not follow"
    assert len(loopback.seen) == 1


@pytest.fixture
async def elsewhere() -> AsyncIterator[tuple[str, list[aiohttp.web.Request]]]:
    """A second server, on another port: another origin."""
    seen: list[aiohttp.web.Request] = []

    async def record(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
        seen.append(request)
        return aiohttp.web.json_response({})

    app = aiohttp.web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = aiohttp.web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}", seen
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_nothing_of_ours_goes_to_another_origin(
    make_client, loopback, fetch_error, elsewhere, status: int
) -> None:
    other, seen_there = elsewhere

    async def send_away(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
        return aiohttp.web.Response(status=status, headers={"Location": f"{other}/steal"})

    loopback.respond = send_away

    async with make_client(base_url=loopback.url, workspace_id="ws_1") as client:
        error = await fetch_error(client)

    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    assert seen_there == []  # not our token, version, workspace or User-Agent
    assert len(loopback.seen) == 1
