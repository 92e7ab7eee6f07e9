"""The pure retry decision: Retry-After parsing, backoff, and when to give up."""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timezone
from email.utils import format_datetime

import pytest
from multidict import CIMultiDict

from extend_async import RetryPolicy
from extend_async._retry import parse_retry_after, retry_delay
from extend_async.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ExtendError,
    ResponseValidationError,
    make_status_error,
)

NOW = datetime(2025, 4, 21, 12, 0, 0, tzinfo=timezone.utc).timestamp()
EXACT = RetryPolicy(jitter=0.0)


class FixedRandom(random.Random):
    """An rng whose ``random()`` is always the given value."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def http_date(offset: float) -> str:
    return format_datetime(datetime.fromtimestamp(NOW + offset, timezone.utc), usegmt=True)


def status_error(
    status: int, headers: dict[str, str] | None = None, **body: object
) -> APIStatusError:
    return make_status_error(status, None, CIMultiDict(headers or {}), json.dumps(body).encode())


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": " 2 "}, 2.0),
        ({"Retry-After": "0"}, 0.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "0"}, 0.0),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5),
        ({"retry-after-ms": "soon", "Retry-After": "9"}, 9.0),
        ({"retry-after-ms": "-5", "Retry-After": "9"}, 9.0),
        ({"retry-after-ms": "nan", "Retry-After": "9"}, 9.0),
        ({"Retry-After": http_date(30)}, 30.0),
        ({"Retry-After": http_date(-30)}, 0.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
        ({"Retry-After": "3600"}, 3600.0),
        ({"Retry-After": "1e3"}, 1000.0),
        ({"Retry-After": "-1"}, None),
        ({"Retry-After": "NaN"}, None),
        ({"Retry-After": "inf"}, None),
        ({"Retry-After": "-inf"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": ""}, None),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 -0000"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    assert parse_retry_after(CIMultiDict(headers), NOW) == seconds


def test_retry_after_header_names_are_case_insensitive() -> None:
    assert parse_retry_after(CIMultiDict({"RETRY-AFTER": "4"}), NOW) == 4.0
    assert parse_retry_after(CIMultiDict({"Retry-After-Ms": "40"}), NOW) == 0.04


@pytest.mark.parametrize(
    ("retries_done", "delay"),
    [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (60, 8.0), (10_000, 8.0)],
)
def test_backoff_doubles_up_to_the_cap(retries_done: int, delay: float) -> None:
    assert EXACT.backoff(retries_done) == delay


def test_the_exponent_is_clamped_for_huge_retry_counts() -> None:
    policy = RetryPolicy(initial_backoff=1.0, max_backoff=1e300, jitter=0.0)

    assert policy.backoff(32) == 2.0**32
    assert policy.backoff(33) == 2.0**32
    assert policy.backoff(100_000) == 2.0**32


@pytest.mark.parametrize(("draw", "scale"), [(0.0, 1.0), (0.5, 0.875), (0.999, 1 - 0.25 * 0.999)])
def test_jitter_scales_the_delay_down_by_at_most_the_fraction(draw: float, scale: float) -> None:
    policy = RetryPolicy(jitter=0.25)

    assert policy.backoff(2, FixedRandom(draw)) == pytest.approx(2.0 * scale, rel=1e-12)


def test_jitter_stays_in_bounds_over_many_draws() -> None:
    policy = RetryPolicy(initial_backoff=1.0, max_backoff=100.0, jitter=0.5)
    rng = random.Random(1234)
    reference = random.Random(1234)

    delays = [policy.backoff(3, rng) for _ in range(1000)]

    assert delays == [8.0 * (1 - 0.5 * reference.random()) for _ in range(1000)]
    assert all(4.0 < d <= 8.0 for d in delays)
    assert min(delays) < 4.1
    assert max(delays) > 7.9


def test_jitter_without_an_rng_uses_the_module_random() -> None:
    delays = {RetryPolicy(jitter=1.0).backoff(0) for _ in range(50)}

    assert all(0.0 < d <= 0.5 for d in delays)
    assert len(delays) > 1


def test_full_jitter_of_one_may_reach_zero() -> None:
    assert RetryPolicy(jitter=1.0).backoff(0, FixedRandom(1.0)) == 0.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"initial_backoff": -0.1},
        {"initial_backoff": math.inf},
        {"initial_backoff": math.nan},
        {"max_backoff": -1.0},
        {"max_backoff": math.inf},
        {"jitter": -0.01},
        {"jitter": 1.01},
        {"jitter": math.nan},
        {"max_retry_after": -1.0},
        {"max_retry_after": math.nan},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"initial_backoff": "1"},
        {"jitter": "0.1"},
    ],
)
def test_invalid_policies_are_rejected(kwargs: dict[str, object]) -> None:
    name = next(iter(kwargs))

    with pytest.raises(ValueError, match=name):
        RetryPolicy(**kwargs)


def test_the_default_policy() -> None:
    assert RetryPolicy() == RetryPolicy(
        max_retries=2,
        initial_backoff=0.5,
        max_backoff=8.0,
        jitter=0.25,
        max_retry_after=60.0,
    )


def decide(error: ExtendError, *, retries_done: int = 0, idempotent: bool = True) -> float | None:
    return retry_delay(
        EXACT, error, retries_done=retries_done, idempotent=idempotent, now=NOW, rng=None
    )


@pytest.mark.parametrize(
    ("error", "idempotent", "delay"),
    [
        (status_error(500), True, 0.5),
        (status_error(502), True, 0.5),
        (status_error(503), True, 0.5),
        (status_error(408), True, 0.5),
        (status_error(429), True, 0.5),
        (status_error(429), False, 0.5),
        (status_error(503, {"Retry-After": "4"}), True, 4.0),
        (status_error(429, {"Retry-After": "0"}), False, 0.0),
        (status_error(429, {"Retry-After": http_date(12)}), True, 12.0),
        (status_error(429, {"Retry-After": "60"}), True, 60.0),
        (status_error(429, {"Retry-After": "61"}), True, None),
        (status_error(429, {"Retry-After": "86400"}), False, None),
        (status_error(500), False, None),
        (status_error(408), False, None),
        (status_error(400), True, None),
        (status_error(404), True, None),
        (status_error(409), True, None),
        (status_error(422), True, None),
        (status_error(422, retryable=True), True, 0.5),
        (status_error(422, retryable=True), False, None),
        (status_error(500, retryable=False), True, None),
        (status_error(429, retryable=False), True, None),
        (APIConnectionError("reset"), True, 0.5),
        (APIConnectionError("reset"), False, None),
        (APIConnectionError("refused", may_have_been_sent=False), False, 0.5),
        (APITimeoutError("connect", may_have_been_sent=False), False, 0.5),
        (APITimeoutError("read"), True, 0.5),
        (APITimeoutError("read"), False, None),
        (APIConnectionError("tls", transient=False), True, None),
        (APIConnectionError("tls", may_have_been_sent=False, transient=False), False, None),
        (ResponseValidationError("bad", status_code=200, body=""), True, None),
        (ExtendError("other"), True, None),
    ],
)
def test_retry_delay_decisions(error: ExtendError, idempotent: bool, delay: float | None) -> None:
    assert decide(error, idempotent=idempotent) == delay


def test_retry_delay_follows_the_backoff_and_stops_at_max_retries() -> None:
    error = status_error(503)

    assert [decide(error, retries_done=n) for n in range(3)] == [0.5, 1.0, None]


def test_a_server_hint_also_stops_at_max_retries() -> None:
    error = status_error(429, {"Retry-After": "1"})

    assert decide(error, retries_done=1) == 1.0
    assert decide(error, retries_done=2) is None


def test_zero_max_retries_never_retries() -> None:
    policy = RetryPolicy(max_retries=0)

    assert retry_delay(policy, status_error(503), retries_done=0, idempotent=True, now=NOW) is None
