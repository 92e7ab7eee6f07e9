"""Body decoding gives exactly what ``json.loads`` gives: the value, or the same error.

Each decoder the package may use is held to that: the standard library's, and msgspec's
(the ``speedups`` extra) when it is installed.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections.abc import Callable
from typing import Any

import pytest

from extend_async import _json

BODIES = [
    b'{"a": [1, 2.5, "x", null, true]}',
    b'{"a": 1}\n',  # trailing whitespace of every JSON kind
    b'{"a": 1} \t\r\n',
    b'  {"a": 1}',  # leading whitespace
    '\ufeff{"a": 1}'.encode(),  # a UTF-8 byte-order mark
    '{"name": "caf\u00e9 \u2713 \U0001f600"}'.encode(),
    b'{"name": "\\u00e9 \\ud83d\\ude00"}',  # escapes, a surrogate pair among them
    '{"a": 1}'.encode("utf-16"),  # another encoding json.loads sniffs
    b'"just a string"',
    b"[]",
    b'{"a": 1, "a": 2}',  # a repeated key: the last one wins
    # Integers of any size stay exact (orjson would make floats of the last three).
    b"[18446744073709551615, 18446744073709551616, -9223372036854775809, 1234567890123456789012]",
    b"[0.1, -0.0, 1e-400, 1E2, 2.2250738585072014e-308, 1.7976931348623157e308]",
    b"[1e400, -1e400, NaN, Infinity]",  # what json.loads reads beyond JSON
    b'"\\ud800"',  # a lone surrogate, escaped
    b'"\xed\xa0\x80"',  # and encoded (json.loads accepts it)
]

BAD_BODIES = [
    b"",
    b"not json",
    b'{"a": 1} {"b": 2}',  # extra data
    b'{"a": 1}\x00',
    b'{"a": 1}\xa0',  # no UTF-8, and not JSON whitespace either way
    b'{"a": "\xff"}',  # invalid UTF-8 inside
    b'{"a": ',
    b"[1,]",
    b'"a\tb"',  # a control character in a string
    b"\x0c[1]",  # a form feed is not JSON whitespace
    b"01",
]

Decode = Callable[[bytes], Any]


def _decoders() -> list[Any]:
    decoders: list[Any] = [pytest.param(_json.stdlib_loads, id="stdlib")]
    if importlib.util.find_spec("msgspec") is None:
        decoders.append(pytest.param(None, id="msgspec", marks=pytest.mark.skip("no msgspec")))
    else:
        decoders.append(pytest.param(_json.best_loads(), id="msgspec"))
    return decoders


DECODERS = _decoders()


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN included, and of the same types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@pytest.mark.parametrize("decode", DECODERS)
@pytest.mark.parametrize("body", BODIES)
def test_a_body_decodes_to_what_json_loads_gives(decode: Decode, body: bytes) -> None:
    assert _same(decode(body), json.loads(body))


@pytest.mark.parametrize("decode", DECODERS)
@pytest.mark.parametrize("body", BAD_BODIES)
def test_a_bad_body_raises_what_json_loads_raises(decode: Decode, body: bytes) -> None:
    try:
        json.loads(body)
    except ValueError as error:
        expected = error
    else:
        pytest.fail(f"json.loads accepted {body!r}")

    with pytest.raises(type(expected)) as ours:
        decode(body)

    assert type(ours.value) is type(expected)
    assert str(ours.value) == str(expected)


def test_the_package_decodes_with_msgspec_exactly_when_it_is_installed() -> None:
    installed = importlib.util.find_spec("msgspec") is not None

    assert (_json.loads is not _json.stdlib_loads) is installed


def test_without_msgspec_the_standard_library_decodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)  # what an import then raises
    monkeypatch.setitem(sys.modules, "msgspec.json", None)

    assert _json.best_loads() is _json.stdlib_loads
