"""Webhook events: one typed event per documented type, signed-URL deliveries, and
events of unknown types (or unreadable payloads) kept with their payload as sent."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cattrs import ClassValidationError
from models._support import assert_same_wire, example, round_trip

from extend_async import to_dict
from extend_async._converter import converter
from extend_async.models import (
    ParserRunState,
    ParserRunStatus,
    Processor,
    ProcessorRun,
    ProcessorVersion,
    SignedUrlPayload,
    StepRun,
    UnknownWebhookEvent,
    WebhookEvent,
    WebhookEventParserRun,
    WebhookEventProcessor,
    WebhookEventProcessorRun,
    WebhookEventProcessorVersion,
    WebhookEventSignedUrl,
    WebhookEventStepRun,
    WebhookEventType,
    WebhookEventWorkflow,
    WebhookEventWorkflowRun,
    Workflow,
    WorkflowRun,
    WorkflowRunStatus,
    parse_event,
)

DOCUMENTED_TYPES = [
    "workflow_run.completed",
    "workflow_run.failed",
    "workflow_run.needs_review",
    "workflow_run.rejected",
    "workflow_run.step_run.processed",
    "processor_run.processed",
    "processor_run.failed",
    "workflow.created",
    "workflow.deployed",
    "workflow.deleted",
    "processor.created",
    "processor.updated",
    "processor.deleted",
    "processor.draft.updated",
    "processor.version.published",
    "parser_run.processed",
    "parser_run.failed",
]


def payload_for(event_type: str) -> dict[str, Any]:
    """A documented object of the kind an event of this type carries."""
    workflow_run: dict[str, Any] = example("webhook_event.workflow_run.completed")["payload"]
    kind = event_type.split(".")[0]
    if event_type == "workflow_run.step_run.processed":
        step_run: dict[str, Any] = workflow_run["stepRuns"][0]
        return step_run
    if event_type == "processor.version.published":
        version: dict[str, Any] = example("get_processor_version")["version"]
        return version
    payloads: dict[str, Any] = {
        "workflow_run": workflow_run,
        "processor_run": example("get_processor_run")["processorRun"],
        "workflow": example("create_workflow")["workflow"],
        "processor": example("create_processor")["processor"],
        "parser_run": example("parse_file_async"),
    }
    return payloads[kind]  # type: ignore[no-any-return]


EVENT_CLASS: dict[str, tuple[type[Any], type[Any]]] = {
    "workflow_run": (WebhookEventWorkflowRun, WorkflowRun),
    "workflow_run.step_run": (WebhookEventStepRun, StepRun),
    "processor_run": (WebhookEventProcessorRun, ProcessorRun),
    "workflow": (WebhookEventWorkflow, Workflow),
    "processor": (WebhookEventProcessor, Processor),
    "processor.version": (WebhookEventProcessorVersion, ProcessorVersion),
    "parser_run": (WebhookEventParserRun, ParserRunStatus),
}


def classes_for(event_type: str) -> tuple[type[Any], type[Any]]:
    for prefix in ("workflow_run.step_run", "processor.version"):
        if event_type.startswith(prefix + "."):
            return EVENT_CLASS[prefix]
    return EVENT_CLASS[event_type.split(".")[0]]


def test_the_workflow_run_sample_is_a_typed_event_that_round_trips() -> None:
    body = example("webhook_event.workflow_run.completed")

    event = parse_event(copy.deepcopy(body))

    assert isinstance(event, WebhookEventWorkflowRun)
    assert event.event_id == "event_1234"
    assert event.event_type is WebhookEventType.WORKFLOW_RUN_COMPLETED
    assert event.payload.id == "workflow_run_xKm9pNv3qWsY_jL2tR5Dh"
    assert event.payload.status is WorkflowRunStatus.PROCESSED
    assert event.payload.outputs[0].processor_name == "Invoice Processor"
    assert_same_wire(to_dict(event), body)


def test_the_signed_url_sample_is_its_own_event() -> None:
    body = example("webhook_event.signed_url")

    event = parse_event(copy.deepcopy(body))

    assert event == WebhookEventSignedUrl(
        event_id="event_5678",
        event_type=WebhookEventType.PROCESSOR_RUN_PROCESSED,
        payload=SignedUrlPayload(
            data="https://extend-webhook-payloads.s3.amazonaws.com/event_5678.json?X-Amz-Expires=3600"
        ),
    )
    assert isinstance(event, WebhookEventSignedUrl)
    assert event.payload.url == body["payload"]["data"]
    assert to_dict(event) == body


def test_a_signed_url_event_with_its_fetched_payload_is_the_typed_event() -> None:
    event = parse_event(example("webhook_event.signed_url"))
    assert isinstance(event, WebhookEventSignedUrl)
    fetched = example("get_processor_run")["processorRun"]

    full = event.with_payload(fetched)

    assert isinstance(full, WebhookEventProcessorRun)
    assert full.event_id == "event_5678"
    assert full.event_type is WebhookEventType.PROCESSOR_RUN_PROCESSED
    assert full.payload == converter.structure(fetched, ProcessorRun)


@pytest.mark.parametrize("event_type", DOCUMENTED_TYPES)
def test_every_documented_event_type_gives_its_typed_event(event_type: str) -> None:
    body = {"eventId": "event_1", "eventType": event_type, "payload": payload_for(event_type)}
    event_class, payload_class = classes_for(event_type)

    event = round_trip(body, WebhookEvent)

    assert type(event) is event_class
    assert type(event.payload) is payload_class
    assert event.event_type == event_type
    assert event.event_type.is_known is True
    assert parse_event(copy.deepcopy(body)) == event


@pytest.mark.parametrize("event_type", [*DOCUMENTED_TYPES, "extract_run.processed"])
def test_a_signed_url_delivery_of_any_type_is_a_signed_url_event(event_type: str) -> None:
    body = {"eventId": "event_1", "eventType": event_type, "payload": {"data": "https://x/e"}}

    event = parse_event(copy.deepcopy(body))

    assert isinstance(event, WebhookEventSignedUrl)
    assert event.payload == SignedUrlPayload(data="https://x/e")
    assert to_dict(event) == body


def test_the_parser_run_events_carry_the_run_status() -> None:
    body = {
        "eventId": "event_2",
        "eventType": "parser_run.failed",
        "payload": {
            "object": "parser_run_status",
            "id": "parser_run_1",
            "status": "FAILED",
            "failureReason": "CORRUPT_FILE",
        },
    }

    event = round_trip(body, WebhookEvent)

    assert event == WebhookEventParserRun(
        event_id="event_2",
        event_type=WebhookEventType.PARSER_RUN_FAILED,
        payload=ParserRunStatus(
            id="parser_run_1", status=ParserRunState.FAILED, failure_reason="CORRUPT_FILE"
        ),
    )


@pytest.mark.parametrize(
    "payload",
    [{"object": "extract_run", "id": "exr_1", "status": "PROCESSED"}, [1, 2], "text", None],
)
def test_an_event_of_an_unknown_type_keeps_its_payload(payload: Any) -> None:
    body = {"eventId": "event_9", "eventType": "extract_run.processed", "payload": payload}

    event = parse_event(copy.deepcopy(body))

    assert event == UnknownWebhookEvent(
        event_id="event_9",
        event_type=WebhookEventType("extract_run.processed"),
        payload=payload,
    )
    assert isinstance(event, UnknownWebhookEvent)
    assert event.event_type.is_known is False
    assert to_dict(event) == body


def test_a_known_event_whose_payload_cannot_be_read_is_kept_generic() -> None:
    body = {"eventId": "event_3", "eventType": "workflow.created", "payload": {"id": "workflow_1"}}

    event = parse_event(copy.deepcopy(body))

    assert isinstance(event, UnknownWebhookEvent)
    assert event.event_type is WebhookEventType.WORKFLOW_CREATED
    assert event.payload == {"id": "workflow_1"}
    assert to_dict(event) == body


@pytest.mark.parametrize(
    "body",
    [
        {"eventType": "workflow.created", "payload": {}},
        {"eventId": "event_1", "payload": {}},
        {"eventId": 7, "eventType": "workflow.created", "payload": {}},
    ],
)
def test_a_delivery_without_its_id_or_type_is_refused(body: dict[str, Any]) -> None:
    with pytest.raises(ClassValidationError):
        parse_event(body)


def test_the_event_types_are_the_documented_ones() -> None:
    assert [t.value for t in WebhookEventType] == DOCUMENTED_TYPES
