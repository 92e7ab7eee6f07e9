"""The fake's processors and versions, over a real socket, through the client."""

from __future__ import annotations

import aiohttp
import pytest

from extend_async import AsyncExtend, BadRequestError, NotFoundError
from extend_async.models import (
    ClassificationConfig,
    ExtractionConfig,
    ProcessorType,
    SplitterConfig,
)
from extend_async.testing import FakeExtendServer


async def test_listing_pages_through_every_processor(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    made = [fake.processors.add(name=f"p{n}") for n in range(25)]
    fake.processors.add(type="CLASSIFY")

    pager = client.processors.list(type="EXTRACT", page_size=10)
    sizes = [len(page.items) async for page in pager.pages()]
    seen = [processor.id async for processor in pager]

    assert sizes == [10, 10, 5]
    assert sorted(seen) == sorted(p.id for p in made)
    assert fake.requests["list_processors"] == 6  # three pages, walked twice


async def test_a_page_token_is_bound_to_its_filters(
    fake: FakeExtendServer,
    client: AsyncExtend,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
) -> None:
    for _ in range(3):
        fake.processors.add()
    first = await client.processors.list(page_size=2)
    assert first.next_page_token

    url = f"{fake.url}/processors"
    query = {"nextPageToken": first.next_page_token, "type": "CLASSIFY"}
    async with http.get(url, params=query, headers=headers) as response:
        body = await response.json()

    assert response.status == 400
    assert "other filters" in body["error"]


async def test_create_from_a_config_or_as_a_clone(client: AsyncExtend) -> None:
    made = await client.processors.create(
        name="Receipts", type="EXTRACT", config={"schema": {"type": "object"}}
    )
    copy = await client.processors.create(
        name="Receipts copy", type="EXTRACT", clone_processor_id=made.id
    )

    assert made.type is ProcessorType.EXTRACT
    assert made.draft_version.version == "draft"
    assert made.draft_version.config == ExtractionConfig(schema={"type": "object"})
    assert copy.draft_version.config == made.draft_version.config
    assert copy.id != made.id


async def test_create_errors_are_the_documented_ones(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    with pytest.raises(NotFoundError):
        await client.processors.create(name="x", type="EXTRACT", clone_processor_id="dp_nope")
    with pytest.raises(BadRequestError, match="does not match the processor's type"):
        await client.processors.create(
            name="x", type="CLASSIFY", config=ExtractionConfig(schema={})
        )


async def test_the_fake_refuses_unknown_request_keys(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    body = {"name": "x", "type": "EXTRACT", "config": {"type": "EXTRACT"}, "colour": "red"}

    async with http.post(f"{fake.url}/processors", json=body, headers=headers) as response:
        answer = await response.json()

    assert response.status == 400
    assert answer["success"] is False
    assert "colour" in answer["error"]


async def test_update_renames_and_replaces_the_draft(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add(type="SPLITTER")
    config = SplitterConfig(split_classifications=[], split_rules="one per invoice")

    renamed = await client.processors.update(processor.id, name="Packets")
    changed = await client.processors.update(processor.id, config=config)

    assert renamed.name == "Packets"
    assert renamed.draft_version.config == processor.draft_version.config
    assert changed.name == "Packets"
    assert changed.draft_version.config == config
    with pytest.raises(BadRequestError):
        await client.processors.update(
            processor.id, config=ClassificationConfig(classifications=[])
        )
    with pytest.raises(NotFoundError):
        await client.processors.update("dp_nope", name="x")


async def test_versions_are_published_numbered_and_listed(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    versions = client.processor_versions

    first = await versions.publish(processor.id, release_type="minor", description="first")
    second = await versions.publish(processor.id, release_type="minor")
    third = await versions.publish(processor.id, release_type="major")
    listed = await versions.list(processor.id)
    got = await versions.get(processor.id, second.id)

    assert [v.version for v in (first, second, third)] == ["1.0", "1.1", "2.0"]
    assert first.description == "first"
    assert [v.version for v in listed] == ["draft", "2.0", "1.1", "1.0"]
    assert got == second
    assert fake.processors.version(processor.id).id == third.id  # "latest"
    with pytest.raises(NotFoundError):
        await versions.get(processor.id, "dpv_nope")
    with pytest.raises(NotFoundError):
        await versions.list("dp_nope")


def test_the_blocking_client_pages_and_breaks_early() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        for _ in range(7):
            fake.processors.add()

        ids = [processor.id for processor in client.processors.list(page_size=3)]
        for _ in client.processors.list(page_size=3):
            break

        assert len(ids) == 7
        assert fake.requests["list_processors"] == 3 + 1  # the early break fetched one page
