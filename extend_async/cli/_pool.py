"""A fixed pool of workers over numbered items: what the commands that make many calls
(the demo's creates, ``files upload``) run them through, never one task per item."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator

__all__ = ["run_pool"]


async def run_pool(work: Callable[[int], Awaitable[None]], n: int, workers: int) -> None:
    """``work(0)`` to ``work(n - 1)`` by ``workers`` tasks (at most ``n``), each taking
    the next index when it is free. The first error stops the others and is raised."""
    indexes: Iterator[int] = iter(range(n))

    async def worker() -> None:
        for index in indexes:
            await work(index)

    tasks = [asyncio.ensure_future(worker()) for _ in range(min(workers, n))]
    if not tasks:
        return
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in tasks:
        error = None if task.cancelled() else task.exception()
        if error is not None:
            raise error
