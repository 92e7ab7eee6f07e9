"""The extend-async command: output, JSON, exit codes and the fake server."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from extend_async import to_dict
from extend_async.cli import main
from extend_async.testing import FakeExtendServer


@pytest.fixture
def fake() -> Iterator[FakeExtendServer]:
    with FakeExtendServer.in_thread(token="cli-secret-token") as server:
        yield server


def connection(fake: FakeExtendServer) -> list[str]:
    return ["--base-url", fake.url, "--token", fake.token]


def test_get_prints_a_readable_summary(
    fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]
) -> None:
    run = fake.add_batch_run(processor_name="Invoices", status="PROCESSED", run_count=12)

    code = main(["batch-runs", "get", run.id, *connection(fake)])

    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == run.id
    assert "  status     PROCESSED\n" in out
    assert f"  processor  Invoices ({run.processor_id})\n" in out
    assert "  runs       12\n" in out


def test_get_json_is_the_wire_object(
    fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]
) -> None:
    run = fake.add_batch_run()

    code = main(["batch-runs", "get", run.id, "--json", *connection(fake)])

    assert code == 0
    assert json.loads(capsys.readouterr().out) == to_dict(run)


def test_not_found_is_one_line_and_exit_code_1(
    fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["batch-runs", "get", "bpr_missing", *connection(fake)])

    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("error: NotFoundError: ")
    assert "404" in err
    assert fake.token not in err


def test_a_wrong_token_is_an_api_error(
    fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["batch-runs", "get", "bpr_1", "--base-url", fake.url, "--token", "wrong-token"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: AuthenticationError: ")
    assert "wrong-token" not in err


def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EXTEND_API_KEY", raising=False)

    assert main(["batch-runs"]) == 2
    assert main(["batch-runs", "get", "bpr_1"]) == 2  # no token anywhere
    assert "EXTEND_API_KEY" in capsys.readouterr().err
    assert main(["batch-runs", "wait", "bpr_1", "--timeout", "-1", "--token", "t"]) == 2


def test_environment_supplies_the_connection(
    fake: FakeExtendServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = fake.add_batch_run()
    monkeypatch.setenv("EXTEND_BASE_URL", fake.url)
    monkeypatch.setenv("EXTEND_API_KEY", fake.token)
    monkeypatch.setenv("EXTEND_WORKSPACE_ID", "ws_cli")

    assert main(["batch-runs", "get", run.id]) == 0
    assert fake.last_headers["x-extend-workspace-id"] == "ws_cli"


def test_debug_shows_the_traceback(fake: FakeExtendServer) -> None:
    from extend_async import NotFoundError

    with pytest.raises(NotFoundError):
        main(["--debug", "batch-runs", "get", "bpr_missing", *connection(fake)])


@pytest.mark.parametrize(
    "argv",
    [
        ["batch-runs", "get", "bpr_missing", "--debug"],
        ["batch-runs", "--debug", "get", "bpr_missing"],
    ],
)
def test_debug_may_follow_the_command(fake: FakeExtendServer, argv: list[str]) -> None:
    from extend_async import NotFoundError

    with pytest.raises(NotFoundError):
        main([*argv, *connection(fake)])


def test_wait_prints_each_run_as_it_finishes(
    fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]
) -> None:
    done = fake.add_batch_run(status="PROCESSED")
    later = fake.add_batch_run(status="PROCESSING", finish_after_polls=2, outcome="FAILED")

    code = main(["batch-runs", "wait", later.id, done.id, *connection(fake)])

    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.splitlines() == [f"{done.id}  PROCESSED", f"{later.id}  FAILED"]
    assert "2/2 done" in captured.err  # plain progress lines when not a terminal


def test_wait_reports_missing_runs_and_exits_1(
    fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]
) -> None:
    run = fake.add_batch_run(status="PROCESSED")

    code = main(["batch-runs", "wait", run.id, "bpr_missing", "--json", *connection(fake)])

    captured = capsys.readouterr()
    assert code == 1
    assert json.loads(captured.out)["id"] == run.id
    assert "bpr_missing  error: NotFoundError" in captured.err


def test_wait_progress_counts_the_failed_poll_too(
    fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]
) -> None:
    run = fake.add_batch_run(status="PROCESSED")

    code = main(["batch-runs", "wait", run.id, "bpr_nope", *connection(fake)])

    progress = [line for line in capsys.readouterr().err.splitlines() if " done, " in line]
    assert code == 1
    assert progress[-1] == "2/2 done, 0 in flight, 2 requests"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "extend_async", *args]


def test_the_console_entry_point_exits_with_the_code(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run()

    ok = subprocess.run(
        _cli("batch-runs", "get", run.id, "--json", *connection(fake)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    missing = subprocess.run(
        _cli("batch-runs", "get", "nope", *connection(fake)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["id"] == run.id
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr


def test_fake_server_command_serves_until_interrupted() -> None:
    server = subprocess.Popen(
        _cli("fake-server", "--seed-runs", "3", "--json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        ready = json.loads(server.stdout.readline())
        assert len(ready["batchProcessorRunIds"]) == 3
        got = subprocess.run(
            _cli(
                "batch-runs",
                "get",
                ready["batchProcessorRunIds"][0],
                "--json",
                "--base-url",
                ready["url"],
                "--token",
                ready["token"],
            ),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert got.returncode == 0, got.stderr
        assert json.loads(got.stdout)["id"] == ready["batchProcessorRunIds"][0]
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    import extend_async

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"extend-async {extend_async.__version__}\n"
