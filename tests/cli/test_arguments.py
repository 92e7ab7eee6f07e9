"""Bad values on the command line: usage errors (exit 2) naming the argument.

They are refused while parsing, so none of these reaches the library or the network.
"""

from __future__ import annotations

import pytest

from extend_async.cli import build_parser, main


@pytest.fixture(autouse=True)
def _nothing_to_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    """A connection that would be refused on loopback, should a bad value get through."""
    monkeypatch.setenv("EXTEND_BASE_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("EXTEND_API_KEY", "cli-token")
    monkeypatch.delenv("EXTEND_WORKSPACE_ID", raising=False)


def usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run ``argv``, check it is a usage error, and return its last line."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert err.startswith("usage: ")
    return err.splitlines()[-1]


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["batch-runs", "get", ""], "batch-runs get: error: argument id: must not be empty"),
        (["batch-runs", "wait", ""], "batch-runs wait: error: argument ID: must not be empty"),
        (
            ["batch-runs", "wait", "bpr_1", ""],
            "batch-runs wait: error: argument ID: must not be empty",
        ),
    ],
)
def test_an_empty_id_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], line: str
) -> None:
    assert usage_error(capsys, argv) == f"extend-async {line}"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "soon"])
def test_a_wait_timeout_must_be_a_positive_number_of_seconds(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    line = usage_error(capsys, ["batch-runs", "wait", "bpr_1", "--timeout", value])

    assert line == (
        "extend-async batch-runs wait: error: argument --timeout: "
        f"must be a positive number of seconds, got '{value}'"
    )


@pytest.mark.parametrize("command", [["get", "bpr_1"], ["wait", "bpr_1"]])
@pytest.mark.parametrize("value", ["-1", "nan", "0", "inf"])
def test_a_request_timeout_names_the_flag(
    capsys: pytest.CaptureFixture[str], command: list[str], value: str
) -> None:
    line = usage_error(capsys, ["batch-runs", *command, "--request-timeout", value])

    assert line == (
        f"extend-async batch-runs {command[0]}: error: argument --request-timeout: "
        f"must be a positive number of seconds, got '{value}'"
    )
    assert "Timeout" not in line


@pytest.mark.parametrize("flag", ["--base-url", "--token", "--workspace-id"])
def test_an_empty_connection_option_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    line = usage_error(capsys, ["batch-runs", "get", "bpr_1", flag, ""])

    assert line == f"extend-async batch-runs get: error: argument {flag}: must not be empty"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--port", "99999"],
            "argument --port: must be a port number from 0 to 65535, got '99999'",
        ),
        (["--port", "-1"], "argument --port: must be a port number from 0 to 65535, got '-1'"),
        (["--token", ""], "argument --token: must not be empty"),
        (["--host", ""], "argument --host: must not be empty"),
        (["--seed-runs", "-1"], "argument --seed-runs: must be a whole number >= 0, got '-1'"),
        (["--rate-limit", "0"], "argument --rate-limit: must be a whole number >= 1, got '0'"),
        (
            ["--finish-after", "-1"],
            "argument --finish-after: must be a number of seconds >= 0, got '-1'",
        ),
        (
            ["--finish-after", "nan"],
            "argument --finish-after: must be a number of seconds >= 0, got 'nan'",
        ),
    ],
)
def test_fake_server_options_are_checked(
    capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    assert (
        usage_error(capsys, ["fake-server", *options])
        == f"extend-async fake-server: error: {message}"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--runs", "0"], "argument --runs: must be a whole number >= 1, got '0'"),
        (["--rate-limit", "0"], "argument --rate-limit: must be a whole number >= 1, got '0'"),
        (["--concurrency", "-3"], "argument --concurrency: must be a whole number >= 1, got '-3'"),
        (
            ["--max-duration", "nan"],
            "argument --max-duration: must be a positive number of seconds, got 'nan'",
        ),
        (
            ["--max-duration", "inf"],
            "argument --max-duration: must be a positive number of seconds, got 'inf'",
        ),
        (
            ["--failure-rate", "1.5"],
            "argument --failure-rate: must be a number from 0 to 1, got '1.5'",
        ),
        (
            ["--failure-rate", "nan"],
            "argument --failure-rate: must be a number from 0 to 1, got 'nan'",
        ),
    ],
)
def test_demo_options_are_checked(
    capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    assert usage_error(capsys, ["demo", *options]) == f"extend-async demo: error: {message}"


def test_zero_runs_a_free_port_and_finishing_at_once_are_fine() -> None:
    args = build_parser().parse_args(
        ["fake-server", "--seed-runs", "0", "--port", "0", "--finish-after", "0"]
    )

    assert (args.seed_runs, args.port, args.finish_after) == (0, 0, 0.0)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["batch-runs", "get", "bpr_1", "--bogus"], "batch-runs get"),
        (["batch-runs", "wait", "bpr_1", "bpr_2", "--bogus"], "batch-runs wait"),
        (["fake-server", "--bogus"], "fake-server"),
        (["demo", "--bogus"], "demo"),
    ],
)
def test_an_unknown_flag_is_reported_with_that_commands_usage(
    capsys: pytest.CaptureFixture[str], argv: list[str], command: str
) -> None:
    code = main(argv)

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"usage: extend-async {command} [-h] [--debug]")
    assert err.splitlines()[-1] == f"extend-async {command}: error: unrecognized arguments: --bogus"
