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
import urllib.request
from collections.abc import Callable
from typing import Any

from _common import Report, cpu_per_call, emit, parse_options
from _structuring import OURS, OURS_BYTES, official_results, report, variants

from extend_async.models import ExtractionConfig, JsonOutput, ProcessorRun
from extend_async.testing import FakeExtendServer

FIELDS = 500
OFFICIAL_TYPE = "ProcessorRunGetResponse"

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


def check(body: bytes, work: dict[str, Callable[[], object]], fields: int) -> None:
    """Every variant reads the same run: the same values, every field's citation."""
    ours = work[OURS]()
    assert isinstance(ours, ProcessorRun)
    assert isinstance(ours.output, JsonOutput)
    assert len(ours.output.value) == len(ours.output.metadata) == fields
    assert all(meta.citations for meta in ours.output.metadata.values())
    assert work[OURS_BYTES]() == ours
    for name, theirs in official_results(work):
        run = theirs.processor_run
        assert run.id == ours.id
        assert run.output.value == ours.output.value, name
        assert len(run.output.metadata) == fields, name


def build_report(body: bytes, fields: int, results: dict[str, list[float]]) -> Report:
    title = (
        f"Structuring one processor run: {fields} extracted fields with citations, "
        f"{len(body) / 1024:.0f} KiB of JSON"
    )
    return report(title, OFFICIAL_TYPE, results)


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
    work = variants(body, "get_processor_run", OFFICIAL_TYPE)
    check(body, work, fields)
    results = cpu_per_call(work, options.repeats)
    emit(build_report(body, fields, results), options)


if __name__ == "__main__":
    main()
