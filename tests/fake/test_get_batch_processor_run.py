"""GET /batch_processor_runs/{id}: body, auth, version header, ids, unknown paths."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import aiohttp
import pytest

from extend_async import (
    AsyncExtend,
    AuthenticationError,
    BadRequestError,
    BatchProcessorRunStatus,
    NotFoundError,
)
from extend_async._converter import converter
from extend_async.testing import FakeExtendServer

RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def run_url(fake: FakeExtendServer, encoded_id: str) -> str:
    return f"{fake.url}/batch_processor_runs/{encoded_id}"


async def test_success_body_is_the_documented_envelope(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    run = fake.add_batch_run(status="PROCESSING", finish_after=60)

    async with http.get(run_url(fake, run.id), headers=headers) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        body = await response.json()

    assert body == {"success": True, "batchProcessorRun": converter.unstructure(run)}
    wire = body["batchProcessorRun"]
    assert wire["object"] == "batch_processor_run"
    assert wire["id"] == run.id
    assert wire["status"] == "PROCESSING"
    assert {"processorId", "processorVersionId", "runCount", "createdAt", "updatedAt"} <= set(wire)
    assert RFC3339_Z.match(wire["createdAt"])
    assert RFC3339_Z.match(wire["updatedAt"])


async def test_the_client_reads_back_the_stored_run(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run(source="PLAYGROUND", source_id=None)

    assert await client.batch_processor_runs.get(run.id) == run


async def test_unknown_id_is_404_with_the_documented_body(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.batch_processor_runs.get("bpr_missing")

    assert caught.value.body == {"success": False, "error": "Batch processor run not found"}
    assert fake.request_log[-1].status == 404


@pytest.mark.parametrize(
    "run_id", ["a/b?c#d", "../files", "..", ".", "%2F", "100%", "é x+y", "a;b=c", "a//b"]
)
async def test_ids_are_looked_up_literally(
    fake: FakeExtendServer, client: AsyncExtend, run_id: str
) -> None:
    run = fake.add_batch_run(id=run_id)
    decoy = fake.add_batch_run(id="files")

    fetched = await client.batch_processor_runs.get(run_id)

    assert fetched.id == run_id == run.id
    assert fake.requests["get_batch_processor_run", run_id] == 1
    assert fake.requests["get_batch_processor_run", decoy.id] == 0
    assert fake.request_log[-1].path.startswith("/batch_processor_runs/")
    assert fake.request_log[-1].path.count("/") == 2  # the id stayed one encoded segment


async def test_wrong_token_is_401_without_echoing_anything(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    run = fake.add_batch_run()
    attempts = [
        {**headers, "Authorization": "Bearer sk_wrong_key"},
        {**headers, "Authorization": f"Basic {fake.token}"},
        {k: v for k, v in headers.items() if k != "Authorization"},
    ]
    for sent in attempts:
        async with http.get(run_url(fake, run.id), headers=sent) as response:
            assert response.status == 401
            assert await response.json() == {"success": False, "error": "Unauthorized"}
    assert [record.status for record in fake.request_log] == [401, 401, 401]


async def test_the_client_maps_401_to_authentication_error(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run()
    async with fake.client(token="sk_not_this_one") as stranger:
        with pytest.raises(AuthenticationError, match="Unauthorized"):
            await stranger.batch_processor_runs.get(run.id)


@pytest.mark.parametrize(
    ("version", "problem"),
    [(None, "Missing x-extend-api-version header"), ("2024-12-23", "'2024-12-23'")],
)
async def test_missing_or_unknown_version_is_400_naming_the_problem(
    fake: FakeExtendServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    version: str | None,
    problem: str,
) -> None:
    run = fake.add_batch_run()
    del headers["x-extend-api-version"]
    if version is not None:
        headers["x-extend-api-version"] = version

    async with http.get(run_url(fake, run.id), headers=headers) as response:
        assert response.status == 400
        body = await response.json()

    assert body["success"] is False
    assert problem in body["error"]
    assert "2025-04-21" in body["error"]


async def test_the_client_maps_a_version_mismatch_to_bad_request(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run()
    async with fake.client(api_version="2026-02-09") as newer:
        with pytest.raises(BadRequestError, match="2026-02-09"):
            await newer.batch_processor_runs.get(run.id)


async def test_workspace_header_is_accepted_and_recorded(fake: FakeExtendServer) -> None:
    run = fake.add_batch_run()
    async with fake.client(workspace_id="ws_Team42") as scoped:
        await scoped.batch_processor_runs.get(run.id)

    assert fake.request_log[-1].workspace_id == "ws_Team42"
    assert fake.last_headers["x-extend-workspace-id"] == "ws_Team42"


async def test_last_headers_show_what_the_client_sent_with_the_key_masked(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    run = fake.add_batch_run()
    await client.batch_processor_runs.get(run.id)

    sent = fake.last_headers
    assert sent["Authorization"] == "Bearer ********"
    assert sent["x-extend-api-version"] == "2025-04-21"
    assert sent["User-Agent"].startswith("extend-async/")


async def test_unknown_paths_and_methods_answer_json(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with http.get(f"{fake.url}/no_such_thing", headers=headers) as response:
        assert response.status == 404
        assert await response.json() == {"success": False, "error": "Not Found"}
    async with http.delete(run_url(fake, "bpr_x"), headers=headers) as response:
        assert response.status == 405
        assert await response.json() == {"success": False, "error": "Method Not Allowed"}
    assert fake.requests["get_batch_processor_run"] == 0


async def test_request_log_and_counts(fake: FakeExtendServer, client: AsyncExtend) -> None:
    first, second = fake.seed_batch_runs(2)
    await client.batch_processor_runs.get(first.id)
    await client.batch_processor_runs.get(first.id)
    await client.batch_processor_runs.get(second.id)

    assert fake.requests["get_batch_processor_run"] == 3
    assert fake.requests["get_batch_processor_run", first.id] == 2
    assert fake.requests["get_batch_processor_run", second.id] == 1
    assert [(r.method, r.path, r.status) for r in fake.request_log] == [
        ("GET", f"/batch_processor_runs/{first.id}", 200),
        ("GET", f"/batch_processor_runs/{first.id}", 200),
        ("GET", f"/batch_processor_runs/{second.id}", 200),
    ]


async def test_timestamps_follow_the_start_time_and_the_clock() -> None:
    start = datetime(2025, 4, 21, 9, 0, tzinfo=timezone.utc)
    async with FakeExtendServer(start_time=start) as fake, fake.client() as client:
        run = fake.add_batch_run(processing_after=90)
        fake.advance(90)
        fetched = await client.batch_processor_runs.get(run.id)

    assert fetched.status == BatchProcessorRunStatus.PROCESSING
    assert fetched.updated_at == datetime(2025, 4, 21, 9, 1, 30, tzinfo=timezone.utc)
    assert fetched.created_at < start
