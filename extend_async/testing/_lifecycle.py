"""How a seeded run moves PENDING -> PROCESSING -> its outcome.

Driven by the fake's clock (seconds since the run was added) or by how many times it
was fetched, never by sleeping: a test decides exactly when a run finishes. The same
schedule serves every kind of run; each area says which outcomes it allows.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import attrs

__all__ = ["PENDING", "PROCESSING", "Schedule", "Transition", "checked_seconds"]

PENDING = "PENDING"
PROCESSING = "PROCESSING"


def _seconds_or_none(
    _instance: object, attribute: attrs.Attribute[float | None], value: object
) -> None:
    if value is not None and not (
        isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    ):
        raise ValueError(f"{attribute.name} must be seconds >= 0, got {value!r}")


def checked_seconds(name: str, value: object) -> float:
    """``value`` as a finite number of seconds >= 0 (a setting such as ``sync_wait``)."""
    if not (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    ):
        raise ValueError(f"{name} must be seconds >= 0, got {value!r}")
    return float(value)


def _polls_or_none(
    _instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is not None and not (isinstance(value, int) and value >= 1):
        raise ValueError(f"{attribute.name} must be an int >= 1, got {value!r}")


@attrs.frozen
class Transition:
    """A status change and when it happened (seconds after the run was added)."""

    status: str
    at: float


@attrs.frozen
class Schedule:
    """When a run starts processing and when it ends, and how.

    ``processing_after`` / ``finish_after`` are seconds on the fake's clock after the
    run was added; ``finish_after_polls`` ends the run on that GET of it (the earlier
    polls see it processing). Whichever end comes first wins.
    """

    processing_after: float | None = attrs.field(default=None, validator=_seconds_or_none)
    finish_after: float | None = attrs.field(default=None, validator=_seconds_or_none)
    finish_after_polls: int | None = attrs.field(default=None, validator=_polls_or_none)
    outcome: str = "PROCESSED"

    def __attrs_post_init__(self) -> None:
        if (
            self.processing_after is not None
            and self.finish_after is not None
            and self.finish_after < self.processing_after
        ):
            raise ValueError("finish_after must not come before processing_after")

    def check_outcome(self, allowed: Collection[str]) -> None:
        """Refuse an outcome this kind of run cannot end in."""
        if self.outcome not in allowed:
            choices = " or ".join(repr(str(status)) for status in sorted(allowed))
            raise ValueError(f"outcome must be {choices}, got {str(self.outcome)!r}")

    @property
    def is_empty(self) -> bool:
        """True when nothing is scheduled: the run keeps the status it was given."""
        return (
            self.processing_after is None
            and self.finish_after is None
            and self.finish_after_polls is None
        )

    def ends_within(self, seconds: float) -> bool:
        """Whether a request waiting ``seconds`` for the run (a sync run) sees it end:
        it ends in that time on the clock, or on a poll (which a waiting server makes)."""
        if seconds <= 0:
            return False
        if self.finish_after is not None and self.finish_after <= seconds:
            return True
        return self.finish_after_polls is not None

    @property
    def initial_status(self) -> str:
        """PENDING while a start is still to come, PROCESSING otherwise."""
        return PENDING if self.processing_after is not None else PROCESSING

    def transition(
        self, status: str, elapsed: float, polls: int, *, settled: Collection[str]
    ) -> Transition | None:
        """The latest change due ``elapsed`` seconds and ``polls`` GETs after the run
        was added, or None when its status stays as it is. A run whose status is in
        ``settled`` (its kind's final states, or any a test set by hand) stays."""
        if status in settled:
            return None
        if self.finish_after is not None and elapsed >= self.finish_after:
            return Transition(self.outcome, self.finish_after)
        if self.finish_after_polls is not None and polls >= self.finish_after_polls:
            return Transition(self.outcome, elapsed)
        if (
            status == PENDING
            and self.processing_after is not None
            and elapsed >= self.processing_after
        ):
            return Transition(PROCESSING, self.processing_after)
        return None
