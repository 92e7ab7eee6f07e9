"""The public exception tree.

Everything the client raises on purpose derives from :class:`ExtendError`, so one
``except ExtendError`` is enough; the subclasses say what went wrong precisely enough
to decide what to do next (retry, re-authenticate, fix the input, call support).
No exception ever holds the API token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import _json

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "ExtendError",
    "IncompleteResultError",
    "InternalServerError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
]

_BODY_EXCERPT = 200


class ExtendError(Exception):
    """Root of every error this package raises on purpose."""


class ClientClosedError(ExtendError):
    """The client was used after ``close()``."""


class APIError(ExtendError):
    """An error about one request: ``method`` and ``url`` say which (the token never).

    ``message`` is the detail alone; ``str()`` leads with the request, so a failure
    among many (``get_many``) names its id.
    """

    #: False when the client refused to send the request (it could not be sent in time).
    _sent = True

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url

    def __str__(self) -> str:
        where = f"{self.method} {self.url}: " if self.method and self.url else ""
        return where + self._detail()

    def _detail(self) -> str:
        return self.message


class APIConnectionError(APIError):
    """No usable HTTP response: DNS, connect, TLS, disconnect or framing failure.

    ``may_have_been_sent`` is False only when the request provably never left this
    process (the connection was never established), which is what makes a retry of a
    non-idempotent request safe. ``transient`` is False for failures that a retry
    cannot fix (certificate and TLS errors).
    """

    def __init__(
        self,
        message: str,
        *,
        may_have_been_sent: bool = True,
        transient: bool = True,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.may_have_been_sent = may_have_been_sent
        self.transient = transient
        super().__init__(message, method=method, url=url)


class APITimeoutError(APIConnectionError):
    """The request, or the call as a whole, ran out of time."""


class APIStatusError(APIError):
    """The server answered with a non-2xx status.

    ``body`` is the parsed JSON when the body was JSON, else the text. ``code``,
    ``retryable``, ``request_id`` and ``doc_url`` are read from the error body when the
    server sent them (both the legacy ``{"error": ...}`` and the newer
    ``{"code", "message", ...}`` shapes are understood).
    """

    status_code: int = 0

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: object,
        headers: Mapping[str, str],
        request_id: str | None = None,
        code: str | None = None,
        retryable: bool | None = None,
        doc_url: str | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.headers = headers
        self.request_id = request_id
        self.code = code
        self.retryable = retryable
        self.doc_url = doc_url
        super().__init__(message, method=method, url=url)

    def __str__(self) -> str:
        prefix = f"Request {self.request_id}: " if self.request_id else ""
        return prefix + super().__str__()

    def _detail(self) -> str:
        return f"{self.status_code} {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r})"


class BadRequestError(APIStatusError):
    """400: the request was malformed or failed validation."""

    status_code = 400


class AuthenticationError(APIStatusError):
    """401: the API key is missing, malformed, expired or revoked."""

    status_code = 401


class PaymentRequiredError(APIStatusError):
    """402: the organisation is out of credits."""

    status_code = 402


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""

    status_code = 403


class NotFoundError(APIStatusError):
    """404: no such object (or not visible to this key and workspace)."""

    status_code = 404


class ConflictError(APIStatusError):
    """409: the object is not in a state that allows this."""

    status_code = 409


class UnprocessableEntityError(APIStatusError):
    """422: the file or request could not be processed (see ``code``)."""

    status_code = 422


class RateLimitError(APIStatusError):
    """429: too many requests. ``retry_after`` is the server's hint in seconds, if any."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        #: Set when the server asked for a longer wait than the client allows
        #: (``RetryPolicy.max_retry_after``): then the call was not retried.
        self.max_retry_after: float | None = None

    def _detail(self) -> str:
        detail = super()._detail()
        if self.max_retry_after is None or self.retry_after is None:
            return detail
        return (
            f"{detail} (the server asked to wait {self.retry_after:g} s, longer than "
            f"RetryPolicy.max_retry_after = {self.max_retry_after:g} s: not retried)"
        )


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class ResponseValidationError(APIError):
    """A 2xx response whose body is not the documented JSON.

    ``path`` names the offending field in wire (camelCase) terms, e.g.
    ``$.batchProcessorRun.metrics.numFiles``; ``body`` is an excerpt of what came.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: str,
        path: str | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.path = path
        super().__init__(message, method=method, url=url)


class WaitTimeoutError(ExtendError):
    """A wait ran out of time before the object reached a terminal state.

    ``id`` names the object and ``last`` is the last state fetched (None if no poll
    got an answer), so the caller can still report or act on it.
    """

    def __init__(self, id: str, last: Any, timeout: float) -> None:
        status = getattr(last, "status", None)
        seen = "" if status is None else f" (last status: {status})"
        super().__init__(f"{id} did not finish within {timeout:g} s{seen}")
        self.id = id
        self.last = last
        self.timeout = timeout


class IncompleteResultError(ExtendError):
    """A run ended, but the server answered with its status alone, not its result.

    Runs with two forms (a parser run's ``parser_run_status`` and ``parser_run``) should
    come back whole once final; a call that promises the whole run raises this when only
    the status came. ``id`` names the run and ``last`` is the status object received.
    """

    def __init__(self, id: str, last: Any) -> None:
        status = getattr(last, "status", None)
        reason = getattr(last, "failure_reason", None)
        why = f": {reason}" if reason else ""
        super().__init__(f"{id} ended {status}{why}, but the server sent only its status")
        self.id = id
        self.last = last


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def body_excerpt(raw: bytes) -> str:
    """A short, printable excerpt of a body (kept on errors as ``body``)."""
    text = raw[: _BODY_EXCERPT * 4].decode("utf-8", "replace")
    return text if len(text) <= _BODY_EXCERPT else text[:_BODY_EXCERPT] + "..."


def one_line_excerpt(raw: bytes) -> str:
    """What a message quotes of a body that is not JSON: one short line.

    A gateway's HTML page becomes its title (or its text without tags), so a 502
    from nginx reads "502 Bad Gateway", not a page of markup.
    """
    text = raw[: _BODY_EXCERPT * 20].decode("utf-8", "replace")
    if text.lstrip()[:1] == "<":
        title = _TITLE.search(text)
        text = title.group(1) if title else _TAG.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= _BODY_EXCERPT else text[:_BODY_EXCERPT] + "..."


def make_status_error(
    status: int,
    reason: str | None,
    headers: Mapping[str, str],
    raw_body: bytes,
    *,
    retry_after: float | None = None,
    method: str | None = None,
    url: str | None = None,
) -> APIStatusError:
    """Build the exception for a non-2xx response: the one place statuses map to classes."""
    body: object
    try:
        body = _json.loads(raw_body) if raw_body else None
    except (ValueError, RecursionError):
        body = raw_body.decode("utf-8", "replace")
    fields: Mapping[str, Any] = body if isinstance(body, dict) else {}

    message = _first_str(fields, "error", "message")
    if 300 <= status < 400:
        # The API never redirects; a redirect is a misconfigured base URL or proxy.
        location = headers.get("Location")
        message = f"a redirect to {location!r}, which the client does not follow"
    elif message is None:
        message = one_line_excerpt(raw_body) if raw_body else (reason or "")
    retryable = fields.get("retryable")
    kwargs: dict[str, Any] = {
        "status_code": status,
        "body": body,
        "headers": headers,
        "request_id": _first_str(fields, "requestId")
        or headers.get("x-request-id")
        or headers.get("x-extend-request-id"),
        "code": _first_str(fields, "code"),
        "retryable": retryable if isinstance(retryable, bool) else None,
        "doc_url": _first_str(fields, "docUrl"),
        "method": method,
        "url": url,
    }
    cls = _STATUS_CLASSES.get(status)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    return cls(message, **kwargs)


def _first_str(fields: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str) and value:
            return value
    return None
