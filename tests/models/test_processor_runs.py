"""Processor runs, summaries, every output shape (computed and provided), and the
run request."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from cattrs import ClassValidationError
from models._support import STRICT, assert_same_wire, example, round_trip, without_success

from extend_async import to_dict
from extend_async._converter import converter
from extend_async.models import (
    BatchProcessorRun,
    BoundingBox,
    Citation,
    ClassificationConfig,
    ClassifierOutput,
    EmptyOutput,
    EnumOption,
    ExtractionConfig,
    ExtractionField,
    ExtractionFieldResult,
    ExtractionFieldType,
    ExtractionOutputEdit,
    FieldReference,
    FieldsArrayOutput,
    File,
    FileInput,
    Insight,
    InsightType,
    JsonOutput,
    JsonOutputMetadata,
    MergedProcessor,
    PolygonPoint,
    ProcessorOutput,
    ProcessorRun,
    ProcessorRunCredits,
    ProcessorRunDeleted,
    ProcessorRunSource,
    ProcessorRunStatus,
    ProcessorRunSummary,
    ProcessorRunType,
    ProvidedClassifierOutput,
    ProvidedExtractionFieldResult,
    ProvidedFieldsArrayOutput,
    ProvidedJsonOutput,
    ProvidedProcessorOutput,
    ProvidedSplit,
    ProvidedSplitterOutput,
    RunProcessorRequest,
    Split,
    SplitterOutput,
    UnknownOutput,
    UnknownProvidedOutput,
)
from extend_async.models.common import NOT_GIVEN

UTC = timezone.utc

FIELDS_OUTPUT: dict[str, Any] = {
    "vendor_name": {
        "id": "vendor_name",
        "type": "string",
        "value": "Acme Corporation",
        "confidence": 0.97,
        "references": [
            {
                "id": "vendor_name",
                "fieldName": "Vendor name",
                "page": 1,
                "boundingBoxes": [{"top": 0.05, "left": 0.1, "bottom": 0.08, "right": 0.4}],
            }
        ],
        "insights": [{"type": "reasoning", "content": "Printed in the letterhead."}],
    },
    "billing_unit": {
        "id": "billing_unit",
        "type": "enum",
        "value": "HOUR",
        "references": [],
        "enum": [
            {"value": "HOUR", "description": "Billed by the hour."},
            {"value": "PIECE", "description": "Billed per piece."},
        ],
    },
    "line_items": {
        "id": "line_items",
        "type": "array",
        "value": [{"sku": "A-1"}, {"sku": "B-2"}],
        "references": [],
        "schema": [{"id": "sku", "name": "SKU", "type": "string", "description": "Item code."}],
    },
    "total": {
        "id": "total",
        "type": "currency",
        "value": {"amount": 1250, "iso_4217_currency_code": "USD"},
        "references": [],
    },
    "notes": {"id": "notes", "type": "string", "value": None, "references": []},
}

CLASSIFIER_OUTPUT: dict[str, Any] = {
    "id": "invoice",
    "type": "INVOICE",
    "confidence": 0.94,
    "insights": [{"type": "reasoning", "content": "It lists amounts due and a due date."}],
}

SPLITTER_OUTPUT: dict[str, Any] = {
    "splits": [
        {
            "type": "INVOICE",
            "observation": "A new invoice header starts on page 1.",
            "identifier": "INV-2024-001",
            "startPage": 1,
            "endPage": 2,
            "name": "Invoice INV-2024-001",
            "classificationId": "invoice",
            "id": "split_0",
            "fileId": "file_Zk9mNP12Qw4yTv8BdR3H",
        },
        {
            "type": "OTHER",
            "observation": "Terms and conditions.",
            "identifier": "terms",
            "startPage": 3,
            "endPage": 3,
            "classificationId": "other",
            "id": "split_1",
            "fileId": "file_3nL8mKpR5qW9vT2fG7hY1",
        },
    ],
    "isExternal": False,
}


def output(wire: Any) -> Any:
    return converter.structure(wire, ProcessorOutput)


def provided(wire: Any) -> Any:
    return converter.structure(wire, ProvidedProcessorOutput)


# --- the endpoints' bodies -------------------------------------------------------------


def test_a_started_run_round_trips_with_an_empty_output() -> None:
    run = round_trip(example("run_processor")["processorRun"], ProcessorRun)

    assert run.status is ProcessorRunStatus.PROCESSING
    assert run.is_terminal is False
    assert run.output == EmptyOutput()
    assert run.initial_output is None
    assert run.type is ProcessorRunType.EXTRACT
    assert isinstance(run.config, ExtractionConfig)
    assert run.metadata == {
        "customerId": "cust_123",
        "extend:usage_tags": ["production", "team-eng"],
    }
    assert run.edits == {}
    assert run.merged_processors == []
    assert run.usage is None
    assert run.object == "document_processor_run"


def test_a_finished_run_parses_its_json_output() -> None:
    run = round_trip(example("get_processor_run")["processorRun"], ProcessorRun)

    assert run.status is ProcessorRunStatus.PROCESSED
    assert run.is_terminal is True
    assert isinstance(run.output, JsonOutput)
    assert run.output == run.initial_output
    assert run.output.value["total_amount"] == {"amount": 1250.0, "iso_4217_currency_code": "USD"}
    assert run.output.metadata["invoice_number"] == JsonOutputMetadata(
        ocr_confidence=0.98,
        logprobs_confidence=0.99,
        citations=[
            Citation(
                page=1.0,
                reference_text="Invoice # INV-2024-001",
                polygon=[
                    PolygonPoint(x=410.5, y=72.0),
                    PolygonPoint(x=560.0, y=72.0),
                    PolygonPoint(x=560.0, y=88.0),
                    PolygonPoint(x=410.5, y=88.0),
                ],
                page_width=612.0,
                page_height=792.0,
            )
        ],
    )
    assert run.output.metadata["vendor_name"].insights == [
        Insight(
            type=InsightType.REASONING,
            content="The vendor name appears in the letterhead at the top of page 1.",
        )
    ]
    assert run.files[0].usage is not None
    assert run.files[0].usage.credits == 10.0
    assert run.usage == ProcessorRunCredits(credits=3.5)
    assert run.url == "https://dashboard.extend.ai/runs/dpr_Xj8mK2pL9nR4vT7qY5wZ"


def test_a_cancelled_run_round_trips_and_is_terminal() -> None:
    run = round_trip(example("cancel_processor_run")["processorRun"], ProcessorRun)

    assert run.status is ProcessorRunStatus.CANCELLED
    assert run.is_terminal is True
    assert run.output == EmptyOutput()


def test_listed_run_summaries_round_trip() -> None:
    body = example("list_processor_runs")

    runs = round_trip(body["processorRuns"], list[ProcessorRunSummary])

    assert runs[0] == ProcessorRunSummary(
        id="dpr_Zk9mNP12Qw4-yTv8BdR3H",
        status=ProcessorRunStatus.PROCESSED,
        processor_id="dp_BMdfq_yWM3sT-ZzvCnA3f",
        processor_name="Invoice Extractor",
        processor_version_id="dpv_Zk9mNP12Qw4-yTv8BdR3H",
        created_at=datetime(2024, 3, 21, 15, 29, 55, tzinfo=UTC),
        updated_at=datetime(2024, 3, 21, 16, 45, tzinfo=UTC),
        type=ProcessorRunType.EXTRACT,
        usage=ProcessorRunCredits(credits=3.5),
    )
    assert [r.is_terminal for r in runs] == [True, True]
    assert runs[1].usage is None
    assert body["nextPageToken"].endswith("1dZ=")


def test_the_delete_answer_round_trips_whole() -> None:
    body = example("delete_processor_run")

    deleted = converter.structure(body, ProcessorRunDeleted)

    assert deleted == ProcessorRunDeleted(
        document_processor_run_id="dpr_Xj8mK2pL9nR4vT7qY5wZ",
        message="Document processor run data has been successfully deleted.",
    )
    assert to_dict(deleted) == without_success(body)


def test_a_batch_processor_run_round_trips() -> None:
    run = round_trip(example("get_batch_processor_run")["batchProcessorRun"], BatchProcessorRun)

    assert run.object == "batch_processor_run"


def test_a_classifier_run_and_a_splitter_run_carry_their_outputs() -> None:
    classify = example("get_processor_run")["processorRun"]
    classify.update(
        type="CLASSIFY",
        config={
            "type": "CLASSIFY",
            "classifications": [{"id": "invoice", "type": "INVOICE", "description": "A bill."}],
        },
        output=copy.deepcopy(CLASSIFIER_OUTPUT),
        initialOutput=copy.deepcopy(CLASSIFIER_OUTPUT),
    )
    split = example("get_processor_run")["processorRun"]
    split.update(
        type="SPLITTER",
        config={"splitClassifications": []},  # no type: told by its keys
        output=copy.deepcopy(SPLITTER_OUTPUT),
        initialOutput=None,
        mergedProcessors=[
            {
                "processorId": "dp_Bm8nQ2rL5pK9wF3dR7hY6",
                "processorVersionId": "dpv_Cq1wE4rT7yU0iO3pA6sD9",
                "processorName": "Totals",
            }
        ],
    )

    classified = round_trip(classify, ProcessorRun)
    splitted = converter.structure(split, ProcessorRun)

    assert isinstance(classified.config, ClassificationConfig)
    assert isinstance(classified.output, ClassifierOutput)
    assert isinstance(splitted.output, SplitterOutput)
    assert splitted.initial_output is None
    assert splitted.merged_processors == [
        MergedProcessor(
            processor_id="dp_Bm8nQ2rL5pK9wF3dR7hY6",
            processor_version_id="dpv_Cq1wE4rT7yU0iO3pA6sD9",
            processor_name="Totals",
        )
    ]
    back = to_dict(splitted)
    assert "initialOutput" not in back
    assert back["config"] == {"type": "SPLITTER", "splitClassifications": []}


def test_review_edits_are_read_by_field() -> None:
    wire = example("get_processor_run")["processorRun"]
    wire.update(
        reviewed=True,
        edited=True,
        edits={
            "vendor_name": {
                "originalValue": "Acme Corporation",
                "editedValue": "Acme Corp.",
                "notes": "Use the short name.",
                "page": 1,
                "fieldType": "string",
            },
            "total_amount": {"originalValue": {"amount": 1250}, "editedValue": None},
        },
    )

    run = converter.structure(wire, ProcessorRun)

    assert run.edits == {
        "vendor_name": ExtractionOutputEdit(
            original_value="Acme Corporation",
            edited_value="Acme Corp.",
            notes="Use the short name.",
            page=1.0,
            field_type="string",
        ),
        "total_amount": ExtractionOutputEdit(original_value={"amount": 1250}),
    }
    back = to_dict(run)["edits"]
    assert back["vendor_name"] == wire["edits"]["vendor_name"]
    assert back["total_amount"] == {"originalValue": {"amount": 1250}}  # null is absent


# --- statuses -------------------------------------------------------------------------


def test_the_terminal_states() -> None:
    assert (
        frozenset(
            {ProcessorRunStatus.PROCESSED, ProcessorRunStatus.FAILED, ProcessorRunStatus.CANCELLED}
        )
        == ProcessorRunStatus.TERMINAL
    )
    assert "TERMINAL" not in ProcessorRunStatus.__members__
    assert len(list(ProcessorRunStatus)) == 5


@pytest.mark.parametrize(
    ("status", "terminal"),
    [
        ("PENDING", False),
        ("PROCESSING", False),
        ("PROCESSED", True),
        ("FAILED", True),
        ("CANCELLED", True),
        ("ARCHIVED", False),
        ("processed", False),
    ],
)
def test_is_terminal_for_every_status(status: str, terminal: bool) -> None:
    wire = example("get_processor_run")["processorRun"]
    wire["status"] = status
    summary = example("list_processor_runs")["processorRuns"][0]
    summary["status"] = status

    run = converter.structure(wire, ProcessorRun)

    assert run.is_terminal is terminal
    assert converter.structure(summary, ProcessorRunSummary).is_terminal is terminal
    assert ProcessorRunStatus.is_terminal(status) is terminal
    assert ProcessorRunStatus.is_terminal(ProcessorRunStatus(status)) is terminal


def test_unknown_status_and_type_values_are_kept() -> None:
    wire = example("get_processor_run")["processorRun"]
    wire["status"] = "ARCHIVED"
    wire["type"] = "REDACT"

    run = converter.structure(wire, ProcessorRun)

    assert run.status == "ARCHIVED"
    assert type(run.status) is ProcessorRunStatus
    assert run.status.is_known is False
    assert run.type == "REDACT"
    assert run.type.is_known is False
    back = to_dict(run)
    assert (back["status"], back["type"]) == ("ARCHIVED", "REDACT")


def test_the_run_sources_of_the_list_filter() -> None:
    assert [s.value for s in ProcessorRunSource] == [
        "ADMIN",
        "BATCH_PROCESSOR_RUN",
        "PLAYGROUND",
        "WORKFLOW_CONFIGURATION",
        "WORKFLOW_RUN",
        "STUDIO",
        "API",
    ]
    assert ProcessorRunSource("EMAIL").is_known is False


# --- the output union -----------------------------------------------------------------


def test_a_field_map_output_keeps_the_map_and_reads_each_field() -> None:
    parsed = round_trip(FIELDS_OUTPUT, ProcessorOutput)

    assert isinstance(parsed, FieldsArrayOutput)
    assert parsed.raw == FIELDS_OUTPUT
    assert parsed.fields["vendor_name"] == ExtractionFieldResult(
        id="vendor_name",
        type=ExtractionFieldType.STRING,
        value="Acme Corporation",
        references=[
            FieldReference(
                id="vendor_name",
                field_name="Vendor name",
                page=1.0,
                bounding_boxes=[BoundingBox(top=0.05, left=0.1, bottom=0.08, right=0.4)],
            )
        ],
        confidence=0.97,
        insights=[Insight(type=InsightType.REASONING, content="Printed in the letterhead.")],
    )
    assert parsed.fields["billing_unit"].enum == [
        EnumOption(value="HOUR", description="Billed by the hour."),
        EnumOption(value="PIECE", description="Billed per piece."),
    ]
    assert parsed.fields["line_items"].schema == [
        ExtractionField(
            id="sku", name="SKU", type=ExtractionFieldType.STRING, description="Item code."
        )
    ]
    assert parsed.fields["line_items"].value == [{"sku": "A-1"}, {"sku": "B-2"}]
    assert parsed.fields["notes"].value is None
    assert to_dict(parsed) == FIELDS_OUTPUT
    assert STRICT.structure(copy.deepcopy(FIELDS_OUTPUT), ProcessorOutput) == parsed


def test_a_field_map_output_can_be_made_of_field_results() -> None:
    parsed = output(copy.deepcopy(FIELDS_OUTPUT))

    made = FieldsArrayOutput.of(parsed.fields)

    assert made == parsed
    assert made.fields == parsed.fields
    assert_same_wire(to_dict(made), FIELDS_OUTPUT)


def test_a_classifier_output_round_trips() -> None:
    parsed = round_trip(CLASSIFIER_OUTPUT, ProcessorOutput)

    assert parsed == ClassifierOutput(
        id="invoice",
        type="INVOICE",
        confidence=0.94,
        insights=[
            Insight(type=InsightType.REASONING, content="It lists amounts due and a due date.")
        ],
    )


def test_a_splitter_output_round_trips() -> None:
    parsed = round_trip(SPLITTER_OUTPUT, ProcessorOutput)

    assert isinstance(parsed, SplitterOutput)
    assert parsed.is_external is False
    assert parsed.splits[0] == Split(
        type="INVOICE",
        observation="A new invoice header starts on page 1.",
        identifier="INV-2024-001",
        start_page=1,
        end_page=2,
        classification_id="invoice",
        id="split_0",
        file_id="file_Zk9mNP12Qw4yTv8BdR3H",
        name="Invoice INV-2024-001",
    )
    assert parsed.splits[1].name is None


def test_a_json_output_with_empty_metadata_round_trips() -> None:
    wire = {"value": {"vendor_name": "Acme Corp."}, "metadata": {}}

    assert round_trip(wire, ProcessorOutput) == JsonOutput(
        value={"vendor_name": "Acme Corp."}, metadata={}
    )


def test_the_empty_output_of_an_unfinished_run() -> None:
    parsed = round_trip({}, ProcessorOutput)

    assert parsed == EmptyOutput()
    assert to_dict(parsed) == {}


@pytest.mark.parametrize(
    "wire",
    [
        {"summary": "Looks like an invoice.", "score": 3},
        {"vendor_name": {"text": "Acme"}},
        {"vendor_name": "Acme"},
    ],
)
def test_an_unknown_output_shape_is_kept_raw(wire: dict[str, Any]) -> None:
    parsed = output(copy.deepcopy(wire))

    assert parsed == UnknownOutput(raw=wire)
    assert to_dict(parsed) == wire


@pytest.mark.parametrize(
    "wire",
    [
        {"value": {"a": 1}, "metadata": ["not", "a", "map"]},
        {"value": {"a": 1}},  # metadata is required
        {"value": "not an object", "metadata": {}},
        {"id": "invoice", "type": "INVOICE", "confidence": "high", "insights": []},
        {"id": "invoice", "type": "INVOICE", "confidence": 0.9},  # insights are required
        {"splits": [{"type": "INVOICE", "startPage": 1}]},
        {"total": {"id": "total", "type": "currency", "value": 3, "references": "page 1"}},
        {"total": {"id": "total", "type": "currency", "value": 3, "references": [{"page": 1}]}},
    ],
)
def test_a_malformed_known_output_shape_is_kept_raw(wire: dict[str, Any]) -> None:
    parsed = output(copy.deepcopy(wire))

    assert parsed == UnknownOutput(raw=wire)
    assert to_dict(parsed) == wire


def test_a_run_with_an_odd_output_still_parses_and_round_trips() -> None:
    wire = example("get_processor_run")["processorRun"]
    wire["output"] = {"value": {"a": 1}, "metadata": "broken"}
    wire["initialOutput"] = {"newShape": [1, 2, 3]}
    wire["reviewedOutput"] = None

    run = converter.structure(wire, ProcessorRun)

    assert run.output == UnknownOutput(raw={"value": {"a": 1}, "metadata": "broken"})
    assert run.initial_output == UnknownOutput(raw={"newShape": [1, 2, 3]})
    assert run.reviewed_output is None
    del wire["reviewedOutput"]
    assert_same_wire(to_dict(run), wire)


# --- the provided output union --------------------------------------------------------


def test_a_provided_json_output_round_trips() -> None:
    wire = example("correct_workflow_run_outputs.request")["reviewedOutput"]

    parsed = round_trip(wire, ProvidedProcessorOutput)

    assert parsed == ProvidedJsonOutput(value=wire["value"])


def test_a_provided_field_map_keeps_the_map_and_reads_each_field() -> None:
    wire = {
        "vendor_name": {"id": "vendor_name", "value": "Acme", "type": "string", "confidence": 1},
        "total": {"id": "total", "value": {"amount": 1250, "iso_4217_currency_code": "USD"}},
        "due_date": {"id": "due_date", "value": "2024-04-13", "type": "date", "page": 2},
    }

    parsed = round_trip(wire, ProvidedProcessorOutput)

    assert isinstance(parsed, ProvidedFieldsArrayOutput)
    assert parsed.raw == wire
    assert parsed.fields == {
        "vendor_name": ProvidedExtractionFieldResult(
            id="vendor_name", value="Acme", type=ExtractionFieldType.STRING, confidence=1.0
        ),
        "total": ProvidedExtractionFieldResult(
            id="total", value={"amount": 1250, "iso_4217_currency_code": "USD"}
        ),
        "due_date": ProvidedExtractionFieldResult(
            id="due_date", value="2024-04-13", type=ExtractionFieldType.DATE, page=2.0
        ),
    }
    made = ProvidedFieldsArrayOutput.of(parsed.fields)
    assert made == parsed
    assert_same_wire(to_dict(made), wire)


def test_a_provided_classifier_output_round_trips_with_or_without_confidence() -> None:
    assert round_trip(
        {"id": "invoice", "type": "INVOICE", "confidence": 0.9}, ProvidedProcessorOutput
    ) == ProvidedClassifierOutput(id="invoice", type="INVOICE", confidence=0.9)
    assert round_trip({"id": "invoice", "type": "INVOICE"}, ProvidedProcessorOutput) == (
        ProvidedClassifierOutput(id="invoice", type="INVOICE")
    )


def test_a_provided_splitter_output_round_trips() -> None:
    wire = {
        "splits": [
            {
                "id": "split_0",
                "classificationId": "invoice",
                "type": "INVOICE",
                "startPage": 1,
                "endPage": 2,
                "identifier": "INV-2024-001",
            },
            {
                "id": "split_1",
                "classificationId": "other",
                "type": "OTHER",
                "startPage": 3,
                "endPage": 3,
                "observation": "Terms.",
            },
        ]
    }

    parsed = round_trip(wire, ProvidedProcessorOutput)

    assert parsed == ProvidedSplitterOutput(
        splits=[
            ProvidedSplit(
                id="split_0",
                classification_id="invoice",
                type="INVOICE",
                start_page=1,
                end_page=2,
                identifier="INV-2024-001",
            ),
            ProvidedSplit(
                id="split_1",
                classification_id="other",
                type="OTHER",
                start_page=3,
                end_page=3,
                observation="Terms.",
            ),
        ]
    )


@pytest.mark.parametrize(
    "wire",
    [
        {"label": "INVOICE"},
        {"value": "not an object"},
        {"splits": [{"id": "split_0"}]},
        {"id": "invoice", "type": "INVOICE", "confidence": "sure"},
        {"total": {"id": "total", "value": 3, "confidence": "high"}},
    ],
)
def test_an_unknown_or_malformed_provided_output_is_kept_raw(wire: dict[str, Any]) -> None:
    for conv in (converter, STRICT):
        parsed = conv.structure(copy.deepcopy(wire), ProvidedProcessorOutput)
        assert parsed == UnknownProvidedOutput(raw=wire)
        assert to_dict(parsed) == wire


def test_provided_outputs_read_the_same_with_the_strict_converter() -> None:
    shapes: list[dict[str, Any]] = [
        {"value": {"a": 1}},
        {"a": {"id": "a", "value": 1}},
        {"id": "invoice", "type": "INVOICE"},
        {"splits": []},
    ]
    for wire in shapes:
        assert STRICT.structure(copy.deepcopy(wire), ProvidedProcessorOutput) == provided(wire)
        assert not isinstance(provided(wire), UnknownProvidedOutput)


# --- the run request ------------------------------------------------------------------


def test_the_documented_run_request_with_both_converters() -> None:
    body = example("run_processor.request")

    loose = converter.structure(copy.deepcopy(body), RunProcessorRequest)
    strict = STRICT.structure(copy.deepcopy(body), RunProcessorRequest)

    assert (
        loose
        == strict
        == RunProcessorRequest(
            processor_id="dp_Xj8mK2pL9nR4vT7qY5wZ",
            version="latest",
            file=FileInput(
                file_name="Invoices.pdf", file_url="https://example.com/invoices/INV-2024-001.pdf"
            ),
            sync=False,
            priority=50,
            metadata={"customerId": "cust_123", "extend:usage_tags": ["production", "team-eng"]},
        )
    )
    assert loose.raw_text is NOT_GIVEN
    assert loose.config is NOT_GIVEN
    assert_same_wire(to_dict(loose), body)


def test_a_run_request_on_raw_text_with_a_config_override() -> None:
    request = RunProcessorRequest(
        processor_id="dp_Bm8nQ2rL5pK9wF3dR7hY6",
        raw_text="Invoice INV-2024-003\nTotal: $42.00",
        sync=True,
        config=ExtractionConfig(extraction_rules="Totals are in USD."),
    )

    body = to_dict(request)

    assert body == {
        "processorId": "dp_Bm8nQ2rL5pK9wF3dR7hY6",
        "rawText": "Invoice INV-2024-003\nTotal: $42.00",
        "sync": True,
        "config": {"type": "EXTRACT", "extractionRules": "Totals are in USD."},
    }
    assert STRICT.structure(body, RunProcessorRequest) == request


def test_the_strict_converter_refuses_an_unknown_key_of_the_run_request() -> None:
    body = {"processorId": "dp_1", "rawText": "x", "async": True}

    assert converter.structure(body, RunProcessorRequest).processor_id == "dp_1"
    with pytest.raises(ClassValidationError):
        STRICT.structure(body, RunProcessorRequest)


def test_a_wrong_type_in_the_run_request_is_refused() -> None:
    with pytest.raises(ClassValidationError):
        converter.structure({"processorId": "dp_1", "priority": "high"}, RunProcessorRequest)


def test_a_file_is_a_file() -> None:
    # ProcessorRun.files holds the File model of models.files.
    run = converter.structure(example("run_processor")["processorRun"], ProcessorRun)

    assert isinstance(run.files[0], File)
    assert run.files[0].created_at == datetime(2025, 5, 12, 21, 22, 37, tzinfo=UTC)
