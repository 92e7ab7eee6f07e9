"""Differential check, all at once: one story through every operation of docs/api.md.

The other modules go deep, state by state; this one proves the breadth on its own: run
alone, it still calls every operation the package serves, through the official client,
and fails if the table of docs/api.md holds one that the story missed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from differential._routes import documented_routes

from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")


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

    assert sorted(set(official.routes)) == sorted(documented_routes())
    assert len(documented_routes()) == 25
