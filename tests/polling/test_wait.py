"""wait: one id polled on the schedule until a known final state, or the deadline."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from polling._support import EXACT, Runs, client_tasks

from extend_async import (
    AsyncExtend,
    BatchProcessorRun,
    BatchProcessorRunStatus,
    NotFoundError,
    RetryPolicy,
    WaitTimeoutError,
)
from extend_async.testing import ManualClock


async def test_polls_on_the_schedule_until_the_run_is_final(
    client: AsyncExtend, runs: Runs, clock: ManualClock
) -> None:
    runs.finish_on["bpr_1"] = 4

    run = await client.batch_processor_runs.wait("bpr_1", poll=EXACT)

    assert isinstance(run, BatchProcessorRun)
    assert run.status is BatchProcessorRunStatus.PROCESSED
    assert runs.times("bpr_1") == [0.0, 1.0, 2.0, 3.0]
    assert clock.sleeps == [1.0, 1.0, 1.0]
    assert not client_tasks()


async def test_after_the_fast_phase_waits_grow(client: AsyncExtend, runs: Runs) -> None:
    runs.finish_on["bpr_1"] = 15

    await client.batch_processor_runs.wait("bpr_1", poll=EXACT)

    # 1 s for 10 s, then 1 + 0.5 * (seconds past 10): x1.5 per poll, capped at 8 s.
    assert runs.times("bpr_1") == [*map(float, range(11)), 11.0, 12.5, 14.75, 18.125]


async def test_a_run_already_final_costs_one_request(client: AsyncExtend, runs: Runs) -> None:
    runs.final["bpr_1"] = "FAILED"

    run = await client.batch_processor_runs.wait("bpr_1")

    assert run.status is BatchProcessorRunStatus.FAILED
    assert runs.total == 1


async def test_timeout_polls_last_at_the_deadline_and_carries_the_last_run(
    client: AsyncExtend, runs: Runs
) -> None:
    runs.finish_on["bpr_1"] = 100

    with pytest.raises(WaitTimeoutError) as info:
        await client.batch_processor_runs.wait("bpr_1", timeout=5.5, poll=EXACT)

    assert runs.times("bpr_1") == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 5.5]
    error = info.value
    assert error.id == "bpr_1"
    assert error.timeout == 5.5
    assert isinstance(error.last, BatchProcessorRun)
    assert error.last.id == "bpr_1"
    assert error.last.status is BatchProcessorRunStatus.PROCESSING
    assert str(error) == "bpr_1 did not finish within 5.5 s (last status: PROCESSING)"
    assert not client_tasks()


async def test_timeout_zero_looks_once(client: AsyncExtend, runs: Runs) -> None:
    runs.finish_on["bpr_1"] = 2
    with pytest.raises(WaitTimeoutError):
        await client.batch_processor_runs.wait("bpr_1", timeout=0)
    assert runs.total == 1

    run = await client.batch_processor_runs.wait("bpr_1", timeout=0)
    assert run.status is BatchProcessorRunStatus.PROCESSED


async def test_an_unknown_status_does_not_end_the_wait(client: AsyncExtend, runs: Runs) -> None:
    runs.final["bpr_1"] = "ARCHIVED"  # a status this release does not know

    with pytest.raises(WaitTimeoutError) as info:
        await client.batch_processor_runs.wait("bpr_1", timeout=3, poll=EXACT)

    assert runs.total == 4
    assert info.value.last.status == "ARCHIVED"


async def test_a_429_pauses_then_the_wait_goes_on(
    client: AsyncExtend, runs: Runs, clock: ManualClock
) -> None:
    runs.finish_on["bpr_1"] = 3
    runs.fail_on["bpr_1", 2] = (429, {"Retry-After": "5"})

    run = await client.batch_processor_runs.wait("bpr_1", poll=EXACT)

    assert run.status is BatchProcessorRunStatus.PROCESSED
    # Poll 2 (t=1) is refused; the client holds every request until t=6, then polls.
    assert runs.times("bpr_1") == [0.0, 1.0, 6.0]


async def test_a_429_retried_by_the_client_also_waits_the_cooldown(
    make_client: Callable[..., AsyncExtend], runs: Runs
) -> None:
    runs.finish_on["bpr_1"] = 3
    runs.fail_on["bpr_1", 2] = (429, {"Retry-After": "5"})

    async with make_client(retry=RetryPolicy(max_retries=2, initial_backoff=0)) as client:
        await client.batch_processor_runs.wait("bpr_1", poll=EXACT)

    assert runs.times("bpr_1") == [0.0, 1.0, 6.0]


async def test_other_errors_end_the_wait(client: AsyncExtend, runs: Runs) -> None:
    runs.fail["bpr_gone"] = 404

    with pytest.raises(NotFoundError):
        await client.batch_processor_runs.wait("bpr_gone")
    assert runs.total == 1
    assert not client_tasks()


@pytest.mark.parametrize("timeout", [-1.0, math.nan])
async def test_a_negative_timeout_is_refused(
    client: AsyncExtend, runs: Runs, timeout: float
) -> None:
    with pytest.raises(ValueError, match="timeout must be >= 0"):
        await client.batch_processor_runs.wait("bpr_1", timeout=timeout)
    assert runs.total == 0


async def test_a_non_str_id_is_refused(client: AsyncExtend, runs: Runs) -> None:
    with pytest.raises(TypeError, match="id must be a string, got int: 42"):
        await client.batch_processor_runs.wait(42)  # type: ignore[arg-type]
    assert runs.total == 0
