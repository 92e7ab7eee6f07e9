"""Type-checked, never run: editing as users write it (``mypy --strict``)."""

from __future__ import annotations

from typing_extensions import assert_type

from extend_async import APIResponse, AsyncExtend, Extend, PollPolicy, SyncIterator, WaitStream
from extend_async.models import (
    EditRun,
    EditRunConfig,
    EditRunDeleted,
    EditRunResult,
    EditRunState,
    EditRunStatus,
    EditRunStatusField,
    EditSchemaGenerationConfig,
    EditSchemaGenerationResponse,
    EditTemplate,
    FileInput,
    JsonObject,
)
from extend_async.testing import FakeExtendServer


async def async_usage(client: AsyncExtend) -> None:
    runs = client.edit_runs
    run = await runs.edit(file="https://x/a.pdf", config=EditRunConfig(instructions="Fill it."))
    assert_type(run, EditRun)
    assert_type(run.status, EditRunStatusField)
    assert_type(run.state, EditRunState)
    assert_type(await runs.edit(template_id="edt_1", config={"instructions": "x"}), EditRun)
    assert_type(await runs.edit.raw(file=FileInput(file_id="file_1")), APIResponse[EditRun])
    started = await runs.create(file="file_1")
    assert_type(started, EditRunStatus)
    assert_type(started.status, EditRunState)
    done = await runs.create_and_wait(template_id="edt_1", timeout=60, poll=PollPolicy())
    assert_type(done, EditRun)
    got = await runs.get("edit_run_1")
    assert_type(got, EditRunResult)
    if isinstance(got, EditRun):
        assert_type(got.output, JsonObject | None)
    assert_type(await runs.delete("edit_run_1"), EditRunDeleted)
    assert_type(await runs.wait("edit_run_1"), EditRunResult)
    assert_type(
        runs.wait_many(["edit_run_1"]), WaitStream[tuple[str, EditRunResult | BaseException]]
    )
    assert_type(await runs.get_many(["edit_run_1"]), list[EditRunResult])
    schema = await client.edit_schemas.generate(
        "file_1", config=EditSchemaGenerationConfig(instructions="snake_case")
    )
    assert_type(schema, EditSchemaGenerationResponse)
    assert_type(await client.edit_templates.get("edt_1"), EditTemplate)


def sync_usage(client: Extend) -> None:
    runs = client.edit_runs
    assert_type(runs.edit(file="file_1"), EditRun)
    assert_type(runs.create(template_id="edt_1"), EditRunStatus)
    assert_type(runs.create_and_wait(file="file_1"), EditRun)
    assert_type(runs.get("edit_run_1"), EditRunResult)
    assert_type(runs.delete("edit_run_1"), EditRunDeleted)
    assert_type(
        runs.wait_many(["edit_run_1"]), SyncIterator[tuple[str, EditRunResult | BaseException]]
    )
    assert_type(
        client.edit_schemas.generate({"fileUrl": "https://x/a.pdf"}), EditSchemaGenerationResponse
    )
    assert_type(client.edit_templates.get("edt_1"), EditTemplate)
    assert_type(client.download("https://x/a.pdf"), bytes)


def fake_usage(fake: FakeExtendServer) -> None:
    form = fake.files.add("form.pdf", text="Full name: ____")
    template = fake.edit_templates.add(name="Form", file=form)
    assert_type(template, EditTemplate)
    assert_type(fake.edit_templates.get(template.id), EditTemplate)
    seeded = fake.edit_runs.add(file=form.id, finish_after_polls=2)
    assert_type(seeded, EditRun | EditRunStatus)
    assert_type(fake.edit_runs.get(seeded.id), EditRun | EditRunStatus)
    fake.edit_runs.set_lifecycle(finish_after=5, outcome="FAILED")
    fake.edit_runs.sync_wait = 0


def wrong_usage(client: Extend, fake: FakeExtendServer) -> None:
    client.edit_runs.edit("file_1")  # type: ignore[call-arg]
    client.edit_runs.create(template_id=5)  # type: ignore[arg-type]
    client.edit_runs.create_and_wait(file="file_1", timout=3)  # type: ignore[call-arg]
    client.edit_schemas.generate(file=3)  # type: ignore[arg-type]
    client.edit_templates.get()  # type: ignore[call-arg]
    fake.edit_runs.add(status="ARCHIVED")  # type: ignore[arg-type]
    fake.edit_runs.set_lifecycle(outcome="CANCELLED")  # type: ignore[arg-type]
