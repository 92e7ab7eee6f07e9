"""The client-wide gate: in-flight cap, pacing and the shared 429 cooldown."""

from __future__ import annotations

import asyncio

import pytest
from aioresponses import CallbackResult

from extend_async import RateLimitError
from extend_async._limits import Gate
from extend_async.testing import ManualClock

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"


class Recorder:
    """An aioresponses callback noting when each request was sent and how many overlap."""

    def __init__(self, clock, *, hold: bool = False) -> None:
        self.clock = clock
        self.times: list[float] = []
        self.active = 0
        self.peak = 0
        self.release = asyncio.Event()
        if not hold:
            self.release.set()
        self.results: list[CallbackResult] = []

    async def respond(self, url, **kwargs) -> CallbackResult | None:
        self.times.append(self.clock.monotonic())
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            await self.release.wait()
        finally:
            self.active -= 1
        return self.results.pop(0) if self.results else None


async def settle() -> None:
    """Let every runnable task go as far as it can (a scheduling yield, no waiting)."""
    for _ in range(50):
        await asyncio.sleep(0)


async def test_the_in_flight_cap_is_respected(
    make_client, mocked, run_url, run_body, clock
) -> None:
    recorder = Recorder(clock, hold=True)
    mocked.get(run_url(), payload=run_body, callback=recorder.respond, repeat=True)

    async with make_client(max_concurrency=2) as client:
        gate = client._pipeline.gate
        tasks = [asyncio.create_task(client.batch_processor_runs.get(RUN_ID)) for _ in range(10)]
        await settle()
        assert (recorder.active, len(recorder.times), gate.in_flight) == (2, 2, 2)

        recorder.release.set()
        runs = await asyncio.gather(*tasks)

        assert gate.in_flight == 0
    assert recorder.peak == 2
    assert len(recorder.times) == 10
    assert {run.id for run in runs} == {RUN_ID}


async def test_a_cancelled_call_gives_its_slot_back(
    make_client, mocked, run_url, run_body, clock
) -> None:
    recorder = Recorder(clock, hold=True)
    mocked.get(run_url(), payload=run_body, callback=recorder.respond, repeat=True)

    async with make_client(max_concurrency=1) as client:
        gate = client._pipeline.gate
        held = asyncio.create_task(client.batch_processor_runs.get(RUN_ID))
        queued = asyncio.create_task(client.batch_processor_runs.get(RUN_ID))
        await settle()
        assert (len(recorder.times), gate.in_flight) == (1, 1)

        held.cancel()
        await settle()
        assert len(recorder.times) == 2
        recorder.release.set()
        await queued

        assert held.cancelled()
        assert gate.in_flight == 0


async def test_pacing_spaces_sequential_requests_exactly(
    make_client, mocked, run_url, run_body, clock
) -> None:
    recorder = Recorder(clock)
    mocked.get(run_url(), payload=run_body, callback=recorder.respond, repeat=True)

    async with make_client(max_requests_per_second=2) as client:
        for _ in range(4):
            await client.batch_processor_runs.get(RUN_ID)
        clock.advance(10.0)  # idle time earns no burst
        for _ in range(2):
            await client.batch_processor_runs.get(RUN_ID)

    assert recorder.times == [0.0, 0.5, 1.0, 1.5, 11.5, 12.0]
    assert clock.sleeps == [0.5, 0.5, 0.5, 0.5]


async def test_pacing_spaces_concurrent_requests(
    make_client, mocked, run_url, run_body, clock
) -> None:
    recorder = Recorder(clock)
    mocked.get(run_url(), payload=run_body, callback=recorder.respond, repeat=True)

    async with make_client(max_requests_per_second=4) as client:
        await asyncio.gather(*(client.batch_processor_runs.get(RUN_ID) for _ in range(5)))

    assert clock.sleeps == [0.25, 0.25, 0.25, 0.25]
    assert clock.monotonic() == 1.0
    assert len(recorder.times) == 5
    assert recorder.times[0] == 0.0


async def test_no_pacing_means_no_waiting(make_client, mocked, run_url, run_body, clock) -> None:
    recorder = Recorder(clock)
    mocked.get(run_url(), payload=run_body, callback=recorder.respond, repeat=True)

    async with make_client() as client:
        await asyncio.gather(*(client.batch_processor_runs.get(RUN_ID) for _ in range(20)))

    assert clock.sleeps == []
    assert recorder.times == [0.0] * 20


async def test_a_cooldown_pauses_every_new_request(
    make_client, mocked, run_url, run_body, clock
) -> None:
    recorder = Recorder(clock)
    mocked.get(run_url(), payload=run_body, callback=recorder.respond, repeat=True)

    async with make_client() as client:
        client._pipeline.gate.cool_down(3.0)
        await asyncio.gather(*(client.batch_processor_runs.get(RUN_ID) for _ in range(3)))

    assert recorder.times == [3.0, 3.0, 3.0]
    assert clock.sleeps == [3.0]


async def test_a_429_holds_back_the_next_call_of_the_client(
    make_client, mocked, run_url, run_body, clock, fetch_error
) -> None:
    recorder = Recorder(clock)
    recorder.results.append(CallbackResult(status=429, headers={"Retry-After": "3"}))
    mocked.get(run_url(), payload=run_body, callback=recorder.respond, repeat=True)

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)
        sibling = client.with_options(max_retries=3)
        await sibling.batch_processor_runs.get(RUN_ID)

    assert isinstance(error, RateLimitError)
    assert recorder.times == [0.0, 3.0]
    assert clock.sleeps == [3.0]


async def test_a_429_stops_requests_already_queued(
    make_client, mocked, run_url, run_body, clock
) -> None:
    recorder = Recorder(clock, hold=True)
    recorder.results.append(CallbackResult(status=429, headers={"Retry-After": "2"}))
    mocked.get(run_url(), payload=run_body, callback=recorder.respond, repeat=True)

    async with make_client(max_concurrency=1, max_retries=0) as client:
        first = asyncio.create_task(client.batch_processor_runs.get(RUN_ID))
        queued = asyncio.create_task(client.batch_processor_runs.get(RUN_ID))
        await settle()
        assert recorder.times == [0.0]

        recorder.release.set()
        with pytest.raises(RateLimitError):
            await first
        run = await queued

    assert run.id == RUN_ID
    assert recorder.times == [0.0, 2.0]
    assert clock.sleeps == [2.0]


def test_a_shorter_cooldown_never_shortens_a_longer_one(clock) -> None:
    gate = Gate(4, None, clock)

    gate.cool_down(5.0)
    gate.cool_down(1.0)
    assert gate.cooling_down_for == 5.0

    clock.advance(2.0)
    gate.cool_down(4.0)
    assert gate.cooling_down_for == 4.0

    clock.advance(10.0)
    assert gate.cooling_down_for == 0.0


class HeldClock(ManualClock):
    """A manual clock whose sleeps end only when the test says ``go``."""

    def __init__(self) -> None:
        super().__init__()
        self.go = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await self.go.wait()
        self.go.clear()
        self.advance(seconds)

    async def step(self) -> None:
        self.go.set()
        await settle()


async def test_a_cooldown_that_starts_during_the_pace_wait_is_waited_out() -> None:
    clock = HeldClock()
    gate = Gate(2, 1.0, clock)
    await gate.acquire()
    paced = asyncio.create_task(gate.acquire())
    await settle()
    assert clock.sleeps == [1.0]

    gate.cool_down(5.0)  # a 429 answered while ``paced`` waited for its turn
    await clock.step()
    assert not paced.done()
    await clock.step()

    assert paced.done()
    assert clock.sleeps == [1.0, 4.0]
    assert clock.monotonic() == 5.0
    assert gate.in_flight == 2


async def test_a_call_cancelled_while_waiting_leaves_no_slot_taken() -> None:
    clock = HeldClock()
    gate = Gate(1, None, clock)
    gate.cool_down(5.0)
    waiting = asyncio.create_task(gate.acquire())
    await settle()

    waiting.cancel()
    await settle()
    clock.advance(5.0)
    after = asyncio.create_task(gate.acquire())
    await settle()

    assert waiting.cancelled()
    assert after.done()
    assert gate.in_flight == 1
    gate.release()
    assert gate.in_flight == 0
