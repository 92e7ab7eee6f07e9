"""Every error of the pipeline names its request, and none carries the token.

"Carries" means anything reachable from the exception we raise: its message, its
attributes, and the exceptions chained to it (``__cause__``, ``__context__``), with
their attributes in turn (aiohttp's request info holds our Authorization header).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator, Mapping

import aiohttp
import aiohttp.web
import pytest
import yarl
from multidict import CIMultiDict, CIMultiDictProxy
from unit._drops import close_before_response, close_mid_body, closed_port, reset

from extend_async import (
    AsyncExtend,
    ExtendError,
    NotFoundError,
    RateLimitError,
    WaitTimeoutError,
)
from extend_async.testing import ManualClock

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"
_OPAQUE = (type, types.ModuleType, types.FunctionType, types.MethodType, types.BuiltinFunctionType)


def reachable(root: object) -> Iterator[object]:
    """Everything an exception leads to: chained exceptions, args, attributes, items."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if obj is None or isinstance(obj, (bool, int, float, *_OPAQUE)) or id(obj) in seen:
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, (str, bytes)):
            continue
        if isinstance(obj, BaseException):
            stack += [obj.__cause__, obj.__context__, *obj.args]
        if isinstance(obj, Mapping):
            stack += [*obj.keys(), *obj.values()]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack += list(obj)
        stack += list(getattr(obj, "__dict__", {}).values())
        for cls in type(obj).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                stack.append(getattr(obj, slot, None))


def assert_no_token(error: BaseException, token: str) -> None:
    leaks = [obj for obj in reachable(error) if token in repr(obj) or token in str(obj)]
    assert leaks == []


def request_info_with_token(token: str) -> aiohttp.RequestInfo:
    url = yarl.URL(f"https://api.extend.ai/batch_processor_runs/{RUN_ID}")
    headers = CIMultiDictProxy(CIMultiDict({"Authorization": f"Bearer {token}"}))
    return aiohttp.RequestInfo(url, "GET", headers, url)


async def redirect(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    raise aiohttp.web.HTTPFound(location=str(request.url))


async def html_502(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    return aiohttp.web.Response(status=502, text="<html><title>502</title></html>")


async def not_json(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    return aiohttp.web.Response(text="definitely not json")


async def wrong_shape(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    return aiohttp.web.json_response({"success": True, "batchProcessorRun": {"id": 7}})


async def not_found(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    return aiohttp.web.json_response({"error": "nope"}, status=404)


LOOPBACK_FAILURES: dict[str, Callable[..., object] | None] = {
    "reset": reset,
    "close-before-response": close_before_response,
    "close-mid-body": close_mid_body,
    "read-timeout": None,  # the loopback's own hold: answers only at teardown
    "redirect-loop": redirect,
    "html-502": html_502,
    "not-json": not_json,
    "wrong-shape": wrong_shape,
    "404": not_found,
}


@pytest.mark.parametrize("kind", sorted(LOOPBACK_FAILURES))
async def test_no_error_of_a_real_exchange_reaches_the_token(
    token: str, loopback, kind: str
) -> None:
    loopback.respond = LOOPBACK_FAILURES[kind] or loopback.hold

    async with AsyncExtend(token, base_url=loopback.url, timeout=0.2, clock=ManualClock()) as c:
        with pytest.raises(ExtendError) as info:
            await c.batch_processor_runs.get(RUN_ID)

    assert_no_token(info.value, token)
    # ... and each names its request, port included.
    assert str(info.value).startswith(f"GET {loopback.url}/batch_processor_runs/{RUN_ID}: ")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda t: aiohttp.ClientResponseError(request_info_with_token(t), ()), id="cre"
        ),
        pytest.param(
            lambda t: aiohttp.TooManyRedirects(request_info_with_token(t), ()), id="redirects"
        ),
        pytest.param(
            lambda t: aiohttp.ContentTypeError(request_info_with_token(t), (), message="x"),
            id="content-type",
        ),
    ],
)
async def test_aiohttp_errors_with_request_info_are_chained_without_it(
    token: str, make_client, mocked, run_url, fetch_error, make: Callable[[str], Exception]
) -> None:
    cause = make(token)
    mocked.get(run_url(), exception=cause)

    async with make_client(max_retries=0) as client:
        error = await fetch_error(client)

    assert_no_token(error, token)
    chained = error.__cause__
    assert type(chained) is type(cause)  # the type and message are kept
    assert isinstance(chained, aiohttp.ClientResponseError)
    assert chained.request_info.headers == {}
    assert error.__context__ is None


async def test_an_aiohttp_error_handled_around_the_call_is_not_chained_to_its_error(
    token: str, loopback
) -> None:
    # What asyncio does on 3.10 when it resumes the call while it handles the end of an
    # awaited task (a body writer that failed or was cancelled), done here by hand.
    loopback.respond = not_found
    around = aiohttp.ClientResponseError(request_info_with_token(token), ())

    async with AsyncExtend(token, base_url=loopback.url, max_retries=0) as client:
        try:
            raise around
        except aiohttp.ClientResponseError:
            with pytest.raises(ExtendError) as info:
                await client.batch_processor_runs.get(RUN_ID)

    assert info.value.__context__ is None
    assert_no_token(info.value, token)


async def test_a_refused_connection_names_host_and_port(token: str) -> None:
    port = closed_port()

    async with AsyncExtend(token, base_url=f"http://127.0.0.1:{port}", max_retries=0) as client:
        with pytest.raises(ExtendError) as info:
            await client.batch_processor_runs.get(RUN_ID)

    assert str(info.value).startswith(
        f"GET http://127.0.0.1:{port}/batch_processor_runs/{RUN_ID}: "
    )
    assert_no_token(info.value, token)


async def test_a_tls_failure_reaches_no_token(token: str, loopback) -> None:
    # https to a plain-HTTP port: the handshake fails.
    url = loopback.url.replace("http://", "https://")

    async with AsyncExtend(token, base_url=url, max_retries=0) as client:
        with pytest.raises(ExtendError) as info:
            await client.batch_processor_runs.get(RUN_ID)

    assert "TLS failure" in str(info.value)
    assert_no_token(info.value, token)


async def test_errors_made_by_the_client_itself_reach_no_token(
    token: str, make_client, mocked, run_url, run_body, clock: ManualClock
) -> None:
    mocked.get(run_url(), status=429, headers={"Retry-After": "30"}, repeat=True)

    async with make_client(max_retries=0) as client:
        with pytest.raises(RateLimitError) as refused_by_server:
            await client.batch_processor_runs.get(RUN_ID)
        with pytest.raises(RateLimitError) as refused_by_gate:
            await client.with_options(timeout=1).batch_processor_runs.get(RUN_ID)
        with pytest.raises(WaitTimeoutError) as wait_ended:
            await client.batch_processor_runs.wait(RUN_ID, timeout=1)

    for error in (refused_by_server.value, refused_by_gate.value, wait_ended.value):
        assert_no_token(error, token)


async def test_get_many_says_which_id_was_not_found(make_client, mocked, run_body) -> None:
    base = "https://api.extend.ai/batch_processor_runs"
    mocked.get(f"{base}/bpr_ok", payload=run_body)
    mocked.get(f"{base}/bpr_missing", status=404, payload={"error": "Not found"}, repeat=True)

    async with make_client() as client:
        with pytest.raises(NotFoundError) as info:
            await client.batch_processor_runs.get_many(["bpr_ok", "bpr_missing"])
        got = await client.batch_processor_runs.get_many(["bpr_missing"], return_exceptions=True)

    assert str(info.value) == f"GET {base}/bpr_missing: 404 Not found"
    assert info.value.url == f"{base}/bpr_missing"
    assert isinstance(got[0], NotFoundError)
    assert got[0].url == f"{base}/bpr_missing"
