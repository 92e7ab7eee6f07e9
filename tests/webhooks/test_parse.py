"""``parse``: verified first, then the typed event; a trusted body that is not an event
is an ``InvalidBodyError`` naming what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extend_async.models import (
    SignedUrlPayload,
    UnknownWebhookEvent,
    WebhookEventSignedUrl,
    WebhookEventType,
    WebhookEventWorkflowRun,
    WorkflowRunStatus,
)
from extend_async.webhooks import (
    InvalidBodyError,
    SignatureMismatchError,
    WebhookVerificationError,
    parse,
    signature_headers,
)

EXAMPLES = Path(__file__).parents[1] / "data" / "examples"
SECRET = "wss_parse_tests_secret"
AT = 1_745_859_699


def sample(name: str) -> bytes:
    return (EXAMPLES / f"webhook_event.{name}.json").read_bytes()


def delivered(body: bytes) -> Any:
    return parse(body, signature_headers(body, SECRET, timestamp=AT), SECRET, now=AT)


def test_the_workflow_run_sample_gives_its_typed_event() -> None:
    event = delivered(sample("workflow_run.completed"))

    assert isinstance(event, WebhookEventWorkflowRun)
    assert event.event_id == "event_1234"
    assert event.event_type is WebhookEventType.WORKFLOW_RUN_COMPLETED
    assert event.payload.id == "workflow_run_xKm9pNv3qWsY_jL2tR5Dh"
    assert event.payload.status is WorkflowRunStatus.PROCESSED
    assert event.payload.metadata == {"customerId": "cust_123"}


def test_the_signed_url_sample_is_recognised() -> None:
    event = delivered(sample("signed_url"))

    assert event == WebhookEventSignedUrl(
        event_id="event_5678",
        event_type=WebhookEventType.PROCESSOR_RUN_PROCESSED,
        payload=SignedUrlPayload(
            data="https://extend-webhook-payloads.s3.amazonaws.com/event_5678.json?X-Amz-Expires=3600"
        ),
    )


def test_an_unknown_event_type_keeps_its_raw_payload() -> None:
    payload = {"object": "extract_run", "id": "exr_1", "status": "PROCESSED", "extra": [1, 2]}
    body = json.dumps(
        {"eventId": "event_9", "eventType": "extract_run.processed", "payload": payload}
    )

    event = delivered(body.encode())

    assert event == UnknownWebhookEvent(
        event_id="event_9", event_type=WebhookEventType("extract_run.processed"), payload=payload
    )
    assert event.event_type.is_known is False


def test_an_unsigned_body_is_refused_before_it_is_read() -> None:
    body = b"not json at all"
    headers = signature_headers(b"something else", SECRET, timestamp=AT)

    with pytest.raises(SignatureMismatchError):
        parse(body, headers, SECRET, now=AT)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "the body is not a webhook event: not JSON (Expecting value: line 1"),
        (b"\xff\xfe\x00{", "the body is not a webhook event: not JSON ("),
        (b"[1, 2]", "the body is not a webhook event: expected a JSON object, got list at $"),
        (b'"text"', "the body is not a webhook event: expected a JSON object, got str at $"),
        (
            b'{"eventType": "workflow.created", "payload": {}}',
            "the body is not a webhook event: required field missing at $.eventId",
        ),
        (
            b'{"eventId": 7, "eventType": "workflow.created", "payload": {}}',
            "the body is not a webhook event: invalid value for type, expected str at $.eventId",
        ),
        (
            b'{"eventId": "event_1", "payload": {}}',
            "the body is not a webhook event: required field missing at $.eventType",
        ),
    ],
)
def test_a_signed_body_that_is_not_an_event_says_why(body: bytes, message: str) -> None:
    with pytest.raises(InvalidBodyError) as info:
        delivered(body)

    assert str(info.value).startswith(message)
    assert isinstance(info.value, WebhookVerificationError)


def test_the_path_of_the_bad_field_is_kept() -> None:
    with pytest.raises(InvalidBodyError) as info:
        delivered(b'{"eventId": "e", "eventType": "workflow.created"}')

    assert info.value.path == "$.payload"
