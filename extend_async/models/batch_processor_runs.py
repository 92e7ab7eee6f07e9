"""Batch processor runs: evaluation-set, playground and studio batches of a processor."""

from __future__ import annotations

from datetime import datetime

import attrs

from .common import ApiEnum

__all__ = [
    "BatchProcessorRun",
    "BatchProcessorRunMetrics",
    "BatchProcessorRunOptions",
    "BatchProcessorRunSource",
    "BatchProcessorRunStatus",
]


class BatchProcessorRunStatus(ApiEnum):
    """Lifecycle of a batch. PROCESSED and FAILED are final; there is no cancelled state."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    PROCESSED = "PROCESSED"
    FAILED = "FAILED"

    @classmethod
    def is_terminal(cls, status: BatchProcessorRunStatus | str) -> bool:
        """True only for the known final states; an unknown new status is not final."""
        return status in _TERMINAL


_TERMINAL = frozenset({BatchProcessorRunStatus.PROCESSED, BatchProcessorRunStatus.FAILED})


class BatchProcessorRunSource(ApiEnum):
    """What launched the batch."""

    EVAL_SET = "EVAL_SET"
    PLAYGROUND = "PLAYGROUND"
    STUDIO = "STUDIO"


@attrs.frozen
class BatchProcessorRunMetrics:
    """Aggregate counters of a batch (JSON numbers; counts may arrive as floats)."""

    num_files: float | None = None
    num_pages: float | None = None


@attrs.frozen
class BatchProcessorRunOptions:
    """Comparison options used when scoring the batch."""

    fuzzy_match_fields: list[str] | None = None
    exclude_fields: list[str] | None = None


@attrs.frozen
class BatchProcessorRun:
    """One batch run of a processor over many files."""

    id: str
    processor_id: str
    processor_version_id: str
    processor_name: str
    metrics: BatchProcessorRunMetrics
    status: BatchProcessorRunStatus
    source: BatchProcessorRunSource
    run_count: int
    options: BatchProcessorRunOptions
    created_at: datetime
    updated_at: datetime
    source_id: str | None = None
    object: str = "batch_processor_run"

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state (PROCESSED or FAILED)."""
        return BatchProcessorRunStatus.is_terminal(self.status)
