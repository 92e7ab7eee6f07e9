"""The fake's parser runs, over a real socket, through both clients."""

from __future__ import annotations

from typing import Any

import aiohttp
import attrs
import pytest
import yarl

from extend_async import (
    AsyncExtend,
    BadRequestError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    PollPolicy,
    UnprocessableEntityError,
    WaitTimeoutError,
    to_dict,
)
from extend_async.models import (
    BlockType,
    ChunkType,
    FigureDetails,
    FileInput,
    KeyValueDetails,
    ParserRun,
    ParserRunDeleted,
    ParserRunState,
    ParserRunStatus,
    TableCellDetails,
    TableDetails,
    WebhookEventType,
)
from extend_async.testing import FakeExtendServer
from extend_async.testing._downloads import EXPIRES_AFTER
from extend_async.testing._files import BYTES_PER_PAGE

EXACT = PollPolicy(jitter=0)
PROCESSED = ParserRunState.PROCESSED
PROCESSING = ParserRunState.PROCESSING
FAILED = ParserRunState.FAILED


def blocks_of(run: ParserRun) -> list[Any]:
    return [block for chunk in run.chunks for block in chunk.blocks]


# -- Parse File: what comes out ------------------------------------------------------------


async def test_a_stored_file_parses_into_a_chunk_per_page(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    file = fake.files.add("invoice-march.pdf", size=3 * BYTES_PER_PAGE)

    run = await client.parser_runs.parse(file.id)

    assert isinstance(run, ParserRun)
    assert run.file_id == file.id
    assert run.status is PROCESSED
    assert run.metrics.page_count == 3
    assert run.usage is not None
    assert run.usage.credits == 3
    assert [chunk.type for chunk in run.chunks] == [ChunkType.PAGE] * 3
    assert [(c.metadata.page_range.start, c.metadata.page_range.end) for c in run.chunks] == [
        (1, 1),
        (2, 2),
        (3, 3),
    ]
    first = run.chunks[0]
    assert first.content.startswith("# Invoice March\n\n")
    assert first.blocks[0].type is BlockType.HEADING
    assert first.content == "\n\n".join(block.content for block in first.blocks)
    for chunk in run.chunks:
        page = chunk.metadata.page_range.start
        assert {block.metadata.page.number for block in chunk.blocks} == {page}  # type: ignore[union-attr]
        assert chunk.blocks[-1].content == f"Page {page} of 3"
    for block in blocks_of(run):
        box = block.bounding_box
        assert 0 <= box.left < box.right <= 612
        assert 0 <= box.top < box.bottom <= 792
        assert [(p.x, p.y) for p in block.polygon] == [
            (box.left, box.top),
            (box.right, box.top),
            (box.right, box.bottom),
            (box.left, box.bottom),
        ]
    assert len({block.id for block in blocks_of(run)}) == len(blocks_of(run))
    figure = next(block for block in blocks_of(run) if block.type is BlockType.FIGURE)
    assert isinstance(figure.details, FigureDetails)
    assert figure.details.image_url is not None  # clipping is on by default
    key_value = next(block for block in blocks_of(run) if block.type is BlockType.KEY_VALUE)
    assert isinstance(key_value.details, KeyValueDetails)
    assert key_value.content.startswith("Reference: ")
    assert run.ocr is None  # not asked for
    assert run.config.target == "markdown"  # the effective config, defaults filled in
    assert run.config.chunking_strategy is not None
    assert run.config.chunking_strategy.type == "page"


async def test_a_text_upload_is_parsed_from_its_own_text(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    text = "# Minutes\n\nThe board met on Monday.\n\n# Decisions\n\nThe budget was approved."
    file = fake.files.add("minutes.txt", text=text)

    by_page = await client.parser_runs.parse(file.id)
    by_section = await client.parser_runs.parse(
        file.id, config={"chunkingStrategy": {"type": "section"}}
    )

    assert [chunk.content for chunk in by_page.chunks] == [
        "# Minutes\n\nThe board met on Monday.\n\n# Decisions\n\nThe budget was approved."
    ]
    assert [chunk.content for chunk in by_section.chunks] == [
        "# Minutes\n\nThe board met on Monday.",
        "# Decisions\n\nThe budget was approved.",
    ]
    assert {chunk.type for chunk in by_section.chunks} == {ChunkType.SECTION}


async def test_a_file_url_is_stored_and_its_run_s_file_is_reusable(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = await client.parser_runs.parse("https://files.example.com/q3/board-report.pdf")
    named = await client.parser_runs.parse(
        FileInput(file_url="https://files.example.com/x", file_name="lease.pdf")
    )
    again = await client.parser_runs.parse(run.file_id)

    assert fake.files.get(run.file_id).name == "board-report.pdf"
    assert fake.files.get(named.file_id).name == "lease.pdf"
    assert run.chunks[0].content.startswith("# Board Report")
    assert named.chunks[0].content.startswith("# Lease")
    assert again.file_id == run.file_id
    assert again.metrics.page_count == run.metrics.page_count


async def test_the_target_decides_how_content_reads(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    file = fake.files.add("statement.pdf", size=4 * BYTES_PER_PAGE)
    tables = {"tables": {"targetFormat": "html"}}

    markdown = await client.parser_runs.parse(file.id)
    spatial = await client.parser_runs.parse(file.id, config={"target": "spatial"})
    html = await client.parser_runs.parse(file.id, config={"blockOptions": tables})

    assert markdown.chunks[0].content.startswith("# Statement")
    md_tables = [b for b in blocks_of(markdown) if b.type is BlockType.TABLE]
    assert md_tables
    assert all(b.content.startswith("| Item |") for b in md_tables)
    for block in blocks_of(spatial):
        assert not block.content.startswith(("#", "|", "!["))
        assert block.content.startswith(" " * 12)  # indented to where it sits on the page
    assert spatial.chunks[0].content == "\n".join(b.content for b in spatial.chunks[0].blocks)
    html_tables = [b for b in blocks_of(html) if b.type is BlockType.TABLE]
    assert html_tables
    assert all(b.content.startswith("<table><tr><th>Item</th>") for b in html_tables)


async def test_chunking_strategies_and_size_bounds(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    file = fake.files.add("handbook.pdf", size=5 * BYTES_PER_PAGE)

    whole = await client.parser_runs.parse(
        file.id, config={"chunkingStrategy": {"type": "document"}}
    )
    sections = await client.parser_runs.parse(
        file.id, config={"chunkingStrategy": {"type": "section"}}
    )
    small = await client.parser_runs.parse(
        file.id, config={"chunkingStrategy": {"type": "page", "options": {"maxCharacters": 300}}}
    )
    large = await client.parser_runs.parse(
        file.id,
        config={"chunkingStrategy": {"type": "page", "options": {"minCharacters": 5000}}},
    )

    (chunk,) = whole.chunks
    assert chunk.type is ChunkType.DOCUMENT
    assert (chunk.metadata.page_range.start, chunk.metadata.page_range.end) == (1, 5)
    assert all(
        c.blocks[0].type in (BlockType.HEADING, BlockType.SECTION_HEADING) for c in sections.chunks
    )
    assert len(sections.chunks) == 6  # the title, then one section per page
    assert len(small.chunks) > 5
    assert all(len(c.content) <= 300 or len(c.blocks) == 1 for c in small.chunks)
    assert len(large.chunks) < 5
    assert any(c.metadata.page_range.end > c.metadata.page_range.start for c in large.chunks)
    everything = [b.id for b in blocks_of(whole)]
    for run in (sections, small, large):
        assert [b.id for b in blocks_of(run)] == everything  # the same blocks, grouped


async def test_block_options_page_ranges_and_ocr(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    file = fake.files.add("catalogue.pdf", size=12 * BYTES_PER_PAGE)
    config = {
        "blockOptions": {
            "figures": {"enabled": False},
            "tables": {"cellBlocksEnabled": True},
        },
        "advancedOptions": {
            "pageRanges": [{"start": 2, "end": 3}, {"start": 11}],
            "returnOcr": {"words": True},
        },
    }

    run = await client.parser_runs.parse(file.id, config=config)

    assert [c.metadata.page_range.start for c in run.chunks] == [2, 3, 11, 12]
    assert run.metrics.page_count == 12
    assert not [b for b in blocks_of(run) if b.type is BlockType.FIGURE]
    tables = [b for b in blocks_of(run) if b.type is BlockType.TABLE]
    assert tables
    for table in tables:
        assert isinstance(table.details, TableDetails)
        cells = table.children or []
        assert len(cells) == table.details.row_count * table.details.column_count
        assert {cell.parent_block_id for cell in cells} == {table.id}
        assert [c.type for c in cells[: table.details.column_count]] == [BlockType.TABLE_HEAD] * (
            table.details.column_count
        )
        last = cells[-1].details
        assert isinstance(last, TableCellDetails)
        assert (last.row_index, last.column_index) == (
            table.details.row_count - 1,
            table.details.column_count - 1,
        )
    assert run.ocr is not None
    assert run.ocr.words
    pages = {word.page_number for word in run.ocr.words}
    assert pages == {2.0, 3.0, 11.0, 12.0}
    for word in run.ocr.words:
        assert 0.86 <= word.confidence <= 0.999
        assert word.bounding_box.left < word.bounding_box.right
    texts = {b.content for b in blocks_of(run) if b.type is BlockType.FOOTER}
    assert {w.content for w in run.ocr.words} >= {"Page", "of", "12"}
    assert texts == {"Page 2 of 12", "Page 3 of 12", "Page 11 of 12", "Page 12 of 12"}


async def test_the_same_seed_gives_the_same_parse() -> None:
    outputs = []
    for _ in range(2):
        async with FakeExtendServer(seed=11) as fake, fake.client() as client:
            file = fake.files.add("same.pdf", size=6 * BYTES_PER_PAGE)
            run = await client.parser_runs.parse(file.id, config={"target": "spatial"})
            outputs.append(to_dict(run))
    async with FakeExtendServer(seed=12) as fake, fake.client() as client:
        file = fake.files.add("same.pdf", size=6 * BYTES_PER_PAGE)
        other = to_dict(await client.parser_runs.parse(file.id, config={"target": "spatial"}))

    assert outputs[0] == outputs[1]
    assert other["chunks"] != outputs[0]["chunks"]


async def test_the_same_file_parses_the_same_each_time_and_each_parse_is_announced(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    file = fake.files.add("twice.pdf", size=4 * BYTES_PER_PAGE)
    other = fake.files.add("twice.pdf", size=4 * BYTES_PER_PAGE)

    first = await client.parser_runs.parse(file.id)
    second = await client.parser_runs.parse(file.id)
    third = await client.parser_runs.parse(other.id)

    assert first.id != second.id
    assert to_dict(first)["chunks"] == to_dict(second)["chunks"]
    assert to_dict(third)["chunks"] != to_dict(first)["chunks"]  # another file, other draws
    assert [(e.event_type, e.payload) for e in fake.events] == [
        (
            str(WebhookEventType.PARSER_RUN_PROCESSED),
            {"object": "parser_run_status", "id": run.id, "status": "PROCESSED"},
        )
        for run in (first, second, third)
    ]


# -- Parse File Async, Get, Delete, and their lifecycle ---------------------------------------


async def test_an_async_run_shows_its_status_then_the_full_run(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    file = fake.files.add("contract.pdf")

    started = await client.parser_runs.create(file.id, config={"target": "spatial"})
    first = await client.parser_runs.get(started.id)
    second = await client.parser_runs.get(started.id)
    third = await client.parser_runs.get(started.id)

    assert started == ParserRunStatus(id=started.id, status=PROCESSING)
    assert first == started
    assert isinstance(second, ParserRun)
    assert second.status is PROCESSED
    assert second.config.target == "spatial"
    assert third == second
    assert fake.requests["get_parser_run", started.id] == 3
    assert fake.parser_runs.get(started.id) == second  # seen without counting as a GET
    assert fake.requests["get_parser_run", started.id] == 3


async def test_create_and_wait_and_wait_many_through_a_lifecycle(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.parser_runs.set_lifecycle(finish_after=30)
    file = fake.files.add("ledger.pdf", size=2 * BYTES_PER_PAGE)

    run = await client.parser_runs.create_and_wait(file.id, poll=EXACT)
    starts = [await client.parser_runs.create(file.id) for _ in range(12)]
    fake.parser_runs.set_lifecycle(finish_after_polls=3, outcome="FAILED")
    failing = [await client.parser_runs.create(file.id) for _ in range(3)]
    ids = [s.id for s in starts + failing]
    async with client.parser_runs.wait_many(ids, poll=EXACT) as stream:
        finished = {run_id: outcome async for run_id, outcome in stream}

    assert isinstance(run, ParserRun)
    assert run.status is PROCESSED
    assert len(run.chunks) == 2
    assert fake.clock.monotonic() >= 30  # the client's waits moved the shared clock
    assert set(finished) == set(ids)
    for start in starts:
        done = finished[start.id]
        assert isinstance(done, ParserRun)
        assert done.status is PROCESSED
    for start in failing:
        failed = finished[start.id]
        assert isinstance(failed, ParserRun)
        assert (failed.status, failed.failure_reason, failed.chunks) == (
            FAILED,
            "INTERNAL_ERROR",
            [],
        )


async def test_runs_end_on_the_clock_with_nobody_polling_and_announce_it(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.parser_runs.set_lifecycle(finish_after=10)
    file = fake.files.add("memo.pdf")
    fake.parser_runs.refuse(file.id, code="PASSWORD_PROTECTED_FILE")
    good = fake.files.add("letter.pdf")

    refused = await client.parser_runs.create(file.id)
    fine = await client.parser_runs.create(good.id)
    fake.advance(9)
    before = list(fake.events)
    fake.advance(1)

    assert before == []
    assert [(e.event_type, e.payload) for e in fake.events] == [
        (
            str(WebhookEventType.PARSER_RUN_FAILED),
            {
                "object": "parser_run_status",
                "id": refused.id,
                "status": "FAILED",
                "failureReason": "PASSWORD_PROTECTED_FILE",
            },
        ),
        (
            str(WebhookEventType.PARSER_RUN_PROCESSED),
            {"object": "parser_run_status", "id": fine.id, "status": "PROCESSED"},
        ),
    ]
    failed = await client.parser_runs.get(refused.id)
    assert isinstance(failed, ParserRun)
    assert (failed.status, failed.failure_reason) == (FAILED, "PASSWORD_PROTECTED_FILE")
    assert fake.requests["get_parser_run", fine.id] == 0


async def test_a_wait_times_out_on_the_fake_s_clock(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.parser_runs.set_lifecycle(finish_after=120)
    started = await client.parser_runs.create(fake.files.add().id)

    with pytest.raises(WaitTimeoutError) as info:
        await client.parser_runs.wait(started.id, timeout=20, poll=EXACT)

    assert info.value.id == started.id
    assert info.value.last == ParserRunStatus(id=started.id, status=PROCESSING)


async def test_delete_then_404(fake: FakeExtendServer, client: AsyncExtend) -> None:
    started = await client.parser_runs.create(fake.files.add().id)

    deleted = await client.parser_runs.delete(started.id)

    assert deleted == ParserRunDeleted(
        parser_run_id=started.id, message="Parser run data has been successfully deleted."
    )
    with pytest.raises(NotFoundError, match="Parser run not found"):
        await client.parser_runs.get(started.id)
    with pytest.raises(NotFoundError):
        await client.parser_runs.delete(started.id)
    with pytest.raises(KeyError):
        fake.parser_runs.get(started.id)


# -- content behind presigned URLs --------------------------------------------------------------


async def test_the_url_form_and_load_contents(fake: FakeExtendServer, client: AsyncExtend) -> None:
    file = fake.files.add("policy.pdf", size=3 * BYTES_PER_PAGE)

    inline = await client.parser_runs.parse(file.id)
    pointed = await client.parser_runs.parse(file.id, response_type="url")
    loaded = await client.parser_runs.load_contents(pointed)
    started = await client.parser_runs.create(file.id)
    await client.parser_runs.wait(started.id, poll=EXACT)
    got = await client.parser_runs.get(started.id, response_type="url")

    assert len(pointed.chunks) == 3
    for index, chunk in enumerate(pointed.chunks):
        url = yarl.URL(chunk.content)
        assert url.path == f"/presigned/parser_runs/{pointed.id}/chunks/{index}.json"
        assert url.query["X-Amz-Expires"] == str(EXPIRES_AFTER)
        assert chunk.blocks == []
        assert chunk.metadata == inline.chunks[index].metadata  # the rest stays inline
    assert loaded.chunks != pointed.chunks
    assert [c.metadata for c in loaded.chunks] == [c.metadata for c in pointed.chunks]
    assert all(c.blocks and not c.content.startswith("http") for c in loaded.chunks)
    assert isinstance(got, ParserRun)
    assert yarl.URL(got.chunks[0].content).path.startswith(f"/presigned/parser_runs/{got.id}/")
    assert fake.requests["get_parser_run_chunk"] == 3


async def test_presigned_urls_need_no_token_and_expire(
    fake: FakeExtendServer, client: AsyncExtend, http: aiohttp.ClientSession
) -> None:
    file = fake.files.add("deed.pdf", size=2 * BYTES_PER_PAGE)
    pointed = await client.parser_runs.parse(file.id, response_type="url")
    url = yarl.URL(pointed.chunks[0].content)

    async with http.get(url) as bare:  # no Authorization, no version header
        served = await bare.json()
    tampered = url.update_query({"X-Amz-Expires": "99999"})
    async with http.get(tampered) as forged:
        forged_text = await forged.text()
    fake.advance(EXPIRES_AFTER - 1)
    still = await client.parser_runs.load_contents(pointed)
    fake.advance(2)
    with pytest.raises(PermissionDeniedError) as expired:
        await client.parser_runs.load_contents(pointed)
    fresh = await client.parser_runs.get(pointed.id, response_type="url")
    reloaded = await client.parser_runs.load_contents(fresh)  # type: ignore[arg-type]

    assert bare.status == 200
    assert served["object"] == "chunk"
    assert served["blocks"]
    assert forged.status == 403
    assert "SignatureDoesNotMatch" in forged_text
    assert all(chunk.blocks for chunk in still.chunks)
    assert expired.value.status_code == 403
    assert "Request has expired" in str(expired.value)
    assert fake.token not in str(expired.value)
    assert reloaded.chunks == still.chunks


async def test_a_deleted_run_s_urls_are_gone(fake: FakeExtendServer, client: AsyncExtend) -> None:
    pointed = await client.parser_runs.parse(fake.files.add().id, response_type="url")
    await client.parser_runs.delete(pointed.id)

    with pytest.raises(NotFoundError, match="NoSuchKey"):
        await client.parser_runs.load_contents(pointed)


# -- errors -------------------------------------------------------------------------------------


async def test_unknown_or_wrong_fields_and_queries_are_400(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    file = fake.files.add()
    cases = [
        ("/parse", {"file": {"fileId": file.id}, "colour": "red"}, "colour"),
        ("/parse", {"file": {"fileId": file.id}, "config": {"target": 3}}, "target"),
        ("/parse", {"config": {}}, "file"),
        ("/parse", {"file": {}}, "exactly one of fileUrl, fileId"),
        ("/parse?responseType=xml", {"file": {"fileId": file.id}}, "responseType"),
        ("/parse/async?responseType=url", {"file": {"fileId": file.id}}, "responseType"),
        ("/parse/async", {"file": {"fileId": file.id}, "sync": True}, "sync"),
    ]
    for path, body, word in cases:
        async with http.post(f"{fake.url}{path}", json=body, headers=headers) as response:
            answer = await response.json()
        assert response.status == 400, (path, body, answer)
        assert answer["success"] is False
        assert word in answer["error"], (path, answer)


async def test_an_unknown_file_or_run_is_404(fake: FakeExtendServer, client: AsyncExtend) -> None:
    with pytest.raises(NotFoundError, match="File not found"):
        await client.parser_runs.parse("file_missing")
    with pytest.raises(NotFoundError, match="File not found"):
        await client.parser_runs.create("file_missing")
    with pytest.raises(NotFoundError, match="Parser run not found"):
        await client.parser_runs.get("parser_run_missing")


async def test_a_refused_file_is_422_in_the_documented_shape(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    file = fake.files.add("scan.pdf")
    fake.parser_runs.refuse(file.id, code="OCR_ERROR", message="OCR failed on page 1.")
    fake.parser_runs.refuse("https://x.test/locked.pdf", code="PASSWORD_PROTECTED_FILE")

    with pytest.raises(UnprocessableEntityError) as ocr:
        await client.parser_runs.parse(file.id)
    with pytest.raises(UnprocessableEntityError) as locked:
        await client.parser_runs.parse("https://x.test/locked.pdf")
    with pytest.raises(UnprocessableEntityError) as config:
        await client.parser_runs.parse(
            file.id, config={"target": "spatial", "chunkingStrategy": {"type": "section"}}
        )
    with pytest.raises(BadRequestError, match="section chunking"):
        await client.parser_runs.create(
            file.id, config={"target": "spatial", "chunkingStrategy": {"type": "section"}}
        )

    assert (ocr.value.code, ocr.value.retryable, ocr.value.message) == (
        "OCR_ERROR",
        True,
        "OCR failed on page 1.",
    )
    assert ocr.value.request_id is not None
    assert ocr.value.request_id.startswith("req_")
    assert ocr.value.body == {
        "code": "OCR_ERROR",
        "message": "OCR failed on page 1.",
        "retryable": True,
        "requestId": ocr.value.request_id,
    }
    assert (locked.value.code, locked.value.retryable) == ("PASSWORD_PROTECTED_FILE", False)
    assert config.value.code == "INVALID_CONFIG_OPTIONS"
    assert fake.requests["parse_file"] == 3  # a POST is never sent again
    assert fake.events == []  # nothing was parsed


async def test_running_out_of_credits_is_402(fake: FakeExtendServer, client: AsyncExtend) -> None:
    fake.parser_runs.credits = 4
    file = fake.files.add("two-pages.pdf", size=2 * BYTES_PER_PAGE)

    await client.parser_runs.parse(file.id)
    await client.parser_runs.parse(file.id, config={"engine": "parse_light"})  # 1 credit
    left = fake.parser_runs.credits
    with pytest.raises(PaymentRequiredError) as info:
        await client.parser_runs.parse(file.id)
    with pytest.raises(PaymentRequiredError):
        await client.parser_runs.create(file.id)
    fake.parser_runs.credits = None
    run = await client.parser_runs.parse(file.id)

    assert left == 1
    assert info.value.status_code == 402
    assert info.value.code == "USAGE_BLOCKED"
    assert info.value.request_id is not None
    assert "needs 2, 1 left" in str(info.value)
    assert run.status is PROCESSED
    with pytest.raises(ValueError, match="credits must be a number >= 0 or None"):
        fake.parser_runs.credits = -1


def test_settings_refuse_bad_values(fake: FakeExtendServer) -> None:
    with pytest.raises(ValueError, match="outcome must be"):
        fake.parser_runs.set_lifecycle(outcome="CANCELLED")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finish_after must be seconds"):
        fake.parser_runs.set_lifecycle(finish_after=-1)
    with pytest.raises(ValueError, match="file must be a file id or a URL"):
        fake.parser_runs.refuse("")


# -- the blocking client ------------------------------------------------------------------------


def test_the_blocking_client_over_a_threaded_fake() -> None:
    with FakeExtendServer.in_thread(seed=3) as fake, fake.sync_client() as client:
        fake.parser_runs.set_lifecycle(finish_after_polls=2)
        file = fake.files.add("report.pdf", size=2 * BYTES_PER_PAGE)
        runs = client.parser_runs

        parsed = runs.parse(file.id, response_type="url")
        loaded = runs.load_contents(parsed)
        started = runs.create(file.id)
        waited = runs.wait(started.id, poll=EXACT)
        done = runs.create_and_wait(file.id, poll=EXACT)
        many = list(runs.wait_many([started.id, done.id], poll=EXACT))
        deleted = runs.delete(started.id)
        with pytest.raises(NotFoundError):
            runs.get(started.id)

    assert all(chunk.blocks for chunk in loaded.chunks)
    assert isinstance(waited, ParserRun)
    assert waited.status is PROCESSED
    assert attrs.evolve(done, id=waited.id) != done  # a run of its own
    assert {run_id for run_id, _ in many} == {started.id, done.id}
    assert deleted.parser_run_id == started.id
