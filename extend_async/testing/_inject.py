"""Playing a scripted fault on the wire: error answers, broken bodies, dropped sockets."""

from __future__ import annotations

import json

from aiohttp import web

from ._faults import Fault
from ._wire import error_response, json_response, reason

__all__ = ["mangle", "replace"]


def _drop(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.close()


def _gateway_page(status: int) -> str:
    title = f"{status} {reason(status)}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )


async def replace(request: web.Request, fault: Fault) -> web.StreamResponse | None:
    """The answer a fault gives instead of serving the request; None means the
    connection was closed without any answer."""
    if fault.kind == "disconnect_mid_request":
        await request.content.readany()  # the first chunk of the body has arrived
        _drop(request)
        return None
    if fault.kind == "disconnect":
        _drop(request)
        return None
    status = fault.status or 500
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
    if fault.kind == "html":
        return web.Response(
            status=status, text=_gateway_page(status), content_type="text/html", headers=headers
        )
    if fault.kind == "non_json":
        return web.Response(
            status=status,
            text="upstream answered with something that is not JSON",
            content_type="text/plain",
            headers=headers,
        )
    if fault.body is not None:
        return json_response(status, json.dumps(fault.body).encode(), headers)
    return error_response(status, headers=headers)


async def mangle(
    request: web.Request, response: web.StreamResponse, fault: Fault
) -> web.StreamResponse:
    """Break a genuine response: cut its JSON in half, or send half and hang up."""
    body = response.body if isinstance(response, web.Response) else None
    payload = body if isinstance(body, bytes) else b""
    half = payload[: len(payload) // 2]
    if fault.kind == "truncated_json":
        return json_response(response.status, half)
    partial = web.StreamResponse(status=response.status)
    partial.content_type = response.content_type
    partial.content_length = len(payload)
    await partial.prepare(request)
    await partial.write(half)
    _drop(request)
    return partial
