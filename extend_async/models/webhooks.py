"""Webhook events: what Extend POSTs to a webhook endpoint, typed by event type.

A delivery is ``{"eventId", "eventType", "payload"}``; the payload is the object the
event is about (a workflow run, a processor run, a processor...), or, for an endpoint
that uses signed-URL delivery, ``{"data": "<presigned URL>"}`` to fetch it from.
:func:`parse_event` turns a delivery (already decoded from JSON) into one of the event
models. This module only structures data: checking a delivery's signature comes first,
against the raw body, and is not done here.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import attrs

from .common import ApiEnum, JsonObject, union_of
from .parser_runs import ParserRunStatus
from .processor_runs import ProcessorRun
from .processors import Processor, ProcessorVersion
from .workflows import StepRun, Workflow, WorkflowRun

__all__ = [
    "SignedUrlPayload",
    "UnknownWebhookEvent",
    "WebhookEvent",
    "WebhookEventParserRun",
    "WebhookEventProcessor",
    "WebhookEventProcessorRun",
    "WebhookEventProcessorVersion",
    "WebhookEventSignedUrl",
    "WebhookEventStepRun",
    "WebhookEventType",
    "WebhookEventWorkflow",
    "WebhookEventWorkflowRun",
    "parse_event",
]


class WebhookEventType(ApiEnum):
    """The type of a webhook event (new types may appear: they are kept, not refused)."""

    WORKFLOW_RUN_COMPLETED = "workflow_run.completed"
    WORKFLOW_RUN_FAILED = "workflow_run.failed"
    WORKFLOW_RUN_NEEDS_REVIEW = "workflow_run.needs_review"
    WORKFLOW_RUN_REJECTED = "workflow_run.rejected"
    WORKFLOW_RUN_STEP_RUN_PROCESSED = "workflow_run.step_run.processed"
    PROCESSOR_RUN_PROCESSED = "processor_run.processed"
    PROCESSOR_RUN_FAILED = "processor_run.failed"
    WORKFLOW_CREATED = "workflow.created"
    WORKFLOW_DEPLOYED = "workflow.deployed"
    WORKFLOW_DELETED = "workflow.deleted"
    PROCESSOR_CREATED = "processor.created"
    PROCESSOR_UPDATED = "processor.updated"
    PROCESSOR_DELETED = "processor.deleted"
    PROCESSOR_DRAFT_UPDATED = "processor.draft.updated"
    PROCESSOR_VERSION_PUBLISHED = "processor.version.published"
    PARSER_RUN_PROCESSED = "parser_run.processed"
    PARSER_RUN_FAILED = "parser_run.failed"


@attrs.frozen
class SignedUrlPayload:
    """The payload of a signed-URL delivery: a presigned URL (valid for one hour) that
    gives the event's real payload."""

    data: str

    @property
    def url(self) -> str:
        """The presigned URL of the real payload."""
        return self.data


@attrs.frozen
class WebhookEventWorkflowRun:
    """A workflow run completed, failed, needs review or was rejected."""

    event_id: str
    event_type: WebhookEventType
    payload: WorkflowRun


@attrs.frozen
class WebhookEventStepRun:
    """A step of a workflow run was processed (``workflow_run.step_run.processed``):
    the payload is that step run."""

    event_id: str
    event_type: WebhookEventType
    payload: StepRun


@attrs.frozen
class WebhookEventProcessorRun:
    """A processor run was processed or failed."""

    event_id: str
    event_type: WebhookEventType
    payload: ProcessorRun


@attrs.frozen
class WebhookEventWorkflow:
    """A workflow was created, deployed or deleted."""

    event_id: str
    event_type: WebhookEventType
    payload: Workflow


@attrs.frozen
class WebhookEventProcessor:
    """A processor was created, updated or deleted, or its draft was updated."""

    event_id: str
    event_type: WebhookEventType
    payload: Processor


@attrs.frozen
class WebhookEventProcessorVersion:
    """A processor version was published."""

    event_id: str
    event_type: WebhookEventType
    payload: ProcessorVersion


@attrs.frozen
class WebhookEventParserRun:
    """A parser run was processed or failed (the payload is the run's status)."""

    event_id: str
    event_type: WebhookEventType
    payload: ParserRunStatus


@attrs.frozen
class WebhookEventSignedUrl:
    """An event of any type delivered by signed URL: fetch ``payload.url`` and give what
    it returns to :meth:`with_payload` for the typed event."""

    event_id: str
    event_type: WebhookEventType
    payload: SignedUrlPayload

    def with_payload(self, payload: JsonObject) -> WebhookEvent:
        """This event with its real payload (the JSON fetched from the signed URL)."""
        return parse_event(
            {"eventId": self.event_id, "eventType": str(self.event_type), "payload": payload}
        )


@attrs.frozen
class UnknownWebhookEvent:
    """An event of a type this release does not know, or whose payload it cannot read:
    the payload is kept as sent."""

    event_id: str
    event_type: WebhookEventType
    payload: Any


#: A webhook event, told apart by ``eventType`` (and a signed-URL payload by its shape).
WebhookEvent: TypeAlias = (
    WebhookEventWorkflowRun
    | WebhookEventStepRun
    | WebhookEventProcessorRun
    | WebhookEventWorkflow
    | WebhookEventProcessor
    | WebhookEventProcessorVersion
    | WebhookEventParserRun
    | WebhookEventSignedUrl
    | UnknownWebhookEvent
)

_EVENT_BY_TYPE: dict[str, type[Any]] = {
    "workflow_run.completed": WebhookEventWorkflowRun,
    "workflow_run.failed": WebhookEventWorkflowRun,
    "workflow_run.needs_review": WebhookEventWorkflowRun,
    "workflow_run.rejected": WebhookEventWorkflowRun,
    "workflow_run.step_run.processed": WebhookEventStepRun,
    "processor_run.processed": WebhookEventProcessorRun,
    "processor_run.failed": WebhookEventProcessorRun,
    "workflow.created": WebhookEventWorkflow,
    "workflow.deployed": WebhookEventWorkflow,
    "workflow.deleted": WebhookEventWorkflow,
    "processor.created": WebhookEventProcessor,
    "processor.updated": WebhookEventProcessor,
    "processor.deleted": WebhookEventProcessor,
    "processor.draft.updated": WebhookEventProcessor,
    "processor.version.published": WebhookEventProcessorVersion,
    "parser_run.processed": WebhookEventParserRun,
    "parser_run.failed": WebhookEventParserRun,
}


def _is_signed_url(payload: Any) -> bool:
    # Every object a payload can be has an ``id``; a signed-URL payload has ``data``.
    return (
        isinstance(payload, dict) and isinstance(payload.get("data"), str) and "id" not in payload
    )


def _choose_event(value: Any) -> type[Any]:
    """A signed-URL payload makes a :class:`WebhookEventSignedUrl` whatever the type;
    otherwise the class by ``eventType``, and an unknown type is kept generic."""
    if not isinstance(value, dict):
        return UnknownWebhookEvent
    if _is_signed_url(value.get("payload")):
        return WebhookEventSignedUrl
    event_type = value.get("eventType")
    if isinstance(event_type, str):
        return _EVENT_BY_TYPE.get(event_type, UnknownWebhookEvent)
    return UnknownWebhookEvent


union_of(WebhookEvent, _choose_event, fallback=UnknownWebhookEvent)


def parse_event(document: JsonObject) -> WebhookEvent:
    """The event of a webhook delivery (its body, decoded from JSON).

    A known type gives its typed event; a signed-URL delivery a
    :class:`WebhookEventSignedUrl`; an unknown type, or a payload that cannot be read,
    an :class:`UnknownWebhookEvent` with the payload as sent. A body without
    ``eventId`` or ``eventType`` is refused with the converter's validation error.
    """
    from .._converter import converter  # imported here: the converter imports the models

    event: WebhookEvent = converter.structure(document, WebhookEvent)
    return event
