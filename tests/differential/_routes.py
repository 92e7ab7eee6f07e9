"""The operations the differential check must cover: the table of docs/api.md.

No import of the official SDK here: the conftest reads this even where it is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["API_TABLE", "documented_routes"]

API_TABLE = Path(__file__).parents[2] / "docs" / "api.md"
_ROW = re.compile(r"^\| \d+ \| \w+ \| .+? \| `[A-Z]+ \S+` \| `(?P<route>\w+)` \|")


def documented_routes() -> list[str]:
    """The fake's route of every operation in the table of docs/api.md, in its order."""
    lines = API_TABLE.read_text(encoding="utf-8").splitlines()
    return [match["route"] for line in lines if (match := _ROW.match(line))]
