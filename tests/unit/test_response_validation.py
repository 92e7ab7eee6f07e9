"""2xx responses that are not the documented JSON become ResponseValidationError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from extend_async import ExtendError, ResponseValidationError


def _set(*path: str, value: object) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        target = document["batchProcessorRun"]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        del document["batchProcessorRun"][key]

    return mutate


RUN = "$.batchProcessorRun"

WRONG_SHAPES = [
    pytest.param(_drop("processorId"), f"{RUN}.processorId", id="required-key-missing"),
    pytest.param(_drop("createdAt"), f"{RUN}.createdAt", id="required-timestamp-missing"),
    pytest.param(
        _set("metrics", "numFiles", value="twelve"), f"{RUN}.metrics.numFiles", id="num-is-word"
    ),
    pytest.param(_set("status", value=3), f"{RUN}.status", id="enum-is-int"),
    pytest.param(_set("status", value=None), f"{RUN}.status", id="enum-is-null"),
    pytest.param(_set("createdAt", value="yesterday"), f"{RUN}.createdAt", id="bad-timestamp"),
    pytest.param(_set("updatedAt", value=1711035000), f"{RUN}.updatedAt", id="epoch-timestamp"),
    # A value of the wrong JSON type must be refused, not coerced into a plausible one
    # (None -> 'None', 12.5 -> 12, 'abc' -> ['a', 'b', 'c'], '12 files' -> empty metrics).
    pytest.param(_set("processorId", value=None), f"{RUN}.processorId", id="required-str-null"),
    pytest.param(_set("processorId", value=123), f"{RUN}.processorId", id="str-is-int"),
    pytest.param(_set("metrics", "numFiles", value="12"), f"{RUN}.metrics.numFiles", id="num-str"),
    pytest.param(_set("metrics", "numFiles", value=True), f"{RUN}.metrics.numFiles", id="num-bool"),
    pytest.param(_set("runCount", value=12.5), f"{RUN}.runCount", id="int-is-fraction"),
    pytest.param(_set("runCount", value="12"), f"{RUN}.runCount", id="int-is-str"),
    pytest.param(_set("metrics", value=[]), f"{RUN}.metrics", id="object-is-list"),
    pytest.param(_set("metrics", value="12 files"), f"{RUN}.metrics", id="object-is-str"),
    pytest.param(
        _set("options", "fuzzyMatchFields", value="vendor_name"),
        f"{RUN}.options.fuzzyMatchFields",
        id="list-is-str",
    ),
    pytest.param(
        _set("options", "excludeFields", value=["notes", 7]),
        f"{RUN}.options.excludeFields[1]",
        id="list-item-is-int",
    ),
]


@pytest.mark.parametrize(("mutate", "path"), WRONG_SHAPES)
async def test_a_wrong_shape_names_its_wire_path(
    make_client, mocked, run_url, run_body, fetch_error, mutate, path
) -> None:
    mutate(run_body)
    mocked.get(run_url(), payload=run_body)

    async with make_client() as client:
        error = await fetch_error(client)

    assert type(error) is ResponseValidationError
    assert error.path == path
    assert error.status_code == 200
    assert f"at {path}" in error.message
    assert error.message.startswith("unexpected response shape: ")
    assert str(error) == (
        f"GET https://api.extend.ai/batch_processor_runs/bpr_Xj8mK2pL9nR4vT7qY5wZ: {error.message}"
    )
    assert (error.method, error.url) == (
        "GET",
        "https://api.extend.ai/batch_processor_runs/bpr_Xj8mK2pL9nR4vT7qY5wZ",
    )
    assert error.body.startswith('{"success": true, "batchProcessorRun": {')


@pytest.mark.parametrize(
    ("body", "content_type", "message", "path"),
    [
        pytest.param(
            "<html><body>Service Unavailable</body></html>",
            "text/html",
            "the 200 response is not JSON (content-type 'text/html')",
            None,
            id="html",
        ),
        pytest.param(
            '{"success": true, "batchProcessorRun": {"id": "bpr_',
            "application/json",
            "the 200 response is not JSON (content-type 'application/json')",
            None,
            id="truncated",
        ),
        pytest.param("", "application/json", "the 200 response is not JSON", None, id="empty-body"),
        pytest.param(
            b"\xff\xfe\x00garbage",
            "application/json",
            "the 200 response is not JSON",
            None,
            id="bytes",
        ),
        pytest.param(
            '{"success": true, "processorRun": {}}',
            "application/json",
            "the response lacks the 'batchProcessorRun' key",
            "$.batchProcessorRun",
            id="no-envelope",
        ),
        pytest.param(
            "[1, 2, 3]",
            "application/json",
            "the response lacks the 'batchProcessorRun' key",
            "$.batchProcessorRun",
            id="array",
        ),
        pytest.param(
            "null", "application/json", "lacks the 'batchProcessorRun' key", RUN, id="null"
        ),
        pytest.param(
            '{"batchProcessorRun": null}',
            "application/json",
            "unexpected response shape",
            RUN,
            id="envelope-null",
        ),
        pytest.param(
            '{"batchProcessorRun": "bpr_1"}',
            "application/json",
            "expected an object, got str",
            RUN,
            id="envelope-str",
        ),
    ],
)
async def test_a_2xx_body_that_is_not_the_envelope_is_a_validation_error(
    make_client, mocked, run_url, fetch_error, body, content_type, message, path
) -> None:
    mocked.get(run_url(), body=body, content_type=content_type)

    async with make_client() as client:
        error = await fetch_error(client)

    assert type(error) is ResponseValidationError
    assert message in error.message
    assert error.path == path
    assert error.status_code == 200


async def test_the_validation_body_is_a_bounded_excerpt(
    make_client, mocked, run_url, fetch_error
) -> None:
    mocked.get(run_url(), body="x" * 5000, content_type="text/plain")

    async with make_client() as client:
        error = await fetch_error(client)

    assert isinstance(error, ResponseValidationError)
    assert error.body == "x" * 200 + "..."


@pytest.mark.parametrize("status", [201, 204, 299])
async def test_any_2xx_status_is_a_success(make_client, mocked, run_url, run_body, status) -> None:
    mocked.get(run_url(), status=status, payload=run_body)

    async with make_client() as client:
        response = await client.batch_processor_runs.get.raw("bpr_Xj8mK2pL9nR4vT7qY5wZ")

    assert response.status_code == status
    assert response.parsed.processor_name == "Invoice Processor"


@pytest.mark.parametrize("status", [200, 500])
async def test_no_bare_exception_escapes_for_a_deeply_nested_body(
    make_client, mocked, run_url, status
) -> None:
    mocked.get(run_url(), status=status, body="[" * 20_000)

    async with make_client(max_retries=0) as client:
        with pytest.raises(ExtendError):
            await client.batch_processor_runs.get("bpr_Xj8mK2pL9nR4vT7qY5wZ")
