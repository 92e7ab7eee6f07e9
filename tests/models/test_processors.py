"""Processors, versions and configs (the config union), and their requests."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from cattrs import ClassValidationError
from models._support import STRICT, assert_same_wire, example, round_trip

from extend_async import to_dict
from extend_async._converter import converter
from extend_async.models import (
    ArrayStrategy,
    ArrayStrategyType,
    ChunkSelectionStrategy,
    Classification,
    ClassificationAdvancedOptions,
    ClassificationBaseProcessor,
    ClassificationConfig,
    ClassificationContext,
    CreateProcessorRequest,
    EnumOption,
    ExcelSheetRange,
    ExtractChunkingOptions,
    ExtractChunkingStrategy,
    ExtractionAdvancedOptions,
    ExtractionBaseProcessor,
    ExtractionConfig,
    ExtractionField,
    ExtractionFieldType,
    PageRange,
    ParseChunkingOptions,
    ParseChunkingStrategy,
    ParseChunkingStrategyType,
    ParseConfig,
    ParseTarget,
    Processor,
    ProcessorConfig,
    ProcessorSummary,
    ProcessorType,
    ProcessorVersion,
    ProcessorVersionSummary,
    PublishProcessorVersionRequest,
    ReleaseType,
    ReviewAgentOptions,
    SplitMethod,
    SplitterAdvancedOptions,
    SplitterConfig,
    UnknownProcessorConfig,
    UpdateProcessorRequest,
)
from extend_async.models.common import NOT_GIVEN

UTC = timezone.utc

CLASSIFY_CONFIG: dict[str, Any] = {
    "type": "CLASSIFY",
    "baseProcessor": "classification_performance",
    "baseVersion": "3.2.0",
    "classifications": [
        {"id": "invoice", "type": "INVOICE", "description": "A bill for goods or services."},
        {"id": "receipt", "type": "RECEIPT", "description": "Proof of a payment made."},
    ],
    "classificationRules": "A document stamped PAID is a receipt.",
    "advancedOptions": {
        "context": "max",
        "advancedMultimodalEnabled": True,
        "fixedPageLimit": 5,
        "pageRanges": [{"start": 1, "end": 3}],
    },
    "parser": {"target": "markdown"},
}

SPLITTER_CONFIG: dict[str, Any] = {
    "type": "SPLITTER",
    "baseProcessor": "splitting_light",
    "splitClassifications": [
        {"id": "invoice", "type": "INVOICE", "description": "One invoice."},
        {"id": "other", "type": "OTHER", "description": "Anything else."},
    ],
    "splitRules": "Every invoice starts on a page with a logo.",
    "advancedOptions": {
        "splitIdentifierRules": "Use the invoice number.",
        "splitMethod": "high_precision",
        "splitExcelDocumentsBySheetEnabled": False,
        "fixedPageLimit": 100,
        "pageRanges": [{"start": 1}],
    },
}

FIELDS_CONFIG: dict[str, Any] = {
    "type": "EXTRACT",
    "baseProcessor": "extraction_light",
    "fields": [
        {
            "id": "line_items",
            "name": "Line items",
            "type": "array",
            "description": "Every line of the invoice.",
            "schema": [
                {"id": "sku", "name": "SKU", "type": "string", "description": "Item code."},
                {
                    "id": "unit",
                    "name": "Unit",
                    "type": "enum",
                    "description": "Billing unit.",
                    "enum": [
                        {"value": "HOUR", "description": "Billed by the hour."},
                        {"value": "PIECE", "description": "Billed per piece."},
                    ],
                },
            ],
        },
        {"id": "total", "name": "Total", "type": "currency", "description": "Amount due."},
    ],
    "advancedOptions": {
        "documentKind": "invoice",
        "keyDefinitions": "SKU: stock keeping unit",
        "modelReasoningInsightsEnabled": True,
        "advancedMultimodalEnabled": False,
        "citationsEnabled": True,
        "arrayCitationStrategy": "item",
        "advancedFigureParsingEnabled": True,
        "reviewAgent": {"enabled": True},
        "arrayStrategy": {"type": "large_array_overlap_context"},
        "chunkingOptions": {
            "chunkingStrategy": "semantic",
            "pageChunkSize": 4,
            "chunkSelectionStrategy": "take_first",
            "customSemanticChunkingRules": "Keep tables together.",
        },
        "excelSheetRanges": [{"start": 0, "end": 2}],
        "excelSheetSelectionStrategy": "all",
        "fixedPageLimit": 20,
        "pageRanges": [{"start": 1, "end": 20}],
    },
}

DOCUMENTED_EXTRACT = example("get_processor_version")["version"]["config"]


def config(wire: dict[str, Any]) -> Any:
    return converter.structure(wire, ProcessorConfig)


# --- the endpoints' bodies -------------------------------------------------------------


def test_list_processors_items_round_trip() -> None:
    body = example("list_processors")

    processors = round_trip(body["processors"], list[ProcessorSummary])

    assert processors[0] == ProcessorSummary(
        id="dp_Xj8mK2pL9nR4vT7qY5wZ",
        name="Invoice Processor",
        type=ProcessorType.EXTRACT,
        versions=[
            ProcessorVersionSummary(id="dpv_xK9mLPqRtN3vS8wF5hB2cQ", version="draft"),
            ProcessorVersionSummary(id="dpv_QYk6jgHA_8CsO8rVWhyNC", version="3"),
        ],
        created_at=datetime(2024, 3, 21, 15, 30, tzinfo=UTC),
        updated_at=datetime(2024, 3, 21, 16, 45, tzinfo=UTC),
    )
    assert processors[1].type is ProcessorType.CLASSIFY
    assert processors[1].object == "document_processor"
    assert body["nextPageToken"] == "nextPageToken"


@pytest.mark.parametrize("operation", ["create_processor", "update_processor"])
def test_a_created_or_updated_processor_round_trips(operation: str) -> None:
    processor = round_trip(example(operation)["processor"], Processor)

    assert processor.object == "document_processor"
    assert processor.type is ProcessorType.EXTRACT
    draft = processor.draft_version
    assert draft.version == "draft"
    assert draft.object == "document_processor_version"
    assert isinstance(draft.config, ExtractionConfig)


def test_the_documented_extraction_config_parses_to_every_field() -> None:
    parsed = config(copy.deepcopy(DOCUMENTED_EXTRACT))

    assert parsed == ExtractionConfig(
        base_processor=ExtractionBaseProcessor.EXTRACTION_PERFORMANCE,
        base_version="4.4.0",
        extraction_rules="Dates are US format (MM/DD/YYYY) on these invoices; output ISO dates.",
        schema=DOCUMENTED_EXTRACT["schema"],
        advanced_options=ExtractionAdvancedOptions(
            citations_enabled=True,
            review_agent=ReviewAgentOptions(enabled=False),
            page_ranges=[PageRange(start=1, end=10), PageRange(start=20, end=30)],
        ),
        parser=ParseConfig(
            chunking_strategy=ParseChunkingStrategy(
                type=ParseChunkingStrategyType.PAGE,
                options=ParseChunkingOptions(min_characters=100, max_characters=1000),
            )
        ),
    )
    assert parsed.type is ProcessorType.EXTRACT


def test_a_published_version_round_trips() -> None:
    version = round_trip(example("publish_processor_version")["processorVersion"], ProcessorVersion)

    assert version == ProcessorVersion(
        id="dpv_QYk6jgHA_8CsO8rVWhyNC",
        processor_id="dp_Xj8mK2pL9nR4vT7qY5wZ",
        processor_type=ProcessorType.EXTRACT,
        version="1.0",
        config=config(copy.deepcopy(DOCUMENTED_EXTRACT)),
        created_at=datetime(2024, 3, 22, 10, 5, tzinfo=UTC),
        updated_at=datetime(2024, 3, 22, 10, 5, tzinfo=UTC),
        processor_name="Invoice Processor",
        description="Updated extraction fields for new invoice format",
    )


def test_get_processor_version_is_under_the_key_version() -> None:
    body = example("get_processor_version")

    version = round_trip(body["version"], ProcessorVersion)

    assert "processorVersion" not in body
    assert version.id == "dpv_QYk6jgHA_8CsO8rVWhyNC"


def test_listed_versions_round_trip() -> None:
    versions = round_trip(example("list_processor_versions")["versions"], list[ProcessorVersion])

    assert [v.version for v in versions] == ["draft", "1.0"]


# --- requests -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "model"),
    [
        ("create_processor", CreateProcessorRequest),
        ("update_processor", UpdateProcessorRequest),
        ("publish_processor_version", PublishProcessorVersionRequest),
    ],
)
def test_each_documented_request_body_structures_with_both_converters(
    operation: str, model: type[Any]
) -> None:
    body = example(f"{operation}.request")

    loose = converter.structure(copy.deepcopy(body), model)
    strict = STRICT.structure(copy.deepcopy(body), model)

    assert loose == strict
    assert_same_wire(to_dict(loose), body)
    assert_same_wire(to_dict(strict), body)


def test_the_create_request_as_built_in_python() -> None:
    request = converter.structure(example("create_processor.request"), CreateProcessorRequest)

    assert request.name == "Invoice Processor"
    assert request.type is ProcessorType.EXTRACT
    assert request.clone_processor_id is NOT_GIVEN
    assert isinstance(request.config, ExtractionConfig)
    clone = CreateProcessorRequest(
        name="Copy", type=ProcessorType.CLASSIFY, clone_processor_id="dp_Bm8nQ2rL5pK9wF3dR7hY6"
    )
    assert to_dict(clone) == {
        "name": "Copy",
        "type": "CLASSIFY",
        "cloneProcessorId": "dp_Bm8nQ2rL5pK9wF3dR7hY6",
    }


def test_the_publish_request_reads_its_release_type() -> None:
    request = STRICT.structure(
        example("publish_processor_version.request"), PublishProcessorVersionRequest
    )

    assert request.release_type is ReleaseType.MAJOR
    assert request.config is NOT_GIVEN
    assert to_dict(PublishProcessorVersionRequest(release_type=ReleaseType.MINOR)) == {
        "releaseType": "minor"
    }


def test_an_update_sends_none_as_null_and_leaves_out_what_was_not_given() -> None:
    assert to_dict(UpdateProcessorRequest()) == {}
    assert to_dict(UpdateProcessorRequest(name="New name")) == {"name": "New name"}
    assert to_dict(UpdateProcessorRequest(config=None)) == {"config": None}
    for conv in (converter, STRICT):
        assert conv.structure({"config": None}, UpdateProcessorRequest) == UpdateProcessorRequest(
            config=None
        )


def test_a_request_config_given_as_a_model_is_written_with_its_type() -> None:
    request = UpdateProcessorRequest(
        config=ClassificationConfig(
            classifications=[Classification(id="invoice", type="INVOICE", description="A bill.")]
        )
    )

    assert to_dict(request) == {
        "config": {
            "type": "CLASSIFY",
            "classifications": [{"id": "invoice", "type": "INVOICE", "description": "A bill."}],
        }
    }


def test_the_strict_converter_refuses_an_unknown_request_key() -> None:
    body = {"name": "Invoice Processor", "type": "EXTRACT", "cloneFrom": "dp_1"}

    assert converter.structure(body, CreateProcessorRequest).name == "Invoice Processor"
    with pytest.raises(ClassValidationError):
        STRICT.structure(body, CreateProcessorRequest)


def test_a_missing_required_request_field_is_refused() -> None:
    with pytest.raises(ClassValidationError):
        converter.structure({"description": "no release type"}, PublishProcessorVersionRequest)


# --- the config union ------------------------------------------------------------------


def test_a_classification_config_parses_and_round_trips() -> None:
    parsed = round_trip(CLASSIFY_CONFIG, ProcessorConfig)

    assert parsed == ClassificationConfig(
        classifications=[
            Classification(
                id="invoice", type="INVOICE", description="A bill for goods or services."
            ),
            Classification(id="receipt", type="RECEIPT", description="Proof of a payment made."),
        ],
        base_processor=ClassificationBaseProcessor.CLASSIFICATION_PERFORMANCE,
        base_version="3.2.0",
        classification_rules="A document stamped PAID is a receipt.",
        advanced_options=ClassificationAdvancedOptions(
            context=ClassificationContext.MAX,
            advanced_multimodal_enabled=True,
            fixed_page_limit=5,
            page_ranges=[PageRange(start=1, end=3)],
        ),
        parser=ParseConfig(target=ParseTarget.MARKDOWN),
    )
    assert parsed.type is ProcessorType.CLASSIFY


def test_a_splitter_config_parses_and_round_trips() -> None:
    parsed = round_trip(SPLITTER_CONFIG, ProcessorConfig)

    assert isinstance(parsed, SplitterConfig)
    assert parsed.type is ProcessorType.SPLITTER
    assert [c.id for c in parsed.split_classifications] == ["invoice", "other"]
    assert parsed.split_rules == "Every invoice starts on a page with a logo."
    assert parsed.advanced_options == SplitterAdvancedOptions(
        split_identifier_rules="Use the invoice number.",
        split_method=SplitMethod.HIGH_PRECISION,
        split_excel_documents_by_sheet_enabled=False,
        fixed_page_limit=100,
        page_ranges=[PageRange(start=1)],
    )


def test_a_legacy_field_list_config_nests_fields() -> None:
    parsed = round_trip(FIELDS_CONFIG, ProcessorConfig)

    assert isinstance(parsed, ExtractionConfig)
    assert parsed.schema is None
    assert parsed.fields is not None
    items, total = parsed.fields
    assert items.type is ExtractionFieldType.ARRAY
    assert items.schema == [
        ExtractionField(
            id="sku", name="SKU", type=ExtractionFieldType.STRING, description="Item code."
        ),
        ExtractionField(
            id="unit",
            name="Unit",
            type=ExtractionFieldType.ENUM,
            description="Billing unit.",
            enum=[
                EnumOption(value="HOUR", description="Billed by the hour."),
                EnumOption(value="PIECE", description="Billed per piece."),
            ],
        ),
    ]
    assert total.type is ExtractionFieldType.CURRENCY
    options = parsed.advanced_options
    assert options is not None
    assert options.array_strategy == ArrayStrategy(
        type=ArrayStrategyType.LARGE_ARRAY_OVERLAP_CONTEXT
    )
    assert options.chunking_options == ExtractChunkingOptions(
        chunking_strategy=ExtractChunkingStrategy.SEMANTIC,
        page_chunk_size=4,
        chunk_selection_strategy=ChunkSelectionStrategy.TAKE_FIRST,
        custom_semantic_chunking_rules="Keep tables together.",
    )
    assert options.excel_sheet_ranges == [ExcelSheetRange(start=0, end=2)]


@pytest.mark.parametrize("wire", [CLASSIFY_CONFIG, SPLITTER_CONFIG, FIELDS_CONFIG])
def test_the_strict_converter_takes_each_documented_config(wire: dict[str, Any]) -> None:
    strict = STRICT.structure(copy.deepcopy(wire), ProcessorConfig)

    assert not isinstance(strict, UnknownProcessorConfig)
    assert strict == config(copy.deepcopy(wire))


def test_a_config_can_be_built_without_its_type() -> None:
    built: list[ExtractionConfig | ClassificationConfig | SplitterConfig] = [
        ExtractionConfig(schema={"type": "object"}),
        ClassificationConfig(classifications=[]),
        SplitterConfig(split_classifications=[]),
    ]

    assert [c.type for c in built] == [
        ProcessorType.EXTRACT,
        ProcessorType.CLASSIFY,
        ProcessorType.SPLITTER,
    ]
    assert to_dict(built[0]) == {"type": "EXTRACT", "schema": {"type": "object"}}
    assert to_dict(built[2]) == {"type": "SPLITTER", "splitClassifications": []}


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ({"classifications": CLASSIFY_CONFIG["classifications"]}, ClassificationConfig),
        ({"splitClassifications": SPLITTER_CONFIG["splitClassifications"]}, SplitterConfig),
        ({"schema": {"type": "object", "properties": {}}}, ExtractionConfig),
        ({"fields": FIELDS_CONFIG["fields"]}, ExtractionConfig),
        ({"extractionRules": "Only the first page."}, ExtractionConfig),
    ],
)
def test_a_config_without_type_is_told_by_its_keys(
    wire: dict[str, Any], expected: type[Any]
) -> None:
    parsed = config(copy.deepcopy(wire))

    assert type(parsed) is expected
    back = to_dict(parsed)
    assert back["type"] == parsed.type  # a typed slot wants the tag: it is written
    assert_same_wire(
        {k: v for k, v in back.items() if k != "type"},
        {k: v for k, v in wire.items() if k != "type"},
    )


def test_an_unknown_config_type_is_kept_raw_and_written_back_unchanged() -> None:
    wire = {
        "type": "REDACT",
        "redactionTargets": [{"kind": "ssn", "mask": "***"}],
        "parser": {"target": "markdown"},
    }

    parsed = config(copy.deepcopy(wire))

    assert parsed == UnknownProcessorConfig(raw=wire)
    assert parsed.type == "REDACT"
    assert parsed.type.is_known is False
    assert to_dict(parsed) == wire
    assert STRICT.structure(copy.deepcopy(wire), ProcessorConfig) == parsed


def test_a_config_without_type_or_telling_keys_is_kept_raw() -> None:
    parsed = config({"parser": {"target": "spatial"}})

    assert parsed == UnknownProcessorConfig(raw={"parser": {"target": "spatial"}})
    assert parsed.type is None
    # A null tag is no tag to go by, and no value of the constant: the config is kept.
    nulled = config({"type": None, "classifications": []})
    assert nulled == UnknownProcessorConfig(raw={"type": None, "classifications": []})
    assert nulled.type is None


@pytest.mark.parametrize(
    "wire",
    [
        {"type": "CLASSIFY"},  # classifications is required
        {"type": "SPLITTER", "splitClassifications": "invoice"},
        {"type": "EXTRACT", "schema": "not an object"},
        {"type": "EXTRACT", "fields": [{"id": "x"}]},
    ],
)
def test_a_malformed_config_of_a_known_type_is_kept_raw(wire: dict[str, Any]) -> None:
    parsed = config(copy.deepcopy(wire))

    assert parsed == UnknownProcessorConfig(raw=wire)
    assert parsed.type is not None
    assert parsed.type.is_known
    assert to_dict(parsed) == wire


def test_a_processor_version_with_an_unknown_config_type_round_trips() -> None:
    wire = example("get_processor_version")["version"]
    wire["processorType"] = "REDACT"
    wire["config"] = {"type": "REDACT", "targets": ["ssn"]}

    version = round_trip(wire, ProcessorVersion)

    assert version.processor_type == "REDACT"
    assert version.processor_type.is_known is False
    assert isinstance(version.config, UnknownProcessorConfig)


def test_unknown_enum_values_in_a_config_are_kept() -> None:
    wire = copy.deepcopy(FIELDS_CONFIG)
    wire["baseProcessor"] = "extraction_turbo"
    wire["fields"][1]["type"] = "percentage"
    wire["advancedOptions"]["arrayCitationStrategy"] = "cell"

    parsed = round_trip(wire, ProcessorConfig)

    assert isinstance(parsed, ExtractionConfig)
    assert parsed.base_processor == "extraction_turbo"
    assert parsed.base_processor is not None
    assert parsed.base_processor.is_known is False
    assert parsed.fields is not None
    assert parsed.fields[1].type.is_known is False
    assert parsed.advanced_options is not None
    assert parsed.advanced_options.array_citation_strategy == "cell"


def test_unknown_keys_in_a_config_are_ignored() -> None:
    wire = copy.deepcopy(CLASSIFY_CONFIG)
    wire["confidenceThreshold"] = 0.8
    wire["classifications"][0]["color"] = "blue"

    assert config(wire) == config(copy.deepcopy(CLASSIFY_CONFIG))


def test_an_unknown_processor_type_is_kept() -> None:
    wire = example("list_processors")["processors"][0]
    wire["type"] = "REDACT"

    processor = converter.structure(wire, ProcessorSummary)

    assert processor.type == "REDACT"
    assert processor.type.is_known is False
    assert ProcessorType.SPLITTER.is_known is True
