"""What the structuring benchmarks share: one body timed as ``json.loads`` alone (the
baseline), as ours (``Endpoint.parse``, from the decoded body and from bytes) and as the
official SDK reads it (its client's ``construct_type``, ``parse_obj_as`` and pydantic's
``model_validate``), and the report of their medians against the goal.
"""

from __future__ import annotations

import importlib
import json
import statistics
from collections.abc import Callable, Iterator
from typing import Any

from _common import Report, official_available, verdict

from extend_async import _json as client_json
from extend_async.resources import ENDPOINTS

__all__ = [
    "JSON_LOADS",
    "OURS",
    "OURS_BYTES",
    "SPEED_GOAL",
    "official_results",
    "report",
    "variants",
]

#: Ours must make at least this many times the official client's parses per second.
SPEED_GOAL = 10.0

JSON_LOADS = "json.loads of the body (baseline)"
OURS = "ours: Endpoint.parse of the decoded body"
OURS_BYTES = "ours: from bytes (the client's decoder, then Endpoint.parse)"
OFFICIAL = "extend-ai client path: construct_type of the decoded body"
OFFICIAL_BYTES = "extend-ai client path: from bytes (json.loads, then construct_type)"
OFFICIAL_PARSE = "extend-ai parse_obj_as (validating) of the decoded body"
_OFFICIAL_VALIDATE = "pydantic {}.model_validate of the decoded body"


def _official_validate(type_name: str) -> str:
    return _OFFICIAL_VALIDATE.format(type_name)


def variants(body: bytes, operation: str, official_type: str) -> dict[str, Callable[[], object]]:
    """The calls to time on ``body``: ours through the endpoint of ``operation``, and,
    when the official SDK is installed, its reading as its ``official_type``."""
    document = json.loads(body)
    parse = ENDPOINTS[operation].parse
    found: dict[str, Callable[[], object]] = {
        JSON_LOADS: lambda: json.loads(body),
        OURS: lambda: parse(document),
        OURS_BYTES: lambda: parse(client_json.loads(body)),
    }
    if not official_available():
        return found
    # Imported by name: the official SDK (and pydantic) need not be installed.
    official: Any = importlib.import_module("extend_ai")
    unchecked: Any = importlib.import_module("extend_ai.core.unchecked_base_model")
    utilities: Any = importlib.import_module("extend_ai.core.pydantic_utilities")
    kind = getattr(official, official_type)
    construct = unchecked.construct_type
    parse_obj_as = utilities.parse_obj_as
    found.update(
        {
            OFFICIAL: lambda: construct(type_=kind, object_=document),
            OFFICIAL_BYTES: lambda: construct(type_=kind, object_=json.loads(body)),
            OFFICIAL_PARSE: lambda: parse_obj_as(kind, document),
            _official_validate(official_type): lambda: kind.model_validate(document),
        }
    )
    return found


def official_results(work: dict[str, Callable[[], object]]) -> Iterator[tuple[str, Any]]:
    """(variant, its result) for each of the official SDK's variants in ``work``."""
    for name, call in work.items():
        if name not in (JSON_LOADS, OURS, OURS_BYTES):
            yield name, call()


def report(title: str, official_type: str, results: dict[str, list[float]]) -> Report:
    """The medians of ``results`` as rows (÷ ``json.loads``), ours against the official
    SDK's parses per second, and whether the goal is met."""
    medians = {name: statistics.median(seconds) for name, seconds in results.items()}
    baseline = medians[JSON_LOADS]
    made = Report(
        title=f"{title}, medians of {len(results[JSON_LOADS])} rounds",
        columns=["variant", "parses/s (CPU)", "CPU ms/parse", "÷ json.loads time"],
    )
    for name, seconds in medians.items():
        made.rows.append([name, 1 / seconds, seconds * 1e3, seconds / baseline])
    if OFFICIAL not in medians:
        made.notes.append(
            "official extend-ai not installed: its rows skipped (run with a Python that "
            "has extend-ai==0.2.0, or EXTEND_BENCH_OFFICIAL=1 nox -s bench)"
        )
        return made
    decoded = medians[OFFICIAL] / medians[OURS]
    from_bytes = medians[OFFICIAL_BYTES] / medians[OURS_BYTES]
    made.metrics["ours ÷ extend-ai client path, parses/s, from decoded JSON"] = decoded
    made.metrics["the same from bytes"] = from_bytes
    made.metrics["ours ÷ extend-ai parse_obj_as, from decoded JSON"] = (
        medians[OFFICIAL_PARSE] / medians[OURS]
    )
    made.metrics["ours ÷ pydantic model_validate, from decoded JSON"] = (
        medians[_official_validate(official_type)] / medians[OURS]
    )
    met = min(decoded, from_bytes) >= SPEED_GOAL
    rounds = [
        official / ours
        for official, ours in zip(results[OFFICIAL_BYTES], results[OURS_BYTES], strict=True)
    ]
    made.notes.append(
        f"goal: ours at least {SPEED_GOAL:.0f}x the official client's parses/s ({verdict(met)};"
        f" from bytes {min(rounds):.1f} to {max(rounds):.1f} over {len(rounds)} rounds)"
    )
    return made
