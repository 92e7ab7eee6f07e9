"""Runs move PENDING -> PROCESSING -> PROCESSED/FAILED on the clock or per poll."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from extend_async import AsyncExtend, SystemClock
from extend_async.testing import FakeExtendServer, ManualClock

START = datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc)


async def statuses(client: AsyncExtend, run_id: str, polls: int) -> list[str]:
    return [str((await client.batch_processor_runs.get(run_id)).status) for _ in range(polls)]


async def test_the_clock_drives_a_run_to_failure() -> None:
    async with FakeExtendServer(start_time=START) as fake, fake.client() as client:
        run = fake.add_batch_run(processing_after=1.0, finish_after=5.0, outcome="FAILED")
        seen = []
        for step in (0.0, 0.5, 0.5, 3.0, 1.0, 10.0):
            fake.advance(step)
            fetched = await client.batch_processor_runs.get(run.id)
            seen.append((str(fetched.status), fetched.updated_at - START))

    assert seen == [
        ("PENDING", run.created_at - START),
        ("PENDING", run.created_at - START),
        ("PROCESSING", timedelta(seconds=1)),
        ("PROCESSING", timedelta(seconds=1)),
        ("FAILED", timedelta(seconds=5)),
        ("FAILED", timedelta(seconds=5)),
    ]


async def test_a_jump_past_both_steps_lands_on_the_outcome() -> None:
    async with FakeExtendServer(start_time=START) as fake, fake.client() as client:
        run = fake.add_batch_run(processing_after=1.0, finish_after=5.0)
        fake.advance(60)
        fetched = await client.batch_processor_runs.get(run.id)

    assert fetched.status == "PROCESSED"
    assert fetched.updated_at == START + timedelta(seconds=5)


async def test_schedules_count_from_when_the_run_was_added() -> None:
    async with FakeExtendServer(start_time=START) as fake, fake.client() as client:
        fake.advance(100)
        run = fake.add_batch_run(finish_after=10)
        fake.advance(9)
        before = await client.batch_processor_runs.get(run.id)
        fake.advance(1)
        after = await client.batch_processor_runs.get(run.id)

    assert (before.status, after.status) == ("PROCESSING", "PROCESSED")
    assert after.updated_at == START + timedelta(seconds=110)


async def test_a_run_finishes_on_the_nth_poll(fake: FakeExtendServer, client: AsyncExtend) -> None:
    run = fake.add_batch_run(finish_after_polls=3)

    assert run.status == "PROCESSING"
    assert await statuses(client, run.id, 5) == [
        "PROCESSING",
        "PROCESSING",
        "PROCESSED",
        "PROCESSED",
        "PROCESSED",
    ]


async def test_a_pending_run_can_end_by_polls(fake: FakeExtendServer, client: AsyncExtend) -> None:
    run = fake.add_batch_run(processing_after=2.0, finish_after_polls=3, outcome="FAILED")

    first = await statuses(client, run.id, 1)
    fake.advance(2)
    assert first + await statuses(client, run.id, 2) == ["PENDING", "PROCESSING", "FAILED"]


async def test_the_earlier_end_wins(fake: FakeExtendServer, client: AsyncExtend) -> None:
    by_clock = fake.add_batch_run(finish_after=1.0, finish_after_polls=10)
    by_polls = fake.add_batch_run(finish_after=100.0, finish_after_polls=1)
    fake.advance(1)

    assert await statuses(client, by_clock.id, 1) == ["PROCESSED"]
    assert await statuses(client, by_polls.id, 1) == ["PROCESSED"]
    assert fake.get_batch_run(by_polls.id).updated_at == fake.get_batch_run(by_clock.id).updated_at


async def test_only_gets_of_that_run_count_as_polls(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run(finish_after_polls=2)
    other = fake.add_batch_run()
    await client.batch_processor_runs.get(other.id)
    await client.batch_processor_runs.get(other.id)

    assert fake.get_batch_run(run.id).status == "PROCESSING"  # inspecting is not polling
    assert fake.get_batch_run(run.id).status == "PROCESSING"
    assert await statuses(client, run.id, 2) == ["PROCESSING", "PROCESSED"]


async def test_a_run_without_schedule_stays_put(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run(status="PROCESSING")
    fake.advance(3600)

    assert await statuses(client, run.id, 3) == ["PROCESSING"] * 3
    assert fake.get_batch_run(run.id) == run


async def test_the_client_sees_the_cached_body_refreshed_after_a_change(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run(finish_after=1)
    await client.batch_processor_runs.get(run.id)
    fake.advance(1)

    assert (await client.batch_processor_runs.get(run.id)).status == "PROCESSED"
    fake.update_batch_run(run.id, processor_name="After")
    assert (await client.batch_processor_runs.get(run.id)).processor_name == "After"


def test_fake_clock_is_a_manual_clock_by_default() -> None:
    fake = FakeExtendServer()

    assert isinstance(fake.clock, ManualClock)
    fake.clock.advance(2.5)
    assert fake.clock.monotonic() == 2.5


def test_advance_needs_a_manual_clock() -> None:
    with pytest.raises(TypeError, match="ManualClock"):
        FakeExtendServer(clock=SystemClock()).advance(1)
