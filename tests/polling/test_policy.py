"""PollPolicy: the schedule as data."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from extend_async import PollPolicy


class FixedRandom(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def test_the_first_poll_goes_out_at_once() -> None:
    assert PollPolicy().delay(0, 0.0, FixedRandom(0.9)) == 0.0


def test_default_schedule_without_jitter() -> None:
    policy = PollPolicy(jitter=0.0)
    # Fast phase: every second for the first 10 s.
    assert [policy.delay(n, float(n - 1)) for n in range(1, 11)] == [1.0] * 10
    # Then interval + 0.15 * (seconds past the fast phase)...
    assert policy.delay(11, 10.0) == 1.0
    assert policy.delay(12, 20.0) == pytest.approx(2.5)
    assert policy.delay(20, 100.0) == pytest.approx(14.5)
    # ...capped at 30 s.
    assert policy.delay(40, 1000.0) == 30.0


def test_growth_is_x_growth_per_poll_when_polls_run_on_time() -> None:
    policy = PollPolicy(jitter=0.0)
    elapsed, waits = 10.0, []
    for n in range(11, 20):
        wait = policy.delay(n, elapsed)
        waits.append(wait)
        elapsed += wait
    ratios = [later / earlier for earlier, later in itertools.pairwise(waits)]
    assert ratios == pytest.approx([1.15] * len(ratios))


def test_jitter_spreads_each_wait_and_never_passes_the_cap() -> None:
    policy = PollPolicy()  # +-25%
    assert policy.delay(1, 0.0, FixedRandom(0.0)) == pytest.approx(0.75)
    assert policy.delay(1, 0.0, FixedRandom(0.5)) == pytest.approx(1.0)
    assert policy.delay(1, 0.0, FixedRandom(0.999999)) == pytest.approx(1.25, abs=1e-5)
    assert policy.delay(99, 5000.0, FixedRandom(0.0)) == pytest.approx(22.5)
    assert policy.delay(99, 5000.0, FixedRandom(0.999999)) == 30.0


def test_a_late_poll_still_waits_by_elapsed_time() -> None:
    # A poll delayed by the client (pacing, cooldown) does not restart the growth.
    policy = PollPolicy(jitter=0.0)
    assert policy.delay(12, 110.0) == pytest.approx(16.0)


def polls_to_see(policy: PollPolicy, seconds: float) -> int:
    """Polls made until the first one at or after ``seconds`` (the one that sees the end)."""
    elapsed, polls = 0.0, 1
    while elapsed < seconds:
        elapsed += policy.delay(polls, elapsed)
        polls += 1
    return polls


@pytest.mark.parametrize(
    ("seconds", "default", "long_fast_phase"), [(60, 27, 44), (3600, 149, 168)]
)
def test_the_short_fast_phase_saves_requests(
    seconds: float, default: int, long_fast_phase: int
) -> None:
    assert polls_to_see(PollPolicy(jitter=0.0), seconds) == default
    assert polls_to_see(PollPolicy(fast_phase=30.0, jitter=0.0), seconds) == long_fast_phase


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("interval", 0.0),
        ("interval", -1.0),
        ("interval", math.inf),
        ("fast_phase", -1.0),
        ("fast_phase", math.nan),
        ("growth", 0.9),
        ("max_interval", 0.5),
        ("max_interval", math.inf),
        ("jitter", 1.0),
        ("jitter", -0.1),
    ],
)
def test_bad_values_are_refused(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=f"PollPolicy.{field}"):
        PollPolicy(**{field: value})


def test_it_is_a_frozen_value() -> None:
    assert PollPolicy() == PollPolicy(1.0, 10.0, 1.15, 30.0, 0.25)
    with pytest.raises(AttributeError):
        PollPolicy().interval = 2.0  # type: ignore[misc]
