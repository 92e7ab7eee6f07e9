"""What ``extend-async fake-server`` seeds, as it announces it, and that the commands
work on it right away: processors, a workflow, batch, processor and workflow runs."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import Any

import pytest
from cli._support import serving, serving_json

from extend_async import Extend
from extend_async.cli import main

PROCESSOR_ID = "dp_Xj8mK2pL9nR4vT7qY5wZ"
WORKFLOW_ID = "workflow_BMdfq_yWM3sT-ZzvCnA3f"
PROCESSOR_RUN_IDS = ["dpr_Xj8mK2pL9nR4vT7qY5wZ", "dpr_gwkZZNRrPgkjcq0yXk7Pa"]
FILE_ID = "file_xK9mLPqRtN3vS8wF5hB2cQ"
WORKFLOW_RUN_IDS = ["workflow_run_xKm9pNv3qWsY_jL2tR5Dh", "workflow_run_TcgplCsALH1I-cvG93mWa"]


@pytest.fixture(scope="module")
def default_seeding() -> Iterator[dict[str, Any]]:
    """What a plain ``fake-server --json`` seeds (never touched: every test reads it)."""
    with serving_json() as announced:
        yield announced


def test_the_json_line_names_everything_seeded(default_seeding: dict[str, Any]) -> None:
    announced = default_seeding

    assert announced["url"].startswith("http://127.0.0.1:")
    assert announced["token"] == "test-token"
    assert len(announced["batchProcessorRunIds"]) == 5
    assert announced["fileIds"][0] == FILE_ID
    assert len(announced["fileIds"]) == 3
    assert announced["processorIds"][0] == PROCESSOR_ID
    assert len(announced["processorIds"]) == 3
    assert announced["workflowIds"] == [WORKFLOW_ID]
    assert announced["processorRunIds"][:2] == PROCESSOR_RUN_IDS
    assert len(announced["processorRunIds"]) == 6
    assert announced["workflowRunIds"][:2] == WORKFLOW_RUN_IDS
    assert len(announced["workflowRunIds"]) == 6
    # every other processor and workflow run still going; batch runs finished
    assert announced["runningIds"] == [
        *announced["processorRunIds"][1::2],
        *announced["workflowRunIds"][1::2],
    ]


def test_the_seeded_objects_are_what_the_line_says(default_seeding: dict[str, Any]) -> None:
    with Extend(default_seeding["token"], base_url=default_seeding["url"]) as client:
        by_id = {summary.id: summary for summary in client.processors.list()}
        processors = [by_id[pid] for pid in default_seeding["processorIds"]]
        versions = [
            sorted(v.version for v in client.processor_versions.list(processor.id))
            for processor in processors
        ]
        runs = [client.processor_runs.get(rid) for rid in default_seeding["processorRunIds"]]
        flow_runs = [client.workflow_runs.get(rid) for rid in default_seeding["workflowRunIds"]]
        batches = [
            client.batch_processor_runs.get(rid) for rid in default_seeding["batchProcessorRunIds"]
        ]
        item = client.evaluation_set_items.create(
            evaluation_set_id=client.evaluation_sets.create(
                name="Golden", description="", processor_id=processors[0].id
            ).id,
            file_id=default_seeding["fileIds"][2],
            expected_output={"value": {}},
        )

    assert len(by_id) == 3
    assert [str(p.type) for p in processors] == ["EXTRACT", "CLASSIFY", "SPLITTER"]
    assert versions == [["1.0", "1.1", "draft"]] * 3
    assert [str(run.status) for run in runs] == [
        "PROCESSED",
        "PROCESSING",
        "FAILED",
        "PROCESSING",
        "PROCESSED",
        "PROCESSING",
    ]
    assert [run.processor_id for run in runs] == [p.id for p in processors] * 2
    assert [str(run.status) for run in flow_runs] == [
        "PROCESSED",
        "PROCESSING",
        "NEEDS_REVIEW",
        "PROCESSING",
        "FAILED",
        "PROCESSING",
    ]
    processed = flow_runs[0]
    assert processed.workflow.id == WORKFLOW_ID
    assert [output.processor_id for output in processed.outputs] == [p.id for p in processors]
    assert {str(run.status) for run in batches} == {"PROCESSED"}
    assert item.file_id == default_seeding["fileIds"][2]  # a stored file: usable by id


def announcement(out: Any, rows: int = 0) -> list[str]:
    """The human announcement's lines up to its table's title, and ``rows`` rows of it."""
    lines = [out.readline().rstrip("\n")]
    while lines[-1] != "Seeded:":
        lines.append(out.readline().rstrip("\n"))
    return lines + [out.readline().rstrip("\n") for _ in range(rows)]


def test_the_announcement_shows_commands_to_try_and_every_id() -> None:
    with serving() as out:
        lines = announcement(out, rows=19)
    with serving_json() as announced:
        pass  # the same seed: the same ids

    url = lines[1].split("=", 1)[1]
    assert lines[:3] == [
        f"Fake Extend API listening on {url}  (Ctrl-C to stop)",
        f"  export EXTEND_BASE_URL={url}",
        "  export EXTEND_API_KEY=test-token",
    ]
    table = lines[lines.index("Seeded:") + 1 :]
    rows = [re.split(r"\s{2,}", row.strip()) for row in table]
    assert [(kind, object_id) for kind, object_id, _ in rows] == [
        *(("file", fid) for fid in announced["fileIds"]),
        *(("processor", pid) for pid in announced["processorIds"]),
        ("workflow", WORKFLOW_ID),
        *(("processor run", rid) for rid in announced["processorRunIds"]),
        *(("workflow run", rid) for rid in announced["workflowRunIds"]),
    ]
    assert [what for _, _, what in rows[:3]] == [f"invoice-00{n}.pdf" for n in (1, 2, 3)]
    assert rows[3][2] == "EXTRACT, versions 1.0, 1.1 and draft"
    assert rows[6][2] == "version 1 and draft; steps: EXTRACT, CLASSIFY, SPLITTER"
    assert [what for _, _, what in rows[7:9]] == [
        "PROCESSED",
        "PROCESSING, ends PROCESSED on its second GET",
    ]
    assert rows[-4][2] == "NEEDS_REVIEW"
    commands = [line.strip() for line in lines if line.startswith("  extend-async ")]
    assert commands == [
        *(f"extend-async batch-runs get {rid}" for rid in announced["batchProcessorRunIds"]),
        "extend-async processors list",
        f"extend-async processor-runs create {PROCESSOR_ID} --raw-text "
        "'Invoice INV-7, total 12.50 EUR' --wait",
        "extend-async processor-runs list",
        f"extend-async workflow-runs create {WORKFLOW_ID} --raw-text "
        "'Invoice INV-7, total 12.50 EUR' --wait",
        "extend-async workflow-runs list",
    ]


def test_the_commands_it_announces_work_as_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving() as out:
        lines = announcement(out)
        for line in lines[1:3]:  # the two exports, as the shell would take them
            name, _, value = line.strip().removeprefix("export ").partition("=")
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("EXTEND_WORKSPACE_ID", raising=False)
        results = []
        for line in lines:
            if line.startswith("  extend-async "):
                code = main(shlex.split(line)[1:])
                results.append((line.strip(), code, capsys.readouterr()))

    assert len(results) == 10
    for command, code, captured in results:
        assert (command, code, captured.err) == (command, 0, ""), captured.out
    created = results[6][2].out.splitlines()
    assert created[0].startswith("dpr_")
    assert "PROCESSED" in created[1]


def cli(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, list[str]]:
    code = main([*argv, "--base-url", url, "--token", "test-token"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out.splitlines()


def test_every_command_has_something_to_act_on(capsys: pytest.CaptureFixture[str]) -> None:
    with serving_json() as seeded:
        url = seeded["url"]
        processor_runs, workflow_runs = seeded["processorRunIds"], seeded["workflowRunIds"]
        listed = cli(capsys, url, "processors", "list", "--type", "classify")
        runs_of_first = cli(capsys, url, "processor-runs", "list", "--processor-id", PROCESSOR_ID)
        failed = cli(capsys, url, "processor-runs", "list", "--status", "FAILED")
        cancelled = cli(capsys, url, "processor-runs", "cancel", processor_runs[1], "--json")
        waited = cli(capsys, url, "processor-runs", "wait", processor_runs[3], processor_runs[0])
        in_review = cli(capsys, url, "workflow-runs", "list", "--status", "needs_review")
        by_workflow = cli(capsys, url, "workflow-runs", "list", "--workflow-id", WORKFLOW_ID)
        flow_cancelled = cli(capsys, url, "workflow-runs", "cancel", workflow_runs[1], "--json")
        flow_waited = cli(capsys, url, "workflow-runs", "wait", workflow_runs[3], workflow_runs[0])
        reviewed = cli(capsys, url, "workflow-runs", "wait", workflow_runs[2], "--until-review")
        on_version = cli(
            capsys, url, "processor-runs", "create", PROCESSOR_ID, "--raw-text", "x",
            "--version", "1.0",
        )  # fmt: skip
        no_such_version = cli(
            capsys, url, "processor-runs", "create", PROCESSOR_ID, "--raw-text", "x",
            "--version", "2.0",
        )  # fmt: skip

    assert listed[0] == 0
    assert [line.split()[0] for line in listed[1]] == [seeded["processorIds"][1]]
    assert runs_of_first[0] == 0
    assert {line.split()[0] for line in runs_of_first[1]} == {processor_runs[0], processor_runs[3]}
    assert [line.split()[0] for line in failed[1]] == [processor_runs[2]]
    assert cancelled[0] == 0
    assert '"status": "CANCELLED"' in "\n".join(cancelled[1])
    assert waited[0] == 0
    assert {line.split()[0] for line in waited[1]} == {processor_runs[3], processor_runs[0]}
    assert all("PROCESSED" in line for line in waited[1])
    assert [line.split()[0] for line in in_review[1]] == [workflow_runs[2]]
    assert len(by_workflow[1]) == 6
    assert flow_cancelled[0] == 0
    assert '"status": "CANCELLED"' in "\n".join(flow_cancelled[1])
    assert flow_waited[0] == 0
    assert {line.split()[0] for line in flow_waited[1]} == {workflow_runs[3], workflow_runs[0]}
    assert all("PROCESSED" in line for line in flow_waited[1])
    assert reviewed[0] == 0
    assert "NEEDS_REVIEW" in reviewed[1][0]
    assert on_version[0] == 0  # a published version to run
    assert no_such_version[0] == 1  # 404: only 1.0 and 1.1 were published


@pytest.mark.parametrize(
    ("finish_after", "after_three_gets"), [("0", "PROCESSED"), ("3600", "PROCESSING")]
)
def test_runs_still_going_follow_finish_after(finish_after: str, after_three_gets: str) -> None:
    with (
        serving_json("--finish-after", finish_after) as seeded,
        Extend(seeded["token"], base_url=seeded["url"]) as client,
    ):
        running = seeded["runningIds"]
        seen = {}
        for _ in range(3):
            for run_id in seeded["processorRunIds"][1::2]:
                seen[run_id] = client.processor_runs.get(run_id).status
            for run_id in seeded["workflowRunIds"][1::2]:
                seen[run_id] = client.workflow_runs.get(run_id).status
            for run_id in seeded["batchProcessorRunIds"]:
                seen[run_id] = client.batch_processor_runs.get(run_id).status

    assert set(running) == {
        *seeded["batchProcessorRunIds"],
        *seeded["processorRunIds"][1::2],
        *seeded["workflowRunIds"][1::2],
    }  # batch runs too, with --finish-after
    assert {str(status) for status in seen.values()} == {after_three_gets}


def test_the_seed_decides_the_generated_ids_not_the_example_ones() -> None:
    with serving_json("--seed", "3") as first, serving_json("--seed", "3") as again:
        pass
    with serving_json("--seed", "4") as other:
        pass
    keys = ["fileIds", "processorIds", "processorRunIds", "workflowRunIds", "batchProcessorRunIds"]

    assert [first[key] for key in keys] == [again[key] for key in keys]
    for key in keys:
        assert first[key][0] == other[key][0]  # the example id, whatever the seed
        assert first[key][2:] != other[key][2:]


NOTHING = (
    *("--seed-processors", "0", "--seed-workflows", "0", "--seed-runs", "0"),
    *("--seed-processor-runs", "0", "--seed-workflow-runs", "0", "--seed-files", "0"),
)


def test_it_can_seed_more_or_nothing() -> None:
    more_options = (
        *("--seed-processors", "5", "--seed-workflows", "2", "--seed-runs", "0"),
        *("--seed-processor-runs", "1", "--seed-workflow-runs", "3", "--seed-files", "1"),
    )
    with serving_json(*more_options) as more:
        pass
    with serving_json(*NOTHING) as nothing, serving(*NOTHING) as out:
        first_lines = [out.readline() for _ in range(3)]

    assert [len(more[key]) for key in ("processorIds", "workflowIds")] == [5, 2]
    assert more["fileIds"] == [FILE_ID]
    assert (more["processorRunIds"], more["batchProcessorRunIds"]) == ([PROCESSOR_RUN_IDS[0]], [])
    assert more["workflowRunIds"][:2] == WORKFLOW_RUN_IDS
    assert more["runningIds"] == [WORKFLOW_RUN_IDS[1]]
    assert {key: value for key, value in nothing.items() if key not in ("url", "token")} == {
        "batchProcessorRunIds": [],
        "fileIds": [],
        "webhooks": [],
        "processorIds": [],
        "workflowIds": [],
        "processorRunIds": [],
        "workflowRunIds": [],
        "runningIds": [],
    }
    assert first_lines[2] == "  export EXTEND_API_KEY=test-token\n"
