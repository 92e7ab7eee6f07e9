"""The API commands of the table: processors, processor runs and workflow runs.

Each runs ``main`` against the threaded fake, and checks what it prints (the summary,
the lines, ``--json``), what reached the fake, and the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from cli._support import Cli

from extend_async import to_dict
from extend_async.models import Processor, Workflow
from extend_async.testing import FakeExtendServer


@pytest.fixture
def fake() -> Iterator[FakeExtendServer]:
    with FakeExtendServer.in_thread(token="cli-secret-token") as server:
        yield server


@pytest.fixture
def processor(fake: FakeExtendServer) -> Processor:
    return fake.processors.add(name="Invoices", published=2)


@pytest.fixture
def workflow(fake: FakeExtendServer) -> Workflow:
    return fake.workflows.add(name="Intake", published=2)


@pytest.fixture
def cli(fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(fake, capsys)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The arguments of every request body the run endpoints built (what the command
    gave the library), in order."""
    from extend_async.resources import processor_runs, workflow_runs

    made: list[dict[str, Any]] = []
    for module in (processor_runs, workflow_runs):
        real = module.json_body

        def spy(model: Any, method: str, _real: Any = real, **arguments: Any) -> Any:
            made.append({"method": method, **arguments})
            return _real(model, method, **arguments)

        monkeypatch.setattr(module, "json_body", spy)
    return made


# -- processors ---------------------------------------------------------------------------


def test_processors_list_prints_one_line_each(fake: FakeExtendServer, cli: Cli) -> None:
    extractor = fake.processors.add(name="Receipts", published=1)
    classifier = fake.processors.add(type="CLASSIFY", name="Sorter")

    assert cli("processors", "list") == 0

    assert sorted(cli.lines) == sorted(
        [
            f"{extractor.id}  EXTRACT   Receipts  versions: draft, 1.0",
            f"{classifier.id}  CLASSIFY  Sorter  versions: draft",
        ]
    )


def test_processors_list_filters_by_type_and_prints_json(fake: FakeExtendServer, cli: Cli) -> None:
    fake.processors.add(name="Receipts")
    classifier = fake.processors.add(type="CLASSIFY", name="Sorter")

    assert cli("processors", "list", "--type", "classify", "--json") == 0

    assert [item["id"] for item in cli.objects] == [classifier.id]
    assert cli.objects[0]["type"] == "CLASSIFY"


# -- processor runs: get, list ----------------------------------------------------------


def test_processor_run_get_prints_a_summary(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    run = fake.processor_runs.add(
        processor_id=processor.id, file_name="INV-7.pdf", metadata={"batch": 7}
    )

    assert cli("processor-runs", "get", run.id) == 0

    rows = cli.summary()
    assert cli.lines[0] == run.id
    assert rows["status"] == "PROCESSED"
    assert rows["processor"] == f"Invoices ({processor.id})"
    assert rows["version"] == run.processor_version_id
    assert rows["type"] == "EXTRACT"
    assert rows["file"] == f"INV-7.pdf ({run.files[0].id})"
    assert rows["metadata"] == '{"batch": 7}'
    assert rows["url"] == run.url
    assert "failure" not in rows
    columns = {len(line) - len(line[2:].split("  ", 1)[1].lstrip()) for line in cli.lines[1:]}
    assert len(columns) == 1  # every text starts in the same column


def test_processor_run_get_says_why_it_failed_and_that_it_is_not_final(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    failed = fake.processor_runs.add(processor_id=processor.id, status="FAILED")
    running = fake.processor_runs.add(processor_id=processor.id, status="PROCESSING")

    assert cli("processor-runs", "get", failed.id) == 0
    assert cli.summary()["failure"] == ("PROCESSING_ERROR: The document could not be processed.")
    assert cli("processor-runs", "get", running.id) == 0
    assert cli.summary()["status"] == "PROCESSING (not final)"


def test_processor_run_get_json_is_the_wire_object(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    run = fake.processor_runs.add(processor_id=processor.id)

    assert cli("processor-runs", "get", run.id, "--json") == 0

    assert json.loads(cli.out) == to_dict(fake.processor_runs.get(run.id))


def test_processor_run_list_stops_at_the_limit_fetching_only_the_pages_it_needs(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    runs = [fake.processor_runs.add(processor_id=processor.id) for _ in range(25)]

    assert cli("processor-runs", "list", "--limit", "12", "--page-size", "5") == 0

    assert len(cli.lines) == 12
    assert fake.requests["list_processor_runs"] == 3  # 5 + 5 + 2 of the third page
    ids = {run.id for run in runs}
    for line in cli.lines:
        run_id, status, name, created = line.split()
        assert (run_id in ids, status, name) == (True, "PROCESSED", "Invoices")
        assert created.endswith("Z")


def test_processor_run_list_shows_20_by_default_across_pages(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    for _ in range(25):
        fake.processor_runs.add(processor_id=processor.id)

    assert cli("processor-runs", "list", "--json") == 0

    assert len(cli.objects) == 20
    assert fake.requests["list_processor_runs"] == 2  # the fake's pages hold 10
    assert {item["status"] for item in cli.objects} == {"PROCESSED"}


def test_processor_run_list_passes_its_filters(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    other = fake.processors.add(name="Other")
    failed = fake.processor_runs.add(processor_id=processor.id, status="FAILED", file_name="a.pdf")
    fake.processor_runs.add(processor_id=processor.id, status="FAILED", file_name="b.pdf")
    fake.processor_runs.add(processor_id=processor.id, file_name="a.pdf")
    fake.processor_runs.add(processor_id=other.id, status="FAILED", file_name="a.pdf")

    code = cli(
        "processor-runs",
        "list",
        "--status",
        "failed",
        "--processor-id",
        processor.id,
        "--processor-type",
        "EXTRACT",
        "--source",
        "api",
        "--file-name-contains",
        "A.PDF",
        "--sort-by",
        "updatedat",
        "--sort-dir",
        "asc",
        "--json",
    )

    assert code == 0
    assert [item["id"] for item in cli.objects] == [failed.id]


def test_an_empty_list_prints_nothing(cli: Cli) -> None:
    assert cli("processor-runs", "list") == 0
    assert cli.out == ""


# -- processor runs: create ----------------------------------------------------------------


def test_create_on_a_url_prints_the_new_run(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    url = "https://files.example.com/in/INV-42.pdf"

    assert cli("processor-runs", "create", processor.id, "--file", url) == 0

    run_id = cli.lines[0]
    stored = fake.processor_runs.get(run_id)
    assert stored.files[0].presigned_url == url
    assert cli.summary()["status"] == "PROCESSING (not final)"
    assert cli.summary()["file"] == f"INV-42.pdf ({stored.files[0].id})"


def test_create_takes_a_file_id_or_a_text(
    fake: FakeExtendServer, cli: Cli, processor: Processor, calls: list[dict[str, Any]]
) -> None:
    assert cli("processor-runs", "create", processor.id, "--file", "file_abc", "--json") == 0
    by_id = json.loads(cli.out)
    assert cli("processor-runs", "create", processor.id, "--raw-text", "Total: 12 EUR") == 0

    assert by_id["files"][0]["id"] == "file_abc"
    assert fake.processor_runs.get(cli.lines[0]).files[0].name == "raw_text.txt"
    assert calls[1]["raw_text"] == "Total: 12 EUR"


def test_create_passes_every_option(
    fake: FakeExtendServer, cli: Cli, processor: Processor, calls: list[dict[str, Any]]
) -> None:
    code = cli(
        "processor-runs",
        "create",
        processor.id,
        "--file",
        "https://files.example.com/a.pdf",
        "--version",
        "1.0",
        "--priority",
        "7",
        "--metadata",
        '{"customer": "ACME", "extend:usage_tags": ["cli"]}',
        "--json",
    )

    assert code == 0
    run = json.loads(cli.out)
    assert run["processorVersionId"] == fake.processors.version(processor.id, "1.0").id
    assert run["metadata"] == {"customer": "ACME", "extend:usage_tags": ["cli"]}
    assert calls[0]["priority"] == 7
    assert calls[0]["sync"] is not True  # left out


def test_create_sync_is_answered_finished(
    cli: Cli, processor: Processor, calls: list[dict[str, Any]]
) -> None:
    assert cli("processor-runs", "create", processor.id, "--raw-text", "x", "--sync") == 0

    assert calls[0]["sync"] is True
    assert cli.summary()["status"] == "PROCESSED"


def test_create_wait_prints_the_outcome(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    fake.processor_runs.set_lifecycle(finish_after_polls=1)

    assert cli("processor-runs", "create", processor.id, "--raw-text", "x", "--wait") == 0

    run_id = cli.lines[0]
    assert cli.summary()["status"] == "PROCESSED"
    assert fake.requests["get_processor_run", run_id] == 1


def test_create_wait_exits_1_when_the_run_failed(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    fake.processor_runs.set_lifecycle(finish_after_polls=1, outcome="FAILED")

    code = cli(
        "processor-runs", "create", processor.id, "--raw-text", "x", "--wait", "--timeout", "30"
    )

    assert code == 1
    assert cli.summary()["status"] == "FAILED"


def test_create_wait_gives_up_after_its_timeout(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    fake.processor_runs.set_lifecycle(finish_after_polls=100)

    code = cli(
        "processor-runs", "create", processor.id, "--raw-text", "x", "--wait", "--timeout", "0.3"
    )

    assert code == 1
    assert cli.err.startswith("error: WaitTimeoutError: ")
    assert cli.err.count("\n") == 1


def test_create_on_an_unknown_processor_is_one_line(cli: Cli) -> None:
    assert cli("processor-runs", "create", "dp_missing", "--raw-text", "x") == 1

    assert cli.err.startswith("error: NotFoundError: ")
    assert cli.err.count("\n") == 1
    assert cli.out == ""


# -- processor runs: wait, cancel ----------------------------------------------------------


def test_wait_shows_progress_and_exits_1_for_a_failed_run(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    done = fake.processor_runs.add(processor_id=processor.id)
    failing = fake.processor_runs.add(
        processor_id=processor.id, finish_after_polls=2, outcome="FAILED"
    )

    code = cli("processor-runs", "wait", failing.id, done.id)

    assert code == 1
    assert cli.lines == [f"{done.id}  PROCESSED", f"{failing.id}  FAILED"]
    progress = [line for line in cli.err.splitlines() if " done, " in line]
    assert progress[-1] == "2/2 done, 0 in flight, 3 requests"


def test_wait_json_prints_each_run_and_exits_0_when_all_processed(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    runs = [fake.processor_runs.add(processor_id=processor.id) for _ in range(3)]

    assert cli("processor-runs", "wait", *(run.id for run in runs), "--json") == 0

    assert sorted(item["id"] for item in cli.objects) == sorted(run.id for run in runs)
    assert {item["status"] for item in cli.objects} == {"PROCESSED"}


def test_wait_reports_a_missing_run_on_stderr(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    run = fake.processor_runs.add(processor_id=processor.id)

    assert cli("processor-runs", "wait", run.id, "dpr_missing", "--timeout", "30") == 1

    assert cli.lines == [f"{run.id}  PROCESSED"]
    assert "dpr_missing  error: NotFoundError: " in cli.err


def test_cancel_of_a_running_run_prints_it_cancelled(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    run = fake.processor_runs.add(processor_id=processor.id, status="PROCESSING")

    assert cli("processor-runs", "cancel", run.id) == 0

    assert cli.lines[0] == run.id
    assert cli.summary()["status"] == "CANCELLED"
    assert fake.processor_runs.get(run.id).status == "CANCELLED"


def test_cancel_json_is_the_wire_object(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    run = fake.processor_runs.add(processor_id=processor.id, status="PENDING")

    assert cli("processor-runs", "cancel", run.id, "--json") == 0

    assert json.loads(cli.out) == to_dict(fake.processor_runs.get(run.id))


def test_cancel_of_a_finished_run_is_one_line_and_exit_code_1(
    fake: FakeExtendServer, cli: Cli, processor: Processor
) -> None:
    run = fake.processor_runs.add(processor_id=processor.id)

    assert cli("processor-runs", "cancel", run.id) == 1

    assert cli.out == ""
    assert cli.err.startswith("error: BadRequestError: ")
    assert "400" in cli.err
    assert cli.err.count("\n") == 1
    assert fake.token not in cli.err


# -- workflow runs ------------------------------------------------------------------------


def test_workflow_run_get_prints_a_summary(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    run = fake.workflow_runs.add(
        workflow_id=workflow.id, status="NEEDS_REVIEW", file_name="INV-7.pdf", batch_id="batch_1"
    )

    assert cli("workflow-runs", "get", run.id) == 0

    rows = cli.summary()
    assert cli.lines[0] == run.id
    assert rows["status"] == "NEEDS_REVIEW (waiting for a reviewer)"
    assert rows["name"] == "INV-7.pdf"
    assert rows["workflow"] == f"Intake ({workflow.id}, 2)"
    assert rows["file"] == f"INV-7.pdf ({run.files[0].id})"
    assert rows["outputs"] == "1"
    assert rows["batch"] == "batch_1"
    assert rows["url"] == run.url


def test_workflow_run_get_json_is_the_wire_object(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    run = fake.workflow_runs.add(workflow_id=workflow.id)

    assert cli("workflow-runs", "get", run.id, "--json") == 0

    assert json.loads(cli.out) == to_dict(fake.workflow_runs.get(run.id))


def test_workflow_run_list_with_a_limit_and_filters(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    parked = [
        fake.workflow_runs.add(workflow_id=workflow.id, status="NEEDS_REVIEW") for _ in range(7)
    ]
    fake.workflow_runs.add(workflow_id=workflow.id)
    fake.workflow_runs.add(status="NEEDS_REVIEW")  # another workflow

    code = cli(
        "workflow-runs",
        "list",
        "--status",
        "needs_review",
        "--workflow-id",
        workflow.id,
        "--page-size",
        "3",
        "--limit",
        "5",
    )

    assert code == 0
    assert len(cli.lines) == 5
    assert fake.requests["list_workflow_runs"] == 2
    ids = {run.id for run in parked}
    for line in cli.lines:
        run_id, status, name, _created = line.split()
        assert (run_id in ids, status, name) == (True, "NEEDS_REVIEW", "Intake")


def test_workflow_run_list_by_batch_as_json(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    mine = fake.workflow_runs.add(workflow_id=workflow.id, batch_id="batch_a")
    fake.workflow_runs.add(workflow_id=workflow.id, batch_id="batch_b")

    assert cli("workflow-runs", "list", "--batch-id", "batch_a", "--json") == 0

    assert [item["id"] for item in cli.objects] == [mine.id]
    assert cli.objects[0]["batchId"] == "batch_a"


def test_workflow_run_create_starts_one_run_per_file(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    code = cli(
        "workflow-runs",
        "create",
        workflow.id,
        "--file",
        "https://files.example.com/a.pdf",
        "--file",
        "file_b",
    )

    assert code == 0
    assert [line.split("  ")[1] for line in cli.lines] == ["PENDING", "PENDING"]
    runs = [fake.workflow_runs.get(line.split()[0]) for line in cli.lines]
    assert runs[0].files[0].name == "a.pdf"  # named by its URL
    assert runs[1].files[0].id == "file_b"


def test_workflow_run_create_passes_every_option(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow, calls: list[dict[str, Any]]
) -> None:
    code = cli(
        "workflow-runs",
        "create",
        workflow.id,
        "--raw-text",
        "first",
        "--raw-text",
        "second",
        "--version",
        "1",
        "--priority",
        "90",
        "--metadata",
        '{"source": "cli"}',
        "--json",
    )

    assert code == 0
    assert len(cli.objects) == 2
    assert {item["workflow"]["version"] for item in cli.objects} == {"1"}
    assert {json.dumps(item["metadata"]) for item in cli.objects} == {'{"source": "cli"}'}
    assert calls[0]["raw_texts"] == ["first", "second"]
    assert calls[0]["priority"] == 90


def test_workflow_run_create_wait_prints_the_outcomes(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    fake.workflow_runs.set_lifecycle(finish_after_polls=1)

    code = cli(
        "workflow-runs", "create", workflow.id, "--raw-text", "a", "--raw-text", "b", "--wait"
    )

    assert code == 0
    assert [line.split("  ")[1] for line in cli.lines] == ["PROCESSED", "PROCESSED"]


def test_workflow_run_create_wait_exits_1_when_a_run_failed(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    fake.workflow_runs.set_lifecycle(finish_after_polls=1, outcome="FAILED")

    assert cli("workflow-runs", "create", workflow.id, "--raw-text", "a", "--wait", "--json") == 1

    assert cli.objects[0]["status"] == "FAILED"


def test_workflow_run_wait_until_review_stops_at_needs_review(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    parked = fake.workflow_runs.add(
        workflow_id=workflow.id, finish_after_polls=1, outcome="NEEDS_REVIEW"
    )
    done = fake.workflow_runs.add(workflow_id=workflow.id)

    assert cli("workflow-runs", "wait", parked.id, done.id, "--until-review") == 0

    assert sorted(cli.lines) == sorted([f"{parked.id}  NEEDS_REVIEW", f"{done.id}  PROCESSED"])
    assert "2/2 done" in cli.err


def test_workflow_run_wait_goes_on_through_review_without_the_flag(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    parked = fake.workflow_runs.add(workflow_id=workflow.id, status="NEEDS_REVIEW")

    assert cli("workflow-runs", "wait", parked.id, "--timeout", "0.3") == 1

    assert cli.out == ""
    assert f"{parked.id}  error: WaitTimeoutError: " in cli.err


def test_workflow_run_wait_exits_1_for_a_failed_run(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    failed = fake.workflow_runs.add(workflow_id=workflow.id, status="FAILED")
    rejected = fake.workflow_runs.add(workflow_id=workflow.id, status="REJECTED")

    assert cli("workflow-runs", "wait", rejected.id) == 0  # a reviewer's decision
    assert cli("workflow-runs", "wait", failed.id, rejected.id) == 1
    assert sorted(cli.lines) == sorted([f"{failed.id}  FAILED", f"{rejected.id}  REJECTED"])


def test_workflow_run_cancel_of_a_running_and_of_a_finished_run(
    fake: FakeExtendServer, cli: Cli, workflow: Workflow
) -> None:
    running = fake.workflow_runs.add(workflow_id=workflow.id, status="PROCESSING")
    finished = fake.workflow_runs.add(workflow_id=workflow.id)

    assert cli("workflow-runs", "cancel", running.id, "--json") == 0
    assert json.loads(cli.out)["status"] == "CANCELLED"

    assert cli("workflow-runs", "cancel", finished.id) == 1
    assert cli.out == ""
    assert cli.err.startswith("error: BadRequestError: ")
    assert cli.err.count("\n") == 1


def test_a_missing_workflow_run_is_one_line(cli: Cli) -> None:
    assert cli("workflow-runs", "get", "workflow_run_missing") == 1

    assert cli.err.startswith("error: NotFoundError: ")
    assert cli.err.count("\n") == 1
