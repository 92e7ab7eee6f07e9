"""Receiving Extend's webhooks: verify a delivery's signature, then parse its event.

``parse(body, headers, secret)`` checks the HMAC signature of the raw body and its
timestamp, then returns the typed event (``extend_async.models.WebhookEvent``); a bad
delivery raises a :class:`WebhookVerificationError` subclass that says what was wrong.
``aiohttp_handler(callback, secret=...)`` is a ready aiohttp.web handler;
``client.webhooks.unwrap(...)`` also fetches signed-URL payloads. A receiver keeps no
state, so any number of them can run behind a load balancer; Extend retries
deliveries, so de-duplicating by ``event_id`` is the receiver's job. See
docs/webhooks.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import (
    InvalidBodyError,
    MalformedHeaderError,
    MissingHeaderError,
    SignatureMismatchError,
    TimestampInFutureError,
    TimestampTooOldError,
    WebhookVerificationError,
)
from ._headers import Headers
from ._parse import parse
from ._signature import (
    DEFAULT_TOLERANCE,
    FUTURE_TOLERANCE,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_headers,
    verify,
)

if TYPE_CHECKING:
    from ._aiohttp import WebhookCallback, aiohttp_handler

__all__ = [
    "DEFAULT_TOLERANCE",
    "FUTURE_TOLERANCE",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Headers",
    "InvalidBodyError",
    "MalformedHeaderError",
    "MissingHeaderError",
    "SignatureMismatchError",
    "TimestampInFutureError",
    "TimestampTooOldError",
    "WebhookCallback",
    "WebhookVerificationError",
    "aiohttp_handler",
    "parse",
    "signature_headers",
    "verify",
]

#: Names whose module imports aiohttp.web (a few tens of ms): loaded on first use.
_LAZY = {"aiohttp_handler": "._aiohttp", "WebhookCallback": "._aiohttp"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
