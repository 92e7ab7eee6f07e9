"""The fake's editing (edit runs, schema generation, templates, the filled PDFs), over a
real socket, through both clients."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import pytest

from extend_async import (
    APIConnectionError,
    AsyncExtend,
    NotFoundError,
    PermissionDeniedError,
    PollPolicy,
    UnprocessableEntityError,
    WaitTimeoutError,
    to_dict,
)
from extend_async.models import (
    EditFieldType,
    EditRootJsonSchema,
    EditRun,
    EditRunAdvancedOptions,
    EditRunConfig,
    EditRunDeleted,
    EditRunState,
    EditRunStatus,
    EditSchemaGenerationConfig,
    FileInput,
)
from extend_async.testing import FakeExtendServer
from extend_async.testing._downloads import EXPIRES_AFTER, _signature

EXACT = PollPolicy(jitter=0)
FAST = PollPolicy(interval=0.01, fast_phase=0, growth=1, max_interval=0.01, jitter=0)
PROCESSING = EditRunState.PROCESSING
PROCESSED = EditRunState.PROCESSED
FAILED = EditRunState.FAILED
FORM = """Application for a permit
Full name: ____
Date of birth: ____
Total amount: ____
Filing status: ( ) Single ( ) Married
[ ] I agree to the terms
Items: [Description | Quantity]
Signature: ____
\fSecond page
Date: ____
"""
SCHEMA = {
    "type": "object",
    "properties": {
        "full_name": {
            "type": ["string", "null"],
            "description": "Full name",
            "extend_edit:field_type": "text",
            "extend_edit:value": "Jordan Avery",
            "extend_edit:page_index": 0,
        },
        "consent": {
            "type": ["boolean", "null"],
            "description": "Consent",
            "extend_edit:field_type": "checkbox",
            "extend_edit:value": True,
            "extend_edit:page_index": 1,
        },
    },
}


def pdf_text(pdf: bytes) -> list[str]:
    """The lines a PDF shows, once its structure is checked: the header, every object
    where the cross-reference table says it is, each stream's length, the trailer."""
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    table = pdf[start:].split(b"\n")
    assert table[0] == b"xref"
    count = int(table[1].split()[1])
    for number, entry in enumerate(table[3 : 3 + count - 1], 1):
        assert pdf[int(entry.split()[0]) :].startswith(b"%d 0 obj\n" % number)
    assert b"/Root 1 0 R" in pdf[start:]
    for match in re.finditer(rb"<< /Length (\d+) >>\nstream\n", pdf):
        end = match.end() + int(match[1])
        assert pdf[end : end + 10] == b"\nendstream"
    return [line.decode("latin-1") for line in re.findall(rb"\((.*?)\) Tj", pdf)]


# -- the lifecycle ------------------------------------------------------------------------


async def test_an_async_edit_shows_its_status_then_the_full_run_on_its_second_get(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    form = fake.files.add("permit.pdf", text=FORM)

    started = await client.edit_runs.create(file=form.id, config={"schema": SCHEMA})
    first = await client.edit_runs.get(started.id)
    second = await client.edit_runs.get(started.id)

    assert started == EditRunStatus(id=started.id, status=PROCESSING)
    assert started.id.startswith("edit_run_")
    assert first == started
    assert isinstance(second, EditRun)
    assert (second.status, second.file_id) == (PROCESSED, form.id)
    assert second.output == {"full_name": "Jordan Avery", "consent": True}
    assert to_dict(second.config) == {"schema": SCHEMA}
    assert second.metrics.field_count == 2
    assert second.metrics.page_count == 1
    assert second.usage is not None
    assert second.usage.credits is not None
    assert second.usage.credits > 0
    assert second.edited_file is not None
    assert second.edited_file.download_url is not None
    assert fake.requests["get_edit_run", started.id] == 2


async def test_the_wire_shows_the_status_object_while_running_and_a_plain_string_after(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    body = {"file": {"fileUrl": "https://example.com/forms/permit.pdf"}}
    async with http.post(f"{fake.url}/edit/async", json=body, headers=headers) as response:
        started = await response.json()
    url = f"{fake.url}/edit_runs/{started['id']}"
    async with http.get(url, headers=headers) as response:
        running = await response.json()
    async with http.get(url, headers=headers) as response:
        done = await response.json()

    assert started == {"object": "edit_run_status", "id": started["id"], "status": "PROCESSING"}
    assert running == {"success": True, "editRun": started}
    assert done["success"] is True
    run = done["editRun"]
    assert (run["object"], run["id"], run["status"]) == ("edit_run", started["id"], "PROCESSED")
    assert set(run) == {
        "object",
        "id",
        "fileId",
        "editedFile",
        "status",
        "config",
        "output",
        "metrics",
        "usage",
    }
    assert set(run["editedFile"]) == {"fileId", "downloadUrl"}


async def test_a_lifecycle_on_the_clock_ends_with_nobody_polling(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.edit_runs.set_lifecycle(finish_after=5, outcome="FAILED")

    started = await client.edit_runs.create(file="https://example.com/a.pdf")
    fake.advance(4.9)
    still = fake.edit_runs.get(started.id)
    fake.advance(0.1)
    ended = fake.edit_runs.get(started.id)  # no GET was made: the clock ended it

    assert still == EditRunStatus(id=started.id, status=PROCESSING)
    assert isinstance(ended, EditRun)
    assert (ended.status, ended.failure_reason) == (FAILED, "INTERNAL_ERROR")
    assert (ended.edited_file, ended.output, ended.usage) == (None, None, None)
    assert fake.requests["get_edit_run"] == 0
    assert await client.edit_runs.get(started.id) == ended


async def test_edits_without_a_lifecycle_are_finished_at_once(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.edit_runs.set_lifecycle()

    started = await client.edit_runs.create(file="https://example.com/a.pdf")
    got = await client.edit_runs.get(started.id)

    assert started.status is PROCESSED
    assert isinstance(got, EditRun)
    assert got.status is PROCESSED


async def test_create_and_wait_follows_the_lifecycle_and_wait_many_many_runs(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.edit_runs.set_lifecycle(finish_after_polls=3)

    run = await client.edit_runs.create_and_wait(file="https://example.com/a.pdf", poll=EXACT)
    started = [await client.edit_runs.create(file=f"https://example.com/{n}.pdf") for n in range(3)]
    ids = [one.id for one in started] + ["edit_run_missing"]
    outcomes: dict[str, Any] = {}
    async with client.edit_runs.wait_many(ids, poll=EXACT) as stream:
        async for run_id, outcome in stream:
            outcomes[run_id] = outcome

    assert isinstance(run, EditRun)
    assert run.status is PROCESSED
    assert fake.requests["edit_file_async"] == 4
    assert fake.requests["get_edit_run", run.id] == 3
    assert set(outcomes) == set(ids)
    for one in started:
        assert isinstance(outcomes[one.id], EditRun)
        assert outcomes[one.id].status is PROCESSED
        assert fake.requests["get_edit_run", one.id] == 3
    assert isinstance(outcomes["edit_run_missing"], NotFoundError)


async def test_create_and_wait_gives_up_at_its_timeout_without_a_second_edit(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.edit_runs.set_lifecycle(finish_after=60)

    with pytest.raises(WaitTimeoutError) as info:
        await client.edit_runs.create_and_wait(file="https://x.test/a.pdf", timeout=5, poll=EXACT)

    last = info.value.last
    assert isinstance(last, EditRunStatus)
    assert last.status is PROCESSING
    assert "(last status: PROCESSING)" in str(info.value)
    assert fake.requests["edit_file_async"] == 1
    assert fake.requests["get_edit_run", last.id] == 6  # t = 0 ... 5


async def test_get_many_gives_each_form_in_the_order_asked(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    done = fake.edit_runs.add()
    going = fake.edit_runs.add(finish_after=10)

    many = await client.edit_runs.get_many([going.id, done.id])

    assert many == [
        EditRunStatus(id=going.id, status=PROCESSING),
        await client.edit_runs.get(done.id),
    ]
    assert isinstance(many[1], EditRun)


# -- sync edits -------------------------------------------------------------------------------


async def test_a_sync_edit_is_answered_finished_with_a_bare_run(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    form = fake.files.add("permit.pdf", text=FORM)

    run = await client.edit_runs.edit(file=form.id, config={"schema": SCHEMA})

    assert isinstance(run, EditRun)
    assert run.status is PROCESSED
    assert run.output == {"full_name": "Jordan Avery", "consent": True}
    assert fake.requests["edit_file"] == 1
    assert fake.requests["get_edit_run"] == 0


async def test_a_sync_edit_longer_than_the_server_s_wait_comes_back_running(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.edit_runs.set_lifecycle(finish_after=400)  # more than the five minutes

    run = await client.edit_runs.edit(file="https://example.com/a.pdf")
    fake.edit_runs.sync_wait = 0
    fake.edit_runs.set_lifecycle(finish_after_polls=2)
    other = await client.edit_runs.edit(file="https://example.com/b.pdf")
    finished = await client.edit_runs.wait(other.id, poll=EXACT)

    assert (run.status, run.is_terminal, run.edited_file) == (PROCESSING, False, None)
    assert run.metrics.field_count is not None  # the full run, still going
    assert other.status is PROCESSING
    assert isinstance(finished, EditRun)
    assert finished.status is PROCESSED
    with pytest.raises(ValueError, match=r"sync_wait must be seconds >= 0, got -1"):
        fake.edit_runs.sync_wait = -1


# -- what an edit fills -------------------------------------------------------------------------


async def test_the_filled_pdf_is_downloaded_with_the_values_on_their_pages(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    form = fake.files.add("permit.pdf", text=FORM, size=120_000)  # three pages

    run = await client.edit_runs.edit(file=form.id, config={"schema": SCHEMA})
    assert isinstance(run, EditRun)
    assert run.edited_file is not None
    assert run.edited_file.download_url is not None
    pdf = await client.download(run.edited_file.download_url)

    assert pdf_text(pdf) == ["Full name: Jordan Avery", "Consent: true"]
    assert pdf.count(b"/Type /Page ") == 3
    assert run.metrics.page_count == 3
    stored = fake.files.stored(run.edited_file.file_id or "")
    assert (stored.file.name, stored.size) == ("permit_edited.pdf", len(pdf))
    assert "Authorization" not in fake.last_headers  # the token never went to the download
    assert fake.requests["download", run.edited_file.file_id] == 1


async def test_without_a_schema_the_fields_are_detected_in_the_file(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    form = fake.files.add("permit.pdf", text=FORM)
    options = EditRunAdvancedOptions(radio_enums_enabled=True, table_parsing_enabled=True)

    run = await client.edit_runs.edit(file=form.id, config=EditRunConfig(advanced_options=options))

    assert isinstance(run, EditRun)
    assert run.output is not None
    assert list(run.output) == [
        "full_name",
        "date_of_birth",
        "total_amount",
        "filing_status",
        "i_agree_to_the_terms",
        "items",
        "signature",
        "date",
    ]
    assert run.output["filing_status"] in ("single", "married")
    assert isinstance(run.output["i_agree_to_the_terms"], bool)
    assert isinstance(run.output["total_amount"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", run.output["date_of_birth"])
    assert all(set(row) == {"description", "quantity"} for row in run.output["items"])
    assert run.metrics.field_count == 8
    assert run.metrics.field_detection_time_ms
    assert run.config.schema is None  # the config is echoed as it was sent


async def test_a_url_file_is_stored_under_its_name(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    by_url = await client.edit_runs.edit(file="https://example.com/forms/W-9%20form.pdf?v=2")
    named = await client.edit_runs.edit(
        file=FileInput(file_url="https://example.com/x", file_name="named.pdf")
    )

    assert fake.files.get(by_url.file_id).name == "W-9 form.pdf"
    assert fake.files.get(named.file_id).name == "named.pdf"
    assert by_url.edited_file is not None
    assert by_url.edited_file.file_id is not None
    assert fake.files.get(by_url.edited_file.file_id).name == "W-9 form_edited.pdf"


# -- templates ----------------------------------------------------------------------------------


async def test_a_template_is_served_and_lends_an_edit_its_file_and_config(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    form = fake.files.add("w9.pdf", text=FORM)
    saved = EditRunConfig(
        instructions="Fill the W-9.",
        advanced_options=EditRunAdvancedOptions(flatten_pdf=True, radio_enums_enabled=True),
    )
    template = fake.edit_templates.add(
        name="W-9",
        file=form,
        description="Vendors",
        config=saved,
        schema_config=EditSchemaGenerationConfig(instructions="snake_case"),
    )
    override = EditRunConfig(advanced_options=EditRunAdvancedOptions(flatten_pdf=False))

    served = await client.edit_templates.get(template.id)
    run = await client.edit_runs.edit(template_id=template.id, config=override)
    plain = await client.edit_runs.create_and_wait(template_id=template.id, poll=FAST)

    assert served == template
    assert template.id.startswith("edt_")
    assert served.file == form
    assert run.file_id == plain.file_id == form.id
    assert run.config == EditRunConfig(
        instructions="Fill the W-9.",
        advanced_options=EditRunAdvancedOptions(flatten_pdf=False, radio_enums_enabled=True),
    )
    assert plain.config == saved
    assert run.output is not None
    assert run.output["filing_status"] in ("single", "married")  # the template's radio enums


async def test_an_unknown_template_or_file_is_not_found(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    with pytest.raises(NotFoundError, match="Edit template not found"):
        await client.edit_templates.get("edt_missing")
    with pytest.raises(NotFoundError, match="Edit template not found"):
        await client.edit_runs.edit(template_id="edt_missing")
    with pytest.raises(NotFoundError, match="Edit template not found"):
        await client.edit_runs.create(template_id="edt_missing")
    with pytest.raises(NotFoundError, match="File not found"):
        await client.edit_runs.edit(file="file_missing")
    with pytest.raises(NotFoundError, match="File not found"):
        await client.edit_schemas.generate("file_missing")
    with pytest.raises(NotFoundError, match="Edit run not found"):
        await client.edit_runs.get("edit_run_missing")

    assert fake.edit_runs.advance_all() is None  # no run was made
    with pytest.raises(KeyError):
        fake.edit_templates.get("edt_missing")


# -- schema generation --------------------------------------------------------------------------


async def test_generate_reads_the_fields_of_the_stored_form(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    form = fake.files.add("permit.pdf", text=FORM)

    plain = await client.edit_schemas.generate(form.id)
    rich = await client.edit_schemas.generate(
        form,
        config={
            "advancedOptions": {
                "radioEnumsEnabled": True,
                "tableParsingEnabled": True,
                "nativeFieldsOnly": True,
            }
        },
    )

    assert plain.annotated_schema == plain.schema
    assert plain.mapping_result is None
    assert list(plain.schema.properties) == [
        "full_name",
        "date_of_birth",
        "total_amount",
        "filing_status_single",
        "filing_status_married",
        "i_agree_to_the_terms",
        "items_description",
        "items_quantity",
        "signature",
        "date",
    ]
    fields = plain.schema.properties
    assert fields["full_name"].extend_edit_field_type is EditFieldType.TEXT
    assert fields["total_amount"].type == ["number", "null"]
    assert fields["filing_status_single"].extend_edit_field_type is EditFieldType.RADIO
    assert fields["i_agree_to_the_terms"].extend_edit_field_type is EditFieldType.CHECKBOX
    assert fields["signature"].extend_edit_field_type is EditFieldType.SIGNATURE
    assert fields["date"].extend_edit_page_index == 1  # after the form feed
    assert fields["full_name"].extend_edit_bbox is not None
    assert list(rich.schema.properties) == [
        "full_name",
        "date_of_birth",
        "total_amount",
        "filing_status",
        "i_agree_to_the_terms",
        "items",
        "date",  # no signature: a drawn box is not a native field
    ]
    status = rich.schema.properties["filing_status"]
    assert status.enum == ["single", "married"]
    assert status.extend_edit_bboxes is not None
    assert len(status.extend_edit_bboxes) == 2
    items = rich.schema.properties["items"]
    assert (items.type, items.extend_edit_field_type, items.max_items) == (
        "array",
        EditFieldType.TABLE,
        5,
    )
    assert items.items is not None
    assert items.items.properties is not None
    assert list(items.items.properties) == ["description", "quantity"]
    assert items.items.properties["quantity"].type == ["number", "null"]


async def test_generate_maps_an_input_schema_onto_the_form(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    form = fake.files.add("permit.pdf", text=FORM)
    wanted = {
        "type": "object",
        "properties": {
            "applicant": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "birth": {"type": "string"}},
            },
            "vat_id": {"type": "string", "description": "VAT"},
        },
    }

    answer = await client.edit_schemas.generate(form.id, config={"inputSchema": wanted})

    result = answer.mapping_result
    assert result is not None
    assert [(m.input_path, m.form_field_key) for m in result.matches] == [
        ("applicant.name", "full_name"),
        ("applicant.birth", "date_of_birth"),
    ]
    assert result.unmatched_input_paths == ["vat_id"]
    assert "full_name" not in result.unused_form_field_keys
    assert "signature" in result.unused_form_field_keys
    applicant = answer.schema.properties["applicant"]
    assert applicant.properties is not None
    name = applicant.properties["name"]
    detected = answer.annotated_schema
    assert detected is not None
    assert name.type == "string"  # the input schema's own
    assert name.extend_edit_bbox == detected.properties["full_name"].extend_edit_bbox
    assert answer.schema.properties["vat_id"].extend_edit_bbox is None
    assert answer.schema.properties["vat_id"].description == "VAT"


async def test_generate_on_a_url_or_a_file_without_text_is_the_same_each_time(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    uploaded = fake.files.add("lease.pdf")

    first = await client.edit_schemas.generate("https://example.com/lease.pdf")
    again = await client.edit_schemas.generate(uploaded.id)
    other = await client.edit_schemas.generate("https://example.com/other-form.pdf")

    assert first == again  # the fields come from the file's name
    assert "full_name" in first.schema.properties
    assert isinstance(first.schema, EditRootJsonSchema)
    assert list(first.schema.properties) != list(other.schema.properties)


async def test_a_file_that_cannot_be_edited_is_unprocessable_or_fails_its_run(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    sheet = fake.files.add("ledger.csv")

    with pytest.raises(UnprocessableEntityError) as edit:
        await client.edit_runs.edit(file=sheet.id)
    with pytest.raises(UnprocessableEntityError) as generate:
        await client.edit_schemas.generate("https://example.com/ledger.xlsx")
    run = await client.edit_runs.create_and_wait(file=sheet.id, poll=FAST)
    image = await client.edit_runs.edit(file="https://example.com/scan.png")  # converted

    assert edit.value.code == generate.value.code == "FILE_TYPE_NOT_SUPPORTED"
    assert edit.value.retryable is False
    assert isinstance(edit.value.body, dict)
    assert set(edit.value.body) == {"code", "message", "requestId", "retryable"}
    assert edit.value.request_id == edit.value.body["requestId"]
    assert "CSV cannot be edited" in edit.value.message
    assert (run.status, run.failure_reason, run.edited_file) == (
        FAILED,
        "FILE_TYPE_NOT_SUPPORTED",
        None,
    )
    assert image.status is PROCESSED


# -- what the fake refuses ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/edit", "/edit/async"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "send exactly one of file, templateId"),
        ({"config": {"instructions": "x"}}, "send exactly one of file, templateId"),
        (
            {"file": {"fileId": "file_1"}, "templateId": "edt_1"},
            "send exactly one of file, templateId",
        ),
        ({"file": {"fileURL": "https://x.test/a.pdf"}}, "extra fields found (fileURL)"),
        (
            {"file": {"fileUrl": "https://x.test/a.pdf", "fileId": "file_1"}},
            "exactly one of fileUrl, fileId",
        ),
        ({"templateId": 5}, "$.templateId"),
        ({"templateId": "edt_1", "colour": "red"}, "colour"),
        ({"templateId": "edt_1", "config": {"schemaa": {}}}, "schemaa"),
        (
            {"templateId": "edt_1", "config": {"advancedOptions": {"flattenPdf": "yes"}}},
            "$.config.advancedOptions.flattenPdf",
        ),
        ([1, 2], "the body must be a JSON object"),
    ],
)
async def test_edits_refuse_what_the_api_refuses(
    fake: FakeExtendServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    path: str,
    body: Any,
    message: str,
) -> None:
    async with http.post(f"{fake.url}{path}", json=body, headers=headers) as response:
        answer = await response.json()

    assert response.status == 400
    assert answer["success"] is False
    assert message in answer["error"]


async def test_generate_refuses_what_the_api_refuses(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    url = f"{fake.url}/edit_schemas/generate"
    answers = []
    for body in (
        {},
        {"file": {"fileUrl": "https://x.test/a.pdf"}, "config": {"inputSchema": {}}},
        {"file": {"fileUrl": "https://x.test/a.pdf"}, "templateId": "edt_1"},
    ):
        async with http.post(url, json=body, headers=headers) as response:
            answers.append((response.status, (await response.json())["error"]))
    async with http.post(url, data=b"{not json", headers=headers) as response:
        answers.append((response.status, (await response.json())["error"]))

    assert [status for status, _ in answers] == [400, 400, 400, 400]
    assert "$.file" in answers[0][1]
    assert "$.config.inputSchema.properties" in answers[1][1]
    assert "templateId" in answers[2][1]
    assert "the body is not JSON" in answers[3][1]


async def test_edit_routes_check_the_token_like_every_api_route(
    fake: FakeExtendServer, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{fake.url}/edit_templates/edt_1") as response:
        assert response.status == 401
    async with http.post(f"{fake.url}/edit", json={}) as response:
        assert response.status == 401


# -- delete and downloads -----------------------------------------------------------------------


async def test_a_deleted_run_is_gone_with_its_download(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = await client.edit_runs.edit(file="https://example.com/a.pdf")
    assert run.edited_file is not None
    assert run.edited_file.download_url is not None

    deleted = await client.edit_runs.delete(run.id)

    assert deleted == EditRunDeleted(
        edit_run_id=run.id, message="Edit run data has been successfully deleted."
    )
    with pytest.raises(NotFoundError, match="Edit run not found"):
        await client.edit_runs.get(run.id)
    with pytest.raises(NotFoundError, match="Edit run not found"):
        await client.edit_runs.delete(run.id)
    with pytest.raises(NotFoundError, match="NoSuchKey"):
        await client.download(run.edited_file.download_url)
    with pytest.raises(KeyError):
        fake.edit_runs.get(run.id)


async def test_download_urls_need_no_token_and_expire_like_presigned_ones(
    fake: FakeExtendServer, client: AsyncExtend, http: aiohttp.ClientSession
) -> None:
    run = await client.edit_runs.edit(file="https://example.com/a.pdf")
    assert run.edited_file is not None
    url = run.edited_file.download_url
    assert url is not None
    assert url.startswith(f"{fake.url}/downloads/{run.edited_file.file_id}?X-Amz-Date=")
    assert "X-Amz-Expires=900&X-Amz-Signature=" in url

    async with http.get(url) as response:  # no headers at all
        plain = (response.status, response.content_type, await response.read())
    tampered = url[:-4] + ("0000" if not url.endswith("0000") else "1111")
    async with http.get(tampered) as response:
        forged = (response.status, await response.text())
    fake.advance(EXPIRES_AFTER)
    still = await client.download(url)
    fake.advance(1)
    with pytest.raises(PermissionDeniedError, match="Request has expired"):
        await client.download(url)
    fresh = await client.edit_runs.get(run.id)  # each GET presigns anew

    assert plain[:2] == (200, "application/pdf")
    assert plain[2] == still
    assert pdf_text(plain[2])
    assert forged[0] == 403
    assert "SignatureDoesNotMatch" in forged[1]
    assert isinstance(fresh, EditRun)
    assert fresh.edited_file is not None
    assert fresh.edited_file.download_url != url
    assert fresh.edited_file.download_url is not None
    assert await client.download(fresh.edited_file.download_url) == still


async def test_a_download_signed_for_a_date_the_fake_never_wrote_is_refused(
    fake: FakeExtendServer, http: aiohttp.ClientSession
) -> None:
    signature = _signature("file_1", "yesterday", "900")
    query = {"X-Amz-Date": "yesterday", "X-Amz-Expires": "900", "X-Amz-Signature": signature}

    async with http.get(f"{fake.url}/downloads/file_1", params=query) as response:
        answer = (response.status, await response.text())

    assert answer[0] == 403
    assert "X-Amz-Date is not a valid date" in answer[1]


async def test_a_download_signed_for_a_validity_the_fake_never_wrote_is_refused(
    fake: FakeExtendServer, http: aiohttp.ClientSession
) -> None:
    date = "20250421T000000Z"
    signature = _signature("file_1", date, "soon")
    query = {"X-Amz-Date": date, "X-Amz-Expires": "soon", "X-Amz-Signature": signature}

    async with http.get(f"{fake.url}/downloads/file_1", params=query) as response:
        answer = (response.status, await response.text())

    assert answer[0] == 403
    assert "X-Amz-Expires is not a number of seconds" in answer[1]


async def test_downloads_are_outside_the_api_s_rate_limit(
    fake: FakeExtendServer, client: AsyncExtend, http: aiohttp.ClientSession
) -> None:
    run = await client.edit_runs.edit(file="https://example.com/a.pdf")
    assert run.edited_file is not None
    assert run.edited_file.download_url is not None
    fake.rate_limit = 1

    statuses = []
    for _ in range(3):
        async with http.get(run.edited_file.download_url) as response:
            statuses.append(response.status)

    assert statuses == [200, 200, 200]
    assert fake.rate_limited == 0


# -- faults ---------------------------------------------------------------------------------------


async def test_a_dropped_edit_is_not_repeated_and_a_failed_poll_is(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.faults.add(route="edit_file", kind="disconnect", times=1)
    fake.faults.add(route="get_edit_run", status=503, times=1)

    with pytest.raises(APIConnectionError) as info:
        await client.edit_runs.edit(file="https://example.com/a.pdf")
    run = await client.edit_runs.create_and_wait(file="https://example.com/b.pdf", poll=EXACT)

    assert info.value.may_have_been_sent is True
    assert fake.requests["edit_file"] == 1  # a POST that may have run is never sent twice
    assert run.status is PROCESSED
    assert fake.requests["get_edit_run", run.id] == 3  # the 503, its retry, the last poll


async def test_a_429_on_an_edit_is_retried_once_the_pause_is_over(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.faults.add(route="edit_file_async", status=429, retry_after=2, times=1)

    started = await client.edit_runs.create(file="https://example.com/a.pdf")

    assert started.status is PROCESSING
    assert fake.requests["edit_file_async"] == 2
    assert fake.clock.sleeps == [2.0]


# -- seeding --------------------------------------------------------------------------------------


async def test_seeded_runs(fake: FakeExtendServer, client: AsyncExtend) -> None:
    form = fake.files.add("permit.pdf", text=FORM)
    runs = fake.edit_runs

    done = runs.add(file=form, output={"full_name": "Sam"}, id="edit_run_seeded")
    failed = runs.add(status="FAILED")
    later = runs.add(file=form.id, finish_after_polls=2, outcome="FAILED")
    schema = runs.add(config=EditRunConfig(instructions="x"), status="PROCESSING")

    assert isinstance(done, EditRun)
    assert (done.id, done.file_id, done.output) == (
        "edit_run_seeded",
        form.id,
        {"full_name": "Sam"},
    )
    assert await client.edit_runs.get(done.id) == done
    assert isinstance(failed, EditRun)
    assert (failed.status, failed.failure_reason) == (FAILED, "INTERNAL_ERROR")
    assert later == EditRunStatus(id=later.id, status=PROCESSING)
    assert await client.edit_runs.get(later.id) == later
    ended = await client.edit_runs.get(later.id)
    assert isinstance(ended, EditRun)
    assert ended.status is FAILED
    assert schema == EditRunStatus(id=schema.id, status=PROCESSING)  # stays: no schedule
    assert fake.edit_runs.get(schema.id) == schema


def test_seeding_refuses_what_cannot_be() -> None:
    fake = FakeExtendServer()
    runs, templates = fake.edit_runs, fake.edit_templates

    with pytest.raises(ValueError, match="no file with id 'file_missing'"):
        runs.add(file="file_missing")
    with pytest.raises(ValueError, match="status must be PROCESSING, PROCESSED or FAILED"):
        runs.add(status="ARCHIVED")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a run with a schedule cannot start as PROCESSED"):
        runs.add(status="PROCESSED", finish_after=3)
    with pytest.raises(ValueError, match="outcome must be 'FAILED' or 'PROCESSED'"):
        runs.add(finish_after=3, outcome="CANCELLED")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="outcome must be"):
        runs.set_lifecycle(outcome="PROCESSING")  # type: ignore[arg-type]
    runs.add(id="edit_run_1")
    with pytest.raises(ValueError, match="an edit run with id 'edit_run_1' already exists"):
        runs.add(id="edit_run_1")
    with pytest.raises(ValueError, match="no file with id 'file_missing'"):
        templates.add(file="file_missing")
    templates.add(id="edt_1")
    with pytest.raises(ValueError, match="an edit template with id 'edt_1' already exists"):
        templates.add(id="edt_1")
    seeded = runs.get("edit_run_1")  # not started: no host to presign a URL for yet
    assert isinstance(seeded, EditRun)
    assert seeded.edited_file is not None
    assert seeded.edited_file.download_url is None


async def test_the_same_seed_gives_the_same_runs_and_schemas() -> None:
    def story(fake: FakeExtendServer) -> Any:
        form = fake.files.add("permit.pdf", text=FORM)
        return form

    seen = []
    for _ in range(2):
        async with FakeExtendServer(seed=42) as fake, fake.client() as client:
            form = story(fake)
            run = await client.edit_runs.edit(file=form.id)
            other = await client.edit_runs.create_and_wait(file="https://example.com/a.pdf")
            schema = await client.edit_schemas.generate(form.id)
            wire = [to_dict(run), to_dict(other), to_dict(schema)]
            for one in wire[:2]:
                one["editedFile"].pop("downloadUrl")  # it names the port
            seen.append(wire)

    assert seen[0] == seen[1]
    first_run = seen[0][0]
    assert first_run["id"].startswith("edit_run_")
    assert first_run["output"]  # values were drawn


# -- the blocking client ------------------------------------------------------------------------


def test_the_blocking_client_edits_waits_and_downloads() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        form = fake.files.add("permit.pdf", text=FORM)
        template = fake.edit_templates.add(file=form.id)
        fake.edit_runs.sync_wait = 0

        unfinished = client.edit_runs.edit(file=form.id, config={"schema": SCHEMA})
        waited = client.edit_runs.wait(unfinished.id, poll=FAST)
        made = client.edit_runs.create_and_wait(template_id=template.id, poll=FAST)
        started = client.edit_runs.create(file="https://example.com/a.pdf")
        running = client.edit_runs.get(started.id)
        with client.edit_runs.wait_many([started.id], poll=FAST) as stream:
            streamed = dict(stream)
        schema = client.edit_schemas.generate(form.id)
        served = client.edit_templates.get(template.id)
        assert isinstance(waited, EditRun)
        assert waited.edited_file is not None
        assert waited.edited_file.download_url is not None
        pdf = client.download(waited.edited_file.download_url)
        deleted = client.edit_runs.delete(made.id)
        with pytest.raises(NotFoundError):
            client.edit_runs.get(made.id)
        with pytest.raises(NotFoundError, match="Edit template not found"):
            client.edit_runs.edit(template_id="edt_missing")
        with pytest.raises(ValueError, match=r"^edit_runs.create\(\): give file or template_id"):
            client.edit_runs.create()

    assert unfinished.status is PROCESSING
    assert waited.output == {"full_name": "Jordan Avery", "consent": True}
    assert made.file_id == form.id
    assert running == EditRunStatus(id=started.id, status=PROCESSING)
    assert isinstance(streamed[started.id], EditRun)
    assert "full_name" in schema.schema.properties
    assert served == template
    assert pdf_text(pdf) == ["Full name: Jordan Avery", "Consent: true"]
    assert deleted.edit_run_id == made.id
