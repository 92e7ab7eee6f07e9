"""Edit runs, edit schemas and edit templates: exactly what each method sends, and what
it gives back."""

from __future__ import annotations

import copy
import inspect
from typing import Any

import aiohttp
import pytest
from resources.conftest import BASE_URL, GET_HEADERS, Api, example, uploaded_file

from extend_async import AsyncExtend, Extend, PollPolicy, ResponseValidationError, to_dict
from extend_async._converter import converter
from extend_async.models import (
    NOT_GIVEN,
    EditRun,
    EditRunAdvancedOptions,
    EditRunConfig,
    EditRunDeleted,
    EditRunState,
    EditRunStatus,
    EditSchemaGenerationAdvancedOptions,
    EditSchemaGenerationConfig,
    EditSchemaGenerationResponse,
    EditTemplate,
    FileInput,
    UnknownEditRunResult,
)
from extend_async.resources.processor_runs import SYNC_TIMEOUT
from extend_async.testing import ManualClock

RUN_ID = "edit_run_xK9mLPqRtN3vS8wF5hB2cQ"  # the run of the edit examples
URL = "https://example.com/forms/application.pdf"
EXACT = PollPolicy(jitter=0)


def with_nested_status(body: dict[str, Any]) -> dict[str, Any]:
    """An EditRun body whose ``status`` is the nested object SDK 0.2.0 declares."""
    changed = copy.deepcopy(body)
    run = changed.get("editRun", changed)
    run["status"] = {"object": "edit_run_status", "id": run["id"], "status": run["status"]}
    return changed


def status_only(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "success": True,
        "editRun": {"object": "edit_run_status", "id": RUN_ID, "status": status, **extra},
    }


FILE_FORMS = pytest.mark.parametrize(
    ("file", "wire"),
    [
        (URL, {"fileUrl": URL}),
        ("file_Zk9mNP12Qw4yTv8BdR3H", {"fileId": "file_Zk9mNP12Qw4yTv8BdR3H"}),
        (uploaded_file(), {"fileId": "file_abc"}),
        (FileInput(file_url=URL, file_name="app.pdf"), {"fileUrl": URL, "fileName": "app.pdf"}),
        ({"fileId": "file_1"}, {"fileId": "file_1"}),
    ],
    ids=["url", "id", "File", "FileInput", "mapping"],
)


# -- edit (POST /edit) ----------------------------------------------------------------------


@FILE_FORMS
async def test_edit_sends_a_file_in_every_form_and_gives_the_bare_run(
    api: Api, client: Any, file: Any, wire: dict[str, str]
) -> None:
    api.reply("POST", "/edit", example("edit_file"))

    async with client() as c:
        run = await c.edit_runs.edit(file=file)

    assert isinstance(run, EditRun)
    assert (run.id, run.status, run.state) == (RUN_ID, "PROCESSED", EditRunState.PROCESSED)
    assert run.status is EditRunState.PROCESSED
    assert run.output == {"full_name": "Jordan Avery", "filing_status": "single", "consent": True}
    assert run.edited_file is not None
    assert run.edited_file.download_url == example("edit_file")["editedFile"]["downloadUrl"]
    sent = api.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/edit", {})
    assert sent.headers == {**GET_HEADERS, "Content-Type": "application/json"}
    assert sent.json == {"file": wire}


async def test_edit_sends_the_documented_body_from_models_or_mappings(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/edit", example("edit_file"))
    request = example("edit_file.request")
    config = converter.structure(request["config"], EditRunConfig)

    async with client() as c:
        await c.edit_runs.edit(
            file=FileInput(file_name="application.pdf", file_url=URL), config=config
        )
        await c.edit_runs.edit(file=request["file"], config=request["config"])

    model, mapping = (sent.json for sent in api.sent)
    assert model == mapping == request  # the extend_edit: keys written as they are


async def test_edit_by_template_sends_template_id_and_leaves_file_out(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/edit", example("edit_file"))

    async with client() as c:
        await c.edit_runs.edit(template_id="edt_xK9mLPqRtN3vS8wF5hB2cQ")
        await c.edit_runs.edit(
            template_id="edt_1",
            file=None,
            config=EditRunConfig(advanced_options=EditRunAdvancedOptions(flatten_pdf=False)),
        )
        await c.edit_runs.edit(file="file_1", template_id=NOT_GIVEN, config=None)

    assert [sent.json for sent in api.sent] == [
        {"templateId": "edt_xK9mLPqRtN3vS8wF5hB2cQ"},
        {"templateId": "edt_1", "config": {"advancedOptions": {"flattenPdf": False}}},
        {"file": {"fileId": "file_1"}, "config": None},  # None is sent as null
    ]


async def test_edit_gets_a_time_limit_the_server_s_five_minutes_fit_in(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/edit", example("edit_file"))

    async with client(clock=ManualClock()) as c:  # the default limit: 60 s
        await c.edit_runs.edit(file=URL)
    async with client(timeout=600) as c:  # a client allowing longer keeps its own
        await c.edit_runs.edit(file=URL)

    short, long = api.timeouts
    assert isinstance(short, aiohttp.ClientTimeout)
    assert (short.total, short.sock_connect) == (SYNC_TIMEOUT, 10.0)
    assert long is None


async def test_an_edit_the_server_stopped_waiting_for_comes_back_unfinished(
    api: Api, client: Any
) -> None:
    body = example("edit_file")
    body["status"] = "PROCESSING"
    for key in ("editedFile", "output", "usage"):
        del body[key]
    api.reply("POST", "/edit", body)
    api.reply("GET", f"/edit_runs/{RUN_ID}", example("get_edit_run"))

    async with client(clock=ManualClock()) as c:
        run = await c.edit_runs.edit(file=URL)
        finished = await c.edit_runs.wait(run.id, poll=EXACT)

    assert (run.state, run.is_terminal, run.edited_file) == (EditRunState.PROCESSING, False, None)
    assert isinstance(finished, EditRun)
    assert finished.state is EditRunState.PROCESSED


@pytest.mark.parametrize("where", ["edit", "get"])
async def test_both_forms_of_edit_run_status_are_read_and_written_back_as_they_came(
    api: Api, client: Any, where: str
) -> None:
    plain = example("edit_file" if where == "edit" else "get_edit_run")
    for body in (plain, with_nested_status(plain)):  # answered in this order, once each
        if where == "edit":
            api._mocked.post(f"{BASE_URL}/edit", payload=body)
        else:
            api._mocked.get(f"{BASE_URL}/edit_runs/{RUN_ID}", payload=body)

    async with client() as c:
        runs = c.edit_runs
        fetched = [
            await (runs.edit(file=URL) if where == "edit" else runs.get(RUN_ID)) for _ in "ab"
        ]
    from_string, from_object = fetched

    assert isinstance(from_string, EditRun)
    assert isinstance(from_object, EditRun)
    assert from_string.status is EditRunState.PROCESSED
    assert from_object.status == EditRunStatus(id=RUN_ID, status=EditRunState.PROCESSED)
    assert from_string.state is from_object.state is EditRunState.PROCESSED
    assert from_string.is_terminal
    assert from_object.is_terminal
    assert to_dict(from_string)["status"] == "PROCESSED"
    assert to_dict(from_object)["status"] == {
        "object": "edit_run_status",
        "id": RUN_ID,
        "status": "PROCESSED",
    }
    assert to_dict(from_string) == plain.get("editRun", plain)  # the whole run, as sent


# -- create (POST /edit/async) -----------------------------------------------------------------


@FILE_FORMS
async def test_create_starts_an_edit_and_gives_its_status(
    api: Api, client: Any, file: Any, wire: dict[str, str]
) -> None:
    api.reply("POST", "/edit/async", example("edit_file_async"))

    async with client() as c:
        started = await c.edit_runs.create(file=file, config={"instructions": "Fill it."})

    assert started == EditRunStatus(id=RUN_ID, status=EditRunState.PROCESSING)
    assert not started.is_terminal
    sent = api.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/edit/async", {})
    assert sent.headers == {**GET_HEADERS, "Content-Type": "application/json"}
    assert sent.json == {"file": wire, "config": {"instructions": "Fill it."}}
    assert api.timeouts == [None]  # answered at once: the client's own time limit


async def test_create_sends_the_documented_async_body(api: Api, client: Any) -> None:
    api.reply("POST", "/edit/async", example("edit_file_async"))
    request = example("edit_file_async.request")

    async with client() as c:
        await c.edit_runs.create(
            file=request["file"]["fileId"],
            config=EditRunConfig(
                instructions=request["config"]["instructions"],
                advanced_options=EditRunAdvancedOptions(flatten_pdf=True),
            ),
        )

    assert api.last.json == request


# -- get and delete (GET, DELETE /edit_runs/{id}) ------------------------------------------


async def test_get_tells_the_status_from_the_full_run_and_keeps_an_unknown_kind(
    api: Api, client: Any
) -> None:
    api.reply("GET", "/edit_runs/edit_run_done", example("get_edit_run"))
    api.reply("GET", "/edit_runs/edit_run_going", status_only("PROCESSING"))
    unknown = {"object": "edit_run_preview", "id": "edit_run_new", "status": "PROCESSING"}
    api.reply("GET", "/edit_runs/edit_run%2Fnew", {"success": True, "editRun": unknown})

    async with client() as c:
        done = await c.edit_runs.get("edit_run_done")
        going = await c.edit_runs.get("edit_run_going")
        new = await c.edit_runs.get("edit_run/new")

    assert isinstance(done, EditRun)
    assert done.config.schema is not None
    assert done.config.schema.properties["full_name"].extend_edit_value == "Jordan Avery"
    assert going == EditRunStatus(id=RUN_ID, status=EditRunState.PROCESSING)
    assert new == UnknownEditRunResult(raw=unknown)
    get = api.sent[0]
    assert (get.method, get.path, get.query, get.json) == (
        "GET",
        "/edit_runs/edit_run_done",
        {},
        None,
    )
    assert get.headers == GET_HEADERS
    assert api.sent[2].path == "/edit_runs/edit_run%2Fnew"  # one encoded segment


async def test_get_without_the_edit_run_key_is_a_validation_error(api: Api, client: Any) -> None:
    api.reply("GET", f"/edit_runs/{RUN_ID}", example("edit_file"))  # a bare run, no envelope

    async with client() as c:
        with pytest.raises(ResponseValidationError, match=r"lacks the 'editRun' key") as info:
            await c.edit_runs.get(RUN_ID)

    assert info.value.path == "$.editRun"


async def test_delete(api: Api, client: Any) -> None:
    api.reply("DELETE", f"/edit_runs/{RUN_ID}", example("delete_edit_run"))

    async with client() as c:
        deleted = await c.edit_runs.delete(RUN_ID)

    assert deleted == EditRunDeleted(
        edit_run_id=RUN_ID, message="Edit run data has been successfully deleted."
    )
    sent = api.last
    assert (sent.method, sent.path, sent.query, sent.json) == (
        "DELETE",
        f"/edit_runs/{RUN_ID}",
        {},
        None,
    )
    assert sent.headers == GET_HEADERS


@pytest.mark.parametrize(
    ("resource", "method"),
    [("edit_runs", "get"), ("edit_runs", "delete"), ("edit_templates", "get")],
)
async def test_an_id_is_refused_before_sending(
    api: Api, client: Any, resource: str, method: str
) -> None:
    async with client() as c:
        call = getattr(getattr(c, resource), method)
        with pytest.raises(TypeError, match=r"id must be a string, got int: 7"):
            await call(7)
        with pytest.raises(ValueError, match=r"id must be a non-empty string"):
            await call("")

    assert api.sent == []


# -- edit templates (GET /edit_templates/{id}) ----------------------------------------------


async def test_get_template(api: Api, client: Any) -> None:
    api.reply("GET", "/edit_templates/edt_xK9mLPqRtN3vS8wF5hB2cQ", example("get_edit_template"))
    api.reply(
        "GET", "/edit_templates/edt_bare", {"success": True, "editTemplate": {"id": "edt_bare"}}
    )

    async with client() as c:
        template = await c.edit_templates.get("edt_xK9mLPqRtN3vS8wF5hB2cQ")
        bare = await c.edit_templates.get("edt_bare")

    assert isinstance(template, EditTemplate)
    assert (template.name, template.description) == ("W-9 Template", "Fill a W-9 form")
    assert template.file is not None
    assert template.file.name == "fw9.pdf"
    assert template.config is not None
    assert template.config.advanced_options is not None
    assert template.config.advanced_options.flatten_pdf is True
    assert template.schema_config == EditSchemaGenerationConfig(
        instructions="Use snake_case field names.",
        advanced_options=EditSchemaGenerationAdvancedOptions(radio_enums_enabled=True),
    )
    assert bare == EditTemplate(id="edt_bare")  # only the id is required
    sent = api.sent[0]
    assert (sent.method, sent.path, sent.json) == (
        "GET",
        "/edit_templates/edt_xK9mLPqRtN3vS8wF5hB2cQ",
        None,
    )
    assert sent.headers == GET_HEADERS


# -- generate (POST /edit_schemas/generate) -------------------------------------------------


async def test_generate_sends_the_documented_body_and_gives_the_bare_answer(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/edit_schemas/generate", example("generate_edit_schema"))
    request = example("generate_edit_schema.request")

    async with client(clock=ManualClock()) as c:
        answer = await c.edit_schemas.generate(request["file"]["fileUrl"], config=request["config"])
        await c.edit_schemas.generate(
            uploaded_file(),
            config=converter.structure(request["config"], EditSchemaGenerationConfig),
        )

    assert isinstance(answer, EditSchemaGenerationResponse)
    assert list(answer.schema.properties) == ["applicant_name", "filing_status"]
    assert answer.annotated_schema == answer.schema
    assert answer.mapping_result is None
    documented, from_model = api.sent
    assert (documented.method, documented.path, documented.query) == (
        "POST",
        "/edit_schemas/generate",
        {},
    )
    assert documented.headers == {**GET_HEADERS, "Content-Type": "application/json"}
    assert documented.json == request
    assert from_model.json == {"file": {"fileId": "file_abc"}, "config": request["config"]}
    assert [timeout.total for timeout in api.timeouts] == [SYNC_TIMEOUT, SYNC_TIMEOUT]


# -- bad arguments ------------------------------------------------------------------------------

BAD_EDIT_ARGUMENTS = [
    ({}, ValueError, r"give file or template_id, exactly one of them"),
    ({"file": None}, ValueError, r"give file or template_id, exactly one of them"),
    ({"file": URL, "template_id": "edt_1"}, ValueError, r"give file or template_id, exactly one"),
    ({"template_id": ""}, ValueError, r"template_id must not be empty"),
    ({"template_id": 5}, TypeError, r"template_id: expected a string, got int"),
    ({"file": ""}, ValueError, r"file must not be empty"),
    ({"file": 3}, TypeError, r"file must be a file id, a URL, a File, a FileInput"),
    ({"file": {"fileURL": URL}}, TypeError, r"file: unknown keys \['fileURL'\]"),
    ({"file": FileInput(file_name="a.pdf")}, ValueError, r"file needs exactly one of"),
    ({"file": URL, "config": 3}, TypeError, r"config: expected an object, got int"),
    ({"file": URL, "config": {"instructions": 3}}, TypeError, r"config.instructions: expected a"),
    (
        {"file": URL, "config": {"schema": {"properties": {"a": {"extend_edit:bbox": {}}}}}},
        TypeError,
        r"config.schema.properties\['a'\].extend_edit_bbox.left: required, but not given",
    ),
    (
        {"file": URL, "config": {"advancedOptions": {"flattenPdf": "yes"}}},
        TypeError,
        r"config.advanced_options.flatten_pdf: expected true or false, got str",
    ),
    ({"file": URL, "colour": "red"}, TypeError, r"got an unexpected keyword argument 'colour'"),
]


@pytest.mark.parametrize("method", ["edit", "create", "create_and_wait"])
@pytest.mark.parametrize(("kwargs", "error", "message"), BAD_EDIT_ARGUMENTS)
async def test_edits_refuse_bad_arguments_before_sending(
    api: Api,
    client: Any,
    method: str,
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            await getattr(c.edit_runs, method)(**kwargs)

    assert str(info.value).startswith(f"edit_runs.{method}()")
    assert api.sent == []


async def test_edit_takes_keywords_only(api: Api, client: Any) -> None:
    async with client() as c:
        with pytest.raises(TypeError, match=r"^edit_runs.edit\(\) takes 1 positional argument"):
            await c.edit_runs.edit(URL)

    assert api.sent == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"timeout": -1}, ValueError, r"timeout must be >= 0 seconds or None, got -1"),
        ({"timeout": "1"}, ValueError, r"timeout must be >= 0 seconds or None, got '1'"),
        ({"timeout": float("nan")}, ValueError, r"timeout must be >= 0 seconds or None"),
        ({"poll": 2}, TypeError, r"poll must be a PollPolicy, got 2"),
        ({"timout": 3}, TypeError, r"unexpected keyword argument 'timout'"),
    ],
)
async def test_create_and_wait_refuses_bad_wait_arguments_before_starting(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            await c.edit_runs.create_and_wait(file=URL, **kwargs)

    assert str(info.value).startswith("edit_runs.create_and_wait()")
    assert api.sent == []


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((), {}, TypeError, r"missing 1 required positional argument: 'file'"),
        ((None,), {}, TypeError, r"file must be a file id, a URL, a File, a FileInput"),
        (("",), {}, ValueError, r"file must not be empty"),
        (({"fileId": "f", "fileUrl": URL},), {}, ValueError, r"file needs exactly one of"),
        ((URL,), {"config": []}, TypeError, r"config: expected an object, got list"),
        (
            (URL,),
            {"config": {"inputSchema": {"properties": 1}}},
            TypeError,
            r"config.input_schema.properties",
        ),
        (
            (URL,),
            {"config": {"advancedOptions": {"radioEnumsEnabled": 1}}},
            TypeError,
            r"config.advanced_options.radio_enums_enabled: expected true or false",
        ),
        ((URL,), {"template_id": "edt_1"}, TypeError, r"unexpected keyword argument 'template_id'"),
    ],
)
async def test_generate_refuses_bad_arguments_before_sending(
    api: Api,
    client: Any,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            await c.edit_schemas.generate(*args, **kwargs)

    assert str(info.value).startswith("edit_schemas.generate()")
    assert api.sent == []


# -- create_and_wait and polling ------------------------------------------------------------


async def test_create_and_wait_starts_once_and_polls_until_the_full_run(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/edit/async", example("edit_file_async"))
    api._mocked.get(f"{BASE_URL}/edit_runs/{RUN_ID}", payload=status_only("PROCESSING"))
    api._mocked.get(
        f"{BASE_URL}/edit_runs/{RUN_ID}", payload=with_nested_status(example("get_edit_run"))
    )
    clock = ManualClock()

    async with client(clock=clock) as c:
        run = await c.edit_runs.create_and_wait(template_id="edt_1", poll=EXACT)

    assert isinstance(run, EditRun)
    assert run.state is EditRunState.PROCESSED
    assert [(sent.method, sent.path) for sent in api.sent] == [
        ("POST", "/edit/async"),
        ("GET", f"/edit_runs/{RUN_ID}"),
        ("GET", f"/edit_runs/{RUN_ID}"),
    ]
    assert api.sent[0].json == {"templateId": "edt_1"}
    assert clock.sleeps == [1.0]  # the first poll at once, the second a second later


async def test_a_failed_edit_is_a_result_of_create_and_wait(api: Api, client: Any) -> None:
    failed = example("get_edit_run")
    failed["editRun"].update(status="FAILED", failureReason="CORRUPT_FILE")
    for key in ("editedFile", "output"):
        del failed["editRun"][key]
    api.reply("POST", "/edit/async", example("edit_file_async"))
    api.reply("GET", f"/edit_runs/{RUN_ID}", failed)

    async with client(clock=ManualClock()) as c:
        run = await c.edit_runs.create_and_wait(file=URL)

    assert (run.state, run.failure_reason, run.edited_file) == (
        EditRunState.FAILED,
        "CORRUPT_FILE",
        None,
    )


async def test_a_run_ended_with_its_status_alone_ends_the_wait(api: Api, client: Any) -> None:
    api.reply("POST", "/edit/async", example("edit_file_async"))
    api.reply("GET", f"/edit_runs/{RUN_ID}", status_only("FAILED", failureReason="CORRUPT_FILE"))

    async with client(clock=ManualClock()) as c:
        waited = await c.edit_runs.wait(RUN_ID)
        with pytest.raises(ResponseValidationError) as info:
            await c.edit_runs.create_and_wait(file=URL)

    assert waited == EditRunStatus(
        id=RUN_ID, status=EditRunState.FAILED, failure_reason="CORRUPT_FILE"
    )
    assert "ended FAILED, but the server sent only its status" in str(info.value)
    assert info.value.path == "$.editRun"
    assert sorted(sent.method for sent in api.sent) == ["GET", "GET", "POST"]  # started once


async def test_an_unknown_status_keeps_the_wait_going(api: Api, client: Any) -> None:
    api._mocked.get(f"{BASE_URL}/edit_runs/{RUN_ID}", payload=status_only("QUEUED"))
    api._mocked.get(f"{BASE_URL}/edit_runs/{RUN_ID}", payload=example("get_edit_run"))

    async with client(clock=ManualClock()) as c:
        run = await c.edit_runs.wait(RUN_ID, poll=EXACT)

    assert isinstance(run, EditRun)
    assert len(api.sent) == 2


async def test_an_unknown_kind_ends_a_wait_only_with_a_known_final_status(
    api: Api, client: Any
) -> None:
    unknown = {"object": "edit_run_preview", "id": RUN_ID}
    for status in ("PROCESSING", "PROCESSED"):
        api._mocked.get(
            f"{BASE_URL}/edit_runs/{RUN_ID}",
            payload={"success": True, "editRun": {**unknown, "status": status}},
        )

    async with client(clock=ManualClock()) as c:
        run = await c.edit_runs.wait(RUN_ID, poll=EXACT)

    assert run == UnknownEditRunResult(raw={**unknown, "status": "PROCESSED"})
    assert len(api.sent) == 2


async def test_get_many_and_wait_all(api: Api, client: Any) -> None:
    api.reply("GET", "/edit_runs/edit_run_a", example("get_edit_run"))
    api.reply("GET", "/edit_runs/edit_run_b", status_only("PROCESSING"))

    async with client(clock=ManualClock()) as c:
        many = await c.edit_runs.get_many(["edit_run_a", "edit_run_b", "edit_run_a"])
        done = await c.edit_runs.wait_all(["edit_run_a", "edit_run_b"], timeout=5, poll=EXACT)

    assert [type(item).__name__ for item in many] == ["EditRun", "EditRunStatus", "EditRun"]
    assert isinstance(done["edit_run_a"], EditRun)
    timed_out = done["edit_run_b"]
    assert isinstance(timed_out, Exception)
    assert "did not finish within 5 s (last status: PROCESSING)" in str(timed_out)


# -- the blocking twins, and the contract -----------------------------------------------------


def test_the_blocking_twins(api: Api, sync_client: Extend) -> None:
    api.reply("POST", "/edit", example("edit_file"))
    api.reply("POST", "/edit/async", example("edit_file_async"))
    api.reply("GET", f"/edit_runs/{RUN_ID}", example("get_edit_run"))
    api.reply("DELETE", f"/edit_runs/{RUN_ID}", example("delete_edit_run"))
    api.reply("POST", "/edit_schemas/generate", example("generate_edit_schema"))
    api.reply("GET", "/edit_templates/edt_1", example("get_edit_template"))

    edited = sync_client.edit_runs.edit(file=URL)
    started = sync_client.edit_runs.create(file="file_1")
    got = sync_client.edit_runs.get(RUN_ID)
    waited = sync_client.edit_runs.create_and_wait(file="file_1", poll=EXACT)
    many = sync_client.edit_runs.get_many([RUN_ID])
    with sync_client.edit_runs.wait_many([RUN_ID]) as stream:
        streamed = list(stream)
    deleted = sync_client.edit_runs.delete(RUN_ID)
    schema = sync_client.edit_schemas.generate(URL)
    template = sync_client.edit_templates.get("edt_1")

    assert edited.state is got.state is waited.state is EditRunState.PROCESSED
    assert started.status is EditRunState.PROCESSING
    assert [run.id for run in many] == [RUN_ID]
    assert [(run_id, type(run).__name__) for run_id, run in streamed] == [(RUN_ID, "EditRun")]
    assert isinstance(deleted, EditRunDeleted)
    assert isinstance(schema, EditSchemaGenerationResponse)
    assert isinstance(template, EditTemplate)
    with pytest.raises(TypeError, match=r"^edit_runs.create\(\) got an unexpected keyword"):
        sync_client.edit_runs.create(files=[URL])  # type: ignore[call-arg]
    with pytest.raises(ValueError, match=r"^edit_runs.edit\(\): give file or template_id"):
        sync_client.edit_runs.edit()


async def test_signatures_are_the_contract() -> None:
    edit_parameters = ["file", "template_id", "config"]
    async with AsyncExtend("x") as c:
        with Extend("x") as s:
            for client in (c, s):
                runs = client.edit_runs
                assert {
                    name: list(inspect.signature(getattr(runs, name)).parameters)
                    for name in ("edit", "create", "create_and_wait", "get", "delete")
                } == {
                    "edit": edit_parameters,
                    "create": edit_parameters,
                    "create_and_wait": [*edit_parameters, "timeout", "poll"],
                    "get": ["id"],
                    "delete": ["id"],
                }
                assert list(inspect.signature(client.edit_schemas.generate).parameters) == [
                    "file",
                    "config",
                ]
                assert list(inspect.signature(client.edit_templates.get).parameters) == ["id"]
