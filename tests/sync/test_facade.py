"""The blocking facade: same names and types, one portal for the client's life."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
from aioresponses import CallbackResult, aioresponses
from support import BASE_URL, TOKEN, run_body, run_url

from extend_async import (
    APIResponse,
    BatchProcessorRun,
    BatchProcessorRunStatus,
    ClientClosedError,
    Extend,
    ExtendError,
    NotFoundError,
)


def portal_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "extend-async-portal"]


def test_get_returns_the_typed_run(client: Extend, mocked: aioresponses) -> None:
    mocked.get(run_url("bpr_1"), payload=run_body("bpr_1", "PROCESSED"))

    run = client.batch_processor_runs.get("bpr_1")

    assert isinstance(run, BatchProcessorRun)
    assert run.id == "bpr_1"
    assert run.status is BatchProcessorRunStatus.PROCESSED
    assert run.processor_name == "Invoice Processor"


def test_raw_gives_status_headers_and_the_same_object(client: Extend, mocked: aioresponses) -> None:
    mocked.get(run_url("bpr_1"), payload=run_body("bpr_1"), headers={"x-request-id": "req_9"})

    response = client.batch_processor_runs.get.raw("bpr_1")

    assert isinstance(response, APIResponse)
    assert response.status_code == 200
    assert response.request_id == "req_9"
    assert response.attempts == 1
    assert response.parsed.id == "bpr_1"


def test_portal_starts_on_first_call_and_is_reused(mocked: aioresponses) -> None:
    mocked.get(run_url("bpr_1"), payload=run_body("bpr_1"), repeat=True)
    client = Extend(TOKEN, base_url=BASE_URL)
    assert portal_threads() == []

    for _ in range(5):
        client.batch_processor_runs.get("bpr_1")
    threads = portal_threads()

    assert len(threads) == 1
    client.close()
    assert not threads[0].is_alive()
    assert portal_threads() == []


def test_close_is_idempotent_and_later_calls_fail_clearly(mocked: aioresponses) -> None:
    mocked.get(run_url("bpr_1"), payload=run_body("bpr_1"))
    client = Extend(TOKEN, base_url=BASE_URL)
    client.batch_processor_runs.get("bpr_1")

    client.close()
    client.close()

    assert client.closed
    with pytest.raises(ClientClosedError, match="closed"):
        client.batch_processor_runs.get("bpr_1")


def test_close_before_any_call_starts_nothing() -> None:
    client = Extend(TOKEN, base_url=BASE_URL)
    client.close()
    assert portal_threads() == []
    with pytest.raises(ClientClosedError):
        client.batch_processor_runs.get("bpr_1")


def test_errors_keep_their_class(client: Extend, mocked: aioresponses) -> None:
    mocked.get(run_url("missing"), status=404, payload={"success": False, "error": "Not found"})

    with pytest.raises(NotFoundError) as caught:
        client.batch_processor_runs.get("missing")

    assert caught.value.status_code == 404
    assert caught.value.message == "Not found"


def test_bad_input_is_reported_before_anything_is_sent(client: Extend) -> None:
    with pytest.raises(ValueError, match="id must be a non-empty string"):
        client.batch_processor_runs.get("")


def test_many_threads_share_one_portal(client: Extend, mocked: aioresponses) -> None:
    ids = [f"bpr_{n}" for n in range(40)]
    for run_id in ids:
        mocked.get(run_url(run_id), payload=run_body(run_id))

    with ThreadPoolExecutor(max_workers=8) as pool:
        runs = list(pool.map(client.batch_processor_runs.get, ids))

    assert [run.id for run in runs] == ids
    assert len(portal_threads()) == 1


async def test_works_from_inside_a_running_event_loop(client: Extend, mocked: aioresponses) -> None:
    mocked.get(run_url("bpr_1"), payload=run_body("bpr_1"))
    asyncio.get_running_loop()  # as in a Jupyter cell: a loop is running in this thread

    run = client.batch_processor_runs.get("bpr_1")

    assert run.id == "bpr_1"


def test_siblings_share_the_portal_and_close_together(client: Extend, mocked: aioresponses) -> None:
    mocked.get(run_url("bpr_1"), payload=run_body("bpr_1"), repeat=True)
    sibling = client.with_options(workspace_id="ws_other", max_retries=0)

    client.batch_processor_runs.get("bpr_1")
    sibling.batch_processor_runs.get("bpr_1")

    assert len(portal_threads()) == 1
    assert sibling.config.workspace_id == "ws_other"
    assert client.config.workspace_id is None
    client.close()
    assert sibling.closed


def test_calling_the_facade_from_its_own_loop_thread_is_refused(
    client: Extend, mocked: aioresponses
) -> None:
    mocked.get(run_url("bpr_1"), payload=run_body("bpr_1"), repeat=True)
    client.batch_processor_runs.get("bpr_1")  # start the portal

    async def nested() -> None:
        client.batch_processor_runs.get("bpr_1")

    with pytest.raises(ExtendError, match="own event loop thread"):
        client._runner.run(nested)


def test_interrupting_a_call_cancels_it_on_the_portal(client: Extend, mocked: aioresponses) -> None:
    cancelled = threading.Event()
    main_thread = threading.main_thread().ident
    assert main_thread is not None
    assert threading.get_ident() == main_thread

    async def hang(url: object, **kwargs: object) -> CallbackResult:
        signal.pthread_kill(main_thread, signal.SIGINT)  # Ctrl-C while the caller waits
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()
        raise AssertionError("unreachable")

    mocked.get(run_url("bpr_1"), callback=hang)

    with pytest.raises(KeyboardInterrupt):
        client.batch_processor_runs.get("bpr_1")

    assert cancelled.wait(timeout=5), "the portal task was not cancelled"


def test_repr_and_config_never_show_the_token(client: Extend) -> None:
    assert TOKEN not in repr(client)
    assert TOKEN not in repr(client.config)
    assert repr(client).startswith("Extend(base_url='https://api.extend.test'")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_starts_its_own_portal(client: Extend, mocked: aioresponses) -> None:
    mocked.get(run_url("bpr_1"), payload=run_body("bpr_1"), repeat=True)
    client.batch_processor_runs.get("bpr_1")

    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a process with threads: that is the point.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, reported through the exit code
        code = 1
        try:
            code = 0 if client.batch_processor_runs.get("bpr_1").id == "bpr_1" else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert client.batch_processor_runs.get("bpr_1").id == "bpr_1"  # the parent is unaffected


def test_exit_without_close_shuts_down_cleanly() -> None:
    script = f"""
import warnings
warnings.simplefilter("error")
from aioresponses import aioresponses
import aiohttp, inspect, types, aioresponses.core as core
class R(aiohttp.ClientResponse):
    def __init__(self, method, url, **kw):
        kw.setdefault("stream_writer", types.SimpleNamespace(output_size=0))
        super().__init__(method, url, **kw)
if "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters:
    core.ClientResponse = R
from extend_async import Extend
mock = aioresponses(); mock.start()
mock.get({run_url("bpr_1")!r}, payload={run_body("bpr_1")!r})
client = Extend({TOKEN!r}, base_url={BASE_URL!r})
print(client.batch_processor_runs.get("bpr_1").id)
"""
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "bpr_1"
    assert "Unclosed" not in result.stderr
    assert "Traceback" not in result.stderr
