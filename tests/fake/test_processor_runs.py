"""The fake's processor runs, over a real socket, through the client."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
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
    Classification,
    ClassificationConfig,
    ClassifierOutput,
    EmptyOutput,
    ExtractionConfig,
    ExtractionField,
    ExtractionFieldType,
    FieldsArrayOutput,
    FileInput,
    FileType,
    JsonOutput,
    ProcessorRun,
    ProcessorRunDeleted,
    ProcessorRunStatus,
    ProcessorRunType,
    SplitterConfig,
    SplitterOutput,
)
from extend_async.testing import FakeExtendServer

EXACT = PollPolicy(jitter=0)
FAST = PollPolicy(interval=0.01, fast_phase=0, growth=1, max_interval=0.01, jitter=0)
SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": ["string", "null"]},
        "invoice_date": {"type": ["string", "null"]},
        "total": {"type": "number"},
    },
}
PROCESSED = ProcessorRunStatus.PROCESSED
PROCESSING = ProcessorRunStatus.PROCESSING


def _dashboard(run: ProcessorRun) -> str:
    return f"https://dashboard.extend.ai/runs/{run.id}"


# -- the lifecycle and the output --------------------------------------------------------


async def test_a_run_created_through_the_api_finishes_on_its_second_get(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add(config=ExtractionConfig(schema=SCHEMA))

    created = await client.processor_runs.create(processor.id, file="https://x.test/a.pdf")
    first = await client.processor_runs.get(created.id)
    second = await client.processor_runs.get(created.id)
    third = await client.processor_runs.get(created.id)

    assert created.status is first.status is PROCESSING
    assert created.output == first.output == EmptyOutput()
    assert created.usage is None
    assert second.status is PROCESSED
    assert isinstance(second.output, JsonOutput)
    assert set(second.output.value) == {"invoice_number", "invoice_date", "total"}
    assert second.initial_output == second.output
    assert second.usage is not None
    assert third == second  # a finished run stays as it is
    assert fake.requests["get_processor_run", created.id] == 3
    assert fake.processor_runs.get(created.id) == second  # seen without counting as a GET
    assert fake.requests["get_processor_run", created.id] == 3


@pytest.mark.parametrize(
    ("kind", "config", "output_class"),
    [
        ("EXTRACT", ExtractionConfig(schema=SCHEMA), JsonOutput),
        (
            "EXTRACT",
            ExtractionConfig(
                fields=[
                    ExtractionField(
                        id="total",
                        name="Total",
                        type=ExtractionFieldType.CURRENCY,
                        description="Amount due",
                    ),
                    ExtractionField(
                        id="date",
                        name="Date",
                        type=ExtractionFieldType.DATE,
                        description="Issued on",
                    ),
                ]
            ),
            FieldsArrayOutput,
        ),
        ("CLASSIFY", None, ClassifierOutput),
        ("SPLITTER", None, SplitterOutput),
    ],
    ids=["json-schema", "field-list", "classify", "split"],
)
async def test_the_output_is_what_the_processor_s_config_produces(
    fake: FakeExtendServer,
    client: AsyncExtend,
    kind: str,
    config: Any,
    output_class: type[Any],
) -> None:
    processor = fake.processors.add(type=kind, config=config)
    version = fake.processors.version(processor.id)

    created = await client.processor_runs.create(
        processor.id, file=FileInput(file_url="https://x.test/doc", file_name="receipt-7.pdf")
    )
    done = await client.processor_runs.wait(created.id, poll=EXACT)

    assert done.status is PROCESSED
    assert done.type is ProcessorRunType(kind)
    assert done.config == version.config
    assert done.processor_version_id == version.id
    assert done.processor_name == processor.name
    assert isinstance(done.output, output_class)
    if isinstance(done.output, FieldsArrayOutput):
        assert set(done.output.fields) == {"total", "date"}
    if isinstance(done.output, ClassifierOutput):
        assert done.output.id == "receipt"  # the class the file name mentions
    if isinstance(done.output, SplitterOutput):
        assert done.output.splits
        assert {split.classification_id for split in done.output.splits} <= {
            "invoice",
            "receipt",
            "other",
        }


async def test_a_run_uses_the_version_asked_for_or_the_request_s_config(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add(type="CLASSIFY", published=2)
    draft = fake.processors.version(processor.id, "draft")
    first = fake.processors.version(processor.id, "1.0")
    latest = fake.processors.version(processor.id)
    override = ClassificationConfig(
        classifications=[Classification(id="memo", type="MEMO", description="A note")]
    )
    runs = client.processor_runs

    by_default = await runs.create(processor.id, raw_text="x")
    by_number = await runs.create(processor.id, raw_text="x", version="1.0")
    by_draft = await runs.create(processor.id, raw_text="x", version="draft")
    overridden = await runs.create_and_wait(
        processor.id, raw_text="memo", config=override, poll=EXACT
    )

    assert by_default.processor_version_id == latest.id
    assert latest.version == "1.1"
    assert by_number.processor_version_id == first.id
    assert by_draft.processor_version_id == draft.id
    assert overridden.config == override
    assert isinstance(overridden.output, ClassifierOutput)
    assert overridden.output.id == "memo"
    with pytest.raises(BadRequestError, match="does not match the processor's type CLASSIFY"):
        await runs.create(processor.id, raw_text="x", config=ExtractionConfig(schema=SCHEMA))
    with pytest.raises(NotFoundError, match=r"version '9\.9' not found"):
        await runs.create(processor.id, raw_text="x", version="9.9")
    with pytest.raises(NotFoundError, match="Processor not found"):
        await runs.create("dp_nope", raw_text="x")
    assert fake.requests["run_processor"] == 7


async def test_the_run_shows_its_file_metadata_and_dashboard_url(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    runs = client.processor_runs
    metadata = {"customerId": "cust_123", "extend:usage_tags": ["prod env", "team-eng", "a.b_c"]}

    by_url = await runs.create(
        processor.id, file="https://x.test/in/Invoice%20March.PDF?sig=1", metadata=metadata
    )
    named = await runs.create(
        processor.id, file={"fileUrl": "https://x.test/f", "fileName": "Scan.png"}
    )
    by_id = await runs.create(processor.id, file="file_kept")
    text = await runs.create(processor.id, raw_text="Invoice #1", metadata=None)

    assert by_url.metadata == {
        "customerId": "cust_123",
        "extend:usage_tags": ["prodenv", "team-eng", "ab_c"],  # only letters, digits, - and _
    }
    assert [(f.name, f.type) for f in by_url.files] == [("Invoice March.PDF", FileType.PDF)]
    assert by_url.files[0].id.startswith("file_")
    assert by_url.files[0].presigned_url == "https://x.test/in/Invoice%20March.PDF?sig=1"
    assert [(f.name, f.type) for f in named.files] == [("Scan.png", FileType.IMG)]
    assert by_id.files[0].id == "file_kept"
    assert [(f.name, f.type) for f in text.files] == [("raw_text.txt", FileType.TXT)]
    assert text.metadata is None
    for run in (by_url, named, by_id, text):
        assert run.url == _dashboard(run)
        assert run.id.startswith("dpr_")
        assert run.merged_processors == []
        assert run.edits == {}
        assert run.reviewed is run.edited is False


async def test_a_lifecycle_on_the_clock_ends_in_failure(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    fake.processor_runs.set_lifecycle(processing_after=1, finish_after=5, outcome="FAILED")

    created = await client.processor_runs.create(processor.id, raw_text="x")
    fake.advance(1)
    started = await client.processor_runs.get(created.id)
    summary_while_running = (await client.processor_runs.list()).items[0]
    fake.advance(4)
    failed = await client.processor_runs.get(created.id)
    summary = (await client.processor_runs.list()).items[0]

    assert created.status is ProcessorRunStatus.PENDING
    assert started.status is PROCESSING
    assert summary_while_running.updated_at - summary_while_running.created_at == timedelta(
        seconds=1
    )
    assert failed.status is ProcessorRunStatus.FAILED
    assert failed.output == EmptyOutput()
    assert failed.failure_reason
    assert failed.failure_message
    assert summary.status is ProcessorRunStatus.FAILED
    assert summary.updated_at - summary.created_at == timedelta(seconds=5)
    assert fake.processor_runs.lifecycle.finish_after == (5.0, 5.0)


async def test_runs_created_without_a_lifecycle_are_finished_at_once(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add(type="SPLITTER")
    fake.processor_runs.set_lifecycle()

    run = await client.processor_runs.create(processor.id, raw_text="x")

    assert run.status is PROCESSED
    assert isinstance(run.output, SplitterOutput)


# -- sync runs and create_and_wait ---------------------------------------------------------


async def test_a_sync_run_is_answered_finished(fake: FakeExtendServer, client: AsyncExtend) -> None:
    processor = fake.processors.add(type="CLASSIFY")

    run = await client.processor_runs.create(processor.id, raw_text="an invoice", sync=True)

    assert run.status is PROCESSED
    assert isinstance(run.output, ClassifierOutput)
    assert fake.requests["run_processor"] == 1
    assert fake.requests["get_processor_run"] == 0


async def test_a_sync_run_longer_than_the_server_s_wait_comes_back_running(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    fake.processor_runs.set_lifecycle(finish_after=301)

    running = await client.processor_runs.create(processor.id, raw_text="x", sync=True)
    fake.processor_runs.sync_wait = 400  # a server that waits longer sees the end
    finished = await client.processor_runs.create(processor.id, raw_text="x", sync=True)

    assert running.status is PROCESSING
    assert finished.status is PROCESSED
    fake.advance(301)
    assert (await client.processor_runs.get(running.id)).status is PROCESSED


async def test_create_and_wait_follows_the_run_s_lifecycle(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()

    run = await client.processor_runs.create_and_wait(processor.id, raw_text="x", poll=EXACT)

    assert run.status is PROCESSED
    assert isinstance(run.output, JsonOutput)
    assert fake.requests["run_processor"] == 1
    assert fake.requests["get_processor_run", run.id] == 2  # at once, then a second later
    assert fake.clock.sleeps == [1.0]  # the client sleeps on the fake's clock


async def test_create_and_wait_polls_a_sync_run_the_fake_gives_back_unfinished(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add(type="CLASSIFY")
    fake.processor_runs.sync_wait = 0  # as if the server's five minutes ran out
    fake.processor_runs.set_lifecycle(finish_after=5)

    run = await client.processor_runs.create_and_wait(
        processor.id, file="file_1", sync=True, poll=EXACT
    )

    assert run.status is PROCESSED
    assert isinstance(run.output, ClassifierOutput)
    assert fake.requests["run_processor"] == 1
    assert fake.requests["get_processor_run", run.id] == 6  # t = 0, 1, ... 5
    assert fake.clock.sleeps == [1.0] * 5


async def test_create_and_wait_gives_up_at_its_timeout_without_a_second_run(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    fake.processor_runs.set_lifecycle(finish_after=100)

    with pytest.raises(WaitTimeoutError) as info:
        await client.processor_runs.create_and_wait(
            processor.id, raw_text="x", timeout=5, poll=EXACT
        )

    last = info.value.last
    assert isinstance(last, ProcessorRun)
    assert last.status is PROCESSING
    assert info.value.timeout == 5
    assert fake.requests["run_processor"] == 1
    assert fake.requests["get_processor_run", last.id] == 6  # t = 0 ... 5


def test_the_blocking_client_creates_and_waits() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        processor = fake.processors.add(type="SPLITTER")
        fake.processor_runs.sync_wait = 0

        run = client.processor_runs.create_and_wait(processor.id, raw_text="x", poll=FAST)
        unfinished = client.processor_runs.create(processor.id, raw_text="x", sync=True)
        waited = client.processor_runs.wait(unfinished.id, poll=FAST)

        assert run.status is waited.status is PROCESSED
        assert unfinished.status is PROCESSING
        assert isinstance(run.output, SplitterOutput)


# -- cancel and delete -------------------------------------------------------------------


async def test_a_running_run_can_be_cancelled_and_a_finished_one_cannot(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    runs = client.processor_runs
    running = await runs.create(processor.id, raw_text="x")
    pending = fake.processor_runs.add(processor_id=processor.id, processing_after=10)
    done = fake.processor_runs.add(processor_id=processor.id)

    cancelled = await runs.cancel(running.id)
    after = [await runs.get(running.id) for _ in range(3)]  # the schedule no longer applies
    cancelled_pending = await runs.cancel(pending.id)

    assert pending.status is ProcessorRunStatus.PENDING
    assert cancelled.status is cancelled_pending.status is ProcessorRunStatus.CANCELLED
    assert cancelled.output == EmptyOutput()
    assert all(run == cancelled for run in after)
    with pytest.raises(BadRequestError, match="cannot be cancelled: its status is CANCELLED"):
        await runs.cancel(running.id)
    with pytest.raises(BadRequestError, match="cannot be cancelled: its status is PROCESSED"):
        await runs.cancel(done.id)
    with pytest.raises(NotFoundError):
        await runs.cancel("dpr_nope")
    assert fake.requests["cancel_processor_run"] == 5


async def test_a_run_that_finished_meanwhile_cannot_be_cancelled(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    run = fake.processor_runs.add(processor_id=processor.id, finish_after=3)

    fake.advance(3)

    with pytest.raises(BadRequestError, match="its status is PROCESSED"):
        await client.processor_runs.cancel(run.id)


async def test_a_deleted_run_is_gone(fake: FakeExtendServer, client: AsyncExtend) -> None:
    processor = fake.processors.add()
    kept, gone = (fake.processor_runs.add(processor_id=processor.id) for _ in range(2))

    deleted = await client.processor_runs.delete(gone.id)

    assert deleted == ProcessorRunDeleted(
        document_processor_run_id=gone.id,
        message="Document processor run data has been successfully deleted.",
    )
    with pytest.raises(NotFoundError, match="Processor run not found"):
        await client.processor_runs.get(gone.id)
    with pytest.raises(NotFoundError):
        await client.processor_runs.delete(gone.id)
    assert [run.id async for run in client.processor_runs.list()] == [kept.id]
    with pytest.raises(KeyError):
        fake.processor_runs.get(gone.id)


# -- listing -------------------------------------------------------------------------------


async def test_list_filters_by_every_documented_key(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    extract = fake.processors.add(type="EXTRACT")
    classify = fake.processors.add(type="CLASSIFY")
    add = fake.processor_runs.add
    a = add(processor_id=extract.id, file_name="Invoice-March.pdf")
    b = add(processor_id=extract.id, status="FAILED", file_name="receipt.png")
    c = add(
        processor_id=classify.id,
        source="WORKFLOW_RUN",
        source_id="workflow_run_1",
        file_name="march invoice.pdf",
    )
    d = add(processor_id=classify.id, status="PROCESSING", source="STUDIO")

    async def ids(**filters: Any) -> set[str]:
        return {run.id async for run in client.processor_runs.list(**filters)}

    assert await ids() == {a.id, b.id, c.id, d.id}
    assert await ids(status="PROCESSED") == {a.id, c.id}
    assert await ids(status=ProcessorRunStatus.FAILED) == {b.id}
    assert await ids(processor_id=classify.id) == {c.id, d.id}
    assert await ids(processor_type="EXTRACT") == {a.id, b.id}
    assert await ids(source="API") == {a.id, b.id}
    assert await ids(source="WORKFLOW_RUN") == {c.id}
    assert await ids(source_id="workflow_run_1") == {c.id}
    assert await ids(file_name_contains="invoice") == {a.id, c.id}  # any case
    assert await ids(file_name_contains="MARCH", processor_type="CLASSIFY") == {c.id}
    assert await ids(processor_id="dp_nope") == set()
    summaries = (await client.processor_runs.list(status="FAILED")).items
    assert [(s.id, s.processor_id, s.type) for s in summaries] == [
        (b.id, extract.id, ProcessorRunType.EXTRACT)
    ]
    wrongs: list[dict[str, Any]] = [{"status": "DONE"}, {"processor_type": "OCR"}, {"source": "X"}]
    for wrong in wrongs:
        with pytest.raises(BadRequestError, match="must be one of"):
            await client.processor_runs.list(**wrong)


async def test_list_sorts_by_either_time_each_way(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    base = datetime(2025, 1, 1, tzinfo=timezone.utc)
    early = fake.processor_runs.add(
        processor_id=processor.id, created_at=base, updated_at=base + timedelta(days=9)
    )
    late = fake.processor_runs.add(
        processor_id=processor.id,
        created_at=base + timedelta(days=1),
        updated_at=base + timedelta(days=2),
    )

    async def order(**sorting: Any) -> list[str]:
        return [run.id async for run in client.processor_runs.list(**sorting)]

    assert await order() == [late.id, early.id]  # newest created first
    assert await order(sort_dir="asc") == [early.id, late.id]
    assert await order(sort_by="updatedAt") == [early.id, late.id]
    assert await order(sort_by="updatedAt", sort_dir="asc") == [late.id, early.id]


async def test_pages_through_every_run_and_stops_early(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    made = {fake.processor_runs.add(processor_id=processor.id).id for _ in range(25)}
    pager = client.processor_runs.list(status="PROCESSED", page_size=10)

    sizes = [len(page.items) async for page in pager.pages()]
    seen = [run.id async for run in pager]
    async for _ in client.processor_runs.list(page_size=10):
        break

    assert sizes == [10, 10, 5]
    assert len(seen) == len(set(seen)) == 25
    assert set(seen) == made
    assert fake.requests["list_processor_runs"] == 3 + 3 + 1  # the break fetched one page


def test_the_blocking_client_pages_and_breaks_early() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        processor = fake.processors.add()
        made = [fake.processor_runs.add(processor_id=processor.id).id for _ in range(7)]

        pages = [len(page.items) for page in client.processor_runs.list(page_size=3).pages()]
        ids = [run.id for run in client.processor_runs.list(page_size=3)]
        for _ in client.processor_runs.list(page_size=3):
            break

        assert pages == [3, 3, 1]
        assert sorted(ids) == sorted(made)
        assert fake.requests["list_processor_runs"] == 3 + 3 + 1


async def test_a_page_token_is_bound_to_its_filters(
    fake: FakeExtendServer,
    client: AsyncExtend,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
) -> None:
    processor = fake.processors.add()
    for _ in range(3):
        fake.processor_runs.add(processor_id=processor.id)
    first = await client.processor_runs.list(page_size=2, status="PROCESSED")
    assert first.next_page_token

    query = {"nextPageToken": first.next_page_token, "status": "FAILED", "maxPageSize": "2"}
    async with http.get(f"{fake.url}/processor_runs", params=query, headers=headers) as response:
        body = await response.json()

    assert response.status == 400
    assert "other filters" in body["error"]


async def test_list_refuses_unknown_query_keys(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    url = f"{fake.url}/processor_runs"
    async with http.get(url, params={"workflowId": "w"}, headers=headers) as response:
        body = await response.json()

    assert response.status == 400
    assert body == {
        "success": False,
        "error": "Invalid request: unknown query parameters ['workflowId']",
    }


# -- bad requests, as the API refuses them ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "processorId"),
        ({"processorId": "P"}, "send exactly one of file, rawText"),
        (
            {"processorId": "P", "rawText": "x", "file": {"fileId": "file_1"}},
            "send exactly one of file, rawText",
        ),
        ({"processorId": "P", "file": {"fileName": "a.pdf"}}, "exactly one of fileUrl, fileId"),
        (
            {"processorId": "P", "file": {"fileUrl": "https://x", "fileId": "file_1"}},
            "exactly one of fileUrl, fileId",
        ),
        ({"processorId": "P", "rawText": "x", "colour": "red"}, "colour"),
        ({"processorId": "P", "rawText": "x", "priority": "high"}, "priority"),
        (
            {"processorId": "P", "rawText": "x", "metadata": {"extend:usage_tags": "a"}},
            "must be an array of strings",
        ),
    ],
)
async def test_run_processor_refuses_what_the_api_refuses(
    fake: FakeExtendServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    body: dict[str, Any],
    message: str,
) -> None:
    processor = fake.processors.add()
    if body.get("processorId") == "P":
        body = {**body, "processorId": processor.id}

    async with http.post(f"{fake.url}/processor_runs", json=body, headers=headers) as response:
        answer = await response.json()

    assert response.status == 400
    assert answer["success"] is False
    assert message in answer["error"]
    assert fake.processor_runs.all() == []  # nothing was started


# -- many runs, faults and rate limits --------------------------------------------------------


async def test_wait_many_over_several_created_runs(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    extract = fake.processors.add()
    classify = fake.processors.add(type="CLASSIFY")
    fake.processor_runs.set_lifecycle(finish_after_polls=3)
    created = [
        await client.processor_runs.create(processor.id, raw_text=f"document {n}")
        for n in range(4)
        for processor in (extract, classify)
    ]
    failing = fake.processor_runs.add(processor_id=extract.id, finish_after=2.5, outcome="FAILED")
    ids = [run.id for run in created] + [failing.id, "dpr_missing"]

    outcomes: dict[str, Any] = {}
    async with client.processor_runs.wait_many(ids, poll=EXACT) as stream:
        async for run_id, outcome in stream:
            outcomes[run_id] = outcome

    assert set(outcomes) == set(ids)
    for run in created:
        assert outcomes[run.id].status is PROCESSED
        assert fake.requests["get_processor_run", run.id] == 3
    assert outcomes[failing.id].status is ProcessorRunStatus.FAILED
    assert isinstance(outcomes["dpr_missing"], NotFoundError)
    assert fake.requests["run_processor"] == 8


async def test_a_run_processor_dropped_after_it_was_sent_is_not_repeated(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    fake.faults.add(route="run_processor", kind="disconnect", times=1)

    with pytest.raises(APIConnectionError) as info:
        await client.processor_runs.create(processor.id, raw_text="x")

    assert info.value.may_have_been_sent is True
    assert fake.requests["run_processor"] == 1  # neither the client nor aiohttp sent it again
    assert fake.faults.pending == []
    again = await client.processor_runs.create(processor.id, raw_text="x")  # the caller decides
    assert again.status is PROCESSING
    assert fake.requests["run_processor"] == 2


async def test_create_and_wait_does_not_repeat_a_dropped_create(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    fake.faults.add(route="run_processor", kind="disconnect_mid_body", times=1)

    with pytest.raises(APIConnectionError) as info:
        await client.processor_runs.create_and_wait(processor.id, raw_text="x", sync=True)

    assert info.value.may_have_been_sent is True
    assert fake.requests["run_processor"] == 1
    assert fake.requests["get_processor_run"] == 0
    [made] = fake.processor_runs.all()  # the run whose answer was lost exists, finished
    assert made.status is PROCESSED


async def test_a_429_on_run_processor_is_retried_once_the_pause_is_over(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    fake.faults.add(route="run_processor", status=429, retry_after=2, times=1)

    run = await client.processor_runs.create(processor.id, raw_text="x")

    assert run.status is PROCESSING
    assert fake.requests["run_processor"] == 2
    assert fake.rate_limited == 1
    assert fake.clock.sleeps == [2.0]  # waited on the shared clock, in no real time
    assert [r.id async for r in client.processor_runs.list()] == [run.id]  # one run only


async def test_the_fake_s_rate_limit_holds_runs_back_and_none_is_lost(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    fake.rate_limit = 2

    made = [await client.processor_runs.create(processor.id, raw_text="x") for _ in range(5)]

    assert fake.rate_limited > 0
    assert len({run.id for run in made}) == 5
    assert [run.id for run in fake.processor_runs.all()] == [run.id for run in made]


# -- seeding --------------------------------------------------------------------------------


async def test_seeded_runs(fake: FakeExtendServer, client: AsyncExtend) -> None:
    processor = fake.processors.add(type="CLASSIFY", published=1)
    runs = fake.processor_runs

    done = runs.add(processor_id=processor.id)
    failed = runs.add(processor_id=processor.id, status="FAILED", failure_reason="CORRUPT_FILE")
    later = runs.add(processor_id=processor.id, finish_after_polls=2, id="dpr_later")
    odd = runs.add(processor_id=processor.id, status="ARCHIVED", metadata={"k": 1})
    drafted = runs.add(processor_id=processor.id, version="draft", source="PLAYGROUND")

    assert done.status is PROCESSED
    assert isinstance(done.output, ClassifierOutput)
    assert done.processor_version_id == fake.processors.version(processor.id).id
    assert failed.status is ProcessorRunStatus.FAILED
    assert failed.failure_reason == "CORRUPT_FILE"
    assert later.id == "dpr_later"
    assert later.status is PROCESSING
    assert not odd.status.is_known
    assert odd.metadata == {"k": 1}
    assert drafted.processor_version_id == processor.draft_version.id
    assert await client.processor_runs.get(done.id) == done
    assert (await client.processor_runs.get(odd.id)).status == "ARCHIVED"
    assert (await client.processor_runs.get(later.id)).status is PROCESSING
    assert (await client.processor_runs.get(later.id)).status is PROCESSED
    assert runs.get(later.id).status is PROCESSED


def test_seeding_refuses_what_cannot_be() -> None:
    fake = FakeExtendServer()
    processor = fake.processors.add()
    runs = fake.processor_runs
    runs.add(processor_id=processor.id, id="dpr_1")

    with pytest.raises(ValueError, match="Processor not found"):
        runs.add(processor_id="dp_nope")
    with pytest.raises(ValueError, match=r"version '3\.0' not found"):
        runs.add(processor_id=processor.id, version="3.0")
    with pytest.raises(ValueError, match="already exists"):
        runs.add(processor_id=processor.id, id="dpr_1")
    with pytest.raises(ValueError, match="cannot start as PROCESSED"):
        runs.add(processor_id=processor.id, status="PROCESSED", finish_after=1)
    with pytest.raises(ValueError, match="outcome must be"):
        runs.add(processor_id=processor.id, finish_after=1, outcome="CANCELLED")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not of the processor's type"):
        runs.add(processor_id=processor.id, config=SplitterConfig(split_classifications=[]))
    with pytest.raises(ValueError, match="outcome must be"):
        runs.set_lifecycle(finish_after=1, outcome="CANCELLED")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sync_wait must be seconds >= 0"):
        runs.sync_wait = -1
    with pytest.raises(TypeError, match=r"unknown fields \['colour'\]"):
        runs.add(processor_id=processor.id, colour="red")  # type: ignore[call-arg]
    with pytest.raises(KeyError):
        runs.get("dpr_nope")
    assert [run.id for run in runs.all()] == ["dpr_1"]


async def test_fields_a_test_sets_hold_through_the_lifecycle(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    processor = fake.processors.add()
    seeded = fake.processor_runs.add(
        processor_id=processor.id,
        finish_after_polls=1,
        outcome="FAILED",
        failure_reason="CORRUPT_FILE",
        failure_message="The PDF is damaged",
        reviewed=True,
    )

    failed = await client.processor_runs.get(seeded.id)

    assert seeded.status is PROCESSING
    assert failed.status is ProcessorRunStatus.FAILED
    assert (failed.failure_reason, failed.failure_message) == ("CORRUPT_FILE", "The PDF is damaged")
    assert failed.reviewed is True
