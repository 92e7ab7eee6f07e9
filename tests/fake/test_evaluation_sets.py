"""The fake's evaluation sets and items, over a real socket, through both clients."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from extend_async import AsyncExtend, BadRequestError, NotFoundError
from extend_async._converter import converter
from extend_async.models import (
    BulkEvaluationSetItem,
    EvaluationSetItemDeleted,
    ExtractionConfig,
    ExtractionField,
    ProvidedClassifierOutput,
    ProvidedExtractionFieldResult,
    ProvidedFieldsArrayOutput,
    ProvidedJsonOutput,
    ProvidedProcessorOutput,
    ProvidedSplit,
    ProvidedSplitterOutput,
    SortDirection,
)
from extend_async.resources import evaluation_sets
from extend_async.testing import FakeExtendServer
from extend_async.testing._areas import AREA_CLASSES

INVOICE = {"value": {"vendor_name": "Acme", "total_amount": 1250.0}}


def test_every_endpoint_has_its_route_in_the_fake() -> None:
    routes = {entry.name: entry for area in AREA_CLASSES for entry in area.ROUTES}

    for endpoint in evaluation_sets.ENDPOINTS:
        served = routes[endpoint.operation]
        assert served.method == endpoint.method
        assert served.path.count("{") == endpoint.path.count("{")


# -- evaluation sets --------------------------------------------------------------------------


async def test_create_then_get_a_set(fake: FakeExtendServer, client: AsyncExtend) -> None:
    processor = fake.processors.add()

    made = await client.evaluation_sets.create(
        name="Q4 invoices", description="Vendor invoices", processor_id=processor.id
    )
    got = await client.evaluation_sets.get(made.id)

    assert got == made == fake.evaluation_sets.get(made.id)
    assert made.id.startswith("ev_")
    assert len(made.id) == len("ev_2LcgeY_mp2T5yPaEuq5Lw")
    assert (made.name, made.description, made.processor_id) == (
        "Q4 invoices",
        "Vendor invoices",
        processor.id,
    )
    assert made.created_at == made.updated_at == fake.evaluation_sets.get(made.id).created_at
    assert fake.evaluation_sets.items(made.id) == []


async def test_a_set_needs_a_processor_that_exists(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    with pytest.raises(NotFoundError, match="Processor 'dp_nope' not found") as raised:
        await client.evaluation_sets.create(name="x", description="", processor_id="dp_nope")
    with pytest.raises(NotFoundError, match="Evaluation set 'ev_nope' not found"):
        await client.evaluation_sets.get("ev_nope")

    assert raised.value.status_code == 404
    assert raised.value.body == {"success": False, "error": "Processor 'dp_nope' not found"}


async def test_listing_sets_pages_filters_and_sorts(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    mine = fake.processors.add()
    made = []
    for n in range(7):
        made.append(fake.evaluation_sets.add(processor_id=mine.id, name=f"set {n}"))
        fake.advance(1)
    fake.evaluation_sets.add()  # another processor's

    pager = client.evaluation_sets.list(processor_id=mine.id, sort_dir="asc", page_size=3)
    sizes = [len(page.items) async for page in pager.pages()]
    oldest_first = [found.name async for found in pager]
    newest_first = [
        found.name
        async for found in client.evaluation_sets.list(
            processor_id=mine.id, sort_dir=SortDirection.DESC
        )
    ]
    every = await client.evaluation_sets.list(page_size=100)
    none = await client.evaluation_sets.list(processor_id="dp_unknown")

    assert sizes == [3, 3, 1]
    assert oldest_first == [f"set {n}" for n in range(7)]
    assert newest_first == oldest_first[::-1]
    assert len(every.items) == 8
    assert every.next_page_token is None
    assert (none.items, none.next_page_token) == ([], None)
    assert fake.requests["list_evaluation_sets"] == 3 + 3 + 1 + 1 + 1


async def test_an_early_break_fetches_only_the_pages_it_needed(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    chosen = fake.evaluation_sets.add()
    for _ in range(10):
        fake.evaluation_sets.add_item(chosen.id)

    seen = []
    async for item in client.evaluation_set_items.list(chosen.id, page_size=3):
        seen.append(item.id)
        if len(seen) == 4:
            break

    assert seen == [item.id for item in fake.evaluation_sets.items(chosen.id)][:4]
    assert fake.requests["list_evaluation_set_items"] == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"sortBy": "name"}, "sortBy must be createdAt or updatedAt"),
        ({"sortDir": "up"}, "sortDir must be asc or desc"),
        ({"maxPageSize": "0"}, "maxPageSize must be a positive integer"),
        ({"nextPageToken": "made-up"}, "not a token this server issued"),
        ({"status": "PROCESSED"}, "unknown query parameters ['status']"),
    ],
)
async def test_the_list_queries_are_checked(
    fake: FakeExtendServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    query: dict[str, str],
    message: str,
) -> None:
    chosen = fake.evaluation_sets.add()

    for path in ("/evaluation_sets", f"/evaluation_sets/{chosen.id}/items"):
        async with http.get(fake.url + path, params=query, headers=headers) as response:
            body = await response.json()
        assert response.status == 400, path
        assert message in body["error"]


async def test_a_page_token_is_bound_to_its_set(
    fake: FakeExtendServer,
    client: AsyncExtend,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
) -> None:
    first, second = fake.evaluation_sets.add(), fake.evaluation_sets.add()
    for _ in range(3):
        fake.evaluation_sets.add_item(first.id)
    page = await client.evaluation_set_items.list(first.id, page_size=2)
    assert page.next_page_token

    url = f"{fake.url}/evaluation_sets/{second.id}/items"
    params = {"nextPageToken": page.next_page_token, "maxPageSize": "2"}
    async with http.get(url, params=params, headers=headers) as response:
        body = await response.json()

    assert response.status == 400
    assert "other filters" in body["error"]


# -- items -------------------------------------------------------------------------------------


async def test_create_update_and_delete_an_item(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    chosen = fake.evaluation_sets.add()
    file = fake.files.add("INV-1.pdf")
    items = client.evaluation_set_items

    made = await items.create(evaluation_set_id=chosen.id, file_id=file, expected_output=INVOICE)
    updated = await items.update(
        made.id, expected_output=ProvidedJsonOutput(value={"vendor_name": "Acme Corp"})
    )
    listed = [item async for item in items.list(chosen.id)]
    deleted = await items.delete(made.id)

    assert made.id.startswith("evi_")
    assert len(made.id) == len("evi_kR9mNP12Qw4yTv8BdR3H")
    assert (made.evaluation_set_id, made.file_id) == (chosen.id, file.id)
    assert made.expected_output == ProvidedJsonOutput(value=INVOICE["value"])
    assert updated.id == made.id
    assert updated.expected_output == ProvidedJsonOutput(value={"vendor_name": "Acme Corp"})
    assert listed == [updated]
    assert deleted == EvaluationSetItemDeleted(
        evaluation_set_item_id=made.id,
        message="Evaluation set item has been successfully deleted.",
    )
    assert fake.evaluation_sets.items(chosen.id) == []
    with pytest.raises(KeyError):
        fake.evaluation_sets.item(made.id)
    for call in (items.delete(made.id), items.update(made.id, expected_output=INVOICE)):
        with pytest.raises(NotFoundError, match=f"Evaluation set item '{made.id}' not found"):
            await call


async def test_items_sort_by_when_they_were_created_or_updated(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    chosen = fake.evaluation_sets.add()
    first = fake.evaluation_sets.add_item(chosen.id)
    fake.advance(5)
    second = fake.evaluation_sets.add_item(chosen.id)
    fake.advance(5)
    await client.evaluation_set_items.update(first.id, expected_output={"value": {}})

    async def order(**query: Any) -> list[str]:
        return [item.id async for item in client.evaluation_set_items.list(chosen.id, **query)]

    assert await order(sort_by="createdAt", sort_dir="asc") == [first.id, second.id]
    assert await order(sort_by="createdAt", sort_dir="desc") == [second.id, first.id]
    assert await order(sort_by="updatedAt", sort_dir="desc") == [first.id, second.id]


async def test_an_item_needs_its_set_and_its_file(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    chosen = fake.evaluation_sets.add()
    file = fake.files.add()
    items = client.evaluation_set_items

    with pytest.raises(NotFoundError, match="Evaluation set 'ev_nope' not found"):
        await items.create(evaluation_set_id="ev_nope", file_id=file, expected_output=INVOICE)
    with pytest.raises(NotFoundError, match="fileId: file 'file_nope' not found"):
        await items.create(
            evaluation_set_id=chosen.id, file_id="file_nope", expected_output=INVOICE
        )
    with pytest.raises(NotFoundError, match="Evaluation set 'ev_nope' not found"):
        await items.list("ev_nope").first_page()
    with pytest.raises(NotFoundError, match="Evaluation set 'ev_nope' not found"):
        await items.bulk_create("ev_nope", items=[{"fileId": file.id, "expectedOutput": INVOICE}])

    assert fake.evaluation_sets.items(chosen.id) == []


async def test_bulk_create_makes_every_item_in_order(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    chosen = fake.evaluation_sets.add()
    files = [fake.files.add(f"INV-{n}.pdf") for n in range(30)]
    given = [
        BulkEvaluationSetItem(
            file_id=file.id, expected_output=ProvidedJsonOutput(value={"invoice_number": f"{n}"})
        )
        if n % 2
        else {"fileId": file.id, "expectedOutput": {"value": {"invoice_number": f"{n}"}}}
        for n, file in enumerate(files)
    ]

    made = await client.evaluation_set_items.bulk_create(chosen.id, items=given)

    assert [item.file_id for item in made] == [file.id for file in files]
    assert [item.expected_output for item in made] == [
        ProvidedJsonOutput(value={"invoice_number": f"{n}"}) for n in range(30)
    ]
    assert len({item.id for item in made}) == 30
    assert fake.evaluation_sets.items(chosen.id) == made


async def test_bulk_create_is_all_or_nothing(fake: FakeExtendServer, client: AsyncExtend) -> None:
    chosen = fake.evaluation_sets.add()
    good = {"fileId": fake.files.add().id, "expectedOutput": INVOICE}
    items = client.evaluation_set_items

    with pytest.raises(NotFoundError, match=r"items\[2\]\.fileId: file 'file_gone' not found"):
        await items.bulk_create(
            chosen.id, items=[good, good, {"fileId": "file_gone", "expectedOutput": INVOICE}]
        )
    with pytest.raises(BadRequestError, match=r"items\[1\]\.expectedOutput\.value: \['colour'\]"):
        await items.bulk_create(
            chosen.id,
            items=[good, {"fileId": good["fileId"], "expectedOutput": {"value": {"colour": 1}}}],
        )

    assert fake.evaluation_sets.items(chosen.id) == []


# -- the expected output must fit the processor ---------------------------------------------


@pytest.mark.parametrize(
    ("kind", "output", "message"),
    [
        (
            "EXTRACT",
            {"id": "invoice", "type": "INVOICE"},
            "expectedOutput: an EXTRACT processor takes an extraction output "
            "({value} or field results), got a classifier output",
        ),
        (
            "EXTRACT",
            {"value": {"vendor": "Acme"}},
            "expectedOutput.value: ['vendor'] are not fields of the processor (it has "
            "['currency', 'invoice_date', 'invoice_number', 'total_amount', 'vendor_name'])",
        ),
        (
            "EXTRACT",
            {"value": {"total_amount": "1,250.00"}},
            "expectedOutput.value.total_amount: expected number or null, got string",
        ),
        (
            "EXTRACT",
            {"vendor": {"id": "vendor", "value": "Acme"}},
            "expectedOutput: ['vendor'] are not fields of the processor",
        ),
        (
            "EXTRACT",
            {"invoice_date": {"id": "invoice_date", "value": 20240101}},
            "expectedOutput.invoice_date: expected string or null, got integer",
        ),
        (
            "CLASSIFY",
            {"value": {}},
            "expectedOutput: a CLASSIFY processor takes a classifier output {id, type}, "
            "got an extraction output",
        ),
        (
            "CLASSIFY",
            {"id": "memo", "type": "MEMO"},
            "expectedOutput.id: 'memo' is not a class of the processor "
            "(it has ['invoice', 'other', 'receipt'])",
        ),
        (
            "CLASSIFY",
            {"id": "invoice", "type": "invoice"},
            "expectedOutput.type: class 'invoice' has type 'INVOICE', got 'invoice'",
        ),
        (
            "SPLITTER",
            {"id": "invoice", "type": "INVOICE"},
            "expectedOutput: a SPLITTER processor takes a splitter output {splits}, "
            "got a classifier output",
        ),
        (
            "SPLITTER",
            {
                "splits": [
                    {"id": "s", "classificationId": "x", "type": "X", "startPage": 1, "endPage": 1}
                ]
            },
            "expectedOutput.splits[0].classificationId: 'x' is not a class of the processor",
        ),
        (
            "SPLITTER",
            {
                "splits": [
                    {
                        "id": "s",
                        "classificationId": "receipt",
                        "type": "RECEIPT",
                        "startPage": 3,
                        "endPage": 2,
                    }
                ]
            },
            "expectedOutput.splits[0].endPage: 2 is before its startPage 3",
        ),
        (
            "SPLITTER",
            {
                "splits": [
                    {
                        "id": "s",
                        "classificationId": "other",
                        "type": "OTHER",
                        "startPage": 0,
                        "endPage": 2,
                    }
                ]
            },
            "expectedOutput.splits[0].startPage: pages count from 1, got 0",
        ),
    ],
)
async def test_an_expected_output_that_does_not_fit_is_a_400(
    fake: FakeExtendServer, client: AsyncExtend, kind: str, output: Any, message: str
) -> None:
    chosen = fake.evaluation_sets.add(processor_id=fake.processors.add(type=kind).id)
    file = fake.files.add()
    item = fake.evaluation_sets.add_item(chosen.id)

    with pytest.raises(BadRequestError) as created:
        await client.evaluation_set_items.create(
            evaluation_set_id=chosen.id, file_id=file, expected_output=output
        )
    with pytest.raises(BadRequestError) as updated:
        await client.evaluation_set_items.update(item.id, expected_output=output)
    with pytest.raises(ValueError, match="expected_output"):
        fake.evaluation_sets.add_item(
            chosen.id, expected_output=converter.structure(output, ProvidedProcessorOutput)
        )

    assert message in str(created.value)
    assert message in str(updated.value)
    assert fake.evaluation_sets.items(chosen.id) == [item]  # nothing changed


async def test_outputs_that_fit_each_kind_of_processor(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fields = [
        ExtractionField(id="total", name="Total", type="number", description="Amount due"),
        ExtractionField(id="vendor", name="Vendor", type="string", description="Who sent it"),
    ]
    legacy = fake.processors.add(config=ExtractionConfig(fields=fields))
    free = fake.processors.add(config=ExtractionConfig(schema={"type": "object"}))
    outputs = {
        fake.processors.add().id: ProvidedJsonOutput(
            value={"vendor_name": None, "total_amount": 3}
        ),
        legacy.id: ProvidedFieldsArrayOutput.of(
            {"total": ProvidedExtractionFieldResult(id="total", value=12.5, type="number")}
        ),
        free.id: ProvidedJsonOutput(value={"anything": ["goes"]}),
        fake.processors.add(type="CLASSIFY").id: ProvidedClassifierOutput(
            id="receipt", type="RECEIPT", confidence=0.9
        ),
        fake.processors.add(type="SPLITTER").id: ProvidedSplitterOutput(
            splits=[
                ProvidedSplit(
                    id="a", classification_id="invoice", type="INVOICE", start_page=1, end_page=2
                ),
                ProvidedSplit(
                    id="b", classification_id="other", type="OTHER", start_page=3, end_page=3
                ),
            ]
        ),
    }

    for processor_id, output in outputs.items():
        chosen = fake.evaluation_sets.add(processor_id=processor_id)
        made = await client.evaluation_set_items.create(
            evaluation_set_id=chosen.id, file_id=fake.files.add(), expected_output=output
        )
        assert made.expected_output == output

    with pytest.raises(
        BadRequestError, match=r"expectedOutput\.total: the field is of type number"
    ):
        await client.evaluation_set_items.create(
            evaluation_set_id=fake.evaluation_sets.add(processor_id=legacy.id).id,
            file_id=fake.files.add(),
            expected_output={"total": {"id": "total", "value": "12", "type": "string"}},
        )


async def test_the_fake_refuses_unknown_and_wrong_fields(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    chosen = fake.evaluation_sets.add()
    file_id = fake.files.add().id
    item = fake.evaluation_sets.add_item(chosen.id)
    processor_id = chosen.processor_id
    cases = [
        (
            "/evaluation_sets",
            {"name": "x", "description": "", "processorId": processor_id, "x": 1},
            "x",
        ),
        ("/evaluation_sets", {"name": "x", "processorId": processor_id}, "description"),
        ("/evaluation_sets", {"name": " ", "description": "", "processorId": processor_id}, "name"),
        ("/evaluation_sets", {"name": 3, "description": "", "processorId": processor_id}, "name"),
        (
            "/evaluation_set_items",
            {
                "evaluationSetId": chosen.id,
                "fileId": file_id,
                "expectedOutput": {"value": {}},
                "x": 1,
            },
            "x",
        ),
        (
            "/evaluation_set_items",
            {"evaluationSetId": chosen.id, "fileId": file_id},
            "expectedOutput",
        ),
        (
            "/evaluation_set_items",
            {
                "evaluationSetId": chosen.id,
                "fileId": file_id,
                "expectedOutput": {"value": {}, "note": 1},
            },
            "note",
        ),
        (
            "/evaluation_set_items",
            {
                "evaluationSetId": chosen.id,
                "fileId": file_id,
                "expectedOutput": {"vendor_name": "Acme"},
            },
            "got keys ['vendor_name']",
        ),
        (
            f"/evaluation_set_items/{item.id}",
            {"expectedOutput": {"value": {}}, "fileId": file_id},
            "fileId",
        ),
        ("/evaluation_set_items/bulk", {"evaluationSetId": chosen.id, "items": []}, "at least one"),
        (
            "/evaluation_set_items/bulk",
            {"evaluationSetId": chosen.id, "items": [{"fileId": file_id}]},
            "expectedOutput",
        ),
        (
            "/evaluation_set_items/bulk",
            {
                "evaluationSetId": chosen.id,
                "items": [{"fileId": file_id, "expectedOutput": {"value": {}}, "y": 2}],
            },
            "y",
        ),
    ]

    for path, body, named in cases:
        async with http.post(fake.url + path, json=body, headers=headers) as response:
            answer = await response.json()
        assert response.status == 400, (path, body)
        assert answer["success"] is False
        assert named in answer["error"], (answer, named)
    assert fake.evaluation_sets.items(chosen.id) == [item]
    assert [found.id async for found in _sets(fake)] == [chosen.id]


async def _sets(fake: FakeExtendServer) -> Any:
    async with fake.client() as client:
        async for found in client.evaluation_sets.list():
            yield found


#: A bad argument of every method, each refused by both clients before it is sent.
BAD_CALLS: list[tuple[str, str, tuple[Any, ...], dict[str, Any], str]] = [
    ("evaluation_sets", "get", ("",), {}, "id must be a non-empty string"),
    ("evaluation_sets", "list", (), {"page_size": 0}, "page_size must be an int >= 1"),
    ("evaluation_sets", "list", (), {"processor_id": 5.5}, "processor_id must be a string"),
    (
        "evaluation_sets",
        "create",
        (),
        {"name": "x", "description": None, "processor_id": "dp"},
        "description: expected a string, got null",
    ),
    (
        "evaluation_sets",
        "create",
        (),
        {"name": "x", "description": "", "processor_id": ""},
        "processor_id must be a non-empty string",
    ),
    ("evaluation_set_items", "list", ("ev_1",), {"sort_by": 1.5}, "sort_by must be a string"),
    (
        "evaluation_set_items",
        "create",
        (),
        {
            "evaluation_set_id": "ev_1",
            "file_id": "https://x.test/a.pdf",
            "expected_output": INVOICE,
        },
        "not a URL",
    ),
    (
        "evaluation_set_items",
        "create",
        (),
        {"evaluation_set_id": 3, "file_id": "file_1", "expected_output": INVOICE},
        "evaluation_set_id: expected a string, got int",
    ),
    (
        "evaluation_set_items",
        "update",
        ("evi_1",),
        {"expected_output": {"total": 3}},
        "expected_output is none of the provided output shapes",
    ),
    ("evaluation_set_items", "delete", ("",), {}, "id must be a non-empty string"),
    ("evaluation_set_items", "bulk_create", ("ev_1",), {"items": []}, "items must hold"),
    (
        "evaluation_set_items",
        "bulk_create",
        ("ev_1",),
        {"items": [{"fileId": "file_1", "expectedOutput": {"splits": "all"}}]},
        "items[0].expected_output is none of the provided output shapes",
    ),
]


async def attempt(call: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The call, awaited (a pager is refused when made, a request when awaited)."""
    await call(*args, **kwargs)


@pytest.mark.parametrize(("resource", "method", "args", "kwargs", "message"), BAD_CALLS)
async def test_bad_arguments_never_reach_the_fake(
    fake: FakeExtendServer,
    client: AsyncExtend,
    resource: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    message: str,
) -> None:
    call = getattr(getattr(client, resource), method)

    with pytest.raises((TypeError, ValueError)) as raised:
        await attempt(call, args, kwargs)

    said = str(raised.value)
    assert message in said
    # Named by the method called, or for a path id by the request it would have made.
    assert said.startswith((f"{resource}.{method}()", "GET /", "DELETE /"))
    assert fake.request_log == []


def test_bad_arguments_never_reach_the_fake_from_the_blocking_client() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        for resource, method, args, kwargs, message in BAD_CALLS:
            call = getattr(getattr(client, resource), method)
            with pytest.raises((TypeError, ValueError)) as raised:
                call(*args, **kwargs)  # a pager too is refused when made
            assert message in str(raised.value), (resource, method)

        assert fake.request_log == []


# -- seeding -----------------------------------------------------------------------------------


def test_seeding_checks_what_it_is_given(fake: FakeExtendServer) -> None:
    sets = fake.evaluation_sets
    chosen = sets.add(id="ev_fixed", name="Golden", description="By hand")

    with pytest.raises(ValueError, match="already exists"):
        sets.add(id="ev_fixed")
    with pytest.raises(KeyError):
        sets.add(processor_id="dp_nope")
    with pytest.raises(KeyError):
        sets.add_item("ev_nope")
    with pytest.raises(KeyError):
        sets.add_item(chosen.id, file_id="file_nope")
    item = sets.add_item(chosen.id, id="evi_fixed", file_id=fake.files.add(id="file_fixed").id)
    with pytest.raises(ValueError, match="already exists"):
        sets.add_item(chosen.id, id="evi_fixed")

    assert (chosen.name, chosen.description) == ("Golden", "By hand")
    assert fake.processors.get(chosen.processor_id).type == "EXTRACT"
    assert (item.id, item.file_id) == ("evi_fixed", "file_fixed")
    assert isinstance(item.expected_output, ProvidedJsonOutput)
    assert set(item.expected_output.value) == {
        "vendor_name",
        "invoice_number",
        "invoice_date",
        "total_amount",
        "currency",
    }
    assert sets.item("evi_fixed") == item


def test_seeded_outputs_fit_every_kind_of_processor(fake: FakeExtendServer) -> None:
    fields = [ExtractionField(id="total", name="Total", type="number", description="")]
    kinds = {
        "CLASSIFY": ProvidedClassifierOutput,
        "SPLITTER": ProvidedSplitterOutput,
    }
    for kind, shape in kinds.items():
        chosen = fake.evaluation_sets.add(processor_id=fake.processors.add(type=kind).id)
        assert isinstance(fake.evaluation_sets.add_item(chosen.id).expected_output, shape)
    legacy = fake.processors.add(config=ExtractionConfig(fields=fields))
    chosen = fake.evaluation_sets.add(processor_id=legacy.id)
    output = fake.evaluation_sets.add_item(chosen.id).expected_output

    assert isinstance(output, ProvidedFieldsArrayOutput)
    assert list(output.fields) == ["total"]
    assert output.fields["total"].type == "number"


def test_the_same_seed_gives_the_same_sets() -> None:
    def story(fake: FakeExtendServer) -> list[Any]:
        chosen = fake.evaluation_sets.add()
        return [chosen, *(fake.evaluation_sets.add_item(chosen.id) for _ in range(3))]

    first, second = FakeExtendServer(seed=5), FakeExtendServer(seed=5)

    assert story(first) == story(second)
    assert story(first) != story(FakeExtendServer(seed=6))


# -- the blocking client -----------------------------------------------------------------------


def test_the_blocking_client_through_every_endpoint() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        processor = fake.processors.add(type="CLASSIFY")
        sets, items = client.evaluation_sets, client.evaluation_set_items
        made = sets.create(name="Receipts", description="", processor_id=processor.id)
        files = [fake.files.add(f"r{n}.pdf") for n in range(7)]
        receipt = {"id": "receipt", "type": "RECEIPT"}

        one = items.create(evaluation_set_id=made.id, file_id=files[0], expected_output=receipt)
        bulk = items.bulk_create(
            made.id, items=[{"fileId": f.id, "expectedOutput": receipt} for f in files[1:]]
        )
        changed = items.update(
            one.id, expected_output=ProvidedClassifierOutput(id="other", type="OTHER")
        )
        walked = [item.id for item in items.list(made.id, page_size=2)]
        sizes = [len(page.items) for page in items.list(made.id, page_size=3).pages()]
        for _ in items.list(made.id, page_size=2):
            break
        gone = items.delete(bulk[0].id)
        with pytest.raises(NotFoundError):
            items.delete(bulk[0].id)
        with pytest.raises(BadRequestError, match=r"expectedOutput\.id: 'memo'"):
            items.update(one.id, expected_output={"id": "memo", "type": "MEMO"})

        assert sets.get(made.id) == made
        assert [found.id for found in sets.list(processor_id=processor.id)] == [made.id]
        assert changed.expected_output == ProvidedClassifierOutput(id="other", type="OTHER")
        assert walked == [one.id, *(item.id for item in bulk)]
        assert sizes == [3, 3, 1]
        assert gone.evaluation_set_item_id == bulk[0].id
        assert len(fake.evaluation_sets.items(made.id)) == 6
        assert fake.requests["list_evaluation_set_items"] == 4 + 3 + 1
