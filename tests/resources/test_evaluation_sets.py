"""Evaluation sets and their items: exactly what each method sends, and what it gives back."""

from __future__ import annotations

import inspect
from datetime import datetime, timezone
from typing import Any

import pytest
from resources.conftest import GET_HEADERS, POST_HEADERS, Api, example

from extend_async import APIStatusError, AsyncExtend, Extend, InternalServerError, RetryPolicy
from extend_async.models import (
    NOT_GIVEN,
    BulkEvaluationSetItem,
    EvaluationSet,
    EvaluationSetItem,
    EvaluationSetItemDeleted,
    File,
    FileMetadata,
    Page,
    ProvidedClassifierOutput,
    ProvidedExtractionFieldResult,
    ProvidedFieldsArrayOutput,
    ProvidedJsonOutput,
    ProvidedSplit,
    ProvidedSplitterOutput,
    SortBy,
    SortDirection,
    UnknownProvidedOutput,
)

UPLOADED = File(
    id="file_up",
    name="up.pdf",
    metadata=FileMetadata(),
    created_at=datetime(2025, 5, 1, tzinfo=timezone.utc),
    updated_at=datetime(2025, 5, 1, tzinfo=timezone.utc),
)


# -- evaluation sets -------------------------------------------------------------------------


async def test_get_sends_the_id_as_one_segment(api: Api, client: Any) -> None:
    api.reply("GET", "/evaluation_sets/ev%2F1", example("get_evaluation_set"))

    async with client() as c:
        got = await c.evaluation_sets.get("ev/1")

    assert isinstance(got, EvaluationSet)
    assert (got.id, got.processor_id) == ("ev_2LcgeY_mp2T5yPaEuq5Lw", "dp_Xj8mK2pL9nR4vT7qY5wZ")
    assert got.created_at == datetime(2024, 3, 21, 15, 30, tzinfo=timezone.utc)
    sent = api.last
    assert (sent.method, sent.path, sent.query, sent.json) == (
        "GET",
        "/evaluation_sets/ev%2F1",
        {},
        None,
    )
    assert sent.headers == GET_HEADERS


async def test_list_sends_its_filters_and_gives_a_page(api: Api, client: Any) -> None:
    api.reply("GET", "/evaluation_sets", example("list_evaluation_sets"))

    async with client() as c:
        page = await c.evaluation_sets.list(
            processor_id="dp_1", sort_by=SortBy.UPDATED_AT, sort_dir="asc", page_size=3
        )
        await c.evaluation_sets.list(processor_id=NOT_GIVEN, sort_by=None)

    assert isinstance(page, Page)
    assert [item.name for item in page.items] == [
        "Invoice Processing Test Set",
        "Receipt Classification Test Set",
        "Contract Splitting Eval Set",
    ]
    assert page.next_page_token == (
        "xK9mLPqRtN3vS8wF5hB2cQ==:zWvUxYjM4nKpL7aDgE9HbTcR2mAyX3/Q+CNkfBSw1dZ="
    )
    first, bare = api.sent
    assert (first.method, first.path) == ("GET", "/evaluation_sets")
    assert first.query == {
        "processorId": "dp_1",
        "sortBy": "updatedAt",
        "sortDir": "asc",
        "maxPageSize": "3",
    }
    assert first.headers == GET_HEADERS
    assert bare.query == {}  # left out and None are both omitted from a query


async def test_the_next_page_sends_the_token_back_with_the_same_filters(
    api: Api, client: Any
) -> None:
    api.reply("GET", "/evaluation_sets", example("list_evaluation_sets"))

    async with client() as c:
        pages = c.evaluation_sets.list(processor_id="dp_1").pages()
        await pages.__anext__()
        await pages.__anext__()
        await pages.aclose()

    first, second = api.sent
    assert first.query == {"processorId": "dp_1"}
    assert second.query == {
        "processorId": "dp_1",
        "nextPageToken": "xK9mLPqRtN3vS8wF5hB2cQ==:zWvUxYjM4nKpL7aDgE9HbTcR2mAyX3/Q+CNkfBSw1dZ=",
    }


async def test_create_sends_the_documented_body(api: Api, client: Any) -> None:
    api.reply("POST", "/evaluation_sets", example("create_evaluation_set"))
    documented = example("create_evaluation_set.request")

    async with client() as c:
        made = await c.evaluation_sets.create(
            name=documented["name"],
            description=documented["description"],
            processor_id=documented["processorId"],
        )

    assert isinstance(made, EvaluationSet)
    assert made.name == "Invoice Processing Test Set"
    sent = api.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/evaluation_sets", {})
    assert sent.headers == POST_HEADERS
    assert sent.json == documented


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"name": 5},
            TypeError,
            r"^evaluation_sets\.create\(\): name: expected a string, got int$",
        ),
        ({"name": None}, TypeError, r"name: expected a string, got null"),
        ({"description": ["x"]}, TypeError, r"description: expected a string, got list"),
        ({"processor_id": ""}, ValueError, r"processor_id must be a non-empty string"),
        ({"processor_id": 7}, TypeError, r"processor_id: expected a string, got int"),
    ],
)
async def test_create_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments = {"name": "Set", "description": "", "processor_id": "dp_1", **kwargs}

    async with client() as c:
        with pytest.raises(error, match=message):
            await c.evaluation_sets.create(**arguments)
        with pytest.raises(
            TypeError, match=r"missing 1 required keyword-only argument: 'processor_id'"
        ):
            await c.evaluation_sets.create(name="Set", description="")  # type: ignore[call-arg]

    assert api.sent == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.evaluation_sets.get(""), r"id must be a non-empty string"),
        (lambda c: c.evaluation_sets.get(3), r"id must be a string, got int"),
        (lambda c: c.evaluation_sets.list(page_size=0), r"page_size must be an int >= 1"),
        (lambda c: c.evaluation_sets.list(processor_id=""), r"processor_id must not be empty"),
        (lambda c: c.evaluation_sets.list(sort_dir=["asc"]), r"sort_dir must be a string"),
        (lambda c: c.evaluation_set_items.list(""), r"id must be a non-empty string"),
        (lambda c: c.evaluation_set_items.list("ev_1", page_size=-1), r"page_size must be"),
        (lambda c: c.evaluation_set_items.delete(None), r"id must be a string, got NoneType"),
    ],
)
async def test_bad_ids_and_queries_are_refused_before_sending(
    api: Api, client: Any, call: Any, message: str
) -> None:
    async with client() as c:
        with pytest.raises((TypeError, ValueError), match=message):
            await call(c)

    assert api.sent == []


# -- items ------------------------------------------------------------------------------------


async def test_list_items_of_a_set(api: Api, client: Any) -> None:
    api.reply("GET", "/evaluation_sets/ev_1/items", example("list_evaluation_set_items"))

    async with client() as c:
        page = await c.evaluation_set_items.list(
            "ev_1", sort_by="createdAt", sort_dir=SortDirection.DESC, page_size=2
        )

    fields, json_output = (item.expected_output for item in page.items)
    assert isinstance(fields, ProvidedFieldsArrayOutput)
    assert fields.fields["total_amount"].value == {"amount": 1250, "iso_4217_currency_code": "USD"}
    assert isinstance(json_output, ProvidedJsonOutput)
    assert json_output.value["vendor_name"] == "Global Tech Solutions"
    assert page.next_page_token is not None
    sent = api.last
    assert (sent.method, sent.path) == ("GET", "/evaluation_sets/ev_1/items")
    assert sent.query == {"sortBy": "createdAt", "sortDir": "desc", "maxPageSize": "2"}
    assert sent.headers == GET_HEADERS
    assert sent.json is None


async def test_create_item_takes_a_model_or_a_wire_mapping_alike(api: Api, client: Any) -> None:
    api.reply("POST", "/evaluation_set_items", example("create_evaluation_set_item"))
    documented = example("create_evaluation_set_item.request")
    fields = {
        key: ProvidedExtractionFieldResult(
            id=value["id"], value=value["value"], type=value["type"], confidence=1
        )
        for key, value in documented["expectedOutput"].items()
    }

    async with client() as c:
        made = await c.evaluation_set_items.create(
            evaluation_set_id=documented["evaluationSetId"],
            file_id=documented["fileId"],
            expected_output=ProvidedFieldsArrayOutput.of(fields),
        )
        await c.evaluation_set_items.create(
            evaluation_set_id=documented["evaluationSetId"],
            file_id=documented["fileId"],
            expected_output=documented["expectedOutput"],
        )

    assert isinstance(made, EvaluationSetItem)
    assert made.id == "evi_kR9mNP12Qw4yTv8BdR3H"
    first, second = api.sent
    assert (first.method, first.path, first.query) == ("POST", "/evaluation_set_items", {})
    assert first.headers == POST_HEADERS
    assert first.json == second.json == documented


async def test_create_item_takes_an_uploaded_file_and_every_output_kind(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/evaluation_set_items", example("create_evaluation_set_item"))
    split = ProvidedSplit(
        id="s1", classification_id="invoice", type="INVOICE", start_page=1, end_page=2
    )

    async with client() as c:
        for output in (
            ProvidedJsonOutput(value={"total": None}),
            ProvidedClassifierOutput(id="invoice", type="INVOICE"),
            ProvidedSplitterOutput(splits=[split]),
            UnknownProvidedOutput(raw={"shape": "of a later release"}),
        ):
            await c.evaluation_set_items.create(
                evaluation_set_id="ev_1", file_id=UPLOADED, expected_output=output
            )

    assert [sent.json["fileId"] for sent in api.sent] == ["file_up"] * 4
    assert [sent.json["expectedOutput"] for sent in api.sent] == [
        {"value": {"total": None}},  # a None inside a value stays null
        {"id": "invoice", "type": "INVOICE"},  # the confidence left out is not sent
        {
            "splits": [
                {
                    "id": "s1",
                    "classificationId": "invoice",
                    "type": "INVOICE",
                    "startPage": 1,
                    "endPage": 2,
                }
            ]
        },
        {"shape": "of a later release"},
    ]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"evaluation_set_id": ""}, ValueError, r"evaluation_set_id must be a non-empty string"),
        ({"evaluation_set_id": 1}, TypeError, r"evaluation_set_id: expected a string, got int"),
        ({"file_id": ""}, ValueError, r"file_id must be a non-empty string"),
        ({"file_id": 12}, TypeError, r"file_id must be a file id or a File, got 12"),
        (
            {"file_id": "https://example.com/a.pdf"},
            ValueError,
            r"file_id takes the id of an uploaded file .* not a URL",
        ),
        (
            {"expected_output": "Acme"},
            TypeError,
            r"^evaluation_set_items\.create\(\): expected_output: expected an object, got str$",
        ),
        (
            {"expected_output": {"vendor_name": "Acme"}},
            ValueError,
            r"expected_output is none of the provided output shapes .* got keys \['vendor_name'\]",
        ),
        (
            {"expected_output": {"value": "Acme"}},
            TypeError,
            r"^evaluation_set_items\.create\(\): expected_output\.value: expected an object",
        ),
        (
            {"expected_output": {"id": "invoice", "type": "INVOICE", "confidence": "high"}},
            TypeError,
            r"expected_output\.confidence: expected a number, got str",
        ),
        (
            {"expected_output": {"a": {"id": "a", "value": 1, "page": "one"}}},
            TypeError,
            r"expected_output\['a'\]\.page: expected a number, got str",
        ),
        (
            {"expected_output": {"splits": [{"id": "s", "type": "X"}]}},
            TypeError,
            r"expected_output\.splits\[0\]\.classification_id: required, but not given",
        ),
    ],
)
async def test_create_item_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments = {
        "evaluation_set_id": "ev_1",
        "file_id": "file_1",
        "expected_output": {"value": {}},
        **kwargs,
    }

    async with client() as c:
        with pytest.raises(error, match=message):
            await c.evaluation_set_items.create(**arguments)

    assert api.sent == []


async def test_update_item_sends_the_new_expected_output(api: Api, client: Any) -> None:
    api.reply("POST", "/evaluation_set_items/evi%3F1", example("update_evaluation_set_item"))
    documented = example("update_evaluation_set_item.request")

    async with client() as c:
        updated = await c.evaluation_set_items.update(
            "evi?1", expected_output=ProvidedJsonOutput(documented["expectedOutput"]["value"])
        )
        await c.evaluation_set_items.update("evi?1", expected_output=documented["expectedOutput"])
        with pytest.raises(ValueError, match=r"^evaluation_set_items\.update\(\): expected_output"):
            await c.evaluation_set_items.update("evi?1", expected_output={})
        with pytest.raises(
            TypeError, match=r"missing 1 required keyword-only argument: 'expected_output'"
        ):
            await c.evaluation_set_items.update("evi?1")  # type: ignore[call-arg]

    assert isinstance(updated.expected_output, ProvidedJsonOutput)
    assert updated.expected_output.value["total_amount"]["amount"] == 1300
    first, second = api.sent
    assert (first.method, first.path, first.query) == ("POST", "/evaluation_set_items/evi%3F1", {})
    assert first.headers == POST_HEADERS
    assert first.json == second.json == documented


async def test_delete_item(api: Api, client: Any) -> None:
    api.reply("DELETE", "/evaluation_set_items/evi_1", example("delete_evaluation_set_item"))

    async with client() as c:
        deleted = await c.evaluation_set_items.delete("evi_1")

    assert deleted == EvaluationSetItemDeleted(
        evaluation_set_item_id="evi_kR9mNP12Qw4yTv8BdR3H",
        message="Evaluation set item has been successfully deleted.",
    )
    sent = api.last
    assert (sent.method, sent.path, sent.query, sent.json) == (
        "DELETE",
        "/evaluation_set_items/evi_1",
        {},
        None,
    )
    assert sent.headers == GET_HEADERS


async def test_bulk_create_takes_models_and_wire_mappings(api: Api, client: Any) -> None:
    api.reply("POST", "/evaluation_set_items/bulk", example("bulk_create_evaluation_set_items"))
    documented = example("bulk_create_evaluation_set_items.request")
    first_item, second_item = documented["items"]

    async with client() as c:
        made = await c.evaluation_set_items.bulk_create(
            documented["evaluationSetId"],
            items=[
                first_item,  # a wire mapping
                BulkEvaluationSetItem(
                    file_id=second_item["fileId"],
                    expected_output=ProvidedClassifierOutput(
                        id="my_unique_id", type="invoice", confidence=1
                    ),
                ),
            ],
        )
        raw = await c.evaluation_set_items.bulk_create.raw(
            "ev_1", items=({"fileId": "file_1", "expectedOutput": {"value": {}}},)
        )

    assert [item.id for item in made] == ["evi_kR9mNP12Qw4yTv8BdR3H", "evi_5kN7pQ9mR2wV8xT3fG1bY"]
    assert isinstance(made[1].expected_output, ProvidedClassifierOutput)
    assert raw.status_code == 200
    assert len(raw.parsed) == 2
    first, second = api.sent
    assert (first.method, first.path, first.query) == ("POST", "/evaluation_set_items/bulk", {})
    assert first.headers == POST_HEADERS
    assert first.json == documented
    assert second.json == {
        "evaluationSetId": "ev_1",
        "items": [{"fileId": "file_1", "expectedOutput": {"value": {}}}],
    }


async def test_bulk_create_sends_as_many_items_as_given(api: Api, client: Any) -> None:
    api.reply("POST", "/evaluation_set_items/bulk", example("bulk_create_evaluation_set_items"))
    many = [{"fileId": f"file_{n}", "expectedOutput": {"value": {"n": n}}} for n in range(2500)]

    async with client() as c:
        await c.evaluation_set_items.bulk_create("ev_1", items=many)

    assert api.last.json["items"] == many  # no limit is documented: none is enforced


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"items": []}, ValueError, r"^evaluation_set_items\.bulk_create\(\): items must hold"),
        ({"items": {"fileId": "f"}}, TypeError, r"items must be a list of items"),
        ({"items": "file_1"}, TypeError, r"items must be a list of items"),
        ({"items": [5]}, TypeError, r"items\[0\] must be a BulkEvaluationSetItem or a mapping"),
        (
            {"items": [{"fileId": "f", "expectedOutput": {"value": {}}, "note": "x"}]},
            TypeError,
            r"items\[0\]: unknown keys \['note'\]",
        ),
        (
            {"items": [{"fileId": "f", "expectedOutput": {"value": {}}}, {"fileId": "f"}]},
            TypeError,
            r"items\[1\]\.expected_output: required, but not given",
        ),
        (
            {"items": [{"fileId": "", "expectedOutput": {"value": {}}}]},
            ValueError,
            r"items\[0\]\.file_id must be a non-empty string",
        ),
        (
            {"items": [BulkEvaluationSetItem(file_id="", expected_output=ProvidedJsonOutput({}))]},
            ValueError,
            r"items\[0\]\.file_id must be a non-empty string",
        ),
        (
            {"items": [{"fileId": "f", "expectedOutput": {"total": 3}}]},
            ValueError,
            r"items\[0\]\.expected_output is none of the provided output shapes",
        ),
        (
            {"items": [{"fileId": "f", "expectedOutput": {"value": []}}]},
            TypeError,
            r"items\[0\]\.expected_output\.value: expected an object, got list",
        ),
        (
            {"evaluation_set_id": "", "items": [{"fileId": "f", "expectedOutput": {"value": {}}}]},
            ValueError,
            r"evaluation_set_id must be a non-empty string",
        ),
    ],
)
async def test_bulk_create_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments = {"evaluation_set_id": "ev_1", **kwargs}

    async with client() as c:
        with pytest.raises(error, match=message):
            await c.evaluation_set_items.bulk_create(**arguments)

    assert api.sent == []


async def test_a_create_that_reached_the_server_is_not_sent_twice(api: Api, client: Any) -> None:
    api.reply("POST", "/evaluation_set_items", {"success": False, "error": "boom"}, status=500)
    api.reply("DELETE", "/evaluation_set_items/evi_1", {"success": False}, status=503)

    async with client(retry=RetryPolicy(max_retries=2, initial_backoff=0)) as c:
        with pytest.raises(InternalServerError, match="boom"):
            await c.evaluation_set_items.create(
                evaluation_set_id="ev_1", file_id="file_1", expected_output={"value": {}}
            )
        with pytest.raises(APIStatusError):
            await c.evaluation_set_items.delete("evi_1")

    # A DELETE may be repeated; a POST that may have created an item may not.
    assert [sent.method for sent in api.sent] == ["POST", "DELETE", "DELETE", "DELETE"]


# -- the blocking twins and the signatures --------------------------------------------------


def test_the_blocking_twins(api: Api, sync_client: Extend) -> None:
    api.reply("GET", "/evaluation_sets/ev_1", example("get_evaluation_set"))
    api.reply("GET", "/evaluation_sets", example("list_evaluation_sets"))
    api.reply("POST", "/evaluation_sets", example("create_evaluation_set"))
    api.reply("GET", "/evaluation_sets/ev_1/items", example("list_evaluation_set_items"))
    api.reply("POST", "/evaluation_set_items", example("create_evaluation_set_item"))
    api.reply("POST", "/evaluation_set_items/evi_1", example("update_evaluation_set_item"))
    api.reply("DELETE", "/evaluation_set_items/evi_1", example("delete_evaluation_set_item"))
    api.reply("POST", "/evaluation_set_items/bulk", example("bulk_create_evaluation_set_items"))
    sets, items = sync_client.evaluation_sets, sync_client.evaluation_set_items

    got = sets.get("ev_1")
    listed = sets.list(processor_id="dp_1", page_size=3).first_page()
    made = sets.create(name="Set", description="d", processor_id="dp_1")
    item_page = items.list("ev_1").first_page()
    item = items.create(evaluation_set_id="ev_1", file_id=UPLOADED, expected_output={"value": {}})
    updated = items.update("evi_1", expected_output=ProvidedJsonOutput({"a": 1}))
    deleted = items.delete("evi_1")
    bulk = items.bulk_create("ev_1", items=[{"fileId": "f", "expectedOutput": {"value": {}}}])

    assert got.id == made.id == "ev_2LcgeY_mp2T5yPaEuq5Lw"
    assert len(listed.items) == 3
    assert len(item_page.items) == 2
    assert isinstance(item, EvaluationSetItem)
    assert isinstance(updated, EvaluationSetItem)
    assert deleted.evaluation_set_item_id == "evi_kR9mNP12Qw4yTv8BdR3H"
    assert len(bulk) == 2
    assert [(sent.method, sent.path) for sent in api.sent] == [
        ("GET", "/evaluation_sets/ev_1"),
        ("GET", "/evaluation_sets"),
        ("POST", "/evaluation_sets"),
        ("GET", "/evaluation_sets/ev_1/items"),
        ("POST", "/evaluation_set_items"),
        ("POST", "/evaluation_set_items/evi_1"),
        ("DELETE", "/evaluation_set_items/evi_1"),
        ("POST", "/evaluation_set_items/bulk"),
    ]
    with pytest.raises(ValueError, match=r"^evaluation_set_items\.bulk_create\(\): items must"):
        items.bulk_create("ev_1", items=[])


async def test_signatures_are_the_contract() -> None:
    names = {
        "evaluation_sets": {
            "get": ["id"],
            "list": ["processor_id", "sort_by", "sort_dir", "page_size"],
            "create": ["name", "description", "processor_id"],
        },
        "evaluation_set_items": {
            "list": ["evaluation_set_id", "sort_by", "sort_dir", "page_size"],
            "create": ["evaluation_set_id", "file_id", "expected_output"],
            "update": ["id", "expected_output"],
            "delete": ["id"],
            "bulk_create": ["evaluation_set_id", "items"],
        },
    }
    async with AsyncExtend("x") as async_client:
        with Extend("x") as sync_client:
            for client in (async_client, sync_client):
                shown = {
                    resource: {
                        method: list(
                            inspect.signature(getattr(getattr(client, resource), method)).parameters
                        )
                        for method in methods
                    }
                    for resource, methods in names.items()
                }
                assert shown == names
            create = inspect.signature(sync_client.evaluation_sets.create)

    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in create.parameters.values())
    assert create.return_annotation is EvaluationSet
