"""Differential check, edit runs (rows 31, 32, 34 and 35): Edit File, Edit File Async, Get
and Delete Edit Run. Generate Edit Schema and Get Edit Template are not in SDK 0.2.0.

Every state an edit run can be in, with and without an edit schema, read by the
official SDK from the fake and compared with the fake's record. A finished run carries
``status`` as the plain string the reference settles on (its contradiction 2), which
SDK 0.2.0 declares as an object: those answers are checked to be refused for that
alone, and what the official client makes of them is recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from extend_async import to_dict
from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")

from differential._support import STATUS_AS_STRING, agree  # noqa: E402

FORM = "Full name: ____\n[ ] Exempt payee\nFiling status: ( ) Single ( ) Married\n"
#: An edit schema using every ``extend_edit:`` key SDK 0.2.0 declares.
SCHEMA = {
    "type": "object",
    "properties": {
        "full_name": {
            "type": ["string", "null"],
            "description": "Full name",
            "extend_edit:field_type": "text",
            "extend_edit:value": "Jordan Avery",
            "extend_edit:bbox": {"left": 102.0, "top": 188.5, "right": 340.0, "bottom": 204.0},
            "extend_edit:page_index": 0,
            "extend_edit:text_edit_options": {
                "fontSize": 10,
                "fontColor": [0, 0, 0],
                "font": "Helvetica",
                "combing": False,
                "maxLength": 40,
            },
        },
        "status": {
            "enum": ["single", "married"],
            "extend_edit:field_type": "radio",
            "extend_edit:bboxes": [
                {"left": 60, "top": 240, "right": 70, "bottom": 250},
                {"left": 160, "top": 240, "right": 170, "bottom": 250},
            ],
        },
        "items": {
            "type": "array",
            "extend_edit:field_type": "table",
            "extend_edit:row_heights": [0.5, 0.5],
            "maxItems": 2,
            "items": {
                "type": "object",
                "properties": {
                    "what": {"type": ["string", "null"], "extend_edit:column_width": 60},
                },
            },
        },
    },
    "required": ["full_name"],
    "additionalProperties": False,
}


def nested_status(body: dict[str, Any]) -> None:
    """An edit run's plain ``status`` as the object SDK 0.2.0 declares (in place)."""
    run = body.get("editRun", body)
    run["status"] = {"object": "edit_run_status", "id": run["id"], "status": run["status"]}


def recorded(fake: FakeExtendServer, run_id: str) -> dict[str, Any]:
    """The fake's record of a run, in the SDK's declared form (nested status)."""
    wire = to_dict(fake.edit_runs.get(run_id))
    nested_status(wire)
    return wire


@pytest.mark.parametrize("config", [None, {"schema": SCHEMA, "instructions": "Fill it."}])
def test_an_async_edit_in_each_of_its_states(
    fake: FakeExtendServer, official: Official, config: dict[str, Any] | None
) -> None:
    form = fake.files.add("w9.pdf", text=FORM)
    sdk = official.client
    options = {} if config is None else {"config": config}

    started = official.call(
        "edit_file_async", sdk.edit.create_async, file={"fileId": form.id}, **options
    )
    running = official.call("get_edit_run", sdk.edit.get, started.id).edit_run
    official.agree(running, fake.edit_runs.get(started.id))
    read, finished = official.contradicted(
        "get_edit_run",
        extend_ai.EditGetResponse,
        nested_status,
        STATUS_AS_STRING,
        sdk.edit.get,
        started.id,
    )

    assert (started.object, started.status) == ("edit_run_status", "PROCESSING")
    assert (running.object, running.status) == ("edit_run_status", "PROCESSING")
    assert read.edit_run is None  # type: ignore[attr-defined]  # its client drops the run
    run = finished.edit_run  # type: ignore[attr-defined]
    assert (run.object, run.status.status, run.file_id) == ("edit_run", "PROCESSED", form.id)
    assert run.edited_file.download_url.startswith(fake.url)
    assert run.output
    agree(run, recorded(fake, started.id))  # the fake's record, field by field


def test_a_failed_edit_and_a_sync_edit(fake: FakeExtendServer, official: Official) -> None:
    sheet = fake.files.add("ledger.csv")
    sdk = official.client

    started = official.call("edit_file_async", sdk.edit.create_async, file={"fileId": sheet.id})
    official.call("get_edit_run", sdk.edit.get, started.id)
    _, failed = official.contradicted(
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
        config={"schema": SCHEMA},
    )
    refused = official.fails(
        "edit_file",
        422,
        extend_ai.UnprocessableEntityError,
        sdk.edit.create,
        file={"fileId": sheet.id},
    )

    run = failed.edit_run  # type: ignore[attr-defined]
    assert (run.status.status, run.failure_reason, run.edited_file) == (
        "FAILED",
        "FILE_TYPE_NOT_SUPPORTED",
        None,
    )
    assert isinstance(raised, TypeError)  # its Edit File cannot read a plain status
    assert sorted(edited.output) == ["full_name", "items", "status"]  # type: ignore[attr-defined]
    assert edited.output["full_name"] == "Jordan Avery"  # type: ignore[attr-defined]
    field = edited.config.schema_.properties["full_name"]  # type: ignore[attr-defined]
    assert field.extend_edit_text_edit_options.max_length == 40
    assert refused.body.code == "FILE_TYPE_NOT_SUPPORTED"  # its typed ExtendError, whole
    assert refused.body.request_id.startswith("req_")
    assert refused.body.retryable is False


def test_a_deleted_edit_run_is_gone(fake: FakeExtendServer, official: Official) -> None:
    sdk = official.client
    seeded = fake.edit_runs.add()

    deleted = official.call("delete_edit_run", sdk.edit.delete, seeded.id)
    official.fails("get_edit_run", 404, extend_ai.NotFoundError, sdk.edit.get, seeded.id)
    official.fails("delete_edit_run", 404, extend_ai.NotFoundError, sdk.edit.delete, seeded.id)

    assert (deleted.success, deleted.edit_run_id) == (True, seeded.id)
    assert deleted.message == "Edit run data has been successfully deleted."
