"""When to try again, and how long to wait first.

A pure decision (:func:`retry_delay`) over a frozen :class:`RetryPolicy`: no I/O and
no sleeping here, so the schedule is tested as data. The one rule that matters most:
nothing is retried that could run twice on the server.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Final

import attrs

from .errors import APIConnectionError, APIStatusError, ExtendError

__all__ = ["RetryPolicy", "parse_retry_after", "retry_delay", "set_testing"]

_IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
_MAX_EXPONENT: Final = 32


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not (_is_number(value) and value >= 0 and math.isfinite(value)):
        raise ValueError(f"RetryPolicy.{attribute.name} must be finite and >= 0, got {value!r}")


def _retry_count(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"RetryPolicy.{attribute.name} must be an int >= 0, got {value!r}")


def _jitter_fraction(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not (_is_number(value) and 0 <= value <= 1):
        raise ValueError(f"RetryPolicy.{attribute.name} must be between 0 and 1, got {value!r}")


@attrs.frozen
class RetryPolicy:
    """How many times, and how patiently, a failed request is tried again.

    Backoff is ``initial_backoff * 2**n`` capped at ``max_backoff``, each delay scaled
    by a random factor in ``[1 - jitter, 1]``. A server ``Retry-After`` (or
    ``retry-after-ms``) replaces the backoff when it is at most ``max_retry_after``
    seconds; a longer one means "give up now" rather than block for minutes.
    The whole call, attempts and waits included, is bounded by the client's
    ``timeout`` (:class:`~extend_async.Timeout`): a retry that cannot fit is not made.
    """

    max_retries: int = attrs.field(default=2, validator=_retry_count)
    initial_backoff: float = attrs.field(default=0.5, validator=_non_negative)
    max_backoff: float = attrs.field(default=8.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.25, validator=_jitter_fraction)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)

    def backoff(self, retries_done: int, rng: random.Random | None = None) -> float:
        """The delay before retry number ``retries_done + 1`` when the server gave no hint."""
        exponent = min(retries_done, _MAX_EXPONENT)
        delay = min(self.initial_backoff * 2.0**exponent, self.max_backoff)
        scale = 1.0 - self.jitter * (rng or random).random()
        return delay * scale


_testing = False


def set_testing(enabled: bool) -> None:
    """Process-wide switch for test suites: retries still happen, their waits do not.

    The delays are still computed (and logged), so a test sees the same decisions as
    production, only without the sleeping.
    """
    global _testing
    _testing = enabled


def is_testing() -> bool:
    """Whether :func:`set_testing` turned the retry waits off."""
    return _testing


def is_idempotent(method: str) -> bool:
    """Methods that are safe to send twice."""
    return method in _IDEMPOTENT_METHODS


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """The server's wait hint in seconds, or None when absent or unusable.

    Reads ``retry-after-ms`` first, then ``Retry-After`` as seconds (fractions allowed)
    or as an HTTP date (relative to ``now``, epoch seconds). Negative, NaN, infinite or
    unparsable values count as no hint; a date in the past means "now" (0).
    """
    millis = headers.get("retry-after-ms")
    if millis is not None:
        value = _finite_float(millis)
        if value is not None and value >= 0:
            return value / 1000.0
    header = headers.get("retry-after")
    if header is None:
        return None
    seconds = _finite_float(header)
    if seconds is not None:
        return seconds if seconds >= 0 else None
    try:
        when = parsedate_to_datetime(header.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def _finite_float(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _status_is_retryable(error: APIStatusError, idempotent: bool) -> bool:
    if error.retryable is False:  # the server says a repeat cannot help
        return False
    if error.status_code == 429:  # refused before any processing: safe for every method
        return True
    if not idempotent:
        return False
    return error.status_code == 408 or error.status_code >= 500 or error.retryable is True


def retry_delay(
    policy: RetryPolicy,
    error: ExtendError,
    *,
    retries_done: int,
    idempotent: bool,
    now: float,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds to wait before trying again, or None to give up and raise ``error``.

    ``now`` is wall-clock epoch seconds (to read HTTP-date ``Retry-After`` values).
    """
    if retries_done >= policy.max_retries:
        return None
    if isinstance(error, APIConnectionError):
        if not error.transient or (error.may_have_been_sent and not idempotent):
            return None
        return policy.backoff(retries_done, rng)
    if isinstance(error, APIStatusError) and _status_is_retryable(error, idempotent):
        hint = parse_retry_after(error.headers, now)
        if hint is None:
            return policy.backoff(retries_done, rng)
        return hint if hint <= policy.max_retry_after else None
    return None
