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
import json
import pstats
import urllib.request
from collections.abc import Callable
from typing import Any

from _common import Report, cpu_per_call, emit, parse_options
from _structuring import OURS, OURS_BYTES, official_results, report, variants

from extend_async.models import BlockType, ParserRun
from extend_async.testing import FakeExtendServer
from extend_async.testing._files import BYTES_PER_PAGE

PAGES = 1000
OFFICIAL_TYPE = "ParserRun"
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
    for name, theirs in official_results(work):
        assert theirs.id == ours.id, name
        assert _counts(theirs.chunks) == counts, name
        assert [c.content for c in theirs.chunks] == [c.content for c in ours.chunks], name
        last = theirs.chunks[-1].blocks[-1]
        assert last.bounding_box.bottom == ours.chunks[-1].blocks[-1].bounding_box.bottom
    return counts


def build_report(
    body: bytes, counts: tuple[int, int, int], results: dict[str, list[float]]
) -> Report:
    chunks, blocks, children = counts
    title = (
        f"Structuring one parser run: {chunks:,} chunks, {blocks:,} blocks and "
        f"{children:,} cell blocks, {len(body) / 1024 / 1024:.1f} MiB of JSON"
    )
    return report(title, OFFICIAL_TYPE, results)


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
    work = variants(body, "parse_file", OFFICIAL_TYPE)
    counts = check(work, pages)
    results = cpu_per_call(work, options.repeats)
    emit(build_report(body, counts, results), options)
    if options.profile:
        profile(work[OURS])


if __name__ == "__main__":
    main()
