"""Processor runs: exactly what each method sends, and what it gives back."""

from __future__ import annotations

import copy
import inspect
import json
import re
from typing import Any

import aiohttp
import pytest
from resources.conftest import BASE_URL, TOKEN, Api, example, uploaded_file

from extend_async import AsyncExtend, Extend, PollPolicy
from extend_async._converter import converter
from extend_async._version import user_agent
from extend_async.models import (
    NOT_GIVEN,
    ClassificationConfig,
    FileInput,
    JsonOutput,
    Page,
    ProcessorRun,
    ProcessorRunDeleted,
    ProcessorRunSource,
    ProcessorRunStatus,
    ProcessorRunSummary,
    ProcessorType,
    SortBy,
    SortDirection,
)
from extend_async.resources.processor_runs import SYNC_TIMEOUT
from extend_async.testing import ManualClock

RUN_ID = "dpr_l39vTgFDiB13heVuMQnUa"  # the run of examples/run_processor.json
URL = "https://example.com/invoices/INV-2024-001.pdf"
EXACT = PollPolicy(jitter=0)


def finished() -> Any:
    """The created run of the examples, PROCESSED, as a later GET shows it."""
    body = copy.deepcopy(example("get_processor_run"))
    body["processorRun"]["id"] = RUN_ID
    return body


@pytest.mark.parametrize(
    ("file", "wire"),
    [
        (URL, {"fileUrl": URL}),
        ("http://example.com/a.pdf", {"fileUrl": "http://example.com/a.pdf"}),
        ("file_xK9mLPqRtN3vS8wF5hB2cQ", {"fileId": "file_xK9mLPqRtN3vS8wF5hB2cQ"}),
        (uploaded_file(), {"fileId": "file_abc"}),
        (
            FileInput(file_url=URL, file_name="Invoices.pdf"),
            {"fileUrl": URL, "fileName": "Invoices.pdf"},
        ),
        ({"fileId": "file_1", "fileName": "a.pdf"}, {"fileId": "file_1", "fileName": "a.pdf"}),
    ],
    ids=["https", "http", "id", "File", "FileInput", "mapping"],
)
async def test_create_sends_a_file_in_every_form(
    api: Api, client: Any, file: Any, wire: dict[str, str]
) -> None:
    api.reply("POST", "/processor_runs", example("run_processor"))

    async with client() as c:
        run = await c.processor_runs.create("dp_Xj8mK2pL9nR4vT7qY5wZ", file=file)

    assert isinstance(run, ProcessorRun)
    assert run.id == RUN_ID
    assert run.status is ProcessorRunStatus.PROCESSING
    sent = api.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/processor_runs", {})
    assert sent.headers == {
        "Authorization": f"Bearer {TOKEN}",
        "x-extend-api-version": "2025-04-21",
        "User-Agent": user_agent(),
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    assert sent.json == {"processorId": "dp_Xj8mK2pL9nR4vT7qY5wZ", "file": wire}
    assert api.timeouts == [None]  # an async run keeps the client's own time limit


async def test_create_sends_every_option_as_the_documented_body(api: Api, client: Any) -> None:
    api.reply("POST", "/processor_runs", example("run_processor"))
    request = example("run_processor.request")
    config = {"type": "CLASSIFY", "classifications": [{"id": "a", "type": "A", "description": "x"}]}

    async with client() as c:
        await c.processor_runs.create(
            request["processorId"],
            version="latest",
            file=FileInput(file_name="Invoices.pdf", file_url=request["file"]["fileUrl"]),
            sync=False,
            priority=50,
            metadata=request["metadata"],
        )
        await c.processor_runs.create(
            "dp_1", raw_text="Invoice #1", config=converter.structure(config, ClassificationConfig)
        )
        await c.processor_runs.create("dp_1", raw_text="Invoice #1", config=config)

    documented, model, mapping = (sent.json for sent in api.sent)
    assert documented == request
    assert model == mapping == {"processorId": "dp_1", "rawText": "Invoice #1", "config": config}


async def test_none_is_sent_as_null_and_what_is_not_given_is_left_out(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/processor_runs", example("run_processor"))

    async with client() as c:
        await c.processor_runs.create(
            "dp_1", raw_text="text", version=NOT_GIVEN, priority=None, metadata=None, sync=NOT_GIVEN
        )

    assert api.last.json == {
        "processorId": "dp_1",
        "rawText": "text",
        "priority": None,
        "metadata": None,
    }


async def test_a_sync_run_gets_a_time_limit_the_server_s_five_minutes_fit_in(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/processor_runs", finished())

    async with client(clock=ManualClock()) as c:  # the default limit: 60 s
        run = await c.processor_runs.create("dp_1", raw_text="text", sync=True)
    async with client(timeout=600) as c:  # a client allowing longer keeps its own limit
        await c.processor_runs.create("dp_1", raw_text="text", sync=True)

    assert run.status is ProcessorRunStatus.PROCESSED
    assert [sent.json["sync"] for sent in api.sent] == [True, True]
    short, long = api.timeouts
    assert SYNC_TIMEOUT == 330.0
    assert isinstance(short, aiohttp.ClientTimeout)
    assert short.total == 330.0  # a 60 s client gives this call 330 s
    assert short.sock_connect == 10.0  # connecting is still bounded as usual
    assert long is None


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, r"give file or raw_text, exactly one of them"),
        ({"file": URL, "raw_text": "x"}, ValueError, r"give file or raw_text, exactly one"),
        ({"file": None}, ValueError, r"give file or raw_text, exactly one of them"),
        ({"file": ""}, ValueError, r"file must not be empty"),
        ({"file": 3}, TypeError, r"file must be a file id, a URL, a File, a FileInput"),
        ({"file": b"x.pdf"}, TypeError, r"file must be a file id, a URL"),
        ({"file": {"fileUrl": 3}}, TypeError, r"file.file_url: expected a string, got int"),
        ({"file": {"fileURL": URL}}, TypeError, r"file: unknown keys \['fileURL'\]"),
        ({"file": FileInput(file_name="a.pdf")}, ValueError, r"file needs exactly one of"),
        (
            {"file": {"fileUrl": URL, "fileId": "file_1"}},
            ValueError,
            r"file needs exactly one of file_url, file_id",
        ),
        ({"raw_text": 5}, TypeError, r"raw_text: expected a string, got int"),
        ({"raw_text": "x", "priority": "high"}, TypeError, r"priority: expected an integer"),
        ({"raw_text": "x", "sync": "yes"}, TypeError, r"sync: expected true or false, got str"),
        ({"raw_text": "x", "metadata": [1]}, TypeError, r"metadata: expected an object, got list"),
        ({"raw_text": "x", "version": 1}, TypeError, r"version: expected a string, got int"),
        ({"raw_text": "x", "config": 3}, TypeError, r"config: expected an object, got int"),
        (
            {"raw_text": "x", "colour": "red"},
            TypeError,
            r"^processor_runs.create\(\) got an unexpected keyword argument 'colour'",
        ),
    ],
)
async def test_create_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            await c.processor_runs.create("dp_1", **kwargs)

    assert str(info.value).startswith("processor_runs.create()")
    assert api.sent == []


@pytest.mark.parametrize(
    ("processor_id", "error", "message"),
    [
        (5, TypeError, r"processor_id: expected a string, got int"),
        ("", ValueError, r"processor_id must not be empty"),
    ],
)
async def test_create_refuses_a_bad_processor_id(
    api: Api, client: Any, processor_id: Any, error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message):
            await c.processor_runs.create(processor_id, raw_text="x")

    assert api.sent == []


async def test_get_cancel_and_delete(api: Api, client: Any) -> None:
    api.reply("GET", "/processor_runs/dpr_1", example("get_processor_run"))
    api.reply("POST", "/processor_runs/dpr%2F1/cancel", example("cancel_processor_run"))
    api.reply("DELETE", "/processor_runs/dpr_1", example("delete_processor_run"))

    async with client() as c:
        run = await c.processor_runs.get("dpr_1")
        cancelled = await c.processor_runs.cancel("dpr/1")
        deleted = await c.processor_runs.delete("dpr_1")

    assert isinstance(run, ProcessorRun)
    assert run.status is ProcessorRunStatus.PROCESSED
    assert isinstance(run.output, JsonOutput)
    assert cancelled.status is ProcessorRunStatus.CANCELLED
    assert deleted == ProcessorRunDeleted(
        document_processor_run_id="dpr_Xj8mK2pL9nR4vT7qY5wZ",
        message="Document processor run data has been successfully deleted.",
    )
    get, cancel, delete = api.sent
    assert (get.method, get.path, get.query, get.json) == ("GET", "/processor_runs/dpr_1", {}, None)
    assert (cancel.method, cancel.path) == ("POST", "/processor_runs/dpr%2F1/cancel")
    assert cancel.json is None  # no body at all
    assert "Content-Type" not in cancel.headers
    assert (delete.method, delete.path, delete.json) == ("DELETE", "/processor_runs/dpr_1", None)


@pytest.mark.parametrize("method", ["get", "cancel", "delete"])
async def test_an_id_is_refused_before_sending(api: Api, client: Any, method: str) -> None:
    async with client() as c:
        with pytest.raises(TypeError, match=r"id must be a string, got int: 7"):
            await getattr(c.processor_runs, method)(7)
        with pytest.raises(ValueError, match=r"id must be a non-empty string"):
            await getattr(c.processor_runs, method)("")

    assert api.sent == []


async def test_list_sends_every_filter_and_gives_a_page(api: Api, client: Any) -> None:
    api.reply("GET", "/processor_runs", example("list_processor_runs"))

    async with client() as c:
        page = await c.processor_runs.list(
            status=ProcessorRunStatus.PROCESSED,
            processor_id="dp_BMdfq_yWM3sT-ZzvCnA3f",
            processor_type=ProcessorType.EXTRACT,
            source_id="workflow_run_1",
            source=ProcessorRunSource.WORKFLOW_RUN,
            file_name_contains="invoice 2024",
            sort_by=SortBy.UPDATED_AT,
            sort_dir=SortDirection.ASC,
            page_size=2,
        )
        await c.processor_runs.list(status="FAILED", processor_type="SPLITTER", source="API")
        await c.processor_runs.list()

    assert isinstance(page, Page)
    assert all(isinstance(item, ProcessorRunSummary) for item in page.items)
    assert [run.status for run in page.items] == ["PROCESSED", "FAILED"]
    assert page.next_page_token == example("list_processor_runs")["nextPageToken"]
    every, strings, bare = api.sent
    assert (every.method, every.path, every.json) == ("GET", "/processor_runs", None)
    assert every.query == {
        "status": "PROCESSED",
        "processorId": "dp_BMdfq_yWM3sT-ZzvCnA3f",
        "processorType": "EXTRACT",
        "sourceId": "workflow_run_1",
        "source": "WORKFLOW_RUN",
        "fileNameContains": "invoice 2024",
        "sortBy": "updatedAt",
        "sortDir": "asc",
        "maxPageSize": "2",
    }
    assert strings.query == {"status": "FAILED", "processorType": "SPLITTER", "source": "API"}
    assert bare.query == {}


async def test_list_sends_the_next_page_token_back_with_the_same_filters(
    api: Api, client: Any
) -> None:
    first = example("list_processor_runs")
    pattern = re.compile(re.escape(BASE_URL) + r"/processor_runs(\?.*)?$")
    api._mocked.add(pattern, "GET", body=json.dumps(first))
    api._mocked.add(pattern, "GET", body=json.dumps({"success": True, "processorRuns": []}))

    async with client() as c:
        ids = [run.id async for run in c.processor_runs.list(status="PROCESSED", page_size=2)]

    assert ids == [item["id"] for item in first["processorRuns"]]
    assert [sent.query for sent in api.sent] == [
        {"status": "PROCESSED", "maxPageSize": "2"},
        {"status": "PROCESSED", "maxPageSize": "2", "nextPageToken": first["nextPageToken"]},
    ]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"status": ["PROCESSED"]}, TypeError, r"status must be a string, a number or a boolean"),
        ({"source": 3.5}, TypeError, r"source must be a string, a number or a boolean"),
        ({"page_size": 0}, ValueError, r"page_size must be an int >= 1, got 0"),
        ({"file_name_contains": ""}, ValueError, r"file_name_contains must not be empty"),
        ({"processor": "dp_1"}, TypeError, r"unexpected keyword argument 'processor'"),
    ],
)
async def test_list_refuses_bad_filters_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            c.processor_runs.list(**kwargs)

    assert str(info.value).startswith("processor_runs.list()")
    assert api.sent == []


async def test_create_and_wait_returns_a_finished_run_at_once(api: Api, client: Any) -> None:
    api.reply("POST", "/processor_runs", finished())

    async with client(clock=ManualClock()) as c:
        run = await c.processor_runs.create_and_wait("dp_1", file=URL, sync=True)

    assert run.status is ProcessorRunStatus.PROCESSED
    assert [(sent.method, sent.path) for sent in api.sent] == [("POST", "/processor_runs")]
    assert api.last.json == {"processorId": "dp_1", "file": {"fileUrl": URL}, "sync": True}
    assert api.timeouts[0].total == SYNC_TIMEOUT  # type: ignore[union-attr]


async def test_create_and_wait_polls_a_run_that_is_not_finished(api: Api, client: Any) -> None:
    api.reply("POST", "/processor_runs", example("run_processor"))
    api.reply("GET", f"/processor_runs/{RUN_ID}", finished())
    clock = ManualClock()

    async with client(clock=clock) as c:
        run = await c.processor_runs.create_and_wait("dp_1", raw_text="text", poll=EXACT)

    assert run.id == RUN_ID
    assert run.status is ProcessorRunStatus.PROCESSED
    assert [(sent.method, sent.path) for sent in api.sent] == [
        ("POST", "/processor_runs"),
        ("GET", f"/processor_runs/{RUN_ID}"),
    ]
    assert clock.sleeps == []  # the first poll goes out at once


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"raw_text": "x", "timeout": -1}, ValueError, r"timeout must be >= 0 seconds or None"),
        ({"raw_text": "x", "timeout": "1"}, ValueError, r"timeout must be >= 0 seconds or None"),
        ({"raw_text": "x", "poll": 2}, TypeError, r"poll must be a PollPolicy, got 2"),
        ({}, ValueError, r"give file or raw_text, exactly one of them"),
        ({"raw_text": "x", "priority": "1"}, TypeError, r"priority: expected an integer"),
        ({"raw_text": "x", "timout": 3}, TypeError, r"unexpected keyword argument 'timout'"),
    ],
)
async def test_create_and_wait_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            await c.processor_runs.create_and_wait("dp_1", **kwargs)

    assert str(info.value).startswith("processor_runs.create_and_wait()")
    assert api.sent == []


def test_the_blocking_twins(api: Api, sync_client: Extend) -> None:
    api.reply("POST", "/processor_runs", example("run_processor"))
    api.reply("GET", f"/processor_runs/{RUN_ID}", finished())
    api.reply("GET", "/processor_runs", {"success": True, "processorRuns": []})
    api.reply("POST", f"/processor_runs/{RUN_ID}/cancel", example("cancel_processor_run"))
    api.reply("DELETE", f"/processor_runs/{RUN_ID}", example("delete_processor_run"))
    runs = sync_client.processor_runs

    created = runs.create("dp_1", file="file_1")
    got = runs.get(RUN_ID)
    listed = list(runs.list(status="PROCESSED"))
    cancelled = runs.cancel(RUN_ID)
    deleted = runs.delete(RUN_ID)
    waited = runs.create_and_wait("dp_1", raw_text="x", poll=EXACT)

    assert created.status is ProcessorRunStatus.PROCESSING
    assert got.status is waited.status is ProcessorRunStatus.PROCESSED
    assert listed == []
    assert cancelled.status is ProcessorRunStatus.CANCELLED
    assert isinstance(deleted, ProcessorRunDeleted)
    with pytest.raises(TypeError, match=r"^processor_runs.create\(\) got an unexpected keyword"):
        runs.create("dp_1", raw_txt="x")  # type: ignore[call-arg]


async def test_signatures_are_the_contract() -> None:
    create_parameters = [
        "processor_id",
        "file",
        "raw_text",
        "version",
        "priority",
        "metadata",
        "config",
        "sync",
    ]
    list_parameters = [
        "status",
        "processor_id",
        "processor_type",
        "source_id",
        "source",
        "file_name_contains",
        "sort_by",
        "sort_dir",
        "page_size",
    ]
    async with AsyncExtend("x") as c:
        async_runs = c.processor_runs
        with Extend("x") as s:
            for runs in (async_runs, s.processor_runs):
                signature = {
                    name: list(inspect.signature(getattr(runs, name)).parameters)
                    for name in ("create", "create_and_wait", "get", "list", "cancel", "delete")
                }
                assert signature == {
                    "create": create_parameters,
                    "create_and_wait": [*create_parameters, "timeout", "poll"],
                    "get": ["id"],
                    "list": list_parameters,
                    "cancel": ["id"],
                    "delete": ["id"],
                }
