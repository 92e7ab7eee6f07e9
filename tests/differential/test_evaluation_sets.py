"""Differential check, evaluation sets and their items (rows 37 to 44): Get, List and
Create Evaluation Set; List, Create, Update, Delete and Bulk Create Evaluation Set Items.

Each kind of processor config gets a set, and each set items whose expected outputs
are of the kind its processor takes, so every shape of ProvidedProcessorOutput goes
through the official parser, as sent and as the fake stores it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")

from differential._configs import WIRE_CONFIGS, ours  # noqa: E402
from differential._support import FIELDS_AS_JSON, pages  # noqa: E402
from extend_ai.evaluation_set_item import (  # noqa: E402
    EvaluationSetItemCreateBatchRequestItemsItem,
)

#: An expected output of each config kind (WIRE_CONFIGS), and one it is updated to.
EXPECTED: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "extract-schema": (
        {
            "value": {
                "invoice_number": "INV-2024-001",
                "vendor_name": "Acme Corp.",
                "total_amount": {"amount": 1250.0, "iso_4217_currency_code": "USD"},
            }
        },
        {"value": {"invoice_number": "INV-2024-001", "invoice_date": "2024-03-14"}},
    ),
    "extract-fields": (
        {
            "holder": {"id": "holder", "value": "A. Jones", "type": "string"},
            "count": {"id": "count", "value": 12, "type": "number", "confidence": 1.0, "page": 2},
        },
        {"joint": {"id": "joint", "value": False, "type": "boolean"}},
    ),
    "classify": (
        {"id": "receipt", "type": "RECEIPT", "confidence": 1.0},
        {"id": "contract", "type": "CONTRACT"},
    ),
    "splitter": (
        {
            "splits": [
                {
                    "id": "split_1",
                    "classificationId": "invoice",
                    "type": "INVOICE",
                    "startPage": 1,
                    "endPage": 2,
                    "observation": "One invoice",
                    "identifier": "INV-1",
                }
            ]
        },
        {
            "splits": [
                {
                    "id": "split_1",
                    "classificationId": "receipt",
                    "type": "RECEIPT",
                    "startPage": 1,
                    "endPage": 1,
                }
            ]
        },
    ),
}
#: The official model each expected output is read into, by config kind.
READ_AS = {
    "extract-schema": "ProvidedJsonOutput",
    "extract-fields": "dict",
    "classify": "ProvidedClassifierOutput",
    "splitter": "ProvidedSplitterOutput",
}


def a_set(fake: FakeExtendServer, official: Official, kind: str) -> Any:
    """A set made through the official client for a processor of this config kind."""
    processor_type, wire = WIRE_CONFIGS[kind]
    processor = fake.processors.add(type=processor_type, config=ours(wire))
    return official.call(
        "create_evaluation_set",
        official.client.evaluation_set.create,
        name=f"{kind} golden set",
        description=f"Expected {kind} outputs",
        processor_id=processor.id,
    ).evaluation_set


def test_creating_and_getting_a_set(fake: FakeExtendServer, official: Official) -> None:
    made = a_set(fake, official, "classify")
    got = official.call(
        "get_evaluation_set", official.client.evaluation_set.get, made.id
    ).evaluation_set

    assert got == made
    assert made.object == "evaluation_set"
    assert made.name == "classify golden set"
    official.agree(got, fake.evaluation_sets.get(made.id))
    official.fails(
        "get_evaluation_set",
        404,
        extend_ai.NotFoundError,
        official.client.evaluation_set.get,
        "ev_missing",
    )


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_an_item_of_each_kind_created_updated_and_deleted(
    fake: FakeExtendServer, official: Official, kind: str
) -> None:
    chosen = a_set(fake, official, kind)
    items = official.client.evaluation_set_item
    first, second = EXPECTED[kind]

    made = official.call(
        "create_evaluation_set_item",
        items.create,
        evaluation_set_id=chosen.id,
        file_id=fake.files.add().id,
        expected_output=first,
    ).evaluation_set_item
    created_misread = list(official.misread)
    official.agree(made, fake.evaluation_sets.item(made.id))
    updated = official.call(
        "update_evaluation_set_item", items.update, made.id, expected_output=second
    ).evaluation_set_item
    official.agree(updated, fake.evaluation_sets.item(made.id))
    removed = official.call("delete_evaluation_set_item", items.delete, made.id)

    assert made.object == "evaluation_set_item"
    assert (made.evaluation_set_id, updated.id) == (chosen.id, made.id)
    assert type(made.expected_output).__name__ == READ_AS[kind]
    if kind == "extract-fields":  # a map of field results: read as a ProvidedJsonOutput
        assert created_misread == [("$.evaluation_set_item.expected_output", FIELDS_AS_JSON)]
    else:
        assert created_misread == []
    assert removed.evaluation_set_item_id == made.id
    assert removed.message == "Evaluation set item has been successfully deleted."
    official.fails(
        "delete_evaluation_set_item", 404, extend_ai.NotFoundError, items.delete, made.id
    )


def test_an_output_of_another_kind_is_refused(fake: FakeExtendServer, official: Official) -> None:
    chosen = a_set(fake, official, "splitter")

    refused = official.fails(
        "create_evaluation_set_item",
        400,
        extend_ai.BadRequestError,
        official.client.evaluation_set_item.create,
        evaluation_set_id=chosen.id,
        file_id=fake.files.add().id,
        expected_output=EXPECTED["classify"][0],
    )

    assert "a SPLITTER processor takes a splitter output" in str(refused.body)
    assert fake.evaluation_sets.items(chosen.id) == []


def test_bulk_creating_then_listing_items_page_by_page(
    fake: FakeExtendServer, official: Official
) -> None:
    chosen = a_set(fake, official, "extract-schema")
    files = [fake.files.add(f"INV-{n:02d}.pdf") for n in range(7)]

    bulk = official.call(
        "bulk_create_evaluation_set_items",
        official.client.evaluation_set_item.create_batch,
        evaluation_set_id=chosen.id,
        items=[
            EvaluationSetItemCreateBatchRequestItemsItem(
                file_id=file.id,
                expected_output=extend_ai.ProvidedJsonOutput(value={"invoice_number": file.name}),
            )
            for file in files
        ],
    ).evaluation_set_items

    def fetch(token: str | None) -> Any:
        return official.call(
            "list_evaluation_set_items",
            official.client.evaluation_set_item.list,
            chosen.id,
            sort_by="createdAt",
            sort_dir="asc",
            max_page_size=3,
            next_page_token=token,
        )

    got = list(pages(fetch, lambda page: page.next_page_token))
    listed = [item for page in got for item in page.evaluation_set_items]

    assert [item.file_id for item in bulk] == [file.id for file in files]
    assert [len(page.evaluation_set_items) for page in got] == [3, 3, 1]
    assert [item.id for item in listed] == [item.id for item in bulk]
    for item in listed:
        official.agree(item, fake.evaluation_sets.item(item.id))
    official.fails(
        "list_evaluation_set_items",
        404,
        extend_ai.NotFoundError,
        official.client.evaluation_set_item.list,
        "ev_missing",
    )


def test_listing_sets_by_processor_page_by_page(fake: FakeExtendServer, official: Official) -> None:
    processor = fake.processors.add()
    made = []
    for _ in range(5):
        made.append(fake.evaluation_sets.add(processor_id=processor.id))
        fake.advance(60.0)
    fake.evaluation_sets.add()  # of another processor

    def fetch(token: str | None) -> Any:
        return official.call(
            "list_evaluation_sets",
            official.client.evaluation_set.list,
            processor_id=processor.id,
            sort_dir="desc",
            max_page_size=2,
            next_page_token=token,
        )

    got = list(pages(fetch, lambda page: page.next_page_token))
    listed = [found for page in got for found in page.evaluation_sets]

    assert [len(page.evaluation_sets) for page in got] == [2, 2, 1]
    assert [found.id for found in listed] == [found.id for found in reversed(made)]
    for found in listed:
        official.agree(found, fake.evaluation_sets.get(found.id))
