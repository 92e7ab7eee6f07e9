"""Body decoding gives exactly what ``json.loads`` gives: the value, or the same error."""

from __future__ import annotations

import json

import pytest

from extend_async import _json

BODIES = [
    b'{"a": [1, 2.5, "x", null, true]}',
    b'{"a": 1}\n',  # trailing whitespace of every JSON kind
    b'{"a": 1} \t\r\n',
    b'  {"a": 1}',  # leading whitespace
    '\ufeff{"a": 1}'.encode(),  # a UTF-8 byte-order mark
    '{"name": "caf\u00e9 \u2713"}'.encode(),
    '{"a": 1}'.encode("utf-16"),  # another encoding json.loads sniffs
    b'"just a string"',
    b"[]",
]

BAD_BODIES = [
    b"",
    b"not json",
    b'{"a": 1} {"b": 2}',  # extra data
    b'{"a": 1}\x00',
    b'{"a": 1}\xa0',  # no UTF-8, and not JSON whitespace either way
    b'{"a": "\xff"}',  # invalid UTF-8 inside
    b'{"a": ',
]


@pytest.mark.parametrize("body", BODIES)
def test_a_body_decodes_to_what_json_loads_gives(body: bytes) -> None:
    assert _json.loads(body) == json.loads(body)


@pytest.mark.parametrize("body", BAD_BODIES)
def test_a_bad_body_raises_what_json_loads_raises(body: bytes) -> None:
    try:
        json.loads(body)
    except ValueError as error:
        expected = error
    else:
        pytest.fail(f"json.loads accepted {body!r}")

    with pytest.raises(type(expected)) as ours:
        _json.loads(body)

    assert type(ours.value) is type(expected)
    assert str(ours.value) == str(expected)
