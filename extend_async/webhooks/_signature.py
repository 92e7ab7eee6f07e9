"""The signature of a delivery: how Extend makes it, and how a receiver checks it.

Extend sends ``x-extend-request-timestamp`` (Unix seconds) and
``x-extend-request-signature``: the lowercase hex HMAC-SHA256, keyed with the
endpoint's signing secret (its UTF-8 bytes, ``wss_`` prefix included), of
``v0:{timestamp}:{raw body}``. The raw bytes are what is signed, so verification comes
before any JSON decoding; the comparison takes constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from typing import Final

from ._errors import (
    MalformedHeaderError,
    MissingHeaderError,
    SignatureMismatchError,
    TimestampInFutureError,
    TimestampTooOldError,
)
from ._headers import Headers, single_header

__all__ = [
    "DEFAULT_TOLERANCE",
    "FUTURE_TOLERANCE",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "check_body",
    "check_secret",
    "check_tolerance",
    "signature_headers",
    "verify",
]

TIMESTAMP_HEADER: Final = "x-extend-request-timestamp"
SIGNATURE_HEADER: Final = "x-extend-request-signature"
#: Seconds a delivery stays acceptable after it was signed (replays after that fail).
DEFAULT_TOLERANCE: Final = 300
#: Seconds a timestamp may be ahead of the receiver's clock (clocks drift).
FUTURE_TOLERANCE: Final = 60

_TIMESTAMP = re.compile(r"[0-9]{1,15}")  # re.fullmatch: no sign, no fraction, no spaces
_SIGNATURE = re.compile(r"[0-9a-fA-F]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_body(body: object) -> bytes:
    """The raw body as bytes; a ``str`` is refused, since a decoded (or re-encoded)
    body need not be byte for byte what was signed."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        raise TypeError(
            "body must be the raw request body as bytes (aiohttp: await request.read(), "
            "Starlette: await request.body(), Django: request.body), not str: a decoded "
            "or re-encoded body may not be byte for byte what Extend signed"
        )
    raise TypeError(f"body must be bytes, got {type(body).__name__}")


def check_secret(secret: object) -> bytes:
    """The signing secret's key bytes; refuse what cannot be one (never quoting it)."""
    if not isinstance(secret, str):
        raise TypeError(f"secret must be a str (the signing secret), got {type(secret).__name__}")
    if not secret:
        raise ValueError("secret must not be empty: give the endpoint's signing secret (wss_...)")
    if secret != secret.strip() or _CONTROL.search(secret):
        raise ValueError(
            "secret has surrounding whitespace or control characters (a newline read "
            "from a file?): no signature would ever match"
        )
    return secret.encode()


def check_tolerance(tolerance: object) -> float:
    if (
        isinstance(tolerance, bool)
        or not isinstance(tolerance, (int, float))
        or not (tolerance >= 0 and math.isfinite(tolerance))
    ):
        raise ValueError(f"tolerance must be seconds >= 0, got {tolerance!r}")
    return float(tolerance)


def _check_now(now: object) -> float:
    if isinstance(now, bool) or not isinstance(now, (int, float)) or not math.isfinite(now):
        raise TypeError(f"now must be Unix seconds (a number) or None, got {now!r}")
    return float(now)


def _signature(key: bytes, timestamp: str, body: bytes) -> str:
    mac = hmac.new(key, b"v0:" + timestamp.encode() + b":", hashlib.sha256)
    mac.update(body)
    return mac.hexdigest()


def signature_headers(body: bytes, secret: str, *, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Extend would send with ``body``, signed now (or at
    ``timestamp``, Unix seconds): for your own tests of a receiver."""
    key = check_secret(secret)
    raw = check_body(body)
    when = int(time.time()) if timestamp is None else timestamp
    if isinstance(when, bool) or not isinstance(when, int) or when < 0:
        raise ValueError(f"timestamp must be Unix seconds (an int >= 0), got {timestamp!r}")
    text = str(when)
    return {TIMESTAMP_HEADER: text, SIGNATURE_HEADER: _signature(key, text, raw)}


def _required(headers: Headers, name: str) -> str:
    value = single_header(headers, name)
    if value is None:
        raise MissingHeaderError(name)
    return value.strip()


def verify(
    body: bytes,
    headers: Headers,
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check that ``body`` was signed by Extend with ``secret``, recently; raise the
    :class:`WebhookVerificationError` that says what is wrong otherwise.

    ``headers`` is any mapping or list of pairs (names in any case, str or bytes).
    The signature is checked first, then the timestamp: a delivery signed more than
    ``tolerance`` seconds before ``now`` (Unix seconds; default the system clock), or
    more than 60 s after it, is refused. Both edges are inclusive: a delivery exactly
    ``tolerance`` seconds old passes.
    """
    raw = check_body(body)
    key = check_secret(secret)
    window = check_tolerance(tolerance)
    timestamp = _required(headers, TIMESTAMP_HEADER)
    signature = _required(headers, SIGNATURE_HEADER)
    if not _TIMESTAMP.fullmatch(timestamp):
        raise MalformedHeaderError(TIMESTAMP_HEADER, "expected Unix seconds (digits only)")
    if not _SIGNATURE.fullmatch(signature):
        raise MalformedHeaderError(SIGNATURE_HEADER, "expected 64 hexadecimal digits")
    expected = _signature(key, timestamp, raw)
    if not hmac.compare_digest(expected, signature.lower()):
        raise SignatureMismatchError()
    signed_at = int(timestamp)
    current = time.time() if now is None else _check_now(now)
    age = current - signed_at
    if age > window:
        raise TimestampTooOldError(signed_at, age, window)
    if -age > FUTURE_TOLERANCE:
        raise TimestampInFutureError(signed_at, -age, FUTURE_TOLERANCE)
