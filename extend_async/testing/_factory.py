"""Realistic batch processor runs from a seeded RNG, so seeded data reproduces exactly."""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta
from typing import Any, TypedDict

from ..models import (
    BatchProcessorRun,
    BatchProcessorRunMetrics,
    BatchProcessorRunOptions,
    BatchProcessorRunSource,
    BatchProcessorRunStatus,
)

__all__ = ["BatchRunFields", "new_batch_run"]

_ID_ALPHABET = string.ascii_letters + string.digits
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


def _random_id(rng: random.Random, prefix: str, length: int = 22) -> str:
    """An id shaped like the API's: a prefix and mixed-case alphanumerics."""
    return prefix + "".join(rng.choices(_ID_ALPHABET, k=length))


def new_batch_run(
    rng: random.Random,
    now: datetime,
    status: BatchProcessorRunStatus | str,
    fields: BatchRunFields,
) -> BatchProcessorRun:
    """A run with generated defaults for every field missing from ``fields``.

    Defaults hang together: a studio batch names its processor as source, an
    evaluation-set batch an ``ev_`` id, the run count equals the file count, and a run
    that has not started yet was last updated when it was created.
    """
    values: dict[str, Any] = dict(fields)
    processor_id = values.setdefault("processor_id", _random_id(rng, "dp_", 20))
    values.setdefault("id", _random_id(rng, "bpr_"))
    values.setdefault("processor_version_id", _random_id(rng, "dpv_"))
    values.setdefault("processor_name", rng.choice(_PROCESSOR_NAMES))
    source = values.setdefault("source", rng.choice(list(BatchProcessorRunSource)))
    if "source_id" not in values:
        values["source_id"] = {
            BatchProcessorRunSource.EVAL_SET: _random_id(rng, "ev_", 21),
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
