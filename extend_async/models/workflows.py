"""Workflows and workflow runs: the runs of a workflow on files or raw texts, their
processor outputs and step results, and the requests that start, batch, update and
correct them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, TypeAlias

import attrs

from .common import NOT_GIVEN, ApiEnum, JsonObject, Omittable, RawJson, union_of
from .files import File
from .processor_runs import ProcessorRun, ProvidedProcessorOutput

__all__ = [
    "AnyStepRunOutput",
    "BatchRunWorkflowRequest",
    "BatchWorkflowRunFileInput",
    "BatchWorkflowRunInput",
    "CorrectWorkflowRunOutputsRequest",
    "CreateWorkflowRequest",
    "ExternalStepRunOutput",
    "RuleFailureReason",
    "RunWorkflowRequest",
    "StepRun",
    "StepRunOutput",
    "StepRunRule",
    "StepRunStatus",
    "UpdateWorkflowRunRequest",
    "Workflow",
    "WorkflowBatch",
    "WorkflowRun",
    "WorkflowRunCredits",
    "WorkflowRunDeleted",
    "WorkflowRunFileInput",
    "WorkflowRunFileInputOutput",
    "WorkflowRunStatus",
    "WorkflowRunSummary",
    "WorkflowStep",
    "WorkflowStepType",
]


class WorkflowRunStatus(ApiEnum):
    """Lifecycle of a workflow run. PROCESSED, FAILED, REJECTED and CANCELLED are final;
    NEEDS_REVIEW waits for a human (then PROCESSED or REJECTED) and is not."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    REJECTED = "REJECTED"
    PROCESSED = "PROCESSED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    CANCELLING = "CANCELLING"

    #: The final states (set below the class: an enum's body only holds members).
    TERMINAL: ClassVar[frozenset[WorkflowRunStatus]]

    @classmethod
    def is_terminal(cls, status: WorkflowRunStatus | str) -> bool:
        """True only for the known final states; NEEDS_REVIEW and unknown statuses are not."""
        return status in cls.TERMINAL


WorkflowRunStatus.TERMINAL = frozenset(
    {
        WorkflowRunStatus.PROCESSED,
        WorkflowRunStatus.FAILED,
        WorkflowRunStatus.REJECTED,
        WorkflowRunStatus.CANCELLED,
    }
)


class StepRunStatus(ApiEnum):
    """Lifecycle of a workflow step run. PROCESSED, FAILED and CANCELLED are final."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    PROCESSED = "PROCESSED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    #: The final states (set below the class: an enum's body only holds members).
    TERMINAL: ClassVar[frozenset[StepRunStatus]]

    @classmethod
    def is_terminal(cls, status: StepRunStatus | str) -> bool:
        """True only for the known final states; an unknown new status is not final."""
        return status in cls.TERMINAL


StepRunStatus.TERMINAL = frozenset(
    {StepRunStatus.PROCESSED, StepRunStatus.FAILED, StepRunStatus.CANCELLED}
)


class WorkflowStepType(ApiEnum):
    """The kind of a (non-processor) workflow step."""

    EXTERNAL_DATA_VALIDATION = "EXTERNAL_DATA_VALIDATION"
    RULE_VALIDATION = "RULE_VALIDATION"


class RuleFailureReason(ApiEnum):
    """Why a validation rule failed."""

    RULE_FAILED = "RULE_FAILED"
    PARSE_ERROR = "PARSE_ERROR"
    VALUE_ERROR = "VALUE_ERROR"


@attrs.frozen
class Workflow:
    """A workflow, at the version that ran (or ``draft``)."""

    id: str
    version: str
    name: str
    object: str = "workflow"


@attrs.frozen
class WorkflowRunCredits:
    """Credits a workflow run spent."""

    credits: float


@attrs.frozen
class WorkflowStep:
    """The definition of a workflow step."""

    id: str
    name: str
    type: WorkflowStepType
    object: str = "workflow_step"


@attrs.frozen
class StepRunRule:
    """The result of one validation rule."""

    name: str
    valid: bool
    valid_array: list[str] | None = None
    failure_reason: RuleFailureReason | None = None
    error: str | None = None


@attrs.frozen
class StepRunOutput:
    """The output of a rule-validation step: one result per rule."""

    rules: list[StepRunRule] | None = None


@attrs.frozen
class ExternalStepRunOutput(RawJson):
    """The output of an external-data-validation step (the external endpoint's own
    response), or of a shape this release does not know: kept as sent."""


#: A step run's output: rule results (``rules``), or any other object kept raw.
AnyStepRunOutput: TypeAlias = StepRunOutput | ExternalStepRunOutput


def _choose_step_output(value: Any) -> type[Any]:
    if isinstance(value, dict) and isinstance(value.get("rules"), list):
        return StepRunOutput
    return ExternalStepRunOutput


union_of(AnyStepRunOutput, _choose_step_output, fallback=ExternalStepRunOutput)


@attrs.frozen
class StepRun:
    """The run of one non-processor step of a workflow run (external data or rule validation)."""

    id: str
    status: StepRunStatus
    step: WorkflowStep
    output: AnyStepRunOutput | None = None
    object: str = "workflow_step_run"

    @property
    def is_terminal(self) -> bool:
        """Whether the step run reached a final state (PROCESSED, FAILED or CANCELLED)."""
        return StepRunStatus.is_terminal(self.status)


@attrs.frozen
class WorkflowRun:
    """One run of a workflow on one file (or raw text), with every processor run's
    output (``outputs``), step results and review state."""

    id: str
    name: str
    url: str
    status: WorkflowRunStatus
    metadata: JsonObject
    files: list[File]
    initial_run_at: datetime
    reviewed: bool
    outputs: list[ProcessorRun]
    step_runs: list[StepRun]
    workflow: Workflow
    batch_id: str | None = None
    failure_reason: str | None = None
    failure_message: str | None = None
    reviewed_by: str | None = None
    rejection_note: str | None = None
    reviewed_at: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    usage: WorkflowRunCredits | None = None
    object: str = "workflow_run"

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state (PROCESSED, FAILED, REJECTED or
        CANCELLED); a run in NEEDS_REVIEW is not."""
        return WorkflowRunStatus.is_terminal(self.status)


@attrs.frozen
class WorkflowRunSummary:
    """A workflow run as List Workflow Runs gives it (no files, outputs or step runs)."""

    id: str
    status: WorkflowRunStatus
    workflow_id: str
    workflow_name: str
    workflow_version_id: str
    created_at: datetime
    updated_at: datetime
    initial_run_at: datetime | None = None
    reviewed_by_user: str | None = None
    reviewed_at: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    batch_id: str | None = None
    rejection_note: str | None = None
    usage: WorkflowRunCredits | None = None

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state; a run in NEEDS_REVIEW is not."""
        return WorkflowRunStatus.is_terminal(self.status)


@attrs.frozen(kw_only=True)
class WorkflowRunFileInputOutput:
    """An output given in advance for one processor of a workflow run, used instead of
    what the processor would produce."""

    processor_id: str
    output: ProvidedProcessorOutput


@attrs.frozen(kw_only=True)
class WorkflowRunFileInput:
    """A file to run a workflow on: a ``file_url`` or a ``file_id`` (exactly one), an
    optional display name and optional pre-set outputs."""

    file_name: Omittable[str] = NOT_GIVEN
    file_url: Omittable[str] = NOT_GIVEN
    file_id: Omittable[str] = NOT_GIVEN
    outputs: Omittable[list[WorkflowRunFileInputOutput]] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class BatchWorkflowRunFileInput:
    """A file of a batch input: a ``file_url`` or a ``file_id`` (exactly one), and an
    optional display name."""

    file_name: Omittable[str] = NOT_GIVEN
    file_url: Omittable[str] = NOT_GIVEN
    file_id: Omittable[str] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class BatchWorkflowRunInput:
    """One input of a batch: a file or a raw text, with its own metadata and secrets."""

    file: Omittable[BatchWorkflowRunFileInput] = NOT_GIVEN
    raw_text: Omittable[str] = NOT_GIVEN
    metadata: Omittable[JsonObject] = NOT_GIVEN
    secrets: Omittable[JsonObject] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class RunWorkflowRequest:
    """The body of Run Workflow: the workflow, files or raw texts (one run each), and options."""

    workflow_id: str
    files: Omittable[list[WorkflowRunFileInput]] = NOT_GIVEN
    raw_texts: Omittable[list[str]] = NOT_GIVEN
    version: Omittable[str] = NOT_GIVEN
    priority: Omittable[int] = NOT_GIVEN
    metadata: Omittable[JsonObject] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class UpdateWorkflowRunRequest:
    """The body of Update Workflow Run: a new name, and metadata merged into the run's."""

    name: Omittable[str] = NOT_GIVEN
    metadata: Omittable[JsonObject] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class CreateWorkflowRequest:
    """The body of Create Workflow: the new (empty) workflow's name."""

    name: str


@attrs.frozen(kw_only=True)
class BatchRunWorkflowRequest:
    """The body of Batch Run Workflow: the workflow, its version, and 1 to 1000 inputs."""

    workflow_id: str
    inputs: list[BatchWorkflowRunInput]
    version: Omittable[str] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class CorrectWorkflowRunOutputsRequest:
    """The body of Correct Workflow Run Outputs: the corrected output of one processor run."""

    reviewed_output: ProvidedProcessorOutput


@attrs.frozen
class WorkflowRunDeleted:
    """The answer to Delete Workflow Run: the deleted run's ID and a message."""

    workflow_run_id: str
    message: str


@attrs.frozen
class WorkflowBatch:
    """The answer to Batch Run Workflow: the ID of the batch (``batch_...``)."""

    batch_id: str
