"""The frozen configuration of a client, resolved once at construction.

Environment fallbacks are read here and nowhere else. The token lives inside
:class:`Secret`, whose repr is masked, so no config dump or traceback shows it.
"""

from __future__ import annotations

import difflib
import inspect
import math
import os
import re
from collections.abc import Collection, Mapping
from typing import Any, Final, TypedDict

import aiohttp
import attrs
import yarl

from ._retry import RetryPolicy
from ._version import user_agent
from .errors import ExtendError
from .webhooks._signature import check_secret

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
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
    - ``timeout``: the longest one call may take, retries and waits included: seconds
      or a :class:`Timeout` (default 60 s, 10 s to connect); None for no limit.
    - ``max_retries`` / ``retry``: how failed requests are retried (default 2 retries).
    - ``max_concurrency``: requests in flight for the whole client (default 32).
    - ``max_requests_per_second``: client-side pacing of every request (default none).
    - ``webhook_secret``: the signing secret ``client.webhooks.unwrap`` checks
      deliveries with (``EXTEND_WEBHOOK_SECRET``; default none).
    """

    base_url: str | None
    api_version: str
    max_concurrency: int
    max_requests_per_second: float | None
    webhook_secret: str | None


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
    if value is not None and not (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and value > 0
        and math.isfinite(value)
    ):
        raise ValueError(f"Timeout.{attribute.name} must be > 0 seconds or None, got {value!r}")


@attrs.frozen
class Timeout:
    """Time limits in seconds; None means no limit.

    ``total`` bounds a whole call, from the moment it is made until it returns: the
    wait at the client's gate (its concurrency cap, its pace, a 429 pause), every
    attempt, and the backoff between attempts; a retry that cannot fit is not made.
    ``connect`` bounds each attempt's connection to the server.
    """

    total: float | None = attrs.field(default=60.0, validator=_timeout_value)
    connect: float | None = attrs.field(default=None, validator=_timeout_value)

    def to_aiohttp(self) -> aiohttp.ClientTimeout:
        """aiohttp's form (``sock_connect``: waiting in our own queue never counts)."""
        return aiohttp.ClientTimeout(total=self.total, sock_connect=self.connect)


#: What a client uses unless told otherwise: a minute per call, 10 s to connect.
DEFAULT_TIMEOUT: Final = Timeout(total=60.0, connect=10.0)
#: ``timeout=None``: no limit at all, as in httpx and openai-python.
NO_TIMEOUT: Final = Timeout(total=None, connect=None)


def _coerce_timeout(value: float | Timeout | None) -> Timeout:
    if value is None:
        return NO_TIMEOUT
    if isinstance(value, Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"timeout must be seconds (a number), a Timeout or None, got {value!r}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"timeout must be > 0 seconds (None: no limit), got {value!r}")
    return Timeout(total=float(value))


def _with_retries(policy: RetryPolicy, max_retries: int | None) -> RetryPolicy:
    if not isinstance(policy, RetryPolicy):
        raise TypeError(f"retry must be a RetryPolicy, got {policy!r}")
    if max_retries is None:
        return policy
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be an int >= 0, got {max_retries!r}")
    return attrs.evolve(policy, max_retries=max_retries)


def check_options(owner: str, options: Mapping[str, object], known: Collection[str]) -> None:
    """Refuse an unknown keyword in the words of the public call the user made."""
    for name in options:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"{owner}() got an unexpected keyword argument {name!r}{hint}")


def _check_workspace(workspace_id: str | None) -> None:
    """A workspace id goes into a header: refuse what a header cannot carry, early."""
    if workspace_id is not None and (
        not isinstance(workspace_id, str) or _CONTROL.search(workspace_id)
    ):
        raise ExtendError(
            f"workspace_id must be a string without control characters, got {workspace_id!r}"
        )


def _check_webhook_secret(secret: str | None) -> None:
    """A secret that can never match a signature is refused at once (never quoted);
    an empty one is no secret, as an empty ``EXTEND_WEBHOOK_SECRET`` is."""
    if secret is None or secret == "":
        return
    try:
        check_secret(secret)
    except (TypeError, ValueError) as problem:
        raise ExtendError(f"webhook_secret refused: {problem}") from None


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
    #: The signing secret of the webhook endpoint this client receives for, if any.
    webhook_secret: Secret | None = None
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
        timeout: float | Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        max_requests_per_second: float | None = None,
        webhook_secret: str | None = None,
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
        policy = _with_retries(retry if retry is not None else RetryPolicy(), max_retries)
        workspace = workspace_id if workspace_id is not None else environ.get("EXTEND_WORKSPACE_ID")
        _check_workspace(workspace)
        secret = (
            webhook_secret if webhook_secret is not None else environ.get("EXTEND_WEBHOOK_SECRET")
        )
        _check_webhook_secret(secret)
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
            webhook_secret=Secret(secret) if secret else None,
        )

    def evolve(self, owner: str, options: CallOptions) -> ClientConfig:
        """A copy with the given per-call settings replaced (those not given are kept).

        ``workspace_id=None`` (or ``""``) sends no workspace header.
        """
        check_options(owner, options, CallOptions.__optional_keys__)
        policy = _with_retries(options.get("retry") or self.retry, options.get("max_retries"))
        timeout = self.timeout
        if "timeout" in options:
            timeout = _coerce_timeout(options["timeout"])
        workspace_id = self.workspace_id
        if "workspace_id" in options:
            workspace_id = options["workspace_id"] or None
            _check_workspace(workspace_id)
        return attrs.evolve(self, timeout=timeout, retry=policy, workspace_id=workspace_id)


def constructor_signature(*extra: inspect.Parameter) -> inspect.Signature:
    """The signature a client constructor shows (``help()``, IDEs at run time): the
    token, every option of :meth:`ClientConfig.resolve` with its default, then ``extra``."""
    params = list(inspect.signature(ClientConfig.resolve).parameters.values())
    shown = [p for p in params if p.name != "environ"]
    this = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return inspect.Signature([this, *shown, *extra], return_annotation=None)
