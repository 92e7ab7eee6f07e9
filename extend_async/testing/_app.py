"""The fake's aiohttp application: the routes of every area, and what every request passes.

Each request goes: journal -> scripted fault -> auth -> API version -> rate limit ->
the area's handler. A handler's :class:`FakeError` becomes the API's error answer.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from typing import Final

import attrs
from aiohttp import web

from ._area import FakeError
from ._areas import AREA_CLASSES, Areas
from ._faults import FaultPlan
from ._inject import mangle, replace
from ._journal import RequestJournal, RequestRecord
from ._rate_limit import RateLimiter
from ._wire import error_response, rate_limit_error

__all__ = ["ROUTE_NAMES", "FakeState", "build_app"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: The operation names the fake serves (what faults and request counts are keyed by).
ROUTE_NAMES: Final = tuple(entry.name for area in AREA_CLASSES for entry in area.ROUTES)
#: The routes outside the API (presigned downloads): no token, version or rate limit.
PUBLIC_ROUTES: Final = frozenset(
    entry.name for area in AREA_CLASSES for entry in area.ROUTES if entry.public
)


@attrs.frozen
class FakeState:
    """Everything the handlers share."""

    areas: Areas
    faults: FaultPlan
    limiter: RateLimiter
    journal: RequestJournal
    token: str = attrs.field(repr=False)
    api_version: str
    #: Requests held back by a latency fault, cancelled when the fake stops.
    delayed: set[asyncio.Task[object]]


STATE: Final = web.AppKey("state", FakeState)


def build_app(state: FakeState) -> web.Application:
    """A fresh application over ``state``, with every area's routes."""
    app = web.Application(middlewares=[_front_door])
    app[STATE] = state
    for area in state.areas:
        for entry, handler in area.handlers():
            app.router.add_route(entry.method, entry.path, handler, name=entry.name)
    return app


@web.middleware
async def _front_door(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE]
    match = request.match_info
    # The router matches the still-encoded path and decodes each parameter once, so an
    # id such as "a/b?c" or "../files" arrives here literally.
    route = match.route.name
    run_id = match.get("id")
    state.journal.arrived(route, run_id, request.headers)
    status: int | None = None  # no answer: dropped, or cut short when the fake stopped
    try:
        response = await _serve(state, request, handler, route, run_id)
    except ConnectionResetError:
        return web.Response()  # the client left mid-request (an upload): nobody to answer
    except Exception:
        status = 500  # what aiohttp answers for an error in a handler
        raise
    else:
        if response is None:
            return web.Response()  # never sent: the connection is already closed
        status = response.status
        return response
    finally:
        state.journal.answered(
            RequestRecord(
                method=request.method,
                path=request.raw_path,
                status=status,
                route=route,
                id=run_id,
                workspace_id=request.headers.get("x-extend-workspace-id"),
            )
        )


async def _serve(
    state: FakeState,
    request: web.Request,
    handler: Handler,
    route: str | None,
    run_id: str | None,
) -> web.StreamResponse | None:
    fault = state.faults.take(route, run_id)
    if fault is None:
        return await _checked(state, request, handler)
    if fault.latency:
        await _delay(state, fault.latency)
    if fault.kind is not None and not fault.after_serving:
        return await replace(request, fault)
    response = await _checked(state, request, handler)
    return await mangle(request, response, fault) if fault.after_serving else response


async def _delay(state: FakeState, seconds: float) -> None:
    task = asyncio.current_task()
    assert task is not None  # a handler always runs in a task
    state.delayed.add(task)
    try:
        await asyncio.sleep(seconds)
    finally:
        state.delayed.discard(task)


async def _checked(state: FakeState, request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.match_info.route.name in PUBLIC_ROUTES:
        return await _answered(request, handler)
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        credential.encode(), state.token.encode()
    ):
        return error_response(401, "Unauthorized")
    version = request.headers.get("x-extend-api-version")
    if version is None:
        return error_response(
            400, f"Missing x-extend-api-version header; this server speaks {state.api_version}"
        )
    if version != state.api_version:
        return error_response(
            400,
            f"Unsupported x-extend-api-version {version!r}; this server speaks {state.api_version}",
        )
    limiter = state.limiter
    retry_after = limiter.admit(credential)
    if retry_after is not None:
        return rate_limit_error(retry_after, limiter.limit or 0)
    unmatched = request.match_info.http_exception
    if unmatched is not None:
        return error_response(unmatched.status, unmatched.reason)
    return await _answered(request, handler)


async def _answered(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The handler's answer; its :class:`FakeError` as the API's error answer."""
    try:
        return await handler(request)
    except FakeError as error:
        return error_response(
            error.status,
            error.message,
            code=error.code,
            retryable=error.retryable,
            request_id=error.request_id,
        )
