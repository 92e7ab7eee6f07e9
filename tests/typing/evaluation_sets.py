"""Type-checked, never run: evaluation sets and their items as users write them (mypy --strict)."""

from __future__ import annotations

from typing_extensions import assert_type

from extend_async import APIResponse, AsyncExtend, Extend
from extend_async._sync_bridge import SyncPager
from extend_async.models import (
    BulkEvaluationSetItem,
    EvaluationSet,
    EvaluationSetItem,
    EvaluationSetItemDeleted,
    File,
    Page,
    ProvidedClassifierOutput,
    ProvidedJsonOutput,
    SortBy,
)
from extend_async.pagination import AsyncPager
from extend_async.testing import FakeExtendServer


async def async_usage(client: AsyncExtend, uploaded: File) -> None:
    sets, items = client.evaluation_sets, client.evaluation_set_items
    made = await sets.create(name="Golden", description="", processor_id="dp_1")
    assert_type(made, EvaluationSet)
    assert_type(await sets.get("ev_1"), EvaluationSet)
    pager = sets.list(processor_id="dp_1", sort_by=SortBy.CREATED_AT, page_size=50)
    assert_type(pager, AsyncPager[EvaluationSet])
    assert_type(await pager, Page[EvaluationSet])
    item = await items.create(
        evaluation_set_id="ev_1", file_id=uploaded, expected_output=ProvidedJsonOutput({})
    )
    assert_type(item, EvaluationSetItem)
    assert_type(
        await items.create(evaluation_set_id="ev_1", file_id="file_1", expected_output={}),
        EvaluationSetItem,
    )
    async for one in items.list("ev_1", sort_dir="asc"):
        assert_type(one, EvaluationSetItem)
    changed = await items.update("evi_1", expected_output=ProvidedClassifierOutput("a", "A"))
    assert_type(changed, EvaluationSetItem)
    assert_type(await items.delete("evi_1"), EvaluationSetItemDeleted)
    bulk = await items.bulk_create(
        "ev_1",
        items=[
            BulkEvaluationSetItem(file_id="file_1", expected_output=ProvidedJsonOutput({})),
            {"fileId": "file_2", "expectedOutput": {"value": {}}},
        ],
    )
    assert_type(bulk, list[EvaluationSetItem])
    raw = await items.bulk_create.raw("ev_1", items=[])
    assert_type(raw, APIResponse[list[EvaluationSetItem]])


def sync_usage(client: Extend) -> None:
    sets, items = client.evaluation_sets, client.evaluation_set_items
    assert_type(sets.create(name="x", description="", processor_id="dp_1"), EvaluationSet)
    assert_type(sets.list(), SyncPager[EvaluationSet])
    for found in sets.list(processor_id="dp_1"):
        assert_type(found, EvaluationSet)
    assert_type(items.list("ev_1").first_page(), Page[EvaluationSetItem])
    assert_type(items.update("evi_1", expected_output={"value": {}}), EvaluationSetItem)
    assert_type(items.delete("evi_1"), EvaluationSetItemDeleted)
    assert_type(items.bulk_create("ev_1", items=[]), list[EvaluationSetItem])


def fake_usage(fake: FakeExtendServer) -> None:
    made = fake.evaluation_sets.add(processor_id=fake.processors.add().id)
    assert_type(made, EvaluationSet)
    item = fake.evaluation_sets.add_item(made.id, expected_output=ProvidedJsonOutput({}))
    assert_type(item, EvaluationSetItem)
    assert_type(fake.evaluation_sets.items(made.id), list[EvaluationSetItem])


def wrong_usage(client: Extend) -> None:
    client.evaluation_sets.create(name="x", description="")  # type: ignore[call-arg]
    client.evaluation_sets.create("x", "", "dp_1")  # type: ignore[call-arg]
    client.evaluation_sets.get(1)  # type: ignore[arg-type]
    client.evaluation_set_items.create(  # type: ignore[call-arg]
        evaluation_set_id="ev_1", file_id="file_1"
    )
    client.evaluation_set_items.update("evi_1", expected_output="x")  # type: ignore[arg-type]
    client.evaluation_set_items.bulk_create("ev_1")  # type: ignore[call-arg]
    client.evaluation_set_items.list()  # type: ignore[call-arg]
