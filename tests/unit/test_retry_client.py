"""Retries through the client: exact schedules on a manual clock, and what is never resent."""

from __future__ import annotations

import asyncio
import random
import ssl

import aiohttp
import pytest

from extend_async import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    SystemClock,
    Timeout,
    UnprocessableEntityError,
)

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 429])
async def test_a_get_is_retried_after_a_retryable_status(
    make_client, mocked, run_url, run_body, sent, clock, exact_retry, status
) -> None:
    mocked.get(run_url(), status=status, payload={"error": "transient"})
    mocked.get(run_url(), payload=run_body)

    async with make_client(retry=exact_retry()) as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.attempts == 2
    assert response.parsed.id == RUN_ID
    assert clock.sleeps == [0.5]
    assert clock.monotonic() == 0.5
    assert len(sent(run_url())) == 2


async def test_the_backoff_schedule_is_exact(
    make_client, mocked, run_url, run_body, clock, exact_retry
) -> None:
    for _ in range(5):
        mocked.get(run_url(), status=503)
    mocked.get(run_url(), payload=run_body)

    async with make_client(retry=exact_retry(max_retries=5, max_backoff=5.0)) as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.attempts == 6
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 5.0]


async def test_retries_stop_at_max_retries_and_raise_the_last_error(
    make_client, mocked, run_url, sent, clock, exact_retry, fetch_error
) -> None:
    mocked.get(run_url(), status=500, payload={"error": "first"})
    mocked.get(run_url(), status=502, payload={"error": "second"})
    mocked.get(run_url(), status=503, payload={"error": "third"})
    mocked.get(run_url(), status=200)  # never reached

    async with make_client(retry=exact_retry()) as client:
        error = await fetch_error(client)

    assert type(error) is InternalServerError
    assert (error.status_code, error.message) == (503, "third")
    assert clock.sleeps == [0.5, 1.0]
    assert len(sent(run_url())) == 3


async def test_zero_max_retries_means_one_attempt(
    make_client, mocked, run_url, sent, clock, fetch_error
) -> None:
    mocked.get(run_url(), status=503, repeat=True)

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert isinstance(error, InternalServerError)
    assert clock.sleeps == []
    assert len(sent(run_url())) == 1


async def test_a_seeded_rng_gives_a_reproducible_jittered_schedule(
    make_client, mocked, run_url, run_body, clock
) -> None:
    mocked.get(run_url(), status=500)
    mocked.get(run_url(), status=500)
    mocked.get(run_url(), payload=run_body)
    reference = random.Random(20250421)

    async with make_client(retry=RetryPolicy(jitter=0.25)) as client:
        client._pipeline.rng = random.Random(20250421)
        await client.batch_processor_runs.get(RUN_ID)

    expected = [0.5 * (1 - 0.25 * reference.random()), 1.0 * (1 - 0.25 * reference.random())]
    assert clock.sleeps == expected
    assert 0.375 <= clock.sleeps[0] <= 0.5
    assert 0.75 <= clock.sleeps[1] <= 1.0


async def test_a_get_is_retried_after_a_dropped_connection(
    make_client, mocked, run_url, run_body, clock, exact_retry
) -> None:
    mocked.get(run_url(), exception=aiohttp.ServerDisconnectedError())
    mocked.get(run_url(), exception=aiohttp.ClientOSError(104, "Connection reset by peer"))
    mocked.get(run_url(), payload=run_body)

    async with make_client(retry=exact_retry()) as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.attempts == 3
    assert clock.sleeps == [0.5, 1.0]


async def test_the_server_can_veto_a_retry(
    make_client, mocked, run_url, sent, clock, fetch_error
) -> None:
    mocked.get(run_url(), status=503, payload={"error": "down", "retryable": False}, repeat=True)

    async with make_client() as client:
        error = await fetch_error(client)

    assert isinstance(error, InternalServerError)
    assert error.retryable is False
    assert clock.sleeps == []
    assert len(sent(run_url())) == 1


async def test_the_server_can_ask_for_a_retry_of_a_422(
    make_client, mocked, run_url, run_body, clock, exact_retry
) -> None:
    mocked.get(run_url(), status=422, payload={"code": "OCR_ERROR", "retryable": True})
    mocked.get(run_url(), payload=run_body)

    async with make_client(retry=exact_retry()) as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.attempts == 2
    assert clock.sleeps == [0.5]


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, BadRequestError), (404, NotFoundError), (422, UnprocessableEntityError)],
)
async def test_client_errors_are_not_retried(
    make_client, mocked, run_url, sent, clock, fetch_error, status, cls
) -> None:
    mocked.get(run_url(), status=status, payload={"error": "no"}, repeat=True)

    async with make_client() as client:
        error = await fetch_error(client)

    assert type(error) is cls
    assert clock.sleeps == []
    assert len(sent(run_url())) == 1


async def test_a_certificate_error_is_not_retried(
    make_client, mocked, run_url, sent, clock, fetch_error, connection_key
) -> None:
    failure = ssl.SSLCertVerificationError(1, "certificate verify failed")
    mocked.get(
        run_url(),
        exception=aiohttp.ClientConnectorCertificateError(connection_key, failure),
        repeat=True,
    )

    async with make_client() as client:
        error = await fetch_error(client)

    assert type(error) is APIConnectionError
    assert error.transient is False
    assert "TLS failure" in str(error)
    assert clock.sleeps == []
    assert len(sent(run_url())) == 1


async def test_an_ssl_error_is_not_retried(
    make_client, mocked, run_url, sent, fetch_error, connection_key
) -> None:
    failure = ssl.SSLError(1, "wrong version number")
    mocked.get(run_url(), exception=aiohttp.ClientSSLError(connection_key, failure), repeat=True)

    async with make_client() as client:
        error = await fetch_error(client)

    assert type(error) is APIConnectionError
    assert error.transient is False
    assert len(sent(run_url())) == 1


class TestNonIdempotentRequests:
    """A POST is resent only when it provably never reached the server, or on 429."""

    URL = "https://api.extend.ai/batch_processor_runs"

    async def run(self, client, create_endpoint):
        call = create_endpoint.call(body={"processorId": "dp_1"})
        return await client._pipeline.execute(call)

    def sends(self, mocked) -> int:
        return sum(len(v) for (method, url), v in mocked.requests.items() if method == "POST")

    async def test_a_post_is_not_retried_after_a_500(
        self, make_client, mocked, clock, create_endpoint
    ) -> None:
        mocked.post(self.URL, status=500, payload={"error": "boom"}, repeat=True)

        async with make_client() as client:
            with pytest.raises(InternalServerError):
                await self.run(client, create_endpoint)

        assert self.sends(mocked) == 1
        assert clock.sleeps == []

    async def test_a_post_is_not_retried_after_a_mid_flight_disconnect(
        self, make_client, mocked, clock, create_endpoint
    ) -> None:
        mocked.post(self.URL, exception=aiohttp.ServerDisconnectedError(), repeat=True)

        async with make_client() as client:
            with pytest.raises(APIConnectionError) as info:
                await self.run(client, create_endpoint)

        assert info.value.may_have_been_sent is True
        assert self.sends(mocked) == 1
        assert clock.sleeps == []

    async def test_a_post_is_not_retried_after_a_read_timeout(
        self, make_client, mocked, create_endpoint
    ) -> None:
        mocked.post(self.URL, exception=aiohttp.SocketTimeoutError("read"), repeat=True)

        async with make_client() as client:
            with pytest.raises(APITimeoutError):
                await self.run(client, create_endpoint)

        assert self.sends(mocked) == 1

    async def test_a_post_is_retried_after_a_connect_failure(
        self, make_client, mocked, clock, run_body, exact_retry, create_endpoint, connect_refused
    ) -> None:
        mocked.post(self.URL, exception=connect_refused)
        mocked.post(self.URL, exception=aiohttp.ConnectionTimeoutError("connect"))
        mocked.post(self.URL, payload=run_body)

        async with make_client(retry=exact_retry()) as client:
            response = await self.run(client, create_endpoint)

        assert response.attempts == 3
        assert self.sends(mocked) == 3
        assert clock.sleeps == [0.5, 1.0]

    async def test_a_post_is_retried_after_a_429(
        self, make_client, mocked, clock, run_body, exact_retry, create_endpoint
    ) -> None:
        mocked.post(self.URL, status=429, payload={"error": "slow"})
        mocked.post(self.URL, status=429, headers={"Retry-After": "2"})
        mocked.post(self.URL, payload=run_body)

        async with make_client(retry=exact_retry()) as client:
            response = await self.run(client, create_endpoint)

        assert response.attempts == 3
        assert clock.sleeps == [0.5, 2.0]


async def test_retry_after_replaces_the_backoff(
    make_client, mocked, run_url, run_body, clock, exact_retry
) -> None:
    mocked.get(run_url(), status=503, headers={"Retry-After": "4"})
    mocked.get(run_url(), status=429, headers={"retry-after-ms": "1250"})
    mocked.get(run_url(), payload=run_body)

    async with make_client(retry=exact_retry()) as client:
        await client.batch_processor_runs.get(RUN_ID)

    assert clock.sleeps == [4.0, 1.25]


async def test_a_retry_after_of_zero_retries_at_once(
    make_client, mocked, run_url, run_body, clock
) -> None:
    mocked.get(run_url(), status=429, headers={"Retry-After": "0"})
    mocked.get(run_url(), payload=run_body)

    async with make_client() as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.attempts == 2
    assert clock.sleeps == []


async def test_a_retry_after_beyond_the_limit_gives_up_at_once(
    make_client, mocked, run_url, sent, clock, fetch_error
) -> None:
    mocked.get(run_url(), status=429, headers={"Retry-After": "3600"}, repeat=True)

    async with make_client() as client:
        error = await fetch_error(client)
        cooldown = client._pipeline.gate.cooling_down_for

    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3600.0
    assert len(sent(run_url())) == 1
    assert clock.sleeps == []
    assert cooldown == 60.0  # the client still holds back, for at most max_retry_after


async def test_a_429_with_retry_after_cools_the_whole_client_down(
    make_client, mocked, run_url, clock, fetch_error
) -> None:
    mocked.get(run_url(), status=429, headers={"Retry-After": "3"})

    async with make_client(max_retries=0) as client:
        gate = client._pipeline.gate
        assert gate.cooling_down_for == 0.0
        await fetch_error(client)

        assert gate.cooling_down_for == 3.0
        clock.advance(1.0)
        assert gate.cooling_down_for == 2.0
        clock.advance(5.0)
        assert gate.cooling_down_for == 0.0


async def test_a_429_without_retry_after_does_not_cool_down(
    make_client, mocked, run_url, fetch_error
) -> None:
    mocked.get(run_url(), status=429, payload={"error": "slow"})

    async with make_client(max_retries=0) as client:
        await fetch_error(client)

        assert client._pipeline.gate.cooling_down_for == 0.0


async def test_the_timeout_bounds_the_retry_waits(
    make_client, mocked, run_url, sent, clock, exact_retry, fetch_error
) -> None:
    mocked.get(run_url(), status=503, repeat=True)
    policy = exact_retry(max_retries=10, initial_backoff=2.0, max_backoff=100.0)

    async with make_client(retry=policy, timeout=Timeout(total=5.0, connect=1.0)) as client:
        error = await fetch_error(client)

    # 2 s (t=2) fits the call's 5 s; the next 4 s wait would end at t=6: give up.
    assert isinstance(error, InternalServerError)
    assert clock.sleeps == [2.0]
    first, second = sent(run_url())
    assert "timeout" not in first  # the client's own, set on the session
    # The retry gets what is left of the call's time, not a fresh 5 s.
    assert second["timeout"] == aiohttp.ClientTimeout(total=3.0, sock_connect=1.0)


async def test_the_timeout_bounds_an_attempt_that_hangs(make_client, loopback) -> None:
    # The timeout bounds the whole call, attempts and waits included: a server that
    # never answers holds it no longer than that, retries or not.
    loopback.respond = loopback.hold

    async with make_client(base_url=loopback.url, clock=SystemClock(), timeout=0.2) as client:
        with pytest.raises(APITimeoutError):
            await asyncio.wait_for(client.batch_processor_runs.get(RUN_ID), 1.0)


async def test_testing_mode_removes_the_waits_but_not_the_retries(
    make_client, mocked, run_url, run_body, clock, testing_mode
) -> None:
    mocked.get(run_url(), status=503)
    mocked.get(run_url(), exception=aiohttp.ServerDisconnectedError())
    mocked.get(run_url(), payload=run_body)

    async with make_client() as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.attempts == 3
    assert clock.sleeps == []
    assert clock.monotonic() == 0.0


async def test_testing_mode_removes_the_wait_after_a_429_with_retry_after(
    make_client, mocked, run_url, run_body, clock, testing_mode
) -> None:
    mocked.get(run_url(), status=429, headers={"Retry-After": "3"})
    mocked.get(run_url(), payload=run_body)

    async with make_client() as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.attempts == 2
    assert clock.sleeps == []


async def test_with_options_overrides_retries_and_timeout_per_call(
    make_client, mocked, run_url, run_body, sent, clock, fetch_error
) -> None:
    mocked.get(run_url(), status=503)
    mocked.get(run_url(), status=503)
    mocked.get(run_url(), payload=run_body)

    async with make_client() as client:
        strict = client.with_options(max_retries=0, timeout=5)
        error = await fetch_error(strict)
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert isinstance(error, InternalServerError)
    assert response.attempts == 2
    assert len(clock.sleeps) == 1
    assert strict.config.retry.max_retries == 0
    assert strict.config.timeout == Timeout(total=5.0, connect=None)
    assert client.config.retry.max_retries == 2
    assert client.config.timeout == Timeout(total=60.0, connect=10.0)
    # The sibling sends its own timeout; the parent's first attempt takes the session
    # default, and so does its retry: what is left of the call's 60 s after a backoff
    # of under a second, rounded up to whole seconds as aiohttp does, is 60 s again.
    timeouts = [kwargs.get("timeout") for kwargs in sent(run_url())]
    assert 0 < clock.sleeps[0] < 1
    assert timeouts == [aiohttp.ClientTimeout(total=5.0, sock_connect=None), None, None]


async def test_with_options_can_replace_the_whole_policy(make_client) -> None:
    async with make_client(max_retries=4) as client:
        sibling = client.with_options(retry=RetryPolicy(initial_backoff=1.0), max_retries=1)

    assert sibling.config.retry == RetryPolicy(initial_backoff=1.0, max_retries=1)
    assert client.config.retry == RetryPolicy(max_retries=4)


async def test_a_retry_after_a_long_wait_gets_what_is_left_in_whole_seconds(
    make_client, mocked, run_url, run_body, sent, clock
) -> None:
    mocked.get(run_url(), status=503, headers={"Retry-After": "20.5"})
    mocked.get(run_url(), payload=run_body)

    async with make_client(max_retries=1, timeout=Timeout(total=60.0, connect=4.0)) as client:
        await client.batch_processor_runs.get(RUN_ID)

    assert clock.sleeps == [20.5]
    first, retry = (kwargs.get("timeout") for kwargs in sent(run_url()))
    assert first is None
    assert retry == aiohttp.ClientTimeout(total=40, sock_connect=4.0)  # 39.5 s, rounded up
