"""Processors and versions: exactly what each method sends, and what it gives back."""

from __future__ import annotations

from typing import Any

import pytest
from resources.conftest import TOKEN, Api, example

from extend_async import AsyncExtend, Extend
from extend_async._version import user_agent
from extend_async.models import (
    NOT_GIVEN,
    ExtractionConfig,
    Page,
    Processor,
    ProcessorSummary,
    ProcessorType,
    ProcessorVersion,
    SortDirection,
)


async def test_list_sends_its_filters_and_gives_a_page(api: Api, client: Any) -> None:
    api.reply("GET", "/processors", example("list_processors"))

    async with client() as c:
        page = await c.processors.list(type="EXTRACT", sort_dir=SortDirection.ASC, page_size=2)

    assert isinstance(page, Page)
    assert all(isinstance(item, ProcessorSummary) for item in page.items)
    assert [p.id for p in page.items] == ["dp_Xj8mK2pL9nR4vT7qY5wZ", "dp_Bm8nQ2rL5pK9wF3dR7hY6"]
    assert page.next_page_token == "nextPageToken"
    sent = api.last
    assert (sent.method, sent.path) == ("GET", "/processors")
    assert sent.query == {"type": "EXTRACT", "sortDir": "asc", "maxPageSize": "2"}
    assert sent.json is None


async def test_create_sends_a_config_model_or_mapping_alike(api: Api, client: Any) -> None:
    api.reply("POST", "/processors", example("create_processor"))
    schema = {"type": "object", "properties": {"total": {"type": "number"}}}

    async with client() as c:
        made = await c.processors.create(
            name="Invoices", type=ProcessorType.EXTRACT, config=ExtractionConfig(schema=schema)
        )
        await c.processors.create(
            name="Invoices", type="EXTRACT", config={"type": "EXTRACT", "schema": schema}
        )

    assert isinstance(made, Processor)
    first, second = api.sent
    assert (first.method, first.path) == ("POST", "/processors")
    assert first.headers == {
        "Authorization": f"Bearer {TOKEN}",
        "x-extend-api-version": "2025-04-21",
        "User-Agent": user_agent(),
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    assert (
        first.json
        == second.json
        == {
            "name": "Invoices",
            "type": "EXTRACT",
            "config": {"type": "EXTRACT", "schema": schema},
        }
    )


async def test_create_as_a_clone(api: Api, client: Any) -> None:
    api.reply("POST", "/processors", example("create_processor"))

    async with client() as c:
        await c.processors.create(name="Copy", type="CLASSIFY", clone_processor_id="dp_src")

    assert api.last.json == {"name": "Copy", "type": "CLASSIFY", "cloneProcessorId": "dp_src"}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, r"give config or clone_processor_id, one of them"),
        (
            {"config": {"type": "EXTRACT"}, "clone_processor_id": "dp_1"},
            ValueError,
            r"give config or clone_processor_id, one of them",
        ),
        ({"clone_processor_id": 5}, TypeError, r"clone_processor_id: expected a string, got int"),
    ],
)
async def test_create_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message):
            await c.processors.create(name="x", type="EXTRACT", **kwargs)

    assert api.sent == []


async def test_update_leaves_out_what_is_not_given(api: Api, client: Any) -> None:
    api.reply("POST", "/processors/dp_1", example("update_processor"))

    async with client() as c:
        await c.processors.update("dp_1", name="Renamed")
        await c.processors.update("dp_1", name="Renamed", config=NOT_GIVEN)

    assert [sent.json for sent in api.sent] == [{"name": "Renamed"}, {"name": "Renamed"}]
    assert api.last.path == "/processors/dp_1"


async def test_publish_get_and_list_versions(api: Api, client: Any) -> None:
    api.reply("POST", "/processors/dp%2F1/publish", example("publish_processor_version"))
    api.reply("GET", "/processors/dp_1/versions/dpv_2", example("get_processor_version"))
    api.reply("GET", "/processors/dp_1/versions", example("list_processor_versions"))

    async with client() as c:
        published = await c.processor_versions.publish(
            "dp/1", release_type="major", description=None
        )
        one = await c.processor_versions.get("dp_1", "dpv_2")
        every = await c.processor_versions.list("dp_1")

    assert isinstance(published, ProcessorVersion)
    assert isinstance(one, ProcessorVersion)
    assert all(isinstance(v, ProcessorVersion) for v in every)
    publish, get, listed = api.sent
    assert publish.path == "/processors/dp%2F1/publish"  # an id is one path segment
    assert publish.json == {"releaseType": "major", "description": None}  # None is null
    assert (get.method, get.path, get.json) == ("GET", "/processors/dp_1/versions/dpv_2", None)
    assert (listed.method, listed.path) == ("GET", "/processors/dp_1/versions")


def test_the_blocking_twins(api: Api, sync_client: Extend) -> None:
    api.reply("GET", "/processors", example("list_processors"))
    api.reply("POST", "/processors/dp_1", example("update_processor"))

    first = sync_client.processors.list(type="EXTRACT").first_page()
    updated = sync_client.processors.update("dp_1", name="Renamed")

    assert len(first.items) == 2
    assert isinstance(updated, Processor)
    assert api.last.json == {"name": "Renamed"}


async def test_signatures_are_the_contract() -> None:
    import inspect

    async with AsyncExtend("x") as c:
        create = inspect.signature(c.processors.create)
        publish = inspect.signature(c.processor_versions.publish)

    assert list(create.parameters) == ["name", "type", "config", "clone_processor_id"]
    assert list(publish.parameters) == ["processor_id", "release_type", "description", "config"]
