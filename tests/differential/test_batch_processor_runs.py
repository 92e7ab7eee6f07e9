"""Differential check, Get Batch Processor Run: the official SDK reads what the fake serves.

Evidence that the fake speaks the real wire shapes, not only our own. Skipped where the
official package is not installed (it is not a dependency); run it with
``pip install extend-ai==0.2.0`` in the test environment, or ``nox -s differential``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "PENDING", "source": "EVAL_SET"},
        {"status": "PROCESSING", "source": "STUDIO"},
        {"status": "PROCESSED", "source": "PLAYGROUND", "source_id": None},
        {"status": "FAILED", "source": "EVAL_SET", "run_count": 0},
    ],
    ids=["pending", "processing", "processed-no-source-id", "failed"],
)
def test_the_official_client_parses_every_batch_run_the_fake_serves(
    fake: FakeExtendServer, official: Official, fields: dict[str, object]
) -> None:
    run = fake.add_batch_run(**fields)  # type: ignore[arg-type]

    response = official.call(
        "get_batch_processor_run", official.client.batch_processor_run.get, run.id
    )

    got = response.batch_processor_run
    assert response.success is True
    assert got.id == run.id
    assert got.status == str(run.status)
    assert got.source == str(run.source)
    assert got.source_id == run.source_id
    assert got.processor_id == run.processor_id
    assert got.processor_version_id == run.processor_version_id
    assert got.run_count == run.run_count
    assert got.metrics.num_files == run.metrics.num_files
    assert got.options.fuzzy_match_fields == run.options.fuzzy_match_fields
    assert got.created_at == run.created_at
    assert got.updated_at == run.updated_at
    official.agree(got, fake.get_batch_run(run.id))


def test_a_batch_run_on_its_lifecycle_reads_the_same_at_every_step(
    fake: FakeExtendServer, official: Official
) -> None:
    run = fake.add_batch_run(processing_after=1.0, finish_after=3.0, outcome="FAILED")

    seen = []
    for step in (0.0, 1.0, 2.0):
        fake.advance(step)
        got = official.call(
            "get_batch_processor_run", official.client.batch_processor_run.get, run.id
        ).batch_processor_run
        official.agree(got, fake.get_batch_run(run.id))
        seen.append(got.status)

    assert seen == ["PENDING", "PROCESSING", "FAILED"]


def test_the_official_client_sees_the_documented_errors(
    fake: FakeExtendServer, official: Official
) -> None:
    wrong_key = extend_ai.Extend(
        token="not-the-token", base_url=fake.url, httpx_client=official.http
    )

    official.fails(
        "get_batch_processor_run",
        404,
        extend_ai.NotFoundError,
        official.client.batch_processor_run.get,
        "bpr_missing",
    )
    official.fails(
        "get_batch_processor_run",
        401,
        extend_ai.UnauthorizedError,
        wrong_key.batch_processor_run.get,
        "bpr_missing",
    )
