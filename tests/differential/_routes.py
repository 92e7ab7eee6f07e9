"""The operations the differential check must cover: the table of docs/api.md.

No import of the official SDK here: the conftest reads this even where it is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["API_TABLE", "documented_routes", "official_routes"]

API_TABLE = Path(__file__).parents[2] / "docs" / "api.md"
_ROW = re.compile(
    r"^\| \d+ \| \w+ \| .+? \| `[A-Z]+ \S+` \| `(?P<route>\w+)` \| (?P<official>.+) \|$"
)
#: How the table's cell begins for an operation the official SDK 0.2.0 lacks.
_NOT_OFFICIAL = "none ("


def documented_routes() -> list[str]:
    """The fake's route of every operation in the table of docs/api.md, in its order."""
    return [route for route, _ in _rows()]


def official_routes() -> list[str]:
    """The routes of the operations the official SDK 0.2.0 has (all but Create File,
    Generate Edit Schema and Get Edit Template): those the official client can be
    pointed at."""
    return [route for route, official in _rows() if not official.startswith(_NOT_OFFICIAL)]


def _rows() -> list[tuple[str, str]]:
    lines = API_TABLE.read_text(encoding="utf-8").splitlines()
    return [(match["route"], match["official"]) for line in lines if (match := _ROW.match(line))]
