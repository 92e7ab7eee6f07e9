"""Seeding runs: generated defaults, overrides, reproducibility, updates."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from extend_async import (
    BatchProcessorRunMetrics,
    BatchProcessorRunOptions,
    BatchProcessorRunSource,
    BatchProcessorRunStatus,
)
from extend_async.testing import FakeExtendServer

START = datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_defaults_are_realistic_and_consistent() -> None:
    fake = FakeExtendServer(start_time=START)
    runs = fake.seed_batch_runs(30)

    for run in runs:
        assert re.fullmatch(r"bpr_[A-Za-z0-9]{22}", run.id)
        assert re.fullmatch(r"dp_[A-Za-z0-9]{20}", run.processor_id)
        assert re.fullmatch(r"dpv_[A-Za-z0-9]{22}", run.processor_version_id)
        assert run.processor_name
        assert run.status == BatchProcessorRunStatus.PROCESSED
        assert run.metrics.num_files is not None
        assert run.run_count == run.metrics.num_files >= 1
        assert run.metrics.num_pages is not None
        assert run.metrics.num_pages >= run.metrics.num_files
        assert run.created_at < run.updated_at == START
        if run.source == BatchProcessorRunSource.EVAL_SET:
            assert run.source_id is not None
            assert run.source_id.startswith("ev_")
        elif run.source == BatchProcessorRunSource.STUDIO:
            assert run.source_id == run.processor_id
        else:
            assert run.source_id is None
    assert len({run.id for run in runs}) == 30
    assert {run.source for run in runs} == set(BatchProcessorRunSource)


def test_the_same_seed_gives_the_same_runs() -> None:
    first = FakeExtendServer(seed=42, start_time=START).seed_batch_runs(5)
    again = FakeExtendServer(seed=42, start_time=START).seed_batch_runs(5)
    other = FakeExtendServer(seed=43, start_time=START).seed_batch_runs(5)

    assert first == again
    assert [run.id for run in first] != [run.id for run in other]


def test_every_field_can_be_given() -> None:
    fake = FakeExtendServer()
    metrics = BatchProcessorRunMetrics(num_files=3, num_pages=9)
    options = BatchProcessorRunOptions(fuzzy_match_fields=["total"], exclude_fields=[])
    run = fake.add_batch_run(
        id="batch_processor_run_Legacy01",
        processor_id="dp_given",
        processor_version_id="dpv_given",
        processor_name="Given Name",
        metrics=metrics,
        status="FAILED",
        source="EVAL_SET",
        source_id="ev_given",
        run_count=4,
        options=options,
        created_at=START,
        updated_at=START,
    )

    assert (run.id, run.processor_id, run.processor_version_id) == (
        "batch_processor_run_Legacy01",
        "dp_given",
        "dpv_given",
    )
    assert (run.processor_name, run.status, run.source, run.source_id, run.run_count) == (
        "Given Name",
        "FAILED",
        "EVAL_SET",
        "ev_given",
        4,
    )
    assert (run.metrics, run.options, run.created_at, run.updated_at) == (
        metrics,
        options,
        START,
        START,
    )
    assert fake.get_batch_run(run.id) == run


def test_an_unknown_status_is_stored_as_given() -> None:
    run = FakeExtendServer().add_batch_run(status="ARCHIVED")

    assert run.status == "ARCHIVED"
    assert not run.is_terminal


def test_a_pending_run_was_last_updated_when_created() -> None:
    run = FakeExtendServer().add_batch_run(status="PENDING")

    assert run.updated_at == run.created_at


def test_seed_batch_runs_applies_the_same_fields_to_each() -> None:
    runs = FakeExtendServer().seed_batch_runs(4, processor_name="Shared", status="PENDING")

    assert [(run.processor_name, run.status) for run in runs] == [("Shared", "PENDING")] * 4


def test_ids_are_unique() -> None:
    fake = FakeExtendServer()
    fake.add_batch_run(id="bpr_same")

    with pytest.raises(ValueError, match="bpr_same"):
        fake.add_batch_run(id="bpr_same")


def test_update_changes_fields_and_stamps_a_status_change() -> None:
    fake = FakeExtendServer(start_time=START)
    run = fake.add_batch_run(status="PROCESSING", updated_at=START)
    fake.advance(30)

    renamed = fake.update_batch_run(run.id, processor_name="Renamed")
    failed = fake.update_batch_run(run.id, status="FAILED")

    assert renamed.processor_name == "Renamed"
    assert renamed.updated_at == START
    assert failed.status == BatchProcessorRunStatus.FAILED
    assert failed.updated_at == datetime(2025, 5, 1, 12, 0, 30, tzinfo=timezone.utc)
    assert fake.get_batch_run(run.id) == failed


def test_update_refuses_unknown_ids_and_id_changes() -> None:
    fake = FakeExtendServer()
    run = fake.add_batch_run()

    with pytest.raises(KeyError, match="bpr_nope"):
        fake.update_batch_run("bpr_nope", status="FAILED")
    with pytest.raises(KeyError, match="bpr_nope"):
        fake.get_batch_run("bpr_nope")
    with pytest.raises(ValueError, match="id"):
        fake.update_batch_run(run.id, id="bpr_other")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"finish_after": -1.0}, "finish_after"),
        ({"finish_after_polls": 0}, "finish_after_polls"),
        ({"processing_after": 5.0, "finish_after": 2.0}, "before processing_after"),
        ({"finish_after": 1.0, "outcome": "CANCELLED"}, "CANCELLED"),
        ({"finish_after": 1.0, "status": "PROCESSED"}, "cannot start as PROCESSED"),
    ],
)
def test_impossible_lifecycles_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakeExtendServer().add_batch_run(**fields)  # type: ignore[arg-type]
