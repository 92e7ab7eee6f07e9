"""What the fake's parser makes of a document: chunks of blocks, laid out on pages.

Made up, but shaped by the request the way Extend's output is: the ``target`` decides
how content reads (markdown headings and tables, or spatial text indented to where it
sits on the page), the chunking strategy how blocks are grouped (per page, one for the
document, or per section) within ``minCharacters``/``maxCharacters``, the block options
whether figures and table cells appear, ``pageRanges`` which pages are parsed, and
``returnOcr`` whether word boxes come back. A ``.txt`` upload's own text is the content;
any other document gets text drawn from the seeded RNG, titled after its name.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from typing import Any, Final

import attrs

from ..models import (
    Block,
    BlockBoundingBox,
    BlockDetails,
    BlockMetadata,
    BlockPage,
    BlockPolygonPoint,
    BlockType,
    Chunk,
    ChunkMetadata,
    ChunkPageRange,
    ChunkType,
    EmptyBlockDetails,
    FigureDetails,
    FigureType,
    KeyValueDetails,
    OcrWord,
    OcrWordBoundingBox,
    ParseAdvancedOptions,
    ParseBlockOptions,
    ParseChunkingStrategy,
    ParseChunkingStrategyType,
    ParseConfig,
    ParseEngine,
    ParseFigureOptions,
    ParserRunOcr,
    ParseTableFormat,
    ParseTableOptions,
    ParseTarget,
    ParseTextOptions,
    TableCellDetails,
    TableDetails,
)

__all__ = ["DEFAULT_CONFIG", "Document", "config_problem", "effective_config", "generate_parse"]

#: A US Letter page, in points, and the space kept free around what is on it.
PAGE_WIDTH: Final = 612.0
PAGE_HEIGHT: Final = 792.0
_MARGIN: Final = 72.0
_LINE: Final = 14.0  # points per line of text
_CHAR: Final = 6.0  # points per character, for line widths and spatial indents
_LINE_CHARS: Final = int((PAGE_WIDTH - 2 * _MARGIN) / _CHAR)

#: What the server fills in for options a request leaves out (the run's ``config``).
DEFAULT_CONFIG: Final = ParseConfig(
    target=ParseTarget.MARKDOWN,
    chunking_strategy=ParseChunkingStrategy(type=ParseChunkingStrategyType.PAGE),
    engine=ParseEngine.PARSE_PERFORMANCE,
    block_options=ParseBlockOptions(
        figures=ParseFigureOptions(enabled=True, figure_image_clipping_enabled=True),
        tables=ParseTableOptions(
            target_format=ParseTableFormat.MARKDOWN,
            table_header_continuation_enabled=False,
            cell_blocks_enabled=False,
        ),
        text=ParseTextOptions(signature_detection_enabled=False),
    ),
    advanced_options=ParseAdvancedOptions(
        page_rotation_enabled=True, vertical_grouping_threshold=1.0
    ),
)

_TOPICS: Final = (
    "Summary",
    "Billing details",
    "Line items",
    "Payment terms",
    "Delivery",
    "Notes",
    "Contacts",
    "Terms and conditions",
)
_SENTENCES: Final = (
    "This document sets out the charges for the period under review.",
    "All amounts are stated in US dollars and include applicable taxes.",
    "Payment is due within thirty days of the invoice date.",
    "Please quote the reference number on every remittance.",
    "Goods remain the property of the seller until paid in full.",
    "Questions about this statement can be sent to the billing team.",
    "Late payments may incur interest at the agreed rate.",
    "The figures below were reconciled against the purchase order.",
    "Items marked as back-ordered will ship separately at no extra cost.",
    "Signed copies are kept on file for seven years.",
)
_COLUMNS: Final = ("Item", "Qty", "Unit price", "Amount", "Tax")
_ITEMS: Final = ("Office supplies", "Consulting hours", "Shipping", "Licences", "Hardware")
_FIGURE_TYPES: Final = tuple(FigureType)


@attrs.frozen
class Document:
    """What the parser reads: the file's id and name, its page count and its text."""

    id: str
    name: str
    pages: int
    text: str | None = None


def effective_config(given: ParseConfig | None) -> ParseConfig:
    """The config a run reports: the request's options over :data:`DEFAULT_CONFIG`."""
    merged: ParseConfig = _merge(given, DEFAULT_CONFIG)
    return merged


def _merge(given: Any, default: Any) -> Any:
    """``given`` with what it leaves out (None) taken from ``default``, model by model."""
    if given is None:
        return default
    if not attrs.has(type(given)) or type(given) is not type(default):
        return given
    changes = {
        field.name: _merge(getattr(given, field.name), getattr(default, field.name))
        for field in attrs.fields(type(given))
    }
    return attrs.evolve(given, **changes)


def config_problem(config: ParseConfig) -> str | None:
    """What is wrong with an effective config, in the API's words, or None."""
    strategy = config.chunking_strategy
    if (
        strategy is not None
        and strategy.type == ParseChunkingStrategyType.SECTION
        and config.target == ParseTarget.SPATIAL
    ):
        return "section chunking is not available with the spatial target"
    options = strategy.options if strategy is not None else None
    low = options.min_characters if options is not None else None
    high = options.max_characters if options is not None else None
    if (low is not None and low < 0) or (high is not None and high < 1):
        return "chunk sizes must be positive"
    if low is not None and high is not None and low > high:
        return "minCharacters must not exceed maxCharacters"
    advanced = config.advanced_options
    threshold = advanced.vertical_grouping_threshold if advanced is not None else None
    if threshold is not None and not 0.1 <= threshold <= 5.0:
        return "verticalGroupingThreshold must be between 0.1 and 5.0"
    return None


def generate_parse(
    document: Document, config: ParseConfig
) -> tuple[list[Chunk], ParserRunOcr | None]:
    """The chunks of ``document`` parsed with ``config`` (an effective one), and the
    OCR words when the config asks for them.

    What is drawn comes from an RNG seeded by the document's id, as a parser reads the
    same file the same way each time: two configs give the same blocks, rendered and
    grouped in their own ways (and ids drawn from a seeded fake repeat with its seed).
    """
    rng = random.Random(document.id)
    layout = _Layout(config)
    pages = _selected_pages(document.pages, config)
    if document.text is not None:
        items = _text_items(document.text, pages)
    else:
        items = _drawn_items(document, pages, config, rng)
    blocks = [layout.block(page, index, item, rng) for page, index, item in items]
    chunks = _chunks(blocks, config, layout)
    ocr = None
    advanced = config.advanced_options
    if advanced is not None and advanced.return_ocr is not None and advanced.return_ocr.words:
        ocr = ParserRunOcr(words=list(_words(blocks, rng)))
    return chunks, ocr


# -- what is on the pages ------------------------------------------------------------------


@attrs.frozen
class _Item:
    """One thing on a page before layout: its kind, its text, and a table's rows."""

    type: BlockType
    text: str
    rows: tuple[tuple[str, ...], ...] = ()
    figure: FigureType | None = None


def _selected_pages(count: int, config: ParseConfig) -> list[int]:
    """The pages ``pageRanges`` keep (every page without them), in order."""
    every = range(1, max(1, count) + 1)
    ranges = config.advanced_options.page_ranges if config.advanced_options else None
    if not ranges:
        return list(every)
    return [
        page for page in every if any((r.start or 1) <= page <= (r.end or count) for r in ranges)
    ]


def _text_items(text: str, pages: list[int]) -> list[tuple[int, int, _Item]]:
    """A text file's paragraphs spread over its pages; ``#`` lines are headings."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    if not pages:
        return []
    per_page = max(1, -(-len(paragraphs) // len(pages)))
    items = []
    for n, paragraph in enumerate(paragraphs):
        page = pages[min(n // per_page, len(pages) - 1)]
        heading = paragraph.startswith("#")
        kind = BlockType.HEADING if heading else BlockType.TEXT
        items.append((page, n % per_page, _Item(kind, paragraph.lstrip("#").strip())))
    return items


def _title(name: str) -> str:
    stem = PurePosixPath(name).stem or "Document"
    words = re.split(r"[-_\s.]+", stem)
    return " ".join(word if word.isupper() else word.capitalize() for word in words if word)


def _drawn_items(
    document: Document, pages: list[int], config: ParseConfig, rng: random.Random
) -> list[tuple[int, int, _Item]]:
    """Made-up content for a document without text: a title, sections of prose, tables,
    figures when they are enabled, and a footer per page."""
    figures = config.block_options.figures if config.block_options else None
    with_figures = figures is None or figures.enabled is not False
    title = _title(document.name)
    items: list[tuple[int, int, _Item]] = []
    for page in pages:
        page_items: list[_Item] = []
        if page == 1:
            page_items.append(_Item(BlockType.HEADING, title))
            reference = f"{rng.randint(1000, 9999)}-{rng.randint(100, 999)}"
            page_items.append(_Item(BlockType.KEY_VALUE, f"Reference: {reference}"))
            if with_figures:
                page_items.append(_Item(BlockType.FIGURE, "logo", figure=FigureType.LOGO))
        page_items.append(_Item(BlockType.SECTION_HEADING, f"{rng.choice(_TOPICS)} ({page})"))
        for _ in range(rng.randint(1, 3)):
            sentences = rng.sample(_SENTENCES, rng.randint(2, 4))
            page_items.append(_Item(BlockType.TEXT, " ".join(sentences)))
        if page % 2 == 0 or rng.random() < 0.3:  # a table on every other page at least
            page_items.append(_table(rng))
        if with_figures and page > 1 and rng.random() < 0.25:
            kind = rng.choice(_FIGURE_TYPES)
            page_items.append(_Item(BlockType.FIGURE, str(kind), figure=kind))
        page_items.append(_Item(BlockType.FOOTER, f"Page {page} of {document.pages}"))
        items.extend((page, index, item) for index, item in enumerate(page_items))
    return items


def _table(rng: random.Random) -> _Item:
    columns = _COLUMNS[: rng.randint(2, 4)]
    rows = [tuple(columns)]
    for _ in range(rng.randint(1, 4)):
        quantity, cents = rng.randint(1, 20), rng.randint(500, 90_000)
        total = quantity * cents
        cells = [
            rng.choice(_ITEMS),
            str(quantity),
            f"${cents // 100}.{cents % 100:02d}",
            f"${total // 100}.{total % 100:02d}",
            "$0.00",
        ]
        rows.append(tuple(cells[: len(columns)]))
    return _Item(BlockType.TABLE, "", rows=tuple(rows))


# -- laying blocks out ------------------------------------------------------------------


class _Layout:
    """Places items on their pages, top to bottom, and renders them in the target."""

    def __init__(self, config: ParseConfig) -> None:
        self.spatial = config.target == ParseTarget.SPATIAL
        blocks = config.block_options
        tables = blocks.tables if blocks is not None else None
        figures = blocks.figures if blocks is not None else None
        self.html_tables = tables is not None and tables.target_format == ParseTableFormat.HTML
        self.cell_blocks = tables is not None and tables.cell_blocks_enabled is True
        self.clipping = figures is None or figures.figure_image_clipping_enabled is not False
        self._cursor: dict[int, float] = {}

    def block(self, page: int, index: int, item: _Item, rng: random.Random) -> Block:
        lines = _wrap(item.text)
        height = _LINE * (len(item.rows) or len(lines)) + (40.0 if item.figure else 0.0)
        top = self._cursor.get(page, _MARGIN)
        if item.type == BlockType.FOOTER:
            top = PAGE_HEIGHT - _MARGIN / 2
        else:
            self._cursor[page] = top + height + _LINE
        left = _MARGIN + (rng.choice((0.0, 0.0, 18.0)) if item.type == BlockType.TEXT else 0.0)
        width = _width(item, lines)
        box = (left, min(PAGE_WIDTH - _MARGIN, left + width), top, top + height)
        content = self.render(item, lines, left)
        block_id = "blk_" + hashlib.sha1(f"{page}:{index}:{content}".encode()).hexdigest()[:8]
        children = (
            self._cells(block_id, page, item, box) if item.rows and self.cell_blocks else None
        )
        return _block(
            block_id, page, item.type, content, self._details(block_id, item), box, children
        )

    def render(self, item: _Item, lines: Sequence[str], left: float) -> str:
        if self.spatial:
            indent = " " * round(left / _CHAR)
            if item.rows:
                widths = [max(len(row[c]) for row in item.rows) for c in range(len(item.rows[0]))]
                lines = [
                    "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                    for row in item.rows
                ]
            elif item.figure is not None:
                lines = [f"[figure: {item.figure}]"]
            return "\n".join(indent + line.rstrip() for line in lines)
        if item.rows:
            return _html_table(item.rows) if self.html_tables else _markdown_table(item.rows)
        if item.figure is not None:
            return f"![{item.figure}](figure)"
        prefix = {BlockType.HEADING: "# ", BlockType.SECTION_HEADING: "## "}.get(item.type, "")
        return prefix + item.text

    def _details(self, block_id: str, item: _Item) -> BlockDetails:
        if item.rows:
            return TableDetails(row_count=len(item.rows), column_count=len(item.rows[0]))
        if item.figure is not None:
            url = f"https://extend-ai-files.s3.amazonaws.com/figures/{block_id}.png"
            return FigureDetails(image_url=url if self.clipping else None, figure_type=item.figure)
        if item.type == BlockType.KEY_VALUE:
            return KeyValueDetails()
        return EmptyBlockDetails()

    def _cells(
        self, table_id: str, page: int, item: _Item, box: tuple[float, float, float, float]
    ) -> list[Block]:
        left, right, top, _ = box
        width = (right - left) / len(item.rows[0])
        cells = []
        for r, row in enumerate(item.rows):
            kind = BlockType.TABLE_HEAD if r == 0 else BlockType.TABLE_CELL
            for c, text in enumerate(row):
                cell_box = (
                    left + c * width,
                    left + (c + 1) * width,
                    top + r * _LINE,
                    top + (r + 1) * _LINE,
                )
                cell_id = "blk_" + hashlib.sha1(f"{table_id}:{r}:{c}".encode()).hexdigest()[:8]
                details = TableCellDetails(row_index=r, column_index=c)
                cells.append(_block(cell_id, page, kind, text, details, cell_box, None, table_id))
        return cells


def _block(
    block_id: str,
    page: int,
    kind: BlockType,
    content: str,
    details: BlockDetails,
    box: tuple[float, float, float, float],
    children: list[Block] | None,
    parent: str | None = None,
) -> Block:
    left, right, top, bottom = (round(value, 1) for value in box)
    return Block(
        id=block_id,
        type=kind,
        content=content,
        details=details,
        metadata=BlockMetadata(page=BlockPage(number=page, width=PAGE_WIDTH, height=PAGE_HEIGHT)),
        polygon=[
            BlockPolygonPoint(x=left, y=top),
            BlockPolygonPoint(x=right, y=top),
            BlockPolygonPoint(x=right, y=bottom),
            BlockPolygonPoint(x=left, y=bottom),
        ],
        bounding_box=BlockBoundingBox(left=left, right=right, top=top, bottom=bottom),
        parent_block_id=parent,
        children=children,
    )


def _wrap(text: str) -> list[str]:
    """``text`` in lines that fit between the margins."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > _LINE_CHARS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines or [""]


def _width(item: _Item, lines: Sequence[str]) -> float:
    if item.rows:
        return PAGE_WIDTH - 2 * _MARGIN
    if item.figure is not None:
        return 120.0
    return max(len(line) for line in lines) * _CHAR


def _markdown_table(rows: Sequence[Sequence[str]]) -> str:
    header, *body = rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def _html_table(rows: Sequence[Sequence[str]]) -> str:
    header, *body = rows
    head = "".join(f"<th>{cell}</th>" for cell in header)
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in body)
    return f"<table><tr>{head}</tr>{cells}</table>"


# -- chunks and OCR --------------------------------------------------------------------------


def _chunks(blocks: list[Block], config: ParseConfig, layout: _Layout) -> list[Chunk]:
    """The blocks grouped as the chunking strategy asks, within its size bounds."""
    strategy = config.chunking_strategy or ParseChunkingStrategy()
    kind = ChunkType(str(strategy.type or ParseChunkingStrategyType.PAGE))
    groups: list[list[Block]] = []
    for block in blocks:
        page = _page(block)
        starts = not groups or (
            (kind == ChunkType.PAGE and page != _page(groups[-1][-1]))
            or (kind == ChunkType.SECTION and block.type in _SECTION_STARTS)
        )
        if starts:
            groups.append([block])
        else:
            groups[-1].append(block)
    joiner = "\n" if layout.spatial else "\n\n"
    options = strategy.options
    groups = _bounded(
        groups,
        joiner,
        options.min_characters if options is not None else None,
        options.max_characters if options is not None else None,
    )
    return [
        Chunk(
            type=kind,
            content=joiner.join(block.content for block in group),
            metadata=ChunkMetadata(
                page_range=ChunkPageRange(start=_page(group[0]), end=_page(group[-1]))
            ),
            blocks=group,
        )
        for group in groups
    ]


_SECTION_STARTS: Final = frozenset({BlockType.HEADING, BlockType.SECTION_HEADING})


def _page(block: Block) -> int:
    assert block.metadata.page is not None  # every block the layout makes has its page
    return block.metadata.page.number


def _bounded(
    groups: list[list[Block]], joiner: str, low: int | None, high: int | None
) -> list[list[Block]]:
    """Groups split where longer than ``high`` characters (between blocks) and merged
    into the next where shorter than ``low``."""

    def size(group: Sequence[Block]) -> int:
        return len(joiner.join(block.content for block in group))

    split: list[list[Block]] = []
    for group in groups:
        current: list[Block] = []
        for block in group:
            if current and high is not None and size([*current, block]) > high:
                split.append(current)
                current = []
            current.append(block)
        split.append(current)
    if low is None:
        return split
    merged: list[list[Block]] = []
    for group in split:
        if merged and size(merged[-1]) < low:
            merged[-1] = merged[-1] + group
        else:
            merged.append(group)
    return merged


def _words(blocks: list[Block], rng: random.Random) -> Iterator[OcrWord]:
    """A box and a confidence for every word of every block's text (cells included)."""
    for block in blocks:
        yield from _words(block.children or [], rng)
        if block.type in (BlockType.FIGURE, BlockType.TABLE):
            continue
        box = block.bounding_box
        left, top = box.left or 0.0, box.top or 0.0
        text = block.content.lstrip("# ")
        lines = [wrapped for line in text.splitlines() for wrapped in _wrap(line)]
        for line_number, line in enumerate(lines):
            for match in re.finditer(r"\S+", line):
                start = left + match.start() * _CHAR
                yield OcrWord(
                    content=match.group(),
                    bounding_box=OcrWordBoundingBox(
                        left=round(start, 1),
                        right=round(start + len(match.group()) * _CHAR, 1),
                        top=round(top + line_number * _LINE, 1),
                        bottom=round(top + (line_number + 1) * _LINE, 1),
                    ),
                    confidence=round(rng.uniform(0.86, 0.999), 3),
                    page_number=float(_page(block)),
                )
