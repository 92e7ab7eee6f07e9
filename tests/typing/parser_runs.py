"""Type-checked, never run: parser runs as users write them (``mypy --strict``)."""

from __future__ import annotations

from typing_extensions import assert_type

from extend_async import APIResponse, AsyncExtend, Extend, PollPolicy, SyncIterator, WaitStream
from extend_async.models import (
    FileInput,
    ParseConfig,
    ParseResponseType,
    ParserRun,
    ParserRunDeleted,
    ParserRunResult,
    ParserRunStatus,
    ParseTarget,
)
from extend_async.testing import FakeExtendServer


async def async_usage(client: AsyncExtend) -> None:
    runs = client.parser_runs
    run = await runs.parse("https://x/a.pdf", config=ParseConfig(target=ParseTarget.SPATIAL))
    assert_type(run, ParserRun)
    assert_type(await runs.parse(FileInput(file_id="file_1"), response_type="url"), ParserRun)
    assert_type(
        await runs.parse.raw("file_1", config={"target": "markdown"}), APIResponse[ParserRun]
    )
    assert_type(await runs.create("file_1"), ParserRunStatus)
    assert_type(await runs.create_and_wait("file_1", timeout=60, poll=PollPolicy()), ParserRun)
    got = await runs.get("parser_run_1", response_type=ParseResponseType.URL)
    assert_type(got, ParserRunResult)
    if isinstance(got, ParserRun):
        assert_type(await runs.load_contents(got), ParserRun)
    assert_type(await runs.delete("parser_run_1"), ParserRunDeleted)
    assert_type(await runs.wait("parser_run_1"), ParserRunResult)
    assert_type(
        runs.wait_many(["parser_run_1"]), WaitStream[tuple[str, ParserRunResult | BaseException]]
    )
    assert_type(await runs.get_many(["parser_run_1"]), list[ParserRunResult])


def sync_usage(client: Extend) -> None:
    runs = client.parser_runs
    run = runs.parse("file_1")
    assert_type(run, ParserRun)
    assert_type(runs.load_contents(run), ParserRun)
    assert_type(runs.create("file_1", config={"target": "spatial"}), ParserRunStatus)
    assert_type(runs.create_and_wait("file_1"), ParserRun)
    assert_type(runs.get("parser_run_1"), ParserRunResult)
    assert_type(runs.delete("parser_run_1"), ParserRunDeleted)
    assert_type(
        runs.wait_many(["parser_run_1"]), SyncIterator[tuple[str, ParserRunResult | BaseException]]
    )


def fake_usage(fake: FakeExtendServer) -> None:
    assert_type(fake.parser_runs.get("parser_run_1"), ParserRunResult)
    fake.parser_runs.set_lifecycle(finish_after=5, outcome="FAILED")
    fake.parser_runs.refuse("file_1", code="OCR_ERROR")
    fake.parser_runs.credits = 10
    fake.parser_runs.advance_all()


def wrong_usage(client: Extend, fake: FakeExtendServer, status: ParserRunStatus) -> None:
    client.parser_runs.parse(3)  # type: ignore[arg-type]
    client.parser_runs.parse("file_1", response_type=1)  # type: ignore[arg-type]
    client.parser_runs.create("file_1", response_type="url")  # type: ignore[call-arg]
    client.parser_runs.load_contents(status)  # type: ignore[arg-type]
    fake.parser_runs.set_lifecycle(outcome="CANCELLED")  # type: ignore[arg-type]
