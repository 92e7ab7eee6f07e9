"""The table of docs/api.md, checked row by row against the package and the fake.

Each row must have its method on both clients, an endpoint declaration with the same
HTTP method and path, a route of the fake, and an example body (from the API
reference) that parses through the endpoint and round-trips to its wire form.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

from extend_async import AsyncExtend, Extend, to_dict
from extend_async._converter import converter, parse_datetime
from extend_async.models import Page
from extend_async.resources import ENDPOINTS
from extend_async.testing._app import ROUTE_NAMES

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "tests" / "data" / "examples"
_ROW = re.compile(
    r"^\| (?P<number>\d+) \| (?P<operation>\w+) \| `(?P<method>[\w.]+)\(.*?\)` "
    r"\| `(?P<http>[A-Z]+) (?P<path>\S+)` \| `(?P<route>\w+)` \| (?P<official>.+) \|$"
)


@attrs.frozen
class Row:
    number: int
    operation: str
    method: str
    http: str
    path: str
    route: str


def rows() -> list[Row]:
    found = []
    for line in (ROOT / "docs" / "api.md").read_text().splitlines():
        match = _ROW.match(line)
        if match:
            found.append(
                Row(
                    int(match["number"]),
                    match["operation"],
                    match["method"],
                    match["http"],
                    match["path"],
                    match["route"],
                )
            )
    return found


ROWS = rows()


def test_every_endpoint_has_one_row_and_every_row_an_endpoint() -> None:
    assert [row.number for row in ROWS] == list(range(1, 45))  # the API's 44, in order
    operations = [row.operation for row in ROWS]
    assert len(operations) == len(set(operations))
    assert sorted(operations) == sorted(ENDPOINTS)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.operation)
def test_the_row_matches_the_package(row: Row) -> None:
    endpoint = ENDPOINTS[row.operation]
    assert (endpoint.method, endpoint.path) == (row.http, row.path)
    assert row.route == row.operation
    assert row.route in ROUTE_NAMES
    resource, method = row.method.split(".")
    async_client = AsyncExtend("x")
    with Extend("x") as sync_client:
        for client in (async_client, sync_client):
            assert callable(getattr(getattr(client, resource), method))


def _same(value: Any, example: Any) -> bool:
    """Equal as JSON: timestamps as instants, numbers by value, known keys of objects."""
    if isinstance(example, dict) and isinstance(value, dict):
        return all(key in example and _same(item, example[key]) for key, item in value.items())
    if isinstance(example, list) and isinstance(value, list):
        return len(value) == len(example) and all(map(_same, value, example))
    if isinstance(value, str) and isinstance(example, str) and value != example:
        try:
            return parse_datetime(value) == parse_datetime(example)
        except ValueError:
            return False
    return bool(value == example)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.operation)
def test_the_example_parses_and_round_trips(row: Row) -> None:
    endpoint = ENDPOINTS[row.operation]
    document = json.loads((EXAMPLES / f"{row.operation}.json").read_text())

    parsed = endpoint.parse(document)

    if isinstance(parsed, Page):
        written: Any = [to_dict(item) for item in parsed.items]
        original = document[endpoint.items]
    elif isinstance(parsed, list):
        written = [to_dict(item) for item in parsed]
        original = document[endpoint.envelope]
    elif attrs.has(type(parsed)):
        written = to_dict(parsed)
        original = document[endpoint.envelope] if endpoint.envelope else document
    else:
        written = converter.unstructure(parsed)
        original = document[endpoint.envelope] if endpoint.envelope else document
    assert _same(written, original)


def test_datetimes_compare_as_instants() -> None:  # the comparison above, checked
    assert _same("2024-03-21T15:30:00.285000Z", "2024-03-21T15:30:00.285Z")
    assert not _same("2024-03-21T15:30:00Z", "2024-03-21T15:31:00Z")
    assert not _same({"a": 1}, {"b": 1})
    assert isinstance(parse_datetime("2024-03-21T15:30:00Z"), datetime)
