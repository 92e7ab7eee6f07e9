"""Parser runs: exactly what each method sends, and what it makes of each answer."""

from __future__ import annotations

import copy
import inspect
import json
import re
from typing import Any

import aiohttp
import attrs
import pytest
from resources.conftest import BASE_URL, GET_HEADERS, TOKEN, Api, example, uploaded_file

from extend_async import (
    AsyncExtend,
    Extend,
    IncompleteResultError,
    InternalServerError,
    PaymentRequiredError,
    PermissionDeniedError,
    PollPolicy,
    ResponseValidationError,
    RetryPolicy,
    UnprocessableEntityError,
)
from extend_async._converter import converter
from extend_async.models import (
    Chunk,
    FileInput,
    ParseChunkingStrategy,
    ParseConfig,
    ParseResponseType,
    ParserRun,
    ParserRunDeleted,
    ParserRunState,
    ParserRunStatus,
    ParseTarget,
    TableDetails,
    UnknownBlockDetails,
    UnknownParserRunResult,
)
from extend_async.resources.parser_runs import PARSE_TIMEOUT
from extend_async.testing import ManualClock

RUN_ID = "parser_run_xK9mLPqRtN3vS8wF5hB2cQ"  # the run of the parse examples
URL = "https://example.com/invoices/INV-2024-001.pdf"
EXACT = PollPolicy(jitter=0)
JSON_HEADERS = {**GET_HEADERS, "Content-Type": "application/json"}


def status(value: str, **extra: Any) -> dict[str, Any]:
    """Get Parser Run while the run is parsed (or ended, status only)."""
    run = {"object": "parser_run_status", "id": RUN_ID, "status": value, **extra}
    return {"success": True, "parserRun": run}


# -- parse -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "wire"),
    [
        (URL, {"fileUrl": URL}),
        ("file_Zk9mNP12Qw4yTv8BdR3H", {"fileId": "file_Zk9mNP12Qw4yTv8BdR3H"}),
        (uploaded_file(), {"fileId": "file_abc"}),
        (FileInput(file_url=URL, file_name="a.pdf"), {"fileUrl": URL, "fileName": "a.pdf"}),
        ({"fileId": "file_1"}, {"fileId": "file_1"}),
    ],
    ids=["url", "id", "File", "FileInput", "mapping"],
)
async def test_parse_sends_the_file_and_reads_the_bare_run(
    api: Api, client: Any, file: Any, wire: dict[str, str]
) -> None:
    api.reply("POST", "/parse", example("parse_file"))

    async with client(clock=ManualClock()) as c:  # the default limit: 60 s
        run = await c.parser_runs.parse(file)

    assert isinstance(run, ParserRun)
    assert run.id == RUN_ID
    assert run.file_id == "file_Zk9mNP12Qw4yTv8BdR3H"
    assert run.status is ParserRunState.PROCESSED
    (chunk,) = run.chunks
    assert [block.type for block in chunk.blocks] == ["heading", "text", "table", "figure"]
    assert chunk.blocks[2].details == TableDetails(row_count=2, column_count=3)
    assert run.metrics.page_count == 1
    assert run.usage is not None
    assert run.usage.credits == 10
    sent = api.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/parse", {})
    assert sent.headers == JSON_HEADERS
    assert sent.json == {"file": wire}
    (timeout,) = api.timeouts
    assert isinstance(timeout, aiohttp.ClientTimeout)
    assert timeout.total == PARSE_TIMEOUT == 330.0  # the server parses while we wait
    assert timeout.sock_connect == 10.0


async def test_parse_sends_the_config_and_the_response_type(api: Api, client: Any) -> None:
    api.reply("POST", "/parse", example("parse_file"))
    request = example("parse_file.request")
    model = ParseConfig(
        target=ParseTarget.SPATIAL, chunking_strategy=ParseChunkingStrategy(type="document")
    )

    async with client() as c:
        await c.parser_runs.parse(
            FileInput(file_name="Invoices.pdf", file_url=request["file"]["fileUrl"]),
            config=request["config"],
        )
        await c.parser_runs.parse("file_1", config=model, response_type="url")
        await c.parser_runs.parse("file_1", config=None, response_type=ParseResponseType.JSON)

    documented, url, null = api.sent
    assert documented.json == request
    assert documented.query == {}
    assert url.json == {
        "file": {"fileId": "file_1"},
        "config": {"target": "spatial", "chunkingStrategy": {"type": "document"}},
    }
    assert url.query == {"responseType": "url"}
    assert null.json == {"file": {"fileId": "file_1"}, "config": None}
    assert null.query == {"responseType": "json"}


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((3,), {}, TypeError, r"file must be a file id, a URL, a File, a FileInput"),
        (("",), {}, ValueError, r"file must not be empty"),
        (({"fileURL": URL},), {}, TypeError, r"file: unknown keys \['fileURL'\]"),
        ((FileInput(file_name="a.pdf"),), {}, ValueError, r"file needs exactly one of"),
        ((URL,), {"config": {"target": 3}}, TypeError, r"config.target: expected a string"),
        ((URL,), {"config": "markdown"}, TypeError, r"config: expected an object, got str"),
        (
            (URL,),
            {"config": {"chunkingStrategy": {"options": {"maxCharacters": "9"}}}},
            TypeError,
            r"config.chunking_strategy.options.max_characters: expected an integer",
        ),
        ((URL,), {"response_type": ""}, ValueError, r"response_type must not be empty"),
        ((URL,), {"response_type": 1.5}, TypeError, r"response_type must be a string"),
        ((), {}, TypeError, r"missing 1 required positional argument: 'file'"),
        ((URL,), {"responseType": "url"}, TypeError, r"unexpected keyword argument 'responseT"),
    ],
)
async def test_parse_refuses_bad_arguments_before_sending(
    api: Api,
    client: Any,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            await c.parser_runs.parse(*args, **kwargs)

    assert str(info.value).startswith("parser_runs.parse()")
    assert api.sent == []


async def test_a_parse_error_keeps_its_code_request_id_and_retryable(api: Api, client: Any) -> None:
    api.reply(
        "POST",
        "/parse",
        {
            "code": "OCR_ERROR",
            "message": "OCR failed on page 3.",
            "requestId": "req_Xj8mK2pL9nR4vT7qY5wZ",
            "retryable": True,
        },
        status=422,
    )

    async with client(retry=RetryPolicy(initial_backoff=0)) as c:
        with pytest.raises(UnprocessableEntityError) as info:
            await c.parser_runs.parse(URL)

    error = info.value
    assert (error.status_code, error.code, error.retryable) == (422, "OCR_ERROR", True)
    assert error.request_id == "req_Xj8mK2pL9nR4vT7qY5wZ"
    assert error.message == "OCR failed on page 3."
    assert len(api.sent) == 1  # retryable or not, a parse that reached the server is not resent
    assert TOKEN not in str(error)
    assert TOKEN not in repr(error)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (402, {"code": "USAGE_BLOCKED", "message": "Out of credits", "retryable": False}, None),
        (500, {"success": False, "error": "Internal error"}, InternalServerError),
    ],
)
async def test_parse_is_never_resent_once_it_reached_the_server(
    api: Api, client: Any, status: int, body: Any, error: type[Exception] | None
) -> None:
    api.reply("POST", "/parse", body, status=status)

    async with client(retry=RetryPolicy(initial_backoff=0)) as c:
        with pytest.raises(error or PaymentRequiredError) as info:
            await c.parser_runs.parse(URL)

    assert getattr(info.value, "status_code", None) == status
    assert len(api.sent) == 1


# -- create, get, delete -------------------------------------------------------------------


async def test_create_sends_the_body_and_reads_the_bare_status(api: Api, client: Any) -> None:
    api.reply("POST", "/parse/async", example("parse_file_async"))
    request = example("parse_file_async.request")

    async with client() as c:
        started = await c.parser_runs.create(request["file"]["fileId"], config=request["config"])

    assert started == ParserRunStatus(id=RUN_ID, status=ParserRunState.PROCESSING)
    sent = api.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/parse/async", {})
    assert sent.headers == JSON_HEADERS
    assert sent.json == request
    assert api.timeouts == [None]  # answered at once: the client's own limit


async def test_get_tells_the_two_forms_apart_by_object(api: Api, client: Any) -> None:
    odd = {"object": "parser_run_preview", "id": "parser_run_3", "pages": 2}
    api.reply("GET", "/parser_runs/parser_run_1", status("PROCESSING"))
    api.reply("GET", "/parser_runs/parser_run_2", example("get_parser_run"))
    api.reply("GET", "/parser_runs/parser_run_3", {"success": True, "parserRun": odd})

    async with client() as c:
        running = await c.parser_runs.get("parser_run_1")
        done = await c.parser_runs.get("parser_run_2", response_type="url")
        unknown = await c.parser_runs.get("parser_run_3")

    assert running == ParserRunStatus(id=RUN_ID, status=ParserRunState.PROCESSING)
    assert isinstance(done, ParserRun)
    assert done.chunks[0].blocks[0].content == "# ACME CORPORATION"
    assert unknown == UnknownParserRunResult(raw=odd)
    first, second, _ = api.sent
    assert (first.method, first.path, first.query) == ("GET", "/parser_runs/parser_run_1", {})
    assert first.headers == GET_HEADERS
    assert first.json is None
    assert (second.path, second.query) == ("/parser_runs/parser_run_2", {"responseType": "url"})


async def test_get_surfaces_the_server_s_warning(api: Api, client: Any) -> None:
    api.reply("GET", "/parser_runs/p%2F1", {**status("PROCESSING"), "warning": "old version"})

    async with client() as c:
        answer = await c.parser_runs.get.raw("p/1")

    assert answer.warning == "old version"
    assert isinstance(answer.parsed, ParserRunStatus)
    assert api.last.path == "/parser_runs/p%2F1"  # the id is one encoded segment


async def test_delete(api: Api, client: Any) -> None:
    api.reply("DELETE", f"/parser_runs/{RUN_ID}", example("delete_parser_run"))

    async with client() as c:
        deleted = await c.parser_runs.delete(RUN_ID)

    assert deleted == ParserRunDeleted(
        parser_run_id=RUN_ID, message="Parser run data has been successfully deleted."
    )
    sent = api.last
    assert (sent.method, sent.path, sent.query, sent.json) == (
        "DELETE",
        f"/parser_runs/{RUN_ID}",
        {},
        None,
    )
    assert sent.headers == GET_HEADERS


@pytest.mark.parametrize("method", ["get", "delete"])
async def test_an_id_is_refused_before_sending(api: Api, client: Any, method: str) -> None:
    async with client() as c:
        with pytest.raises(TypeError, match=r"id must be a string, got int: 7"):
            await getattr(c.parser_runs, method)(7)
        with pytest.raises(ValueError, match=r"id must be a non-empty string"):
            await getattr(c.parser_runs, method)("")

    assert api.sent == []


async def test_unknown_block_details_are_kept_raw(api: Api, client: Any) -> None:
    body = copy.deepcopy(example("parse_file"))
    details = {"type": "signature_details", "signed": True, "confidence": 0.93}
    body["chunks"][0]["blocks"][1]["details"] = details
    api.reply("POST", "/parse", body)

    async with client() as c:
        run = await c.parser_runs.parse(URL)

    block = run.chunks[0].blocks[1]
    assert block.details == UnknownBlockDetails(raw=details)
    assert isinstance(block.details, UnknownBlockDetails)
    assert block.details.type == "signature_details"


# -- waiting -------------------------------------------------------------------------------


def replies(api: Api, path: str, *bodies: Any) -> None:
    """Answer GET ``path`` with each body in turn (the last one for good)."""
    pattern = re.compile(re.escape(BASE_URL + path) + r"(\?.*)?$")
    for body in bodies[:-1]:
        api._mocked.add(pattern, "GET", body=json.dumps(body))
    api._mocked.add(pattern, "GET", body=json.dumps(bodies[-1]), repeat=True)


async def test_create_and_wait_polls_until_the_full_run(api: Api, client: Any) -> None:
    api.reply("POST", "/parse/async", example("parse_file_async"))
    replies(api, f"/parser_runs/{RUN_ID}", status("PROCESSING"), example("get_parser_run"))
    clock = ManualClock()

    async with client(clock=clock) as c:
        run = await c.parser_runs.create_and_wait(URL, config={"target": "markdown"}, poll=EXACT)

    assert isinstance(run, ParserRun)
    assert run.status is ParserRunState.PROCESSED
    assert [(sent.method, sent.path) for sent in api.sent] == [
        ("POST", "/parse/async"),
        ("GET", f"/parser_runs/{RUN_ID}"),
        ("GET", f"/parser_runs/{RUN_ID}"),
    ]
    assert api.sent[0].json == {"file": {"fileUrl": URL}, "config": {"target": "markdown"}}
    assert clock.sleeps == [1.0]  # at once, then a second later


async def test_a_failed_status_alone_ends_a_wait(api: Api, client: Any) -> None:
    reason = {"failureReason": "CORRUPT_FILE"}
    replies(api, f"/parser_runs/{RUN_ID}", status("PROCESSING"), status("FAILED", **reason))
    api.reply("POST", "/parse/async", example("parse_file_async"))

    async with client(clock=ManualClock()) as c:
        waited = await c.parser_runs.wait(RUN_ID, poll=EXACT)
        with pytest.raises(IncompleteResultError) as info:
            await c.parser_runs.create_and_wait("file_1", poll=EXACT)

    assert waited == ParserRunStatus(
        id=RUN_ID, status=ParserRunState.FAILED, failure_reason="CORRUPT_FILE"
    )
    assert info.value.id == RUN_ID
    assert info.value.last == waited
    assert str(info.value) == (
        f"{RUN_ID} ended FAILED: CORRUPT_FILE, but the server sent only its status"
    )


async def test_an_unknown_status_keeps_a_wait_going(api: Api, client: Any) -> None:
    replies(api, f"/parser_runs/{RUN_ID}", status("QUEUED"), status("PROCESSED"))

    async with client(clock=ManualClock()) as c:
        waited = await c.parser_runs.wait(RUN_ID, poll=EXACT)

    assert waited.status is ParserRunState.PROCESSED  # type: ignore[union-attr]
    assert len(api.sent) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"timeout": -1}, ValueError, r"timeout must be >= 0 seconds or None"),
        ({"timeout": "1"}, ValueError, r"timeout must be >= 0 seconds or None"),
        ({"poll": 2}, TypeError, r"poll must be a PollPolicy, got 2"),
        ({"config": {"engine": 1}}, TypeError, r"config.engine: expected a string"),
        ({"timout": 3}, TypeError, r"unexpected keyword argument 'timout'"),
    ],
)
async def test_create_and_wait_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            await c.parser_runs.create_and_wait(URL, **kwargs)

    assert str(info.value).startswith("parser_runs.create_and_wait()")
    assert api.sent == []


# -- content behind URLs -------------------------------------------------------------------

PRESIGNED = "https://extend-parse.s3.amazonaws.com/parser_run_1/chunks"


def pointed(run_body: dict[str, Any], count: int) -> dict[str, Any]:
    """The example run with ``count`` chunks in the ``responseType=url`` form."""
    chunk = run_body["chunks"][0]
    pointers = [
        {**chunk, "content": f"{PRESIGNED}/{n}.json?X-Amz-Signature=s{n}", "blocks": []}
        for n in range(count)
    ]
    return {**run_body, "chunks": pointers}


async def test_load_contents_fetches_each_chunk_without_the_api_s_headers(
    api: Api, client: Any
) -> None:
    body = example("parse_file")
    full = body["chunks"][0]
    api.reply("POST", "/parse", pointed(body, 3))
    for n in range(3):
        content = {
            **full,
            "content": f"page {n}",
            "metadata": {"pageRange": {"start": n + 1, "end": n + 1}},
        }
        api._mocked.get(
            f"{PRESIGNED}/{n}.json?X-Amz-Signature=s{n}", body=json.dumps(content), repeat=True
        )

    async with client() as c:
        run = await c.parser_runs.parse(URL, response_type="url")
        loaded = await c.parser_runs.load_contents(run)

    assert [chunk.content for chunk in run.chunks] == [
        f"{PRESIGNED}/{n}.json?X-Amz-Signature=s{n}" for n in range(3)
    ]
    assert [chunk.content for chunk in loaded.chunks] == ["page 0", "page 1", "page 2"]
    assert [chunk.metadata.page_range.start for chunk in loaded.chunks] == [1, 2, 3]
    assert all(len(chunk.blocks) == 4 for chunk in loaded.chunks)
    assert (loaded.id, loaded.metrics) == (run.id, run.metrics)
    downloads = [sent for sent in api.sent if sent.url.host == "extend-parse.s3.amazonaws.com"]
    assert len(downloads) == 3
    assert all("Authorization" not in sent.headers for sent in downloads)


async def test_load_contents_leaves_inline_chunks_alone(api: Api, client: Any) -> None:
    run = converter.structure(example("parse_file"), ParserRun)

    async with client() as c:
        assert await c.parser_runs.load_contents(run) is run

    assert api.sent == []


async def test_load_contents_raises_what_a_download_met(api: Api, client: Any) -> None:
    run = converter.structure(pointed(example("parse_file"), 2), ParserRun)
    api._mocked.get(f"{PRESIGNED}/0.json?X-Amz-Signature=s0", body="{}", repeat=True)
    api._mocked.get(
        f"{PRESIGNED}/1.json?X-Amz-Signature=s1",
        status=403,
        body="<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
        repeat=True,
    )

    async with client(max_concurrency=1) as c:
        with pytest.raises(ResponseValidationError) as shape:
            await c.parser_runs.load_contents(run)
        with pytest.raises(PermissionDeniedError) as expired:
            await c.parser_runs.load_contents(attrs.evolve(run, chunks=run.chunks[1:]))
        with pytest.raises(TypeError, match=r"run must be a ParserRun, got ParserRunStatus"):
            await c.parser_runs.load_contents(ParserRunStatus(id="x", status="PROCESSING"))  # type: ignore[arg-type]

    assert shape.value.url == f"{PRESIGNED}/0.json"  # the signature stays out of errors
    assert "X-Amz-Signature" not in str(shape.value)
    assert shape.value.path == "$.type"  # the first required key missing from {}
    assert expired.value.status_code == 403
    assert "Request has expired" in str(expired.value)


# -- both clients --------------------------------------------------------------------------


def test_the_blocking_twins(api: Api, sync_client: Extend) -> None:
    api.reply("POST", "/parse", pointed(example("parse_file"), 1))
    api.reply("POST", "/parse/async", example("parse_file_async"))
    api.reply("GET", f"/parser_runs/{RUN_ID}", example("get_parser_run"))
    api.reply("DELETE", f"/parser_runs/{RUN_ID}", example("delete_parser_run"))
    api._mocked.get(
        f"{PRESIGNED}/0.json?X-Amz-Signature=s0",
        body=json.dumps(example("parse_file")["chunks"][0]),
        repeat=True,
    )
    runs = sync_client.parser_runs

    parsed = runs.parse(URL, response_type="url")
    loaded = runs.load_contents(parsed)
    started = runs.create("file_1")
    got = runs.get(RUN_ID)
    waited = runs.create_and_wait("file_1", poll=EXACT)
    many = runs.get_many([RUN_ID, RUN_ID])
    deleted = runs.delete(RUN_ID)

    assert loaded.chunks[0] == converter.structure(example("parse_file")["chunks"][0], Chunk)
    assert started.status is ParserRunState.PROCESSING
    assert isinstance(got, ParserRun)
    assert waited == got
    assert many == [got, got]
    assert isinstance(deleted, ParserRunDeleted)
    with pytest.raises(TypeError, match=r"^parser_runs.parse\(\) got an unexpected keyword"):
        runs.parse(URL, responsetype="url")  # type: ignore[call-arg]


async def test_signatures_are_the_contract() -> None:
    async with AsyncExtend("x") as c:
        async_runs = c.parser_runs
        with Extend("x") as s:
            for runs in (async_runs, s.parser_runs):
                signature = {
                    name: list(inspect.signature(getattr(runs, name)).parameters)
                    for name in ("parse", "create", "create_and_wait", "get", "delete")
                }
                assert signature == {
                    "parse": ["file", "config", "response_type"],
                    "create": ["file", "config"],
                    "create_and_wait": ["file", "config", "timeout", "poll"],
                    "get": ["id", "response_type"],
                    "delete": ["id"],
                }
                assert list(inspect.signature(runs.load_contents).parameters) == ["run"]
