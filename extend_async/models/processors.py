"""Processors (extract, classify, split), their versions and configs, and the requests
that create, update and publish them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias

import attrs

from .common import NOT_GIVEN, ApiEnum, JsonObject, Omittable, RawJson, union_of
from .parser_runs import PageRange, ParseConfig

__all__ = [
    "ArrayCitationStrategy",
    "ArrayStrategy",
    "ArrayStrategyType",
    "ChunkSelectionStrategy",
    "Classification",
    "ClassificationAdvancedOptions",
    "ClassificationBaseProcessor",
    "ClassificationConfig",
    "ClassificationContext",
    "CreateProcessorRequest",
    "EnumOption",
    "ExcelSheetRange",
    "ExcelSheetSelectionStrategy",
    "ExtractChunkingOptions",
    "ExtractChunkingStrategy",
    "ExtractionAdvancedOptions",
    "ExtractionBaseProcessor",
    "ExtractionConfig",
    "ExtractionField",
    "ExtractionFieldType",
    "PageRange",
    "Processor",
    "ProcessorConfig",
    "ProcessorSummary",
    "ProcessorType",
    "ProcessorVersion",
    "ProcessorVersionSummary",
    "PublishProcessorVersionRequest",
    "ReleaseType",
    "ReviewAgentOptions",
    "SplitMethod",
    "SplitterAdvancedOptions",
    "SplitterBaseProcessor",
    "SplitterConfig",
    "UnknownProcessorConfig",
    "UpdateProcessorRequest",
]


class ProcessorType(ApiEnum):
    """The kind of a processor."""

    EXTRACT = "EXTRACT"
    CLASSIFY = "CLASSIFY"
    SPLITTER = "SPLITTER"


class ExtractionBaseProcessor(ApiEnum):
    """The base model family of an extraction processor."""

    EXTRACTION_PERFORMANCE = "extraction_performance"
    EXTRACTION_LIGHT = "extraction_light"


class ClassificationBaseProcessor(ApiEnum):
    """The base model family of a classification processor."""

    CLASSIFICATION_PERFORMANCE = "classification_performance"
    CLASSIFICATION_LIGHT = "classification_light"


class SplitterBaseProcessor(ApiEnum):
    """The base model family of a splitter processor."""

    SPLITTING_PERFORMANCE = "splitting_performance"
    SPLITTING_LIGHT = "splitting_light"


class ExtractionFieldType(ApiEnum):
    """The type of an extraction field (in a field-list config and in its results)."""

    STRING = "string"
    NUMBER = "number"
    CURRENCY = "currency"
    BOOLEAN = "boolean"
    DATE = "date"
    ARRAY = "array"
    ENUM = "enum"
    OBJECT = "object"
    SIGNATURE = "signature"


class ArrayCitationStrategy(ApiEnum):
    """Citation granularity for arrays: per item or per property."""

    ITEM = "item"
    PROPERTY = "property"


class ExcelSheetSelectionStrategy(ApiEnum):
    """How sheets are picked from an Excel input."""

    INTELLIGENT = "intelligent"
    ALL = "all"
    FIRST = "first"
    LAST = "last"


class ArrayStrategyType(ApiEnum):
    """The strategy for very large arrays."""

    LARGE_ARRAY_HEURISTICS = "large_array_heuristics"
    LARGE_ARRAY_MAX_CONTEXT = "large_array_max_context"
    LARGE_ARRAY_OVERLAP_CONTEXT = "large_array_overlap_context"


class ExtractChunkingStrategy(ApiEnum):
    """How the chunks of an extraction are formed."""

    STANDARD = "standard"
    SEMANTIC = "semantic"


class ChunkSelectionStrategy(ApiEnum):
    """How the results of an extraction's chunks are chosen or merged."""

    INTELLIGENT = "intelligent"
    CONFIDENCE = "confidence"
    TAKE_FIRST = "take_first"
    TAKE_LAST = "take_last"


class ClassificationContext(ApiEnum):
    """How much of the document a classifier considers."""

    DEFAULT = "default"
    MAX = "max"


class SplitMethod(ApiEnum):
    """A splitter's trade-off between accuracy and latency."""

    HIGH_PRECISION = "high_precision"
    LOW_LATENCY = "low_latency"


class ReleaseType(ApiEnum):
    """Which part of the version number a publication increments."""

    MAJOR = "major"
    MINOR = "minor"


@attrs.frozen
class EnumOption:
    """One allowed option of an enum field."""

    value: str
    description: str


@attrs.frozen
class ExtractionField:
    """A field of a legacy field-list extraction config; arrays and objects nest fields."""

    id: str
    name: str
    type: ExtractionFieldType
    description: str
    schema: list[ExtractionField] | None = None
    enum: list[EnumOption] | None = None


@attrs.frozen
class Classification:
    """A class a classifier (or a kind of sub-document a splitter) may choose."""

    id: str
    type: str
    description: str


@attrs.frozen
class ReviewAgentOptions:
    """Settings of the review agent that scores each extracted field from 1 to 5."""

    enabled: bool | None = None


@attrs.frozen
class ArrayStrategy:
    """How very large arrays are extracted."""

    type: ArrayStrategyType


@attrs.frozen
class ExtractChunkingOptions:
    """How a document is chunked for extraction."""

    chunking_strategy: ExtractChunkingStrategy | None = None
    page_chunk_size: int | None = None
    chunk_selection_strategy: ChunkSelectionStrategy | None = None
    custom_semantic_chunking_rules: str | None = None


@attrs.frozen
class ExcelSheetRange:
    """A range of sheet indexes (0-based, both ends inclusive)."""

    start: int
    end: int


@attrs.frozen
class ExtractionAdvancedOptions:
    """Tuning options of an extraction processor."""

    document_kind: str | None = None
    key_definitions: str | None = None
    model_reasoning_insights_enabled: bool | None = None
    advanced_multimodal_enabled: bool | None = None
    citations_enabled: bool | None = None
    array_citation_strategy: ArrayCitationStrategy | None = None
    advanced_figure_parsing_enabled: bool | None = None
    review_agent: ReviewAgentOptions | None = None
    array_strategy: ArrayStrategy | None = None
    chunking_options: ExtractChunkingOptions | None = None
    excel_sheet_ranges: list[ExcelSheetRange] | None = None
    excel_sheet_selection_strategy: ExcelSheetSelectionStrategy | None = None
    fixed_page_limit: int | None = None
    page_ranges: list[PageRange] | None = None


@attrs.frozen
class ClassificationAdvancedOptions:
    """Tuning options of a classification processor."""

    context: ClassificationContext | None = None
    advanced_multimodal_enabled: bool | None = None
    fixed_page_limit: int | None = None
    page_ranges: list[PageRange] | None = None


@attrs.frozen
class SplitterAdvancedOptions:
    """Tuning options of a splitter processor."""

    split_identifier_rules: str | None = None
    split_method: SplitMethod | None = None
    split_excel_documents_by_sheet_enabled: bool | None = None
    fixed_page_limit: int | None = None
    page_ranges: list[PageRange] | None = None


@attrs.frozen(kw_only=True)
class ExtractionConfig:
    """The config of an extraction processor: a JSON Schema (or a legacy field list) of
    the data to extract, with rules and options. ``type`` is always ``EXTRACT``."""

    type: ProcessorType = ProcessorType.EXTRACT
    base_processor: ExtractionBaseProcessor | None = None
    base_version: str | None = None
    extraction_rules: str | None = None
    schema: JsonObject | None = None
    fields: list[ExtractionField] | None = None
    advanced_options: ExtractionAdvancedOptions | None = None
    parser: ParseConfig | None = None


@attrs.frozen(kw_only=True)
class ClassificationConfig:
    """The config of a classification processor: the candidate classes, with rules and
    options. ``type`` is always ``CLASSIFY``."""

    type: ProcessorType = ProcessorType.CLASSIFY
    classifications: list[Classification]
    base_processor: ClassificationBaseProcessor | None = None
    base_version: str | None = None
    classification_rules: str | None = None
    advanced_options: ClassificationAdvancedOptions | None = None
    parser: ParseConfig | None = None


@attrs.frozen(kw_only=True)
class SplitterConfig:
    """The config of a splitter processor: the kinds of sub-document it may emit, with
    rules and options. ``type`` is always ``SPLITTER``."""

    type: ProcessorType = ProcessorType.SPLITTER
    split_classifications: list[Classification]
    base_processor: SplitterBaseProcessor | None = None
    base_version: str | None = None
    split_rules: str | None = None
    advanced_options: SplitterAdvancedOptions | None = None
    parser: ParseConfig | None = None


@attrs.frozen
class UnknownProcessorConfig(RawJson):
    """A processor config of a type this release does not know (or of a known type but a
    shape it cannot read), kept exactly as sent and written back unchanged."""

    @property
    def type(self) -> ProcessorType | None:
        """The config's ``type`` (an unknown one is a member with ``is_known`` False)."""
        tag = self.raw.get("type")
        return ProcessorType(tag) if isinstance(tag, str) else None


#: A processor config, told apart by ``type`` (see :func:`_choose_config`).
ProcessorConfig: TypeAlias = (
    ExtractionConfig | ClassificationConfig | SplitterConfig | UnknownProcessorConfig
)

_CONFIG_BY_TYPE: dict[str, type[Any]] = {
    "EXTRACT": ExtractionConfig,
    "CLASSIFY": ClassificationConfig,
    "SPLITTER": SplitterConfig,
}


def _choose_config(value: Any) -> type[Any]:
    """The config class by ``type``; without one, by the keys only one variant has."""
    if not isinstance(value, dict):
        return UnknownProcessorConfig
    tag = value.get("type")
    if isinstance(tag, str):
        return _CONFIG_BY_TYPE.get(tag, UnknownProcessorConfig)
    if "classifications" in value:
        return ClassificationConfig
    if "splitClassifications" in value:
        return SplitterConfig
    if "schema" in value or "fields" in value or "extractionRules" in value:
        return ExtractionConfig
    return UnknownProcessorConfig


union_of(ProcessorConfig, _choose_config, fallback=UnknownProcessorConfig)


@attrs.frozen
class ProcessorVersion:
    """One version of a processor (``draft`` or a published number) with its frozen config."""

    id: str
    processor_id: str
    processor_type: ProcessorType
    version: str
    config: ProcessorConfig
    created_at: datetime
    updated_at: datetime
    processor_name: str | None = None
    description: str | None = None
    object: str = "document_processor_version"


@attrs.frozen
class Processor:
    """A processor, with its current draft version."""

    id: str
    name: str
    type: ProcessorType
    created_at: datetime
    updated_at: datetime
    draft_version: ProcessorVersion
    object: str = "document_processor"


@attrs.frozen
class ProcessorVersionSummary:
    """A short record of one version of a processor (an item of a listed processor)."""

    id: str
    version: str


@attrs.frozen
class ProcessorSummary:
    """A processor as List Processors gives it: its versions as short records."""

    id: str
    name: str
    type: ProcessorType
    versions: list[ProcessorVersionSummary]
    created_at: datetime
    updated_at: datetime
    object: str = "document_processor"


@attrs.frozen(kw_only=True)
class CreateProcessorRequest:
    """The body of Create Processor: a name, a type, and a config or a processor to clone."""

    name: str
    type: ProcessorType
    clone_processor_id: Omittable[str] = NOT_GIVEN
    config: Omittable[ProcessorConfig] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class UpdateProcessorRequest:
    """The body of Update Processor: a new name and/or a new draft config."""

    name: Omittable[str] = NOT_GIVEN
    config: Omittable[ProcessorConfig] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class PublishProcessorVersionRequest:
    """The body of Publish Processor Version: the release type, a note, and optionally the
    config to publish (the draft's otherwise)."""

    release_type: ReleaseType
    description: Omittable[str] = NOT_GIVEN
    config: Omittable[ProcessorConfig] = NOT_GIVEN
