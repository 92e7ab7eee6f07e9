"""Finding one header, whatever shape the framework handed the headers over in.

A plain dict (``{"X-Extend-Request-Signature": ...}``), aiohttp's ``CIMultiDictProxy``,
Starlette's or Django's header mappings, a list of ``(name, value)`` pairs, or ASGI's
``scope["headers"]`` (pairs of bytes): names are matched without regard to case, and a
header given more than once is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeAlias, Union, cast

from ._errors import MalformedHeaderError

__all__ = ["Headers", "single_header"]


class HeaderItems(Protocol):
    """Anything with ``items()`` giving ``(name, value)`` pairs: every mapping."""

    def items(self) -> Iterable[tuple[str, str]]: ...


#: The headers of a request as any framework gives them.
Headers: TypeAlias = Union[  # noqa: UP007 - evaluated at run time on Python 3.10 too
    HeaderItems,
    Iterable[tuple[str, str]],
    Iterable[tuple[bytes, bytes]],
]


def _text(value: object, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")  # what HTTP header bytes are (RFC 9110)
    raise TypeError(f"headers: each {what} must be a str or bytes, got {type(value).__name__}")


def single_header(headers: Headers, name: str) -> str | None:
    """The value of header ``name`` (lower case), None when absent; a
    :class:`MalformedHeaderError` when it is given more than once."""
    if isinstance(headers, (str, bytes, bytearray)):
        raise TypeError(
            f"headers must be a mapping or (name, value) pairs, got {type(headers).__name__}"
        )
    items = getattr(headers, "items", None)
    pairs = cast("Iterable[object]", items() if callable(items) else headers)
    found: str | None = None
    try:
        iterator = iter(pairs)
    except TypeError:
        raise TypeError(
            f"headers must be a mapping or (name, value) pairs, got {type(headers).__name__}"
        ) from None
    size = len(name)
    for pair in iterator:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"headers: expected (name, value) pairs, got {type(pair).__name__}")
        key = _text(pair[0], "name")
        if len(key) != size or key.lower() != name:
            continue
        if found is not None:
            raise MalformedHeaderError(name, "it is given more than once")
        found = _text(pair[1], "value")
    return found
