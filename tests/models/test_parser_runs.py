"""The parse config and its sub-objects (embedded in processor configs as ``parser``)."""

from __future__ import annotations

from typing import Any

from models._support import STRICT, assert_same_wire, example, round_trip

from extend_async import to_dict
from extend_async._converter import converter
from extend_async.models import (
    ExcelParsingMode,
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
    ParseReturnOcrOptions,
    ParseTableFormat,
    ParseTableOptions,
    ParseTarget,
    ParseTextOptions,
)

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
