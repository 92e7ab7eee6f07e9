"""The fake's rate limit: 429 with Retry-After, on its clock."""

from __future__ import annotations

import aiohttp
import pytest

from extend_async import RateLimitError, SystemClock
from extend_async.testing import FakeExtendServer, ManualClock


async def get_statuses(
    http: aiohttp.ClientSession, fake: FakeExtendServer, headers: dict[str, str], n: int
) -> list[tuple[int, str | None]]:
    run_id = fake.add_batch_run().id
    seen = []
    for _ in range(n):
        url = f"{fake.url}/batch_processor_runs/{run_id}"
        async with http.get(url, headers=headers) as response:
            seen.append((response.status, response.headers.get("Retry-After")))
    return seen


async def test_over_the_limit_is_429_with_retry_after_and_the_documented_body(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    fake.rate_limit = 3
    run = fake.add_batch_run()
    url = f"{fake.url}/batch_processor_runs/{run.id}"
    for _ in range(3):
        async with http.get(url, headers=headers) as response:
            assert response.status == 200

    async with http.get(url, headers=headers) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "1"
        body = await response.json()

    assert body["code"] == "RATE_LIMIT_EXCEEDED"
    assert body["retryable"] is True
    assert "3 requests per second" in body["message"]
    assert fake.rate_limited == 1


async def test_the_window_slides_with_the_clock(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    fake.rate_limit = 2
    first = await get_statuses(http, fake, headers, 1)
    fake.advance(0.5)
    second = await get_statuses(http, fake, headers, 2)
    fake.advance(0.5)  # the first request leaves the window
    third = await get_statuses(http, fake, headers, 2)

    assert first + second + third == [
        (200, None),
        (200, None),
        (429, "1"),
        (200, None),
        (429, "1"),
    ]
    assert fake.rate_limited == 2


async def test_rejected_and_unauthorised_requests_do_not_use_the_budget(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    fake.rate_limit = 1
    stranger = {**headers, "Authorization": "Bearer nope"}

    assert await get_statuses(http, fake, stranger, 3) == [(401, None)] * 3
    assert await get_statuses(http, fake, headers, 3) == [(200, None), (429, "1"), (429, "1")]


async def test_the_client_waits_out_retry_after_on_the_shared_clock(
    fake: FakeExtendServer,
) -> None:
    assert isinstance(fake.clock, ManualClock)
    fake.rate_limit = 1
    run = fake.add_batch_run()

    async with fake.client() as client:
        await client.batch_processor_runs.get(run.id)
        assert await client.batch_processor_runs.get(run.id) == run

    assert fake.clock.sleeps == [1.0]  # simulated: the test did not wait
    assert [record.status for record in fake.request_log] == [200, 429, 200]
    assert fake.rate_limited == 1


async def test_without_retries_the_client_raises_rate_limit_error(fake: FakeExtendServer) -> None:
    fake.rate_limit = 1
    run = fake.add_batch_run()

    async with fake.client(max_retries=0) as client:
        await client.batch_processor_runs.get(run.id)
        with pytest.raises(RateLimitError) as caught:
            await client.batch_processor_runs.get(run.id)

    assert caught.value.retry_after == 1.0
    assert caught.value.code == "RATE_LIMIT_EXCEEDED"


async def test_the_limit_can_be_lifted(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    fake.rate_limit = 1
    await get_statuses(http, fake, headers, 2)
    fake.rate_limit = None

    assert await get_statuses(http, fake, headers, 5) == [(200, None)] * 5
    assert fake.rate_limit is None


async def test_a_real_clock_limits_in_real_time(
    http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with FakeExtendServer(clock=SystemClock(), rate_limit=2) as fake:
        seen = await get_statuses(http, fake, headers, 3)

    assert seen == [(200, None), (200, None), (429, "1")]


@pytest.mark.parametrize(("value", "error"), [(0, ValueError), (1.5, TypeError), (True, TypeError)])
def test_nonsense_limits_are_refused(value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        FakeExtendServer(rate_limit=value)  # type: ignore[arg-type]
