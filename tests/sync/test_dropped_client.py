"""An Extend dropped without close(): closed quietly when collected, with a ResourceWarning."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import warnings

import pytest

from extend_async import Extend
from extend_async.testing import FakeExtendServer


def portal_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "extend-async-portal"]


def test_a_dropped_client_is_closed_and_its_thread_ends() -> None:
    with FakeExtendServer.in_thread() as fake:
        run = fake.add_batch_run()
        before = set(portal_threads())
        client = fake.sync_client()
        assert client.batch_processor_runs.get(run.id) == run
        [thread] = [t for t in portal_threads() if t not in before]
        session = client._async._pipeline.transport._session
        assert session is not None

        with pytest.warns(ResourceWarning, match="garbage-collected without close"):
            del client  # its last reference: collected at once

        thread.join(timeout=10)  # the portal stops itself once the session is closed
        assert not thread.is_alive()
        assert session.closed


def test_a_closed_client_is_not_warned_about() -> None:
    client = Extend("x", base_url="http://127.0.0.1:9")
    client.close()

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        del client
        gc.collect()

    assert seen == []


def test_a_script_that_drops_its_client_prints_nothing(tmp_path) -> None:
    script = tmp_path / "drop.py"
    script.write_text(
        """
import gc
from extend_async.testing import FakeExtendServer

with FakeExtendServer.in_thread() as fake:
    run = fake.add_batch_run()
    client = fake.sync_client()
    print(client.batch_processor_runs.get(run.id).id)
    del client
    gc.collect()
    client = fake.sync_client()  # and one still open at exit
    client.batch_processor_runs.get(run.id)
"""
    )

    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("bpr_")
    assert result.stderr == ""
