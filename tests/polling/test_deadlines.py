"""A deadline is a deadline: no wait at the gate and no backoff outlives a wait's
timeout or a call's own, and each ends with its typed error when it cannot be met."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from polling._support import EXACT, Holding, Runs, VirtualClock, client_tasks

from extend_async import (
    APITimeoutError,
    AsyncExtend,
    BatchProcessorRun,
    BatchProcessorRunStatus,
    RateLimitError,
    WaitTimeoutError,
)
from extend_async.testing import ManualClock

HUGE = "1000000000"


async def test_a_retry_after_past_the_cap_ends_the_wait_at_once_and_says_so(
    client: AsyncExtend, runs: Runs, clock: ManualClock
) -> None:
    runs.fail_on["bpr_1", 1] = (429, {"Retry-After": HUGE})

    with pytest.raises(RateLimitError) as info:
        await client.batch_processor_runs.wait("bpr_1", timeout=2)

    assert clock.monotonic() == 0.0  # no 60 s pause, no 2 s either
    error = info.value
    assert error.retry_after == 1e9
    assert error.max_retry_after == 60.0
    assert str(error).endswith(
        "(the server asked to wait 1e+09 s, longer than RetryPolicy.max_retry_after = 60 s: "
        "not retried)"
    )
    assert runs.total == 1
    assert not client_tasks()


async def test_a_pause_longer_than_the_wait_ends_it_at_its_deadline(
    client: AsyncExtend, runs: Runs, clock: ManualClock
) -> None:
    runs.finish_on["bpr_1"] = 100
    runs.fail_on["bpr_1", 2] = (429, {"Retry-After": "30"})

    with pytest.raises(WaitTimeoutError) as info:
        await client.batch_processor_runs.wait("bpr_1", timeout=2, poll=EXACT)

    # Polled at 0 (PROCESSING) and 1 (429: the client pauses until 31); at the 2 s
    # deadline the pause still holds, so the wait ends then, without a request.
    assert runs.times("bpr_1") == [0.0, 1.0]
    assert clock.monotonic() == 2.0
    assert info.value.timeout == 2
    assert isinstance(info.value.last, BatchProcessorRun)
    assert info.value.last.status is BatchProcessorRunStatus.PROCESSING


async def test_wait_many_ends_every_run_at_the_deadline_during_a_pause(
    make_client: Callable[..., AsyncExtend], runs: Runs
) -> None:
    runs.clock = clock = VirtualClock()
    ids = [f"bpr_{n}" for n in range(100)]
    for run_id in ids:
        runs.finish_on[run_id] = 1000
    runs.fail_on["bpr_0", 2] = (429, {"Retry-After": "30"})

    async with make_client(max_concurrency=8, clock=clock) as client:
        got = await client.batch_processor_runs.wait_all(ids, timeout=2, poll=EXACT)

    assert clock.monotonic() <= 2.0
    assert all(isinstance(outcome, WaitTimeoutError) for outcome in got.values())
    assert {outcome.timeout for outcome in got.values()} == {2}  # type: ignore[union-attr]
    assert max(at for _, at in runs.sent_at) <= 2.0
    assert not client_tasks()


async def test_pacing_never_holds_a_wait_past_its_deadline(
    make_client: Callable[..., AsyncExtend], runs: Runs
) -> None:
    runs.clock = clock = VirtualClock()
    ids = [f"bpr_{n}" for n in range(40)]
    for run_id in ids:
        runs.finish_on[run_id] = 1000

    # 1 request/s for 40 runs: at most 3 polls fit in 2 s; the rest end at once.
    async with make_client(max_requests_per_second=1, clock=clock) as client:
        got = await client.batch_processor_runs.wait_all(ids, timeout=2, poll=EXACT)

    assert clock.monotonic() <= 2.0
    assert runs.total == 3
    assert all(isinstance(outcome, WaitTimeoutError) for outcome in got.values())


async def test_a_calls_own_timeout_holds_at_the_gate_during_a_pause(
    make_client: Callable[..., AsyncExtend], runs: Runs, clock: ManualClock
) -> None:
    runs.fail_on["bpr_1", 1] = (429, {"Retry-After": "30"})

    async with make_client() as client:
        with pytest.raises(RateLimitError):
            await client.batch_processor_runs.get("bpr_1")
        with pytest.raises(RateLimitError) as info:
            await client.with_options(timeout=2).batch_processor_runs.get("bpr_2")

    assert clock.monotonic() == 0.0  # refused at once rather than after 2 s of waiting
    error = info.value
    assert error.retry_after == 30.0
    assert str(error) == (
        "GET https://api.extend.test/batch_processor_runs/bpr_2: 429 not sent: the client "
        "holds every request for 30 s more after the server's 429, longer than this "
        "call's time limit (2 s)"
    )
    assert runs.polls["bpr_2"] == 0


async def test_a_calls_own_timeout_holds_against_the_pace(
    make_client: Callable[..., AsyncExtend], runs: Runs, clock: ManualClock
) -> None:
    async with make_client(max_requests_per_second=0.1, timeout=2) as client:
        await client.batch_processor_runs.get("bpr_1")
        with pytest.raises(APITimeoutError) as info:
            await client.batch_processor_runs.get("bpr_2")

    assert clock.monotonic() == 0.0
    assert info.value.may_have_been_sent is False
    assert "not sent: the client's pace (max_requests_per_second) would send it in 10 s" in str(
        info.value
    )
    assert runs.polls == {"bpr_1": 1}


async def test_a_pause_within_the_time_limit_is_waited_out(
    make_client: Callable[..., AsyncExtend], runs: Runs, clock: ManualClock
) -> None:
    runs.fail_on["bpr_1", 1] = (429, {"Retry-After": "3"})

    async with make_client(max_retries=2, timeout=10) as client:
        run = await client.batch_processor_runs.get("bpr_1")

    assert run.id == "bpr_1"
    assert runs.times("bpr_1") == [0.0, 3.0]


async def test_over_a_real_socket_the_deadline_holds_through_a_429() -> None:
    from extend_async.testing import FakeExtendServer

    async with FakeExtendServer() as fake, fake.client() as client:
        run = fake.add_batch_run(finish_after=100)
        fake.faults.add(route="get_batch_processor_run", status=429, retry_after=30, times=1)

        with pytest.raises(WaitTimeoutError) as info:
            await client.batch_processor_runs.wait(run.id, timeout=2, poll=EXACT)

        assert fake.clock.monotonic() <= 2.0
        assert fake.requests["get_batch_processor_run"] == 1  # the 429; nothing after it
        assert info.value.last is None


async def test_a_call_queued_behind_the_cap_is_refused_at_its_deadline(
    make_client: Callable[..., AsyncExtend], holding: Holding
) -> None:
    from extend_async import SystemClock

    holding.held = {"bpr_held"}
    async with make_client(base_url=holding.url, max_concurrency=1, clock=SystemClock()) as client:
        held = asyncio.ensure_future(client.batch_processor_runs.get("bpr_held"))
        await holding.wait_for("bpr_held")
        # The one slot is taken: a call with 50 ms to live waits, then is refused.
        with pytest.raises(APITimeoutError) as info:
            await client.with_options(timeout=0.05).batch_processor_runs.get("bpr_free")
        holding.release.set()
        assert (await held).id == "bpr_held"

    assert info.value.may_have_been_sent is False
    assert "not sent: no request slot came free in time (max_concurrency)" in str(info.value)
    assert holding.arrived["bpr_free"] == 0


async def test_one_timer_serves_the_whole_queue(
    make_client: Callable[..., AsyncExtend], holding: Holding
) -> None:
    from extend_async import SystemClock

    holding.held = {"bpr_held"}
    async with make_client(base_url=holding.url, max_concurrency=1, clock=SystemClock()) as client:
        held = asyncio.ensure_future(client.batch_processor_runs.get("bpr_held"))
        await holding.wait_for("bpr_held")
        loop = asyncio.get_running_loop()
        timers_before = len(loop._scheduled)  # type: ignore[attr-defined]
        queued = [
            asyncio.ensure_future(client.batch_processor_runs.get(f"bpr_{n}")) for n in range(50)
        ]
        for _ in range(3):
            await asyncio.sleep(0)
        timers_queued = len(loop._scheduled)  # type: ignore[attr-defined]
        holding.release.set()
        runs = await asyncio.gather(held, *queued)

    assert timers_queued - timers_before == 1  # fifty waiters, one timer
    assert [run.id for run in runs[1:]] == [f"bpr_{n}" for n in range(50)]
