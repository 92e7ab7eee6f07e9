"""How a run moves PENDING -> PROCESSING -> its outcome.

Driven by the fake's clock (seconds since the run was added) or by how many times it
was fetched, never by sleeping: a test decides exactly when a run finishes. The same
schedule serves every kind of run; each area says which outcomes it allows.

A :class:`Schedule` is one run's; a :class:`Lifecycle` is the rule the runs created
through the API follow, and may leave times and outcomes to chance: each new run's
schedule is drawn from it, once, when the run is created.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, TypeGuard, TypeVar

import attrs

if TYPE_CHECKING:
    from ._store import FakeStore

__all__ = [
    "PENDING",
    "PROCESSING",
    "SYNC_WAIT",
    "DrawnLifecycles",
    "Lifecycle",
    "LifecycleSetting",
    "Outcome",
    "PollSpan",
    "Schedule",
    "Span",
    "SyncWaits",
    "Transition",
]

#: Seconds: a number, or a ``(low, high)`` pair to draw each run's from (uniformly).
Span: TypeAlias = float | tuple[float, float]
#: GETs: a whole number, or a ``(low, high)`` pair to draw each run's from (both included).
PollSpan: TypeAlias = int | tuple[int, int]
#: An outcome, or outcomes with their weights (``{"PROCESSED": 9, "FAILED": 1}``).
Outcome: TypeAlias = str | Mapping[str, float]

_N = TypeVar("_N", int, float)

PENDING = "PENDING"
PROCESSING = "PROCESSING"


def _seconds_or_none(
    _instance: object, attribute: attrs.Attribute[float | None], value: object
) -> None:
    if value is not None and not (
        isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    ):
        raise ValueError(f"{attribute.name} must be seconds >= 0, got {value!r}")


def _checked_seconds(name: str, value: object) -> float:
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


def check_outcome(outcome: object, allowed: Collection[str]) -> None:
    """Refuse an outcome a kind of run cannot end in, naming those it can."""
    if outcome not in allowed:
        choices = " or ".join(repr(str(status)) for status in sorted(allowed))
        raise ValueError(f"outcome must be {choices}, got {str(outcome)!r}")


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
        check_outcome(self.outcome, allowed)

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


@attrs.frozen
class Lifecycle:
    """How runs created through the API move, as bounds to draw each run's schedule from.

    A bound of ``(low, high)`` is drawn for each run, uniformly (``finish_after_polls``:
    a whole number from low to high, both included); ``(n, n)`` is every run's ``n``.
    ``outcomes`` pairs each possible outcome with its weight. Build one with
    :meth:`of`, which checks every value.
    """

    processing_after: tuple[float, float] | None = None
    finish_after: tuple[float, float] | None = None
    finish_after_polls: tuple[int, int] | None = None
    outcomes: tuple[tuple[str, float], ...] = (("PROCESSED", 1.0),)

    @classmethod
    def of(
        cls,
        *,
        processing_after: Span | None,
        finish_after: Span | None,
        finish_after_polls: PollSpan | None,
        outcome: Outcome,
        allowed: Collection[str],
    ) -> Lifecycle:
        """The lifecycle ``set_lifecycle`` describes; a ValueError names the argument
        that is wrong (a TypeError, one of the wrong kind)."""
        starts = _seconds_span("processing_after", processing_after)
        ends = _seconds_span("finish_after", finish_after)
        if starts is not None and ends is not None and ends[0] < starts[1]:
            raise ValueError(
                f"finish_after must not come before processing_after: finish_after="
                f"{finish_after!r} could end a run before processing_after="
                f"{processing_after!r} starts it"
            )
        return cls(starts, ends, _polls_span(finish_after_polls), _weights(outcome, allowed))

    def draw(self, rng: random.Random) -> Schedule:
        """One run's schedule. A fixed bound takes nothing from ``rng``, so a
        lifecycle without ranges draws nothing at all."""
        return Schedule(
            processing_after=_drawn(rng.uniform, self.processing_after),
            finish_after=_drawn(rng.uniform, self.finish_after),
            finish_after_polls=_drawn(rng.randint, self.finish_after_polls),
            outcome=self._outcome(rng),
        )

    def _outcome(self, rng: random.Random) -> str:
        possible = [(outcome, weight) for outcome, weight in self.outcomes if weight > 0]
        if len(possible) == 1:
            return possible[0][0]
        return rng.choices([outcome for outcome, _ in possible], [w for _, w in possible])[0]


def _drawn(draw: Callable[[_N, _N], _N], span: tuple[_N, _N] | None) -> _N | None:
    """A value of ``span`` by ``draw`` (a method of the generator), or its only one."""
    if span is None:
        return None
    low, high = span
    return low if low == high else draw(low, high)


def _bounds(name: str, value: object, what: str) -> tuple[object, object]:
    """``value`` as (low, high): a pair as it is, a plain value twice."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise TypeError(f"{name} must be {what} or a (low, high) pair, got {value!r}")
        return value[0], value[1]
    return value, value


def _seconds_span(name: str, value: object) -> tuple[float, float] | None:
    if value is None:
        return None
    low, high = _bounds(name, value, "seconds >= 0")
    if _non_negative(low) and _non_negative(high):
        return _ordered(name, float(low), float(high), value)
    raise ValueError(f"{name} must be seconds >= 0 or a (low, high) pair, got {value!r}")


def _polls_span(value: object) -> tuple[int, int] | None:
    name = "finish_after_polls"
    if value is None:
        return None
    low, high = _bounds(name, value, "an int >= 1")
    if _positive_int(low) and _positive_int(high):
        return _ordered(name, low, high, value)
    raise ValueError(f"{name} must be an int >= 1 or a (low, high) pair, got {value!r}")


def _non_negative(value: object) -> TypeGuard[float]:
    """A finite number >= 0 (not a bool)."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _positive_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _ordered(name: str, low: _N, high: _N, given: object) -> tuple[_N, _N]:
    if low > high:
        raise ValueError(f"{name} must be (low, high) with low <= high, got {given!r}")
    return low, high


def _weights(outcome: object, allowed: Collection[str]) -> tuple[tuple[str, float], ...]:
    """The outcomes with their weights, each outcome checked against ``allowed``."""
    given = {outcome: 1} if isinstance(outcome, str) else outcome
    if not isinstance(given, Mapping) or not given:
        raise TypeError(
            f"outcome must be an outcome or a mapping of outcomes to weights, got {outcome!r}"
        )
    weights = []
    for name, weight in given.items():
        check_outcome(name, allowed)
        if not _non_negative(weight):
            raise ValueError(f"outcome weights must be numbers >= 0, got {name!r}: {weight!r}")
        weights.append((str(name), float(weight)))
    if not any(weight > 0 for _, weight in weights):
        raise ValueError(f"outcome weights must not all be 0, got {outcome!r}")
    return tuple(weights)


class LifecycleSetting:
    """What a run area's ``set_lifecycle`` sets: the lifecycle its runs created through
    the API follow, and the generator of its own (seeded from the fake's seed) each new
    run draws its schedule from, so that drawing never shifts the ids or outputs."""

    def __init__(
        self, store: FakeStore, purpose: str, default: Lifecycle, allowed: Collection[str]
    ) -> None:
        self._lock = store.lock
        self._rng = store.rng_for(purpose)
        self._allowed = allowed
        self._current = default

    @property
    def current(self) -> Lifecycle:
        with self._lock:
            return self._current

    def set(
        self,
        *,
        processing_after: Span | None,
        finish_after: Span | None,
        finish_after_polls: PollSpan | None,
        outcome: Outcome,
    ) -> None:
        """Check the bounds (see :meth:`Lifecycle.of`) and follow them from now on."""
        lifecycle = Lifecycle.of(
            processing_after=processing_after,
            finish_after=finish_after,
            finish_after_polls=finish_after_polls,
            outcome=outcome,
            allowed=self._allowed,
        )
        with self._lock:
            self._current = lifecycle

    def draw(self) -> Schedule:
        """The schedule of the run being created (the k-th run gets the k-th draw)."""
        with self._lock:
            return self._current.draw(self._rng)


class DrawnLifecycles:
    """What a run area offers tests about the lifecycle its runs created through the
    API draw from (its :class:`LifecycleSetting`, ``_lifecycle``): ``lifecycle`` shows
    it, ``set_lifecycle`` changes it. Areas with a ``PENDING`` phase or other defaults
    override ``set_lifecycle``."""

    _lifecycle: LifecycleSetting

    @property
    def lifecycle(self) -> Lifecycle:
        """What runs created through the API from now on follow (see
        :meth:`set_lifecycle`); runs already made keep the schedule they drew."""
        return self._lifecycle.current

    def set_lifecycle(
        self,
        *,
        finish_after: Span | None = None,
        finish_after_polls: PollSpan | None = None,
        outcome: Literal["PROCESSED", "FAILED"] | Mapping[str, float] = "PROCESSED",
    ) -> None:
        """How runs created through the API from now on move: PROCESSING, then
        ``outcome`` after ``finish_after`` seconds on the fake's clock or on GET number
        ``finish_after_polls``, whichever comes first. With neither, they are finished
        when created. The default is ``finish_after_polls=2``.

        Each may vary from run to run: a ``(low, high)`` pair of seconds or GETs, and
        outcomes with weights (``{"PROCESSED": 9, "FAILED": 1}``), drawn by each new
        run from the fake's seeded generator when it is created."""
        self._lifecycle.set(
            processing_after=None,
            finish_after=finish_after,
            finish_after_polls=finish_after_polls,
            outcome=outcome,
        )


#: How long a sync request waits for its run, as the API does (five minutes).
SYNC_WAIT: Final = 300.0


class SyncWaits:
    """What a run area whose requests can wait for their run (``sync: true``, Edit
    File) offers tests: ``sync_wait``, the seconds such a request waits."""

    store: FakeStore
    _sync_wait: float = SYNC_WAIT

    @property
    def sync_wait(self) -> float:
        """Seconds a request that waits for its run waits (default 300, the API's five
        minutes). A run its schedule ends within that time (or by polls) is answered
        finished; otherwise it is answered unfinished and keeps running. Set it to 0
        to have every such request come back unfinished."""
        with self.store.lock:
            return self._sync_wait

    @sync_wait.setter
    def sync_wait(self, seconds: float) -> None:
        checked = _checked_seconds("sync_wait", seconds)
        with self.store.lock:
            self._sync_wait = checked
