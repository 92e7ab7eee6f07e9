"""Loopback: fan-out and waiting against FakeExtendServer over real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

import pytest
from polling._support import EXACT, VirtualClock, acquired_connections, client_tasks

from extend_async import (
    BatchProcessorRun,
    BatchProcessorRunStatus,
    NotFoundError,
    PollPolicy,
    Progress,
)
from extend_async.testing import FakeExtendServer

ROUTE = "get_batch_processor_run"


async def _client_task_count() -> int:
    return len(client_tasks())


@pytest.fixture
async def fake() -> AsyncIterator[FakeExtendServer]:
    async with FakeExtendServer(clock=VirtualClock()) as server:
        yield server


async def test_wait_all_polls_each_run_until_it_ends(fake: FakeExtendServer) -> None:
    plans: list[tuple[int, Literal["PROCESSED", "FAILED"]]] = [
        (1, "PROCESSED"),
        (3, "FAILED"),
        (5, "PROCESSED"),
    ]
    runs = {
        fake.add_batch_run(finish_after_polls=polls, outcome=outcome).id: (polls, outcome)
        for polls, outcome in plans * 10
    }

    async with fake.client(max_concurrency=8) as client:
        got = await client.batch_processor_runs.wait_all(list(runs), poll=EXACT)
        assert acquired_connections(client) == 0

    for run_id, (polls, outcome) in runs.items():
        run = got[run_id]
        assert isinstance(run, BatchProcessorRun)
        assert run.status == outcome
        assert fake.requests[ROUTE, run_id] == polls
    assert not client_tasks()


async def test_runs_finishing_on_the_clock_are_seen_on_schedule(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run(finish_after=4.5)

    async with fake.client() as client:
        done = await client.batch_processor_runs.wait(run.id, poll=EXACT)

    assert done.status is BatchProcessorRunStatus.PROCESSED
    assert fake.requests[ROUTE, run.id] == 6  # t = 0, 1, 2, 3, 4, 5
    assert fake.clock.monotonic() == 5.0


async def test_the_fakes_rate_limit_pauses_the_client_and_no_run_fails(
    fake: FakeExtendServer,
) -> None:
    fake.rate_limit = 5
    ids = [run.id for run in fake.seed_batch_runs(30, finish_after_polls=3)]
    reports: list[Progress] = []

    async with fake.client(max_concurrency=10) as client:
        got = await client.batch_processor_runs.wait_all(
            ids, poll=EXACT, on_progress=reports.append
        )

    assert fake.rate_limited > 0
    assert all(isinstance(run, BatchProcessorRun) for run in got.values())
    assert reports[-1].done == 30


async def test_pacing_below_the_limit_avoids_429s_altogether(fake: FakeExtendServer) -> None:
    fake.rate_limit = 5
    ids = [run.id for run in fake.seed_batch_runs(30, finish_after_polls=3)]

    async with fake.client(max_requests_per_second=4) as client:
        got = await client.batch_processor_runs.wait_all(ids, poll=EXACT)

    assert fake.rate_limited == 0
    assert all(isinstance(run, BatchProcessorRun) for run in got.values())
    assert sum(fake.requests[ROUTE, run_id] for run_id in ids) == 90


async def test_get_many_over_the_wire(fake: FakeExtendServer) -> None:
    ids = [run.id for run in fake.seed_batch_runs(20)]

    async with fake.client(max_concurrency=4) as client:
        got = await client.batch_processor_runs.get_many(
            [*ids, "bpr_missing", ids[0]], return_exceptions=True
        )

    assert [run.id for run in got[:20] if isinstance(run, BatchProcessorRun)] == ids
    assert isinstance(got[20], NotFoundError)
    assert got[21] is got[0]
    assert fake.requests[ROUTE] == 21


def test_the_sync_iterator_streams_from_a_threaded_fake() -> None:
    fast = PollPolicy(interval=0.001, fast_phase=0.0, growth=1.0, max_interval=0.001, jitter=0)
    with FakeExtendServer.in_thread() as fake:
        quick = fake.add_batch_run(finish_after_polls=2).id
        slow = fake.add_batch_run(finish_after_polls=10**9).id
        with fake.sync_client() as client:
            with client.batch_processor_runs.wait_many([slow, quick], poll=fast) as it:
                run_id, run = next(it)
                assert run_id == quick
                assert isinstance(run, BatchProcessorRun)
                assert fake.get_batch_run(slow).status is BatchProcessorRunStatus.PROCESSING
            polls = fake.requests[ROUTE, slow]
            assert client._runner.run(_client_task_count) == 0  # no worker is left
            client.batch_processor_runs.get(quick)
            # At most the one poll that was already on the wire when we closed arrives late.
            assert fake.requests[ROUTE, slow] <= polls + 1
