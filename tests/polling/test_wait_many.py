"""wait_many / wait_all: one scheduler, a fixed pool of workers, results as they finish."""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from collections.abc import Callable

import pytest
from polling._support import (
    EXACT,
    Holding,
    Runs,
    VirtualClock,
    acquired_connections,
    client_tasks,
)

from extend_async import (
    AsyncExtend,
    BatchProcessorRun,
    BatchProcessorRunStatus,
    NotFoundError,
    Progress,
    WaitTimeoutError,
)
from extend_async.polling import AsyncPolling


async def test_yields_in_completion_order(client: AsyncExtend, runs: Runs) -> None:
    runs.finish_on.update({"bpr_a": 3, "bpr_b": 1, "bpr_c": 2})

    async with client.batch_processor_runs.wait_many(
        ["bpr_a", "bpr_b", "bpr_c"], poll=EXACT
    ) as stream:
        got = [(run_id, run) async for run_id, run in stream]

    assert [run_id for run_id, _ in got] == ["bpr_b", "bpr_c", "bpr_a"]
    for run_id, run in got:
        assert isinstance(run, BatchProcessorRun)
        assert run.id == run_id
        assert run.status is BatchProcessorRunStatus.PROCESSED
    assert runs.polls == {"bpr_a": 3, "bpr_b": 1, "bpr_c": 2}


async def test_one_failure_does_not_end_the_others(client: AsyncExtend, runs: Runs) -> None:
    runs.fail["bpr_gone"] = 404
    runs.finish_on["bpr_slow"] = 3

    got = await client.batch_processor_runs.wait_all(["bpr_slow", "bpr_gone", "bpr_ok"])

    assert list(got) == ["bpr_slow", "bpr_gone", "bpr_ok"]  # keys in input order
    assert isinstance(got["bpr_gone"], NotFoundError)
    for run_id in ("bpr_slow", "bpr_ok"):
        run = got[run_id]
        assert isinstance(run, BatchProcessorRun)
        assert run.status is BatchProcessorRunStatus.PROCESSED


async def test_return_exceptions_false_raises_the_first_failure_and_stops(
    client: AsyncExtend, runs: Runs
) -> None:
    runs.fail["bpr_gone"] = 404
    runs.finish_on["bpr_slow"] = 1000

    with pytest.raises(NotFoundError):
        await client.batch_processor_runs.wait_all(
            ["bpr_slow", "bpr_gone"], return_exceptions=False
        )

    assert runs.polls["bpr_gone"] == 1
    assert runs.polls["bpr_slow"] == 1  # cancelled while waiting for its next poll
    assert not client_tasks()


async def test_runs_still_going_at_the_deadline_time_out_with_their_last_state(
    client: AsyncExtend, runs: Runs
) -> None:
    runs.finish_on.update({"bpr_slow": 1000, "bpr_quick": 2})

    got = await client.batch_processor_runs.wait_all(
        ["bpr_slow", "bpr_quick"], timeout=4, poll=EXACT
    )

    assert isinstance(got["bpr_quick"], BatchProcessorRun)
    timed_out = got["bpr_slow"]
    assert isinstance(timed_out, WaitTimeoutError)
    assert timed_out.id == "bpr_slow"
    assert timed_out.last.status is BatchProcessorRunStatus.PROCESSING


async def test_a_repeated_id_is_waited_for_once(client: AsyncExtend, runs: Runs) -> None:
    got = await client.batch_processor_runs.wait_all(["bpr_1", "bpr_1", "bpr_2"])

    assert list(got) == ["bpr_1", "bpr_2"]
    assert runs.polls == {"bpr_1": 1, "bpr_2": 1}


async def test_no_ids_nothing_to_wait_for(client: AsyncExtend, runs: Runs) -> None:
    async with client.batch_processor_runs.wait_many([]) as stream:
        assert [item async for item in stream] == []
    assert await client.batch_processor_runs.wait_all([]) == {}
    assert runs.total == 0


async def test_bad_input_is_refused_when_called(client: AsyncExtend, runs: Runs) -> None:
    resource = client.batch_processor_runs
    with pytest.raises(TypeError, match=r"ids\[2\] must be a string, got bytes"):
        resource.wait_many(["bpr_1", "bpr_2", b"bpr_3"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="timeout must be >= 0"):
        resource.wait_many(["bpr_1"], timeout=-5)
    assert runs.total == 0


async def test_progress_reports_every_poll(client: AsyncExtend, runs: Runs) -> None:
    runs.finish_on.update({"bpr_a": 2, "bpr_b": 1})
    reports: list[Progress] = []

    await client.batch_processor_runs.wait_all(
        ["bpr_a", "bpr_b"], poll=EXACT, on_progress=reports.append
    )

    assert len(reports) == 3  # one per poll
    assert [report.requests for report in reports] == [1, 2, 3]
    assert [report.done for report in reports] == sorted(report.done for report in reports)
    assert reports[-1] == Progress(done=2, total=2, in_flight=0, requests=3)


async def test_progress_counts_a_poll_that_failed(client: AsyncExtend, runs: Runs) -> None:
    runs.fail["bpr_gone"] = 404
    reports: list[Progress] = []

    await client.batch_processor_runs.wait_all(
        ["bpr_ok", "bpr_gone"], poll=EXACT, on_progress=reports.append
    )

    assert reports[-1] == Progress(done=2, total=2, in_flight=0, requests=2)
    assert sorted(report.requests for report in reports) == [1, 2]


async def test_a_failing_progress_hook_ends_the_wait(client: AsyncExtend, runs: Runs) -> None:
    runs.finish_on["bpr_a"] = 1000

    def broken(progress: Progress) -> None:
        raise RuntimeError("progress bar broke")

    with pytest.raises(RuntimeError, match="progress bar broke"):
        await client.batch_processor_runs.wait_all(["bpr_a"], on_progress=broken)
    assert not client_tasks()


class MemoryRuns(AsyncPolling[tuple[str, int]]):
    """The polling mixin over an in-memory fetch: a run is finished on its n-th poll."""

    def __init__(self, client: AsyncExtend, finish_on: dict[str, int]) -> None:
        self._pipeline = client._pipeline
        self.finish_on = finish_on
        self.polls: Counter[str] = Counter()

    async def _fetch(self, id: str, deadline: float | None = None) -> tuple[str, int]:
        self.polls[id] += 1
        await asyncio.sleep(0)  # a real fetch gives the loop a turn too
        return id, self.polls[id]

    def _is_terminal(self, obj: tuple[str, int]) -> bool:
        run_id, polls = obj
        return polls >= self.finish_on[run_id]


async def test_ten_thousand_ids_cost_a_fixed_pool_of_workers(
    make_client: Callable[..., AsyncExtend],
) -> None:
    ids = [f"run_{n}" for n in range(10_000)]
    finish_on = {run_id: 1 + n % 3 for n, run_id in enumerate(ids)}
    tasks_seen: list[int] = []

    def count_tasks(progress: Progress) -> None:
        tasks_seen.append(len(client_tasks()) + 1)  # + the worker calling us

    async with make_client(max_concurrency=16) as client:
        memory = MemoryRuns(client, finish_on)
        got = await memory.wait_all(ids, poll=EXACT, on_progress=count_tasks)

    assert got == {run_id: (run_id, finish_on[run_id]) for run_id in ids}
    assert memory.polls == finish_on
    assert len(tasks_seen) == sum(finish_on.values())  # one report per poll
    assert max(tasks_seen) == 16  # the workers, and nothing per id
    assert not client_tasks()


async def test_through_the_endpoint_the_pool_stays_fixed_too(
    make_client: Callable[..., AsyncExtend], runs: Runs
) -> None:
    ids = [f"bpr_{n}" for n in range(300)]
    for run_id in ids[::2]:
        runs.finish_on[run_id] = 2  # half of them need a second poll
    tasks_seen: list[int] = []

    def count_tasks(progress: Progress) -> None:
        tasks_seen.append(len(client_tasks()) + 1)

    async with make_client(max_concurrency=8) as client:
        got = await client.batch_processor_runs.wait_all(ids, on_progress=count_tasks)

    assert all(isinstance(run, BatchProcessorRun) for run in got.values())
    assert runs.total == 450
    assert max(tasks_seen) == 8
    assert not client_tasks()


async def test_a_429_pauses_every_worker_and_the_poll_is_retried(
    make_client: Callable[..., AsyncExtend], runs: Runs
) -> None:
    runs.clock = clock = VirtualClock()
    ids = [f"bpr_{n}" for n in range(40)]
    for run_id in ids:
        runs.finish_on[run_id] = 3
    runs.fail_on["bpr_7", 2] = (429, {"Retry-After": "30"})
    async with make_client(max_concurrency=8, clock=clock) as client:
        gate = client._pipeline.gate
        sent_while_cooling: list[str] = []

        def check(run_id: str, poll: int) -> None:
            if gate.cooling_down_for > 0:
                sent_while_cooling.append(run_id)

        runs.hook = check
        got = await client.batch_processor_runs.wait_all(ids, poll=EXACT)

    assert sent_while_cooling == []
    assert all(isinstance(run, BatchProcessorRun) for run in got.values())
    # bpr_7's second poll (t=1) was refused; it was made again once the pause ended,
    # and every request not already on its way at t=1 waited for that too.
    assert runs.times("bpr_7") == [0.0, 1.0, 31.0]
    assert {at for _, at in runs.sent_at} == {0.0, 1.0, 31.0}
    assert runs.total == 40 * 3


async def test_pacing_applies_to_polls(make_client: Callable[..., AsyncExtend], runs: Runs) -> None:
    runs.clock = clock = VirtualClock()
    for n in range(8):
        runs.finish_on[f"bpr_{n}"] = 2
    async with make_client(max_requests_per_second=4, clock=clock) as client:
        await client.batch_processor_runs.wait_all([f"bpr_{n}" for n in range(8)], poll=EXACT)

    # Eight first polls paced 0.25 s apart; the second ones, due a second after each
    # first one, keep the same pace.
    assert [at for _, at in runs.sent_at] == [n * 0.25 for n in range(16)]


async def test_closing_the_stream_cancels_polls_in_flight(
    make_client: Callable[..., AsyncExtend], holding: Holding
) -> None:
    holding.held = {"bpr_held_1", "bpr_held_2"}
    async with make_client(base_url=holding.url) as client:
        stream = client.batch_processor_runs.wait_many(["bpr_held_1", "bpr_held_2", "bpr_free"])
        async with stream:
            run_id, _ = await anext(stream)
            assert run_id == "bpr_free"
            await holding.wait_for("bpr_held_1", "bpr_held_2")
            assert acquired_connections(client) == 2
        # Left the block: both held requests were cancelled, nothing is left running.
        assert acquired_connections(client) == 0
        assert not client_tasks()


async def test_breaking_out_and_dropping_the_stream_stops_it(
    make_client: Callable[..., AsyncExtend], holding: Holding
) -> None:
    holding.held = {"bpr_held"}
    async with make_client(base_url=holding.url) as client:
        async for run_id, _ in client.batch_processor_runs.wait_many(["bpr_held", "bpr_free"]):
            assert run_id == "bpr_free"
            break
        gc.collect()  # the stream is garbage: the loop closes its generator
        await holding.wait_for("bpr_held")
        for _ in range(10):
            if not client_tasks():
                break
            await asyncio.sleep(0)
        assert not client_tasks()
        assert acquired_connections(client) == 0


async def test_breaking_out_stops_the_polls_while_the_stream_is_still_held(
    make_client: Callable[..., AsyncExtend], holding: Holding
) -> None:
    holding.held = {"bpr_held"}
    async with make_client(base_url=holding.url) as client:
        stream = client.batch_processor_runs.wait_many(["bpr_held", "bpr_free"])
        async for run_id, _ in stream:
            assert run_id == "bpr_free"
            await holding.wait_for("bpr_held")
            break
        # `stream` is still referenced and was never closed: leaving the loop stopped it.
        for _ in range(10):  # the cancellation lands on the loop's next turns
            if not client_tasks():
                break
            await asyncio.sleep(0)
        assert not client_tasks()
        assert acquired_connections(client) == 0
        assert [item async for item in stream] == []


async def test_cancelling_the_consumer_cancels_everything(
    make_client: Callable[..., AsyncExtend], holding: Holding
) -> None:
    holding.held = {"bpr_1", "bpr_2"}
    async with make_client(base_url=holding.url) as client:

        async def consume() -> None:
            async with client.batch_processor_runs.wait_many(["bpr_1", "bpr_2"]) as stream:
                async for _ in stream:
                    raise AssertionError("nothing finishes")

        task = asyncio.ensure_future(consume())
        await holding.wait_for("bpr_1", "bpr_2")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        assert not client_tasks()
        assert acquired_connections(client) == 0
