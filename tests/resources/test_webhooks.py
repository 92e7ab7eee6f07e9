"""``client.webhooks``: a delivery unwrapped with the client's secret, and a signed-URL
payload fetched with exactly one bare GET of its URL, on both clients."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yarl
from aioresponses import aioresponses
from resources.conftest import EXAMPLES, example

from extend_async import (
    AsyncExtend,
    Extend,
    ExtendError,
    NotFoundError,
    PermissionDeniedError,
    ResponseValidationError,
    RetryPolicy,
    to_dict,
)
from extend_async._converter import converter
from extend_async.models import (
    ProcessorRun,
    WebhookEventProcessorRun,
    WebhookEventSignedUrl,
    WebhookEventWorkflowRun,
)
from extend_async.webhooks import SignatureMismatchError, parse, signature_headers

from .conftest import BASE_URL, TOKEN

SECRET = "wss_resource_tests_secret"
PAYLOAD_URL = "https://extend-webhook-payloads.s3.amazonaws.com/event_5678.json?X-Amz-Expires=3600"


def delivery(name: str, secret: str = SECRET) -> tuple[bytes, dict[str, str]]:
    body = (EXAMPLES / f"webhook_event.{name}.json").read_bytes()
    return body, signature_headers(body, secret)


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    with aioresponses() as mock:
        yield mock


def sent(mock: aioresponses) -> list[tuple[str, yarl.URL, dict[str, Any]]]:
    return [
        (method, url, call.kwargs)
        for (method, url), calls in mock.requests.items()
        for call in calls
    ]


def reply_payload(mock: aioresponses, body: Any, status: int = 200) -> None:
    text = body if isinstance(body, str) else json.dumps(body)
    pattern = re.compile(re.escape(PAYLOAD_URL.split("?")[0]) + r".*")
    mock.get(pattern, status=status, body=text, repeat=True)


async def test_unwrap_fetches_a_signed_url_payload_with_one_bare_get(
    mocked: aioresponses, client: Any
) -> None:
    run = example("get_processor_run")["processorRun"]
    reply_payload(mocked, run)
    body, headers = delivery("signed_url")

    async with client() as c:
        event = await c.webhooks.unwrap(body, headers, secret=SECRET)

    assert isinstance(event, WebhookEventProcessorRun)
    assert event.event_id == "event_5678"
    assert event.payload == converter.structure(run, ProcessorRun)
    ((method, url, kwargs),) = sent(mocked)
    assert (method, str(url)) == ("GET", PAYLOAD_URL)
    assert not kwargs.get("headers")  # no Authorization, no API version: another host


async def test_an_inline_delivery_is_unwrapped_without_a_request(
    mocked: aioresponses, client: Any
) -> None:
    body, headers = delivery("workflow_run.completed")

    async with client() as c:
        event = await c.webhooks.unwrap(body, headers, secret=SECRET)

    assert isinstance(event, WebhookEventWorkflowRun)
    assert to_dict(event)["payload"]["id"] == "workflow_run_xKm9pNv3qWsY_jL2tR5Dh"
    assert sent(mocked) == []


async def test_a_bad_delivery_is_refused_before_anything_is_fetched(
    mocked: aioresponses, client: Any
) -> None:
    body, headers = delivery("signed_url", secret="wss_someone_else")

    async with client() as c:
        with pytest.raises(SignatureMismatchError):
            await c.webhooks.unwrap(body, headers, secret=SECRET)

    assert sent(mocked) == []


async def test_the_secret_defaults_to_the_clients_option(mocked: aioresponses) -> None:
    body, headers = delivery("workflow_run.completed")

    async with AsyncExtend(TOKEN, base_url=BASE_URL, webhook_secret=SECRET) as c:
        event = await c.webhooks.unwrap(body, headers)
        with pytest.raises(SignatureMismatchError):  # an explicit secret wins
            await c.webhooks.unwrap(body, headers, secret="wss_other")

    assert isinstance(event, WebhookEventWorkflowRun)


async def test_the_secret_falls_back_to_the_environment(
    mocked: aioresponses, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXTEND_WEBHOOK_SECRET", SECRET)
    body, headers = delivery("workflow_run.completed")

    async with AsyncExtend(TOKEN, base_url=BASE_URL) as c:
        event = await c.webhooks.unwrap(body, headers)

    assert isinstance(event, WebhookEventWorkflowRun)


async def test_no_secret_anywhere_is_a_clear_error(
    mocked: aioresponses, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EXTEND_WEBHOOK_SECRET", raising=False)
    body, headers = delivery("workflow_run.completed")

    async with AsyncExtend(TOKEN, base_url=BASE_URL) as c:
        with pytest.raises(ExtendError) as info:
            await c.webhooks.unwrap(body, headers)

    assert str(info.value).startswith("webhooks.unwrap(): no signing secret: pass secret=...")
    assert "EXTEND_WEBHOOK_SECRET" in str(info.value)


async def test_resolve_passes_an_inline_event_through(mocked: aioresponses, client: Any) -> None:
    body, headers = delivery("workflow_run.completed")
    event = parse(body, headers, SECRET)

    async with client() as c:
        assert await c.webhooks.resolve(event) is event

    assert sent(mocked) == []


@pytest.mark.parametrize("content", ["<html>not json</html>", "[1, 2, 3]", '"text"'])
async def test_a_payload_that_is_not_a_json_object_is_a_validation_error(
    mocked: aioresponses, client: Any, content: str
) -> None:
    reply_payload(mocked, content)
    event = parse(*delivery("signed_url"), SECRET)

    async with client() as c:
        with pytest.raises(ResponseValidationError) as info:
            await c.webhooks.resolve(event)

    error = info.value
    assert error.message == "the signed-URL payload is not a JSON object"
    assert error.url == PAYLOAD_URL.split("?")[0]  # the signature in the query is not shown
    assert "X-Amz" not in str(error)
    assert error.body == content


@pytest.mark.parametrize(("status", "error"), [(404, NotFoundError), (403, PermissionDeniedError)])
async def test_a_failed_fetch_raises_the_status_error(
    mocked: aioresponses, client: Any, status: int, error: type[Exception]
) -> None:
    reply_payload(mocked, "<Error><Code>AccessDenied</Code></Error>", status=status)
    event = parse(*delivery("signed_url"), SECRET)

    async with client() as c:
        with pytest.raises(error) as info:
            await c.webhooks.resolve(event)

    assert "X-Amz" not in str(info.value)


async def test_resolve_refuses_what_is_not_an_event(client: Any) -> None:
    async with client() as c:
        with pytest.raises(TypeError) as info:
            await c.webhooks.resolve({"eventId": "e"})  # type: ignore[arg-type]

    assert str(info.value) == "webhooks.resolve() takes a parsed webhook event, got dict"


async def test_a_misnamed_argument_names_the_method(client: Any) -> None:
    async with client() as c:
        with pytest.raises(TypeError) as info:
            await c.webhooks.unwrap(b"{}", {}, signing_secret=SECRET)  # type: ignore[call-arg]

    assert str(info.value) == (
        "webhooks.unwrap() got an unexpected keyword argument 'signing_secret'"
    )


def test_the_blocking_client_unwraps_the_same(mocked: aioresponses) -> None:
    run = example("get_processor_run")["processorRun"]
    reply_payload(mocked, run)
    body, headers = delivery("signed_url")

    with Extend(TOKEN, base_url=BASE_URL, retry=RetryPolicy(max_retries=0)) as c:
        event = c.webhooks.unwrap(body, headers, secret=SECRET)
        signed = parse(body, headers, SECRET)
        resolved = c.webhooks.resolve(signed)
        with pytest.raises(TypeError, match=r"^webhooks\.unwrap\(\) missing a required"):
            c.webhooks.unwrap(body)  # type: ignore[call-arg]

    assert isinstance(signed, WebhookEventSignedUrl)
    assert isinstance(event, WebhookEventProcessorRun)
    assert resolved == event
    assert [str(url) for _, url, _ in sent(mocked)] == [PAYLOAD_URL, PAYLOAD_URL]


def test_the_webhook_secret_is_masked_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    client = AsyncExtend(TOKEN, webhook_secret=SECRET)

    assert SECRET not in repr(client.config)
    assert client.config.webhook_secret is not None
    assert client.config.webhook_secret.reveal() == SECRET
    assert repr(client.config.webhook_secret) == "Secret('**********')"
    assert client.with_options(timeout=5).config.webhook_secret == client.config.webhook_secret
    monkeypatch.delenv("EXTEND_WEBHOOK_SECRET", raising=False)
    assert AsyncExtend(TOKEN).config.webhook_secret is None
    assert AsyncExtend(TOKEN, webhook_secret="").config.webhook_secret is None
    with pytest.raises(ExtendError, match="a newline read from a file") as info:
        AsyncExtend(TOKEN, webhook_secret=SECRET + "\n")
    assert SECRET not in str(info.value)
    with pytest.raises(ExtendError, match="webhook_secret refused: secret must be a str"):
        AsyncExtend(TOKEN, webhook_secret=b"wss_bytes")  # type: ignore[arg-type]
