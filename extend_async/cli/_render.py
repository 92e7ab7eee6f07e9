"""How runs look on a terminal and as JSON."""

from __future__ import annotations

from .. import to_json
from .._converter import format_datetime
from ..models import BatchProcessorRun


def run_json(run: BatchProcessorRun, *, compact: bool = False) -> str:
    """The run exactly as the API spells it (camelCase keys); one line when ``compact``."""
    return to_json(run, indent=None if compact else 2)


def run_summary(run: BatchProcessorRun) -> str:
    """A few aligned lines a person can read at a glance."""
    source = str(run.source) + (f" ({run.source_id})" if run.source_id else "")
    metrics = run.metrics
    rows = [
        ("status", str(run.status) + ("" if run.is_terminal else " (not final)")),
        ("processor", f"{run.processor_name} ({run.processor_id})"),
        ("version", run.processor_version_id),
        ("source", source),
        ("runs", str(run.run_count)),
        ("files", _number(metrics.num_files)),
        ("pages", _number(metrics.num_pages)),
        ("created", format_datetime(run.created_at)),
        ("updated", format_datetime(run.updated_at)),
    ]
    width = max(len(label) for label, _ in rows)
    body = "\n".join(f"  {label:<{width}}  {value}" for label, value in rows)
    return f"{run.id}\n{body}"


def run_line(run_id: str, outcome: BatchProcessorRun | BaseException) -> str:
    """One line per finished wait: ``id  STATUS`` or ``id  error: ...``."""
    if isinstance(outcome, BaseException):
        return f"{run_id}  error: {type(outcome).__name__}: {outcome}"
    return f"{run_id}  {outcome.status}"


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else str(value)
