"""How the API's objects look on a terminal and as JSON.

A :class:`View` says, for one kind of object, which of its top-level fields a summary
shows (label and text, in order) and what its one line in a list is. ``--json`` prints
the object as the API spells it instead, whatever its kind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs

from .. import to_json
from .._converter import format_datetime
from ..models import (
    BatchProcessorRun,
    File,
    ProcessorRun,
    ProcessorRunSummary,
    ProcessorSummary,
    WorkflowRun,
    WorkflowRunStatus,
    WorkflowRunSummary,
)

T = TypeVar("T")

#: A summary row: its label, and its text for an object (None: the row is left out).
Row = tuple[str, Callable[[T], "str | None"]]


@attrs.frozen
class View(Generic[T]):
    """The summary (``rows`` under the id) and the list line of one kind of object."""

    rows: Sequence[Row[T]]
    line: Callable[[T], str]

    def summary(self, obj: T) -> str:
        """The object's id, then a few aligned lines a person can read at a glance."""
        shown = [(label, text) for label, value in self.rows if (text := value(obj)) is not None]
        width = max(len(label) for label, _ in shown)
        indent = "\n" + " " * (width + 4)  # a text of many lines stays in its column
        body = "\n".join(
            f"  {label:<{width}}  {indent.join(text.splitlines())}" for label, text in shown
        )
        return f"{obj.id}\n{body}"  # type: ignore[attr-defined]


def as_json(obj: object, *, compact: bool = False) -> str:
    """The object exactly as the API spells it (camelCase keys); one line when ``compact``."""
    return to_json(obj, indent=None if compact else 2)


def outcome_line(obj_id: str, outcome: Any) -> str:
    """One line per finished wait: ``id  STATUS`` or ``id  error: Kind: message``."""
    if isinstance(outcome, BaseException):
        return f"{obj_id}  error: {type(outcome).__name__}: {outcome}"
    return f"{obj_id}  {outcome.status}"


def _status(obj: Any) -> str:
    return str(obj.status) + ("" if obj.is_terminal else " (not final)")


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else str(value)


def _time(value: datetime | None) -> str | None:
    return None if value is None else format_datetime(value)


def _credits(usage: Any) -> str | None:
    return None if usage is None else _number(usage.credits)


def _files(files: Sequence[File]) -> str:
    if not files:
        return "-"
    if len(files) > 1:
        return f"{len(files)} files: " + ", ".join(file.name for file in files)
    return f"{files[0].name} ({files[0].id})"


def _failure(obj: Any) -> str | None:
    parts = [part for part in (obj.failure_reason, obj.failure_message) if part]
    return ": ".join(parts) if parts else None


def _metadata(value: dict[str, Any] | None) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


def _status_line(obj: Any) -> str:
    return f"{obj.id}  {obj.status}"


BATCH_RUN: View[BatchProcessorRun] = View(
    rows=(
        ("status", _status),
        ("processor", lambda run: f"{run.processor_name} ({run.processor_id})"),
        ("version", lambda run: run.processor_version_id),
        ("source", lambda run: str(run.source) + (f" ({run.source_id})" if run.source_id else "")),
        ("runs", lambda run: str(run.run_count)),
        ("files", lambda run: _number(run.metrics.num_files)),
        ("pages", lambda run: _number(run.metrics.num_pages)),
        ("created", lambda run: format_datetime(run.created_at)),
        ("updated", lambda run: format_datetime(run.updated_at)),
    ),
    line=_status_line,
)

PROCESSOR_RUN: View[ProcessorRun] = View(
    rows=(
        ("status", _status),
        ("processor", lambda run: f"{run.processor_name} ({run.processor_id})"),
        ("version", lambda run: run.processor_version_id),
        ("type", lambda run: str(run.type)),
        ("file", lambda run: _files(run.files)),
        ("failure", _failure),
        (
            "reviewed",
            lambda run: "yes" + (", edited" if run.edited else "") if run.reviewed else None,
        ),
        ("metadata", lambda run: _metadata(run.metadata)),
        ("credits", lambda run: _credits(run.usage)),
        ("url", lambda run: run.url),
    ),
    line=_status_line,
)

WORKFLOW_RUN: View[WorkflowRun] = View(
    rows=(
        (
            "status",
            lambda run: (
                f"{run.status} (waiting for a reviewer)"
                if run.status == WorkflowRunStatus.NEEDS_REVIEW
                else _status(run)
            ),
        ),
        ("name", lambda run: run.name),
        (
            "workflow",
            lambda run: f"{run.workflow.name} ({run.workflow.id}, {run.workflow.version})",
        ),
        ("file", lambda run: _files(run.files)),
        ("outputs", lambda run: str(len(run.outputs))),
        ("batch", lambda run: run.batch_id),
        ("failure", _failure),
        (
            "reviewed",
            lambda run: (
                f"by {run.reviewed_by}"
                + (f" at {_time(run.reviewed_at)}" if run.reviewed_at else "")
                if run.reviewed_by
                else None
            ),
        ),
        ("rejection", lambda run: run.rejection_note),
        ("metadata", lambda run: _metadata(run.metadata)),
        ("started", lambda run: _time(run.start_time)),
        ("ended", lambda run: _time(run.end_time)),
        ("credits", lambda run: _credits(run.usage)),
        ("url", lambda run: run.url),
    ),
    line=_status_line,
)


def processor_run_line(run: ProcessorRunSummary) -> str:
    """A processor run in a list: id, status, processor, when created."""
    return f"{run.id}  {run.status!s:<10}  {run.processor_name}  {format_datetime(run.created_at)}"


def workflow_run_line(run: WorkflowRunSummary) -> str:
    """A workflow run in a list: id, status, workflow, when created."""
    return f"{run.id}  {run.status!s:<12}  {run.workflow_name}  {format_datetime(run.created_at)}"


def processor_line(processor: ProcessorSummary) -> str:
    """A processor in a list: id, type, name, its versions."""
    versions = ", ".join(version.version for version in processor.versions) or "-"
    return f"{processor.id}  {processor.type!s:<8}  {processor.name}  versions: {versions}"


def _file_type(file: File) -> str:
    return str(file.type) if file.type is not None else "-"


def file_line(file: File) -> str:
    """A file in a list: id, type, name, when created."""
    return f"{file.id}  {_file_type(file):<5}  {file.name}  {format_datetime(file.created_at)}"


FILE: View[File] = View(
    rows=(
        ("name", lambda file: file.name),
        ("type", _file_type),
        ("pages", lambda file: _number(file.metadata.page_count)),
        ("parent", lambda file: file.parent_file_id),
        ("created", lambda file: format_datetime(file.created_at)),
        ("text", lambda file: file.contents.raw_text if file.contents else None),
    ),
    line=file_line,
)
