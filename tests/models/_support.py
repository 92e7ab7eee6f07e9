"""Helpers for the model tests (importable as ``models._support``).

The documented examples are copied into tests/data/examples/ (CI cannot read the
shared API reference); each call of :func:`example` reads a fresh copy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extend_async._converter import converter, parse_datetime

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"

#: The converter as the fake server uses it to check requests: unknown keys refused.
STRICT = converter.copy(forbid_extra_keys=True)


def example(operation: str) -> Any:
    """The success body (or ``<operation>.request`` body) of an operation."""
    return json.loads((EXAMPLES / f"{operation}.json").read_text(encoding="utf-8"))


def without_success(body: dict[str, Any]) -> dict[str, Any]:
    """A response body whole, less the ``success`` flag (a delete or batch answer)."""
    return {key: value for key, value in body.items() if key != "success"}


def assert_same_wire(actual: Any, expected: Any, path: str = "$") -> None:
    """``actual`` is ``expected``, key for key and item for item.

    Two things are the same value written differently and count as equal: a number the
    API sent as an integer literal where the type is ``number`` (``612``) comes back as a
    float (``612.0``), and a timestamp comes back with six fraction digits (the converter
    writes ``.285000Z`` for ``.285Z``): the instant must be the same.
    """
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        assert set(actual) == set(expected), (
            f"{path}: keys differ: missing {sorted(set(expected) - set(actual))}, "
            f"extra {sorted(set(actual) - set(expected))}"
        )
        for key, value in expected.items():
            assert_same_wire(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected an array, got {actual!r}"
        assert len(actual) == len(expected), f"{path}: {len(actual)} items, not {len(expected)}"
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_same_wire(got, want, f"{path}[{index}]")
    elif isinstance(expected, str) and isinstance(actual, str) and actual != expected:
        assert _same_instant(actual, expected), f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, bool) or expected is None:
        assert actual is expected, f"{path}: {actual!r} is not {expected!r}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
        assert isinstance(actual, (int, float, str)), f"{path}: {type(actual).__name__}"


def _same_instant(one: str, other: str) -> bool:
    try:
        return parse_datetime(one) == parse_datetime(other)
    except ValueError:
        return False


def round_trip(document: Any, tp: Any) -> Any:
    """``document`` structured as ``tp`` and written back (asserted to be the same)."""
    model = converter.structure(document, tp)
    assert_same_wire(converter.unstructure(model, tp), document)
    return model
