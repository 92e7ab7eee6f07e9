"""From a delivery's raw bytes to its typed event: verified first, then decoded."""

from __future__ import annotations

from cattrs import BaseValidationError

from .. import _json
from .._converter import structure_error_path
from ..models.webhooks import WebhookEvent, parse_event
from ._errors import InvalidBodyError
from ._headers import Headers
from ._signature import DEFAULT_TOLERANCE, check_body, verify

__all__ = ["event_of", "parse"]


def event_of(body: bytes) -> WebhookEvent:
    """The event in a body whose signature was already checked: an
    :class:`InvalidBodyError` when it is not JSON or not an event."""
    try:
        document = _json.loads(check_body(body))
    except ValueError as exc:  # not UTF-8, or not JSON
        raise InvalidBodyError(f"not JSON ({exc})") from None
    if not isinstance(document, dict):
        raise InvalidBodyError(f"expected a JSON object, got {type(document).__name__}")
    try:
        return parse_event(document)
    except BaseValidationError as exc:
        problem, path = structure_error_path(exc)
        raise InvalidBodyError(problem, path) from None


def parse(
    body: bytes,
    headers: Headers,
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> WebhookEvent:
    """The typed event of a delivery, once :func:`verify` accepts it.

    A known type gives its event class (``WebhookEventWorkflowRun``...), an unknown one
    an ``UnknownWebhookEvent`` with the payload as sent, a signed-URL delivery a
    ``WebhookEventSignedUrl`` (``client.webhooks.resolve`` fetches its payload).
    Raises a :class:`WebhookVerificationError` for a delivery to refuse.
    """
    verify(body, headers, secret, tolerance=tolerance, now=now)
    return event_of(body)
