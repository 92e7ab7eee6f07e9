"""Batch processor runs (``GET /batch_processor_runs/{id}``), seeded by tests.

Runs are generated from the seeded RNG, so the same seed gives the same data, with
defaults that hang together: a studio batch names its processor as source, an
evaluation-set batch an ``ev_`` id, the run count equals the file count, and a run
that has not started yet was last updated when it was created.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypedDict

import attrs
from aiohttp import web

from ..models import (
    BatchProcessorRun,
    BatchProcessorRunMetrics,
    BatchProcessorRunOptions,
    BatchProcessorRunSource,
    BatchProcessorRunStatus,
)
from ._area import Area, FakeError, route
from ._lifecycle import Schedule
from ._wire import envelope, json_response

__all__ = ["BatchRunFields", "BatchRuns"]

_PROCESSOR_NAMES = (
    "Invoice Processor",
    "Receipt Extractor",
    "Bank Statement Parser",
    "Purchase Order Reader",
    "Contract Classifier",
    "Bill of Lading Splitter",
)
_FIELD_NAMES = (
    "vendor_name",
    "invoice_number",
    "invoice_date",
    "due_date",
    "total_amount",
    "currency",
    "line_items",
    "po_number",
    "notes",
)
_OUTCOMES = frozenset({BatchProcessorRunStatus.PROCESSED, BatchProcessorRunStatus.FAILED})


class BatchRunFields(TypedDict, total=False):
    """Fields of a :class:`BatchProcessorRun` a test may set; the others are generated."""

    id: str
    processor_id: str
    processor_version_id: str
    processor_name: str
    metrics: BatchProcessorRunMetrics
    status: BatchProcessorRunStatus | str
    source: BatchProcessorRunSource | str
    source_id: str | None
    run_count: int
    options: BatchProcessorRunOptions
    created_at: datetime
    updated_at: datetime


@attrs.define
class _Entry:
    run: BatchProcessorRun
    schedule: Schedule
    added_at: float
    polls: int = 0
    body: bytes | None = None


class BatchRuns(Area):
    """The batch processor runs of the fake, by id."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._runs: dict[str, _Entry] = {}

    def add(self, fields: BatchRunFields, schedule: Schedule) -> BatchProcessorRun:
        """Store a new run; fields left out are generated."""
        schedule.check_outcome(_OUTCOMES)
        status: str | None = fields.get("status")
        if status is None:
            status = (
                BatchProcessorRunStatus.PROCESSED if schedule.is_empty else schedule.initial_status
            )
        elif not schedule.is_empty and BatchProcessorRunStatus.is_terminal(status):
            raise ValueError(f"a run with a schedule cannot start as {status!s}")
        store = self.store
        with store.lock:
            run = self._generate(store.now(), BatchProcessorRunStatus(status), fields)
            if run.id in self._runs:
                raise ValueError(f"a batch processor run with id {run.id!r} already exists")
            self._runs[run.id] = _Entry(run, schedule, store.clock.monotonic())
            return run

    def get(self, run_id: str) -> BatchProcessorRun:
        """The run as a GET would show it now, without counting as a poll."""
        with self.store.lock:
            entry = self._entry(run_id)
            self._advance(entry)
            return entry.run

    def update(self, run_id: str, fields: BatchRunFields) -> BatchProcessorRun:
        """Replace some fields; a status change stamps ``updated_at`` unless it is given."""
        with self.store.lock:
            entry = self._entry(run_id)
            self._advance(entry)
            changes: dict[str, Any] = dict(fields)
            if changes.get("id", run_id) != run_id:
                raise ValueError("the id of a stored run cannot change")
            if "status" in changes:
                changes["status"] = BatchProcessorRunStatus(changes["status"])
                if changes["status"] != entry.run.status:
                    changes.setdefault("updated_at", self.store.now())
            entry.run = attrs.evolve(entry.run, **changes)
            entry.body = None
            return entry.run

    @route("get_batch_processor_run", "GET", "/batch_processor_runs/{id}")
    async def get_batch_processor_run(self, request: web.Request) -> web.StreamResponse:
        run_id = request.match_info["id"]
        with self.store.lock:
            entry = self._runs.get(run_id)
            if entry is None:
                raise FakeError(404, "Batch processor run not found")
            entry.polls += 1
            self._advance(entry)
            if entry.body is None:  # serialised once per change: thousands of GETs stay cheap
                entry.body = envelope("batchProcessorRun", entry.run)
            body = entry.body
        return json_response(200, body)

    def _entry(self, run_id: str) -> _Entry:
        entry = self._runs.get(run_id)
        if entry is None:
            raise KeyError(f"no batch processor run with id {run_id!r}")
        return entry

    def _advance(self, entry: _Entry) -> None:
        store = self.store
        elapsed = store.clock.monotonic() - entry.added_at
        transition = entry.schedule.transition(
            entry.run.status, elapsed, entry.polls, settled=_OUTCOMES
        )
        if transition is not None:
            entry.run = attrs.evolve(
                entry.run,
                status=BatchProcessorRunStatus(transition.status),
                updated_at=store.wall_time(entry.added_at + transition.at),
            )
            entry.body = None

    def _generate(
        self, now: datetime, status: BatchProcessorRunStatus, fields: BatchRunFields
    ) -> BatchProcessorRun:
        store, rng = self.store, self.store.rng
        values: dict[str, Any] = dict(fields)
        processor_id = values.setdefault("processor_id", store.new_id("dp_", 20))
        values.setdefault("id", store.new_id("bpr_"))
        values.setdefault("processor_version_id", store.new_id("dpv_"))
        values.setdefault("processor_name", rng.choice(_PROCESSOR_NAMES))
        source = BatchProcessorRunSource(
            values.setdefault("source", rng.choice(list(BatchProcessorRunSource)))
        )
        values["source"] = source
        if "source_id" not in values:
            values["source_id"] = {
                BatchProcessorRunSource.EVAL_SET: store.new_id("ev_", 21),
                BatchProcessorRunSource.STUDIO: processor_id,
            }.get(source)
        if "metrics" not in values:
            files = rng.randint(1, 50)
            values["metrics"] = BatchProcessorRunMetrics(
                num_files=files, num_pages=files * rng.randint(1, 6)
            )
        if "run_count" not in values:
            values["run_count"] = int(values["metrics"].num_files or 0)
        if "options" not in values:
            fuzzy = rng.sample(_FIELD_NAMES, k=rng.randint(0, 2))
            rest = [name for name in _FIELD_NAMES if name not in fuzzy]
            values["options"] = BatchProcessorRunOptions(
                fuzzy_match_fields=fuzzy, exclude_fields=rng.sample(rest, k=rng.randint(0, 1))
            )
        created_at = values.setdefault("created_at", now - timedelta(seconds=rng.randint(60, 3600)))
        values.setdefault(
            "updated_at", created_at if status == BatchProcessorRunStatus.PENDING else now
        )
        values["status"] = status
        return BatchProcessorRun(**values)
