"""The fake under load: thousands of concurrent GETs, every one answered."""

from __future__ import annotations

import asyncio

from extend_async.testing import FakeExtendServer

CONCURRENT = 2_000


async def test_two_thousand_concurrent_gets(fake: FakeExtendServer) -> None:
    runs = fake.seed_batch_runs(100)
    ids = [runs[i % len(runs)].id for i in range(CONCURRENT)]

    async with fake.client(max_concurrency=CONCURRENT, max_retries=0) as client:
        fetched = await asyncio.gather(*(client.batch_processor_runs.get(i) for i in ids))

    assert [run.id for run in fetched] == ids
    assert fake.requests["get_batch_processor_run"] == CONCURRENT
    assert {record.status for record in fake.request_log} == {200}
