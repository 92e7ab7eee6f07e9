"""Evaluation sets and their items (expected outputs of every provided shape), and the
requests that create sets and create, update and bulk-create items."""

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
    BulkCreateEvaluationSetItemsRequest,
    BulkEvaluationSetItem,
    CreateEvaluationSetItemRequest,
    CreateEvaluationSetRequest,
    EvaluationSet,
    EvaluationSetItem,
    EvaluationSetItemDeleted,
    ProvidedClassifierOutput,
    ProvidedFieldsArrayOutput,
    ProvidedJsonOutput,
    ProvidedSplit,
    ProvidedSplitterOutput,
    UnknownProvidedOutput,
    UpdateEvaluationSetItemRequest,
)

UTC = timezone.utc


@pytest.mark.parametrize("operation", ["get_evaluation_set", "create_evaluation_set"])
def test_a_fetched_or_created_set_round_trips(operation: str) -> None:
    evaluation_set = round_trip(example(operation)["evaluationSet"], EvaluationSet)

    assert evaluation_set == EvaluationSet(
        id="ev_2LcgeY_mp2T5yPaEuq5Lw",
        name="Invoice Processing Test Set",
        description="Q4 2023 vendor invoices for accuracy testing",
        processor_id="dp_Xj8mK2pL9nR4vT7qY5wZ",
        created_at=datetime(2024, 3, 21, 15, 30, tzinfo=UTC),
        updated_at=datetime(2024, 3, 21, 16, 45, tzinfo=UTC),
    )
    assert evaluation_set.object == "evaluation_set"


def test_listed_sets_round_trip() -> None:
    body = example("list_evaluation_sets")

    sets = round_trip(body["evaluationSets"], list[EvaluationSet])

    assert [s.processor_id for s in sets] == [
        "dp_Xj8mK2pL9nR4vT7qY5wZ",
        "dp_Bm8nQ2rL5pK9wF3dR7hY6",
        "dp_4vX8mL6nP9rQ2sW5kF3hT",
    ]
    assert isinstance(body["nextPageToken"], str)


def test_listed_items_carry_a_field_map_and_a_json_output() -> None:
    body = example("list_evaluation_set_items")

    items = round_trip(body["evaluationSetItems"], list[EvaluationSetItem])

    fields, json_output = items
    assert fields.object == "evaluation_set_item"
    assert fields.evaluation_set_id == "ev_2LcgeY_mp2T5yPaEuq5Lw"
    assert isinstance(fields.expected_output, ProvidedFieldsArrayOutput)
    assert list(fields.expected_output.fields) == [
        "vendor_name",
        "invoice_number",
        "total_amount",
        "line_items",
    ]
    assert fields.expected_output.fields["total_amount"].value == {
        "amount": 1250,
        "iso_4217_currency_code": "USD",
    }
    assert json_output.expected_output == ProvidedJsonOutput(
        value={
            "invoice_number": "GTS-2024-156",
            "vendor_name": "Global Tech Solutions",
            "total_amount": {"amount": 875.5, "iso_4217_currency_code": "USD"},
        }
    )
    assert isinstance(body["nextPageToken"], str)


@pytest.mark.parametrize("operation", ["create_evaluation_set_item", "update_evaluation_set_item"])
def test_a_created_or_updated_item_round_trips(operation: str) -> None:
    item = round_trip(example(operation)["evaluationSetItem"], EvaluationSetItem)

    assert item.id == "evi_kR9mNP12Qw4yTv8BdR3H"
    assert item.file_id == "file_xK9mLPqRtN3vS8wF5hB2cQ"
    assert isinstance(item.expected_output, (ProvidedFieldsArrayOutput, ProvidedJsonOutput))


def test_bulk_created_items_carry_a_field_map_and_a_class() -> None:
    body = example("bulk_create_evaluation_set_items")

    items = round_trip(body["evaluationSetItems"], list[EvaluationSetItem])

    assert isinstance(items[0].expected_output, ProvidedFieldsArrayOutput)
    assert items[1].expected_output == ProvidedClassifierOutput(
        id="my_unique_id", type="invoice", confidence=1.0
    )
    assert set(body) == {"success", "evaluationSetItems"}


def test_an_item_with_a_splitter_or_an_unknown_output_round_trips() -> None:
    item = example("create_evaluation_set_item")["evaluationSetItem"]
    splits = {
        "splits": [
            {
                "id": "s1",
                "classificationId": "invoice",
                "type": "INVOICE",
                "startPage": 1,
                "endPage": 2,
            }
        ]
    }
    odd = {"answer": 42}

    with_splits = round_trip({**item, "expectedOutput": splits}, EvaluationSetItem)
    with_odd = round_trip({**item, "expectedOutput": odd}, EvaluationSetItem)

    assert with_splits.expected_output == ProvidedSplitterOutput(
        splits=[
            ProvidedSplit(
                id="s1", classification_id="invoice", type="INVOICE", start_page=1, end_page=2
            )
        ]
    )
    assert with_odd.expected_output == UnknownProvidedOutput(raw=odd)


def test_the_delete_answer_round_trips_whole() -> None:
    deleted = round_trip(
        without_success(example("delete_evaluation_set_item")), EvaluationSetItemDeleted
    )

    assert deleted == EvaluationSetItemDeleted(
        evaluation_set_item_id="evi_kR9mNP12Qw4yTv8BdR3H",
        message="Evaluation set item has been successfully deleted.",
    )


@pytest.mark.parametrize(
    ("operation", "model"),
    [
        ("create_evaluation_set.request", CreateEvaluationSetRequest),
        ("create_evaluation_set_item.request", CreateEvaluationSetItemRequest),
        ("update_evaluation_set_item.request", UpdateEvaluationSetItemRequest),
        ("bulk_create_evaluation_set_items.request", BulkCreateEvaluationSetItemsRequest),
    ],
)
def test_each_request_body_structures_with_both_converters(operation: str, model: type) -> None:
    wire = example(operation)

    for conv in (converter, STRICT):
        request = conv.structure(copy.deepcopy(wire), model)
        assert_same_wire(to_dict(request), wire)


def test_the_create_requests_read_their_fields() -> None:
    created = converter.structure(
        example("create_evaluation_set.request"), CreateEvaluationSetRequest
    )
    item = converter.structure(
        example("create_evaluation_set_item.request"), CreateEvaluationSetItemRequest
    )
    update = converter.structure(
        example("update_evaluation_set_item.request"), UpdateEvaluationSetItemRequest
    )

    assert created == CreateEvaluationSetRequest(
        name="Invoice Processing Test Set",
        description="Q4 2023 vendor invoices for accuracy testing",
        processor_id="dp_Xj8mK2pL9nR4vT7qY5wZ",
    )
    assert item.evaluation_set_id == "ev_2LcgeY_mp2T5yPaEuq5Lw"
    assert isinstance(item.expected_output, ProvidedFieldsArrayOutput)
    assert isinstance(update.expected_output, ProvidedJsonOutput)


def test_the_bulk_request_reads_its_items() -> None:
    request = converter.structure(
        example("bulk_create_evaluation_set_items.request"), BulkCreateEvaluationSetItemsRequest
    )

    assert request.evaluation_set_id == "ev_2LcgeY_mp2T5yPaEuq5Lw"
    assert [i.file_id for i in request.items] == [
        "file_xK9mLPqRtN3vS8wF5hB2cQ",
        "file_9sL2mPrQ6tW4vX8kF5hG3",
    ]
    assert isinstance(request.items[0].expected_output, ProvidedFieldsArrayOutput)
    assert request.items[1] == BulkEvaluationSetItem(
        file_id="file_9sL2mPrQ6tW4vX8kF5hG3",
        expected_output=ProvidedClassifierOutput(id="my_unique_id", type="invoice", confidence=1),
    )


def test_a_request_built_in_python_is_written_in_wire_form() -> None:
    request = BulkCreateEvaluationSetItemsRequest(
        evaluation_set_id="ev_1",
        items=[
            BulkEvaluationSetItem(
                file_id="file_1", expected_output=ProvidedJsonOutput(value={"total": 10})
            )
        ],
    )

    assert to_dict(request) == {
        "evaluationSetId": "ev_1",
        "items": [{"fileId": "file_1", "expectedOutput": {"value": {"total": 10}}}],
    }


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (
            CreateEvaluationSetRequest,
            {"name": "a", "description": "b", "processorId": "dp_1", "x": 1},
        ),
        (UpdateEvaluationSetItemRequest, {"expectedOutput": {"value": {}}, "fileId": "file_1"}),
        (
            BulkCreateEvaluationSetItemsRequest,
            {"evaluationSetId": "ev_1", "items": [{"fileId": "f", "expectedOutput": {}, "x": 1}]},
        ),
    ],
)
def test_the_strict_converter_refuses_unknown_keys(model: type, body: dict[str, Any]) -> None:
    converter.structure(copy.deepcopy(body), model)
    with pytest.raises(ClassValidationError):
        STRICT.structure(body, model)


def test_required_request_fields_are_required() -> None:
    with pytest.raises(TypeError):
        CreateEvaluationSetRequest(name="a", description="b")  # type: ignore[call-arg]
    with pytest.raises(ClassValidationError):
        converter.structure(
            {"evaluationSetId": "ev_1", "fileId": "f"}, CreateEvaluationSetItemRequest
        )
