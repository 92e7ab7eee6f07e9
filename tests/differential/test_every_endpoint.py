"""Differential check, all at once: one story through every operation of docs/api.md.

The other modules go deep, state by state; this one proves the breadth on its own: run
alone, it still calls every operation the package serves that the official client has
(all but Create File, Generate Edit Schema and Get Edit Template, which SDK 0.2.0 lacks),
and fails if the table of docs/api.md holds one that the story missed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from differential._routes import documented_routes, official_routes

from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")
from differential._support import STATUS_AS_STRING  # noqa: E402 - it imports the SDK
from extend_ai.evaluation_set_item import EvaluationSetItemCreateBatchRequestItemsItem  # noqa: E402


def nested_status(body: dict[str, Any]) -> None:
    """An edit run's plain ``status`` as the object SDK 0.2.0 declares (in place)."""
    run = body.get("editRun", body)
    run["status"] = {"object": "edit_run_status", "id": run["id"], "status": run["status"]}


def test_one_story_through_every_endpoint(fake: FakeExtendServer, official: Official) -> None:
    sdk = official.client

    # Processors and their versions.
    created = official.call(
        "create_processor",
        sdk.processor.create,
        name="Invoices",
        type="EXTRACT",
        config={"type": "EXTRACT", "schema": {"type": "object", "properties": {}}},
    ).processor
    official.call("update_processor", sdk.processor.update, created.id, name="Invoices v2")
    published = official.call(
        "publish_processor_version",
        sdk.processor_version.create,
        created.id,
        release_type="major",
        description="First",
    ).processor_version
    official.call("get_processor_version", sdk.processor_version.get, created.id, published.id)
    versions = official.call("list_processor_versions", sdk.processor_version.list, created.id)
    listed = official.call("list_processors", sdk.processor.list)
    assert [v.version for v in versions.versions] == ["draft", "1.0"]
    assert [p.id for p in listed.processors] == [created.id]

    # Processor runs.
    run = official.call(
        "run_processor", sdk.processor_run.create, processor_id=created.id, raw_text="INV-1"
    ).processor_run
    official.call("get_processor_run", sdk.processor_run.get, run.id)
    runs = official.call("list_processor_runs", sdk.processor_run.list, processor_id=created.id)
    cancelled = official.call("cancel_processor_run", sdk.processor_run.cancel, run.id)
    deleted = official.call("delete_processor_run", sdk.processor_run.delete, run.id)
    batch = fake.add_batch_run(processor_id=created.id)
    official.call("get_batch_processor_run", sdk.batch_processor_run.get, batch.id)
    assert [r.id for r in runs.processor_runs] == [run.id]
    assert cancelled.processor_run.status == "CANCELLED"
    assert deleted.document_processor_run_id == run.id

    # Parser runs.
    stored = fake.files.add("INV-9.pdf", size=100_000)
    config = {"target": "markdown", "blockOptions": {"tables": {"cellBlocksEnabled": True}}}
    parsed = official.call("parse_file", sdk.parse, file={"fileId": stored.id}, config=config)
    pending = official.call(
        "parse_file_async", sdk.parse_async, file={"fileUrl": "https://example.com/INV-9.pdf"}
    )
    still = official.call("get_parser_run", sdk.parser_run.get, pending.id).parser_run
    ready = official.call("get_parser_run", sdk.parser_run.get, pending.id).parser_run
    gone = official.call("delete_parser_run", sdk.parser_run.delete, pending.id)
    assert parsed.file_id == stored.id
    assert len(parsed.chunks) == 2
    assert (still.object, still.status) == ("parser_run_status", "PROCESSING")
    assert (ready.object, ready.status) == ("parser_run", "PROCESSED")
    assert gone.parser_run_id == pending.id

    # Workflows and their runs.
    workflow = official.call("create_workflow", sdk.workflow.create, name="Intake").workflow
    (started,) = official.call(
        "run_workflow",
        sdk.workflow_run.create,
        workflow_id=workflow.id,
        files=[{"fileUrl": "https://example.com/INV-1.pdf"}],
    ).workflow_runs
    official.call("get_workflow_run", sdk.workflow_run.get, started.id)
    done = official.call("get_workflow_run", sdk.workflow_run.get, started.id).workflow_run
    official.call("update_workflow_run", sdk.workflow_run.update, started.id, name="INV-1")
    corrected = official.call(
        "correct_workflow_run_outputs",
        sdk.workflow_run_output.update,
        started.id,
        done.outputs[0].id,
        reviewed_output={"value": {"invoice_number": "INV-1"}},
    ).workflow_run
    batch_id = official.call(
        "batch_run_workflow",
        sdk.batch_workflow_run.create,
        workflow_id=workflow.id,
        inputs=[{"rawText": "INV-2"}, {"rawText": "INV-3"}],
    ).batch_id
    in_batch = official.call("list_workflow_runs", sdk.workflow_run.list, batch_id=batch_id)
    first = in_batch.workflow_runs[0].id
    official.call("cancel_workflow_run", sdk.workflow_run.cancel, first)
    official.call("delete_workflow_run", sdk.workflow_run.delete, first)
    assert done.status == "PROCESSED"
    assert corrected.outputs[0].reviewed_output.value == {"invoice_number": "INV-1"}
    assert len(in_batch.workflow_runs) == 2

    # Evaluation sets and their items, on files the fake holds.
    measured = fake.processors.add()
    files = [fake.files.add(f"INV-{n}.pdf") for n in range(3)]
    golden = official.call(
        "create_evaluation_set",
        sdk.evaluation_set.create,
        name="Golden invoices",
        description="Checked by hand",
        processor_id=measured.id,
    ).evaluation_set
    official.call("get_evaluation_set", sdk.evaluation_set.get, golden.id)
    sets = official.call("list_evaluation_sets", sdk.evaluation_set.list, processor_id=measured.id)
    item = official.call(
        "create_evaluation_set_item",
        sdk.evaluation_set_item.create,
        evaluation_set_id=golden.id,
        file_id=files[0].id,
        expected_output={"value": {"vendor_name": "Acme", "total_amount": 1250}},
    ).evaluation_set_item
    updated = official.call(
        "update_evaluation_set_item",
        sdk.evaluation_set_item.update,
        item.id,
        expected_output={"value": {"vendor_name": "Acme Corp", "total_amount": 1250}},
    ).evaluation_set_item
    bulk = official.call(
        "bulk_create_evaluation_set_items",
        sdk.evaluation_set_item.create_batch,
        evaluation_set_id=golden.id,
        items=[
            EvaluationSetItemCreateBatchRequestItemsItem(
                file_id=file.id,
                expected_output=extend_ai.ProvidedJsonOutput(value={"invoice_number": file.name}),
            )
            for file in files[1:]
        ],
    ).evaluation_set_items
    listed = official.call("list_evaluation_set_items", sdk.evaluation_set_item.list, golden.id)
    removed = official.call("delete_evaluation_set_item", sdk.evaluation_set_item.delete, item.id)
    official.agree(golden, fake.evaluation_sets.get(golden.id))
    assert [found.id for found in sets.evaluation_sets] == [golden.id]
    assert updated.expected_output.value == {"vendor_name": "Acme Corp", "total_amount": 1250}
    assert [found.id for found in listed.evaluation_set_items] == [item.id, *(b.id for b in bulk)]
    assert removed.evaluation_set_item_id == item.id
    assert [kept.id for kept in fake.evaluation_sets.items(golden.id)] == [b.id for b in bulk]

    # Files: an upload (a multipart body) read back with its text, listed, deleted.
    text = b"Invoice INV-9\nTotal 5.00 EUR\n"
    uploaded = official.call(
        "upload_file", sdk.file.upload, file=("notes.txt", text, "text/plain")
    ).file
    read_back = official.call("get_file", sdk.file.get, uploaded.id, raw_text=True).file
    found = official.call("list_files", sdk.file.list, name_contains="NOTES")
    official.agree(found.files[0], fake.files.get(uploaded.id))
    deleted = official.call("delete_file", sdk.file.delete, uploaded.id)
    assert (uploaded.name, uploaded.metadata.page_count) == ("notes.txt", None)  # unparsed
    assert read_back.contents.raw_text == text.decode().rstrip("\n")
    assert [file.id for file in found.files] == [uploaded.id]
    assert deleted.file_id == uploaded.id
    assert fake.files.find(uploaded.id) is None

    # Edit runs: a finished one carries the plain status the official models refuse.
    started = official.call(
        "edit_file_async", sdk.edit.create_async, file={"fileUrl": "https://example.com/w9.pdf"}
    )
    running = official.call("get_edit_run", sdk.edit.get, started.id).edit_run
    read, finished = official.contradicted(
        "get_edit_run",
        extend_ai.EditGetResponse,
        nested_status,
        STATUS_AS_STRING,
        sdk.edit.get,
        started.id,
    )
    raised, edited = official.contradicted(
        "edit_file",
        extend_ai.EditRun,
        nested_status,
        STATUS_AS_STRING,
        sdk.edit.create,
        file={"fileUrl": "https://example.com/w9.pdf"},
    )
    dropped = official.call("delete_edit_run", sdk.edit.delete, started.id)
    assert running.status == "PROCESSING"
    assert read.edit_run is None  # its client drops the run
    assert finished.edit_run.status.status == "PROCESSED"
    assert isinstance(raised, TypeError)  # and its Edit File raises
    assert edited.output
    assert dropped.edit_run_id == started.id

    assert sorted(set(official.routes)) == sorted(official_routes())
    assert len(official_routes()) == 41
    assert set(documented_routes()) - set(official_routes()) == {
        "create_file",  # not in SDK 0.2.0
        "generate_edit_schema",
        "get_edit_template",
    }
