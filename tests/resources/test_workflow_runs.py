"""Workflow runs: exactly what each method sends, and what it gives back."""

from __future__ import annotations

import copy
import inspect
from datetime import datetime, timezone
from typing import Any

import pytest
from resources.conftest import GET_HEADERS, POST_HEADERS, Api, example

from extend_async import AsyncExtend, Extend, WaitTimeoutError
from extend_async.models import (
    NOT_GIVEN,
    BatchWorkflowRunFileInput,
    BatchWorkflowRunInput,
    File,
    FileInput,
    FileMetadata,
    Page,
    ProvidedClassifierOutput,
    ProvidedJsonOutput,
    SortBy,
    SortDirection,
    WorkflowRun,
    WorkflowRunDeleted,
    WorkflowRunFileInput,
    WorkflowRunFileInputOutput,
    WorkflowRunStatus,
    WorkflowRunSummary,
)


def runs_body(*ids_and_statuses: tuple[str, str]) -> dict[str, Any]:
    """The Run Workflow example with one run per (id, status)."""
    template = example("run_workflow")["workflowRuns"][0]
    runs = [{**copy.deepcopy(template), "id": i, "status": s} for i, s in ids_and_statuses]
    return {"success": True, "workflowRuns": runs}


def run_body(run_id: str, status: str) -> dict[str, Any]:
    """The Get Workflow Run example with another id and status."""
    body = example("get_workflow_run")
    body["workflowRun"] = {**body["workflowRun"], "id": run_id, "status": status}
    return body


# -- create ------------------------------------------------------------------------------


async def test_create_takes_a_file_in_every_form(api: Api, client: Any) -> None:
    api.reply("POST", "/workflow_runs", example("run_workflow"))
    uploaded = File(
        id="file_up",
        name="up.pdf",
        metadata=FileMetadata(),
        created_at=datetime(2025, 5, 1, tzinfo=timezone.utc),
        updated_at=datetime(2025, 5, 1, tzinfo=timezone.utc),
    )
    preset = WorkflowRunFileInputOutput(
        processor_id="dp_1", output=ProvidedClassifierOutput(id="invoice", type="INVOICE")
    )

    async with client() as c:
        runs = await c.workflow_runs.create(
            "workflow_1",
            files=[
                "file_by_id",
                "https://example.com/a.pdf",
                uploaded,
                FileInput(file_url="http://example.com/b.pdf", file_name="b.pdf"),
                {"fileId": "file_mapped", "fileName": "mapped.pdf"},
                WorkflowRunFileInput(file_id="file_preset", outputs=[preset]),
            ],
        )

    assert isinstance(runs, list)
    assert all(isinstance(run, WorkflowRun) for run in runs)
    assert runs[0].status is WorkflowRunStatus.PENDING
    sent = api.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/workflow_runs", {})
    assert sent.headers == POST_HEADERS
    assert sent.json == {
        "workflowId": "workflow_1",
        "files": [
            {"fileId": "file_by_id"},
            {"fileUrl": "https://example.com/a.pdf"},
            {"fileId": "file_up"},
            {"fileName": "b.pdf", "fileUrl": "http://example.com/b.pdf"},
            {"fileId": "file_mapped", "fileName": "mapped.pdf"},
            {
                "fileId": "file_preset",
                "outputs": [
                    {"processorId": "dp_1", "output": {"id": "invoice", "type": "INVOICE"}}
                ],
            },
        ],
    }


async def test_create_sends_the_documented_request(api: Api, client: Any) -> None:
    api.reply("POST", "/workflow_runs", example("run_workflow"))
    documented = example("run_workflow.request")

    async with client() as c:
        await c.workflow_runs.create(
            documented["workflowId"],
            files=[WorkflowRunFileInput(**_snake(documented["files"][0]))],
            version="draft",
            priority=50,
            metadata={"customerId": "cust_123"},
        )

    assert api.last.json == documented


def _snake(wire: dict[str, str]) -> dict[str, str]:
    return {{"fileName": "file_name", "fileUrl": "file_url"}[key]: v for key, v in wire.items()}


async def test_create_on_raw_texts_sends_none_as_null_and_leaves_out_the_rest(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/workflow_runs", example("run_workflow"))

    async with client() as c:
        await c.workflow_runs.create("workflow_1", raw_texts=["Invoice 1", "Invoice 2"])
        await c.workflow_runs.create(
            "workflow_1", raw_texts=("one",), version=None, priority=NOT_GIVEN, metadata=None
        )

    first, second = api.sent
    assert first.json == {"workflowId": "workflow_1", "rawTexts": ["Invoice 1", "Invoice 2"]}
    assert second.json == {
        "workflowId": "workflow_1",
        "rawTexts": ["one"],
        "version": None,
        "metadata": None,
    }


async def test_create_takes_at_most_50_files_or_texts(api: Api, client: Any) -> None:
    api.reply("POST", "/workflow_runs", example("run_workflow"))

    async with client() as c:
        await c.workflow_runs.create("workflow_1", files=[f"file_{n}" for n in range(50)])
        await c.workflow_runs.create("workflow_1", raw_texts=["text"] * 50)
        with pytest.raises(ValueError, match=r"files takes at most 50 files per call, got 51"):
            await c.workflow_runs.create("workflow_1", files=[f"file_{n}" for n in range(51)])
        with pytest.raises(ValueError, match=r"raw_texts takes at most 50 texts per call"):
            await c.workflow_runs.create("workflow_1", raw_texts=["text"] * 51)

    assert [len(sent.json.get("files") or sent.json["rawTexts"]) for sent in api.sent] == [50, 50]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, r"^workflow_runs\.create\(\): give files or raw_texts, one of them$"),
        (
            {"files": ["file_1"], "raw_texts": ["x"]},
            ValueError,
            r"give files or raw_texts, one of them",
        ),
        ({"files": "file_1"}, TypeError, r"files must be a list of files, got 'file_1'"),
        ({"files": {"fileId": "f"}}, TypeError, r"files must be a list of files"),
        ({"files": None}, TypeError, r"files must be a list of files, got None"),
        ({"raw_texts": "text"}, TypeError, r"raw_texts must be a list of texts"),
        ({"files": []}, ValueError, r"files must hold at least one item"),
        ({"files": ["file_1", 7]}, TypeError, r"files\[1\] must be a file id, a URL, a File"),
        ({"files": ["file_1", ""]}, ValueError, r"files\[1\] must not be empty"),
        ({"files": [{"fileUrl": 5}]}, TypeError, r"files\[0\]\.file_url: expected a string"),
        ({"raw_texts": ["ok", 3]}, TypeError, r"raw_texts\[1\]: expected a string, got int"),
        ({"raw_texts": ["x"], "priority": "high"}, TypeError, r"priority: expected an integer"),
        ({"raw_texts": ["x"], "metadata": ["a"]}, TypeError, r"metadata: expected an object"),
    ],
)
async def test_create_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message):
            await c.workflow_runs.create("workflow_1", **kwargs)

    assert api.sent == []


async def test_create_refuses_a_bad_workflow_id_before_sending(api: Api, client: Any) -> None:
    async with client() as c:
        with pytest.raises(TypeError, match=r"workflow_id: expected a string, got int"):
            await c.workflow_runs.create(5, raw_texts=["x"])
        with pytest.raises(TypeError, match=r"missing 1 required positional argument"):
            await c.workflow_runs.create(raw_texts=["x"])  # type: ignore[call-arg]

    assert api.sent == []


# -- get, list ---------------------------------------------------------------------------


async def test_get_sends_the_id_as_one_segment(api: Api, client: Any) -> None:
    api.reply("GET", "/workflow_runs/run%2F1", example("get_workflow_run"))

    async with client() as c:
        run = await c.workflow_runs.get("run/1")

    assert isinstance(run, WorkflowRun)
    assert run.outputs[0].id == "dpr_gwkZZNRrPgkjcq0yXk7Pa"
    sent = api.last
    assert (sent.method, sent.path, sent.json) == ("GET", "/workflow_runs/run%2F1", None)
    assert sent.headers == GET_HEADERS


async def test_list_sends_every_filter_and_gives_a_page(api: Api, client: Any) -> None:
    api.reply("GET", "/workflow_runs", example("list_workflow_runs"))

    async with client() as c:
        page = await c.workflow_runs.list(
            status=WorkflowRunStatus.NEEDS_REVIEW,
            workflow_id="workflow_1",
            batch_id="batch_1",
            file_name_contains="invoice",
            sort_by=SortBy.UPDATED_AT,
            sort_dir=SortDirection.DESC,
            page_size=25,
        )
        await c.workflow_runs.list(status="PROCESSED", batch_id=None, sort_dir=NOT_GIVEN)

    assert isinstance(page, Page)
    assert all(isinstance(item, WorkflowRunSummary) for item in page.items)
    assert [item.status for item in page.items] == ["REJECTED", "PROCESSING"]
    assert page.next_page_token == example("list_workflow_runs")["nextPageToken"]
    full, short = api.sent
    assert (full.method, full.path, full.json) == ("GET", "/workflow_runs", None)
    assert full.headers == GET_HEADERS
    assert full.query == {
        "status": "NEEDS_REVIEW",
        "workflowId": "workflow_1",
        "batchId": "batch_1",
        "fileNameContains": "invoice",
        "sortBy": "updatedAt",
        "sortDir": "desc",
        "maxPageSize": "25",
    }
    assert short.query == {"status": "PROCESSED"}


async def test_the_next_page_is_asked_for_with_the_token_and_the_same_filters(
    api: Api, client: Any
) -> None:
    last = example("list_workflow_runs")
    token = last.pop("nextPageToken")
    api.reply("GET", "/workflow_runs", example("list_workflow_runs"))

    async with client() as c:
        pages = c.workflow_runs.list(batch_id="batch_1").pages()
        await pages.__anext__()
        api._mocked.clear()  # the second page is the last one
        api.reply("GET", "/workflow_runs", last)
        await pages.__anext__()
        with pytest.raises(StopAsyncIteration):
            await pages.__anext__()

    assert api.last.query == {"batchId": "batch_1", "nextPageToken": token}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"page_size": 0}, ValueError, r"page_size must be an int >= 1, got 0"),
        ({"file_name_contains": ""}, ValueError, r"file_name_contains must not be empty"),
        ({"status": ["PENDING"]}, TypeError, r"status must be a string"),
    ],
)
async def test_list_refuses_bad_filters_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message):
            await c.workflow_runs.list(**kwargs)

    assert api.sent == []


# -- update, cancel, delete ----------------------------------------------------------------


async def test_update_sends_what_is_given(api: Api, client: Any) -> None:
    api.reply("POST", "/workflow_runs/run_1", example("update_workflow_run"))
    documented = example("update_workflow_run.request")

    async with client() as c:
        updated = await c.workflow_runs.update("run_1", **documented)
        await c.workflow_runs.update("run_1", metadata={"tier": "gold"}, name=NOT_GIVEN)
        await c.workflow_runs.update("run_1", name=None)

    assert isinstance(updated, WorkflowRun)
    assert updated.metadata == {"customerId": "cust_123", "priorityTier": "gold"}
    first, second, third = api.sent
    assert (first.method, first.path) == ("POST", "/workflow_runs/run_1")
    assert first.headers == POST_HEADERS
    assert first.json == documented
    assert second.json == {"metadata": {"tier": "gold"}}
    assert third.json == {"name": None}


async def test_update_refuses_bad_arguments_before_sending(api: Api, client: Any) -> None:
    async with client() as c:
        with pytest.raises(TypeError, match=r"workflow_runs\.update\(\): name: expected a str"):
            await c.workflow_runs.update("run_1", name=3)
        with pytest.raises(
            TypeError, match=r"workflow_runs\.update\(\): metadata: expected an object"
        ):
            await c.workflow_runs.update("run_1", metadata="gold")
        with pytest.raises(ValueError, match=r"id must be a non-empty string"):
            await c.workflow_runs.update("", name="x")

    assert api.sent == []


async def test_cancel_sends_no_body(api: Api, client: Any) -> None:
    api.reply("POST", "/workflow_runs/run_1/cancel", example("cancel_workflow_run"))

    async with client() as c:
        cancelled = await c.workflow_runs.cancel("run_1")

    assert cancelled.status is WorkflowRunStatus.CANCELLED
    sent = api.last
    assert (sent.method, sent.path, sent.json) == ("POST", "/workflow_runs/run_1/cancel", None)
    assert sent.headers == GET_HEADERS  # no body, so no Content-Type


async def test_delete_gives_the_answer(api: Api, client: Any) -> None:
    api.reply("DELETE", "/workflow_runs/run_1", example("delete_workflow_run"))

    async with client() as c:
        deleted = await c.workflow_runs.delete("run_1")

    assert deleted == WorkflowRunDeleted(
        workflow_run_id="workflow_run_xKm9pNv3qWsY_jL2tR5Dh",
        message="Workflow run data has been successfully deleted.",
    )
    sent = api.last
    assert (sent.method, sent.path, sent.json) == ("DELETE", "/workflow_runs/run_1", None)
    assert sent.headers == GET_HEADERS


# -- batch_create ----------------------------------------------------------------------------


async def test_batch_create_sends_the_inputs_and_returns_the_batch_id(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/workflow_runs/batch", example("batch_run_workflow"))
    documented = example("batch_run_workflow.request")

    async with client() as c:
        batch_id = await c.workflow_runs.batch_create(
            documented["workflowId"],
            version="3",
            inputs=[
                BatchWorkflowRunInput(
                    file=BatchWorkflowRunFileInput(
                        file_name="INV-2024-001.pdf",
                        file_url="https://example.com/invoices/INV-2024-001.pdf",
                    ),
                    metadata={"externalId": "inv-001"},
                ),
                documented["inputs"][1],  # a wire mapping
                BatchWorkflowRunInput(
                    raw_text="Invoice INV-2024-003\nTotal: $42.00",
                    metadata={"externalId": "inv-003"},
                ),
            ],
        )
        raw = await c.workflow_runs.batch_create.raw("workflow_1", inputs=[{"rawText": "x"}])

    assert batch_id == "batch_zyx987"
    assert type(batch_id) is str
    assert raw.parsed == "batch_zyx987"
    first, second = api.sent
    assert (first.method, first.path) == ("POST", "/workflow_runs/batch")
    assert first.headers == POST_HEADERS
    assert first.json == documented
    assert second.json == {"workflowId": "workflow_1", "inputs": [{"rawText": "x"}]}


async def test_batch_create_takes_1_to_1000_inputs(api: Api, client: Any) -> None:
    api.reply("POST", "/workflow_runs/batch", example("batch_run_workflow"))

    async with client() as c:
        await c.workflow_runs.batch_create("workflow_1", inputs=[{"rawText": "x"}] * 1000)
        with pytest.raises(ValueError, match=r"inputs takes at most 1,000 inputs per call, got"):
            await c.workflow_runs.batch_create("workflow_1", inputs=[{"rawText": "x"}] * 1001)
        with pytest.raises(ValueError, match=r"inputs must hold at least one item"):
            await c.workflow_runs.batch_create("workflow_1", inputs=[])

    assert [len(sent.json["inputs"]) for sent in api.sent] == [1000]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"inputs": {"rawText": "x"}}, TypeError, r"inputs must be a list of inputs"),
        (
            {"inputs": [5]},
            TypeError,
            r"^workflow_runs\.batch_create\(\): inputs\[0\]: expected an object, got int$",
        ),
        (
            {"inputs": [{"rawText": "x"}, {"rawText": 2}]},
            TypeError,
            r"inputs\[1\]\.raw_text: expected a string, got int",
        ),
        ({"inputs": [{"rawText": "x"}], "version": 3}, TypeError, r"version: expected a string"),
        ({}, TypeError, r"missing 1 required keyword-only argument: 'inputs'"),
    ],
)
async def test_batch_create_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message):
            await c.workflow_runs.batch_create("workflow_1", **kwargs)

    assert api.sent == []


# -- correct_outputs -------------------------------------------------------------------------


async def test_correct_outputs_sends_the_reviewed_output(api: Api, client: Any) -> None:
    path = "/workflow_runs/run_1/outputs/dpr%2F2"
    api.reply("POST", path, example("correct_workflow_run_outputs"))
    documented = example("correct_workflow_run_outputs.request")

    async with client() as c:
        run = await c.workflow_runs.correct_outputs(
            "run_1",
            "dpr/2",
            reviewed_output=ProvidedJsonOutput(value=documented["reviewedOutput"]["value"]),
        )
        await c.workflow_runs.correct_outputs(
            "run_1", "dpr/2", reviewed_output=documented["reviewedOutput"]
        )

    assert isinstance(run, WorkflowRun)
    assert run.outputs[0].reviewed_output is not None
    first, second = api.sent
    assert (first.method, first.path) == ("POST", path)
    assert first.headers == POST_HEADERS
    assert first.json == second.json == documented


async def test_correct_outputs_refuses_bad_arguments_before_sending(api: Api, client: Any) -> None:
    async with client() as c:
        with pytest.raises(TypeError, match=r"reviewed_output: expected an object, got str"):
            await c.workflow_runs.correct_outputs("run_1", "dpr_1", reviewed_output="fixed")
        with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument"):
            await c.workflow_runs.correct_outputs("run_1", "dpr_1")  # type: ignore[call-arg]
        with pytest.raises(ValueError, match=r"output_id must be a non-empty string"):
            await c.workflow_runs.correct_outputs("run_1", "", reviewed_output={"value": {}})

    assert api.sent == []


# -- create_and_wait -------------------------------------------------------------------------


async def test_create_and_wait_gives_every_run_final_in_the_order_created(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/workflow_runs", runs_body(("run_b", "PENDING"), ("run_a", "PENDING")))
    api.reply("GET", "/workflow_runs/run_a", run_body("run_a", "FAILED"))
    api.reply("GET", "/workflow_runs/run_b", run_body("run_b", "PROCESSED"))

    async with client() as c:
        runs = await c.workflow_runs.create_and_wait(
            "workflow_1", files=["file_b", "file_a"], metadata={"k": 1}
        )

    assert [(run.id, run.status) for run in runs] == [("run_b", "PROCESSED"), ("run_a", "FAILED")]
    create, *polls = api.sent
    assert create.json == {
        "workflowId": "workflow_1",
        "files": [{"fileId": "file_b"}, {"fileId": "file_a"}],
        "metadata": {"k": 1},
    }
    assert sorted(sent.path for sent in polls) == ["/workflow_runs/run_a", "/workflow_runs/run_b"]


async def test_create_and_wait_goes_on_through_needs_review_unless_told(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/workflow_runs", runs_body(("run_1", "PENDING")))
    api.reply("GET", "/workflow_runs/run_1", run_body("run_1", "NEEDS_REVIEW"))

    async with client() as c:
        parked = await c.workflow_runs.create_and_wait(
            "workflow_1", raw_texts=["x"], until={"NEEDS_REVIEW"}
        )
        with pytest.raises(WaitTimeoutError) as info:
            await c.workflow_runs.create_and_wait("workflow_1", raw_texts=["x"], timeout=0)

    assert [run.status for run in parked] == ["NEEDS_REVIEW"]
    assert info.value.last is not None
    assert info.value.last.status == "NEEDS_REVIEW"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"timeout": -1}, ValueError, r"timeout must be >= 0 seconds or None"),
        (
            {"timeout": True},
            ValueError,
            r"^workflow_runs\.create_and_wait\(\): timeout must be >= 0 seconds or None, got True$",
        ),
        ({"until": "NEEDS_REVIEW"}, TypeError, r"until must be a collection of statuses"),
        ({"poll": 2}, TypeError, r"poll must be a PollPolicy, got 2"),
        (
            {"raw_texts": ["x"] * 51},
            ValueError,
            r"^workflow_runs\.create_and_wait\(\): raw_texts takes at most 50 texts",
        ),
        ({"raw_texts": ["x"], "files": ["f"]}, ValueError, r"create_and_wait\(\): give files"),
    ],
)
async def test_create_and_wait_checks_everything_before_creating(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    kwargs.setdefault("raw_texts", ["x"])
    async with client() as c:
        with pytest.raises(error, match=message):
            await c.workflow_runs.create_and_wait("workflow_1", **kwargs)

    assert api.sent == []


# -- the blocking client, signatures -----------------------------------------------------------


def test_the_blocking_twins(api: Api, sync_client: Extend) -> None:
    api.reply("POST", "/workflow_runs", runs_body(("run_1", "PENDING")))
    api.reply("GET", "/workflow_runs/run_1", run_body("run_1", "PROCESSED"))
    api.reply("GET", "/workflow_runs", {"success": True, "workflowRuns": []})
    api.reply("POST", "/workflow_runs/batch", example("batch_run_workflow"))
    api.reply("DELETE", "/workflow_runs/run_1", example("delete_workflow_run"))

    runs = sync_client.workflow_runs
    created = runs.create("workflow_1", raw_texts=["x"])
    finished = runs.create_and_wait("workflow_1", raw_texts=["x"])
    waited = runs.wait("run_1", until={"NEEDS_REVIEW"})
    listed = list(runs.list(batch_id="batch_1"))
    batch_id = runs.batch_create("workflow_1", inputs=[{"rawText": "x"}])
    deleted = runs.delete("run_1")

    assert [run.status for run in created] == ["PENDING"]
    assert [run.status for run in finished] == ["PROCESSED"]
    assert waited.status == "PROCESSED"
    assert listed == []
    assert batch_id == "batch_zyx987"
    assert isinstance(deleted, WorkflowRunDeleted)


async def test_signatures_are_the_contract() -> None:
    async with AsyncExtend("x") as c:
        runs = c.workflow_runs
        shown = {
            name: list(inspect.signature(getattr(runs, name)).parameters)
            for name in (
                "create",
                "get",
                "list",
                "update",
                "cancel",
                "delete",
                "batch_create",
                "correct_outputs",
                "create_and_wait",
            )
        }
        returned = inspect.signature(runs.batch_create).return_annotation
    with Extend("x") as blocking:
        blocking_create = list(inspect.signature(blocking.workflow_runs.create).parameters)
        blocking_wait = list(inspect.signature(blocking.workflow_runs.create_and_wait).parameters)

    create = ["workflow_id", "files", "raw_texts", "version", "priority", "metadata"]
    assert shown == {
        "create": create,
        "get": ["id"],
        "list": [
            "status",
            "workflow_id",
            "batch_id",
            "file_name_contains",
            "sort_by",
            "sort_dir",
            "page_size",
        ],
        "update": ["id", "name", "metadata"],
        "cancel": ["id"],
        "delete": ["id"],
        "batch_create": ["workflow_id", "inputs", "version"],
        "correct_outputs": ["workflow_run_id", "output_id", "reviewed_output"],
        "create_and_wait": [*create, "timeout", "poll", "until"],
    }
    assert returned is str
    assert blocking_create == create
    assert blocking_wait == shown["create_and_wait"]
