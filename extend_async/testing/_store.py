"""The fake server's in-memory state: one method per API operation it serves.

Thread-safe (one lock), because a test seeds and inspects from its own thread while a
threaded fake answers requests on another. Response bodies are serialised once per
change of a run and reused, which keeps thousands of concurrent GETs cheap.
"""

from __future__ import annotations

import json
import random
import threading
from datetime import datetime, timedelta
from typing import Any

import attrs

from .._clock import Clock
from .._converter import converter
from ..models import BatchProcessorRun, BatchProcessorRunStatus
from ._factory import BatchRunFields, new_batch_run
from ._lifecycle import Schedule

__all__ = ["FakeStore"]


@attrs.define
class _BatchRunEntry:
    run: BatchProcessorRun
    schedule: Schedule
    added_at: float
    polls: int = 0
    body: bytes | None = None


def _envelope(key: str, value: object) -> bytes:
    return json.dumps({"success": True, key: converter.unstructure(value)}).encode()


class FakeStore:
    """Runs by id, their schedules, and the clock that moves them."""

    def __init__(self, clock: Clock, start_time: datetime, seed: int) -> None:
        self._clock = clock
        self._origin = clock.monotonic()
        self._start_time = start_time
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._batch_runs: dict[str, _BatchRunEntry] = {}

    def now(self) -> datetime:
        """The fake's wall-clock time: the start time moved on by its clock."""
        return self._wall_time(self._clock.monotonic())

    def _wall_time(self, monotonic: float) -> datetime:
        return self._start_time + timedelta(seconds=monotonic - self._origin)

    # -- batch processor runs -------------------------------------------------------

    def add_batch_run(self, fields: BatchRunFields, schedule: Schedule) -> BatchProcessorRun:
        """Store a new run; fields left out are generated."""
        status = fields.get("status")
        if status is None:
            status = (
                BatchProcessorRunStatus.PROCESSED if schedule.is_empty else schedule.initial_status
            )
        elif not schedule.is_empty and BatchProcessorRunStatus.is_terminal(status):
            raise ValueError(f"a run with a schedule cannot start as {status!s}")
        with self._lock:
            run = new_batch_run(self._rng, self.now(), status, fields)
            if run.id in self._batch_runs:
                raise ValueError(f"a batch processor run with id {run.id!r} already exists")
            self._batch_runs[run.id] = _BatchRunEntry(run, schedule, self._clock.monotonic())
            return run

    def batch_run(self, run_id: str) -> BatchProcessorRun:
        """The run as a GET would show it now, without counting as a poll."""
        with self._lock:
            entry = self._batch_entry(run_id)
            self._advance(entry)
            return entry.run

    def update_batch_run(self, run_id: str, fields: BatchRunFields) -> BatchProcessorRun:
        """Replace some fields; a status change stamps ``updated_at`` unless it is given."""
        with self._lock:
            entry = self._batch_entry(run_id)
            self._advance(entry)
            changes: dict[str, Any] = dict(fields)
            if changes.get("id", run_id) != run_id:
                raise ValueError("the id of a stored run cannot change")
            if "status" in changes and changes["status"] != entry.run.status:
                changes.setdefault("updated_at", self.now())
            entry.run = attrs.evolve(entry.run, **changes)
            entry.body = None
            return entry.run

    def get_batch_processor_run(self, run_id: str) -> bytes | None:
        """One poll: advance the run's lifecycle and return the response body (None: 404)."""
        with self._lock:
            entry = self._batch_runs.get(run_id)
            if entry is None:
                return None
            entry.polls += 1
            self._advance(entry)
            if entry.body is None:
                entry.body = _envelope("batchProcessorRun", entry.run)
            return entry.body

    def _batch_entry(self, run_id: str) -> _BatchRunEntry:
        entry = self._batch_runs.get(run_id)
        if entry is None:
            raise KeyError(f"no batch processor run with id {run_id!r}")
        return entry

    def _advance(self, entry: _BatchRunEntry) -> None:
        elapsed = self._clock.monotonic() - entry.added_at
        transition = entry.schedule.transition(entry.run.status, elapsed, entry.polls)
        if transition is not None:
            entry.run = attrs.evolve(
                entry.run,
                status=transition.status,
                updated_at=self._wall_time(entry.added_at + transition.at),
            )
            entry.body = None
