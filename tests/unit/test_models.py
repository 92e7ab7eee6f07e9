"""The batch processor run model and the converter's wire mapping."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from extend_async import (
    BatchProcessorRun,
    BatchProcessorRunMetrics,
    BatchProcessorRunOptions,
    BatchProcessorRunSource,
    BatchProcessorRunStatus,
    _converter,
)
from extend_async._converter import converter, wire_name
from extend_async.models import ApiEnum

UTC = timezone.utc


def parse(run: dict[str, Any]) -> BatchProcessorRun:
    return converter.structure(run, BatchProcessorRun)


def test_example_parses_to_every_documented_field(run_body: dict[str, Any]) -> None:
    run = parse(run_body["batchProcessorRun"])

    assert run == BatchProcessorRun(
        id="bpr_Xj8mK2pL9nR4vT7qY5wZ",
        processor_id="dp_Xj8mK2pL9nR4vT7qY5wZ",
        processor_version_id="dpv_xK9mLPqRtN3vS8wF5hB2cQ",
        processor_name="Invoice Processor",
        metrics=BatchProcessorRunMetrics(num_files=12.0, num_pages=37.0),
        status=BatchProcessorRunStatus.PROCESSING,
        source=BatchProcessorRunSource.EVAL_SET,
        run_count=12,
        options=BatchProcessorRunOptions(
            fuzzy_match_fields=["vendor_name"], exclude_fields=["notes"]
        ),
        created_at=datetime(2024, 3, 21, 15, 30, tzinfo=UTC),
        updated_at=datetime(2024, 3, 21, 16, 45, tzinfo=UTC),
        source_id="ev_1234",
        object="batch_processor_run",
    )
    assert run.status is BatchProcessorRunStatus.PROCESSING
    assert run.source is BatchProcessorRunSource.EVAL_SET
    assert run.created_at.utcoffset() is not None
    assert run.created_at.utcoffset().total_seconds() == 0
    assert run.updated_at - run.created_at == timedelta(hours=1, minutes=15)
    assert run.is_terminal is False


def test_round_trip_gives_back_the_wire_document(run_body: dict[str, Any]) -> None:
    wire = run_body["batchProcessorRun"]

    unstructured = converter.unstructure(parse(wire))

    assert unstructured == wire
    assert set(unstructured) == set(wire)
    assert json.loads(json.dumps(unstructured)) == wire


def test_numbers_sent_as_ints_are_accepted(run_body: dict[str, Any]) -> None:
    wire = run_body["batchProcessorRun"]
    wire["metrics"] = {"numFiles": 3, "numPages": 1.1}
    wire["runCount"] = 3.0  # "integers never arrive as floats in practice but tolerate 1.0"

    run = parse(wire)

    assert run.metrics == BatchProcessorRunMetrics(num_files=3.0, num_pages=1.1)
    assert type(run.metrics.num_files) is float
    assert run.run_count == 3
    assert type(run.run_count) is int


def test_unknown_keys_are_ignored_at_every_level(run_body: dict[str, Any]) -> None:
    expected = parse(run_body["batchProcessorRun"])
    wire = run_body["batchProcessorRun"]
    wire["priority"] = 90
    wire["newNested"] = {"deep": [1, 2, {"x": None}]}
    wire["metrics"]["numTokens"] = 1234
    wire["options"]["caseSensitive"] = True

    assert parse(wire) == expected


def test_missing_optional_keys_take_their_defaults(run_body: dict[str, Any]) -> None:
    wire = run_body["batchProcessorRun"]
    del wire["sourceId"], wire["object"]
    wire["metrics"] = {}
    wire["options"] = {}

    run = parse(wire)

    assert run.source_id is None
    assert run.object == "batch_processor_run"
    assert run.metrics == BatchProcessorRunMetrics(num_files=None, num_pages=None)
    assert run.options == BatchProcessorRunOptions(fuzzy_match_fields=None, exclude_fields=None)
    # Absent optional keys stay absent on the way back (no spurious nulls); the
    # constant ``object`` is always written.
    back = converter.unstructure(run)
    assert "sourceId" not in back
    assert back["metrics"] == {}
    assert back["options"] == {}
    assert back["object"] == "batch_processor_run"


def test_explicit_nulls_on_optional_keys_mean_absent(run_body: dict[str, Any]) -> None:
    wire = run_body["batchProcessorRun"]
    wire["sourceId"] = None
    wire["metrics"] = {"numFiles": None, "numPages": None}
    wire["options"] = {"fuzzyMatchFields": None, "excludeFields": None}

    run = parse(wire)

    assert run.source_id is None
    assert run.metrics == BatchProcessorRunMetrics()
    assert run.options == BatchProcessorRunOptions()
    assert "sourceId" not in converter.unstructure(run)


@pytest.mark.parametrize(
    ("field", "enum"), [("status", BatchProcessorRunStatus), ("source", BatchProcessorRunSource)]
)
def test_an_unknown_enum_value_is_kept_as_a_member_of_its_enum(
    run_body: dict[str, Any], field: str, enum: type[ApiEnum]
) -> None:
    wire = run_body["batchProcessorRun"]
    wire[field] = "ARCHIVED_2026"

    run = parse(wire)

    value = getattr(run, field)
    assert value == "ARCHIVED_2026"
    assert type(value) is enum
    assert value.value == "ARCHIVED_2026"
    assert value.is_known is False
    assert str(value) == "ARCHIVED_2026"
    assert repr(value) == f"<{enum.__name__}.ARCHIVED_2026: 'ARCHIVED_2026'>"
    assert value not in list(enum)  # the members stay the documented ones
    assert converter.unstructure(run)[field] == "ARCHIVED_2026"


def test_a_known_value_is_the_member_itself(run_body: dict[str, Any]) -> None:
    run = parse(run_body["batchProcessorRun"])

    assert run.status is BatchProcessorRunStatus.PROCESSING
    assert run.status.is_known is True


def test_a_member_and_its_string_are_one_dict_key() -> None:
    counts = {"PROCESSED": 1, "workflow_run.completed": 2}
    unknown = BatchProcessorRunStatus("NEW_STATE")

    assert counts[BatchProcessorRunStatus.PROCESSED] == 1
    assert hash(unknown) == hash("NEW_STATE")
    assert {unknown: 1}["NEW_STATE"] == 1
    assert BatchProcessorRunStatus("NEW_STATE") == unknown


def test_an_unknown_status_is_not_terminal(run_body: dict[str, Any]) -> None:
    run_body["batchProcessorRun"]["status"] = "CANCELLED"

    run = parse(run_body["batchProcessorRun"])

    assert run.status == "CANCELLED"
    assert run.is_terminal is False
    assert BatchProcessorRunStatus.is_terminal("CANCELLED") is False


@pytest.mark.parametrize(
    ("status", "terminal"),
    [("PENDING", False), ("PROCESSING", False), ("PROCESSED", True), ("FAILED", True)],
)
def test_is_terminal_for_every_known_status(
    run_body: dict[str, Any], status: str, terminal: bool
) -> None:
    run_body["batchProcessorRun"]["status"] = status

    run = parse(run_body["batchProcessorRun"])

    assert run.status is BatchProcessorRunStatus(status)
    assert run.is_terminal is terminal
    assert BatchProcessorRunStatus.is_terminal(BatchProcessorRunStatus(status)) is terminal
    assert BatchProcessorRunStatus.is_terminal(status) is terminal


def test_status_matching_is_case_sensitive() -> None:
    assert BatchProcessorRunStatus.is_terminal("processed") is False


def test_api_enums_compare_and_print_as_their_wire_strings() -> None:
    assert BatchProcessorRunStatus.FAILED == "FAILED"
    assert str(BatchProcessorRunStatus.FAILED) == "FAILED"
    assert f"{BatchProcessorRunSource.PLAYGROUND}" == "PLAYGROUND"
    assert json.dumps(BatchProcessorRunSource.STUDIO) == '"STUDIO"'


def test_an_optional_open_enum_accepts_null() -> None:
    tp = BatchProcessorRunStatus | None

    assert converter.structure(None, tp) is None
    assert converter.structure("FAILED", tp) is BatchProcessorRunStatus.FAILED
    paused = converter.structure("PAUSED", tp)
    assert paused == "PAUSED"
    assert type(paused) is BatchProcessorRunStatus


@pytest.mark.parametrize("tp", [BatchProcessorRunStatus, BatchProcessorRunStatus | None])
def test_an_open_enum_rejects_a_non_string(tp: Any) -> None:
    with pytest.raises(TypeError, match=r"expected a string for BatchProcessorRunStatus, got 3"):
        converter.structure(3, tp)


@pytest.mark.parametrize(
    ("attribute", "wire"),
    [
        ("id", "id"),
        ("processor_id", "processorId"),
        ("processor_version_id", "processorVersionId"),
        ("fuzzy_match_fields", "fuzzyMatchFields"),
        ("num_files", "numFiles"),
    ],
)
def test_wire_names_follow_the_camel_case_rule(attribute: str, wire: str) -> None:
    assert wire_name(attribute) == wire


def test_irregular_wire_names_come_from_one_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_converter._IRREGULAR_WIRE_NAMES, "doc_url", "docURL")

    assert wire_name("doc_url") == "docURL"
