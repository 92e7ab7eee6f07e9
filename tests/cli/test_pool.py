"""The commands' worker pool: every item once, never more workers than asked, and the
first error stops the rest."""

from __future__ import annotations

import asyncio

import pytest

from extend_async.cli._pool import run_pool


async def test_every_item_is_worked_once_by_at_most_the_workers_asked() -> None:
    seen: list[int] = []
    busy = most = 0

    async def work(index: int) -> None:
        nonlocal busy, most
        busy += 1
        most = max(most, busy)
        await asyncio.sleep(0)  # let the other workers take their turn
        seen.append(index)
        busy -= 1

    await run_pool(work, 10, 3)

    assert sorted(seen) == list(range(10))
    assert most == 3


async def test_the_first_error_stops_the_others_and_is_raised() -> None:
    started: list[int] = []

    async def work(index: int) -> None:
        started.append(index)
        if index == 2:
            raise ValueError("item 2")
        await asyncio.sleep(0)

    with pytest.raises(ValueError, match="item 2"):
        await run_pool(work, 100, 2)

    assert len(started) < 100


async def test_no_items_means_no_work() -> None:
    async def work(index: int) -> None:
        raise AssertionError("not called")

    await run_pool(work, 0, 4)
