"""The parse config and its sub-objects (embedded in processor configs as ``parser``);
parser runs, their chunks, blocks (every details variant) and OCR words; the parse
request and the delete answer."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cattrs import ClassValidationError
from models._support import STRICT, assert_same_wire, example, round_trip, without_success

from extend_async import to_dict
from extend_async._converter import converter
from extend_async.models import (
    Block,
    BlockBoundingBox,
    BlockDetails,
    BlockMetadata,
    BlockPage,
    BlockPolygonPoint,
    BlockType,
    ChunkMetadata,
    ChunkPageRange,
    ChunkType,
    EmptyBlockDetails,
    ExcelParsingMode,
    FigureDetails,
    FigureType,
    FileInput,
    KeyValueDetails,
    OcrWord,
    OcrWordBoundingBox,
    PageRange,
    ParseAdvancedOptions,
    ParseAgenticOptions,
    ParseBlockOptions,
    ParseChunkingOptions,
    ParseChunkingStrategy,
    ParseChunkingStrategyType,
    ParseConfig,
    ParseEngine,
    ParseFigureOptions,
    ParseRequest,
    ParseResponseType,
    ParseReturnOcrOptions,
    ParserRun,
    ParserRunCredits,
    ParserRunDeleted,
    ParserRunMetrics,
    ParserRunOcr,
    ParserRunResult,
    ParserRunState,
    ParserRunStatus,
    ParseTableFormat,
    ParseTableOptions,
    ParseTarget,
    ParseTextOptions,
    TableCellDetails,
    TableDetails,
    UnknownBlockDetails,
    UnknownParserRunResult,
)
from extend_async.models.common import NOT_GIVEN

EVERY_OPTION: dict[str, Any] = {
    "target": "spatial",
    "chunkingStrategy": {"type": "section", "options": {"minCharacters": 50, "maxCharacters": 900}},
    "engine": "parse_light",
    "blockOptions": {
        "figures": {"enabled": True, "figureImageClippingEnabled": False},
        "tables": {
            "enabled": True,
            "targetFormat": "html",
            "tableHeaderContinuationEnabled": True,
            "cellBlocksEnabled": False,
            "agentic": {"enabled": True, "customInstructions": "Merge split header rows."},
        },
        "text": {"signatureDetectionEnabled": True, "agentic": {"enabled": False}},
    },
    "advancedOptions": {
        "pageRotationEnabled": True,
        "agenticOcrEnabled": False,
        "pageRanges": [{"start": 2, "end": 4}, {"start": 9}],
        "excelParsingMode": "advanced",
        "excelSkipHiddenContent": True,
        "excelUseRawCellValues": False,
        "excelSkipCalculation": True,
        "verticalGroupingThreshold": 1,
        "returnOcr": {"words": True},
        "alwaysConvertToPdf": True,
    },
}


def test_the_parser_of_a_documented_config_round_trips() -> None:
    wire = example("get_processor_run")["processorRun"]["config"]["parser"]

    config = round_trip(wire, ParseConfig)

    assert config == ParseConfig(
        chunking_strategy=ParseChunkingStrategy(
            type=ParseChunkingStrategyType.PAGE,
            options=ParseChunkingOptions(min_characters=100, max_characters=1000),
        )
    )


def test_every_option_parses_and_round_trips() -> None:
    config = round_trip(EVERY_OPTION, ParseConfig)

    assert config == ParseConfig(
        target=ParseTarget.SPATIAL,
        chunking_strategy=ParseChunkingStrategy(
            type=ParseChunkingStrategyType.SECTION,
            options=ParseChunkingOptions(min_characters=50, max_characters=900),
        ),
        engine=ParseEngine.PARSE_LIGHT,
        block_options=ParseBlockOptions(
            figures=ParseFigureOptions(enabled=True, figure_image_clipping_enabled=False),
            tables=ParseTableOptions(
                enabled=True,
                target_format=ParseTableFormat.HTML,
                table_header_continuation_enabled=True,
                cell_blocks_enabled=False,
                agentic=ParseAgenticOptions(
                    enabled=True, custom_instructions="Merge split header rows."
                ),
            ),
            text=ParseTextOptions(
                signature_detection_enabled=True, agentic=ParseAgenticOptions(enabled=False)
            ),
        ),
        advanced_options=ParseAdvancedOptions(
            page_rotation_enabled=True,
            agentic_ocr_enabled=False,
            page_ranges=[PageRange(start=2, end=4), PageRange(start=9)],
            excel_parsing_mode=ExcelParsingMode.ADVANCED,
            excel_skip_hidden_content=True,
            excel_use_raw_cell_values=False,
            excel_skip_calculation=True,
            vertical_grouping_threshold=1.0,
            return_ocr=ParseReturnOcrOptions(words=True),
            always_convert_to_pdf=True,
        ),
    )
    assert type(config.advanced_options.vertical_grouping_threshold) is float


def test_the_strict_converter_takes_every_documented_option() -> None:
    assert STRICT.structure(EVERY_OPTION, ParseConfig) == converter.structure(
        EVERY_OPTION, ParseConfig
    )


def test_a_config_built_in_python_is_written_in_wire_form() -> None:
    config = ParseConfig(
        target=ParseTarget.MARKDOWN,
        advanced_options=ParseAdvancedOptions(page_ranges=[PageRange(end=3)]),
    )

    assert_same_wire(
        to_dict(config), {"target": "markdown", "advancedOptions": {"pageRanges": [{"end": 3}]}}
    )
    assert to_dict(ParseConfig()) == {}


def test_unknown_enum_values_are_kept() -> None:
    wire = {"target": "html", "engine": "parse_turbo", "chunkingStrategy": {"type": "paragraph"}}

    config = converter.structure(wire, ParseConfig)

    assert config.target == "html"
    assert config.target is not None
    assert config.target.is_known is False
    assert config.engine == "parse_turbo"
    assert config.chunking_strategy is not None
    assert config.chunking_strategy.type == "paragraph"
    assert to_dict(config) == wire


# --- parser runs ---------------------------------------------------------------------


def block(**changes: Any) -> dict[str, Any]:
    """A block on the wire: a text block on page 1, with ``changes`` applied."""
    wire: dict[str, Any] = {
        "object": "block",
        "id": "blk_1",
        "type": "text",
        "content": "Total due",
        "details": {},
        "metadata": {"page": {"number": 1, "width": 612, "height": 792}},
        "polygon": [{"x": 1, "y": 2}, {"x": 3, "y": 4}],
        "boundingBox": {"left": 1, "right": 3, "top": 2, "bottom": 4},
    }
    wire.update(changes)
    return wire


def test_the_sync_parse_body_is_a_bare_run_that_round_trips() -> None:
    body = example("parse_file")

    run = round_trip(body, ParserRun)

    assert run.object == "parser_run"
    assert run.id == "parser_run_xK9mLPqRtN3vS8wF5hB2cQ"
    assert run.file_id == "file_Zk9mNP12Qw4yTv8BdR3H"
    assert run.status is ParserRunState.PROCESSED
    assert run.is_terminal is True
    assert run.metrics == ParserRunMetrics(processing_time_ms=1840.0, page_count=1.0)
    assert run.usage == ParserRunCredits(credits=10.0)
    assert run.ocr is None
    assert run.failure_reason is None
    assert run.config.engine == "parse_performance"
    assert run.config.advanced_options is not None
    assert run.config.advanced_options.page_ranges == [
        PageRange(start=1, end=10),
        PageRange(start=20, end=30),
    ]
    [chunk] = run.chunks
    assert chunk.object == "chunk"
    assert chunk.type is ChunkType.PAGE
    assert chunk.metadata == ChunkMetadata(page_range=ChunkPageRange(start=1, end=1))
    assert chunk.content.startswith("# ACME CORPORATION")
    assert [b.type for b in chunk.blocks] == [
        BlockType.HEADING,
        BlockType.TEXT,
        BlockType.TABLE,
        BlockType.FIGURE,
    ]
    heading, _, table, figure = chunk.blocks
    assert heading == Block(
        id="blk_7c1f0e2a",
        type=BlockType.HEADING,
        content="# ACME CORPORATION",
        details=EmptyBlockDetails(),
        metadata=BlockMetadata(page=BlockPage(number=1, width=612.0, height=792.0)),
        polygon=[
            BlockPolygonPoint(x=72.0, y=60.0),
            BlockPolygonPoint(x=300.0, y=60.0),
            BlockPolygonPoint(x=300.0, y=84.0),
            BlockPolygonPoint(x=72.0, y=84.0),
        ],
        bounding_box=BlockBoundingBox(left=72.0, right=300.0, top=60.0, bottom=84.0),
    )
    assert table.details == TableDetails(row_count=2, column_count=3)
    assert figure.details == FigureDetails(
        image_url="https://extend-ai-files.s3.amazonaws.com/figures/blk_51d0aa19.png",
        figure_type=FigureType.LOGO,
    )
    assert to_dict(run)["chunks"][0]["blocks"][0]["details"] == {}


def test_the_async_parse_body_is_a_bare_status() -> None:
    status = round_trip(example("parse_file_async"), ParserRunStatus)

    assert status == ParserRunStatus(
        id="parser_run_xK9mLPqRtN3vS8wF5hB2cQ", status=ParserRunState.PROCESSING
    )
    assert status.object == "parser_run_status"
    assert status.is_terminal is False


def test_get_parser_run_gives_the_full_run_when_done() -> None:
    body = example("get_parser_run")

    result = round_trip(body["parserRun"], ParserRunResult)

    assert isinstance(result, ParserRun)
    assert result == converter.structure(example("parse_file"), ParserRun)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (
            {"object": "parser_run_status", "id": "parser_run_1", "status": "PROCESSING"},
            ParserRunStatus(id="parser_run_1", status=ParserRunState.PROCESSING),
        ),
        (
            {
                "object": "parser_run_status",
                "id": "parser_run_1",
                "status": "FAILED",
                "failureReason": "CORRUPT_FILE",
            },
            ParserRunStatus(
                id="parser_run_1", status=ParserRunState.FAILED, failure_reason="CORRUPT_FILE"
            ),
        ),
        (
            {"id": "parser_run_1", "status": "PROCESSING"},
            ParserRunStatus(id="parser_run_1", status=ParserRunState.PROCESSING),
        ),
    ],
)
def test_get_parser_run_gives_the_status_while_parsing(
    wire: dict[str, Any], expected: ParserRunStatus
) -> None:
    result = converter.structure(wire, ParserRunResult)

    assert result == expected
    assert_same_wire(to_dict(result), {"object": "parser_run_status", **wire})


def test_a_full_run_without_its_object_key_is_told_by_its_chunks() -> None:
    wire = example("parse_file")
    del wire["object"]

    assert isinstance(converter.structure(wire, ParserRunResult), ParserRun)


@pytest.mark.parametrize(
    "wire",
    [
        {"object": "parser_run_v2", "id": "parser_run_1", "pages": []},
        {"object": "parser_run", "id": "parser_run_1"},
        {"object": "parser_run_status", "id": "parser_run_1"},
    ],
)
def test_a_parser_run_of_an_unknown_kind_or_shape_is_kept_raw(wire: dict[str, Any]) -> None:
    result = converter.structure(copy.deepcopy(wire), ParserRunResult)

    assert result == UnknownParserRunResult(raw=wire)
    assert to_dict(result) == wire


def test_the_delete_answer_round_trips_whole() -> None:
    body = without_success(example("delete_parser_run"))

    deleted = round_trip(body, ParserRunDeleted)

    assert deleted == ParserRunDeleted(
        parser_run_id="parser_run_xK9mLPqRtN3vS8wF5hB2cQ",
        message="Parser run data has been successfully deleted.",
    )


def test_blocks_hold_blocks_at_any_depth() -> None:
    cell = block(
        id="blk_cell",
        type="table_cell",
        parentBlockId="blk_row",
        details={"type": "table_cell_details", "rowIndex": 1, "columnIndex": 2},
    )
    row = block(id="blk_row", type="table_head", parentBlockId="blk_table", children=[cell])
    table = block(
        id="blk_table",
        type="table",
        details={"type": "table_details", "rowCount": 2, "columnCount": 3},
        children=[row],
    )

    parsed = round_trip(table, Block)

    assert parsed.children is not None
    [head] = parsed.children
    assert head.parent_block_id == "blk_table"
    assert head.children is not None
    [inner] = head.children
    assert inner.type is BlockType.TABLE_CELL
    assert inner.details == TableCellDetails(row_index=1, column_index=2)
    assert inner.children is None
    assert "children" not in to_dict(inner)


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({"type": "table_details", "rowCount": 4, "columnCount": 2}, TableDetails(4, 2)),
        (
            {"type": "table_cell_details", "rowIndex": 0, "columnIndex": 3},
            TableCellDetails(0, 3),
        ),
        (
            {"type": "figure_details", "imageUrl": "https://x/f.png", "figureType": "chart"},
            FigureDetails(image_url="https://x/f.png", figure_type=FigureType.CHART),
        ),
        ({"type": "figure_details"}, FigureDetails()),
        ({"type": "key_value_details"}, KeyValueDetails()),
        ({}, EmptyBlockDetails()),
    ],
)
def test_every_block_details_variant_round_trips(
    details: dict[str, Any], expected: BlockDetails
) -> None:
    parsed = round_trip(details, BlockDetails)

    assert parsed == expected
    assert type(parsed) is type(expected)


@pytest.mark.parametrize(
    "details",
    [
        {"type": "signature_details", "signer": "J. Avery", "confidence": 0.9},
        {"rowCount": 2},
        {"type": "table_details", "rowCount": "two", "columnCount": 3},
    ],
)
def test_unknown_or_unreadable_block_details_are_kept_raw(details: dict[str, Any]) -> None:
    parsed = converter.structure(copy.deepcopy(details), BlockDetails)

    assert parsed == UnknownBlockDetails(raw=details)
    assert isinstance(parsed, UnknownBlockDetails)
    assert parsed.type == details.get("type")
    assert to_dict(parsed) == details


def test_a_block_keeps_unknown_details_and_its_type_need_not_agree() -> None:
    wire = block(details={"type": "table_details", "rowCount": 1, "columnCount": 1})
    odd = block(id="blk_2", type="key_value", details={"type": "kv_v2", "pairs": [["a", "b"]]})

    text_block = round_trip(wire, Block)
    new_block = round_trip(odd, Block)

    assert text_block.type is BlockType.TEXT
    assert text_block.details == TableDetails(row_count=1, column_count=1)
    assert new_block.type is BlockType.KEY_VALUE
    assert new_block.details == UnknownBlockDetails(raw={"type": "kv_v2", "pairs": [["a", "b"]]})


def test_a_block_without_page_or_box_edges_round_trips() -> None:
    wire = block(metadata={}, boundingBox={}, polygon=[])

    parsed = round_trip(wire, Block)

    assert parsed.metadata == BlockMetadata()
    assert parsed.bounding_box == BlockBoundingBox()
    assert parsed.polygon == []


def test_ocr_words_are_read_with_their_boxes() -> None:
    wire = example("parse_file")
    wire["ocr"] = {
        "words": [
            {
                "content": "ACME",
                "boundingBox": {"left": 72, "right": 140, "top": 60, "bottom": 84},
                "confidence": 0.98,
                "pageNumber": 1,
            }
        ]
    }

    run = round_trip(wire, ParserRun)

    assert run.ocr == ParserRunOcr(
        words=[
            OcrWord(
                content="ACME",
                bounding_box=OcrWordBoundingBox(left=72.0, right=140.0, top=60.0, bottom=84.0),
                confidence=0.98,
                page_number=1.0,
            )
        ]
    )
    assert round_trip({}, ParserRunOcr) == ParserRunOcr()


def test_a_failed_run_carries_its_reason() -> None:
    wire = example("parse_file")
    wire.update(status="FAILED", failureReason="OCR_ERROR", chunks=[])
    del wire["usage"]

    run = round_trip(wire, ParserRun)

    assert run.status is ParserRunState.FAILED
    assert run.failure_reason == "OCR_ERROR"
    assert run.usage is None


def test_unknown_parser_run_enum_values_are_kept() -> None:
    wire = example("parse_file")
    wire["status"] = "ARCHIVED"
    chunk = wire["chunks"][0]
    chunk["type"] = "paragraph"
    chunk["blocks"][0]["type"] = "caption"
    chunk["blocks"][3]["details"]["figureType"] = "photo"

    run = round_trip(wire, ParserRun)

    assert run.status == "ARCHIVED"
    assert run.status.is_known is False
    assert run.is_terminal is False
    assert run.chunks[0].type == "paragraph"
    assert run.chunks[0].type.is_known is False
    assert run.chunks[0].blocks[0].type == "caption"
    assert run.chunks[0].blocks[0].type.is_known is False
    figure = run.chunks[0].blocks[3].details
    assert isinstance(figure, FigureDetails)
    assert figure.figure_type == "photo"
    assert figure.figure_type is not None
    assert figure.figure_type.is_known is False


def test_the_terminal_states_of_a_parser_run() -> None:
    assert {ParserRunState.PROCESSED, ParserRunState.FAILED} == ParserRunState.TERMINAL
    assert ParserRunState.is_terminal("PROCESSED") is True
    assert ParserRunState.is_terminal(ParserRunState.PROCESSING) is False
    assert ParserRunState.is_terminal(ParserRunState("QUEUED")) is False
    assert [t.value for t in ParseResponseType] == ["json", "url"]


def test_block_and_figure_types_are_the_documented_ones() -> None:
    assert [t.value for t in BlockType] == [
        "text",
        "heading",
        "section_heading",
        "table",
        "figure",
        "table_head",
        "table_cell",
        "key_value",
        "header",
        "footer",
    ]
    assert [t.value for t in ChunkType] == ["page", "document", "section"]
    assert [t.value for t in FigureType] == ["other", "chart", "image", "diagram", "logo"]


@pytest.mark.parametrize("operation", ["parse_file.request", "parse_file_async.request"])
def test_each_parse_request_structures_with_both_converters(operation: str) -> None:
    wire = example(operation)

    for conv in (converter, STRICT):
        request = conv.structure(copy.deepcopy(wire), ParseRequest)
        assert isinstance(request.file, FileInput)
        assert isinstance(request.config, ParseConfig)
        assert_same_wire(to_dict(request), wire)


def test_the_parse_request_reads_its_file_and_config() -> None:
    request = converter.structure(example("parse_file_async.request"), ParseRequest)

    assert request == ParseRequest(
        file=FileInput(file_id="file_Zk9mNP12Qw4yTv8BdR3H"),
        config=ParseConfig(
            target=ParseTarget.SPATIAL,
            chunking_strategy=ParseChunkingStrategy(type=ParseChunkingStrategyType.PAGE),
            advanced_options=ParseAdvancedOptions(return_ocr=ParseReturnOcrOptions(words=True)),
        ),
    )


def test_a_parse_request_leaves_out_the_config_it_was_not_given() -> None:
    request = ParseRequest(file=FileInput(file_url="https://example.com/a.pdf"))

    assert request.config is NOT_GIVEN
    assert to_dict(request) == {"file": {"fileUrl": "https://example.com/a.pdf"}}
    with pytest.raises(TypeError):
        ParseRequest()  # type: ignore[call-arg]


def test_the_strict_converter_refuses_an_unknown_key_of_the_parse_request() -> None:
    wire = {"file": {"fileId": "file_1"}, "responseType": "url"}

    assert converter.structure(wire, ParseRequest) == ParseRequest(file=FileInput(file_id="file_1"))
    with pytest.raises(ClassValidationError):
        STRICT.structure(wire, ParseRequest)
