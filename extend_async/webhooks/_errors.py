"""Every way a webhook delivery can be refused, under one base class.

A receiver catches :class:`WebhookVerificationError` and answers 4xx; the subclasses
say what was wrong precisely enough to fix it (a clock, a secret, a proxy that
rewrites bodies). No message ever holds the secret or the signature it expected.
"""

from __future__ import annotations

from ..errors import ExtendError

__all__ = [
    "InvalidBodyError",
    "MalformedHeaderError",
    "MissingHeaderError",
    "SignatureMismatchError",
    "TimestampInFutureError",
    "TimestampTooOldError",
    "WebhookVerificationError",
]


class WebhookVerificationError(ExtendError):
    """A delivery that cannot be trusted, or whose trusted body is not an event."""


class MissingHeaderError(WebhookVerificationError):
    """A signature header is absent (``header`` names it)."""

    def __init__(self, header: str) -> None:
        super().__init__(f"the {header} header is missing: not a signed Extend delivery")
        self.header = header


class MalformedHeaderError(WebhookVerificationError):
    """A signature header is there but not in its documented form (``header`` names it)."""

    def __init__(self, header: str, problem: str) -> None:
        super().__init__(f"the {header} header is malformed: {problem}")
        self.header = header


class SignatureMismatchError(WebhookVerificationError):
    """The signature is not the body's under this secret: a wrong secret, a body
    changed on its way (re-encoded, pretty-printed), or a forgery."""

    def __init__(self) -> None:
        super().__init__(
            "the signature does not match the body: check the endpoint's signing secret, "
            "and that the raw body is verified before anything decodes or re-encodes it"
        )


class TimestampTooOldError(WebhookVerificationError):
    """The delivery was signed longer ago than the tolerance allows: a replay, or a
    receiver whose clock is far behind."""

    def __init__(self, timestamp: int, age: float, tolerance: float) -> None:
        super().__init__(
            f"the delivery was signed {age:.0f} s ago (timestamp {timestamp}), "
            f"more than the tolerance of {tolerance:g} s"
        )
        self.timestamp = timestamp
        self.age = age
        self.tolerance = tolerance


class TimestampInFutureError(WebhookVerificationError):
    """The delivery claims to be signed later than now: a receiver whose clock is behind,
    or a forged timestamp."""

    def __init__(self, timestamp: int, ahead: float, allowed: float) -> None:
        super().__init__(
            f"the delivery's timestamp {timestamp} is {ahead:.0f} s ahead of this clock, "
            f"more than the {allowed:g} s of clock skew allowed"
        )
        self.timestamp = timestamp
        self.ahead = ahead
        self.allowed = allowed


class InvalidBodyError(WebhookVerificationError):
    """The signature holds but the body is not a webhook event (not JSON, not an
    object, or without ``eventId`` / ``eventType``); ``path`` names the bad field."""

    def __init__(self, problem: str, path: str = "$") -> None:
        super().__init__(f"the body is not a webhook event: {problem} at {path}")
        self.path = path
