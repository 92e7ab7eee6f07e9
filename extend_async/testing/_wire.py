"""The fake's side of the wire: the responses it sends, in the shapes the API documents,
and the requests it reads, checked as strictly as the API checks them."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from http import HTTPStatus
from typing import Any, TypeVar

from aiohttp import web
from cattrs import BaseValidationError

from .._converter import converter, structure_error_path
from ._area import FakeError

__all__ = [
    "envelope",
    "error_response",
    "json_response",
    "rate_limit_error",
    "read_body",
    "read_query",
    "reason",
]

M = TypeVar("M")

#: The client's converter, refusing keys a request model does not have: a typo in a
#: client's request must fail here, as the API fails it, not be dropped in silence.
_requests = converter.copy(forbid_extra_keys=True)


def envelope(key: str, value: object, **extra: object) -> bytes:
    """``{"success": true, key: value, ...}`` as the API wraps most responses."""
    document: dict[str, Any] = {"success": True, key: converter.unstructure(value)}
    document.update({name: converter.unstructure(item) for name, item in extra.items()})
    return json.dumps(document).encode()


async def read_body(request: web.Request, model: type[M]) -> M:
    """The request's JSON body as ``model``; a 400 naming the problem otherwise."""
    raw = await request.read()
    try:
        document = json.loads(raw) if raw else None
    except ValueError:
        raise FakeError(400, "Invalid request: the body is not JSON") from None
    if not isinstance(document, dict):
        raise FakeError(400, "Invalid request: the body must be a JSON object")
    try:
        parsed: M = _requests.structure(document, model)
    except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
        message, where = structure_error_path(exc)
        raise FakeError(400, f"Invalid request: {message} at {where}") from None
    return parsed


def read_query(request: web.Request, allowed: Collection[str]) -> dict[str, str]:
    """The query parameters, refusing any the endpoint does not take."""
    unknown = sorted(set(request.query) - set(allowed))
    if unknown:
        raise FakeError(400, f"Invalid request: unknown query parameters {unknown}")
    return dict(request.query)


def reason(status: int) -> str:
    """The standard reason phrase of a status ("Service Unavailable")."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def json_response(
    status: int, body: bytes, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON response from an already serialised body."""
    return web.Response(status=status, body=body, headers=headers, content_type="application/json")


def error_response(
    status: int,
    message: str | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    code: str | None = None,
    retryable: bool = False,
    request_id: str | None = None,
) -> web.Response:
    """An error as the API sends it: the newer ``{code, message, retryable}`` shape for
    429 and for errors with a ``code`` (such as 422, with ``requestId`` when given), the
    legacy ``{"success": false, "error": ...}`` one for everything else."""
    body: dict[str, object]
    if status == 429:
        body = {
            "code": code or "RATE_LIMIT_EXCEEDED",
            "message": message or "Rate limit exceeded. Please retry after a short delay.",
            "retryable": True,
        }
    elif code is not None:
        body = {"code": code, "message": message or reason(status), "retryable": retryable}
        if request_id is not None:
            body["requestId"] = request_id
    else:
        body = {"success": False, "error": message or reason(status)}
    return json_response(status, json.dumps(body).encode(), headers)


def rate_limit_error(retry_after: int, limit: int) -> web.Response:
    """429 with ``Retry-After`` (whole seconds) and the documented body."""
    message = (
        f"Rate limit exceeded: at most {limit} requests per second. Retry after {retry_after} s."
    )
    return error_response(429, message, {"Retry-After": str(retry_after)})
