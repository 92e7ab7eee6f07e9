"""Non-2xx responses become the documented exception classes, with every detail kept."""

from __future__ import annotations

import pytest

from extend_async import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    BatchProcessorRun,
    ConflictError,
    ExtendError,
    InternalServerError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from extend_async._converter import converter

WHERE = "GET https://api.extend.ai/batch_processor_runs/bpr_Xj8mK2pL9nR4vT7qY5wZ"

ERROR_422 = {
    "code": "FILE_TYPE_NOT_SUPPORTED",
    "message": "The file type is not supported for parsing.",
    "requestId": "req_Xj8mK2pL9nR4vT7qY5wZ",
    "retryable": False,
}


@pytest.mark.parametrize(
    ("status", "cls", "message"),
    [
        (400, BadRequestError, "Invalid request: processorId is required"),
        (401, AuthenticationError, "Unauthorized"),
        (402, PaymentRequiredError, "Out of credits"),
        (403, PermissionDeniedError, "This key may not read batch runs"),
        (404, NotFoundError, "Processor run not found"),
        (409, ConflictError, "Run is not in a cancellable state"),
        (422, UnprocessableEntityError, "The file could not be processed"),
        (429, RateLimitError, "Rate limit exceeded. Please retry after a short delay."),
        (500, InternalServerError, "Internal server error"),
        (502, InternalServerError, "Upstream failed"),
        (503, InternalServerError, "Try again later"),
        (504, InternalServerError, "Gateway timeout"),
        (418, APIStatusError, "I'm a teapot"),
    ],
)
async def test_each_status_maps_to_its_class(
    make_client, mocked, run_url, fetch_error, status, cls, message
) -> None:
    body = {"success": False, "error": message}
    mocked.get(run_url(), status=status, payload=body, headers={"x-request-id": "req_hdr_1"})

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert type(error) is cls
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    assert error.body == body
    assert error.message == message
    assert error.request_id == "req_hdr_1"
    assert error.headers["X-Request-Id"] == "req_hdr_1"
    assert error.code is None
    assert error.retryable is None
    assert error.doc_url is None
    assert (error.method, f"{error.method} {error.url}") == ("GET", WHERE)
    assert str(error) == f"Request req_hdr_1: {WHERE}: {status} {message}"
    assert repr(error) == f"{cls.__name__}(status_code={status}, message={message!r})"


async def test_the_newer_error_shape_is_read_in_full(
    make_client, mocked, run_url, fetch_error
) -> None:
    body = {
        "code": "USAGE_BLOCKED",
        "message": "Your organization is out of credits.",
        "requestId": "req_402_body",
        "retryable": False,
        "docUrl": "https://docs.extend.ai/errors/USAGE_BLOCKED",
    }
    mocked.get(run_url(), status=402, payload=body)

    async with make_client() as client:
        error = await fetch_error(client)

    assert type(error) is PaymentRequiredError
    assert error.code == "USAGE_BLOCKED"
    assert error.message == "Your organization is out of credits."
    assert error.request_id == "req_402_body"
    assert error.retryable is False
    assert error.doc_url == "https://docs.extend.ai/errors/USAGE_BLOCKED"
    assert str(error) == f"Request req_402_body: {WHERE}: 402 Your organization is out of credits."


async def test_the_documented_422_body(make_client, mocked, run_url, fetch_error) -> None:
    mocked.get(run_url(), status=422, payload=ERROR_422)

    async with make_client() as client:
        error = await fetch_error(client)

    assert type(error) is UnprocessableEntityError
    assert (error.code, error.retryable, error.request_id) == (
        "FILE_TYPE_NOT_SUPPORTED",
        False,
        "req_Xj8mK2pL9nR4vT7qY5wZ",
    )
    assert str(error).startswith(f"Request req_Xj8mK2pL9nR4vT7qY5wZ: {WHERE}: 422 The file type")


@pytest.mark.parametrize(
    ("body", "headers", "request_id"),
    [
        ({"error": "x", "requestId": "req_body"}, {"x-request-id": "req_hdr"}, "req_body"),
        ({"error": "x", "requestId": ""}, {"x-request-id": "req_hdr"}, "req_hdr"),
        ({"error": "x", "requestId": 42}, {"x-request-id": "req_hdr"}, "req_hdr"),
        ({"error": "x"}, {"x-extend-request-id": "req_alt"}, "req_alt"),
        ({"error": "x"}, {}, None),
    ],
)
async def test_request_id_comes_from_the_body_then_the_headers(
    make_client, mocked, run_url, fetch_error, body, headers, request_id
) -> None:
    mocked.get(run_url(), status=404, payload=body, headers=headers)

    async with make_client() as client:
        error = await fetch_error(client)

    assert error.request_id == request_id
    expected_prefix = f"Request {request_id}: " if request_id else ""
    assert str(error) == f"{expected_prefix}{WHERE}: 404 x"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "legacy wins", "message": "newer"}, "legacy wins"),
        ({"message": "only message"}, "only message"),
        ({"error": "", "message": "empty error skipped"}, "empty error skipped"),
        ({"error": {"detail": "nested"}, "message": "non-string error skipped"}, "non-string"),
    ],
)
async def test_the_message_comes_from_error_then_message(
    make_client, mocked, run_url, fetch_error, body, message
) -> None:
    mocked.get(run_url(), status=400, payload=body)

    async with make_client() as client:
        error = await fetch_error(client)

    assert error.message.startswith(message)
    assert error.body == body


@pytest.mark.parametrize(("value", "retryable"), [(True, True), (False, False), ("yes", None)])
async def test_retryable_is_kept_only_when_boolean(
    make_client, mocked, run_url, fetch_error, value, retryable
) -> None:
    mocked.get(run_url(), status=400, payload={"error": "x", "retryable": value})

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert error.retryable is retryable


NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@pytest.mark.parametrize(
    ("page", "excerpt"),
    [
        (NGINX_502, "502 Bad Gateway"),
        ("<html><body><h1>502   Bad\nGateway</h1></body></html>", "502 Bad Gateway"),
        ("upstream\n  said\tno\n", "upstream said no"),
    ],
)
async def test_a_non_json_error_page_is_quoted_as_one_short_line(
    make_client, mocked, run_url, fetch_error, page, excerpt
) -> None:
    mocked.get(run_url(), status=502, body=page, content_type="text/html")

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert type(error) is InternalServerError
    assert error.body == page
    assert error.message == excerpt
    assert str(error) == f"{WHERE}: 502 {excerpt}"


async def test_a_long_text_body_is_cut_to_an_excerpt(
    make_client, mocked, run_url, fetch_error
) -> None:
    mocked.get(run_url(), status=500, body="E" * 1000, content_type="text/plain")

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert error.message == "E" * 200 + "..."
    assert error.body == "E" * 1000


async def test_undecodable_bytes_are_replaced(make_client, mocked, run_url, fetch_error) -> None:
    mocked.get(run_url(), status=400, body=b"bad \xff\xfe bytes", content_type="text/plain")

    async with make_client() as client:
        error = await fetch_error(client)

    assert error.body == "bad \ufffd\ufffd bytes"
    assert error.message == "bad \ufffd\ufffd bytes"


async def test_an_empty_body_falls_back_to_the_reason(
    make_client, mocked, run_url, fetch_error
) -> None:
    mocked.get(run_url(), status=503, body="", reason="Service Unavailable")

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert error.body is None
    assert error.message == "Service Unavailable"
    assert str(error) == f"{WHERE}: 503 Service Unavailable"


async def test_a_json_body_without_a_message_is_quoted(
    make_client, mocked, run_url, fetch_error
) -> None:
    mocked.get(run_url(), status=409, body='["conflict", 1]')

    async with make_client() as client:
        error = await fetch_error(client)

    assert type(error) is ConflictError
    assert error.body == ["conflict", 1]
    assert error.message == '["conflict", 1]'


@pytest.mark.parametrize(
    ("headers", "retry_after"),
    [({"Retry-After": "7"}, 7.0), ({"retry-after-ms": "1500"}, 1.5), ({}, None)],
)
async def test_a_rate_limit_error_carries_the_retry_after_hint(
    make_client, mocked, run_url, fetch_error, headers, retry_after
) -> None:
    mocked.get(run_url(), status=429, payload={"error": "slow down"}, headers=headers)

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert isinstance(error, RateLimitError)
    assert error.retry_after == retry_after


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (BadRequestError, 400),
        (AuthenticationError, 401),
        (PaymentRequiredError, 402),
        (PermissionDeniedError, 403),
        (NotFoundError, 404),
        (ConflictError, 409),
        (UnprocessableEntityError, 422),
        (RateLimitError, 429),
    ],
)
def test_every_status_class_declares_its_status(cls, status) -> None:
    assert cls.status_code == status
    assert issubclass(cls, APIStatusError)
    assert issubclass(cls, ExtendError)


def test_a_wait_timeout_names_the_object_and_its_last_status(run_body) -> None:
    run = converter.structure(run_body["batchProcessorRun"], BatchProcessorRun)

    never_seen = WaitTimeoutError("bpr_1", None, 30)
    seen = WaitTimeoutError("bpr_1", run, 2.5)

    assert str(never_seen) == "bpr_1 did not finish within 30 s"
    assert str(seen) == "bpr_1 did not finish within 2.5 s (last status: PROCESSING)"
    assert (seen.id, seen.last, seen.timeout) == ("bpr_1", run, 2.5)
    assert isinstance(seen, ExtendError)
