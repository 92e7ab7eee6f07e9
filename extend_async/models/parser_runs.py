"""Parsing: the parse configuration (also embedded in every processor config as
``parser``) and its sub-objects; parser runs with their chunks, blocks and OCR words;
the request that starts a parse and the answer to deleting a run."""

from __future__ import annotations

from typing import Any, ClassVar, TypeAlias

import attrs

from .common import NOT_GIVEN, ApiEnum, Omittable, RawJson, union_of
from .files import FileInput

__all__ = [
    "Block",
    "BlockBoundingBox",
    "BlockDetails",
    "BlockMetadata",
    "BlockPage",
    "BlockPolygonPoint",
    "BlockType",
    "Chunk",
    "ChunkMetadata",
    "ChunkPageRange",
    "ChunkType",
    "EmptyBlockDetails",
    "ExcelParsingMode",
    "FigureDetails",
    "FigureType",
    "KeyValueDetails",
    "OcrWord",
    "OcrWordBoundingBox",
    "PageRange",
    "ParseAdvancedOptions",
    "ParseAgenticOptions",
    "ParseBlockOptions",
    "ParseChunkingOptions",
    "ParseChunkingStrategy",
    "ParseChunkingStrategyType",
    "ParseConfig",
    "ParseEngine",
    "ParseFigureOptions",
    "ParseRequest",
    "ParseResponseType",
    "ParseReturnOcrOptions",
    "ParseTableFormat",
    "ParseTableOptions",
    "ParseTarget",
    "ParseTextOptions",
    "ParserRun",
    "ParserRunCredits",
    "ParserRunDeleted",
    "ParserRunMetrics",
    "ParserRunOcr",
    "ParserRunResult",
    "ParserRunState",
    "ParserRunStatus",
    "TableCellDetails",
    "TableDetails",
    "UnknownBlockDetails",
    "UnknownParserRunResult",
]


class ParseTarget(ApiEnum):
    """The format of the parsed chunks' content."""

    MARKDOWN = "markdown"
    SPATIAL = "spatial"


class ParseEngine(ApiEnum):
    """The parsing engine."""

    PARSE_PERFORMANCE = "parse_performance"
    PARSE_LIGHT = "parse_light"


class ParseChunkingStrategyType(ApiEnum):
    """How big a chunk is: a page, the whole document, or a section."""

    PAGE = "page"
    DOCUMENT = "document"
    SECTION = "section"


class ParseTableFormat(ApiEnum):
    """How tables are rendered."""

    MARKDOWN = "markdown"
    HTML = "html"


class ExcelParsingMode(ApiEnum):
    """How deeply Excel files are parsed (``.xls`` is always basic)."""

    BASIC = "basic"
    ADVANCED = "advanced"


@attrs.frozen
class PageRange:
    """A range of pages (1-based, both ends inclusive); either end may be left open."""

    start: int | None = None
    end: int | None = None


@attrs.frozen
class ParseChunkingOptions:
    """Size bounds of chunks, in characters."""

    min_characters: int | None = None
    max_characters: int | None = None


@attrs.frozen
class ParseChunkingStrategy:
    """How the document is split into chunks."""

    type: ParseChunkingStrategyType | None = None
    options: ParseChunkingOptions | None = None


@attrs.frozen
class ParseFigureOptions:
    """Options for figure blocks."""

    enabled: bool | None = None
    figure_image_clipping_enabled: bool | None = None


@attrs.frozen
class ParseAgenticOptions:
    """Vision-model correction of tables or text, with optional extra guidance."""

    enabled: bool | None = None
    custom_instructions: str | None = None


@attrs.frozen
class ParseTableOptions:
    """Options for table blocks."""

    enabled: bool | None = None
    target_format: ParseTableFormat | None = None
    table_header_continuation_enabled: bool | None = None
    cell_blocks_enabled: bool | None = None
    agentic: ParseAgenticOptions | None = None


@attrs.frozen
class ParseTextOptions:
    """Options for text blocks."""

    signature_detection_enabled: bool | None = None
    agentic: ParseAgenticOptions | None = None


@attrs.frozen
class ParseBlockOptions:
    """Options per kind of block."""

    figures: ParseFigureOptions | None = None
    tables: ParseTableOptions | None = None
    text: ParseTextOptions | None = None


@attrs.frozen
class ParseReturnOcrOptions:
    """Which raw OCR data to return with the result."""

    words: bool | None = None


@attrs.frozen
class ParseAdvancedOptions:
    """Less common parse options."""

    page_rotation_enabled: bool | None = None
    agentic_ocr_enabled: bool | None = None
    page_ranges: list[PageRange] | None = None
    excel_parsing_mode: ExcelParsingMode | None = None
    excel_skip_hidden_content: bool | None = None
    excel_use_raw_cell_values: bool | None = None
    excel_skip_calculation: bool | None = None
    vertical_grouping_threshold: float | None = None
    return_ocr: ParseReturnOcrOptions | None = None
    always_convert_to_pdf: bool | None = None


@attrs.frozen
class ParseConfig:
    """How a document is parsed: target format, chunking, engine, block and advanced options."""

    target: ParseTarget | None = None
    chunking_strategy: ParseChunkingStrategy | None = None
    engine: ParseEngine | None = None
    block_options: ParseBlockOptions | None = None
    advanced_options: ParseAdvancedOptions | None = None


class ParseResponseType(ApiEnum):
    """How Parse File and Get Parser Run return the content (query ``responseType``):
    inline (``json``, the default) or behind presigned URLs (``url``)."""

    JSON = "json"
    URL = "url"


class ParserRunState(ApiEnum):
    """Lifecycle of a parser run. PROCESSED and FAILED are final; a full
    :class:`ParserRun` is only ever in one of them."""

    PROCESSING = "PROCESSING"
    PROCESSED = "PROCESSED"
    FAILED = "FAILED"

    #: The final states (set below the class: an enum's body only holds members).
    TERMINAL: ClassVar[frozenset[ParserRunState]]

    @classmethod
    def is_terminal(cls, status: ParserRunState | str) -> bool:
        """True only for the known final states; an unknown new status is not final."""
        return status in cls.TERMINAL


ParserRunState.TERMINAL = frozenset({ParserRunState.PROCESSED, ParserRunState.FAILED})


class ChunkType(ApiEnum):
    """How much of the document a chunk covers."""

    PAGE = "page"
    DOCUMENT = "document"
    SECTION = "section"


class BlockType(ApiEnum):
    """The kind of a block."""

    TEXT = "text"
    HEADING = "heading"
    SECTION_HEADING = "section_heading"
    TABLE = "table"
    FIGURE = "figure"
    TABLE_HEAD = "table_head"
    TABLE_CELL = "table_cell"
    KEY_VALUE = "key_value"
    HEADER = "header"
    FOOTER = "footer"


class FigureType(ApiEnum):
    """The refined kind of a figure (when figure classification is on)."""

    OTHER = "other"
    CHART = "chart"
    IMAGE = "image"
    DIAGRAM = "diagram"
    LOGO = "logo"


@attrs.frozen
class ParserRunMetrics:
    """How long a parse took and how many pages the document has."""

    processing_time_ms: float
    page_count: float


@attrs.frozen
class ParserRunCredits:
    """Credits a parser run spent."""

    credits: float


@attrs.frozen
class OcrWordBoundingBox:
    """The box around an OCR word."""

    left: float
    right: float
    top: float
    bottom: float


@attrs.frozen
class OcrWord:
    """One word the OCR read, with its box, confidence (0 to 1) and page."""

    content: str
    bounding_box: OcrWordBoundingBox
    confidence: float
    page_number: float


@attrs.frozen
class ParserRunOcr:
    """The raw OCR of a parse (only when ``returnOcr`` was asked for)."""

    words: list[OcrWord] | None = None


@attrs.frozen
class ChunkPageRange:
    """The pages a chunk spans (both ends inclusive; equal for part of one page)."""

    start: int
    end: int


@attrs.frozen
class ChunkMetadata:
    """Where a chunk is in the document."""

    page_range: ChunkPageRange


@attrs.frozen
class BlockPage:
    """The page a block is on, with the page's size in points."""

    number: int
    width: float | None = None
    height: float | None = None


@attrs.frozen
class BlockMetadata:
    """Page information of a block."""

    page: BlockPage | None = None


@attrs.frozen
class BlockPolygonPoint:
    """A corner of a block's outline."""

    x: float
    y: float


@attrs.frozen
class BlockBoundingBox:
    """The box around a block."""

    left: float | None = None
    right: float | None = None
    top: float | None = None
    bottom: float | None = None


@attrs.frozen
class TableDetails:
    """Details of a table block: its size."""

    row_count: int
    column_count: int
    type: str = "table_details"


@attrs.frozen
class TableCellDetails:
    """Details of a table-cell block: where the cell is in its table."""

    row_index: int
    column_index: int
    type: str = "table_cell_details"


@attrs.frozen
class FigureDetails:
    """Details of a figure block: the cropped image and the kind of figure."""

    image_url: str | None = None
    figure_type: FigureType | None = None
    type: str = "figure_details"


@attrs.frozen
class KeyValueDetails:
    """Details of a key-value block (no fields beyond the tag)."""

    type: str = "key_value_details"


@attrs.frozen
class EmptyBlockDetails:
    """The empty details ``{}`` of a block that has none (text, headings...)."""


@attrs.frozen
class UnknownBlockDetails(RawJson):
    """Block details of a ``type`` this release does not know (or that it cannot read),
    kept exactly as sent."""

    @property
    def type(self) -> str | None:
        """The details' ``type`` tag, when there is one."""
        tag = self.raw.get("type")
        return tag if isinstance(tag, str) else None


#: The type-specific details of a block, told apart by their own ``type`` key (which
#: need not agree with the block's type: see :func:`_choose_block_details`).
BlockDetails: TypeAlias = (
    TableDetails
    | TableCellDetails
    | FigureDetails
    | KeyValueDetails
    | EmptyBlockDetails
    | UnknownBlockDetails
)

_DETAILS_BY_TYPE: dict[str, type[Any]] = {
    "table_details": TableDetails,
    "table_cell_details": TableCellDetails,
    "figure_details": FigureDetails,
    "key_value_details": KeyValueDetails,
}


def _choose_block_details(value: Any) -> type[Any]:
    """The details' class by their ``type`` key; ``{}`` is empty; anything else (an
    unknown tag, keys without a tag) is kept raw."""
    if not isinstance(value, dict):
        return UnknownBlockDetails
    if not value:
        return EmptyBlockDetails
    tag = value.get("type")
    if isinstance(tag, str):
        return _DETAILS_BY_TYPE.get(tag, UnknownBlockDetails)
    return UnknownBlockDetails


union_of(BlockDetails, _choose_block_details, fallback=UnknownBlockDetails)


@attrs.frozen
class Block:
    """A piece of a parsed chunk (text, heading, table, figure, cell...) with its
    details, position and, for tables with cell blocks, child blocks."""

    id: str
    type: BlockType
    content: str
    details: BlockDetails
    metadata: BlockMetadata
    polygon: list[BlockPolygonPoint]
    bounding_box: BlockBoundingBox
    parent_block_id: str | None = None
    children: list[Block] | None = None
    object: str = "block"


@attrs.frozen
class Chunk:
    """A part of a parsed document (a page, a section or the whole document): its
    content in the target format and the blocks it is made of."""

    type: ChunkType
    content: str
    metadata: ChunkMetadata
    blocks: list[Block]
    object: str = "chunk"


@attrs.frozen
class ParserRunStatus:
    """The state of a parser run while it is being parsed (Parse File Async, and Get
    Parser Run before the run finishes; also the payload of ``parser_run.*`` webhooks)."""

    id: str
    status: ParserRunState
    failure_reason: str | None = None
    object: str = "parser_run_status"

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state (PROCESSED or FAILED)."""
        return ParserRunState.is_terminal(self.status)


@attrs.frozen
class ParserRun:
    """A finished parser run: the chunks of the parsed file, with metrics, the
    effective config and, when asked for, the raw OCR."""

    id: str
    file_id: str
    chunks: list[Chunk]
    status: ParserRunState
    metrics: ParserRunMetrics
    config: ParseConfig
    ocr: ParserRunOcr | None = None
    failure_reason: str | None = None
    usage: ParserRunCredits | None = None
    object: str = "parser_run"

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state (always so for a full run)."""
        return ParserRunState.is_terminal(self.status)


@attrs.frozen
class UnknownParserRunResult(RawJson):
    """A parser run of an ``object`` kind this release does not know (or that it cannot
    read), kept exactly as sent."""


#: What Get Parser Run gives: the full run when done, its status while parsing.
ParserRunResult: TypeAlias = ParserRun | ParserRunStatus | UnknownParserRunResult


def _choose_parser_run(value: Any) -> type[Any]:
    """By ``object``; without one, a run with ``chunks`` is a full run, and one without
    is a status. An unknown ``object`` is kept raw."""
    if not isinstance(value, dict):
        return UnknownParserRunResult
    kind = value.get("object")
    if kind is None:
        return ParserRun if "chunks" in value else ParserRunStatus
    if kind == "parser_run":
        return ParserRun
    if kind == "parser_run_status":
        return ParserRunStatus
    return UnknownParserRunResult


union_of(ParserRunResult, _choose_parser_run, fallback=UnknownParserRunResult)


@attrs.frozen(kw_only=True)
class ParseRequest:
    """The body of Parse File and Parse File Async: the file (by URL or ID) and how to
    parse it."""

    file: FileInput
    config: Omittable[ParseConfig] = NOT_GIVEN


@attrs.frozen
class ParserRunDeleted:
    """The answer to Delete Parser Run: the deleted run's ID and a message."""

    parser_run_id: str
    message: str
