"""The blocking twins: lists, a blocking wait, and an iterator that streams."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from polling._support import Runs, client_tasks
from support import BASE_URL, TOKEN

from extend_async import (
    BatchProcessorRun,
    BatchProcessorRunStatus,
    Extend,
    NotFoundError,
    PollPolicy,
    RetryPolicy,
    WaitTimeoutError,
)

#: Real time here (the portal runs the system clock): poll every millisecond.
FAST = PollPolicy(interval=0.001, fast_phase=0.0, growth=1.0, max_interval=0.001, jitter=0.0)
NEVER = 10**9


@pytest.fixture
def client() -> Iterator[Extend]:
    with Extend(TOKEN, base_url=BASE_URL, retry=RetryPolicy(max_retries=0)) as sync_client:
        yield sync_client


async def _client_task_count() -> int:
    return len(client_tasks())


def portal_tasks(client: Extend) -> int:
    """Tasks running this package's code left on the client's portal loop."""
    return client._runner.run(_client_task_count)


def test_get_many_returns_a_list_in_input_order(client: Extend, runs: Runs) -> None:
    runs.fail["bpr_gone"] = 404

    got = client.batch_processor_runs.get_many(["bpr_2", "bpr_1", "bpr_2"])
    with_errors = client.batch_processor_runs.get_many(
        ["bpr_1", "bpr_gone"], return_exceptions=True
    )

    assert [run.id for run in got] == ["bpr_2", "bpr_1", "bpr_2"]
    assert isinstance(with_errors[0], BatchProcessorRun)
    assert isinstance(with_errors[1], NotFoundError)


def test_wait_blocks_until_the_run_is_final(client: Extend, runs: Runs) -> None:
    runs.finish_on["bpr_1"] = 3

    run = client.batch_processor_runs.wait("bpr_1", poll=FAST)

    assert run.status is BatchProcessorRunStatus.PROCESSED
    assert runs.polls["bpr_1"] == 3


def test_wait_times_out_with_the_last_run(client: Extend, runs: Runs) -> None:
    runs.finish_on["bpr_1"] = NEVER

    with pytest.raises(WaitTimeoutError) as info:
        client.batch_processor_runs.wait("bpr_1", timeout=0.01, poll=FAST)

    assert info.value.last.status is BatchProcessorRunStatus.PROCESSING


def test_wait_many_streams_each_run_as_it_finishes(client: Extend, runs: Runs) -> None:
    runs.finish_on["bpr_slow"] = NEVER

    with client.batch_processor_runs.wait_many(["bpr_slow", "bpr_quick"], poll=FAST) as it:
        first_id, first = next(it)
        # The slow run is still being polled while we already hold the quick one.
        assert first_id == "bpr_quick"
        assert isinstance(first, BatchProcessorRun)
        assert runs.polls["bpr_slow"] >= 1
        runs.finish_on["bpr_slow"] = 0  # now let it finish

        second_id, second = next(it)
        assert second_id == "bpr_slow"
        assert isinstance(second, BatchProcessorRun)
        assert second.status is BatchProcessorRunStatus.PROCESSED
        with pytest.raises(StopIteration):
            next(it)
    assert portal_tasks(client) == 0


def test_close_stops_the_runs_still_being_polled(client: Extend, runs: Runs) -> None:
    runs.finish_on["bpr_slow"] = NEVER
    it = client.batch_processor_runs.wait_many(["bpr_slow", "bpr_quick"], poll=FAST)
    assert next(it)[0] == "bpr_quick"

    it.close()
    polls = runs.polls["bpr_slow"]

    assert portal_tasks(client) == 0  # a portal round trip: any live worker would poll
    client.batch_processor_runs.get("bpr_other")
    assert runs.polls["bpr_slow"] == polls
    with pytest.raises(StopIteration):
        next(it)
    it.close()  # idempotent


def test_an_abandoned_iterator_is_closed_when_collected(client: Extend, runs: Runs) -> None:
    runs.finish_on["bpr_slow"] = NEVER
    it = client.batch_processor_runs.wait_many(["bpr_slow", "bpr_quick"], poll=FAST)
    assert next(it)[0] == "bpr_quick"

    del it
    gc.collect()

    # The portal loop closes the generator (asyncio's finaliser hook) on its next turns.
    for _ in range(50):
        if portal_tasks(client) == 0:
            break
    assert portal_tasks(client) == 0


def test_breaking_out_of_a_for_loop_stops_the_polls(client: Extend, runs: Runs) -> None:
    runs.finish_on["bpr_slow"] = NEVER
    it = client.batch_processor_runs.wait_many(["bpr_slow", "bpr_quick"], poll=FAST)

    for run_id, _ in it:
        assert run_id == "bpr_quick"
        break
    # `it` is still referenced: leaving the loop alone stopped it.
    for _ in range(50):  # the close runs on the portal's next turns
        if portal_tasks(client) == 0:
            break
    assert portal_tasks(client) == 0
    polls = runs.polls["bpr_slow"]
    client.batch_processor_runs.get("bpr_other")  # a portal round trip
    assert runs.polls["bpr_slow"] == polls
    with pytest.raises(StopIteration):
        next(it)


def test_a_sibling_closed_leaves_its_parent_working(client: Extend, runs: Runs) -> None:
    with client.with_options(max_retries=1) as sibling:
        assert sibling.batch_processor_runs.get("bpr_1").id == "bpr_1"

    assert (sibling.closed, client.closed) == (False, False)
    assert client.batch_processor_runs.get("bpr_2").id == "bpr_2"


def test_iterating_to_the_end_with_errors(client: Extend, runs: Runs) -> None:
    runs.fail["bpr_gone"] = 404

    got = dict(client.batch_processor_runs.wait_many(["bpr_1", "bpr_gone"], poll=FAST))

    assert isinstance(got["bpr_1"], BatchProcessorRun)
    assert isinstance(got["bpr_gone"], NotFoundError)


def test_return_exceptions_false_raises_from_next(client: Extend, runs: Runs) -> None:
    runs.fail["bpr_gone"] = 404
    runs.finish_on["bpr_slow"] = NEVER

    it = client.batch_processor_runs.wait_many(
        ["bpr_slow", "bpr_gone"], poll=FAST, return_exceptions=False
    )
    with pytest.raises(NotFoundError):
        next(it)

    assert portal_tasks(client) == 0
    with pytest.raises(StopIteration):
        next(it)


def test_wait_all_returns_a_dict(client: Extend, runs: Runs) -> None:
    runs.finish_on["bpr_2"] = 2

    got = client.batch_processor_runs.wait_all(["bpr_2", "bpr_1"], poll=FAST)

    assert list(got) == ["bpr_2", "bpr_1"]
    assert all(isinstance(run, BatchProcessorRun) for run in got.values())


def test_closing_the_client_first_leaves_nothing_to_close(runs: Runs) -> None:
    runs.finish_on["bpr_slow"] = NEVER
    client = Extend(TOKEN, base_url=BASE_URL)
    it = client.batch_processor_runs.wait_many(["bpr_slow", "bpr_quick"], poll=FAST)
    assert next(it)[0] == "bpr_quick"

    client.close()  # ends everything on the portal, the stream's workers included
    it.close()

    with pytest.raises(StopIteration):
        next(it)


def test_an_iterator_never_started_sends_nothing(client: Extend, runs: Runs) -> None:
    it = client.batch_processor_runs.wait_many(["bpr_1"])
    it.close()
    assert runs.total == 0
