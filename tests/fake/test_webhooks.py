"""The fake delivers every event it emits to the endpoints tests register: signed as
Extend signs, retried on its clock with the same event id, journaled, and drained
without sleeping."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
import yarl
from anyio.from_thread import start_blocking_portal
from webhooks._receiver import Receiver

from extend_async import AsyncExtend, SystemClock
from extend_async.models import parse_event
from extend_async.testing import FakeExtendServer, ManualClock
from extend_async.testing._webhooks import DELIVERY_TIMEOUT, RETRY_DELAYS
from extend_async.webhooks import parse, verify


@pytest.fixture
async def receiver() -> Any:
    async with Receiver() as endpoint:
        yield endpoint


async def finished_run(fake: FakeExtendServer, client: AsyncExtend) -> str:
    """A processor run made through the API and ended by the clock: its id."""
    fake.processor_runs.set_lifecycle(finish_after=5.0)
    processor = fake.processors.add(name="Invoices")
    run = await client.processor_runs.create(processor.id, raw_text="Invoice 7")
    fake.advance(5.0)
    return run.id


async def test_an_event_is_posted_as_the_documented_body_and_signed(
    fake: FakeExtendServer, client: AsyncExtend, receiver: Receiver
) -> None:
    endpoint = fake.webhooks.add_endpoint(receiver.url)

    run_id = await finished_run(fake, client)
    await fake.webhooks.drain()

    (event,) = fake.events
    (seen,) = receiver.seen
    assert (seen.method, seen.path) == ("POST", "/hook")
    assert json.loads(seen.body) == event.document()
    assert list(json.loads(seen.body)) == ["eventId", "eventType", "payload"]
    assert seen.headers["Content-Type"] == "application/json"
    verify(seen.body, seen.headers, endpoint.secret)  # against the real clock
    typed = parse(seen.body, seen.headers, endpoint.secret)
    assert typed.event_type == "processor_run.processed"
    assert typed.payload.id == run_id
    (delivery,) = fake.webhooks.deliveries
    assert delivery.event_id == event.event_id
    assert delivery.event_type == "processor_run.processed"
    assert (delivery.endpoint_id, delivery.url) == (endpoint.id, receiver.url)
    assert (delivery.attempt, delivery.status, delivery.error, delivery.retry_in) == (
        1,
        200,
        None,
        None,
    )
    assert delivery.ok is True
    assert delivery.body == seen.body


async def test_each_endpoint_gets_the_types_it_asked_for(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    async with Receiver() as runs, Receiver() as processors, Receiver() as everything:
        fake.webhooks.add_endpoint(runs.url, event_types=["processor_run.processed"])
        fake.webhooks.add_endpoint(processors.url, event_types={"processor.created"})
        fake.webhooks.add_endpoint(everything.url)

        await client.processors.create(name="A", type="EXTRACT", config={"type": "EXTRACT"})
        await finished_run(fake, client)
        await fake.webhooks.drain()

    def types(receiver: Receiver) -> list[str]:
        return [json.loads(seen.body)["eventType"] for seen in receiver.seen]

    assert types(runs) == ["processor_run.processed"]
    assert types(processors) == ["processor.created"]
    assert sorted(types(everything)) == ["processor.created", "processor_run.processed"]


async def test_a_failed_delivery_is_retried_on_the_clock_with_the_same_event_id(
    fake: FakeExtendServer, client: AsyncExtend, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    endpoint = fake.webhooks.add_endpoint(receiver.url)
    await finished_run(fake, client)
    await fake.webhooks.drain()
    assert [d.status for d in fake.webhooks.deliveries] == [500]
    assert fake.webhooks.deliveries[0].retry_in == RETRY_DELAYS[0] == 10.0

    fake.advance(9.0)
    await fake.webhooks.drain()
    assert len(receiver.seen) == 1  # not due yet
    fake.advance(1.0)
    await fake.webhooks.drain()
    assert [d.status for d in fake.webhooks.deliveries] == [500, 503]
    fake.advance(60.0)
    await fake.webhooks.drain()

    deliveries = fake.webhooks.deliveries
    assert [(d.attempt, d.status, d.retry_in) for d in deliveries] == [
        (1, 500, 10.0),
        (2, 503, 60.0),
        (3, 200, None),
    ]
    (event,) = fake.events
    assert {d.event_id for d in deliveries} == {event.event_id}
    bodies = [json.loads(seen.body) for seen in receiver.seen]
    assert bodies == [event.document()] * 3  # the same body on every attempt
    for seen in receiver.seen:
        verify(seen.body, seen.headers, endpoint.secret)  # each attempt freshly signed
    fake.advance(10_000.0)
    await fake.webhooks.drain()
    assert len(receiver.seen) == 3  # delivered: nothing more


async def test_retries_are_bounded(
    fake: FakeExtendServer, client: AsyncExtend, receiver: Receiver
) -> None:
    receiver.statuses = [500] * 10
    fake.webhooks.retry_delays = (1.0, 2.0)
    fake.webhooks.add_endpoint(receiver.url)
    await finished_run(fake, client)

    for _ in range(6):
        await fake.webhooks.drain()
        fake.advance(2.0)
    await fake.webhooks.drain()

    assert [(d.attempt, d.retry_in) for d in fake.webhooks.deliveries] == [
        (1, 1.0),
        (2, 2.0),
        (3, None),
    ]


async def test_a_refused_connection_is_journaled_and_retried(
    fake: FakeExtendServer, client: AsyncExtend, unused_tcp_port: int
) -> None:
    fake.webhooks.add_endpoint(f"http://127.0.0.1:{unused_tcp_port}/hook")
    await finished_run(fake, client)
    await fake.webhooks.drain()

    (delivery,) = fake.webhooks.deliveries
    assert delivery.status is None
    assert delivery.ok is False
    assert delivery.error is not None
    assert delivery.error.startswith("ClientConnectorError: ")
    assert delivery.retry_in == 10.0


async def test_an_endpoint_that_does_not_answer_in_time_fails_the_attempt(
    fake: FakeExtendServer, client: AsyncExtend, receiver: Receiver
) -> None:
    assert fake.webhooks.timeout == DELIVERY_TIMEOUT == 30.0
    fake.webhooks.timeout = 0.05
    receiver.release = asyncio.Event()  # never set during the test
    fake.webhooks.add_endpoint(receiver.url)
    await finished_run(fake, client)
    await fake.webhooks.drain()

    (delivery,) = fake.webhooks.deliveries
    assert (delivery.status, delivery.error) == (None, "no answer within 0.05 s")
    assert delivery.retry_in == 10.0


async def test_a_signed_url_delivery_serves_its_payload_for_an_hour(
    fake: FakeExtendServer, client: AsyncExtend, receiver: Receiver, http: aiohttp.ClientSession
) -> None:
    fake.webhooks.add_endpoint(receiver.url, signed_urls=True)
    await finished_run(fake, client)
    await fake.webhooks.drain()

    (event,) = fake.events
    (seen,) = receiver.seen
    body = json.loads(seen.body)
    assert (body["eventId"], body["eventType"]) == (event.event_id, event.event_type)
    assert list(body["payload"]) == ["data"]
    url = yarl.URL(body["payload"]["data"])
    assert url.origin() != yarl.URL(fake.url).origin()  # another host, as S3 is
    async with http.get(url) as response:  # no token, no API version
        assert response.status == 200
        assert await response.json() == event.payload
    fake.advance(3600.0)
    async with http.get(url) as response:
        assert response.status == 200
    fake.advance(0.5)
    async with http.get(url) as response:
        assert response.status == 403
        assert "expired" in await response.text()
    async with http.get(url.with_name("unknown.json")) as response:
        assert response.status == 404


async def test_a_signed_url_threshold_sends_only_large_payloads_by_url(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    async with Receiver() as small, Receiver() as large:
        fake.webhooks.add_endpoint(small.url, signed_urls=100_000)
        fake.webhooks.add_endpoint(large.url, signed_urls=100)
        await finished_run(fake, client)
        await fake.webhooks.drain()

    (event,) = fake.events
    assert json.loads(small.seen[0].body) == event.document()
    assert list(json.loads(large.seen[0].body)["payload"]) == ["data"]


async def test_deliveries_side_by_side_share_one_payload_host(
    fake: FakeExtendServer, client: AsyncExtend, receiver: Receiver, http: aiohttp.ClientSession
) -> None:
    fake.webhooks.add_endpoint(receiver.url, signed_urls=True)
    fake.processor_runs.set_lifecycle(finish_after=5.0)
    processor = fake.processors.add()
    runs = [await client.processor_runs.create(processor.id, raw_text=t) for t in "ab"]
    fake.advance(5.0)  # both end at once: their deliveries go out side by side
    await fake.webhooks.drain()

    urls = [yarl.URL(json.loads(seen.body)["payload"]["data"]) for seen in receiver.seen]
    assert len(urls) == 2
    assert urls[0].origin() == urls[1].origin()
    ids = set()
    for url in urls:
        async with http.get(url) as response:
            ids.add((await response.json())["id"])
    assert ids == {run.id for run in runs}


async def test_a_retry_carries_a_fresh_signed_url(
    fake: FakeExtendServer, client: AsyncExtend, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    fake.webhooks.add_endpoint(receiver.url, signed_urls=True)
    await finished_run(fake, client)
    await fake.webhooks.drain()
    fake.advance(10.0)
    await fake.webhooks.drain()

    first, second = (json.loads(seen.body)["payload"]["data"] for seen in receiver.seen)
    assert first != second


async def test_a_removed_endpoint_gets_nothing_more(
    fake: FakeExtendServer, client: AsyncExtend, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    endpoint = fake.webhooks.add_endpoint(receiver.url)
    await finished_run(fake, client)
    await fake.webhooks.drain()
    fake.webhooks.remove_endpoint(endpoint)
    fake.advance(10.0)
    await fake.webhooks.drain()

    assert len(receiver.seen) == 1
    assert fake.webhooks.endpoints == []
    with pytest.raises(KeyError, match="no webhook endpoint with id"):
        fake.webhooks.remove_endpoint(endpoint.id)


async def test_the_generated_secret_comes_from_the_seed_and_leaves_run_ids_alone() -> None:
    async def made(with_endpoint: bool) -> tuple[str | None, str]:
        async with FakeExtendServer(seed=21) as fake, fake.client() as client:
            secret = (
                fake.webhooks.add_endpoint("http://127.0.0.1:9/h").secret if with_endpoint else None
            )
            processor = fake.processors.add()
            run = await client.processor_runs.create(processor.id, raw_text="x")
            return secret, run.id

    (first, run_a), (second, run_b), (_, run_c) = [
        await made(True),
        await made(True),
        await made(False),
    ]
    assert first == second
    assert first is not None
    assert first.startswith("wss_")
    assert len(first) == 36
    assert run_a == run_b == run_c


def test_an_endpoint_keeps_its_secret_out_of_its_repr() -> None:
    fake = FakeExtendServer()
    endpoint = fake.webhooks.add_endpoint("https://example.com/hook", secret="wss_given")

    assert endpoint.secret == "wss_given"
    assert "wss_given" not in repr(endpoint)
    assert fake.webhooks.endpoints == [endpoint]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"url": "/hook"}, ValueError, "url must be an absolute http"),
        ({"url": "ftp://host/hook"}, ValueError, "url must be an absolute http"),
        ({"event_types": "workflow.created"}, TypeError, "not one string"),
        ({"signed_urls": -1}, ValueError, "signed_urls must be True, False or bytes >= 0"),
        ({"signed_urls": 1.5}, ValueError, "signed_urls must be True, False or bytes >= 0"),
        ({"secret": ""}, ValueError, "secret must not be empty"),
        ({"secret": "wss_x\n"}, ValueError, "surrounding whitespace"),
    ],
)
def test_a_bad_endpoint_is_refused(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    fake = FakeExtendServer()
    arguments = {"url": "http://127.0.0.1:9/hook", **kwargs}

    with pytest.raises(error, match=message):
        fake.webhooks.add_endpoint(**arguments)


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("retry_delays", (-1.0,), "retry_delays must be seconds >= 0"),
        ("retry_delays", "10", "not one string"),
        ("timeout", 0, "timeout must be seconds > 0"),
        ("timeout", True, "timeout must be seconds > 0"),
    ],
)
def test_bad_settings_are_refused(setting: str, value: Any, message: str) -> None:
    fake = FakeExtendServer()

    with pytest.raises((ValueError, TypeError), match=message):
        setattr(fake.webhooks, setting, value)


async def test_drain_needs_a_running_fake_on_its_own_loop() -> None:
    fake = FakeExtendServer()
    with pytest.raises(RuntimeError, match="not running"):
        await fake.webhooks.drain()
    with pytest.raises(RuntimeError, match="not running"):
        fake.webhooks.drain_blocking()
    async with fake:
        with pytest.raises(RuntimeError, match="await drain"):
            fake.webhooks.drain_blocking()


async def test_stopping_cancels_a_delivery_in_flight_and_closes_everything(
    receiver: Receiver,
) -> None:
    receiver.release = asyncio.Event()
    async with FakeExtendServer() as fake, fake.client() as client:
        fake.webhooks.add_endpoint(receiver.url)
        await finished_run(fake, client)
        await receiver.arrived.wait()  # the attempt has reached the endpoint

    assert fake.webhooks.deliveries == []  # cut short by the stop: never answered


async def test_events_emitted_before_the_fake_starts_go_out_once_it_does(
    receiver: Receiver,
) -> None:
    fake = FakeExtendServer()
    fake.webhooks.add_endpoint(receiver.url)
    fake.processor_runs.add(processor_id=fake.processors.add().id, finish_after=1.0)
    fake.advance(1.0)  # ends the run: its event is queued
    assert len(fake.events) == 1

    async with fake:
        await fake.webhooks.drain()

    assert [d.status for d in fake.webhooks.deliveries] == [200]


async def test_on_a_real_clock_runs_end_and_are_delivered_with_nobody_polling(
    receiver: Receiver,
) -> None:
    async with FakeExtendServer(clock=SystemClock()) as fake:
        fake.webhooks.add_endpoint(receiver.url, event_types=["processor_run.processed"])
        fake.processor_runs.set_lifecycle(finish_after=0.0)
        async with fake.client() as client:
            run = await client.processor_runs.create(fake.processors.add().id, raw_text="x")
        await asyncio.wait_for(receiver.arrived.wait(), timeout=10)

    assert fake.requests["get_processor_run"] == 0
    (seen,) = receiver.seen
    event = parse_event(json.loads(seen.body))
    assert event.payload.id == run.id


def test_a_threaded_fake_is_drained_from_the_test_thread() -> None:
    with start_blocking_portal("asyncio") as portal:
        receiver = Receiver()
        portal.call(receiver.__aenter__)
        try:
            with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
                fake.webhooks.add_endpoint(receiver.url)
                fake.processor_runs.set_lifecycle(finish_after=2.0)
                run = client.processor_runs.create(fake.processors.add().id, raw_text="x")
                fake.advance(2.0)
                fake.webhooks.drain_blocking(timeout=10)
                deliveries = fake.webhooks.deliveries
        finally:
            portal.call(receiver.__aexit__)

    assert [(d.event_type, d.status) for d in deliveries] == [("processor_run.processed", 200)]
    assert json.loads(receiver.seen[0].body)["payload"]["id"] == run.id
    assert isinstance(fake.clock, ManualClock)
