"""Differential check, processor runs (rows 1 to 5): Run, Get, List, Cancel, Delete.

Every processor type and config kind in every state a run can be in, read by the
official SDK from the fake and compared with what the fake holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest

from extend_async.models import (
    ExtractionOutputEdit,
    ProcessorRunCredits,
    ProcessorRunStatus,
)
from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")

from differential._configs import WIRE_CONFIGS, ours  # noqa: E402
from differential._support import EMPTY_AS_JSON, FIELDS_AS_JSON, pages  # noqa: E402

START = datetime(2025, 4, 21, 9, 0, tzinfo=timezone.utc)

#: How each state is seeded (the keywords of ``fake.processor_runs.add``).
STATES: dict[str, dict[str, Any]] = {
    "pending": {"processing_after": 5.0, "finish_after": 10.0},
    "processing": {"status": "PROCESSING"},
    "processed": {},
    "failed": {"status": "FAILED"},
    "cancelled": {"status": "CANCELLED"},
}


def official_output_type(kind: str) -> Any:
    """The official model a finished run's output of this config kind is read into."""
    return {
        "extract-schema": extend_ai.JsonOutput,
        "extract-fields": dict,  # FieldsArrayOutput: field id -> ExtractionFieldResult
        "classify": extend_ai.ClassifierOutput,
        "splitter": extend_ai.SplitterOutput,
    }[kind]


OFFICIAL_CONFIG = {
    "EXTRACT": "ProcessorRunConfig_Extract",
    "CLASSIFY": "ProcessorRunConfig_Classify",
    "SPLITTER": "ProcessorRunConfig_Splitter",
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("kind", list(WIRE_CONFIGS))
def test_every_kind_of_run_in_every_state(
    fake: FakeExtendServer, official: Official, kind: str, state: str
) -> None:
    processor_type, wire = WIRE_CONFIGS[kind]
    processor = fake.processors.add(type=processor_type, config=ours(wire), published=1)
    run = fake.processor_runs.add(
        processor_id=processor.id, file_name=f"{kind}-{state}.pdf", **STATES[state]
    )

    got = official.call(
        "get_processor_run", official.client.processor_run.get, run.id
    ).processor_run

    held = fake.processor_runs.get(run.id)
    assert got.id == run.id
    assert got.status == state.upper() == str(held.status)
    assert got.type == processor_type
    assert got.processor_id == processor.id
    assert got.processor_version_id == fake.processors.version(processor.id).id
    assert got.processor_name == processor.name
    assert type(got.config).__name__ == OFFICIAL_CONFIG[processor_type]
    assert got.files[0].name == f"{kind}-{state}.pdf"
    if state == "processed":
        assert isinstance(got.output, official_output_type(kind))
        assert isinstance(got.initial_output, official_output_type(kind))
        assert got.usage is not None
        assert got.usage.credits == held.usage.credits  # type: ignore[union-attr]
    else:
        assert got.output == {}  # the reference: `{}` while not finished
        assert got.usage is None
    if state == "failed":
        assert got.failure_reason == held.failure_reason is not None
        assert got.failure_message == held.failure_message is not None
    official.agree(got, held)


def test_the_outputs_values_and_citations_come_through(
    fake: FakeExtendServer, official: Official
) -> None:
    processor_type, wire = WIRE_CONFIGS["extract-schema"]
    processor = fake.processors.add(type=processor_type, config=ours(wire))
    held = fake.processor_runs.add(processor_id=processor.id)

    got = official.call(
        "get_processor_run", official.client.processor_run.get, held.id
    ).processor_run

    assert got.output.value == held.output.value  # type: ignore[attr-defined]
    for name, metadata in held.output.metadata.items():  # type: ignore[attr-defined]
        theirs = got.output.metadata[name]
        assert theirs.ocr_confidence == metadata.ocr_confidence
        assert [c.reference_text for c in theirs.citations] == [
            c.reference_text for c in metadata.citations
        ]
        assert [(p.x, p.y) for p in theirs.citations[0].polygon] == [
            (p.x, p.y) for p in metadata.citations[0].polygon
        ]


def test_a_reviewed_run_with_edits_metadata_and_a_source(
    fake: FakeExtendServer, official: Official
) -> None:
    processor_type, wire = WIRE_CONFIGS["extract-fields"]
    processor = fake.processors.add(type=processor_type, config=ours(wire))
    edits = {
        "balance": ExtractionOutputEdit(
            original_value="10.00", edited_value="100.00", notes="misread", page=2.0
        ),
        "holder": ExtractionOutputEdit(original_value=None, edited_value="A. Jones"),
    }
    held = fake.processor_runs.add(
        processor_id=processor.id,
        reviewed=True,
        edited=True,
        edits=edits,
        metadata={"customer": {"id": "c-1", "tags": ["a", "b"]}, "priority": 3},
        usage=ProcessorRunCredits(credits=4.5),
        source="WORKFLOW_RUN",
        source_id="workflow_run_abc",
    )

    got = official.call(
        "get_processor_run", official.client.processor_run.get, held.id
    ).processor_run

    assert got.reviewed is True
    assert got.edited is True
    assert sorted(got.edits) == ["balance", "holder"]
    assert got.edits["balance"].edited_value == "100.00"
    assert got.edits["balance"].notes == "misread"
    assert got.metadata == {"customer": {"id": "c-1", "tags": ["a", "b"]}, "priority": 3}
    assert got.usage.credits == 4.5
    field = got.output["lines"]
    assert isinstance(field, extend_ai.ExtractionFieldResult)
    assert field.type == "array"
    official.agree(got, fake.processor_runs.get(held.id))


@pytest.mark.parametrize(
    ("kind", "request_fields"),
    [
        ("extract-schema", {"raw_text": "Invoice INV-7 from Acme, total 120.00 USD"}),
        (
            "extract-fields",
            {
                "file": {"fileName": "Statement.pdf", "fileUrl": "https://example.com/s/1.pdf"},
                "priority": 10,
                "metadata": {"customerId": "cust_123", "extend:usage_tags": ["prod", "team-a"]},
            },
        ),
        ("classify", {"file": {"fileId": "file_given123"}, "version": "1.0"}),
        ("splitter", {"file": {"fileUrl": "https://example.com/packet.pdf"}, "version": "draft"}),
    ],
    ids=["raw-text", "file-url-metadata", "file-id-version", "draft-version"],
)
def test_runs_created_through_the_api_then_polled_to_the_end(
    fake: FakeExtendServer, official: Official, kind: str, request_fields: dict[str, Any]
) -> None:
    processor_type, wire = WIRE_CONFIGS[kind]
    processor = fake.processors.add(type=processor_type, config=ours(wire), published=1)

    created = official.call(
        "run_processor",
        official.client.processor_run.create,
        processor_id=processor.id,
        **request_fields,
    ).processor_run
    first = official.call("get_processor_run", official.client.processor_run.get, created.id)
    second = official.call("get_processor_run", official.client.processor_run.get, created.id)

    assert [created.status, first.processor_run.status, second.processor_run.status] == [
        "PROCESSING",
        "PROCESSING",
        "PROCESSED",
    ]
    held = fake.processor_runs.get(created.id)
    official.agree(second.processor_run, held)
    assert isinstance(second.processor_run.output, official_output_type(kind))
    version = request_fields.get("version", "latest")
    assert created.processor_version_id == fake.processors.version(processor.id, version).id
    if "metadata" in request_fields:
        assert created.metadata == {
            "customerId": "cust_123",
            "extend:usage_tags": ["prod", "team-a"],
        }
    if "fileId" in request_fields.get("file", {}):
        assert created.files[0].id == "file_given123"


def test_a_sync_run_with_a_config_of_its_own_comes_back_finished(
    fake: FakeExtendServer, official: Official
) -> None:
    processor = fake.processors.add(type="CLASSIFY")
    _, config = WIRE_CONFIGS["classify"]

    got = official.call(
        "run_processor",
        official.client.processor_run.create,
        processor_id=processor.id,
        file={"fileUrl": "https://example.com/receipt-44.pdf"},
        sync=True,
        config=config,
    ).processor_run

    assert got.status == "PROCESSED"
    assert isinstance(got.output, extend_ai.ClassifierOutput)
    assert got.output.id == "receipt"  # the file name names the class
    assert got.config.classification_rules == config["classificationRules"]
    official.agree(got, fake.processor_runs.get(got.id))


def test_a_sync_run_that_outlasts_the_wait_comes_back_unfinished(
    fake: FakeExtendServer, official: Official
) -> None:
    processor = fake.processors.add(type="SPLITTER")
    fake.processor_runs.sync_wait = 0

    got = official.call(
        "run_processor",
        official.client.processor_run.create,
        processor_id=processor.id,
        raw_text="page one\fpage two",
        sync=True,
    ).processor_run

    assert got.status == "PROCESSING"
    assert got.output == {}
    official.agree(got, fake.processor_runs.get(got.id))


@pytest.fixture
def seeded(fake: FakeExtendServer) -> list[str]:
    """23 runs over three processors, one created every minute, oldest first."""
    processors = [fake.processors.add(type=kind) for kind in ("EXTRACT", "CLASSIFY", "SPLITTER")]
    statuses = ["PROCESSED", "FAILED", "PROCESSING", "PROCESSED", "CANCELLED"]
    sources = ["API", "STUDIO", "WORKFLOW_RUN", "BATCH_PROCESSOR_RUN", "PLAYGROUND"]
    ids = []
    for n in range(23):
        run = fake.processor_runs.add(
            processor_id=processors[n % 3].id,
            status=statuses[n % 5],
            source=sources[n % 5],
            source_id=f"src_{n % 4}",
            file_name=f"{'invoice' if n % 2 else 'Receipt'}-{n:02d}.pdf",
            created_at=START + timedelta(minutes=n),
            updated_at=START + timedelta(minutes=60 - n),
        )
        ids.append(run.id)
    return ids


def listed(official: Official, page_size: int, **filters: Any) -> tuple[list[str], int]:
    """Every summary's id over every page, and the number of pages."""

    def fetch(token: str | None) -> Any:
        return official.call(
            "list_processor_runs",
            official.client.processor_run.list,
            max_page_size=page_size,
            next_page_token=token,
            **filters,
        )

    got = list(pages(fetch, lambda page: page.next_page_token))
    return [summary.id for page in got for summary in page.processor_runs], len(got)


def test_listing_every_page_by_its_token(
    fake: FakeExtendServer, official: Official, seeded: list[str]
) -> None:
    ids, count = listed(official, 10)

    assert count == 3
    assert ids == list(reversed(seeded))  # newest first by default
    first = official.call(
        "list_processor_runs", official.client.processor_run.list, max_page_size=10
    )
    assert first.next_page_token is not None
    summary = first.processor_runs[0]
    held = fake.processor_runs.get(summary.id)
    assert (summary.status, summary.processor_id, summary.processor_name) == (
        str(held.status),
        held.processor_id,
        held.processor_name,
    )
    assert summary.processor_version_id == held.processor_version_id
    assert summary.type == str(held.type)
    assert summary.created_at == START + timedelta(minutes=22)
    assert summary.updated_at == START + timedelta(minutes=38)
    usage = [(s.id, s.usage) for s in first.processor_runs]
    for run_id, credits in usage:
        expected = fake.processor_runs.get(run_id).usage
        assert (credits and credits.credits) == (expected and expected.credits)


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"status": "PROCESSED"}, lambda n: n % 5 in (0, 3)),
        ({"processor_type": "CLASSIFY"}, lambda n: n % 3 == 1),
        ({"source": "STUDIO"}, lambda n: n % 5 == 1),
        ({"source_id": "src_2"}, lambda n: n % 4 == 2),
        ({"file_name_contains": "RECEIPT"}, lambda n: n % 2 == 0),
        ({"status": "FAILED", "source": "STUDIO"}, lambda n: n % 5 == 1),
    ],
    ids=["status", "type", "source", "source-id", "file-name", "two-filters"],
)
def test_listing_with_filters(
    official: Official, seeded: list[str], filters: dict[str, str], keep: Any
) -> None:
    ids, _ = listed(official, 4, **filters)

    assert ids == [seeded[n] for n in reversed(range(23)) if keep(n)]


def test_listing_by_processor_and_in_either_order(
    fake: FakeExtendServer, official: Official, seeded: list[str]
) -> None:
    processor_id = fake.processor_runs.get(seeded[0]).processor_id

    by_processor, _ = listed(official, 5, processor_id=processor_id)
    oldest_first, _ = listed(official, 7, sort_dir="asc")
    least_updated, _ = listed(official, 7, sort_by="updatedAt", sort_dir="asc")

    assert by_processor == [seeded[n] for n in reversed(range(23)) if n % 3 == 0]
    assert oldest_first == seeded
    assert least_updated == list(reversed(seeded))


def test_cancelling_a_run_and_being_refused_for_a_finished_one(
    fake: FakeExtendServer, official: Official
) -> None:
    processor = fake.processors.add(type="EXTRACT")
    running = fake.processor_runs.add(processor_id=processor.id, finish_after=60.0)
    finished = fake.processor_runs.add(processor_id=processor.id)

    got = official.call(
        "cancel_processor_run", official.client.processor_run.cancel, running.id
    ).processor_run
    official.fails(
        "cancel_processor_run",
        400,
        extend_ai.BadRequestError,
        official.client.processor_run.cancel,
        finished.id,
    )

    assert got.status == "CANCELLED" == str(fake.processor_runs.get(running.id).status)
    assert got.output == {}
    official.agree(got, fake.processor_runs.get(running.id))
    assert fake.processor_runs.get(finished.id).status == ProcessorRunStatus.PROCESSED


def test_deleting_a_run(fake: FakeExtendServer, official: Official) -> None:
    processor = fake.processors.add(type="SPLITTER")
    run = fake.processor_runs.add(processor_id=processor.id)

    deleted = official.call("delete_processor_run", official.client.processor_run.delete, run.id)

    assert deleted.success is True
    assert deleted.document_processor_run_id == run.id
    assert deleted.message
    assert run.id not in {held.id for held in fake.processor_runs.all()}
    official.fails(
        "get_processor_run",
        404,
        extend_ai.NotFoundError,
        official.client.processor_run.get,
        run.id,
    )
    official.fails(
        "delete_processor_run",
        404,
        extend_ai.NotFoundError,
        official.client.processor_run.delete,
        run.id,
    )


def test_what_the_official_client_itself_makes_of_outputs_it_cannot_tell_apart(
    fake: FakeExtendServer, official: Official
) -> None:
    """extend-ai 0.2.0 builds its models without validating them, and takes the first
    member of the undiscriminated output union it can build: JsonOutput. A field-list
    output (the reference's FieldsArrayOutput) and the ``{}`` of a run still going both
    come out as a JsonOutput whose ``value`` is None. The body itself is valid for the
    SDK's types: pydantic's validation reads both as the reference describes them."""
    processor_type, wire = WIRE_CONFIGS["extract-fields"]
    processor = fake.processors.add(type=processor_type, config=ours(wire))
    finished = fake.processor_runs.add(processor_id=processor.id)
    running = fake.processor_runs.add(processor_id=processor.id, status="PROCESSING")

    validated = official.call("get_processor_run", official.client.processor_run.get, finished.id)
    theirs = official.client_result.processor_run.output  # type: ignore[attr-defined]

    assert official.misread == [
        ("$.processor_run.output", FIELDS_AS_JSON),
        ("$.processor_run.initial_output", FIELDS_AS_JSON),
    ]
    assert isinstance(validated.processor_run.output["holder"], extend_ai.ExtractionFieldResult)
    assert isinstance(theirs, extend_ai.JsonOutput)
    assert theirs.value is None
    assert sorted(theirs.model_extra) == sorted(validated.processor_run.output)
    assert "boundingBoxes" in theirs.model_extra["holder"]["references"][0]  # raw, untyped

    official.call("get_processor_run", official.client.processor_run.get, running.id)
    theirs = official.client_result.processor_run.output  # type: ignore[attr-defined]

    assert official.misread == [("$.processor_run.output", EMPTY_AS_JSON)]
    assert isinstance(theirs, extend_ai.JsonOutput)
    assert theirs.value is None
