"""Structuring one large processor run: ours against the official SDK's parse of it.

The body is what the package's fake serves for ``GET /processor_runs/{id}`` of a
PROCESSED extraction run whose JSON Schema has 500 properties (strings, dates, numbers,
integers, booleans): its output (and its initial output, the same) holds a value, two
confidences and a citation with a four-point polygon for every field, and its config
the 500-property schema. The fake's output generator makes it
(``extend_async.testing._outputs.generate_output``, seeded).

Timed, in this one process, variants rotating round by round, each repeated for about
half a second of CPU per round, figures the median of ``--repeats`` rounds:

- ``json.loads`` of the body: the baseline every row is divided by;
- ours from decoded JSON: ``Endpoint.parse`` of ``get_processor_run`` (the converter);
- ours from bytes: the client's decoder, then ``Endpoint.parse``: what a ``get`` does;
- extend-ai 0.2.0 as its client parses: ``construct_type(type_=ProcessorRunGetResponse,
  object_=...)``, which builds its pydantic models without validating them, from
  decoded JSON and from bytes (``json.loads`` first, as httpx's ``response.json()``
  does);
- extend-ai's validating paths on the same decoded JSON, for comparison: its
  ``parse_obj_as`` (a pydantic ``TypeAdapter`` per call) and pydantic's own
  ``ProcessorRunGetResponse.model_validate``.

The official rows are skipped, with a note, when ``extend_ai`` is not importable (run
with ``EXTEND_BENCH_OFFICIAL=1 nox -s bench`` or a Python that has it). Run: ``python
bench/bench_structure.py [--repeats N] [--json PATH] [--fields N]``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import statistics
import urllib.request
from collections.abc import Callable
from typing import Any

from _common import Report, cpu_per_call, emit, parse_options, verdict

from extend_async import _json as client_json
from extend_async.models import ExtractionConfig, JsonOutput, ProcessorRun
from extend_async.resources import ENDPOINTS
from extend_async.testing import FakeExtendServer

FIELDS = 500
SECONDS_PER_ROUND = 0.5  # CPU per variant per round, roughly
SPEED_GOAL = 10.0

JSON_LOADS = "json.loads of the body (baseline)"
OURS = "ours: Endpoint.parse of the decoded body"
OURS_BYTES = "ours: from bytes (the client's decoder, then Endpoint.parse)"
OFFICIAL = "extend-ai client path: construct_type of the decoded body"
OFFICIAL_BYTES = "extend-ai client path: from bytes (json.loads, then construct_type)"
OFFICIAL_PARSE = "extend-ai parse_obj_as (validating) of the decoded body"
OFFICIAL_VALIDATE = "pydantic ProcessorRunGetResponse.model_validate of the decoded body"

_KINDS = (
    ("string", "vendor_name"),
    ("string", "invoice_date"),
    ("number", "total_amount"),
    ("string", "currency"),
    ("integer", "line_count"),
    ("boolean", "is_paid"),
    ("string", "invoice_number"),
    ("string", "description"),
)


def schema(fields: int) -> dict[str, Any]:
    """A flat JSON Schema of ``fields`` nullable properties of the usual kinds."""
    properties = {}
    for n in range(fields):
        kind, name = _KINDS[n % len(_KINDS)]
        properties[f"{name}_{n:03d}"] = {"type": [kind, "null"], "description": f"Field {n}"}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def served_body(fields: int) -> bytes:
    """``GET /processor_runs/{id}`` of a finished run, as the fake serves it."""
    with FakeExtendServer.in_thread(seed=5) as fake:
        processor = fake.processors.add(
            type="EXTRACT", config=ExtractionConfig(schema=schema(fields))
        )
        run = fake.processor_runs.add(processor_id=processor.id, file_name="large.pdf")
        request = urllib.request.Request(
            f"{fake.url}/processor_runs/{run.id}",
            headers={"Authorization": f"Bearer {fake.token}", "x-extend-api-version": "2025-04-21"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body: bytes = response.read()
    return body


def official_available() -> bool:
    return importlib.util.find_spec("extend_ai") is not None


def variants(body: bytes) -> dict[str, Callable[[], object]]:
    document = json.loads(body)
    parse = ENDPOINTS["get_processor_run"].parse
    found: dict[str, Callable[[], object]] = {
        JSON_LOADS: lambda: json.loads(body),
        OURS: lambda: parse(document),
        OURS_BYTES: lambda: parse(client_json.loads(body)),
    }
    if not official_available():
        return found
    # Imported by name: the official SDK (and pydantic) live only in the bench venv.
    official: Any = importlib.import_module("extend_ai")
    unchecked: Any = importlib.import_module("extend_ai.core.unchecked_base_model")
    utilities: Any = importlib.import_module("extend_ai.core.pydantic_utilities")
    response_type = official.ProcessorRunGetResponse
    construct = unchecked.construct_type
    parse_obj_as = utilities.parse_obj_as
    found.update(
        {
            OFFICIAL: lambda: construct(type_=response_type, object_=document),
            OFFICIAL_BYTES: lambda: construct(type_=response_type, object_=json.loads(body)),
            OFFICIAL_PARSE: lambda: parse_obj_as(response_type, document),
            OFFICIAL_VALIDATE: lambda: response_type.model_validate(document),
        }
    )
    return found


def check(body: bytes, work: dict[str, Callable[[], object]], fields: int) -> None:
    """Every variant reads the same run: the same values, every field's citation."""
    ours = work[OURS]()
    assert isinstance(ours, ProcessorRun)
    assert isinstance(ours.output, JsonOutput)
    assert len(ours.output.value) == len(ours.output.metadata) == fields
    assert all(meta.citations for meta in ours.output.metadata.values())
    assert work[OURS_BYTES]() == ours
    for name in (OFFICIAL, OFFICIAL_BYTES, OFFICIAL_PARSE, OFFICIAL_VALIDATE):
        if name in work:
            theirs: Any = work[name]()
            run = theirs.processor_run
            assert run.id == ours.id
            assert run.output.value == ours.output.value, name
            assert len(run.output.metadata) == fields, name


def build_report(body: bytes, fields: int, results: dict[str, list[float]]) -> Report:
    medians = {name: statistics.median(seconds) for name, seconds in results.items()}
    baseline = medians[JSON_LOADS]
    report = Report(
        title=f"Structuring one processor run: {fields} extracted fields with citations, "
        f"{len(body) / 1024:.0f} KiB of JSON, medians of {len(results[JSON_LOADS])} rounds",
        columns=["variant", "parses/s (CPU)", "CPU ms/parse", "÷ json.loads time"],
    )
    for name, seconds in medians.items():
        report.rows.append([name, 1 / seconds, seconds * 1e3, seconds / baseline])
    if OFFICIAL not in medians:
        report.notes.append(
            "official extend-ai not installed: its rows skipped (run with a Python that "
            "has extend-ai==0.2.0, or EXTEND_BENCH_OFFICIAL=1 nox -s bench)"
        )
        return report
    decoded = medians[OFFICIAL] / medians[OURS]
    from_bytes = medians[OFFICIAL_BYTES] / medians[OURS_BYTES]
    report.metrics["ours ÷ extend-ai client path, parses/s, from decoded JSON"] = decoded
    report.metrics["the same from bytes"] = from_bytes
    report.metrics["ours ÷ extend-ai parse_obj_as, from decoded JSON"] = (
        medians[OFFICIAL_PARSE] / medians[OURS]
    )
    report.metrics["ours ÷ pydantic model_validate, from decoded JSON"] = (
        medians[OFFICIAL_VALIDATE] / medians[OURS]
    )
    met = min(decoded, from_bytes) >= SPEED_GOAL
    rounds = [
        official / ours
        for official, ours in zip(results[OFFICIAL_BYTES], results[OURS_BYTES], strict=True)
    ]
    report.notes.append(
        f"goal: ours at least {SPEED_GOAL:.0f}x the official client's parses/s ({verdict(met)};"
        f" from bytes {min(rounds):.1f} to {max(rounds):.1f} over {len(rounds)} rounds)"
    )
    return report


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fields",
        type=int,
        default=FIELDS,
        help=f"properties of the extraction schema (default {FIELDS})",
    )


def main() -> None:
    options = parse_options(__doc__ or "", configure=configure)
    fields: int = options.extra.fields
    body = served_body(fields)
    work = variants(body)
    check(body, work, fields)
    results = cpu_per_call(work, options.repeats, seconds=SECONDS_PER_ROUND)
    emit(build_report(body, fields, results), options)


if __name__ == "__main__":
    main()
