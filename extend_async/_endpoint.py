"""Endpoint declarations and the single executor every call goes through.

A resource method only *describes* a request (an :class:`Endpoint` rendered into a
:class:`Call`); :class:`Pipeline` runs it: gate -> retry loop -> transport -> converter.
No endpoint opens its own session, parses its own JSON or maps its own errors.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import math
import random
import re
import time
import warnings
from collections.abc import Callable, Coroutine, Mapping
from string import Formatter
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Final,
    Generic,
    Literal,
    ParamSpec,
    TypeVar,
    overload,
)
from urllib.parse import quote

import aiohttp
import attrs
import yarl
from cattrs import BaseValidationError
from multidict import CIMultiDictProxy

from . import _json, _retry
from ._clock import Clock
from ._converter import converter, structure_error_path
from ._introspect import Described, binding_error, call_result, signature_without_self
from ._limits import Gate, GateRefusedError
from ._transport import RawResponse, Transport, display_url
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    ResponseValidationError,
    body_excerpt,
    make_status_error,
)

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._config import ClientConfig

__all__ = [
    "APIResponse",
    "ApiMethod",
    "Call",
    "DeprecatedApiMethod",
    "Endpoint",
    "Pipeline",
    "api_method",
    "deprecated_api_method",
]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R", bound="HasPipeline")

logger = logging.getLogger("extend_async")

_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}
#: aiohttp rounds timeouts of this many seconds or more up to whole seconds.
_CEIL_THRESHOLD = 5.0


_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_~-]+")


def check_id(name: str, value: object) -> str:
    """An id must be a non-empty string: refused before anything is sent."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}: {value!r}")
    if not value:
        raise ValueError(f"{name} must be a non-empty string")
    return value


def encode_segment(name: str, value: object) -> str:
    """Percent-encode one path parameter as exactly one segment.

    ``/``, ``?``, ``#`` and ``%`` are escaped, and ``.``/``..`` too, so no id can climb
    out of its place in the path or start a query.
    """
    if type(value) is str and _PLAIN_SEGMENT.fullmatch(value):
        return value  # ids are almost always plain: nothing to encode
    segment = quote(check_id(name, value), safe="")
    return _DOT_SEGMENTS.get(segment, segment)


@attrs.frozen
class Endpoint(Generic[T]):
    """One API operation, declared: its name in the API reference (``get_processor_run``),
    method, path template, response model, and where the object sits in the body."""

    operation: str
    method: str
    path: str
    response_type: type[T]
    envelope: str | None = None
    #: For a list: the key of its items (the response is a ``Page`` of them).
    items: str | None = None
    #: The path template split once into (literal, parameter or None) pieces.
    _template: tuple[tuple[str, str | None], ...] = attrs.field(init=False, repr=False, eq=False)
    _params: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    #: The converter's hook for ``response_type``, looked up on first use (not at import).
    _hook: Callable[[Any, Any], T] | None = attrs.field(
        init=False, default=None, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        pieces = tuple((text, name or None) for text, name, _, _ in Formatter().parse(self.path))
        object.__setattr__(self, "_template", pieces)
        object.__setattr__(self, "_params", frozenset(name for _, name in pieces if name))

    @property
    def idempotent(self) -> bool:
        return _retry.is_idempotent(self.method)

    def call(
        self,
        *,
        query: Mapping[str, str] | None = None,
        body: object = None,
        stream: Callable[[], aiohttp.Payload] | None = None,
        timeout_at_least: float | None = None,
        **path_params: object,
    ) -> Call[T]:
        """Render the path (each parameter one encoded segment) into a :class:`Call`."""
        if path_params.keys() != self._params:
            raise TypeError(
                f"{self.method} {self.path}: takes the path parameters "
                f"{sorted(self._params)}, got {sorted(path_params)}"
            )
        path = ""
        try:
            for text, name in self._template:
                path += text if name is None else text + encode_segment(name, path_params[name])
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{self.method} {self.path}: {exc}") from None
        return Call(self, path, query, body, timeout_at_least, stream)

    def parse(self, document: Any) -> T:
        """The response model from a decoded body, by the one converter: the object under
        ``envelope``, a ``Page`` of the list under ``items``, or the whole body.

        A body of another shape raises :class:`ShapeError` with its wire path.
        """
        key = self.envelope or self.items
        payload = document
        if key is not None:
            if not isinstance(document, dict) or key not in document:
                raise ShapeError(f"the response lacks the {key!r} key", f"$.{key}")
            payload = document[key]
        if self.items is not None:
            token = document.get("nextPageToken") or None
            payload, key = {"items": payload, "nextPageToken": token}, None
        hook = self._hook
        if hook is None:
            hook = converter.get_structure_hook(self.response_type)
            object.__setattr__(self, "_hook", hook)
        try:
            return hook(payload, self.response_type)
        except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
            message, at = structure_error_path(exc, "$" if key is None else f"$.{key}")
            if self.items is not None:  # the items are under their own key on the wire
                at = at.replace("$.items", f"$.{self.items}", 1)
            raise ShapeError(f"unexpected response shape: {message} at {at}", at) from exc


class ShapeError(Exception):
    """A decoded body that is not the documented shape (``path`` names where)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@attrs.define
class Call(Generic[T]):
    """A request ready to send: the endpoint, its rendered path, query and body.

    Built once per call and never changed; not frozen, since a frozen attrs instance
    costs twice as much to build and every request builds one.
    """

    endpoint: Endpoint[T]
    path: str
    query: Mapping[str, str] | None = None
    body: object = None
    #: A call the server may hold open (``sync=True``) gets at least this long.
    timeout_at_least: float | None = None
    #: A body streamed rather than JSON (an upload): a new payload for each attempt. It
    #: raises :class:`NotReplayable` when its source cannot be read again.
    stream: Callable[[], aiohttp.Payload] | None = None


@attrs.frozen
class APIResponse(Generic[T]):
    """The parsed object together with what the raw exchange said about it."""

    parsed: T
    status_code: int
    headers: CIMultiDictProxy[str]
    request_id: str | None
    elapsed: float
    attempts: int
    warning: str | None = None


class HasPipeline:
    """Anything whose methods send requests (resources): they hold the pipeline."""

    _pipeline: Pipeline


#: What an error we raise may have picked up as its implicit ``__context__`` and must
#: not keep: aiohttp's errors (their request info holds our headers) and asyncio's
#: signals. On 3.10 a task resumed while asyncio handles the end of the task it awaited
#: (a cancelled body writer, a failed send) chains that to whatever it raises next.
_NOT_CONTEXT: Final = (aiohttp.ClientError, asyncio.CancelledError, asyncio.TimeoutError)


def _drop_implicit_context(error: BaseException) -> None:
    if isinstance(error.__context__, _NOT_CONTEXT):
        error.__context__ = None


class Pipeline:
    """The request path shared by a client and its ``with_options`` siblings.

    Siblings share the transport, the gate and the clock; only the config differs.
    """

    __slots__ = (
        "_base",
        "_base_path",
        "_headers",
        "_rounds_to_total",
        "_timeout",
        "_whole_second_timeouts",
        "clock",
        "config",
        "gate",
        "rng",
        "transport",
    )

    def __init__(
        self,
        config: ClientConfig,
        transport: Transport,
        gate: Gate,
        clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.transport = transport
        self.gate = gate
        self.clock = clock
        self.rng = rng or random.Random()
        # Parsed once: a request's URL is this one with its path replaced, which skips
        # splitting and re-parsing the whole URL string on every request.
        self._base = yarl.URL(config.base_url, encoded=True)
        self._base_path = self._base.raw_path.rstrip("/")
        # Sent per request: only what differs from the session's defaults.
        defaults = transport.default_headers
        extra = {k: v for k, v in config.headers.items() if defaults.get(k) != v}
        self._headers: Mapping[str, str] | None = extra or None
        same_timeout = config.client_timeout == transport.default_timeout
        self._timeout = None if same_timeout else config.client_timeout
        self._whole_second_timeouts: dict[int, aiohttp.ClientTimeout] = {}
        #: What is left after a wait shorter than this rounds up to the whole timeout.
        total = config.timeout.total
        self._rounds_to_total = math.inf
        if total is not None and total >= _CEIL_THRESHOLD + 1 and total == int(total):
            self._rounds_to_total = total - 1.0

    def with_config(self, config: ClientConfig) -> Pipeline:
        return Pipeline(config, self.transport, self.gate, self.clock, self.rng)

    @overload
    async def execute(
        self, call: Call[T], *, wait_deadline: float | None = None
    ) -> APIResponse[T]: ...
    @overload
    async def execute(
        self, call: Call[T], *, parsed_only: Literal[True], wait_deadline: float | None = None
    ) -> T: ...
    async def execute(
        self, call: Call[T], *, parsed_only: bool = False, wait_deadline: float | None = None
    ) -> APIResponse[T] | T:
        """Run ``call`` through gate, retries and transport; parse the success body.

        ``parsed_only`` returns just the object, skipping what only
        :class:`APIResponse` needs (the request id lookup, the response object).
        ``wait_deadline`` (on the client's clock) is a waiting caller's: no wait at
        the gate and no backoff may pass it, and when one would,
        :class:`WaitDeadline` is raised instead (the attempt itself is bounded only by
        the call's own timeout).
        """
        try:
            return await self._attempts(call, parsed_only, wait_deadline)
        except BaseException as failure:
            _drop_implicit_context(failure)
            raise

    async def _attempts(
        self, call: Call[T], parsed_only: bool, wait_deadline: float | None
    ) -> APIResponse[T] | T:
        """:meth:`execute`'s work: the attempts of ``call`` until one answers or the
        retry policy, the deadline or the call's own timeout ends them."""
        config = self.config
        endpoint = call.endpoint
        url = self._base.with_path(self._base_path + call.path, encoded=True)
        body = None if call.body is None else json.dumps(call.body).encode()
        headers = self._headers
        if body is not None:
            headers = {**(headers or {}), "Content-Type": "application/json"}
        policy = config.retry
        clock = self.clock
        total = config.timeout.total
        at_least = call.timeout_at_least
        longer = at_least is not None and total is not None and at_least > total
        if longer:
            total = at_least
        call_deadline = None if total is None else clock.monotonic() + total
        waiter_binds = wait_deadline is not None and (
            call_deadline is None or wait_deadline < call_deadline
        )
        limit = wait_deadline if waiter_binds else call_deadline
        retries_done = 0
        error: APIConnectionError | APIStatusError
        previous: APIConnectionError | APIStatusError | None = None  # the last attempt's
        debug = logger.isEnabledFor(logging.DEBUG)
        gate = self.gate
        while True:
            # An attempt sent at once takes the client's timeout as it is; one that
            # waited (at the gate, or for a retry) gets what is left of the call's.
            fresh = not retries_done and not longer
            if not gate.try_enter():
                try:
                    await gate.acquire(limit)
                except GateRefusedError as refused:
                    raise self._not_sent(call, url, refused, waiter_binds) from None
                fresh = False
            try:
                timeout = self._timeout
                if not fresh and call_deadline is not None:
                    timeout = self._attempt_timeout(call_deadline, call, url)
                data: bytes | aiohttp.Payload | None = body
                sent_headers = headers
                if call.stream is not None:
                    data = self._payload(call, previous)
                    sent_headers = {**(headers or {}), "Content-Type": data.content_type}
                raw = await self.transport.send(
                    endpoint.method,
                    url,
                    headers=sent_headers,
                    params=call.query,
                    body=data,
                    timeout=timeout,
                )
            except APIConnectionError as exc:
                error = exc
                if debug:
                    _log_attempt(endpoint.method, call.path, None, retries_done, None, exc)
            else:
                if debug:
                    _log_attempt(endpoint.method, call.path, raw.status, retries_done, raw.elapsed)
                if 200 <= raw.status < 300:
                    parsed, warning = _parse_success(call, raw, url)
                    if parsed_only:
                        return parsed
                    return APIResponse(
                        parsed=parsed,
                        status_code=raw.status,
                        headers=raw.headers,
                        request_id=raw.headers.get("x-request-id"),
                        elapsed=raw.elapsed,
                        attempts=retries_done + 1,
                        warning=warning,
                    )
                error = _status_error(raw, endpoint.method, url)
            finally:
                gate.release()

            delay = _retry.retry_delay(
                policy,
                error,
                retries_done=retries_done,
                idempotent=endpoint.idempotent,
                now=time.time(),
                rng=self.rng,
            )
            if isinstance(error, RateLimitError) and error.retry_after is not None:
                # Whatever we decide for this call, the client as a whole backs off.
                gate.cool_down(min(error.retry_after, policy.max_retry_after))
                if error.retry_after > policy.max_retry_after:
                    error.max_retry_after = policy.max_retry_after
            if delay is None:
                raise error
            if limit is not None and clock.monotonic() + delay > limit:
                if waiter_binds:
                    raise WaitDeadline(
                        "a retry would come after the wait's deadline",
                        sent=True,
                        method=endpoint.method,
                        url=display_url(url),
                    ) from error
                raise error
            retries_done += 1
            previous = error
            logger.info(
                "retrying %s %s in %.3f s (retry %d of %d) after %s",
                endpoint.method,
                call.path,
                delay,
                retries_done,
                policy.max_retries,
                _describe(error),
            )
            if delay > 0 and not _retry.is_testing():
                await clock.sleep(delay)

    async def download(self, url: str) -> bytes:
        """The bytes behind a URL outside the API (see ``AsyncExtend.download``): on the
        transport's pool, with none of the API's headers, within the client's timeout."""
        parsed = yarl.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError(f"download() takes an absolute http(s) URL, got {url!r}")
        raw = await self.transport.download(parsed, self.config.client_timeout)
        if not 200 <= raw.status < 300:
            raise make_status_error(
                raw.status, raw.reason, raw.headers, raw.body, method="GET", url=display_url(parsed)
            )
        return raw.body

    @staticmethod
    def _payload(call: Call[Any], previous: APIError | None) -> aiohttp.Payload:
        """A streamed body for this attempt; a retry whose source cannot be read again
        (a stream already consumed) gives up with the previous attempt's error."""
        assert call.stream is not None
        try:
            return call.stream()
        except NotReplayable:
            if previous is None:
                raise
        raise previous  # outside the handler: the signal is no part of the user's error

    def _attempt_timeout(
        self, deadline: float, call: Call[Any], url: yarl.URL
    ) -> aiohttp.ClientTimeout | None:
        """The attempt's timeout: what is left of the call's, so none outlives it.

        aiohttp rounds a timeout of 5 s or more up to whole seconds anyway, so such a
        one is rounded up here too and its ``ClientTimeout`` made once (building one
        costs about as much as the rest of the gate): after a short wait at the gate it
        is simply the client's own (None: the session default).
        """
        remaining = deadline - self.clock.monotonic()
        if remaining <= 0:
            raise APITimeoutError(
                "not sent: the call's time limit ran out",
                may_have_been_sent=False,
                transient=False,
                method=call.endpoint.method,
                url=display_url(url),
            )
        if self._rounds_to_total < remaining <= self._rounds_to_total + 1.0:
            return self._timeout  # after the usual short wait: the client's own timeout
        connect = self.config.timeout.connect
        if remaining < _CEIL_THRESHOLD:
            return aiohttp.ClientTimeout(total=remaining, sock_connect=connect)
        seconds = math.ceil(remaining)
        if seconds == self.config.timeout.total:
            return self._timeout
        timeout = self._whole_second_timeouts.get(seconds)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(total=seconds, sock_connect=connect)
            self._whole_second_timeouts[seconds] = timeout
        return timeout

    def _not_sent(
        self, call: Call[Any], url: yarl.URL, refused: GateRefusedError, waiter_binds: bool
    ) -> APIError:
        """The error for a request the gate could not admit in time."""
        where = {"method": call.endpoint.method, "url": display_url(url)}
        if waiter_binds:
            return WaitDeadline(f"not sent: {refused.reason}", sent=False, **where)
        total = self.config.timeout.total
        if refused.cooldown:
            error: APIError = RateLimitError(
                f"not sent: {refused.reason}, longer than this call's time limit ({total:g} s)",
                status_code=429,
                body=None,
                headers={},
                retry_after=refused.wait,
                **where,
            )
        else:
            error = APITimeoutError(
                f"not sent: {refused.reason}, past this call's time limit ({total:g} s)",
                may_have_been_sent=False,
                transient=False,
                **where,
            )
        error._sent = False
        return error


class NotReplayable(Exception):  # noqa: N818 - a signal, raised to the pipeline only
    """A streamed body whose source was consumed by an attempt and cannot be read again."""


class WaitDeadline(APITimeoutError):  # noqa: N818 - a signal between two modules
    """A poll that could not be made, or retried, before its wait's deadline.

    Raised only to a caller that passed ``wait_deadline`` (the polling scheduler), which
    ends that wait with :class:`~extend_async.WaitTimeoutError`; ``_sent`` says whether
    an attempt reached the wire first.
    """

    def __init__(self, message: str, *, sent: bool, method: str, url: str) -> None:
        super().__init__(message, may_have_been_sent=sent, transient=False, method=method, url=url)
        self._sent = sent


def _status_error(raw: RawResponse, method: str, url: yarl.URL) -> APIStatusError:
    retry_after = None
    if raw.status == 429:
        retry_after = _retry.parse_retry_after(raw.headers, time.time())
    return make_status_error(
        raw.status,
        raw.reason,
        raw.headers,
        raw.body,
        retry_after=retry_after,
        method=method,
        url=display_url(url),
    )


def _parse_success(call: Call[T], raw: RawResponse, url: yarl.URL) -> tuple[T, str | None]:
    """The structured payload of a success and the server's warning, if any."""
    endpoint = call.endpoint
    try:
        document = _json.loads(raw.body)
    except (ValueError, RecursionError):
        raise ResponseValidationError(
            f"the {raw.status} response is not JSON "
            f"(content-type {raw.headers.get('Content-Type', 'missing')!r})",
            status_code=raw.status,
            body=body_excerpt(raw.body),
            method=endpoint.method,
            url=display_url(url),  # made only now: it costs more than a request's parsing
        ) from None
    try:
        parsed = endpoint.parse(document)
    except ShapeError as exc:
        raise ResponseValidationError(
            exc.message,
            status_code=raw.status,
            body=body_excerpt(raw.body),
            path=exc.path,
            method=endpoint.method,
            url=display_url(url),
        ) from exc.__cause__
    warning = document.get("warning") if isinstance(document, dict) else None
    if isinstance(warning, str) and warning:
        logger.warning("%s %s: server warning: %s", endpoint.method, call.path, warning)
        return parsed, warning
    return parsed, None


def _log_attempt(
    method: str,
    path: str,
    status: int | None,
    retries_done: int,
    elapsed: float | None,
    error: Exception | None = None,
) -> None:
    """One DEBUG line per attempt (callers check that DEBUG is enabled)."""
    outcome = status if error is None else _describe(error)
    took = "" if elapsed is None else f", {elapsed * 1000:.1f} ms"
    logger.debug("%s %s -> %s (attempt %d%s)", method, path, outcome, retries_done + 1, took)


def _describe(error: Exception) -> str:
    if isinstance(error, APIStatusError):
        return f"HTTP {error.status_code}"
    return type(error).__name__


class BoundApiMethod(Described, Generic[P, T]):
    """A resource's endpoint method: ``await m(...)`` gives the object, ``m.raw(...)``
    gives it with status, headers and request id, through the very same executor."""

    __slots__ = ("_method", "_owner")

    def __init__(self, owner: HasPipeline, method: ApiMethod[Any, P, T]) -> None:
        self._owner = owner
        self._method = method

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        owner, method = self._owner, self._method
        try:  # describe(), inlined: every request passes here
            call = method._build(owner, *args, **kwargs)
        except TypeError as exc:
            renamed = method.refused(exc, owner)
            if renamed is None:
                raise
            raise renamed from None
        return await owner._pipeline.execute(call, parsed_only=True)

    async def raw(self, *args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        """The parsed object plus status, headers, request id and attempt count."""
        call = self._method.describe(self._owner, args, kwargs)
        return await self._owner._pipeline.execute(call)

    def _target_name(self) -> str:
        return self._method.__name__

    def _target_doc(self) -> str | None:
        return self._method.__doc__

    def _target_signature(self) -> inspect.Signature:
        return self._method.signature()


class ApiMethod(Generic[R, P, T]):
    """Descriptor made by :func:`api_method`; see :class:`BoundApiMethod`."""

    #: What to use instead, for an endpoint the API deprecates (see DeprecatedApiMethod).
    deprecation: str | None = None

    def __init__(self, build: Callable[Concatenate[R, P], Call[T]]) -> None:
        self._build = build
        self._signature: inspect.Signature | None = None
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__

    def describe(self, owner: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Call[T]:
        """The request for these arguments; arguments that do not fit the method are
        refused in the words of the method the user called (``runs.get()``)."""
        try:
            return self._build(owner, *args, **kwargs)
        except TypeError as exc:
            renamed = self.refused(exc, owner)
            if renamed is None:
                raise
            raise renamed from None

    def refused(self, exc: TypeError, owner: Any) -> TypeError | None:
        """The error for arguments that do not fit, named after the method the user
        called; None for a TypeError raised inside the method (left as it is)."""
        public = f"{getattr(owner, '_name', type(owner).__name__)}.{self.__name__}"
        return binding_error(exc, self._build, public)

    #: What the method returns, given what its describing function returns.
    _returns = staticmethod(call_result)

    def signature(self) -> inspect.Signature:
        """The method as callers see it: the describing function's parameters, and the
        object the request returns."""
        if self._signature is None:
            self._signature = signature_without_self(self._build, self._returns)
        return self._signature

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: R, owner: type[Any]) -> BoundApiMethod[P, T]: ...
    def __get__(self, instance: R | None, owner: type[Any]) -> Self | BoundApiMethod[P, T]:
        if instance is None:
            return self
        return BoundApiMethod(instance, self)


def api_method(build: Callable[Concatenate[R, P], Call[T]]) -> ApiMethod[R, P, T]:
    """Turn a method that describes a request into an awaitable endpoint method."""
    return ApiMethod(build)


class DeprecatedApiMethod(ApiMethod[R, P, T]):
    """An endpoint the API deprecates: every call warns (``DeprecationWarning``, at the
    caller's line) with ``deprecation``, then runs as any other."""

    def __init__(self, build: Callable[Concatenate[R, P], Call[T]], deprecation: str) -> None:
        super().__init__(build)
        self.deprecation = deprecation

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: R, owner: type[Any]) -> BoundApiMethod[P, T]: ...
    def __get__(self, instance: R | None, owner: type[Any]) -> Self | BoundApiMethod[P, T]:
        if instance is None:
            return self
        return _WarningApiMethod(instance, self)


class _WarningApiMethod(BoundApiMethod[P, T]):
    """A bound deprecated method: it warns when called (not when awaited), so the
    warning points at the line that made the call."""

    __slots__ = ()

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, T]:
        warnings.warn(str(self._method.deprecation), DeprecationWarning, stacklevel=2)
        return BoundApiMethod.__call__(self, *args, **kwargs)

    def raw(self, *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, APIResponse[T]]:
        warnings.warn(str(self._method.deprecation), DeprecationWarning, stacklevel=2)
        return BoundApiMethod.raw(self, *args, **kwargs)


def deprecated_api_method(
    deprecation: str,
) -> Callable[[Callable[Concatenate[R, P], Call[T]]], DeprecatedApiMethod[R, P, T]]:
    """:func:`api_method` for an endpoint the API deprecates; ``deprecation`` says what
    to use instead."""

    def make(build: Callable[Concatenate[R, P], Call[T]]) -> DeprecatedApiMethod[R, P, T]:
        return DeprecatedApiMethod(build, deprecation)

    return make
