"""The fake's workflows and workflow runs, over a real socket, through the client."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from extend_async import (
    APIConnectionError,
    AsyncExtend,
    BadRequestError,
    NotFoundError,
    PollPolicy,
    WaitTimeoutError,
)
from extend_async.models import (
    BatchWorkflowRunFileInput,
    BatchWorkflowRunInput,
    ClassifierOutput,
    FileInput,
    JsonOutput,
    ProcessorRunType,
    ProvidedJsonOutput,
    SortDirection,
    SplitterOutput,
    WorkflowRunDeleted,
    WorkflowRunFileInput,
    WorkflowRunFileInputOutput,
    WorkflowRunStatus,
)
from extend_async.resources import workflow_runs, workflows
from extend_async.testing import FakeExtendServer
from extend_async.testing._areas import AREA_CLASSES


def test_every_endpoint_has_its_route_in_the_fake() -> None:
    routes = {entry.name: entry for area in AREA_CLASSES for entry in area.ROUTES}

    for endpoint in (*workflows.ENDPOINTS, *workflow_runs.ENDPOINTS):
        served = routes[endpoint.operation]
        assert served.method == endpoint.method
        assert served.path.count("{") == endpoint.path.count("{")


# -- workflows ------------------------------------------------------------------------------


async def test_a_created_workflow_is_a_draft_with_an_extraction_processor(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    made = await client.workflows.create(name="Invoices")

    assert (made.name, made.version) == ("Invoices", "draft")
    assert made.id.startswith("workflow_")
    assert fake.workflows.get(made.id) == made
    [processor_id] = fake.workflows.processor_ids(made.id)
    assert fake.processors.get(processor_id).type == "EXTRACT"


async def test_create_workflow_refuses_what_the_api_refuses(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    statuses = []
    for body in ({"name": "x", "colour": "red"}, {"name": " "}, {}):
        async with http.post(f"{fake.url}/workflows", json=body, headers=headers) as response:
            statuses.append(response.status)

    assert statuses == [400, 400, 400]


# -- run, get, lifecycle -----------------------------------------------------------------------


async def test_a_run_per_file_or_text_pending_in_the_order_given(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    workflow = fake.workflows.add(name="Invoices")

    by_file = await client.workflow_runs.create(
        workflow.id,
        files=[
            "file_given",
            "https://example.com/in/INV-1.pdf",
            FileInput(file_url="https://example.com/x", file_name="named.png"),
        ],
        metadata={"customerId": "cust_1"},
    )
    by_text = await client.workflow_runs.create(workflow.id, raw_texts=["one", "two"])

    assert [run.name for run in by_file] == ["file_given.pdf", "INV-1.pdf", "named.png"]
    assert by_file[0].files[0].id == "file_given"
    assert [str(run.files[0].type) for run in by_file] == ["PDF", "PDF", "IMG"]
    assert [run.name for run in by_text] == ["raw_text.txt", "raw_text.txt"]
    assert str(by_text[0].files[0].type) == "TXT"
    for run in [*by_file, *by_text]:
        assert run.status is WorkflowRunStatus.PENDING
        assert (run.outputs, run.step_runs, run.reviewed) == ([], [], False)
        assert run.workflow == workflow
        assert run.url.endswith(f"?workflowRunId={run.id}")
    assert all(run.metadata == {"customerId": "cust_1"} for run in by_file)
    assert len({run.id for run in [*by_file, *by_text]}) == 5
    assert fake.requests["run_workflow"] == 2


async def test_a_run_processes_and_gets_one_output_per_processor(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    steps = [fake.processors.add(type=kind) for kind in ("EXTRACT", "CLASSIFY", "SPLITTER")]
    workflow = fake.workflows.add(processor_ids=[p.id for p in steps])
    [created] = await client.workflow_runs.create(workflow.id, files=["file_1"])

    first = await client.workflow_runs.get(created.id)
    second = await client.workflow_runs.get(created.id)

    assert first.status is WorkflowRunStatus.PROCESSING
    assert first.outputs == []
    assert first.start_time is not None
    assert second.status is WorkflowRunStatus.PROCESSED
    assert second.is_terminal
    assert second.end_time is not None
    assert second.usage is not None
    assert [o.processor_id for o in second.outputs] == [p.id for p in steps]
    assert [o.type for o in second.outputs] == [
        ProcessorRunType.EXTRACT,
        ProcessorRunType.CLASSIFY,
        ProcessorRunType.SPLITTER,
    ]
    extraction, classification, split = (o.output for o in second.outputs)
    assert isinstance(extraction, JsonOutput)
    assert set(extraction.value) >= {"vendor_name", "invoice_number", "total_amount"}
    assert isinstance(classification, ClassifierOutput)
    assert isinstance(split, SplitterOutput)
    assert all(o.status == "PROCESSED" and o.files == second.files for o in second.outputs)
    assert all(o.initial_output == o.output for o in second.outputs)
    assert await client.workflow_runs.get(created.id) == second  # it stays as it finished


async def test_the_lifecycle_follows_the_clock_when_set_so(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.workflow_runs.set_lifecycle(
        processing_after=1.0, finish_after=3.0, finish_after_polls=None, outcome="FAILED"
    )
    workflow = fake.workflows.add()
    [run] = await client.workflow_runs.create(workflow.id, raw_texts=["x"])

    assert fake.workflow_runs.get(run.id).status == "PENDING"
    fake.advance(1.0)
    assert (await client.workflow_runs.get(run.id)).status == "PROCESSING"
    fake.advance(2.0)
    failed = await client.workflow_runs.get(run.id)

    assert failed.status is WorkflowRunStatus.FAILED
    assert failed.failure_reason
    assert failed.failure_message
    assert failed.outputs == []
    assert failed.start_time is not None
    assert failed.end_time is not None
    assert (failed.end_time - failed.start_time).total_seconds() == 2.0


async def test_needs_review_keeps_a_wait_going_until_told_then_review_ends_it(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.workflow_runs.set_lifecycle(outcome="NEEDS_REVIEW", finish_after_polls=1)
    workflow = fake.workflows.add()
    [approved, rejected] = await client.workflow_runs.create(workflow.id, raw_texts=["a", "b"])
    runs = client.workflow_runs

    with pytest.raises(WaitTimeoutError) as info:
        await runs.wait(approved.id, timeout=20)
    polls = fake.requests["get_workflow_run", approved.id]
    parked = await runs.wait(approved.id, until={"NEEDS_REVIEW"})
    fake.workflow_runs.review(approved.id)
    fake.workflow_runs.review(rejected.id, approve=False, note="Not an invoice")
    done = await runs.wait_all([approved.id, rejected.id], return_exceptions=False)

    assert info.value.last is not None
    assert info.value.last.status == "NEEDS_REVIEW"
    assert polls > 3  # the wait went on through NEEDS_REVIEW
    assert parked.status is WorkflowRunStatus.NEEDS_REVIEW
    assert not parked.is_terminal
    assert len(parked.outputs) == 1  # the processors ran; a human has the last word
    assert fake.requests["get_workflow_run", approved.id] == polls + 2
    ok, no = done[approved.id], done[rejected.id]
    assert (ok.status, ok.reviewed, ok.reviewed_by) == ("PROCESSED", True, "reviewer@example.com")
    assert ok.reviewed_at is not None
    assert all(output.reviewed for output in ok.outputs)
    assert (no.status, no.reviewed, no.rejection_note) == ("REJECTED", True, "Not an invoice")
    with pytest.raises(ValueError, match="is PROCESSED, not NEEDS_REVIEW"):
        fake.workflow_runs.review(approved.id)


async def test_create_and_wait_for_several_files_with_a_preset_output(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    workflow = fake.workflows.add()
    [processor_id] = fake.workflows.processor_ids(workflow.id)
    preset = WorkflowRunFileInputOutput(
        processor_id=processor_id, output=ProvidedJsonOutput(value={"vendor_name": "Preset"})
    )

    runs = await client.workflow_runs.create_and_wait(
        workflow.id,
        files=[
            "file_a",
            {"fileUrl": "https://example.com/b.pdf"},
            WorkflowRunFileInput(file_id="file_c", outputs=[preset]),
        ],
        timeout=60,
    )

    assert [run.files[0].id for run in runs[::2]] == ["file_a", "file_c"]
    assert runs[1].name == "b.pdf"
    assert [run.status for run in runs] == ["PROCESSED"] * 3
    assert all(len(run.outputs) == 1 for run in runs)
    assert runs[2].outputs[0].output == JsonOutput(value={"vendor_name": "Preset"}, metadata={})
    assert fake.requests["run_workflow"] == 1
    assert fake.requests["get_workflow_run"] == 6  # PROCESSING, then PROCESSED, each


async def test_run_workflow_refuses_what_the_api_refuses(
    fake: FakeExtendServer,
    client: AsyncExtend,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
) -> None:
    workflow = fake.workflows.add()
    other = fake.processors.add()
    url = f"{fake.url}/workflow_runs"
    bodies: list[dict[str, Any]] = [
        {"workflowId": workflow.id, "files": [{"fileId": f"f{n}"} for n in range(51)]},
        {"workflowId": workflow.id, "rawTexts": ["x"] * 51},
        {"workflowId": workflow.id, "files": [{"fileId": "f"}], "rawTexts": ["x"]},
        {"workflowId": workflow.id},
        {"workflowId": workflow.id, "files": []},
        {"workflowId": workflow.id, "files": [{"fileId": "f", "fileUrl": "https://x"}]},
        {"workflowId": workflow.id, "files": [{"fileName": "no source"}]},
        {"workflowId": workflow.id, "rawTexts": ["x"], "colour": "red"},
        {
            "workflowId": workflow.id,
            "files": [
                {"fileId": "f", "outputs": [{"processorId": other.id, "output": {"value": {}}}]}
            ],
        },
    ]
    statuses = []
    for body in bodies:
        async with http.post(url, json=body, headers=headers) as response:
            statuses.append(response.status)

    assert statuses == [400] * len(bodies)
    fifty = await client.workflow_runs.create(workflow.id, files=[f"f{n}" for n in range(50)])
    assert len(fifty) == 50
    with pytest.raises(NotFoundError):
        await client.workflow_runs.create("workflow_nope", raw_texts=["x"])
    with pytest.raises(NotFoundError, match="version"):
        await client.workflow_runs.create(workflow.id, raw_texts=["x"], version="7")


async def test_a_run_uses_the_version_asked_for_else_the_latest(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    workflow = fake.workflows.add(published=2)

    [latest] = await client.workflow_runs.create(workflow.id, raw_texts=["x"])
    [draft] = await client.workflow_runs.create(workflow.id, raw_texts=["x"], version="draft")
    [first] = await client.workflow_runs.create(workflow.id, raw_texts=["x"], version="1")
    listed = {summary.id: summary async for summary in client.workflow_runs.list()}

    assert [run.workflow.version for run in (latest, draft, first)] == ["2", "draft", "1"]
    versions = {listed[run.id].workflow_version_id for run in (latest, draft, first)}
    assert len(versions) == 3


# -- list ------------------------------------------------------------------------------------


async def test_listing_pages_through_the_runs_in_the_order_asked(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    workflow = fake.workflows.add()
    made = []
    for _ in range(25):
        made.append(fake.workflow_runs.add(workflow_id=workflow.id))
        fake.advance(1.0)
    fake.workflow_runs.add()  # another workflow's

    pager = client.workflow_runs.list(
        workflow_id=workflow.id, sort_dir=SortDirection.ASC, page_size=10
    )
    sizes = [len(page.items) async for page in pager.pages()]
    oldest_first = [summary.id async for summary in pager]
    newest_first = [
        summary.id async for summary in client.workflow_runs.list(workflow_id=workflow.id)
    ]
    async for _ in client.workflow_runs.list(workflow_id=workflow.id, page_size=10):
        break

    assert sizes == [10, 10, 5]
    assert oldest_first == [run.id for run in made]
    assert newest_first == oldest_first[::-1]
    assert fake.requests["list_workflow_runs"] == 3 + 3 + 3 + 1  # the break fetched one page


def test_the_blocking_client_pages_and_breaks_early() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        workflow = fake.workflows.add()
        for _ in range(7):
            fake.workflow_runs.add(workflow_id=workflow.id)

        ids = [run.id for run in client.workflow_runs.list(page_size=3)]
        for _ in client.workflow_runs.list(page_size=3):
            break
        [created] = client.workflow_runs.create(workflow.id, raw_texts=["x"])
        [finished] = client.workflow_runs.create_and_wait(
            workflow.id, raw_texts=["y"], poll=PollPolicy(interval=0.01)
        )

        assert len(set(ids)) == 7
        assert fake.requests["list_workflow_runs"] == 3 + 1
        assert created.status == "PENDING"
        assert finished.status == "PROCESSED"
        assert len(finished.outputs) == 1


async def test_list_filters_by_status_workflow_batch_and_file_name(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    workflow = fake.workflows.add()
    invoice = fake.workflow_runs.add(workflow_id=workflow.id, file_name="ACME-Invoice-7.pdf")
    parked = fake.workflow_runs.add(workflow_id=workflow.id, status="NEEDS_REVIEW")
    batched = fake.workflow_runs.add(workflow_id=workflow.id, batch_id="batch_x")
    elsewhere = fake.workflow_runs.add(file_name="invoice-elsewhere.pdf")

    async def ids(**filters: Any) -> set[str]:
        return {run.id async for run in client.workflow_runs.list(**filters)}

    assert await ids() == {invoice.id, parked.id, batched.id, elsewhere.id}
    assert await ids(workflow_id=workflow.id) == {invoice.id, parked.id, batched.id}
    assert await ids(status=WorkflowRunStatus.NEEDS_REVIEW) == {parked.id}
    assert await ids(status="CANCELLED") == set()
    assert await ids(batch_id="batch_x") == {batched.id}
    assert await ids(file_name_contains="invoice") == {invoice.id, elsewhere.id}
    assert await ids(file_name_contains="invoice", workflow_id=workflow.id) == {invoice.id}
    summary = (await client.workflow_runs.list(status="NEEDS_REVIEW")).items[0]
    assert (summary.workflow_id, summary.workflow_name) == (workflow.id, workflow.name)
    assert summary.workflow_version_id.startswith("workflow_version_")


async def test_list_refuses_unknown_query_keys_and_statuses(
    fake: FakeExtendServer,
    client: AsyncExtend,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
) -> None:
    url = f"{fake.url}/workflow_runs"
    async with http.get(url, params={"processorId": "dp_1"}, headers=headers) as response:
        unknown_key = (response.status, (await response.json())["error"])

    assert unknown_key[0] == 400
    assert "processorId" in unknown_key[1]
    with pytest.raises(BadRequestError, match="unknown status"):
        await client.workflow_runs.list(status="DONE")
    with pytest.raises(BadRequestError, match="sortBy"):
        await client.workflow_runs.list(sort_by="name")


# -- batch -----------------------------------------------------------------------------------


async def test_a_batch_queues_one_run_per_input_listed_by_its_batch_id(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    workflow = fake.workflows.add()
    unrelated = fake.workflow_runs.add(workflow_id=workflow.id)

    batch_id = await client.workflow_runs.batch_create(
        workflow.id,
        inputs=[
            BatchWorkflowRunInput(
                file=BatchWorkflowRunFileInput(file_url="https://example.com/1.pdf"),
                metadata={"externalId": "inv-001"},
            ),
            {"file": {"fileId": "file_2", "fileName": "two.pdf"}, "metadata": {"n": 2}},
            {"rawText": "Invoice 3", "secrets": {"token": "s"}},
        ],
    )
    summaries = [run async for run in client.workflow_runs.list(batch_id=batch_id)]
    runs = await client.workflow_runs.get_many([summary.id for summary in summaries])

    assert isinstance(batch_id, str)
    assert batch_id.startswith("batch_")
    assert len(summaries) == 3
    assert unrelated.id not in {summary.id for summary in summaries}
    assert all(summary.batch_id == batch_id for summary in summaries)
    assert {run.name: run.metadata for run in runs} == {
        "1.pdf": {"externalId": "inv-001"},
        "two.pdf": {"n": 2},
        "raw_text.txt": {},
    }
    assert all(run.batch_id == batch_id for run in runs)
    done = await client.workflow_runs.wait_all([run.id for run in runs], return_exceptions=False)
    assert {run.status for run in done.values()} == {WorkflowRunStatus.PROCESSED}


async def test_batch_refuses_what_the_api_refuses(
    fake: FakeExtendServer,
    client: AsyncExtend,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
) -> None:
    workflow = fake.workflows.add()
    url = f"{fake.url}/workflow_runs/batch"
    bodies: list[dict[str, Any]] = [
        {"workflowId": workflow.id, "inputs": [{"rawText": "x"}] * 1001},
        {"workflowId": workflow.id, "inputs": []},
        {"workflowId": workflow.id, "inputs": [{"metadata": {}}]},
        {"workflowId": workflow.id, "inputs": [{"rawText": "x", "file": {"fileId": "f"}}]},
        {"workflowId": workflow.id, "inputs": [{"file": {"fileName": "no source"}}]},
    ]
    statuses = []
    for body in bodies:
        async with http.post(url, json=body, headers=headers) as response:
            statuses.append(response.status)

    assert statuses == [400] * len(bodies)
    assert (await client.workflow_runs.list()).items == []  # nothing was queued
    full = await client.workflow_runs.batch_create(workflow.id, inputs=[{"rawText": "x"}] * 1000)
    assert len([run async for run in client.workflow_runs.list(batch_id=full, page_size=500)]) == (
        1000
    )
    with pytest.raises(NotFoundError):
        await client.workflow_runs.batch_create("workflow_nope", inputs=[{"rawText": "x"}])


# -- update, cancel, delete, correct -------------------------------------------------------------


async def test_update_merges_metadata_and_renames(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    workflow = fake.workflows.add()
    [run] = await client.workflow_runs.create(
        workflow.id, raw_texts=["x"], metadata={"customerId": "cust_1", "tier": "silver"}
    )

    merged = await client.workflow_runs.update(run.id, metadata={"tier": "gold", "new": 1})
    renamed = await client.workflow_runs.update(run.id, name="Acme invoice")
    kept = await client.workflow_runs.update(run.id, name=None, metadata=None)

    assert merged.metadata == {"customerId": "cust_1", "tier": "gold", "new": 1}
    assert merged.name == run.name
    assert (renamed.name, renamed.metadata) == ("Acme invoice", merged.metadata)
    assert kept == renamed
    assert (await client.workflow_runs.get(run.id)).metadata == merged.metadata
    with pytest.raises(NotFoundError):
        await client.workflow_runs.update("workflow_run_nope", name="x")


async def test_cancel_a_running_run_but_not_a_finished_one(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.workflow_runs.set_lifecycle(finish_after=None, finish_after_polls=None)
    workflow = fake.workflows.add()
    [pending, running] = await client.workflow_runs.create(workflow.id, raw_texts=["a", "b"])
    assert (await client.workflow_runs.get(running.id)).status == "PROCESSING"
    finished = fake.workflow_runs.add(workflow_id=workflow.id)
    parked = fake.workflow_runs.add(workflow_id=workflow.id, status="NEEDS_REVIEW")
    fake.workflow_runs.set_lifecycle(processing_after=None, finish_after_polls=None)
    [still_pending] = await client.workflow_runs.create(workflow.id, raw_texts=["c"])

    cancelled = await client.workflow_runs.cancel(running.id)
    cancelled_early = await client.workflow_runs.cancel(still_pending.id)

    assert cancelled.status is WorkflowRunStatus.CANCELLED
    assert cancelled.is_terminal
    assert cancelled.end_time is not None
    assert cancelled_early.status is WorkflowRunStatus.CANCELLED
    assert (await client.workflow_runs.get(running.id)).status == "CANCELLED"
    for run_id in (running.id, finished.id, parked.id):
        with pytest.raises(BadRequestError, match="only PENDING or PROCESSING"):
            await client.workflow_runs.cancel(run_id)
    with pytest.raises(NotFoundError):
        await client.workflow_runs.cancel("workflow_run_nope")
    assert fake.workflow_runs.get(pending.id).status == "PROCESSING"


async def test_delete_then_not_found(fake: FakeExtendServer, client: AsyncExtend) -> None:
    run = fake.workflow_runs.add()

    deleted = await client.workflow_runs.delete(run.id)

    assert deleted == WorkflowRunDeleted(
        workflow_run_id=run.id, message="Workflow run data has been successfully deleted."
    )
    with pytest.raises(NotFoundError):
        await client.workflow_runs.get(run.id)
    with pytest.raises(NotFoundError):
        await client.workflow_runs.delete(run.id)
    assert [summary async for summary in client.workflow_runs.list()] == []


async def test_correct_outputs_replaces_the_output_and_marks_it_reviewed(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    classifier = fake.processors.add(type="CLASSIFY")
    extractor = fake.processors.add()
    workflow = fake.workflows.add(processor_ids=[classifier.id, extractor.id])
    run = fake.workflow_runs.add(workflow_id=workflow.id)
    classified, extracted = run.outputs
    assert isinstance(extracted.output, JsonOutput)
    before = extracted.output.value

    corrected = await client.workflow_runs.correct_outputs(
        run.id, extracted.id, reviewed_output=ProvidedJsonOutput(value={"vendor_name": "Zed"})
    )
    reclassified = await client.workflow_runs.correct_outputs(
        run.id, classified.id, reviewed_output={"id": "receipt", "type": "RECEIPT"}
    )

    fixed = corrected.outputs[1]
    assert corrected.outputs[0] == classified
    assert (fixed.reviewed, fixed.edited) == (True, True)
    assert fixed.output == JsonOutput(
        value={**before, "vendor_name": "Zed"}, metadata=extracted.output.metadata
    )
    assert fixed.reviewed_output == JsonOutput(value={"vendor_name": "Zed"}, metadata={})
    assert fixed.initial_output == extracted.output
    assert fixed.edits["vendor_name"].original_value == before["vendor_name"]
    assert fixed.edits["vendor_name"].edited_value == "Zed"
    assert set(fixed.edits) == {"vendor_name"}
    new_class = reclassified.outputs[0].output
    assert isinstance(new_class, ClassifierOutput)
    assert (new_class.id, new_class.type) == ("receipt", "RECEIPT")
    assert reclassified.outputs[1] == fixed
    assert await client.workflow_runs.get(run.id) == reclassified
    with pytest.raises(NotFoundError, match="dpr_nope"):
        await client.workflow_runs.correct_outputs(
            run.id, "dpr_nope", reviewed_output={"value": {}}
        )
    with pytest.raises(NotFoundError):
        await client.workflow_runs.correct_outputs(
            "workflow_run_nope", extracted.id, reviewed_output={"value": {}}
        )


# -- a POST that may have arrived is not sent again ----------------------------------------------


@pytest.mark.parametrize("route", ["run_workflow", "batch_run_workflow", "cancel_workflow_run"])
async def test_a_post_hit_by_a_dropped_connection_is_not_repeated(
    fake: FakeExtendServer, client: AsyncExtend, route: str
) -> None:
    workflow = fake.workflows.add()
    fake.workflow_runs.set_lifecycle(finish_after=None, finish_after_polls=None)
    [running] = await client.workflow_runs.create(workflow.id, raw_texts=["x"])
    before = fake.requests[route]
    fake.faults.add(route=route, kind="disconnect", times=1)
    calls = {
        "run_workflow": lambda: client.workflow_runs.create(workflow.id, raw_texts=["y"]),
        "batch_run_workflow": lambda: client.workflow_runs.batch_create(
            workflow.id, inputs=[{"rawText": "y"}]
        ),
        "cancel_workflow_run": lambda: client.workflow_runs.cancel(running.id),
    }

    with pytest.raises(APIConnectionError) as caught:
        await calls[route]()

    assert caught.value.may_have_been_sent is True
    assert fake.requests[route] == before + 1  # one arrival: no retry, no resend
    assert len([run async for run in client.workflow_runs.list()]) == 1
    assert fake.workflow_runs.get(running.id).status == "PROCESSING"  # not cancelled


# -- seeding ---------------------------------------------------------------------------------------


def test_seeding_checks_what_it_is_given() -> None:
    fake = FakeExtendServer()
    runs, workflows_area = fake.workflow_runs, fake.workflows

    parked = runs.add(status="NEEDS_REVIEW")
    later = runs.add(finish_after_polls=2, outcome="FAILED")
    bare = runs.add(workflow_id=workflows_area.add(processor_ids=[]).id)
    text = runs.add(raw_text="Invoice 9", name="Nine", metadata={"n": 9})
    named = runs.add(id="workflow_run_given", workflow_id=bare.workflow.id)

    assert parked.status == "NEEDS_REVIEW"
    assert len(parked.outputs) == 1
    assert later.status == "PROCESSING"
    assert (bare.status, bare.outputs) == ("PROCESSED", [])
    assert (text.name, text.files[0].name, text.metadata) == ("Nine", "raw_text.txt", {"n": 9})
    assert runs.get(parked.id) == parked
    assert runs.get("workflow_run_given") == named
    assert named.url.endswith("?workflowRunId=workflow_run_given")
    with pytest.raises(ValueError, match="a workflow run with id 'workflow_run_given' already"):
        runs.add(id="workflow_run_given")
    with pytest.raises(ValueError, match="outcome must be"):
        runs.add(outcome="REJECTED")
    with pytest.raises(ValueError, match="cannot start as PROCESSED"):
        runs.add(status="PROCESSED", finish_after=1.0)
    with pytest.raises(ValueError, match="outcome must be"):
        runs.set_lifecycle(outcome="CANCELLED")
    with pytest.raises(KeyError):
        runs.add(workflow_id="workflow_nope")
    with pytest.raises(ValueError, match="version"):
        runs.add(workflow_id=bare.workflow.id, version="3")
    with pytest.raises(KeyError):
        runs.get("workflow_run_nope")
    with pytest.raises(KeyError):
        workflows_area.add(processor_ids=["dp_nope"])
    with pytest.raises(TypeError):
        workflows_area.add(processor_ids="dp_1")
    with pytest.raises(ValueError, match="already exists"):
        workflows_area.add(id=bare.workflow.id)
