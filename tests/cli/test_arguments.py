"""Bad values on the command line: usage errors (exit 2) naming the argument.

They are refused while parsing, so none of these reaches the library or the network.
"""

from __future__ import annotations

import subprocess
import sys

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
        (
            ["--seed-processors", "-1"],
            "argument --seed-processors: must be a whole number >= 0, got '-1'",
        ),
        (
            ["--seed-workflows", "one"],
            "argument --seed-workflows: must be a whole number >= 0, got 'one'",
        ),
        (
            ["--seed-processor-runs", "1.5"],
            "argument --seed-processor-runs: must be a whole number >= 0, got '1.5'",
        ),
        (
            ["--seed-workflow-runs", ""],
            "argument --seed-workflow-runs: must be a whole number >= 0, got ''",
        ),
        (
            ["--seed-processors", "0"],
            "argument --seed-processor-runs: 6 runs need --seed-processors 1 or more "
            "(or give --seed-processor-runs 0)",
        ),
        (
            ["--seed-workflows", "0", "--seed-workflow-runs", "2"],
            "argument --seed-workflow-runs: 2 runs need --seed-workflows 1 or more "
            "(or give --seed-workflow-runs 0)",
        ),
        (["--rate-limit", "0"], "argument --rate-limit: must be a whole number >= 1, got '0'"),
        (
            ["--finish-after", "-1"],
            "argument --finish-after: must be a number of seconds >= 0, got '-1'",
        ),
        (
            ["--finish-after", "nan"],
            "argument --finish-after: must be a number of seconds >= 0, got 'nan'",
        ),
        (
            ["--webhook-url", "ftp://example.com/hook"],
            "argument --webhook-url: must be an http(s) URL, got 'ftp://example.com/hook'",
        ),
        (
            ["--webhook-url", "http://"],
            "argument --webhook-url: must be an http(s) URL, got 'http://'",
        ),
        (
            ["--webhook-url", "localhost:8000"],
            "argument --webhook-url: must be an http(s) URL, got 'localhost:8000'",
        ),
        (["--webhook-secret", "wss_x"], "argument --webhook-secret: only with --webhook-url"),
        (
            ["--webhook-url", "http://127.0.0.1:9/hook", "--webhook-secret", ""],
            "argument --webhook-secret: must not be empty",
        ),
        (
            ["--webhook-url", "http://127.0.0.1:9/hook", "--webhook-secret", "wss_x\n"],
            "argument --webhook-secret: secret has surrounding whitespace or control "
            "characters (a newline read from a file?): no signature would ever match",
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
        (["--files", "0"], "argument --files: must be a whole number >= 1, got '0'"),
        (["--files", "two"], "argument --files: must be a whole number >= 1, got 'two'"),
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


def test_no_processors_and_no_workflows_are_fine_without_their_runs() -> None:
    none = ["--seed-processors", "0", "--seed-processor-runs", "0"]
    args = build_parser().parse_args(
        ["fake-server", *none, "--seed-workflows", "0", "--seed-workflow-runs", "0"]
    )
    args.check(args)

    assert (args.seed_processors, args.seed_processor_runs) == (0, 0)
    assert (args.seed_workflows, args.seed_workflow_runs) == (0, 0)


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


# -- the commands of the table ---------------------------------------------------------------

PR_CREATE = ["processor-runs", "create", "dp_1", "--raw-text", "x"]
WR_CREATE = ["workflow-runs", "create", "workflow_1", "--raw-text", "x"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["processor-runs", "get", ""], "argument id: must not be empty"),
        (["processor-runs", "cancel", ""], "argument id: must not be empty"),
        (["processor-runs", "wait", "dpr_1", ""], "argument ID: must not be empty"),
        (["workflow-runs", "get", ""], "argument id: must not be empty"),
        (["workflow-runs", "cancel", ""], "argument id: must not be empty"),
        (["workflow-runs", "wait", ""], "argument ID: must not be empty"),
        (
            ["processor-runs", "create", "", "--raw-text", "x"],
            "argument PROCESSOR_ID: must not be empty",
        ),
        (
            ["workflow-runs", "create", "", "--raw-text", "x"],
            "argument WORKFLOW_ID: must not be empty",
        ),
        (["processor-runs", "create", "dp_1", "--file", ""], "argument --file: must not be empty"),
        (
            ["workflow-runs", "create", "w", "--raw-text", ""],
            "argument --raw-text: must not be empty",
        ),
        (
            ["processor-runs", "list", "--processor-id", ""],
            "argument --processor-id: must not be empty",
        ),
        (["workflow-runs", "list", "--batch-id", ""], "argument --batch-id: must not be empty"),
    ],
)
def test_an_empty_value_is_a_usage_error_naming_its_argument(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    command = " ".join(argv[:2])
    assert usage_error(capsys, argv) == f"extend-async {command}: error: {message}"


PROCESSOR_RUN_STATUSES = "PENDING, PROCESSING, PROCESSED, FAILED, CANCELLED"
WORKFLOW_RUN_STATUSES = (
    "PENDING, PROCESSING, NEEDS_REVIEW, REJECTED, PROCESSED, FAILED, CANCELLED, CANCELLING"
)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["processor-runs", "list", "--status", "DONE"],
            f"argument --status: must be one of {PROCESSOR_RUN_STATUSES}, got 'DONE'",
        ),
        (
            ["workflow-runs", "list", "--status", "NEEDS-REVIEW"],
            f"argument --status: must be one of {WORKFLOW_RUN_STATUSES}, got 'NEEDS-REVIEW'",
        ),
        (
            ["processor-runs", "list", "--processor-type", "OCR"],
            "argument --processor-type: must be one of EXTRACT, CLASSIFY, SPLITTER, got 'OCR'",
        ),
        (
            ["processors", "list", "--type", "OCR"],
            "argument --type: must be one of EXTRACT, CLASSIFY, SPLITTER, got 'OCR'",
        ),
        (
            ["processor-runs", "list", "--source", "CLI"],
            "argument --source: must be one of ADMIN, BATCH_PROCESSOR_RUN, PLAYGROUND, "
            "WORKFLOW_CONFIGURATION, WORKFLOW_RUN, STUDIO, API, got 'CLI'",
        ),
        (
            ["workflow-runs", "list", "--sort-by", "name"],
            "argument --sort-by: must be one of createdAt, updatedAt, got 'name'",
        ),
        (
            ["processors", "list", "--sort-dir", "up"],
            "argument --sort-dir: must be one of asc, desc, got 'up'",
        ),
        (
            ["processor-runs", "list", "--limit", "0"],
            "argument --limit: must be a whole number >= 1, got '0'",
        ),
        (
            ["workflow-runs", "list", "--limit", "ten"],
            "argument --limit: must be a whole number >= 1, got 'ten'",
        ),
        (
            ["processors", "list", "--page-size", "0"],
            "argument --page-size: must be a whole number >= 1, got '0'",
        ),
        (
            [*PR_CREATE, "--priority", "0"],
            "argument --priority: must be a whole number from 1 to 100, got '0'",
        ),
        (
            [*WR_CREATE, "--priority", "101"],
            "argument --priority: must be a whole number from 1 to 100, got '101'",
        ),
        (
            [*PR_CREATE, "--priority", "high"],
            "argument --priority: must be a whole number from 1 to 100, got 'high'",
        ),
        (
            [*PR_CREATE, "--metadata", "[1, 2]"],
            "argument --metadata: must be a JSON object, got '[1, 2]'",
        ),
        (
            [*WR_CREATE, "--metadata", '"text"'],
            "argument --metadata: must be a JSON object, got '\"text\"'",
        ),
        (
            [*PR_CREATE, "--metadata", "{oops"],
            "argument --metadata: must be a JSON object, got '{oops'",
        ),
        (
            [*PR_CREATE, "--wait", "--timeout", "0"],
            "argument --timeout: must be a positive number of seconds, got '0'",
        ),
        ([*PR_CREATE, "--timeout", "5"], "argument --timeout: only with --wait"),
        ([*WR_CREATE, "--timeout", "5"], "argument --timeout: only with --wait"),
        (
            ["processor-runs", "wait", "dpr_1", "--timeout", "nan"],
            "argument --timeout: must be a positive number of seconds, got 'nan'",
        ),
        (
            ["processor-runs", "create", "dp_1"],
            "one of the arguments --file --raw-text is required",
        ),
        (["workflow-runs", "create", "w"], "one of the arguments --file --raw-text is required"),
        (
            [*PR_CREATE, "--file", "file_1"],
            "argument --file: not allowed with argument --raw-text",
        ),
        (
            ["workflow-runs", "create", "w", "--file", "a", "--raw-text", "b"],
            "argument --raw-text: not allowed with argument --file",
        ),
        (
            ["workflow-runs", "create", "w", *(["--file", "file_1"] * 51)],
            "argument --file: at most 50 per call",
        ),
        (
            [*PR_CREATE, "--raw-text", "y"],
            "argument --raw-text: takes one value: give it once",
        ),
        (
            ["processor-runs", "create", "dp_1", "--file", "a", "--file", "b"],
            "argument --file: takes one value: give it once",
        ),
    ],
)
def test_a_bad_value_is_a_usage_error_naming_its_option(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    command = " ".join(argv[:2])
    assert usage_error(capsys, argv) == f"extend-async {command}: error: {message}"


def test_enum_values_are_taken_in_any_case() -> None:
    args = build_parser().parse_args(
        [
            "processor-runs",
            "list",
            "--status",
            "failed",
            "--sort-by",
            "UPDATEDAT",
            "--source",
            "api",
        ]
    )

    assert (args.status, args.sort_by, args.source) == ("FAILED", "updatedAt", "API")


def test_fifty_files_are_fine_and_options_left_out_stay_none() -> None:
    args = build_parser().parse_args(["workflow-runs", "create", "w", *(["--file", "f"] * 50)])

    assert len(args.files) == 50
    assert (args.raw_texts, args.version, args.priority, args.metadata) == (None,) * 4


@pytest.mark.parametrize(
    "argv",
    [
        ["processors", "list"],
        ["processor-runs", "list"],
        ["processor-runs", "get", "dpr_1"],
        ["processor-runs", "create", "dp_1", "--raw-text", "x"],
        ["processor-runs", "wait", "dpr_1"],
        ["processor-runs", "cancel", "dpr_1"],
        ["workflow-runs", "list"],
        ["workflow-runs", "get", "w_1"],
        ["workflow-runs", "create", "w", "--raw-text", "x"],
        ["workflow-runs", "wait", "w_1"],
        ["workflow-runs", "cancel", "w_1"],
    ],
)
def test_every_command_of_the_table_reports_an_unknown_flag_with_its_usage(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    command = " ".join(argv[:2])

    code = main([*argv, "--bogus"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"usage: extend-async {command} [-h] [--debug]")
    assert err.splitlines()[-1] == f"extend-async {command}: error: unrecognized arguments: --bogus"


def test_until_review_is_for_workflow_runs_only(capsys: pytest.CaptureFixture[str]) -> None:
    line = usage_error(capsys, ["processor-runs", "wait", "dpr_1", "--until-review"])

    assert line == "extend-async processor-runs wait: error: unrecognized arguments: --until-review"


def test_the_command_line_loads_no_web_server_until_a_command_serves() -> None:
    check = "import sys, extend_async.cli; print('aiohttp.web' in sys.modules)"

    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)

    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")
