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
