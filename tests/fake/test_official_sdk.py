"""Differential check: the official SDK (extend-ai 0.2.0) reads what the fake serves.

Evidence that the fake speaks the real wire shapes, not only our own. Skipped where the
official package is not installed (it is not a dependency); run it with
``pip install extend-ai==0.2.0`` in the test environment.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extend_async.testing import FakeExtendServer

extend_ai = pytest.importorskip("extend_ai")


@pytest.fixture
def fake() -> Iterator[FakeExtendServer]:
    with FakeExtendServer.in_thread(seed=11) as server:
        yield server


@pytest.fixture
def http() -> Iterator[object]:
    import httpx  # the official SDK's transport; closed here, which the SDK never does

    with httpx.Client(timeout=30) as client:
        yield client


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
def test_the_official_client_parses_every_run_the_fake_serves(
    fake: FakeExtendServer, http: object, fields: dict[str, object]
) -> None:
    run = fake.add_batch_run(**fields)  # type: ignore[arg-type]
    official = extend_ai.Extend(token=fake.token, base_url=fake.url, httpx_client=http)

    response = official.batch_processor_run.get(run.id)

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


def test_the_official_client_sees_the_documented_errors(
    fake: FakeExtendServer, http: object
) -> None:
    official = extend_ai.Extend(token=fake.token, base_url=fake.url, httpx_client=http)
    wrong_key = extend_ai.Extend(token="not-the-token", base_url=fake.url, httpx_client=http)

    with pytest.raises(extend_ai.NotFoundError):
        official.batch_processor_run.get("bpr_missing")
    with pytest.raises(extend_ai.UnauthorizedError):
        wrong_key.batch_processor_run.get("bpr_missing")
