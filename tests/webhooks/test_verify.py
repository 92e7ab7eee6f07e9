"""``verify``: the signature scheme as the API reference states it, the timestamp window
to the second, and every way a delivery can be refused, with what the error says."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from extend_async import ExtendError
from extend_async.webhooks import (
    DEFAULT_TOLERANCE,
    FUTURE_TOLERANCE,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    MalformedHeaderError,
    MissingHeaderError,
    SignatureMismatchError,
    TimestampInFutureError,
    TimestampTooOldError,
    WebhookVerificationError,
    signature_headers,
    verify,
)

SECRET = "wss_k3yM4terial_Xj8mK2pL9nR4vT7q"
SIGNED_AT = 1_745_859_699
BODY = b'{"eventId":"event_1234","eventType":"workflow.created","payload":{"id":"w"}}'


def reference_signature(body: bytes, secret: str, timestamp: str) -> str:
    """The reference's words, written out: lowercase hex HMAC-SHA256 keyed with the
    secret's UTF-8 bytes over ``v0:{timestamp}:{raw body}``."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed(body: bytes = BODY, *, secret: str = SECRET, at: int = SIGNED_AT) -> dict[str, str]:
    return {
        "x-extend-request-timestamp": str(at),
        "x-extend-request-signature": reference_signature(body, secret, str(at)),
    }


class StarletteLikeHeaders(Mapping[str, str]):
    """A read-only, case-insensitive mapping, as Starlette and Django hand headers over."""

    def __init__(self, pairs: Mapping[str, str]) -> None:
        self._pairs = {name.title(): value for name, value in pairs.items()}

    def __getitem__(self, key: str) -> str:
        return {k.lower(): v for k, v in self._pairs.items()}[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)


def test_a_delivery_signed_as_the_reference_says_is_accepted() -> None:
    assert verify(BODY, signed(), SECRET, now=SIGNED_AT) is None


def test_the_signature_is_a_known_value() -> None:
    # Pinned once, so that the scheme cannot drift on both sides at once.
    assert reference_signature(BODY, SECRET, str(SIGNED_AT)) == (
        hmac.new(
            SECRET.encode(),
            f"v0:{SIGNED_AT}:".encode() + BODY,
            hashlib.sha256,
        ).hexdigest()
    )
    assert signature_headers(BODY, SECRET, timestamp=SIGNED_AT) == signed()


@pytest.mark.parametrize(
    "shape",
    [
        "dict",
        "title-case dict",
        "upper-case dict",
        "CIMultiDict",
        "CIMultiDictProxy",
        "pairs",
        "ASGI bytes pairs",
        "Starlette-like mapping",
    ],
)
def test_headers_in_every_shape_and_case_are_read(shape: str) -> None:
    plain = {**signed(), "Content-Type": "application/json", "User-Agent": "Extend"}
    headers: Any = {
        "dict": plain,
        "title-case dict": {name.title(): value for name, value in plain.items()},
        "upper-case dict": {name.upper(): value for name, value in plain.items()},
        "CIMultiDict": CIMultiDict(plain),
        "CIMultiDictProxy": CIMultiDictProxy(CIMultiDict(plain)),
        "pairs": [(name.title(), value) for name, value in plain.items()],
        "ASGI bytes pairs": [
            (name.lower().encode(), value.encode()) for name, value in plain.items()
        ],
        "Starlette-like mapping": StarletteLikeHeaders(plain),
    }[shape]

    verify(BODY, headers, SECRET, now=SIGNED_AT)


def test_the_mixed_case_names_of_a_real_request_are_found() -> None:
    headers = signed()
    mixed = {
        "X-Extend-Request-Timestamp": headers[TIMESTAMP_HEADER],
        "x-EXTEND-request-SIGNATURE": headers[SIGNATURE_HEADER],
    }

    verify(BODY, mixed, SECRET, now=SIGNED_AT)


@pytest.mark.parametrize(
    "tampered",
    [
        BODY.replace(b"event_1234", b"event_1235"),  # one character
        BODY + b"\n",  # a trailing newline
        b" " + BODY,
        BODY.replace(b",", b", "),  # re-serialised with spaces
        BODY[:-1],
        b"",
    ],
    ids=["one character", "trailing newline", "leading space", "re-serialised", "cut", "empty"],
)
def test_a_tampered_body_is_a_mismatch(tampered: bytes) -> None:
    with pytest.raises(SignatureMismatchError):
        verify(tampered, signed(), SECRET, now=SIGNED_AT)


@pytest.mark.parametrize(
    "wrong", [SECRET + "x", SECRET.removeprefix("wss_"), SECRET.upper(), "wss_other"]
)
def test_a_wrong_secret_is_a_mismatch(wrong: str) -> None:
    with pytest.raises(SignatureMismatchError) as info:
        verify(BODY, signed(), wrong, now=SIGNED_AT)

    assert "signing secret" in str(info.value)


def test_a_signature_made_with_another_timestamp_is_a_mismatch() -> None:
    headers = signed()
    headers[TIMESTAMP_HEADER] = str(SIGNED_AT + 1)

    with pytest.raises(SignatureMismatchError):
        verify(BODY, headers, SECRET, now=SIGNED_AT)


def test_upper_case_hex_is_the_same_signature() -> None:
    headers = signed()
    headers[SIGNATURE_HEADER] = headers[SIGNATURE_HEADER].upper()

    verify(BODY, headers, SECRET, now=SIGNED_AT)


@pytest.mark.parametrize("age", [0, 1, 299, 299.999, DEFAULT_TOLERANCE])
def test_a_delivery_up_to_the_tolerance_old_passes(age: float) -> None:
    verify(BODY, signed(), SECRET, now=SIGNED_AT + age)


@pytest.mark.parametrize("age", [300.001, 301, 86_400])
def test_a_delivery_older_than_the_tolerance_is_refused(age: float) -> None:
    with pytest.raises(TimestampTooOldError) as info:
        verify(BODY, signed(), SECRET, now=SIGNED_AT + age)

    error = info.value
    assert (error.timestamp, error.age, error.tolerance) == (SIGNED_AT, pytest.approx(age), 300.0)
    assert str(error).startswith(f"the delivery was signed {age:.0f} s ago")
    assert "more than the tolerance of 300 s" in str(error)


@pytest.mark.parametrize("ahead", [0.5, 59, FUTURE_TOLERANCE])
def test_a_timestamp_up_to_a_minute_ahead_passes(ahead: float) -> None:
    verify(BODY, signed(), SECRET, now=SIGNED_AT - ahead)


@pytest.mark.parametrize("ahead", [60.001, 61, 3600])
def test_a_timestamp_more_than_a_minute_ahead_is_refused(ahead: float) -> None:
    with pytest.raises(TimestampInFutureError) as info:
        verify(BODY, signed(), SECRET, now=SIGNED_AT - ahead)

    error = info.value
    assert (error.timestamp, error.ahead, error.allowed) == (SIGNED_AT, pytest.approx(ahead), 60)
    assert "ahead of this clock" in str(info.value)


def test_the_tolerance_can_be_narrowed_to_the_second() -> None:
    verify(BODY, signed(), SECRET, tolerance=10, now=SIGNED_AT + 10)
    verify(BODY, signed(), SECRET, tolerance=0, now=SIGNED_AT)
    with pytest.raises(TimestampTooOldError):
        verify(BODY, signed(), SECRET, tolerance=10, now=SIGNED_AT + 11)
    with pytest.raises(TimestampTooOldError):
        verify(BODY, signed(), SECRET, tolerance=0, now=SIGNED_AT + 0.5)


def test_the_system_clock_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.time", lambda: SIGNED_AT + 301.0)

    with pytest.raises(TimestampTooOldError):
        verify(BODY, signed(), SECRET)
    monkeypatch.setattr("time.time", lambda: SIGNED_AT + 300.0)
    verify(BODY, signed(), SECRET)


def test_the_signature_is_checked_before_the_timestamp() -> None:
    # An old forgery reads as a forgery, not as a clock problem.
    with pytest.raises(SignatureMismatchError):
        verify(BODY + b"x", signed(), SECRET, now=SIGNED_AT + 10_000)


@pytest.mark.parametrize("missing", [TIMESTAMP_HEADER, SIGNATURE_HEADER])
def test_a_missing_header_is_named(missing: str) -> None:
    headers = {name: value for name, value in signed().items() if name != missing}

    with pytest.raises(MissingHeaderError) as info:
        verify(BODY, headers, SECRET, now=SIGNED_AT)

    assert info.value.header == missing
    assert str(info.value) == f"the {missing} header is missing: not a signed Extend delivery"


def test_no_headers_at_all_names_the_timestamp_first() -> None:
    with pytest.raises(MissingHeaderError) as info:
        verify(BODY, {"Content-Type": "application/json"}, SECRET)

    assert info.value.header == TIMESTAMP_HEADER


@pytest.mark.parametrize(
    "timestamp",
    [
        "",
        "abc",
        "1745859699.5",
        "-1745859699",
        "+1745859699",
        "1e9",
        "17458 59699",
        "0x67",
        "1" * 16,
        "١٧٤٥٨٥٩٦٩٩",
    ],
)
def test_a_garbled_timestamp_is_malformed(timestamp: str) -> None:
    headers = signed()
    headers[TIMESTAMP_HEADER] = timestamp

    with pytest.raises(MalformedHeaderError) as info:
        verify(BODY, headers, SECRET, now=SIGNED_AT)

    assert info.value.header == TIMESTAMP_HEADER
    assert str(info.value) == (
        "the x-extend-request-timestamp header is malformed: expected Unix seconds (digits only)"
    )


def test_spaces_around_a_header_value_are_ignored() -> None:
    headers = {name: f"  {value} " for name, value in signed().items()}

    verify(BODY, headers, SECRET, now=SIGNED_AT)


@pytest.mark.parametrize(
    "signature",
    ["", "abc", "g" * 64, "a" * 63, "a" * 65, "sha256=" + "a" * 64, "v0=" + "a" * 64, "é" * 64],
)
def test_a_garbled_signature_is_malformed(signature: str) -> None:
    headers = signed()
    headers[SIGNATURE_HEADER] = signature

    with pytest.raises(MalformedHeaderError) as info:
        verify(BODY, headers, SECRET, now=SIGNED_AT)

    assert info.value.header == SIGNATURE_HEADER
    assert "expected 64 hexadecimal digits" in str(info.value)


def test_a_header_given_twice_is_refused_rather_than_guessed() -> None:
    headers = signed()
    pairs = [*headers.items(), ("X-Extend-Request-Signature", "0" * 64)]

    with pytest.raises(MalformedHeaderError) as info:
        verify(BODY, pairs, SECRET, now=SIGNED_AT)

    assert info.value.header == SIGNATURE_HEADER
    assert "more than once" in str(info.value)


def test_every_refusal_is_a_webhook_verification_error_and_an_extend_error() -> None:
    for cls in (
        MissingHeaderError,
        MalformedHeaderError,
        SignatureMismatchError,
        TimestampTooOldError,
        TimestampInFutureError,
    ):
        assert issubclass(cls, WebhookVerificationError)
    assert issubclass(WebhookVerificationError, ExtendError)


def test_no_error_quotes_the_secret_or_the_expected_signature() -> None:
    expected = reference_signature(BODY, SECRET, str(SIGNED_AT))
    cases: list[tuple[bytes, dict[str, str], float]] = [
        (BODY + b"!", signed(), SIGNED_AT),
        (BODY, signed(), SIGNED_AT + 999),
        (BODY, signed(), SIGNED_AT - 999),
        (BODY, {TIMESTAMP_HEADER: "x", SIGNATURE_HEADER: expected}, SIGNED_AT),
        (BODY, {TIMESTAMP_HEADER: str(SIGNED_AT), SIGNATURE_HEADER: "zz"}, SIGNED_AT),
    ]
    for body, headers, now in cases:
        with pytest.raises(WebhookVerificationError) as info:
            verify(body, headers, SECRET, now=now)
        shown = f"{info.value} {info.value!r} {vars(info.value)}"
        assert SECRET not in shown
        assert expected not in shown  # nor any header value as it came
        if body != BODY:  # the expected signature of the body as it came, too
            assert reference_signature(body, SECRET, str(SIGNED_AT)) not in shown


def test_raw_bytes_in_any_buffer_are_accepted() -> None:
    verify(bytearray(BODY), signed(), SECRET, now=SIGNED_AT)
    verify(memoryview(BODY), signed(), SECRET, now=SIGNED_AT)


def test_a_str_body_is_refused_with_the_reason() -> None:
    with pytest.raises(TypeError) as info:
        verify(BODY.decode(), signed(), SECRET, now=SIGNED_AT)  # type: ignore[arg-type]

    assert "body must be the raw request body as bytes" in str(info.value)
    assert "await request.read()" in str(info.value)


@pytest.mark.parametrize(
    ("secret", "error", "message"),
    [
        (None, TypeError, "secret must be a str (the signing secret), got NoneType"),
        (b"wss_x", TypeError, "secret must be a str (the signing secret), got bytes"),
        ("", ValueError, "secret must not be empty"),
        (SECRET + "\n", ValueError, "a newline read from a file?"),
        (" " + SECRET, ValueError, "surrounding whitespace"),
    ],
)
def test_a_secret_that_can_never_match_is_refused_unquoted(
    secret: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)) as info:
        verify(BODY, signed(), secret, now=SIGNED_AT)

    assert SECRET not in str(info.value)


@pytest.mark.parametrize("headers", ["x-extend-request-timestamp: 1", b"raw", 42, None])
def test_headers_that_are_not_a_mapping_or_pairs_are_refused(headers: Any) -> None:
    with pytest.raises(TypeError, match="headers must be a mapping or"):
        verify(BODY, headers, SECRET)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (["x-extend-request-timestamp: 1"], "expected \\(name, value\\) pairs, got str"),
        ([("a", "b", "c")], "expected \\(name, value\\) pairs, got tuple"),
        ({"x-extend-request-timestamp": ["1"]}, "each value must be a str or bytes, got list"),
        ({7: "1"}, "each name must be a str or bytes, got int"),
    ],
)
def test_malformed_header_entries_say_what_they_are(headers: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        verify(BODY, headers, SECRET)


@pytest.mark.parametrize("tolerance", [-1, float("nan"), float("inf"), True, "300"])
def test_a_bad_tolerance_is_refused(tolerance: Any) -> None:
    with pytest.raises(ValueError, match="tolerance must be seconds >= 0"):
        verify(BODY, signed(), SECRET, tolerance=tolerance, now=SIGNED_AT)


@pytest.mark.parametrize("now", ["now", float("nan"), True])
def test_a_bad_now_is_refused(now: Any) -> None:
    with pytest.raises(TypeError, match="now must be Unix seconds"):
        verify(BODY, signed(), SECRET, now=now)


def test_signature_headers_signs_now_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.time", lambda: SIGNED_AT + 0.75)

    headers = signature_headers(BODY, SECRET)

    assert headers == signed(at=SIGNED_AT)
    verify(BODY, headers, SECRET)


@pytest.mark.parametrize("timestamp", [-1, 1.5, "1745859699", True])
def test_signature_headers_refuses_a_timestamp_that_is_not_unix_seconds(timestamp: Any) -> None:
    with pytest.raises(ValueError, match="timestamp must be Unix seconds"):
        signature_headers(BODY, SECRET, timestamp=timestamp)
