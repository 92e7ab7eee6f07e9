"""``aiohttp_handler`` end to end: deliveries from the fake over loopback, verified,
parsed, resolved, handed to the callback; refusals answered 4xx, failures 5xx and
retried by the fake with the same event id; never a traceback to the sender."""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
import pytest
from webhooks._receiver import Receiver

from extend_async import AsyncExtend, Extend
from extend_async.models import (
    ProcessorRunStatus,
    WebhookEvent,
    WebhookEventProcessorRun,
    WebhookEventSignedUrl,
)
from extend_async.testing import FakeExtendServer
from extend_async.webhooks import aiohttp_handler, signature_headers

SECRET = "wss_handler_tests_secret"


class Callback:
    """Records each event; raises for the first ``failures`` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.events: list[WebhookEvent] = []
        self.failures = failures

    async def __call__(self, event: WebhookEvent) -> None:
        self.events.append(event)
        if len(self.events) <= self.failures:
            raise RuntimeError("database unavailable: password=hunter2")


@pytest.fixture
async def fake() -> Any:
    async with FakeExtendServer(seed=3) as server:
        server.processor_runs.set_lifecycle(finish_after=5.0)
        yield server


@pytest.fixture
async def client(fake: FakeExtendServer) -> Any:
    async with fake.client() as extend:
        yield extend


async def run_to_the_end(fake: FakeExtendServer, client: AsyncExtend) -> str:
    processor = fake.processors.add(name="Invoices")
    run = await client.processor_runs.create(processor.id, raw_text="Invoice 7")
    fake.advance(5.0)
    await fake.webhooks.drain()
    return run.id


async def test_a_finished_run_reaches_the_callback_verified_and_typed(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    callback = Callback()
    async with Receiver(aiohttp_handler(callback, secret=SECRET)) as receiver:
        fake.webhooks.add_endpoint(receiver.url, secret=SECRET)
        run_id = await run_to_the_end(fake, client)

    (event,) = callback.events
    assert isinstance(event, WebhookEventProcessorRun)
    assert event.event_id == fake.events[0].event_id
    assert event.payload == await client.processor_runs.get(run_id)
    assert event.payload.status is ProcessorRunStatus.PROCESSED
    assert [(d.status, d.attempt) for d in fake.webhooks.deliveries] == [(200, 1)]


async def test_a_failing_callback_answers_500_and_the_delivery_is_retried(
    fake: FakeExtendServer, client: AsyncExtend, caplog: pytest.LogCaptureFixture
) -> None:
    callback = Callback(failures=1)
    async with Receiver(aiohttp_handler(callback, secret=SECRET)) as receiver:
        fake.webhooks.add_endpoint(receiver.url, secret=SECRET)
        with caplog.at_level(logging.ERROR, logger="extend_async.webhooks"):
            await run_to_the_end(fake, client)
        fake.advance(10.0)
        await fake.webhooks.drain()

    first, second = fake.webhooks.deliveries
    assert (first.status, second.status) == (500, 200)
    assert first.event_id == second.event_id == callback.events[0].event_id
    assert [event.event_id for event in callback.events] == [first.event_id] * 2
    (record,) = caplog.records
    assert record.exc_info is not None  # the traceback goes to the receiver's log only
    assert f"webhook {first.event_id} (processor_run.processed): callback failed" in record.message


async def test_what_the_sender_reads_is_one_line_and_no_traceback(http: Any) -> None:
    async with Receiver(aiohttp_handler(Callback(failures=1), secret=SECRET)) as receiver:
        body = b'{"eventId":"event_1","eventType":"workflow.deleted","payload":{}}'
        async with http.post(receiver.url, data=body, headers=signature_headers(body, SECRET)) as r:
            text = await r.text()

    assert r.status == 500
    assert text == "the receiver failed to handle the event\n"
    assert "hunter2" not in text


async def test_a_delivery_signed_with_another_secret_is_refused_with_401(
    fake: FakeExtendServer, client: AsyncExtend, caplog: pytest.LogCaptureFixture
) -> None:
    callback = Callback()
    async with Receiver(aiohttp_handler(callback, secret=SECRET)) as receiver:
        fake.webhooks.add_endpoint(receiver.url, secret="wss_another_endpoint")
        with caplog.at_level(logging.WARNING, logger="extend_async.webhooks"):
            await run_to_the_end(fake, client)

    assert callback.events == []
    (delivery,) = fake.webhooks.deliveries
    assert delivery.status == 401
    assert delivery.retry_in == 10.0  # Extend retries it: fixing the secret recovers
    assert "the signature does not match the body" in caplog.text
    assert SECRET not in caplog.text


EVENT = b'{"eventId":"event_1","eventType":"workflow.deleted","payload":{}}'
REFUSALS = {
    "no headers": (EVENT, {}, 401, "the x-extend-request-timestamp header is missing"),
    "garbled timestamp": (
        EVENT,
        {"x-extend-request-timestamp": "soon", "x-extend-request-signature": "0" * 64},
        401,
        "the x-extend-request-timestamp header is malformed",
    ),
    "signed long ago": (
        EVENT,
        signature_headers(EVENT, SECRET, timestamp=1_000_000_000),
        401,
        "the delivery was signed",
    ),
    "not JSON": (
        b"<html>",
        "signed now",
        400,
        "the body is not a webhook event: not JSON",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
async def test_refusals_answer_4xx_with_the_reason(http: Any, case: str) -> None:
    body, headers, status, reason = REFUSALS[case]
    if headers == "signed now":
        headers = signature_headers(body, SECRET)
    callback = Callback()
    async with (
        Receiver(aiohttp_handler(callback, secret=SECRET)) as receiver,
        http.post(receiver.url, data=body, headers=headers) as response,
    ):
        text = await response.text()

    assert response.status == status
    assert text.startswith(reason)
    assert "Traceback" not in text
    assert callback.events == []


async def test_with_a_client_signed_url_payloads_are_fetched(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    callback = Callback()
    handler = aiohttp_handler(callback, secret=SECRET, client=client)
    async with Receiver(handler) as receiver:
        fake.webhooks.add_endpoint(receiver.url, secret=SECRET, signed_urls=True)
        run_id = await run_to_the_end(fake, client)

    (event,) = callback.events
    assert isinstance(event, WebhookEventProcessorRun)
    assert event.payload == await client.processor_runs.get(run_id)


async def test_without_a_client_the_callback_gets_the_signed_url_event(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    callback = Callback()
    async with Receiver(aiohttp_handler(callback, secret=SECRET)) as receiver:
        fake.webhooks.add_endpoint(receiver.url, secret=SECRET, signed_urls=True)
        await run_to_the_end(fake, client)

    (event,) = callback.events
    assert isinstance(event, WebhookEventSignedUrl)
    resolved = await client.webhooks.resolve(event)
    assert isinstance(resolved, WebhookEventProcessorRun)


async def test_a_payload_that_cannot_be_fetched_answers_502(
    client: AsyncExtend, http: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/payload.json?sig=abc"
    body = json.dumps(
        {"eventId": "event_1", "eventType": "processor_run.processed", "payload": {"data": url}}
    ).encode()
    callback = Callback()
    headers = signature_headers(body, SECRET)
    async with (
        Receiver(aiohttp_handler(callback, secret=SECRET, client=client)) as receiver,
        http.post(receiver.url, data=body, headers=headers) as r,
    ):
        text = await r.text()

    assert r.status == 502
    assert text.startswith("the signed-URL payload could not be fetched: GET http://127.0.0.1:")
    assert "sig=abc" not in text
    assert callback.events == []


async def test_the_secret_can_come_from_the_client(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    callback = Callback()
    async with fake.client(webhook_secret=SECRET) as configured:
        handler = aiohttp_handler(callback, client=configured)
        async with Receiver(handler) as receiver:
            fake.webhooks.add_endpoint(receiver.url, secret=SECRET)
            await run_to_the_end(fake, client)

    assert len(callback.events) == 1


async def test_a_handler_that_cannot_work_is_refused_when_made(client: AsyncExtend) -> None:
    with pytest.raises(TypeError, match="callback must be an async callable, got str"):
        aiohttp_handler("not callable", secret=SECRET)  # type: ignore[arg-type]
    with Extend("token") as blocking, pytest.raises(TypeError, match="must be an AsyncExtend"):
        aiohttp_handler(Callback(), secret=SECRET, client=blocking)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs the endpoint's signing secret"):
        aiohttp_handler(Callback(), client=client)
    with pytest.raises(ValueError, match="needs the endpoint's signing secret"):
        aiohttp_handler(Callback())
    with pytest.raises(ValueError, match="tolerance must be seconds >= 0"):
        aiohttp_handler(Callback(), secret=SECRET, tolerance=-5)
    with pytest.raises(ValueError, match="surrounding whitespace"):
        aiohttp_handler(Callback(), secret=SECRET + " ")
