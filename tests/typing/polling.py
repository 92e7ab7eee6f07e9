"""Type-checked, never run: the polling API as users write it (``mypy --strict``).

The overloads on ``return_exceptions`` must reach both the async methods and their
blocking twins.
"""

from __future__ import annotations

from typing_extensions import assert_type

from extend_async import (
    AsyncExtend,
    BatchProcessorRun,
    Extend,
    PollPolicy,
    Progress,
    SyncIterator,
    WaitStream,
)


def show(progress: Progress) -> None:
    print(progress.done, progress.total)


async def async_usage(client: AsyncExtend) -> None:
    runs = client.batch_processor_runs
    assert_type(await runs.get_many(["a"]), list[BatchProcessorRun])
    assert_type(
        await runs.get_many(["a"], return_exceptions=True), list[BatchProcessorRun | BaseException]
    )
    assert_type(await runs.wait("a", timeout=60, poll=PollPolicy(interval=2)), BatchProcessorRun)
    stream = runs.wait_many(["a", "b"], on_progress=show)
    assert_type(stream, WaitStream[tuple[str, BatchProcessorRun | BaseException]])
    async with stream:
        async for run_id, outcome in stream:
            assert_type(run_id, str)
            assert_type(outcome, BatchProcessorRun | BaseException)
    strict = runs.wait_many(["a"], return_exceptions=False)
    assert_type(strict, WaitStream[tuple[str, BatchProcessorRun]])
    assert_type(await runs.wait_all(["a"]), dict[str, BatchProcessorRun | BaseException])
    assert_type(await runs.wait_all(["a"], return_exceptions=False), dict[str, BatchProcessorRun])


def sync_usage(client: Extend) -> None:
    runs = client.batch_processor_runs
    assert_type(runs.get_many(["a"]), list[BatchProcessorRun])
    assert_type(
        runs.get_many(["a"], return_exceptions=True), list[BatchProcessorRun | BaseException]
    )
    assert_type(runs.wait("a", timeout=60), BatchProcessorRun)
    with runs.wait_many(["a", "b"], timeout=600) as it:
        assert_type(it, SyncIterator[tuple[str, BatchProcessorRun | BaseException]])
        for run_id, outcome in it:
            assert_type(run_id, str)
            assert_type(outcome, BatchProcessorRun | BaseException)
    assert_type(
        runs.wait_many(["a"], return_exceptions=False), SyncIterator[tuple[str, BatchProcessorRun]]
    )
    assert_type(runs.wait_all(["a"], return_exceptions=False), dict[str, BatchProcessorRun])
