"""Processor runs: one processor on one document, its outputs (computed or provided by
the caller), review edits, credits, and the request that starts a run."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, TypeAlias

import attrs

from .common import NOT_GIVEN, ApiEnum, JsonObject, Omittable, RawJson, union_of
from .files import File, FileInput
from .processors import (
    EnumOption,
    ExtractionField,
    ExtractionFieldType,
    ProcessorConfig,
)

__all__ = [
    "BoundingBox",
    "Citation",
    "ClassifierOutput",
    "EmptyOutput",
    "ExtractionFieldResult",
    "ExtractionOutputEdit",
    "FieldReference",
    "FieldsArrayOutput",
    "Insight",
    "InsightType",
    "JsonOutput",
    "JsonOutputMetadata",
    "MergedProcessor",
    "PolygonPoint",
    "ProcessorOutput",
    "ProcessorRun",
    "ProcessorRunCredits",
    "ProcessorRunDeleted",
    "ProcessorRunSource",
    "ProcessorRunStatus",
    "ProcessorRunSummary",
    "ProcessorRunType",
    "ProvidedClassifierOutput",
    "ProvidedExtractionFieldResult",
    "ProvidedFieldsArrayOutput",
    "ProvidedJsonOutput",
    "ProvidedProcessorOutput",
    "ProvidedSplit",
    "ProvidedSplitterOutput",
    "RunProcessorRequest",
    "Split",
    "SplitterOutput",
    "UnknownOutput",
    "UnknownProvidedOutput",
]


class ProcessorRunStatus(ApiEnum):
    """Lifecycle of a processor run. PROCESSED, FAILED and CANCELLED are final."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    PROCESSED = "PROCESSED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    #: The final states (set below the class: an enum's body only holds members).
    TERMINAL: ClassVar[frozenset[ProcessorRunStatus]]

    @classmethod
    def is_terminal(cls, status: ProcessorRunStatus | str) -> bool:
        """True only for the known final states; an unknown new status is not final."""
        return status in cls.TERMINAL


ProcessorRunStatus.TERMINAL = frozenset(
    {ProcessorRunStatus.PROCESSED, ProcessorRunStatus.FAILED, ProcessorRunStatus.CANCELLED}
)


class ProcessorRunType(ApiEnum):
    """The kind of processor a run ran."""

    CLASSIFY = "CLASSIFY"
    EXTRACT = "EXTRACT"
    SPLITTER = "SPLITTER"


class ProcessorRunSource(ApiEnum):
    """What created a processor run (the ``source`` filter of List Processor Runs)."""

    ADMIN = "ADMIN"
    BATCH_PROCESSOR_RUN = "BATCH_PROCESSOR_RUN"
    PLAYGROUND = "PLAYGROUND"
    WORKFLOW_CONFIGURATION = "WORKFLOW_CONFIGURATION"
    WORKFLOW_RUN = "WORKFLOW_RUN"
    STUDIO = "STUDIO"
    API = "API"


class InsightType(ApiEnum):
    """The kind of an insight."""

    REASONING = "reasoning"
    ISSUE = "issue"
    REVIEW_SUMMARY = "review_summary"


@attrs.frozen
class Insight:
    """A piece of model reasoning, an issue, or a review summary."""

    type: InsightType
    content: str


@attrs.frozen
class PolygonPoint:
    """A corner of the outline of cited text, in page points."""

    x: float
    y: float


@attrs.frozen
class Citation:
    """Where in the document an extracted value came from."""

    page: float | None = None
    reference_text: str | None = None
    polygon: list[PolygonPoint] | None = None
    page_width: float | None = None
    page_height: float | None = None


@attrs.frozen
class JsonOutputMetadata:
    """Confidences, citations and insights of one field of a JSON output."""

    ocr_confidence: float | None = None
    logprobs_confidence: float | None = None
    review_agent_score: int | None = None
    citations: list[Citation] | None = None
    insights: list[Insight] | None = None


@attrs.frozen
class JsonOutput:
    """The output of a JSON-schema extraction: the data, and metadata by field path."""

    value: JsonObject
    metadata: dict[str, JsonOutputMetadata]


@attrs.frozen
class BoundingBox:
    """A box around a value on a page."""

    top: float
    left: float
    bottom: float
    right: float


@attrs.frozen
class FieldReference:
    """Where on which page a legacy field's value was found."""

    id: str
    field_name: str
    page: float
    bounding_boxes: list[BoundingBox]


@attrs.frozen
class ExtractionFieldResult:
    """The result of one field of a legacy field-list extraction."""

    id: str
    type: ExtractionFieldType
    value: Any
    references: list[FieldReference]
    confidence: float | None = None
    schema: list[ExtractionField] | None = None
    insights: list[Insight] | None = None
    enum: list[EnumOption] | None = None


def _structured(raw: JsonObject, tp: Any) -> Any:
    # Imported here: the converter imports the models package.
    from .._converter import converter

    return converter.structure(raw, tp)


@attrs.frozen
class FieldsArrayOutput(RawJson):
    """The output of a legacy field-list extraction: on the wire a bare map from field ID
    to result. ``fields`` is that map read; ``raw`` is the map as sent (and written back)."""

    fields: dict[str, ExtractionFieldResult] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # A map that cannot be read raises here, and the output is kept as UnknownOutput.
        object.__setattr__(self, "fields", _structured(self.raw, dict[str, ExtractionFieldResult]))

    @classmethod
    def of(cls, fields: dict[str, ExtractionFieldResult]) -> FieldsArrayOutput:
        """The output made of these field results."""
        from .._converter import converter

        return cls(raw={key: converter.unstructure(result) for key, result in fields.items()})


@attrs.frozen
class ClassifierOutput:
    """The output of a classifier: the chosen class and why."""

    id: str
    type: str
    confidence: float
    insights: list[Insight]


@attrs.frozen
class Split:
    """One sub-document a splitter found."""

    type: str
    observation: str
    identifier: str
    start_page: int
    end_page: int
    classification_id: str
    id: str
    file_id: str
    name: str | None = None


@attrs.frozen
class SplitterOutput:
    """The output of a splitter: the sub-documents found."""

    splits: list[Split]
    is_external: bool | None = None


@attrs.frozen
class EmptyOutput:
    """The empty output ``{}`` of a run that has not finished."""


@attrs.frozen
class UnknownOutput(RawJson):
    """An output of a shape this release does not know, or cannot read, kept as sent."""


#: The output of a processor run, told apart by shape (see :func:`_choose_output`).
ProcessorOutput: TypeAlias = (
    JsonOutput | FieldsArrayOutput | ClassifierOutput | SplitterOutput | EmptyOutput | UnknownOutput
)


def _all_items_have(value: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return bool(value) and all(
        isinstance(item, dict) and all(key in item for key in keys) for item in value.values()
    )


def _choose_output(value: Any) -> type[Any]:
    """An output's class by its shape (there is no tag): ``{}`` is empty; ``splits`` a
    splitter's; a map whose every item is a field result (``id``, ``type``, ``value``,
    ``references``) a legacy extraction; ``value`` (with ``metadata``) a JSON extraction;
    a string ``id`` with ``type`` a classifier's. Anything else is kept raw."""
    if not isinstance(value, dict):
        return UnknownOutput
    if not value:
        return EmptyOutput
    if isinstance(value.get("splits"), list):
        return SplitterOutput
    if _all_items_have(value, ("id", "type", "value", "references")):
        return FieldsArrayOutput
    if "value" in value:
        return JsonOutput
    if isinstance(value.get("id"), str) and "type" in value:
        return ClassifierOutput
    return UnknownOutput


union_of(ProcessorOutput, _choose_output, fallback=UnknownOutput)


@attrs.frozen
class ProvidedJsonOutput:
    """A caller's output of a JSON-schema extraction: the expected or corrected data."""

    value: JsonObject


@attrs.frozen
class ProvidedExtractionFieldResult:
    """A caller's value of one field of a legacy field-list extraction."""

    id: str
    value: Any
    type: ExtractionFieldType | None = None
    confidence: float | None = None
    page: float | None = None


@attrs.frozen
class ProvidedFieldsArrayOutput(RawJson):
    """A caller's output of a legacy field-list extraction: on the wire a bare map from
    field ID to value. ``fields`` is that map read; ``raw`` is the map as sent."""

    fields: dict[str, ProvidedExtractionFieldResult] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        fields = _structured(self.raw, dict[str, ProvidedExtractionFieldResult])
        object.__setattr__(self, "fields", fields)

    @classmethod
    def of(cls, fields: dict[str, ProvidedExtractionFieldResult]) -> ProvidedFieldsArrayOutput:
        """The output made of these field values."""
        from .._converter import converter

        return cls(raw={key: converter.unstructure(result) for key, result in fields.items()})


@attrs.frozen
class ProvidedClassifierOutput:
    """A caller's output of a classifier: the expected class."""

    id: str
    type: str
    confidence: float | None = None


@attrs.frozen
class ProvidedSplit:
    """One expected sub-document of a caller's splitter output."""

    id: str
    classification_id: str
    type: str
    start_page: int
    end_page: int
    observation: str | None = None
    identifier: str | None = None


@attrs.frozen
class ProvidedSplitterOutput:
    """A caller's output of a splitter: the expected sub-documents."""

    splits: list[ProvidedSplit]


@attrs.frozen
class UnknownProvidedOutput(RawJson):
    """A provided output of a shape this release does not know, kept as given."""


#: An output given by the caller (expected, corrected or pre-set), told apart by shape.
ProvidedProcessorOutput: TypeAlias = (
    ProvidedJsonOutput
    | ProvidedFieldsArrayOutput
    | ProvidedClassifierOutput
    | ProvidedSplitterOutput
    | UnknownProvidedOutput
)


def _choose_provided_output(value: Any) -> type[Any]:
    """A provided output's class by its shape: ``splits`` a splitter's; a map whose every
    item is a field value (``id`` and ``value``) a legacy extraction; ``value`` a JSON
    extraction; a string ``id`` with ``type`` a classifier's. Anything else is kept raw."""
    if not isinstance(value, dict):
        return UnknownProvidedOutput
    if isinstance(value.get("splits"), list):
        return ProvidedSplitterOutput
    if _all_items_have(value, ("id", "value")):
        return ProvidedFieldsArrayOutput
    if "value" in value:
        return ProvidedJsonOutput
    if isinstance(value.get("id"), str) and "type" in value:
        return ProvidedClassifierOutput
    return UnknownProvidedOutput


union_of(ProvidedProcessorOutput, _choose_provided_output, fallback=UnknownProvidedOutput)


@attrs.frozen
class ExtractionOutputEdit:
    """A reviewer's edit of one field: the values before and after, and notes."""

    original_value: Any = None
    edited_value: Any = None
    notes: str | None = None
    page: float | None = None
    field_type: str | None = None


@attrs.frozen
class MergedProcessor:
    """A processor whose output was merged into a run's output."""

    processor_id: str
    processor_version_id: str
    processor_name: str


@attrs.frozen
class ProcessorRunCredits:
    """Credits a processor run spent on processing (parsing excluded)."""

    credits: float


@attrs.frozen
class ProcessorRun:
    """One run of a processor on one document, with its config, output and files."""

    id: str
    processor_id: str
    processor_version_id: str
    processor_name: str
    status: ProcessorRunStatus
    output: ProcessorOutput
    reviewed: bool
    edited: bool
    edits: dict[str, ExtractionOutputEdit]
    type: ProcessorRunType
    config: ProcessorConfig
    files: list[File]
    merged_processors: list[MergedProcessor]
    url: str
    failure_reason: str | None = None
    failure_message: str | None = None
    metadata: JsonObject | None = None
    initial_output: ProcessorOutput | None = None
    reviewed_output: ProcessorOutput | None = None
    usage: ProcessorRunCredits | None = None
    object: str = "document_processor_run"

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state (PROCESSED, FAILED or CANCELLED)."""
        return ProcessorRunStatus.is_terminal(self.status)


@attrs.frozen
class ProcessorRunSummary:
    """A processor run as List Processor Runs gives it (no output, config or files)."""

    id: str
    status: ProcessorRunStatus
    processor_id: str
    processor_name: str
    processor_version_id: str
    created_at: datetime
    updated_at: datetime
    type: ProcessorRunType | None = None
    usage: ProcessorRunCredits | None = None

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state (PROCESSED, FAILED or CANCELLED)."""
        return ProcessorRunStatus.is_terminal(self.status)


@attrs.frozen(kw_only=True)
class RunProcessorRequest:
    """The body of Run Processor: the processor (and version), a file or raw text, and
    options; ``config`` overrides the version's config for this run."""

    processor_id: str
    version: Omittable[str] = NOT_GIVEN
    file: Omittable[FileInput] = NOT_GIVEN
    raw_text: Omittable[str] = NOT_GIVEN
    sync: Omittable[bool] = NOT_GIVEN
    priority: Omittable[int] = NOT_GIVEN
    metadata: Omittable[JsonObject] = NOT_GIVEN
    config: Omittable[ProcessorConfig] = NOT_GIVEN


@attrs.frozen
class ProcessorRunDeleted:
    """The answer to Delete Processor Run: the deleted run's ID and a message."""

    document_processor_run_id: str
    message: str
