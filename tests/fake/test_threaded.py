"""The fake on its own thread, driven by the blocking ``Extend`` client."""

from __future__ import annotations

import threading
import time

import pytest

from extend_async import (
    APIConnectionError,
    AuthenticationError,
    Extend,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
)
from extend_async.testing import FakeExtendServer

ROUTE = "get_batch_processor_run"


def fake_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "extend-fake-server"]


def test_the_sync_client_reads_seeded_runs() -> None:
    with FakeExtendServer.in_thread(seed=5) as fake, fake.sync_client() as client:
        assert len(fake_threads()) == 1
        run = fake.add_batch_run()
        assert client.batch_processor_runs.get(run.id) == run
        with pytest.raises(NotFoundError):
            client.batch_processor_runs.get("bpr_missing")
        assert fake.requests[ROUTE] == 2

    assert fake_threads() == []


def test_the_thread_is_joined_and_the_port_closed() -> None:
    with FakeExtendServer.in_thread() as fake:
        url = fake.url
        run = fake.add_batch_run()

    assert fake_threads() == []
    with (
        Extend(fake.token, base_url=url, max_retries=0) as client,
        pytest.raises(APIConnectionError),
    ):
        client.batch_processor_runs.get(run.id)


def test_lifecycles_move_when_the_test_thread_advances_the_clock() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        run = fake.add_batch_run(processing_after=1, finish_after=2, outcome="FAILED")
        seen = [client.batch_processor_runs.get(run.id).status]
        for _ in range(2):
            fake.advance(1)
            seen.append(client.batch_processor_runs.get(run.id).status)

    assert seen == ["PENDING", "PROCESSING", "FAILED"]


def test_polls_finish_a_run_for_the_sync_client() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        run = fake.add_batch_run(finish_after_polls=2)
        seen = [client.batch_processor_runs.get(run.id).status for _ in range(2)]

    assert seen == ["PROCESSING", "PROCESSED"]


def test_faults_and_retries_through_the_sync_client() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        run = fake.add_batch_run()
        fake.faults.add(route=ROUTE, status=503, times=1)
        assert client.batch_processor_runs.get(run.id) == run
        fake.faults.add(route=ROUTE, status=500)
        with pytest.raises(InternalServerError):
            client.batch_processor_runs.get(run.id)

        assert [record.status for record in fake.request_log] == [503, 200, 500, 500, 500]


def test_many_threads_share_one_threaded_fake() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        runs = fake.seed_batch_runs(8)
        results: dict[str, str] = {}

        def fetch(run_id: str) -> None:
            results[run_id] = client.batch_processor_runs.get(run_id).id

        workers = [threading.Thread(target=fetch, args=(run.id,)) for run in runs]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    assert results == {run.id: run.id for run in runs}
    assert fake.requests[ROUTE] == 8


def test_in_thread_takes_the_constructor_options() -> None:
    with (
        FakeExtendServer.in_thread(token="sk_thread", rate_limit=1) as fake,
        fake.sync_client(max_retries=0) as client,
    ):
        assert fake.token == "sk_thread"
        run = fake.add_batch_run()
        client.batch_processor_runs.get(run.id)
        with Extend("sk_other", base_url=fake.url) as stranger, pytest.raises(AuthenticationError):
            stranger.batch_processor_runs.get(run.id)
        assert fake.rate_limit == 1


async def test_an_async_client_can_use_a_threaded_fake() -> None:
    with FakeExtendServer.in_thread() as fake:
        run = fake.add_batch_run()
        async with fake.client() as client:
            assert await client.batch_processor_runs.get(run.id) == run


def test_a_sync_client_can_see_429s_without_waiting() -> None:
    policy = RetryPolicy(initial_backoff=0, max_retry_after=0)
    with (
        FakeExtendServer.in_thread(rate_limit=1) as fake,
        fake.sync_client(retry=policy) as client,
    ):
        run = fake.add_batch_run()
        client.batch_processor_runs.get(run.id)
        started = time.perf_counter()
        for _ in range(2):
            with pytest.raises(RateLimitError):
                client.batch_processor_runs.get(run.id)

        assert time.perf_counter() - started < 0.5  # no Retry-After was waited out
        assert fake.rate_limited == 2
