"""Parsing: the parse configuration (also embedded in every processor config as
``parser``) and its sub-objects."""

from __future__ import annotations

import attrs

from .common import ApiEnum

__all__ = [
    "ExcelParsingMode",
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
    "ParseReturnOcrOptions",
    "ParseTableFormat",
    "ParseTableOptions",
    "ParseTarget",
    "ParseTextOptions",
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
