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

from ..models.common import NotGiven
from ._area import FakeError

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "page", "present", "sort_by_time"]

DEFAULT_PAGE_SIZE: Final = 10
MAX_PAGE_SIZE: Final = 1000

T = TypeVar("T")
_SORT_KEYS = {"createdAt": "created_at", "updatedAt": "updated_at"}


def sort_by_time(items: Sequence[T], query: Mapping[str, str]) -> list[T]:
    """``items`` in the order ``sortBy`` and ``sortDir`` ask for (newest created first by
    default: the docs name no default)."""
    by = query.get("sortBy", "createdAt")
    direction = query.get("sortDir", "desc")
    if by not in _SORT_KEYS:
        raise FakeError(400, f"Invalid request: sortBy must be createdAt or updatedAt, got {by!r}")
    if direction not in ("asc", "desc"):
        raise FakeError(400, f"Invalid request: sortDir must be asc or desc, got {direction!r}")
    attribute = _SORT_KEYS[by]
    return sorted(items, key=lambda item: getattr(item, attribute), reverse=direction == "desc")


def present(value: T | NotGiven | None) -> T | None:
    """A request field's value, None when it was left out (or sent as null)."""
    return None if isinstance(value, NotGiven) else value


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
