"""A streamed request body (an upload): a fresh payload per attempt, or no retry at all."""

from __future__ import annotations

import aiohttp
import aiohttp.web
import pytest

from extend_async import RateLimitError, RetryPolicy
from extend_async._endpoint import NotReplayable

from .conftest import RUN_BODY


def answering(loopback, statuses: list[int], bodies: list[bytes]):
    """Answer each request with the next status (a 429 says retry at once), recording bodies."""

    async def respond(request: aiohttp.web.Request) -> aiohttp.web.Response:
        bodies.append(await request.read())
        status = statuses.pop(0)
        if status == 429:
            return aiohttp.web.json_response(
                {"error": "slow down"}, status=429, headers={"Retry-After": "0"}
            )
        return aiohttp.web.json_response(RUN_BODY, status=status)

    loopback.respond = respond


async def test_each_attempt_sends_the_whole_stream_again(
    make_client, loopback, create_endpoint, testing_mode
) -> None:
    bodies: list[bytes] = []
    answering(loopback, [429, 200], bodies)
    made: list[int] = []

    def payload() -> aiohttp.Payload:
        made.append(1)
        return aiohttp.BytesPayload(b"file bytes " * 1000)

    call = create_endpoint.call(stream=payload)
    async with make_client(base_url=loopback.url, retry=RetryPolicy(jitter=0.0)) as client:
        response = await client._pipeline.execute(call)

    assert response.attempts == 2
    assert len(made) == 2
    assert bodies == [b"file bytes " * 1000] * 2
    assert response.parsed.id == RUN_BODY["batchProcessorRun"]["id"]


async def test_a_source_that_cannot_be_read_again_ends_with_the_first_error(
    make_client, loopback, create_endpoint, testing_mode
) -> None:
    bodies: list[bytes] = []
    answering(loopback, [429, 200], bodies)
    sources = iter([b"only once"])

    def payload() -> aiohttp.Payload:
        for chunk in sources:
            return aiohttp.BytesPayload(chunk)
        raise NotReplayable

    call = create_endpoint.call(stream=payload)
    async with make_client(base_url=loopback.url, retry=RetryPolicy(jitter=0.0)) as client:
        with pytest.raises(RateLimitError) as info:
            await client._pipeline.execute(call)

    assert bodies == [b"only once"]
    assert info.value.status_code == 429
    assert info.value.__context__ is None
