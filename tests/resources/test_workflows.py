"""Workflows: exactly what ``create`` sends, and what it gives back."""

from __future__ import annotations

from typing import Any

import pytest
from resources.conftest import TOKEN, Api, example

from extend_async import Extend
from extend_async._version import user_agent
from extend_async.models import Workflow


async def test_create_sends_the_name_and_gives_the_workflow(api: Api, client: Any) -> None:
    api.reply("POST", "/workflows", example("create_workflow"))

    async with client() as c:
        made = await c.workflows.create(name="Invoice Processing")

    assert made == Workflow(
        id="workflow_BMlfq_yWM3sT-ZzvCnA3f", version="draft", name="Invoice Processing"
    )
    sent = api.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/workflows", {})
    assert sent.headers == {
        "Authorization": f"Bearer {TOKEN}",
        "x-extend-api-version": "2025-04-21",
        "User-Agent": user_agent(),
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    assert sent.json == example("create_workflow.request")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": 5}, r"^workflows\.create\(\): name: expected a string, got int$"),
        ({}, r"^workflows\.create\(\) missing 1 required keyword-only argument: 'name'$"),
        ({"name": "x", "colour": "red"}, r"unexpected keyword argument 'colour'"),
    ],
)
async def test_create_refuses_bad_arguments_before_sending(
    api: Api, client: Any, kwargs: dict[str, Any], message: str
) -> None:
    async with client() as c:
        with pytest.raises(TypeError, match=message):
            await c.workflows.create(**kwargs)

    assert api.sent == []


def test_the_blocking_twin(api: Api, sync_client: Extend) -> None:
    api.reply("POST", "/workflows", example("create_workflow"))

    made = sync_client.workflows.create(name="Invoice Processing")
    raw = sync_client.workflows.create.raw(name="Invoice Processing")

    assert isinstance(made, Workflow)
    assert raw.parsed == made
    assert raw.status_code == 200
    assert api.last.json == {"name": "Invoice Processing"}
