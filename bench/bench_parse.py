"""Structuring one large parser run: ours against the official SDK's parse of it.

The body is what the package's fake answers to ``POST /parse`` for a stored 1,000-page
document (``--pages N``) chunked by page: 1,000 chunks, each with its blocks (headings,
text, key-value, figures, footers, and tables whose cells are child blocks, since the
request turns ``cellBlocksEnabled`` on), every block with its page, polygon and box.

Timed, in this one process, variants rotating round by round, each repeated for about
half a second of CPU per round, figures the median of ``--repeats`` rounds:

- ``json.loads`` of the body: the baseline every row is divided by;
- ours from decoded JSON: ``Endpoint.parse`` of ``parse_file`` (the converter);
- ours from bytes: the client's decoder, then ``Endpoint.parse``: what ``parse`` does;
- extend-ai 0.2.0 as its client parses: ``construct_type(type_=ParserRun, object_=...)``
  (its models built without validation), from decoded JSON and from bytes
  (``json.loads`` first, as httpx's ``response.json()`` does);
- extend-ai's validating paths on the same decoded JSON, for comparison: its
  ``parse_obj_as`` and pydantic's own ``ParserRun.model_validate``.

The official rows are skipped, with a note, when ``extend_ai`` is not importable. Run:
``python bench/bench_parse.py [--repeats N] [--json PATH] [--pages N] [--profile]``;
``--profile`` then lists where ours spends its time structuring the decoded body.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import importlib.util
import json
import pstats
import statistics
import urllib.request
from collections.abc import Callable
from typing import Any

from _common import Report, cpu_per_call, emit, parse_options, verdict

from extend_async import _json as client_json
from extend_async.models import BlockType, ParserRun
from extend_async.resources import ENDPOINTS
from extend_async.testing import FakeExtendServer
from extend_async.testing._files import BYTES_PER_PAGE

PAGES = 1000
SECONDS_PER_ROUND = 0.5  # CPU per variant per round, roughly
SPEED_GOAL = 10.0

JSON_LOADS = "json.loads of the body (baseline)"
OURS = "ours: Endpoint.parse of the decoded body"
OURS_BYTES = "ours: from bytes (the client's decoder, then Endpoint.parse)"
OFFICIAL = "extend-ai client path: construct_type of the decoded body"
OFFICIAL_BYTES = "extend-ai client path: from bytes (json.loads, then construct_type)"
OFFICIAL_PARSE = "extend-ai parse_obj_as (validating) of the decoded body"
OFFICIAL_VALIDATE = "pydantic ParserRun.model_validate of the decoded body"
CONFIG = {"blockOptions": {"tables": {"cellBlocksEnabled": True}}}


def served_body(pages: int) -> bytes:
    """``POST /parse`` of a ``pages``-page document, as the fake answers it."""
    with FakeExtendServer.in_thread(seed=5) as fake:
        file = fake.files.add("annual-report.pdf", size=pages * BYTES_PER_PAGE)
        request = urllib.request.Request(
            f"{fake.url}/parse",
            data=json.dumps({"file": {"fileId": file.id}, "config": CONFIG}).encode(),
            headers={
                "Authorization": f"Bearer {fake.token}",
                "x-extend-api-version": "2025-04-21",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            body: bytes = response.read()
    return body


def official_available() -> bool:
    return importlib.util.find_spec("extend_ai") is not None


def variants(body: bytes) -> dict[str, Callable[[], object]]:
    document = json.loads(body)
    parse = ENDPOINTS["parse_file"].parse
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
    run_type = official.ParserRun
    construct = unchecked.construct_type
    parse_obj_as = utilities.parse_obj_as
    found.update(
        {
            OFFICIAL: lambda: construct(type_=run_type, object_=document),
            OFFICIAL_BYTES: lambda: construct(type_=run_type, object_=json.loads(body)),
            OFFICIAL_PARSE: lambda: parse_obj_as(run_type, document),
            OFFICIAL_VALIDATE: lambda: run_type.model_validate(document),
        }
    )
    return found


def _counts(chunks: Any) -> tuple[int, int, int]:
    """(chunks, blocks, child blocks) of a parsed run, ours or theirs."""
    blocks = [block for chunk in chunks for block in chunk.blocks]
    children = sum(len(block.children or []) for block in blocks)
    return len(chunks), len(blocks), children


def check(work: dict[str, Callable[[], object]], pages: int) -> tuple[int, int, int]:
    """Every variant reads the same run: the chunks, their content, every block."""
    ours = work[OURS]()
    assert isinstance(ours, ParserRun)
    counts = _counts(ours.chunks)
    assert counts[0] == pages
    assert counts[2] > 0, "no table with cell blocks: the run does not exercise children"
    assert any(b.type is BlockType.TABLE for chunk in ours.chunks for b in chunk.blocks)
    assert work[OURS_BYTES]() == ours
    for name in (OFFICIAL, OFFICIAL_BYTES, OFFICIAL_PARSE, OFFICIAL_VALIDATE):
        if name in work:
            theirs: Any = work[name]()
            assert theirs.id == ours.id, name
            assert _counts(theirs.chunks) == counts, name
            assert [c.content for c in theirs.chunks] == [c.content for c in ours.chunks], name
            last = theirs.chunks[-1].blocks[-1]
            assert last.bounding_box.bottom == ours.chunks[-1].blocks[-1].bounding_box.bottom
    return counts


def build_report(
    body: bytes, counts: tuple[int, int, int], results: dict[str, list[float]]
) -> Report:
    medians = {name: statistics.median(seconds) for name, seconds in results.items()}
    baseline = medians[JSON_LOADS]
    chunks, blocks, children = counts
    report = Report(
        title=f"Structuring one parser run: {chunks:,} chunks, {blocks:,} blocks and "
        f"{children:,} cell blocks, {len(body) / 1024 / 1024:.1f} MiB of JSON, medians of "
        f"{len(results[JSON_LOADS])} rounds",
        columns=["variant", "parses/s (CPU)", "CPU ms/parse", "÷ json.loads time"],
    )
    for name, seconds in medians.items():
        report.rows.append([name, 1 / seconds, seconds * 1e3, seconds / baseline])
    if OFFICIAL not in medians:
        report.notes.append(
            "official extend-ai not installed: its rows skipped (run with a Python that "
            "has extend-ai==0.2.0)"
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


def profile(work: Callable[[], object], calls: int = 5, top: int = 15) -> None:
    """Where structuring the decoded body spends its time (own time, cProfile)."""
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [work() for _ in range(calls)])
    print(f"\n### Profile of {calls} structurings of the decoded body, by own time\n")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pages",
        type=int,
        default=PAGES,
        help=f"pages of the document, one chunk each (default {PAGES})",
    )


def main() -> None:
    options = parse_options(__doc__ or "", profiling=True, configure=configure)
    pages: int = options.extra.pages
    body = served_body(pages)
    work = variants(body)
    counts = check(work, pages)
    results = cpu_per_call(work, options.repeats, seconds=SECONDS_PER_ROUND)
    emit(build_report(body, counts, results), options)
    if options.profile:
        profile(work[OURS])


if __name__ == "__main__":
    main()
