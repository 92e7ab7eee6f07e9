"""How the command ends when the system, the user or the library stops it: one line
(or none), never a traceback, and the exit code a shell script can act on."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from extend_async.cli import _interruptible, main
from extend_async.testing import FakeExtendServer


@pytest.fixture
def fake() -> Iterator[FakeExtendServer]:
    with FakeExtendServer.in_thread(token="cli-secret-token") as server:
        yield server


def command(fake: FakeExtendServer, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "extend_async",
        *args,
        "--base-url",
        fake.url,
        "--token",
        fake.token,
    ]


def test_a_reader_that_went_away_ends_it_quietly(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run()
    with subprocess.Popen(
        command(fake, "batch-runs", "get", run.id, "--json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()  # as `| head -0` does, before anything is written

        err = process.stderr.read()
        process.wait(timeout=60)

    assert (process.returncode, err) == (1, "")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_the_system_cannot_write_is_one_line(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run()
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            command(fake, "batch-runs", "get", run.id),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )

    assert result.returncode == 1
    assert result.stderr == "error: [Errno 28] No space left on device\n"


def test_ctrl_c_prints_nothing_and_exits_130(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run(status="PROCESSING")  # never finishes
    with subprocess.Popen(
        command(fake, "batch-runs", "wait", run.id),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        first = process.stderr.readline()  # the first progress line: it is polling

        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)

    assert first == "0/1 done, 0 in flight, 1 requests\n"
    assert (process.returncode, out, err) == (130, "", "")


def test_a_value_the_library_refuses_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXTEND_BASE_URL", "http://127.0.0.1:99999")  # no such port
    monkeypatch.setenv("EXTEND_API_KEY", "cli-token")

    code = main(["batch-runs", "get", "bpr_1"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "port out of range" in err.lower()


def test_ctrl_c_in_any_task_cancels_the_command_as_a_whole() -> None:
    seen: list[str] = []

    async def command() -> int:
        async def worker() -> None:
            try:
                await asyncio.sleep(0)
                signal.raise_signal(signal.SIGINT)  # Ctrl-C while this task runs
                await asyncio.Event().wait()
            except BaseException as exc:
                seen.append(type(exc).__name__)
                raise

        await asyncio.create_task(worker())
        return 0

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(_interruptible(command()))

    assert seen == ["CancelledError"]  # never a KeyboardInterrupt inside the task
