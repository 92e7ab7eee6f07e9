"""One HTTP exchange over one long-lived aiohttp session; no retry logic here.

The session is created lazily inside the running loop (aiohttp 3.10+ refuses one
built outside a loop), remembered with that loop and the process id, and reused for
every request. A session the user passed in is used as is and never closed by us.
aiohttp's exceptions become ours here, each marked with whether the request may have
reached the server: that flag is what keeps non-idempotent requests from running twice.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from typing import Any

import aiohttp
import attrs
import yarl
from multidict import CIMultiDict, CIMultiDictProxy

from .errors import APIConnectionError, APITimeoutError, ClientClosedError, ExtendError

__all__ = ["RawResponse", "StreamedBodyError", "Transport", "display_url"]


class StreamedBodyError(Exception):
    """Raised by a streamed body when its own side fails (reading its source, a
    progress callback): the request then raises ``error`` itself, not a network error,
    since nothing about the connection went wrong."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


@attrs.define
class RawResponse:
    """What came back from one attempt: status, headers and the whole body.

    Never changed once built; not frozen, since every attempt builds one and a frozen
    attrs instance costs about twice as much.
    """

    status: int
    reason: str | None
    headers: CIMultiDictProxy[str]
    body: bytes
    elapsed: float


class Transport:
    """Owns (or borrows) the aiohttp session of a client and its siblings."""

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None,
        pool_size: int,
        default_headers: Mapping[str, str],
        default_timeout: aiohttp.ClientTimeout,
    ) -> None:
        owned = session is None
        #: Set once on a session we create, so aiohttp merges nothing per request;
        #: a user's session gets everything per request instead.
        self.default_headers: Mapping[str, str] = dict(default_headers) if owned else {}
        self.default_timeout = default_timeout if owned else None
        self._session = session
        self._owns_session = session is None
        self._pool_size = pool_size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = os.getpid()
        self._closed = False
        # Sessions left behind by a fork: their loop is gone in the child, so they can
        # be neither used nor closed; holding them avoids a spurious "unclosed" warning.
        self._orphans: list[aiohttp.ClientSession] = []
        #: For URLs the API hands out (presigned downloads): the same connection pool,
        #: none of the API's headers (our token must never travel to another host).
        self._bare: aiohttp.ClientSession | None = None

    @property
    def closed(self) -> bool:
        return self._closed

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise ClientClosedError("this client is closed; create a new one")
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            session = self._session = aiohttp.ClientSession(
                connector=connector,
                headers=self.default_headers,
                timeout=self.default_timeout or aiohttp.ClientTimeout(),
                raise_for_status=False,
                trust_env=False,
            )
            _no_silent_resend(session)
            self._loop = loop
        elif self._loop is None:
            _no_silent_resend(session)  # a borrowed session, on its first use by us
            self._loop = loop
        if loop is not self._loop:
            raise ExtendError(
                "this client is bound to the event loop it was first used in; create one "
                "AsyncExtend per event loop (or use the sync Extend client from threads)"
            )
        if self._pid != os.getpid():
            raise ExtendError(
                "this client was created before os.fork(); create a new client in the child"
            )
        return session

    async def send(
        self,
        method: str,
        url: yarl.URL,
        *,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
        body: bytes | aiohttp.Payload | None,
        timeout: aiohttp.ClientTimeout | None,
    ) -> RawResponse:
        """Send one request and read the whole response inside its context.

        ``headers`` and ``timeout`` are what differs from the session's defaults.
        Redirects are never followed: the API does not redirect, and a redirect must
        not carry our headers to another host.
        """
        session = self._get_session()
        started = time.perf_counter()
        kwargs: dict[str, Any] = {"allow_redirects": False}
        if headers is not None:
            kwargs["headers"] = headers
        if timeout is not None:
            kwargs["timeout"] = timeout
        if params:
            kwargs["params"] = params
        if body is not None:
            kwargs["data"] = body
        try:
            async with session.request(method, url, **kwargs) as response:
                payload = await response.read()
                return RawResponse(
                    status=response.status,
                    reason=response.reason,
                    headers=response.headers,
                    body=payload,
                    elapsed=time.perf_counter() - started,
                )
        except aiohttp.ClientError as exc:
            # A streamed body whose own source failed: that error, as it is.
            error = _body_failure(exc) or _connection_error(exc, method, url)
            if isinstance(error, APIConnectionError):
                error.__cause__ = _without_request_info(exc)
        except asyncio.TimeoutError as exc:
            limit = (timeout or session.timeout).total
            error = APITimeoutError(
                f"timed out after {limit:g} s",
                may_have_been_sent=True,
                method=method,
                url=display_url(url),
            )
            error.__cause__ = exc
        # Raised here, outside the handler, so that nothing of aiohttp's (whose
        # request info holds our headers) is reachable as ``__context__``.
        raise error

    async def download(self, url: yarl.URL, timeout: aiohttp.ClientTimeout | None) -> RawResponse:
        """GET a URL outside the API (a presigned download) on the client's connection
        pool, with none of the API's headers; redirects are followed (nothing of ours
        goes with them)."""
        session = self._get_session()
        bare = self._bare
        if bare is None:
            bare = self._bare = aiohttp.ClientSession(
                connector=session.connector,
                connector_owner=False,
                timeout=timeout or aiohttp.ClientTimeout(),
                raise_for_status=False,
                trust_env=False,
            )
        started = time.perf_counter()
        try:
            async with bare.get(url, timeout=timeout) as response:
                return RawResponse(
                    status=response.status,
                    reason=response.reason,
                    headers=response.headers,
                    body=await response.read(),
                    elapsed=time.perf_counter() - started,
                )
        except aiohttp.ClientError as exc:
            error = _connection_error(exc, "GET", url)
            error.__cause__ = _without_request_info(exc)
        except asyncio.TimeoutError as exc:
            error = APITimeoutError("timed out", method="GET", url=display_url(url))
            error.__cause__ = exc
        raise error

    async def close(self) -> None:
        """Close the session if we made it; idempotent."""
        if self._closed:
            return
        self._closed = True
        session, self._session = self._session, None
        bare, self._bare = self._bare, None
        if bare is not None:
            await bare.close()  # its pool is the session's: that stays as it was
        if session is not None and self._owns_session:
            await session.close()

    def abandon_after_fork(self) -> None:
        """In a forked child: forget the parent's session so the next call makes a new one."""
        if self._session is not None and self._owns_session:
            self._orphans.append(self._session)
            self._session = None
        self._loop = None
        self._pid = os.getpid()


def _no_silent_resend(session: aiohttp.ClientSession) -> None:
    """Switch off aiohttp's own second send of an idempotent request whose connection
    dropped: on top of our retries it made every GET arrive twice per attempt, and
    ``max_retries`` must alone decide how often a request is sent."""
    session._retry_connection = False


def display_url(url: yarl.URL) -> str:
    """A URL as error messages show it: scheme, host, port and path; no credentials."""
    return str(url.with_user(None).with_query(None).with_fragment(None))


def _connection_error(exc: aiohttp.ClientError, method: str, url: yarl.URL) -> APIConnectionError:
    shown = display_url(url)
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
        return APIConnectionError(f"TLS failure: {exc}", transient=False, method=method, url=shown)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return APITimeoutError(
            "connecting timed out", may_have_been_sent=False, method=method, url=shown
        )
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return APITimeoutError(f"timed out reading the response: {exc}", method=method, url=shown)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return APIConnectionError(
            f"cannot connect: {exc}", may_have_been_sent=False, method=method, url=shown
        )
    return APIConnectionError(f"{type(exc).__name__}: {exc}", method=method, url=shown)


def _body_failure(exc: BaseException) -> Exception | None:
    """The error a streamed body raised of its own (aiohttp chains it as the cause of
    the connection error it reports), if that is what ended the request."""
    seen: BaseException | None = exc
    for _ in range(4):  # aiohttp wraps it once or twice; never a long chain
        if seen is None:
            return None
        if isinstance(seen, StreamedBodyError):
            return seen.error
        seen = seen.__cause__ or seen.__context__
    return None


def _without_request_info(exc: aiohttp.ClientError) -> BaseException:
    """The aiohttp error to chain to ours, minus the request it describes.

    A ``ClientResponseError`` keeps the request's headers (our Authorization among
    them) and the responses before it: the chained copy keeps the type, status and
    message only. Other aiohttp errors hold no headers and are chained as they are.
    """
    if not isinstance(exc, aiohttp.ClientResponseError):
        return exc
    info = exc.request_info
    bare = aiohttp.RequestInfo(info.url, info.method, CIMultiDictProxy(CIMultiDict()), info.url)
    try:
        return type(exc)(bare, (), status=exc.status, message=exc.message)
    except TypeError:  # a subclass with another constructor
        return aiohttp.ClientResponseError(bare, (), status=exc.status, message=exc.message)
