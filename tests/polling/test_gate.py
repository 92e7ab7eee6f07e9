"""The client-wide gate under concurrent load: slot, then cooldown and pace."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from polling._support import VirtualClock

from extend_async._limits import Gate


async def test_requests_queued_behind_the_cap_keep_the_pace() -> None:
    clock = VirtualClock()
    gate = Gate(max_concurrency=2, max_requests_per_second=10, clock=clock)
    sent: list[float] = []

    async def request() -> None:
        await gate.acquire()
        sent.append(clock.monotonic())
        await clock.sleep(2.0 - clock.monotonic() % 2.0)  # answers come in pairs, at t=2, 4
        gate.release()

    await asyncio.gather(*(request() for _ in range(6)))

    # Both slots free up at once; the pace is taken only with a slot, so the four
    # requests queued meanwhile do not all go out then.
    assert sent == pytest.approx([0.0, 0.1, 2.0, 2.1, 4.0, 4.1])
    assert all(b - a >= 0.1 - 1e-9 for a, b in itertools.pairwise(sent))


async def test_a_429_while_waiting_for_the_pace_waits_the_cooldown_too() -> None:
    clock = VirtualClock()
    gate = Gate(max_concurrency=4, max_requests_per_second=1, clock=clock)
    await gate.acquire()  # t=0; the next turn is at t=1
    gate.release()

    async def refused_meanwhile() -> None:
        await clock.sleep(0.5)
        gate.cool_down(5.0)

    async def second() -> float:
        await gate.acquire()
        gate.release()
        return clock.monotonic()

    _, sent_at = await asyncio.gather(refused_meanwhile(), second())

    assert sent_at == 5.5  # not at its turn (t=1): after the cooldown


async def test_cancelled_while_waiting_gives_its_slot_back() -> None:
    clock = VirtualClock()
    gate = Gate(max_concurrency=1, max_requests_per_second=None, clock=clock)
    gate.cool_down(10.0)
    waiting = asyncio.ensure_future(gate.acquire())
    await asyncio.sleep(0)  # it holds the only slot, sleeping out the cooldown

    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting

    assert gate.in_flight == 0
    await gate.acquire()  # the slot is free again (after the cooldown)
    assert clock.monotonic() == 10.0
    assert gate.in_flight == 1
    gate.release()


async def test_a_freed_slot_goes_to_the_longest_waiter() -> None:
    gate = Gate(max_concurrency=1, max_requests_per_second=None, clock=VirtualClock())
    assert gate.try_enter()
    order: list[str] = []

    async def wait(name: str) -> None:
        await gate.acquire()
        order.append(name)

    first = asyncio.ensure_future(wait("first"))
    second = asyncio.ensure_future(wait("second"))
    await asyncio.sleep(0)
    assert not gate.try_enter()  # no barging past the queue, even once a slot frees

    gate.release()
    assert not gate.try_enter()  # the slot went to "first", not back to the pool
    await first
    gate.release()
    await second

    assert order == ["first", "second"]
    assert gate.in_flight == 1
    gate.release()
    assert gate.try_enter()


async def test_a_waiter_cancelled_just_after_being_handed_a_slot_passes_it_on() -> None:
    gate = Gate(max_concurrency=1, max_requests_per_second=None, clock=VirtualClock())
    assert gate.try_enter()
    handed = asyncio.ensure_future(gate.acquire())
    after = asyncio.ensure_future(gate.acquire())
    await asyncio.sleep(0)

    gate.release()  # the slot is handed to ``handed``...
    handed.cancel()  # ...which is cancelled before it could run
    with pytest.raises(asyncio.CancelledError):
        await handed
    await asyncio.wait_for(after, timeout=5)  # fails, never hangs, if the slot was lost

    assert gate.in_flight == 1
    gate.release()
    assert gate.in_flight == 0
    assert gate.try_enter()


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    gate = Gate(max_concurrency=1, max_requests_per_second=None, clock=VirtualClock())
    assert gate.try_enter()
    cancelled = asyncio.ensure_future(gate.acquire())
    await asyncio.sleep(0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled

    gate.release()

    assert gate.in_flight == 0
    assert gate.try_enter()  # the slot came back to the pool, not to the gone waiter


async def test_try_enter_declines_while_pacing_or_after_a_429() -> None:
    paced = Gate(max_concurrency=4, max_requests_per_second=10, clock=VirtualClock())
    cooled = Gate(max_concurrency=4, max_requests_per_second=None, clock=VirtualClock())
    cooled.cool_down(1.0)

    assert not paced.try_enter()
    assert not cooled.try_enter()
    assert (paced.in_flight, cooled.in_flight) == (0, 0)
