"""get_many: a fixed pool of workers, results in input order, errors per id or raised."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

import pytest
from polling._support import Holding, Runs, acquired_connections, client_tasks

from extend_async import AsyncExtend, BatchProcessorRun, NotFoundError
from extend_async.polling import _fetch_many


async def test_results_come_in_input_order(client: AsyncExtend, runs: Runs) -> None:
    ids = [f"bpr_{n}" for n in range(50)]

    got = await client.batch_processor_runs.get_many(ids)

    assert [run.id for run in got] == ids
    assert all(isinstance(run, BatchProcessorRun) for run in got)


async def test_a_repeated_id_is_fetched_once(client: AsyncExtend, runs: Runs) -> None:
    got = await client.batch_processor_runs.get_many(["bpr_a", "bpr_b", "bpr_a", "bpr_a"])

    assert [run.id for run in got] == ["bpr_a", "bpr_b", "bpr_a", "bpr_a"]
    assert got[0] is got[2] is got[3]
    assert runs.polls == {"bpr_a": 1, "bpr_b": 1}


async def test_no_ids_no_requests(client: AsyncExtend, runs: Runs) -> None:
    assert await client.batch_processor_runs.get_many([]) == []
    assert runs.total == 0


async def test_return_exceptions_puts_each_error_in_its_place(
    client: AsyncExtend, runs: Runs
) -> None:
    runs.fail["bpr_gone"] = 404

    got = await client.batch_processor_runs.get_many(
        ["bpr_1", "bpr_gone", "bpr_2"], return_exceptions=True
    )

    first, missing, last = got
    assert isinstance(first, BatchProcessorRun)
    assert first.id == "bpr_1"
    assert isinstance(missing, NotFoundError)
    assert missing.status_code == 404
    assert isinstance(last, BatchProcessorRun)
    assert last.id == "bpr_2"


async def test_the_first_error_is_raised_and_the_rest_cancelled(
    make_client: Callable[..., AsyncExtend], runs: Runs
) -> None:
    runs.fail["bpr_2"] = 404
    async with make_client(max_concurrency=1) as client:  # one worker: a strict order
        with pytest.raises(NotFoundError):
            await client.batch_processor_runs.get_many([f"bpr_{n}" for n in range(1, 10)])

    assert runs.polls == {"bpr_1": 1, "bpr_2": 1}  # nothing after the failure
    assert not client_tasks()


async def test_every_worker_s_error_is_retrieved_when_several_fail() -> None:
    loop = asyncio.get_running_loop()
    reported: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _, context: reported.append(context))

    async def fetch(id: str) -> str:
        raise LookupError(id)  # every worker fails in its first step, all before the wait ends

    try:
        with pytest.raises(LookupError, match="a"):
            await _fetch_many(fetch, ["a", "b", "c"], workers=3, return_exceptions=False)
        gc.collect()  # a failed task nobody read is reported as it is collected
    finally:
        loop.set_exception_handler(None)

    assert reported == []


async def test_workers_never_exceed_the_concurrency_cap(
    make_client: Callable[..., AsyncExtend], runs: Runs
) -> None:
    seen: list[int] = []
    runs.hook = lambda _id, _n: seen.append(len(client_tasks()) + 1)  # + the caller
    async with make_client(max_concurrency=4) as client:
        got = await client.batch_processor_runs.get_many([f"bpr_{n}" for n in range(200)])

    assert len(got) == 200
    assert max(seen) == 4  # four workers, never one task per id
    assert not client_tasks()


async def test_cancelling_get_many_ends_every_worker_and_request(
    make_client: Callable[..., AsyncExtend], holding: Holding
) -> None:
    holding.held = {"bpr_1", "bpr_2", "bpr_3"}
    async with make_client(base_url=holding.url) as client:
        task = asyncio.ensure_future(
            client.batch_processor_runs.get_many(["bpr_1", "bpr_2", "bpr_3"])
        )
        await holding.wait_for("bpr_1", "bpr_2", "bpr_3")
        assert acquired_connections(client) == 3

        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        assert acquired_connections(client) == 0
        assert not client_tasks()


@pytest.mark.parametrize(
    ("ids", "error", "message"),
    [
        ("bpr_1", TypeError, "not a single 'bpr_1'"),
        (["bpr_1", 7], TypeError, r"ids\[1\] must be a string, got int: 7"),
        (["bpr_1", None], TypeError, r"ids\[1\] must be a string, got NoneType"),
        ([""], ValueError, r"ids\[0\] must be a non-empty string"),
    ],
)
async def test_bad_ids_are_refused_before_any_request(
    client: AsyncExtend, runs: Runs, ids: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.batch_processor_runs.get_many(ids)  # type: ignore[call-overload]
    assert runs.total == 0
