"""The pytest plugin's fixtures, used the way an application's test suite uses them.

A test module may name plugins in ``pytest_plugins`` (only non-root conftest files may
not); users normally put this line in their root conftest.py.
"""

from __future__ import annotations

import pytest

from extend_async import AsyncExtend, BatchProcessorRunStatus, Extend, InternalServerError
from extend_async.testing import FakeExtendServer

pytest_plugins = ["extend_async.testing.pytest_plugin"]


# -- the application code under test ----------------------------------------------------


async def batch_summary(client: AsyncExtend, run_id: str) -> str:
    """What an application might do: fetch a batch and describe it."""
    run = await client.batch_processor_runs.get(run_id)
    if run.status == BatchProcessorRunStatus.FAILED:
        return f"{run.processor_name}: failed"
    return f"{run.processor_name}: {run.status} ({run.run_count} runs)"


def failed_batches(client: Extend, run_ids: list[str]) -> list[str]:
    """Its synchronous cousin."""
    return [
        run_id
        for run_id in run_ids
        if client.batch_processor_runs.get(run_id).status == BatchProcessorRunStatus.FAILED
    ]


# -- its tests --------------------------------------------------------------------------


async def test_batch_summary(
    extend_fake: FakeExtendServer, extend_async_client: AsyncExtend
) -> None:
    run = extend_fake.add_batch_run(processor_name="Invoices", run_count=12, status="PROCESSED")

    assert await batch_summary(extend_async_client, run.id) == "Invoices: PROCESSED (12 runs)"


async def test_batch_summary_of_a_failed_batch(
    extend_fake: FakeExtendServer, extend_async_client: AsyncExtend
) -> None:
    run = extend_fake.add_batch_run(processor_name="Invoices", finish_after=5, outcome="FAILED")
    extend_fake.advance(5)

    assert await batch_summary(extend_async_client, run.id) == "Invoices: failed"


async def test_batch_summary_survives_a_flaky_gateway(
    extend_fake: FakeExtendServer, extend_async_client: AsyncExtend
) -> None:
    run = extend_fake.add_batch_run(processor_name="Invoices", run_count=3)
    extend_fake.faults.add(route="get_batch_processor_run", kind="html", times=2)

    assert await batch_summary(extend_async_client, run.id) == "Invoices: PROCESSED (3 runs)"
    assert extend_fake.requests["get_batch_processor_run"] == 3


async def test_batch_summary_gives_up_on_a_broken_server(
    extend_fake: FakeExtendServer, extend_async_client: AsyncExtend
) -> None:
    run = extend_fake.add_batch_run()
    extend_fake.faults.add(route="get_batch_processor_run", status=503)

    with pytest.raises(InternalServerError):
        await batch_summary(extend_async_client, run.id)


def test_failed_batches(extend_fake_thread: FakeExtendServer, extend_client: Extend) -> None:
    ok, bad, later = (
        extend_fake_thread.add_batch_run(),
        extend_fake_thread.add_batch_run(status="FAILED"),
        extend_fake_thread.add_batch_run(finish_after_polls=2, outcome="FAILED"),
    )
    ids = [ok.id, bad.id, later.id]

    assert failed_batches(extend_client, ids) == [bad.id]
    assert failed_batches(extend_client, ids) == [bad.id, later.id]


def test_the_sync_client_is_closed_by_its_fixture(extend_client: Extend) -> None:
    assert not extend_client.closed
    assert extend_client.config.retry.initial_backoff == 0
