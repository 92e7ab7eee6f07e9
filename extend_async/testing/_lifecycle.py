"""How a seeded run moves PENDING -> PROCESSING -> PROCESSED or FAILED.

Driven by the fake's clock (seconds since the run was added) or by how many times it
was fetched, never by sleeping: a test decides exactly when a run finishes.
"""

from __future__ import annotations

import math
from typing import Literal

import attrs

from ..models import BatchProcessorRunStatus

__all__ = ["Outcome", "Schedule", "Transition"]

Outcome = Literal["PROCESSED", "FAILED"]

_PENDING = BatchProcessorRunStatus.PENDING
_PROCESSING = BatchProcessorRunStatus.PROCESSING


def _seconds_or_none(
    _instance: object, attribute: attrs.Attribute[float | None], value: object
) -> None:
    if value is not None and not (
        isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    ):
        raise ValueError(f"{attribute.name} must be seconds >= 0, got {value!r}")


def _polls_or_none(
    _instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is not None and not (isinstance(value, int) and value >= 1):
        raise ValueError(f"{attribute.name} must be an int >= 1, got {value!r}")


@attrs.frozen
class Transition:
    """A status change and when it happened (seconds after the run was added)."""

    status: BatchProcessorRunStatus
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
    outcome: BatchProcessorRunStatus = attrs.field(
        default=BatchProcessorRunStatus.PROCESSED, converter=BatchProcessorRunStatus
    )

    def __attrs_post_init__(self) -> None:
        if self.outcome not in (BatchProcessorRunStatus.PROCESSED, BatchProcessorRunStatus.FAILED):
            raise ValueError(f"outcome must be 'PROCESSED' or 'FAILED', got {self.outcome.value!r}")
        if (
            self.processing_after is not None
            and self.finish_after is not None
            and self.finish_after < self.processing_after
        ):
            raise ValueError("finish_after must not come before processing_after")

    @property
    def is_empty(self) -> bool:
        """True when nothing is scheduled: the run keeps the status it was given."""
        return (
            self.processing_after is None
            and self.finish_after is None
            and self.finish_after_polls is None
        )

    @property
    def initial_status(self) -> BatchProcessorRunStatus:
        """PENDING while a start is still to come, PROCESSING otherwise."""
        return _PENDING if self.processing_after is not None else _PROCESSING

    def transition(
        self, status: BatchProcessorRunStatus | str, elapsed: float, polls: int
    ) -> Transition | None:
        """The latest change due ``elapsed`` seconds and ``polls`` GETs after the run
        was added, or None when its status stays as it is."""
        if BatchProcessorRunStatus.is_terminal(status):
            return None
        if self.finish_after is not None and elapsed >= self.finish_after:
            return Transition(self.outcome, self.finish_after)
        if self.finish_after_polls is not None and polls >= self.finish_after_polls:
            return Transition(self.outcome, elapsed)
        if (
            status == _PENDING
            and self.processing_after is not None
            and elapsed >= self.processing_after
        ):
            return Transition(_PROCESSING, self.processing_after)
        return None
