"""What goes on the wire: headers, paths, bodies, and what comes back with ``.raw()``."""

from __future__ import annotations

import json
import logging
import platform

import aiohttp
import pytest
import yarl

from extend_async import APIResponse, BatchProcessorRun, __version__
from extend_async._endpoint import Endpoint

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"


async def test_every_request_carries_the_documented_headers(
    make_client, mocked, run_url, run_body, sent, token
) -> None:
    mocked.get(run_url(), payload=run_body)

    async with make_client() as client:
        await client.batch_processor_runs.get(RUN_ID)

    [request] = sent(run_url())
    assert request["headers"] == {
        "Authorization": f"Bearer {token}",
        "x-extend-api-version": "2025-04-21",
        "User-Agent": (
            f"extend-async/{__version__} python/{platform.python_version()} "
            f"aiohttp/{aiohttp.__version__}"
        ),
        "Accept": "application/json",
    }
    assert request["headers"]["User-Agent"].startswith("extend-async/")
    assert "data" not in request
    assert "params" not in request


async def test_the_workspace_header_is_sent_only_when_set(
    make_client, mocked, run_url, run_body, sent
) -> None:
    mocked.get(run_url(), payload=run_body, repeat=True)

    async with make_client(workspace_id="ws_default") as client:
        await client.batch_processor_runs.get(RUN_ID)
        await client.with_options(workspace_id="ws_other").batch_processor_runs.get(RUN_ID)
        await client.with_options(workspace_id="").batch_processor_runs.get(RUN_ID)
        await client.batch_processor_runs.get(RUN_ID)

    workspaces = [r["headers"].get("x-extend-workspace-id") for r in sent(run_url())]
    assert workspaces == ["ws_default", "ws_other", None, "ws_default"]
    assert client.config.workspace_id == "ws_default"


async def test_a_per_call_workspace_on_a_client_without_one(
    make_client, mocked, run_url, run_body, sent
) -> None:
    mocked.get(run_url(), payload=run_body, repeat=True)

    async with make_client() as client:
        await client.batch_processor_runs.get(RUN_ID)
        await client.with_options(workspace_id="ws_call").batch_processor_runs.get(RUN_ID)

    workspaces = [r["headers"].get("x-extend-workspace-id") for r in sent(run_url())]
    assert workspaces == [None, "ws_call"]


async def test_a_custom_api_version_is_sent(make_client, mocked, run_url, run_body, sent) -> None:
    mocked.get(run_url(), payload=run_body)

    async with make_client(api_version="2024-12-23") as client:
        await client.batch_processor_runs.get(RUN_ID)

    assert sent(run_url())[0]["headers"]["x-extend-api-version"] == "2024-12-23"


ID_SEGMENTS = [
    ("../files", "..%2Ffiles"),
    ("a/b?c#d", "a%2Fb%3Fc%23d"),
    ("..", "%2E%2E"),
    (".", "%2E"),
    ("%2F", "%252F"),
    ("ünïcødé", "%C3%BCn%C3%AFc%C3%B8d%C3%A9"),
    ("文件", "%E6%96%87%E4%BB%B6"),
    ("a b+c&d=e", "a%20b%2Bc%26d%3De"),
    ("batch_processor_run_Xj8m-K2pL", "batch_processor_run_Xj8m-K2pL"),
]


@pytest.mark.parametrize(("run_id", "segment"), ID_SEGMENTS)
async def test_an_id_is_always_exactly_one_encoded_segment(
    make_client, mocked, run_url, run_body, run_id, segment
) -> None:
    mocked.get(run_url(segment), payload=run_body)

    async with make_client() as client:
        await client.batch_processor_runs.get(run_id)

    [(method, url)] = mocked.requests
    assert method == "GET"
    assert url.raw_path == f"/batch_processor_runs/{segment}"
    assert str(url) == f"https://api.extend.ai/batch_processor_runs/{segment}"
    assert url.path == f"/batch_processor_runs/{run_id}"
    assert url.raw_query_string == ""
    assert url.fragment == ""


@pytest.mark.parametrize(("run_id", "segment"), ID_SEGMENTS)
async def test_the_server_receives_the_path_unchanged(
    make_client, loopback, run_id, segment
) -> None:
    async with make_client(base_url=loopback.url) as client:
        run = await client.batch_processor_runs.get(run_id)

    [request] = loopback.seen
    assert request.raw_path == f"/batch_processor_runs/{segment}"
    assert request.path == f"/batch_processor_runs/{run_id}"
    assert request.query_string == ""
    assert run.id == RUN_ID


async def test_a_base_url_path_prefix_is_kept(make_client, mocked, run_body, sent) -> None:
    url = yarl.URL("https://gateway.example.com/extend/v1/batch_processor_runs/bpr_1")
    mocked.get(url, payload=run_body)

    async with make_client(base_url="https://gateway.example.com/extend/v1/") as client:
        await client.batch_processor_runs.get("bpr_1")

    assert len(sent(url)) == 1


@pytest.mark.parametrize("value", ["", None, 42, b"bpr_1"])
async def test_a_bad_id_is_refused_before_any_request(make_client, mocked, value) -> None:
    async with make_client() as client:
        with pytest.raises((ValueError, TypeError)) as info:
            await client.batch_processor_runs.get(value)

    assert mocked.requests == {}
    assert str(info.value).startswith("GET /batch_processor_runs/{id}: id must be")


async def test_an_empty_id_is_a_value_error_naming_the_parameter(make_client) -> None:
    async with make_client() as client:
        with pytest.raises(ValueError, match=r"id must be a non-empty string"):
            await client.batch_processor_runs.get("")


async def test_a_non_string_id_is_a_type_error(make_client) -> None:
    async with make_client() as client:
        with pytest.raises(TypeError, match=r"id must be a string, got int: 42"):
            await client.batch_processor_runs.get(42)


async def test_raw_returns_the_exchange_with_the_same_parsed_object(
    make_client, mocked, run_url, run_body
) -> None:
    headers = {"x-request-id": "req_raw_1", "x-ratelimit-remaining": "9"}
    mocked.get(run_url(), payload=run_body, headers=headers, repeat=True)

    async with make_client() as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)
        parsed = await client.batch_processor_runs.get(RUN_ID)

    assert isinstance(response, APIResponse)
    assert response.status_code == 200
    assert response.request_id == "req_raw_1"
    assert response.headers["X-RateLimit-Remaining"] == "9"
    assert response.headers["Content-Type"] == "application/json"
    assert response.attempts == 1
    assert response.elapsed >= 0
    assert response.warning is None
    assert isinstance(response.parsed, BatchProcessorRun)
    assert response.parsed == parsed


async def test_raw_without_a_request_id_header(make_client, mocked, run_url, run_body) -> None:
    mocked.get(run_url(), payload=run_body)

    async with make_client() as client:
        response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.request_id is None


async def test_a_server_warning_is_surfaced_and_logged(
    make_client, mocked, run_url, run_body, caplog
) -> None:
    run_body["warning"] = "No API version header was sent; defaulting to 2024-12-23"
    mocked.get(run_url(), payload=run_body)

    with caplog.at_level(logging.WARNING, logger="extend_async"):
        async with make_client() as client:
            response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.warning == "No API version header was sent; defaulting to 2024-12-23"
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (
            logging.WARNING,
            f"GET /batch_processor_runs/{RUN_ID}: server warning: "
            "No API version header was sent; defaulting to 2024-12-23",
        )
    ]


@pytest.mark.parametrize("warning", ["", 42, None, ["a"]])
async def test_a_warning_that_is_not_a_non_empty_string_is_ignored(
    make_client, mocked, run_url, run_body, caplog, warning
) -> None:
    run_body["warning"] = warning
    mocked.get(run_url(), payload=run_body)

    with caplog.at_level(logging.WARNING, logger="extend_async"):
        async with make_client() as client:
            response = await client.batch_processor_runs.get.raw(RUN_ID)

    assert response.warning is None
    assert caplog.records == []


async def test_a_json_body_and_query_are_sent(
    make_client, mocked, run_body, sent, create_endpoint
) -> None:
    url = yarl.URL("https://api.extend.ai/batch_processor_runs?dryRun=true")
    mocked.post(url, payload=run_body)
    call = create_endpoint.call(query={"dryRun": "true"}, body={"processorId": "dp_ü"})

    async with make_client() as client:
        response = await client._pipeline.execute(call)

    [request] = sent(url, "POST")
    assert json.loads(request["data"]) == {"processorId": "dp_ü"}
    assert request["params"] == {"dryRun": "true"}
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Authorization"].startswith("Bearer ")
    assert response.parsed.id == RUN_ID


async def test_an_endpoint_without_an_envelope_parses_the_whole_document(
    make_client, mocked, run_body
) -> None:
    endpoint = Endpoint("get_raw", "GET", "/raw/{id}", BatchProcessorRun)
    mocked.get("https://api.extend.ai/raw/bpr_1", payload=run_body["batchProcessorRun"])

    async with make_client() as client:
        response = await client._pipeline.execute(endpoint.call(id="bpr_1"))

    assert response.parsed.id == RUN_ID


def test_resource_methods_keep_their_name_and_docs() -> None:
    from extend_async.resources import AsyncBatchProcessorRuns

    method = AsyncBatchProcessorRuns.get

    assert method.__name__ == "get"
    assert method.__doc__ == "Fetch one batch processor run by id."


def test_a_path_with_several_parameters_encodes_each_as_one_segment() -> None:
    endpoint = Endpoint(
        "get_version", "GET", "/processors/{processor_id}/versions/{version_id}", BatchProcessorRun
    )

    call = endpoint.call(processor_id="dp_1", version_id="a/b")

    assert call.path == "/processors/dp_1/versions/a%2Fb"


@pytest.mark.parametrize(
    "params",
    [{}, {"id": "bpr_1", "extra": "x"}, {"run_id": "bpr_1"}],
    ids=["missing", "unknown", "misnamed"],
)
def test_wrong_path_parameters_are_named_in_a_type_error(params: dict[str, str]) -> None:
    endpoint = Endpoint("get_bare", "GET", "/batch_processor_runs/{id}", BatchProcessorRun)

    with pytest.raises(TypeError) as caught:
        endpoint.call(**params)

    assert str(caught.value) == (
        f"GET /batch_processor_runs/{{id}}: takes the path parameters ['id'], got {sorted(params)}"
    )
