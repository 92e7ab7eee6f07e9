"""Decoding response bodies: the value ``json.loads(body)`` gives, with less work per body.

Decoding is most of what a listed page costs the client, so there are two decoders,
and ``loads`` is the faster one this installation has:

- With the ``speedups`` extra, msgspec decodes the body, in about half the time of
  ``json.loads``. It gives the same value wherever it accepts a body (integers of any
  size stay exact, unlike orjson's, which turns one beyond 64 bits into a float), and
  refuses what it reads otherwise (``NaN``, a float out of range, a lone surrogate, a
  byte-order mark): such a body, like bad JSON, goes to ``json.loads``.
- Without it, :func:`stdlib_loads`. ``json.loads`` on bytes first sniffs the encoding
  in Python, then skips whitespace with a regular expression on each side of the
  document; together that is about a third of what decoding a run costs. A body that is
  one UTF-8 JSON document, perhaps followed by whitespace (what the API sends), is
  decoded straight away; anything else goes to ``json.loads``.

Either way the result, and the error, are always what ``json.loads`` gives.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["loads", "stdlib_loads"]

Decode = Callable[[bytes], Any]

_decoder = json.JSONDecoder()
_JSON_WHITESPACE = " \t\n\r"


def stdlib_loads(body: bytes) -> Any:
    """The JSON document in ``body`` by the standard library alone; raises what
    ``json.loads`` raises."""
    try:
        text = body.decode()
        document, end = _decoder.raw_decode(text)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError alike
        return json.loads(body)
    if end != len(text) and text[end:].strip(_JSON_WHITESPACE):
        return json.loads(body)  # something after the document: its error
    return document


def fast_loads(decode: Decode, refusals: tuple[type[Exception], ...]) -> Decode:
    """``decode``, with ``json.loads`` for every body it refuses (raising one of
    ``refusals``)."""

    def loads(body: bytes) -> Any:
        try:
            return decode(body)
        except refusals:
            return json.loads(body)

    return loads


def best_loads() -> Decode:
    """msgspec's decoder when the ``speedups`` extra is installed, else the stdlib's."""
    try:
        from msgspec import MsgspecError
        from msgspec.json import decode
    except ImportError:
        return stdlib_loads
    # Older msgspec errors are not ValueErrors, and some versions raise
    # UnicodeDecodeError (a ValueError) for invalid UTF-8: either is a refusal.
    return fast_loads(decode, (MsgspecError, ValueError))


loads: Decode = best_loads()
