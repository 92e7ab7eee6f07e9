"""The frozen configuration of a client, resolved once at construction.

Environment fallbacks are read here and nowhere else. The token lives inside
:class:`Secret`, whose repr is masked, so no config dump or traceback shows it.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import Any, Final, TypedDict

import aiohttp
import attrs
import yarl

from ._retry import RetryPolicy
from ._version import user_agent
from .errors import ExtendError

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_BASE_URL",
    "CallOptions",
    "ClientConfig",
    "ClientOptions",
    "Secret",
    "Timeout",
]

DEFAULT_BASE_URL: Final = "https://api.extend.ai"
DEFAULT_API_VERSION: Final = "2025-04-21"
DEFAULT_MAX_CONCURRENCY: Final = 32

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class CallOptions(TypedDict, total=False):
    """Settings a sibling client may change (``with_options``); see :class:`ClientOptions`."""

    timeout: float | Timeout | None
    max_retries: int | None
    retry: RetryPolicy | None
    workspace_id: str | None


class ClientOptions(CallOptions, total=False):
    """The keyword arguments ``AsyncExtend`` and ``Extend`` share, declared once.

    - ``base_url``: API host (``EXTEND_BASE_URL``; default ``https://api.extend.ai``).
    - ``api_version``: sent as ``x-extend-api-version`` (default ``2025-04-21``).
    - ``workspace_id``: sent as ``x-extend-workspace-id`` (``EXTEND_WORKSPACE_ID``).
    - ``timeout``: per attempt, seconds or a :class:`Timeout` (default 60 s, 10 s connect).
    - ``max_retries`` / ``retry``: how failed requests are retried (default 2 retries).
    - ``max_concurrency``: requests in flight for the whole client (default 32).
    - ``max_requests_per_second``: client-side pacing of every request (default none).
    """

    base_url: str | None
    api_version: str
    max_concurrency: int
    max_requests_per_second: float | None


@attrs.frozen(repr=False)
class Secret:
    """A credential that never shows itself in a repr, a log line or an error."""

    _value: str

    def reveal(self) -> str:
        """The real value, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


def _timeout_value(_instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not (value > 0 and math.isfinite(value)):
        raise ValueError(f"Timeout.{attribute.name} must be > 0 seconds or None, got {value!r}")


@attrs.frozen
class Timeout:
    """Per-attempt time limits in seconds: ``total`` for the whole exchange, ``connect``
    for getting a connection. None means no limit."""

    total: float | None = attrs.field(default=60.0, validator=_timeout_value)
    connect: float | None = attrs.field(default=10.0, validator=_timeout_value)

    def to_aiohttp(self) -> aiohttp.ClientTimeout:
        """aiohttp's form (``sock_connect`` so waiting in our own queue never counts)."""
        return aiohttp.ClientTimeout(total=self.total, sock_connect=self.connect)


def _coerce_timeout(value: float | Timeout | None) -> Timeout:
    if value is None:
        return Timeout()
    if isinstance(value, Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"timeout must be seconds (a number) or a Timeout, got {value!r}")
    return Timeout(total=float(value))


def _check_workspace(workspace_id: str | None) -> None:
    """A workspace id goes into a header: refuse what a header cannot carry, early."""
    if workspace_id is not None and (
        not isinstance(workspace_id, str) or _CONTROL.search(workspace_id)
    ):
        raise ExtendError(
            f"workspace_id must be a string without control characters, got {workspace_id!r}"
        )


def _normalise_base_url(url: str) -> str:
    parsed = yarl.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ExtendError(f"base_url must be an absolute http(s) URL, got {url!r}")
    if parsed.query_string or parsed.fragment:
        raise ExtendError(f"base_url must not carry a query or fragment, got {url!r}")
    return str(parsed).rstrip("/")


@attrs.frozen
class ClientConfig:
    """Everything a client needs to send a request, shared by value between siblings."""

    token: Secret
    base_url: str
    api_version: str
    workspace_id: str | None
    timeout: Timeout
    retry: RetryPolicy
    max_concurrency: int
    max_requests_per_second: float | None
    #: Every header of a request.
    headers: Mapping[str, str] = attrs.field(init=False, repr=False, eq=False)
    #: The headers no ``with_options`` sibling can change (all but the workspace).
    session_headers: Mapping[str, str] = attrs.field(init=False, repr=False, eq=False)
    client_timeout: aiohttp.ClientTimeout = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # Built once here, so a request pays for none of it.
        headers = {
            "Authorization": f"Bearer {self.token.reveal()}",
            "x-extend-api-version": self.api_version,
            "User-Agent": user_agent(),
            "Accept": "application/json",
        }
        object.__setattr__(self, "session_headers", dict(headers))
        if self.workspace_id:
            headers["x-extend-workspace-id"] = self.workspace_id
        object.__setattr__(self, "headers", headers)
        object.__setattr__(self, "client_timeout", self.timeout.to_aiohttp())

    @classmethod
    def resolve(
        cls,
        token: str | None = None,
        *,
        base_url: str | None = None,
        api_version: str = DEFAULT_API_VERSION,
        workspace_id: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        max_requests_per_second: float | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> ClientConfig:
        """Validate the constructor's arguments and fill gaps from the environment."""
        token = token if token is not None else environ.get("EXTEND_API_KEY")
        if not token:
            raise ExtendError(
                "no API token: pass token=... or set the EXTEND_API_KEY environment variable"
            )
        if not isinstance(token, str) or token != token.strip() or _CONTROL.search(token):
            # The message never quotes the token itself.
            raise ExtendError(
                "the API token must be a string without surrounding whitespace or "
                "control characters"
            )
        if not api_version or _CONTROL.search(api_version):
            raise ExtendError(
                f"api_version must be a version such as '2025-04-21', got {api_version!r}"
            )
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise TypeError(f"max_concurrency must be an int, got {max_concurrency!r}")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency}")
        if max_requests_per_second is not None and not (
            max_requests_per_second > 0 and math.isfinite(max_requests_per_second)
        ):
            raise ValueError(
                f"max_requests_per_second must be > 0 or None, got {max_requests_per_second!r}"
            )
        policy = retry if retry is not None else RetryPolicy()
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=max_retries)
        workspace = workspace_id if workspace_id is not None else environ.get("EXTEND_WORKSPACE_ID")
        _check_workspace(workspace)
        return cls(
            token=Secret(token),
            base_url=_normalise_base_url(
                base_url or environ.get("EXTEND_BASE_URL") or DEFAULT_BASE_URL
            ),
            api_version=api_version,
            workspace_id=workspace or None,
            timeout=_coerce_timeout(timeout),
            retry=policy,
            max_concurrency=max_concurrency,
            max_requests_per_second=max_requests_per_second,
        )

    def evolve(
        self,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        workspace_id: str | None = None,
    ) -> ClientConfig:
        """A copy with some per-call settings replaced (None keeps the current value)."""
        policy = retry if retry is not None else self.retry
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=max_retries)
        _check_workspace(workspace_id)
        return attrs.evolve(
            self,
            timeout=self.timeout if timeout is None else _coerce_timeout(timeout),
            retry=policy,
            workspace_id=self.workspace_id if workspace_id is None else workspace_id or None,
        )
