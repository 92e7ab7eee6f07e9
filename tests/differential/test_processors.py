"""Differential check, processors and versions (rows 7 to 12): List, Create, Update,
Publish, Get Version and List Versions.

Configs go in as the official SDK's own request types; what the fake stores must be
the config sent, and what the official client reads back must be what the fake holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from extend_async import to_dict
from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")

from differential._configs import WIRE_CONFIGS, ours  # noqa: E402
from differential._support import pages  # noqa: E402

_TYPE_SUFFIX = {"EXTRACT": "Extract", "CLASSIFY": "Classify", "SPLITTER": "Splitter"}


def request_config(family: str, processor_type: str, wire: dict[str, Any]) -> Any:
    """The config as the official SDK's request type of ``family``, e.g.
    ``ProcessorCreateRequestConfig`` -> ``ProcessorCreateRequestConfig_Extract``."""
    return getattr(extend_ai, f"{family}_{_TYPE_SUFFIX[processor_type]}").model_validate(wire)


def stored_config(fake: FakeExtendServer, processor_id: str) -> dict[str, Any]:
    return to_dict(fake.processors.get(processor_id).draft_version.config)


@pytest.mark.parametrize("kind", list(WIRE_CONFIGS))
def test_creating_a_processor_of_each_kind(
    fake: FakeExtendServer, official: Official, kind: str
) -> None:
    processor_type, wire = WIRE_CONFIGS[kind]

    got = official.call(
        "create_processor",
        official.client.processor.create,
        name=f"A {kind} processor",
        type=processor_type,
        config=request_config("ProcessorCreateRequestConfig", processor_type, wire),
    ).processor

    held = fake.processors.get(got.id)
    assert stored_config(fake, got.id) == wire  # what the official client sent, kept whole
    assert (got.name, got.type) == (f"A {kind} processor", processor_type)
    assert got.draft_version.version == "draft"
    assert got.draft_version.processor_id == got.id
    assert got.draft_version.processor_type == processor_type
    assert type(got.draft_version.config).__name__ == (
        f"ProcessorVersionConfig_{_TYPE_SUFFIX[processor_type]}"
    )
    official.agree(got, held)


def test_cloning_a_processor(fake: FakeExtendServer, official: Official) -> None:
    processor_type, wire = WIRE_CONFIGS["splitter"]
    source = fake.processors.add(type=processor_type, config=ours(wire))

    got = official.call(
        "create_processor",
        official.client.processor.create,
        name="Copy",
        type=processor_type,
        clone_processor_id=source.id,
    ).processor

    assert got.id != source.id
    assert got.draft_version.config.split_rules == wire["splitRules"]
    assert stored_config(fake, got.id) == wire
    official.agree(got, fake.processors.get(got.id))


@pytest.mark.parametrize(
    "change", ["name", "config", "both"], ids=["name", "config", "name-and-config"]
)
def test_updating_a_processor(fake: FakeExtendServer, official: Official, change: str) -> None:
    processor = fake.processors.add(type="CLASSIFY", name="Before")
    _, wire = WIRE_CONFIGS["classify"]
    fields: dict[str, Any] = {}
    if change in ("name", "both"):
        fields["name"] = "After"
    if change in ("config", "both"):
        fields["config"] = request_config("ProcessorUpdateRequestConfig", "CLASSIFY", wire)

    got = official.call(
        "update_processor", official.client.processor.update, processor.id, **fields
    ).processor

    assert got.name == ("Before" if change == "config" else "After")
    assert got.draft_version.processor_name == got.name
    if change != "name":
        assert stored_config(fake, processor.id) == wire
        assert got.draft_version.config.classification_rules == wire["classificationRules"]
    official.agree(got, fake.processors.get(processor.id))


def test_publishing_versions_then_reading_them_back(
    fake: FakeExtendServer, official: Official
) -> None:
    processor_type, wire = WIRE_CONFIGS["extract-fields"]
    processor = fake.processors.add(type=processor_type)
    publish = official.client.processor_version.create

    first = official.call(
        "publish_processor_version", publish, processor.id, release_type="minor"
    ).processor_version
    second = official.call(
        "publish_processor_version",
        publish,
        processor.id,
        release_type="minor",
        description="Field list instead of a schema",
        config=request_config("ProcessorVersionCreateRequestConfig", processor_type, wire),
    ).processor_version
    third = official.call(
        "publish_processor_version", publish, processor.id, release_type="major"
    ).processor_version

    assert [first.version, second.version, third.version] == ["1.0", "1.1", "2.0"]
    assert second.description == "Field list instead of a schema"
    assert [field.id for field in second.config.fields] == [f["id"] for f in wire["fields"]]
    assert first.config.schema_ is not None  # the draft's config: the invoice schema
    for version in (first, second, third):
        official.agree(version, fake.processors.version(processor.id, version.id))

    listed = official.call(
        "list_processor_versions", official.client.processor_version.list, processor.id
    ).versions
    assert [version.version for version in listed] == ["draft", "2.0", "1.1", "1.0"]
    for version in listed:
        official.agree(version, fake.processors.version(processor.id, version.id))

    for version in listed:
        got = official.call(
            "get_processor_version",
            official.client.processor_version.get,
            processor.id,
            version.id,
        ).version
        assert got.id == version.id
        assert got.version == version.version
        official.agree(got, fake.processors.version(processor.id, version.id))


def test_versions_of_each_kind_of_processor(fake: FakeExtendServer, official: Official) -> None:
    for processor_type, wire in WIRE_CONFIGS.values():
        processor = fake.processors.add(type=processor_type, config=ours(wire), published=2)

        listed = official.call(
            "list_processor_versions", official.client.processor_version.list, processor.id
        ).versions

        assert [version.version for version in listed] == ["draft", "1.1", "1.0"]
        assert {version.processor_type for version in listed} == {processor_type}
        for version in listed:
            assert type(version.config).__name__ == (
                f"ProcessorVersionConfig_{_TYPE_SUFFIX[processor_type]}"
            )
            official.agree(version, fake.processors.version(processor.id, version.id))


def test_an_unknown_version_or_processor(fake: FakeExtendServer, official: Official) -> None:
    processor = fake.processors.add()

    official.fails(
        "get_processor_version",
        404,
        extend_ai.NotFoundError,
        official.client.processor_version.get,
        processor.id,
        "dpv_missing",
    )
    official.fails(
        "list_processor_versions",
        404,
        extend_ai.NotFoundError,
        official.client.processor_version.list,
        "dp_missing",
    )
    official.fails(
        "update_processor",
        404,
        extend_ai.NotFoundError,
        official.client.processor.update,
        "dp_missing",
        name="x",
    )


@pytest.fixture
def processors(fake: FakeExtendServer) -> list[str]:
    """Eight processors of the three types, some with published versions, oldest first."""
    ids = []
    for n in range(8):
        processor_type = ("EXTRACT", "CLASSIFY", "SPLITTER")[n % 3]
        ids.append(fake.processors.add(type=processor_type, published=n % 3).id)
        fake.advance(60.0)  # one a minute: an order to sort by
    return ids


def listed(official: Official, page_size: int, **filters: Any) -> tuple[list[Any], int]:
    """Every listed processor over every page, and the number of pages."""

    def fetch(token: str | None) -> Any:
        return official.call(
            "list_processors",
            official.client.processor.list,
            max_page_size=page_size,
            next_page_token=token,
            **filters,
        )

    got = list(pages(fetch, lambda page: page.next_page_token))
    return [processor for page in got for processor in page.processors], len(got)


def test_listing_processors_page_by_page(
    fake: FakeExtendServer, official: Official, processors: list[str]
) -> None:
    got, count = listed(official, 3)

    assert count == 3
    assert [processor.id for processor in got] == list(reversed(processors))
    for summary in got:
        held = fake.processors.get(summary.id)
        assert (summary.name, summary.type) == (held.name, str(held.type))
        assert summary.created_at == held.created_at
        assert summary.updated_at == held.updated_at
        versions = [fake.processors.version(summary.id, v.id) for v in summary.versions]
        assert [v.version for v in summary.versions] == [v.version for v in versions]
        assert summary.versions[0].version == "draft"


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"type": "CLASSIFY"}, lambda n: n % 3 == 1),
        ({"sort_dir": "asc"}, lambda n: True),
        ({"type": "SPLITTER", "sort_by": "updatedAt", "sort_dir": "asc"}, lambda n: n % 3 == 2),
    ],
    ids=["type", "oldest-first", "type-by-update"],
)
def test_listing_processors_with_filters(
    official: Official, processors: list[str], filters: dict[str, str], keep: Any
) -> None:
    got, _ = listed(official, 2, **filters)

    expected = [processors[n] for n in range(8) if keep(n)]
    if filters.get("sort_dir") != "asc":
        expected.reverse()
    assert [processor.id for processor in got] == expected
