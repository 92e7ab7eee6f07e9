"""Type-checked, never run: receiving webhooks as users write it (``mypy --strict``)."""

from __future__ import annotations

from aiohttp import web
from multidict import CIMultiDictProxy
from typing_extensions import assert_type

from extend_async import AsyncExtend, Extend
from extend_async.models import WebhookEvent, WebhookEventWorkflowRun
from extend_async.testing import FakeExtendServer, WebhookDelivery, WebhookEndpoint
from extend_async.webhooks import (
    WebhookVerificationError,
    aiohttp_handler,
    parse,
    signature_headers,
    verify,
)

BODY = b"{}"


async def on_event(event: WebhookEvent) -> None:
    if isinstance(event, WebhookEventWorkflowRun):
        assert_type(event.payload.id, str)


def module_usage(headers: CIMultiDictProxy[str], asgi: list[tuple[bytes, bytes]]) -> None:
    assert_type(verify(BODY, headers, "wss_1"), None)
    assert_type(verify(BODY, {"x-extend-request-signature": "a"}, "wss_1", tolerance=60), None)
    assert_type(parse(BODY, asgi, "wss_1", now=1.0), WebhookEvent)
    assert_type(parse(BODY, [("a", "b")], "wss_1"), WebhookEvent)
    assert_type(signature_headers(BODY, "wss_1", timestamp=1), dict[str, str])
    try:
        parse(BODY, headers, "wss_1")
    except WebhookVerificationError as error:
        assert_type(str(error), str)


async def client_usage(client: AsyncExtend, headers: CIMultiDictProxy[str]) -> None:
    event = await client.webhooks.unwrap(BODY, headers, secret="wss_1", tolerance=10)
    assert_type(event, WebhookEvent)
    assert_type(await client.webhooks.resolve(event), WebhookEvent)
    handler = aiohttp_handler(on_event, secret="wss_1", client=client)
    web.Application().router.add_post("/hooks", handler)


def sync_usage(client: Extend) -> None:
    event = client.webhooks.unwrap(BODY, {"a": "b"})
    assert_type(event, WebhookEvent)
    assert_type(client.webhooks.resolve(event), WebhookEvent)


async def fake_usage(fake: FakeExtendServer) -> None:
    endpoint = fake.webhooks.add_endpoint("http://127.0.0.1:1/hooks", signed_urls=1024)
    assert_type(endpoint, WebhookEndpoint)
    assert_type(endpoint.secret, str)
    await fake.webhooks.drain()
    fake.webhooks.drain_blocking(timeout=5)
    assert_type(fake.webhooks.deliveries, list[WebhookDelivery])


def wrong_usage(client: Extend) -> None:
    verify("text", {}, "wss_1")  # type: ignore[arg-type]
    client.webhooks.unwrap(BODY, {}, secret=1)  # type: ignore[arg-type]
    aiohttp_handler(on_event, secret=b"x")  # type: ignore[arg-type]
