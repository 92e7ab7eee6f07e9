"""Lifecycles that vary from run to run: ``set_lifecycle`` with ``(low, high)`` ranges
and weighted outcomes, each new run drawing its own schedule from the seeded generator.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from extend_async import AsyncExtend
from extend_async.models import WorkflowRun
from extend_async.testing import FakeExtendServer


async def create_runs(fake: FakeExtendServer, client: AsyncExtend, n: int) -> list[str]:
    """``n`` processor runs created one after another (so in a known order)."""
    processor = fake.processors.add()
    return [
        (await client.processor_runs.create(processor.id, raw_text=f"doc {index}")).id
        for index in range(n)
    ]


async def finished_after(fake: FakeExtendServer, ids: list[str]) -> list[tuple[str, float]]:
    """Each run's outcome and when it ended (seconds after it was created), from the list."""
    async with fake.client() as client:
        summaries = {run.id: run async for run in client.processor_runs.list()}
    return [
        (
            str(summaries[run_id].status),
            (summaries[run_id].updated_at - summaries[run_id].created_at).total_seconds(),
        )
        for run_id in ids
    ]


async def test_each_run_draws_its_own_time_within_the_range(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.processor_runs.set_lifecycle(finish_after=(2.0, 10.0))
    ids = await create_runs(fake, client, 40)

    fake.advance(1.99)
    before_the_range = Counter(str(fake.processor_runs.get(run_id).status) for run_id in ids)
    fake.advance(4.01)  # t = 6
    halfway = Counter(str(fake.processor_runs.get(run_id).status) for run_id in ids)
    fake.advance(4.0)  # t = 10
    ended = await finished_after(fake, ids)

    assert before_the_range == {"PROCESSING": 40}
    assert halfway.keys() == {"PROCESSING", "PROCESSED"}
    assert {status for status, _ in ended} == {"PROCESSED"}
    times = [at for _, at in ended]
    assert all(2.0 <= at <= 10.0 for at in times)
    assert len(set(times)) == 40  # drawn for each run, not one for all
    assert fake.processor_runs.lifecycle.finish_after == (2.0, 10.0)


async def test_outcomes_follow_their_weights(fake: FakeExtendServer, client: AsyncExtend) -> None:
    fake.processor_runs.set_lifecycle(finish_after_polls=1, outcome={"PROCESSED": 3, "FAILED": 1})
    ids = await create_runs(fake, client, 200)

    outcomes = Counter([str((await client.processor_runs.get(run_id)).status) for run_id in ids])

    assert outcomes.keys() == {"PROCESSED", "FAILED"}
    assert 30 <= outcomes["FAILED"] <= 70  # about a quarter of 200
    failed = [run_id for run_id in ids if fake.processor_runs.get(run_id).status == "FAILED"]
    assert len(failed) == outcomes["FAILED"]
    assert all(fake.processor_runs.get(run_id).failure_reason for run_id in failed)


@pytest.mark.parametrize(
    ("outcome", "seen"),
    [
        ({"PROCESSED": 0, "FAILED": 1}, {"FAILED"}),
        ({"PROCESSED": 1.0, "FAILED": 0.0}, {"PROCESSED"}),
    ],
)
async def test_a_weight_of_zero_never_comes_up(
    fake: FakeExtendServer, client: AsyncExtend, outcome: dict[str, float], seen: set[str]
) -> None:
    fake.processor_runs.set_lifecycle(finish_after_polls=1, outcome=outcome)
    ids = await create_runs(fake, client, 30)

    statuses = {str((await client.processor_runs.get(run_id)).status) for run_id in ids}

    assert statuses == seen


async def test_a_range_of_polls_ends_each_run_on_one_of_them(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.processor_runs.set_lifecycle(finish_after_polls=(1, 3))
    ids = await create_runs(fake, client, 30)

    ended_on = []
    for run_id in ids:
        for poll in (1, 2, 3):
            if (await client.processor_runs.get(run_id)).status == "PROCESSED":
                ended_on.append(poll)
                break

    assert len(ended_on) == 30  # every run by its third GET
    assert set(ended_on) == {1, 2, 3}


async def seeded_story(seed: int, *, reverse: bool) -> tuple[list[str], list[Any]]:
    """Runs created in order on a fake seeded ``seed``, polled in order or in reverse,
    then the ids and each run's outcome, time and output, by creation."""
    async with FakeExtendServer(seed=seed) as fake, fake.client() as client:
        fake.processor_runs.set_lifecycle(
            finish_after=(1.0, 5.0), outcome={"PROCESSED": 0.7, "FAILED": 0.3}
        )
        ids = await create_runs(fake, client, 30)
        for _ in range(6):
            fake.advance(1.0)
            for run_id in reversed(ids) if reverse else ids:
                await client.processor_runs.get(run_id)
        ended = await finished_after(fake, ids)
        outputs = [fake.processor_runs.get(run_id).output for run_id in ids]
    return ids, list(zip(ended, outputs, strict=True))


async def test_the_same_seed_gives_the_same_runs_whatever_the_order_of_polls() -> None:
    ids, runs = await seeded_story(5, reverse=False)
    same_ids, same_runs = await seeded_story(5, reverse=True)
    _, other_runs = await seeded_story(6, reverse=False)

    assert (same_ids, same_runs) == (ids, runs)
    assert {outcome for (outcome, _), _ in runs} == {"PROCESSED", "FAILED"}
    assert [ended for ended, _ in other_runs] != [ended for ended, _ in runs]


async def test_drawing_lifecycles_shifts_no_id_or_output() -> None:
    async def story(ranges: bool) -> list[tuple[str, Any]]:
        async with FakeExtendServer(seed=2) as fake, fake.client() as client:
            if ranges:
                fake.processor_runs.set_lifecycle(
                    finish_after=(0.5, 3), outcome={"PROCESSED": 1, "FAILED": 0}
                )
            else:
                fake.processor_runs.set_lifecycle(finish_after=3)
            ids = await create_runs(fake, client, 10)
            fake.advance(3)
            return [(run_id, fake.processor_runs.get(run_id).output) for run_id in ids]

    assert await story(ranges=True) == await story(ranges=False)


async def test_workflow_runs_draw_their_lifecycles_too(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    workflow = fake.workflows.add()
    fake.workflow_runs.set_lifecycle(
        finish_after=(1.0, 3.0),
        finish_after_polls=None,
        outcome={"PROCESSED": 1, "NEEDS_REVIEW": 1, "FAILED": 1},
    )
    runs = await client.workflow_runs.create(
        workflow.id, raw_texts=[f"text {index}" for index in range(30)]
    )
    batch_id = await client.workflow_runs.batch_create(
        workflow.id, inputs=[{"rawText": f"batch {index}"} for index in range(30)]
    )

    fake.advance(0.99)
    before: list[WorkflowRun] = [fake.workflow_runs.get(run.id) for run in runs]
    fake.advance(2.01)
    ended = [await client.workflow_runs.get(run.id) for run in runs]
    in_batch = [summary async for summary in client.workflow_runs.list(batch_id=batch_id)]

    assert {str(run.status) for run in before} == {"PROCESSING"}
    assert {str(run.status) for run in ended} == {"PROCESSED", "NEEDS_REVIEW", "FAILED"}
    took = {(run.end_time - run.start_time).total_seconds() for run in ended}  # type: ignore[operator]
    assert len(took) == 30
    assert all(1.0 <= seconds <= 3.0 for seconds in took)
    assert {str(run.status) for run in in_batch} == {"PROCESSED", "NEEDS_REVIEW", "FAILED"}
    events = Counter(event.event_type for event in fake.events)
    assert sum(events.values()) == 60
    assert fake.workflow_runs.lifecycle.finish_after == (1.0, 3.0)


def test_the_blocking_client_sees_drawn_lifecycles() -> None:
    with FakeExtendServer.in_thread(seed=4) as fake, fake.sync_client() as client:
        processor = fake.processors.add()
        fake.processor_runs.set_lifecycle(
            finish_after_polls=(1, 2), outcome={"PROCESSED": 1, "FAILED": 1}
        )
        ids = [client.processor_runs.create(processor.id, raw_text="x").id for _ in range(20)]
        first = [client.processor_runs.get(run_id).status for run_id in ids]
        second = [client.processor_runs.get(run_id).status for run_id in ids]

    assert {"PROCESSING"} < set(map(str, first))  # some ended on the first GET, some not
    assert set(map(str, second)) == {"PROCESSED", "FAILED"}


# -- bad settings ---------------------------------------------------------------------------


SECONDS = "must be seconds >= 0 or a (low, high) pair, got"
POLLS = "must be an int >= 1 or a (low, high) pair, got"
ORDER = "must be (low, high) with low <= high, got"
OUTCOMES = "outcome must be 'FAILED' or 'PROCESSED', got"
WEIGHTS = "outcome weights must be numbers >= 0, got"
NOT_AN_OUTCOME = "outcome must be an outcome or a mapping of outcomes to weights, got"


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"finish_after": -1}, ValueError, f"finish_after {SECONDS} -1"),
        ({"finish_after": (1, float("nan"))}, ValueError, f"finish_after {SECONDS} (1, nan)"),
        ({"finish_after": "5"}, ValueError, f"finish_after {SECONDS} '5'"),
        ({"finish_after": (1, 2, 3)}, TypeError, f"finish_after {SECONDS} (1, 2, 3)"),
        ({"processing_after": (5, 1)}, ValueError, f"processing_after {ORDER} (5, 1)"),
        ({"finish_after_polls": 0}, ValueError, f"finish_after_polls {POLLS} 0"),
        ({"finish_after_polls": (0, 2)}, ValueError, f"finish_after_polls {POLLS} (0, 2)"),
        ({"finish_after_polls": 1.5}, ValueError, f"finish_after_polls {POLLS} 1.5"),
        ({"finish_after_polls": True}, ValueError, f"finish_after_polls {POLLS} True"),
        ({"finish_after_polls": (3, 2)}, ValueError, f"finish_after_polls {ORDER} (3, 2)"),
        (
            {"processing_after": (2, 4), "finish_after": (3, 9)},
            ValueError,
            "finish_after must not come before processing_after: finish_after=(3, 9) could "
            "end a run before processing_after=(2, 4) starts it",
        ),
        ({"outcome": "CANCELLED"}, ValueError, f"{OUTCOMES} 'CANCELLED'"),
        ({"outcome": {"PROCESSED": 1, "DONE": 1}}, ValueError, f"{OUTCOMES} 'DONE'"),
        ({"outcome": {"FAILED": -1}}, ValueError, f"{WEIGHTS} 'FAILED': -1"),
        ({"outcome": {"FAILED": float("inf")}}, ValueError, f"{WEIGHTS} 'FAILED': inf"),
        (
            {"outcome": {"PROCESSED": 0, "FAILED": 0}},
            ValueError,
            "outcome weights must not all be 0, got {'PROCESSED': 0, 'FAILED': 0}",
        ),
        ({"outcome": {}}, TypeError, f"{NOT_AN_OUTCOME} {{}}"),
        ({"outcome": 3}, TypeError, f"{NOT_AN_OUTCOME} 3"),
    ],
)
def test_a_bad_setting_is_refused_naming_it(
    settings: dict[str, Any], error: type[Exception], message: str
) -> None:
    fake = FakeExtendServer()
    before = fake.processor_runs.lifecycle

    with pytest.raises(error) as raised:
        fake.processor_runs.set_lifecycle(**settings)

    assert str(raised.value) == message
    assert fake.processor_runs.lifecycle == before  # a refused setting changes nothing


def test_workflow_runs_refuse_an_outcome_they_cannot_end_in() -> None:
    runs = FakeExtendServer().workflow_runs

    with pytest.raises(ValueError, match="outcome must be") as raised:
        runs.set_lifecycle(outcome={"PROCESSED": 1, "CANCELLED": 1})
    with pytest.raises(ValueError, match=r"finish_after_polls must be \(low, high\)"):
        runs.set_lifecycle(finish_after_polls=(5, 4))

    assert str(raised.value) == (
        "outcome must be 'FAILED' or 'NEEDS_REVIEW' or 'PROCESSED', got 'CANCELLED'"
    )


async def test_parser_runs_draw_their_lifecycles_too(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.parser_runs.set_lifecycle(finish_after=(1.0, 9.0), outcome={"PROCESSED": 1, "FAILED": 1})
    stored = fake.files.add("statement.pdf")
    ids = [(await client.parser_runs.create(stored.id)).id for _ in range(40)]

    fake.advance(0.99)
    before = Counter([str((await client.parser_runs.get(run_id)).status) for run_id in ids])
    fake.advance(8.01)
    after = Counter([str((await client.parser_runs.get(run_id)).status) for run_id in ids])

    assert before == {"PROCESSING": 40}
    assert after.keys() == {"PROCESSED", "FAILED"}  # one weight each: both are drawn
    assert sum(after.values()) == 40
    assert fake.parser_runs.lifecycle.finish_after == (1.0, 9.0)


async def test_edit_runs_draw_their_lifecycles_too(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.edit_runs.set_lifecycle(finish_after_polls=(1, 3))
    form = fake.files.add("w9.pdf", text="Name: ____\nSignature: ____\n")
    ids = [(await client.edit_runs.create(file=form.id)).id for _ in range(30)]

    polls_to_end = []
    for run_id in ids:
        polls = 1
        while str((await client.edit_runs.get(run_id)).status) != "PROCESSED":
            polls += 1
        polls_to_end.append(polls)

    assert set(polls_to_end) == {1, 2, 3}  # each run drew its own, within the range
    assert fake.edit_runs.lifecycle.finish_after_polls == (1, 3)


@pytest.mark.parametrize("area", ["parser_runs", "edit_runs"])
def test_their_bad_lifecycles_are_refused_by_name(fake: FakeExtendServer, area: str) -> None:
    runs: Any = getattr(fake, area)
    with pytest.raises(ValueError, match="finish_after"):
        runs.set_lifecycle(finish_after=(5.0, 1.0))
    with pytest.raises(ValueError, match="CANCELLED"):
        runs.set_lifecycle(outcome={"CANCELLED": 1})
