"""Type-checked, never run: workflows and workflow runs as users write them (``mypy --strict``)."""

from __future__ import annotations

from typing_extensions import assert_type

from extend_async import APIResponse, AsyncExtend, Extend, SyncIterator, WaitStream
from extend_async.models import (
    BatchWorkflowRunInput,
    Page,
    ProvidedJsonOutput,
    Workflow,
    WorkflowRun,
    WorkflowRunDeleted,
    WorkflowRunFileInput,
    WorkflowRunStatus,
    WorkflowRunSummary,
)
from extend_async.pagination import AsyncPager
from extend_async.testing import FakeExtendServer


async def async_usage(client: AsyncExtend) -> None:
    assert_type(await client.workflows.create(name="Invoices"), Workflow)
    runs = client.workflow_runs
    created = await runs.create(
        "workflow_1",
        files=["file_1", "https://example.com/a.pdf", WorkflowRunFileInput(file_id="f")],
        metadata={"k": 1},
    )
    assert_type(created, list[WorkflowRun])
    assert_type(await runs.create("workflow_1", raw_texts=["text"]), list[WorkflowRun])
    assert_type(await runs.get("run_1"), WorkflowRun)
    pager = runs.list(status=WorkflowRunStatus.NEEDS_REVIEW, batch_id="batch_1")
    assert_type(pager, AsyncPager[WorkflowRunSummary])
    assert_type(await pager, Page[WorkflowRunSummary])
    async for summary in pager:
        assert_type(summary, WorkflowRunSummary)
    assert_type(await runs.update("run_1", name="x", metadata={"a": 1}), WorkflowRun)
    assert_type(await runs.cancel("run_1"), WorkflowRun)
    assert_type(await runs.delete("run_1"), WorkflowRunDeleted)
    batch = await runs.batch_create("workflow_1", inputs=[BatchWorkflowRunInput(raw_text="x")])
    assert_type(batch, str)
    assert_type(await runs.batch_create.raw("w", inputs=[{"rawText": "x"}]), APIResponse[str])
    fixed = await runs.correct_outputs("run_1", "dpr_1", reviewed_output=ProvidedJsonOutput({}))
    assert_type(fixed, WorkflowRun)
    done = await runs.create_and_wait("workflow_1", raw_texts=["x"], until={"NEEDS_REVIEW"})
    assert_type(done, list[WorkflowRun])
    assert_type(await runs.wait("run_1", until={"NEEDS_REVIEW"}), WorkflowRun)
    stream = runs.wait_many(["run_1"], return_exceptions=False)
    assert_type(stream, WaitStream[tuple[str, WorkflowRun]])


def sync_usage(client: Extend) -> None:
    assert_type(client.workflows.create(name="Invoices"), Workflow)
    runs = client.workflow_runs
    assert_type(runs.create("workflow_1", files=["file_1"]), list[WorkflowRun])
    assert_type(runs.create_and_wait("workflow_1", raw_texts=["x"], timeout=60), list[WorkflowRun])
    assert_type(runs.batch_create("workflow_1", inputs=[{"rawText": "x"}]), str)
    for summary in runs.list(workflow_id="workflow_1"):
        assert_type(summary, WorkflowRunSummary)
    assert_type(runs.wait_all(["a"], return_exceptions=False), dict[str, WorkflowRun])
    with runs.wait_many(["a"]) as it:
        assert_type(it, SyncIterator[tuple[str, WorkflowRun | BaseException]])


def fake_usage(fake: FakeExtendServer) -> None:
    workflow = fake.workflows.add(name="Invoices", processor_ids=[fake.processors.add().id])
    assert_type(workflow, Workflow)
    run = fake.workflow_runs.add(workflow_id=workflow.id, outcome="NEEDS_REVIEW", finish_after=1)
    assert_type(run, WorkflowRun)
    assert_type(fake.workflow_runs.review(run.id, approve=False, note="no"), WorkflowRun)
    fake.workflow_runs.set_lifecycle(finish_after_polls=1)
    fake.workflow_runs.set_lifecycle(
        finish_after=(1, 30), outcome={"PROCESSED": 8, "NEEDS_REVIEW": 1, "FAILED": 1}
    )
    assert_type(fake.workflow_runs.lifecycle.finish_after_polls, tuple[int, int] | None)


def wrong_usage(client: Extend) -> None:
    client.workflow_runs.create("w", files=5)  # type: ignore[arg-type]
    client.workflow_runs.create("w", raw_texts=None)  # type: ignore[arg-type]
    client.workflow_runs.get(1)  # type: ignore[arg-type]
    client.workflow_runs.batch_create("w")  # type: ignore[call-arg]
