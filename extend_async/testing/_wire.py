"""The responses the fake sends, in the shapes the API documents."""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus

from aiohttp import web

__all__ = ["error_response", "json_response", "rate_limit_error", "reason"]


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
    status: int, message: str | None = None, headers: Mapping[str, str] | None = None
) -> web.Response:
    """An error as the API sends it: the newer ``{code, message, retryable}`` shape for
    429, the legacy ``{"success": false, "error": ...}`` one for everything else."""
    body: dict[str, object]
    if status == 429:
        body = {
            "code": "RATE_LIMIT_EXCEEDED",
            "message": message or "Rate limit exceeded. Please retry after a short delay.",
            "retryable": True,
        }
    else:
        body = {"success": False, "error": message or reason(status)}
    return json_response(status, json.dumps(body).encode(), headers)


def rate_limit_error(retry_after: int, limit: int) -> web.Response:
    """429 with ``Retry-After`` (whole seconds) and the documented body."""
    message = (
        f"Rate limit exceeded: at most {limit} requests per second. Retry after {retry_after} s."
    )
    return error_response(429, message, {"Retry-After": str(retry_after)})
