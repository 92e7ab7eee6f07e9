"""The fake announces each run that ends, as the webhook event Extend would send."""

from __future__ import annotations

from extend_async import to_dict
from extend_async.models import ProcessorRunStatus, WorkflowRunStatus, parse_event
from extend_async.testing import FakeExtendServer


async def test_a_processor_run_that_ends_on_a_poll_is_announced_once(fake, client) -> None:
    processor = fake.processors.add(name="Invoices")
    run = await client.processor_runs.create(processor.id, raw_text="Invoice 7")
    assert fake.events == []

    assert (await client.processor_runs.get(run.id)).status == ProcessorRunStatus.PROCESSING
    assert fake.events == []
    finished = await client.processor_runs.get(run.id)  # the second GET ends it
    await client.processor_runs.get(run.id)

    assert finished.status == ProcessorRunStatus.PROCESSED
    (event,) = fake.events
    assert event.event_type == "processor_run.processed"
    assert event.event_id.startswith("event_")
    assert event.payload == to_dict(finished)
    typed = parse_event(event.document())
    assert typed.payload == finished


async def test_advancing_the_clock_ends_runs_nobody_polls() -> None:
    async with FakeExtendServer(seed=3) as fake, fake.client() as client:
        workflow = fake.workflows.add(name="Claims")
        fake.workflow_runs.set_lifecycle(finish_after=5.0, finish_after_polls=None)
        (run,) = await client.workflow_runs.create(workflow.id, raw_texts=["claim 1"])
        fake.processor_runs.add(processor_id=fake.processors.add().id, status="PROCESSED")

        fake.advance(4.0)
        assert fake.events == []
        fake.advance(1.0)

    (event,) = fake.events
    assert event.event_type == "workflow_run.completed"
    assert event.payload["id"] == run.id
    assert event.payload["status"] == WorkflowRunStatus.PROCESSED


async def test_events_leave_the_seeded_ids_as_they_were() -> None:
    async def ids(poll_twice: bool) -> list[str]:
        async with FakeExtendServer(seed=11) as fake, fake.client() as client:
            processor = fake.processors.add()
            first = await client.processor_runs.create(processor.id, raw_text="a")
            if poll_twice:
                await client.processor_runs.get(first.id)
                await client.processor_runs.get(first.id)
            second = await client.processor_runs.create(processor.id, raw_text="b")
            return [first.id, second.id]

    assert await ids(poll_twice=True) == await ids(poll_twice=False)


async def test_changes_to_processors_and_workflows_are_announced(fake, client) -> None:
    config = {"type": "EXTRACT", "schema": {"type": "object", "properties": {}}}
    processor = await client.processors.create(name="Totals", type="EXTRACT", config=config)
    renamed = await client.processors.update(processor.id, name="Sums")
    redrafted = await client.processors.update(processor.id, config=config)
    version = await client.processor_versions.publish(processor.id, release_type="major")
    workflow = await client.workflows.create(name="Claims")

    assert [event.event_type for event in fake.events] == [
        "processor.created",
        "processor.updated",
        "processor.updated",
        "processor.draft.updated",
        "processor.version.published",
        "workflow.created",
    ]
    payloads = [parse_event(event.document()).payload for event in fake.events]
    assert payloads == [processor, renamed, redrafted, redrafted, version, workflow]


async def test_seeding_announces_nothing(fake) -> None:
    processor = fake.processors.add(published=2)
    fake.workflows.add(processor_ids=[processor.id])

    assert fake.events == []
