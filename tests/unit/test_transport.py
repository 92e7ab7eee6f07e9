"""aiohttp failures become APIConnectionError/APITimeoutError, marked sent or not sent."""

from __future__ import annotations

import asyncio
import socket
import ssl

import aiohttp
import aiohttp.web
import pytest

from extend_async import APIConnectionError, APITimeoutError, Timeout

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"
WHERE = f"GET https://api.extend.ai/batch_processor_runs/{RUN_ID}"


@pytest.fixture
def failures(connection_key, connect_refused):
    cert = ssl.SSLCertVerificationError(1, "certificate verify failed")
    return {
        "refused": connect_refused,
        "certificate": aiohttp.ClientConnectorCertificateError(connection_key, cert),
        "ssl": aiohttp.ClientSSLError(connection_key, ssl.SSLError(1, "wrong version")),
        "connect-timeout": aiohttp.ConnectionTimeoutError("connect"),
        "read-timeout": aiohttp.SocketTimeoutError("Timeout on reading data from socket"),
        "total-timeout": asyncio.TimeoutError(),
        "disconnected": aiohttp.ServerDisconnectedError(),
        "reset": aiohttp.ClientOSError(104, "Connection reset by peer"),
        "payload": aiohttp.ClientPayloadError("Response payload is not completed"),
    }


@pytest.mark.parametrize(
    ("name", "cls", "sent", "transient", "detail"),
    [
        ("refused", APIConnectionError, False, True, "cannot connect: "),
        ("certificate", APIConnectionError, True, False, "TLS failure: "),
        ("ssl", APIConnectionError, True, False, "TLS failure: "),
        ("connect-timeout", APITimeoutError, False, True, "connecting timed out"),
        (
            "read-timeout",
            APITimeoutError,
            True,
            True,
            "timed out reading the response: Timeout on reading data from socket",
        ),
        ("total-timeout", APITimeoutError, True, True, "timed out after 60 s"),
        (
            "disconnected",
            APIConnectionError,
            True,
            True,
            "ServerDisconnectedError: Server disconnected",
        ),
        ("reset", APIConnectionError, True, True, "ClientOSError: "),
        ("payload", APIConnectionError, True, True, "ClientPayloadError: "),
    ],
)
async def test_each_aiohttp_failure_is_mapped(
    make_client, mocked, run_url, fetch_error, failures, name, cls, sent, transient, detail
) -> None:
    cause = failures[name]
    mocked.get(run_url(), exception=cause)

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert type(error) is cls
    assert error.may_have_been_sent is sent
    assert error.transient is transient
    assert error.message.startswith(detail)
    assert str(error) == f"{WHERE}: {error.message}"
    assert (error.method, error.url) == ("GET", WHERE.removeprefix("GET "))
    assert error.__cause__ is cause
    assert error.__context__ is None


async def test_a_real_attempt_timeout(make_client, loopback, fetch_error) -> None:
    loopback.respond = loopback.hold

    async with make_client(base_url=loopback.url, timeout=0.05, max_retries=0) as client:
        error = await fetch_error(client)

    assert isinstance(error, APITimeoutError)
    assert error.may_have_been_sent is True
    assert len(loopback.seen) == 1


async def cut_off(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    """Start a 1000-byte answer, then drop the connection after one byte."""
    response = aiohttp.web.StreamResponse(headers={"Content-Type": "application/json"})
    response.content_length = 1000
    await response.prepare(request)
    await response.write(b"{")
    request.transport.close()
    return response


async def test_a_get_cut_off_mid_response_is_retried(
    make_client, loopback, clock, exact_retry, fetch_error
) -> None:
    loopback.respond = cut_off

    async with make_client(base_url=loopback.url, retry=exact_retry()) as client:
        error = await fetch_error(client)

    assert type(error) is APIConnectionError
    assert error.may_have_been_sent is True
    assert len(loopback.seen) == 3
    assert clock.sleeps == [0.5, 1.0]


async def test_a_post_cut_off_mid_response_is_sent_once(
    make_client, loopback, clock, create_endpoint
) -> None:
    loopback.respond = cut_off

    async with make_client(base_url=loopback.url) as client:
        with pytest.raises(APIConnectionError):
            await client._pipeline.execute(create_endpoint.call(body={"processorId": "dp_1"}))

    assert [r.method for r in loopback.seen] == ["POST"]
    assert clock.sleeps == []


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_post_to_a_refusing_host_is_retried(
    make_client, clock, exact_retry, create_endpoint
) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}"

    async with make_client(base_url=base_url, retry=exact_retry()) as client:
        with pytest.raises(APIConnectionError) as info:
            await client._pipeline.execute(create_endpoint.call(body={"processorId": "dp_1"}))

    assert info.value.may_have_been_sent is False
    assert "cannot connect" in str(info.value)
    assert clock.sleeps == [0.5, 1.0]


async def test_the_per_attempt_timeout_is_handed_to_aiohttp(
    make_client, mocked, run_url, run_body, sent
) -> None:
    mocked.get(run_url(), payload=run_body, repeat=True)

    async with make_client(timeout=Timeout(total=7.5, connect=2.0)) as client:
        await client.batch_processor_runs.get(RUN_ID)
        session = client._pipeline.transport._session
        assert session is not None
        # The client's own timeout is set once on the session it creates...
        assert session.timeout == aiohttp.ClientTimeout(total=7.5, sock_connect=2.0)
        await client.with_options(timeout=3.0).batch_processor_runs.get(RUN_ID)

    first, second = sent(run_url())
    assert "timeout" not in first
    # ...and a sibling's differing timeout travels with each of its requests: a plain
    # number is the whole call's limit, with no separate connect limit longer than it.
    assert second["timeout"] == aiohttp.ClientTimeout(total=3.0, sock_connect=None)
