"""Type-checked, never run: processor runs as users write them (``mypy --strict``)."""

from __future__ import annotations

from typing_extensions import assert_type

from extend_async import (
    APIResponse,
    AsyncExtend,
    Extend,
    PollPolicy,
    SyncIterator,
    WaitStream,
)
from extend_async.models import (
    ExtractionConfig,
    FileInput,
    Page,
    ProcessorRun,
    ProcessorRunDeleted,
    ProcessorRunStatus,
    ProcessorRunSummary,
)
from extend_async.pagination import AsyncPager
from extend_async.testing import FakeExtendServer


async def async_usage(client: AsyncExtend) -> None:
    runs = client.processor_runs
    run = await runs.create("dp_1", file="https://x/a.pdf", metadata={"k": 1}, priority=10)
    assert_type(run, ProcessorRun)
    assert_type(run.status, ProcessorRunStatus)
    assert_type(
        await runs.create("dp_1", file=FileInput(file_id="file_1"), sync=True), ProcessorRun
    )
    assert_type(
        await runs.create("dp_1", raw_text="x", config=ExtractionConfig(schema={})), ProcessorRun
    )
    assert_type(await runs.create.raw("dp_1", raw_text="x"), APIResponse[ProcessorRun])
    done = await runs.create_and_wait("dp_1", raw_text="x", timeout=60, poll=PollPolicy())
    assert_type(done, ProcessorRun)
    assert_type(await runs.get("dpr_1"), ProcessorRun)
    assert_type(await runs.cancel("dpr_1"), ProcessorRun)
    assert_type(await runs.delete("dpr_1"), ProcessorRunDeleted)
    pager = runs.list(status=ProcessorRunStatus.PROCESSED, processor_type="EXTRACT", page_size=5)
    assert_type(pager, AsyncPager[ProcessorRunSummary])
    assert_type(await pager, Page[ProcessorRunSummary])
    async for summary in pager:
        assert_type(summary, ProcessorRunSummary)
    assert_type(await runs.wait("dpr_1"), ProcessorRun)
    assert_type(runs.wait_many(["dpr_1"]), WaitStream[tuple[str, ProcessorRun | BaseException]])
    assert_type(await runs.wait_all(["dpr_1"], return_exceptions=False), dict[str, ProcessorRun])


def sync_usage(client: Extend) -> None:
    runs = client.processor_runs
    assert_type(runs.create("dp_1", raw_text="x", version="draft"), ProcessorRun)
    assert_type(runs.create_and_wait("dp_1", file="file_1", sync=True), ProcessorRun)
    assert_type(runs.get("dpr_1"), ProcessorRun)
    assert_type(runs.delete("dpr_1"), ProcessorRunDeleted)
    for summary in runs.list(source="API"):
        assert_type(summary, ProcessorRunSummary)
    assert_type(runs.list().first_page(), Page[ProcessorRunSummary])
    assert_type(runs.wait_many(["dpr_1"]), SyncIterator[tuple[str, ProcessorRun | BaseException]])
    assert_type(runs.get_many(["dpr_1"]), list[ProcessorRun])


def fake_usage(fake: FakeExtendServer) -> None:
    processor = fake.processors.add(type="CLASSIFY")
    seeded = fake.processor_runs.add(processor_id=processor.id, finish_after_polls=2)
    assert_type(seeded, ProcessorRun)
    assert_type(fake.processor_runs.get(seeded.id), ProcessorRun)
    fake.processor_runs.set_lifecycle(finish_after=5, outcome="FAILED")
    fake.processor_runs.set_lifecycle(
        processing_after=(0, 1), finish_after=(1.5, 12), outcome={"PROCESSED": 9, "FAILED": 1}
    )
    weights = {"PROCESSED": 0.9, "FAILED": 0.1}
    fake.processor_runs.set_lifecycle(finish_after_polls=(1, 3), outcome=weights)
    assert_type(fake.processor_runs.lifecycle.finish_after, tuple[float, float] | None)
    fake.processor_runs.sync_wait = 0


def wrong_usage(client: Extend, fake: FakeExtendServer) -> None:
    client.processor_runs.create("dp_1", raw_text=1)  # type: ignore[arg-type]
    client.processor_runs.create("dp_1", priority="high")  # type: ignore[arg-type]
    client.processor_runs.create_and_wait("dp_1", raw_text="x", timout=3)  # type: ignore[call-arg]
    client.processor_runs.list(status=["PROCESSED"])  # type: ignore[arg-type]
    fake.processor_runs.add(processor_id="dp_1", outcome="CANCELLED")  # type: ignore[arg-type]
    fake.processor_runs.set_lifecycle(finish_after="5")  # type: ignore[arg-type]
    fake.processor_runs.set_lifecycle(finish_after_polls=(1.0, 2.0))  # type: ignore[arg-type]
    fake.processor_runs.set_lifecycle(outcome={"FAILED": "often"})  # type: ignore[dict-item]
