"""Pagination as the API does it: opaque tokens, ``maxPageSize``, the same filters.

A token encodes where the next page starts and which filters it belongs to; sent back
with other filters, it is refused with a 400, as the docs warn it gives inconsistent
data. No size limits are documented: the fake takes 10 per page by default and at most
1,000.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, Final, TypeVar

from ._area import FakeError

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "page"]

DEFAULT_PAGE_SIZE: Final = 10
MAX_PAGE_SIZE: Final = 1000

T = TypeVar("T")


def page(
    items: Sequence[T], query: Mapping[str, str], filters: Mapping[str, Any]
) -> tuple[Sequence[T], str | None]:
    """The slice of ``items`` that ``query`` asks for, and the next page's token."""
    size = _page_size(query.get("maxPageSize"))
    fingerprint = hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:16]
    token = query.get("nextPageToken")
    start = 0 if token is None else _start_of(token, fingerprint)
    end = start + size
    following = _token(end, fingerprint) if end < len(items) else None
    return items[start:end], following


def _page_size(value: str | None) -> int:
    if value is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(value)
    except ValueError:
        size = 0
    if size < 1:
        raise FakeError(400, f"maxPageSize must be a positive integer, got {value!r}")
    return min(size, MAX_PAGE_SIZE)


def _token(start: int, fingerprint: str) -> str:
    raw = json.dumps({"start": start, "filters": fingerprint}).encode()
    return base64.b64encode(raw).decode() + ":" + fingerprint[:8]


def _start_of(token: str, fingerprint: str) -> int:
    try:
        encoded, _, _ = token.rpartition(":")
        state = json.loads(base64.b64decode(encoded, validate=True))
        start = int(state["start"])
        issued_for = state["filters"]
    except (ValueError, KeyError, TypeError):
        raise FakeError(400, "nextPageToken is not a token this server issued") from None
    if issued_for != fingerprint:
        raise FakeError(400, "nextPageToken was issued for other filters; send the same ones")
    return start
