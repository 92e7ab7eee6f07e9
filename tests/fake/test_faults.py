"""Scripted faults, as the client experiences them."""

from __future__ import annotations

import contextlib
import time

import aiohttp
import pytest

from extend_async import (
    APIConnectionError,
    APITimeoutError,
    AsyncExtend,
    InternalServerError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from extend_async.testing import FakeExtendServer

ROUTE = "get_batch_processor_run"


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried_then_raised(
    fake: FakeExtendServer, client: AsyncExtend, status: int
) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, status=status)

    with pytest.raises(InternalServerError) as caught:
        await client.batch_processor_runs.get(run.id)

    assert caught.value.status_code == status
    assert fake.requests[ROUTE, run.id] == 3  # the first attempt and two retries
    assert [record.status for record in fake.request_log] == [status] * 3


async def test_a_fault_with_times_runs_out_and_the_retry_succeeds(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, status=503, times=2)

    response = await client.batch_processor_runs.get.raw(run.id)

    assert response.parsed == run
    assert response.attempts == 3
    assert [record.status for record in fake.request_log] == [503, 503, 200]
    assert fake.faults.pending == []


async def test_a_scripted_429_carries_its_retry_after(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, status=429, retry_after=2, times=1)

    async with fake.client(max_retries=0) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.batch_processor_runs.get(run.id)

    assert caught.value.retry_after == 2.0
    assert caught.value.code == "RATE_LIMIT_EXCEEDED"
    assert caught.value.retryable is True
    assert fake.rate_limited == 1


async def test_a_custom_error_body_reaches_the_client(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run()
    body = {"code": "OCR_ERROR", "message": "OCR failed", "requestId": "req_1", "retryable": False}
    fake.faults.add(route=ROUTE, status=422, body=body)

    with pytest.raises(UnprocessableEntityError) as caught:
        await client.batch_processor_runs.get(run.id)

    assert (caught.value.code, caught.value.message, caught.value.request_id) == (
        "OCR_ERROR",
        "OCR failed",
        "req_1",
    )
    assert fake.requests[ROUTE] == 1  # the body says retrying cannot help


@pytest.mark.parametrize(("kind", "logged"), [("disconnect", None), ("disconnect_mid_body", 200)])
async def test_dropped_connections_are_connection_errors(
    fake: FakeExtendServer, client: AsyncExtend, kind: str, logged: int | None
) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, kind=kind)  # type: ignore[arg-type]

    with pytest.raises(APIConnectionError) as caught:
        await client.batch_processor_runs.get(run.id)

    assert caught.value.may_have_been_sent is True
    # One arrival per attempt: aiohttp's own resend of a dropped GET is switched off.
    assert fake.requests[ROUTE] == 3
    assert [record.status for record in fake.request_log] == [logged] * 3


async def test_a_response_cut_off_mid_body_is_retried(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, kind="disconnect_mid_body", times=1)

    response = await client.batch_processor_runs.get.raw(run.id)

    assert response.parsed == run
    assert response.attempts == 2
    assert [record.status for record in fake.request_log] == [200, 200]


@pytest.mark.parametrize(
    ("kind", "status"), [("truncated_json", None), ("non_json", None), ("html", 200)]
)
async def test_a_broken_success_body_is_a_validation_error(
    fake: FakeExtendServer, client: AsyncExtend, kind: str, status: int | None
) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, kind=kind, status=status)  # type: ignore[arg-type]

    with pytest.raises(ResponseValidationError, match="not JSON") as caught:
        await client.batch_processor_runs.get(run.id)

    assert caught.value.status_code == 200
    assert fake.requests[ROUTE] == 1  # a 200 is an answer: not retried


async def test_truncated_json_is_the_real_body_cut_short(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    run = fake.add_batch_run()
    url = f"{fake.url}/batch_processor_runs/{run.id}"
    async with http.get(url, headers=headers) as response:
        whole = await response.read()
    fake.faults.add(route=ROUTE, kind="truncated_json", times=1)
    async with http.get(url, headers=headers) as response:
        cut = await response.read()

    assert cut == whole[: len(whole) // 2]
    assert response.content_type == "application/json"


async def test_an_html_gateway_page_is_an_internal_server_error(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, kind="html")

    with pytest.raises(InternalServerError) as caught:
        await client.batch_processor_runs.get(run.id)

    assert caught.value.status_code == 502
    assert caught.value.message == "502 Bad Gateway"  # the page's title, not its markup
    assert "<title>502 Bad Gateway</title>" in caught.value.body
    assert str(caught.value).endswith(": 502 502 Bad Gateway")
    assert fake.requests[ROUTE] == 3


async def test_latency_delays_then_serves(fake: FakeExtendServer, client: AsyncExtend) -> None:
    slow, quick = fake.seed_batch_runs(2)
    fake.faults.add(route=ROUTE, id=slow.id, latency=0.05)

    started = time.perf_counter()
    assert await client.batch_processor_runs.get(slow.id) == slow
    slow_took = time.perf_counter() - started
    started = time.perf_counter()
    assert await client.batch_processor_runs.get(quick.id) == quick
    quick_took = time.perf_counter() - started

    assert slow_took >= 0.05
    assert quick_took < 0.05


async def test_a_slow_answer_times_the_client_out_and_stop_cuts_it_short() -> None:
    async with FakeExtendServer() as fake:
        run = fake.add_batch_run()
        fake.faults.add(route=ROUTE, latency=30.0)
        async with fake.client(timeout=0.05, max_retries=0) as client:
            with pytest.raises(APITimeoutError):
                await client.batch_processor_runs.get(run.id)
        stopping = time.perf_counter()

    assert time.perf_counter() - stopping < 1.0
    assert [record.status for record in fake.request_log] == [None]


async def test_faults_can_target_one_id(fake: FakeExtendServer, client: AsyncExtend) -> None:
    broken, healthy = fake.seed_batch_runs(2)
    fake.faults.add(route=ROUTE, id=broken.id, status=500)

    assert await client.batch_processor_runs.get(healthy.id) == healthy
    with pytest.raises(InternalServerError):
        await client.batch_processor_runs.get(broken.id)
    assert fake.requests[ROUTE, healthy.id] == 1
    assert fake.requests[ROUTE, broken.id] == 3


async def test_faults_fire_in_the_order_they_were_added(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, status=500, times=1)
    fake.faults.add(route=ROUTE, kind="html", times=1)

    assert await client.batch_processor_runs.get(run.id) == run
    assert [record.status for record in fake.request_log] == [500, 502, 200]


async def test_clear_removes_every_fault(fake: FakeExtendServer, client: AsyncExtend) -> None:
    run = fake.add_batch_run()
    fake.faults.add(route=ROUTE, status=500)
    fake.faults.clear()

    assert await client.batch_processor_runs.get(run.id) == run
    assert fake.faults.pending == []


async def outcomes(seed: int) -> list[int | None]:
    async with FakeExtendServer(seed=seed) as fake, fake.client(max_retries=0) as client:
        run = fake.add_batch_run()
        fake.faults.add(route=ROUTE, status=503, probability=0.5)
        for _ in range(20):
            with contextlib.suppress(InternalServerError):
                await client.batch_processor_runs.get(run.id)
        return [record.status for record in fake.request_log]


async def test_random_faults_reproduce_with_the_seed() -> None:
    first = await outcomes(seed=3)

    assert first == await outcomes(seed=3)
    assert first != await outcomes(seed=4)
    assert {200, 503} == set(first)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"route": "get_nothing", "status": 500}, "unknown route"),
        ({"route": ROUTE, "kind": "explode"}, "unknown fault kind"),
        ({"route": ROUTE}, "needs a kind, a status or a latency"),
        ({"route": ROUTE, "status": 200}, "error status"),
        ({"route": ROUTE, "kind": "disconnect", "status": 500}, "does not take a status"),
        ({"route": ROUTE, "kind": "truncated_json", "status": 500}, "does not take a status"),
        ({"route": ROUTE, "latency": 0.1, "retry_after": 1}, "retry_after needs a status"),
        ({"route": ROUTE, "kind": "html", "body": {}}, "only a status fault takes a body"),
        ({"route": ROUTE, "status": 500, "times": 0}, "times"),
        ({"route": ROUTE, "latency": -1}, "latency"),
        ({"route": ROUTE, "status": 500, "probability": 0}, "probability"),
    ],
)
def test_impossible_faults_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakeExtendServer().faults.add(**options)  # type: ignore[arg-type]
