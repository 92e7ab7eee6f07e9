"""Processor configs in the API's wire form, one of each kind, with every part set.

The extraction config with a JSON Schema is the API reference's own (the request of
its Create Processor example); the others are written from the reference's field
tables, so that every option the SDK models (advanced options, page ranges, parser
settings, nested legacy fields, enum options) goes through the official parser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extend_async._converter import converter
from extend_async.models import ProcessorConfig

__all__ = ["CLASSIFY", "EXTRACT_FIELDS", "EXTRACT_SCHEMA", "SPLITTER", "WIRE_CONFIGS", "ours"]

_EXAMPLES = Path(__file__).parents[1] / "data" / "examples"

EXTRACT_SCHEMA: dict[str, Any] = json.loads(
    (_EXAMPLES / "create_processor.request.json").read_text(encoding="utf-8")
)["config"]

_PAGES = [{"start": 1, "end": 4}, {"start": 7, "end": 9}]
_PARSER: dict[str, Any] = {
    "target": "markdown",
    "engine": "parse_performance",
    "chunkingStrategy": {"type": "section", "options": {"minCharacters": 50, "maxCharacters": 900}},
    "blockOptions": {
        "figures": {"enabled": True, "figureImageClippingEnabled": False},
        "tables": {
            "enabled": True,
            "targetFormat": "html",
            "tableHeaderContinuationEnabled": True,
            "cellBlocksEnabled": False,
            "agentic": {"enabled": True, "customInstructions": "Keep merged header cells."},
        },
        "text": {"signatureDetectionEnabled": True, "agentic": {"enabled": False}},
    },
    "advancedOptions": {
        "pageRotationEnabled": True,
        "agenticOcrEnabled": False,
        "pageRanges": _PAGES,
        "excelParsingMode": "advanced",
        "excelSkipHiddenContent": True,
        "excelUseRawCellValues": False,
        "excelSkipCalculation": True,
        "verticalGroupingThreshold": 0.4,
        "returnOcr": {"words": True},
        "alwaysConvertToPdf": False,
    },
}

EXTRACT_FIELDS: dict[str, Any] = {
    "type": "EXTRACT",
    "baseProcessor": "extraction_light",
    "baseVersion": "3.2.0",
    "extractionRules": "Amounts are in the statement's currency.",
    "fields": [
        {"id": "holder", "name": "Account holder", "type": "string", "description": "Who"},
        {"id": "balance", "name": "Balance", "type": "currency", "description": "Closing"},
        {"id": "opened", "name": "Opened", "type": "date", "description": "When opened"},
        {"id": "count", "name": "Transactions", "type": "number", "description": "How many"},
        {"id": "joint", "name": "Joint", "type": "boolean", "description": "Joint account"},
        {"id": "signed", "name": "Signature", "type": "signature", "description": "Signed"},
        {
            "id": "kind",
            "name": "Account kind",
            "type": "enum",
            "description": "The account's kind",
            "enum": [
                {"value": "checking", "description": "Everyday account"},
                {"value": "savings", "description": "Interest-bearing account"},
            ],
        },
        {
            "id": "lines",
            "name": "Transactions",
            "type": "array",
            "description": "Every transaction",
            "schema": [
                {"id": "date", "name": "Date", "type": "date", "description": "Booked"},
                {"id": "amount", "name": "Amount", "type": "number", "description": "Signed"},
            ],
        },
        {
            "id": "bank",
            "name": "Bank",
            "type": "object",
            "description": "The bank",
            "schema": [{"id": "name", "name": "Name", "type": "string", "description": "Name"}],
        },
    ],
    "advancedOptions": {
        "documentKind": "bank statement",
        "keyDefinitions": "Balance: the closing balance.",
        "modelReasoningInsightsEnabled": True,
        "advancedMultimodalEnabled": False,
        "citationsEnabled": True,
        "arrayCitationStrategy": "property",
        "advancedFigureParsingEnabled": True,
        "reviewAgent": {"enabled": True},
        "arrayStrategy": {"type": "large_array_overlap_context"},
        "chunkingOptions": {
            "chunkingStrategy": "semantic",
            "pageChunkSize": 5,
            "chunkSelectionStrategy": "confidence",
            "customSemanticChunkingRules": "One chunk per account.",
        },
        "excelSheetRanges": [{"start": 1, "end": 2}],
        "excelSheetSelectionStrategy": "first",
        "fixedPageLimit": 20,
        "pageRanges": _PAGES,
    },
    "parser": _PARSER,
}

_CLASSES = [
    {"id": "invoice", "type": "INVOICE", "description": "A bill for goods or services"},
    {"id": "receipt", "type": "RECEIPT", "description": "Proof of a payment made"},
    {"id": "contract", "type": "CONTRACT", "description": "An agreement between parties"},
]

CLASSIFY: dict[str, Any] = {
    "type": "CLASSIFY",
    "baseProcessor": "classification_performance",
    "baseVersion": "2.1.0",
    "classifications": _CLASSES,
    "classificationRules": "A receipt shows a payment already made.",
    "advancedOptions": {
        "context": "max",
        "advancedMultimodalEnabled": True,
        "fixedPageLimit": 3,
        "pageRanges": _PAGES,
    },
    "parser": _PARSER,
}

SPLITTER: dict[str, Any] = {
    "type": "SPLITTER",
    "baseProcessor": "splitting_light",
    "baseVersion": "1.4.0",
    "splitClassifications": _CLASSES,
    "splitRules": "A new invoice starts at every page headed INVOICE.",
    "advancedOptions": {
        "splitIdentifierRules": "The invoice number in the header.",
        "splitMethod": "high_precision",
        "splitExcelDocumentsBySheetEnabled": True,
        "fixedPageLimit": 50,
        "pageRanges": _PAGES,
    },
    "parser": _PARSER,
}

#: By name: the processor's type and its config.
WIRE_CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    "extract-schema": ("EXTRACT", EXTRACT_SCHEMA),
    "extract-fields": ("EXTRACT", EXTRACT_FIELDS),
    "classify": ("CLASSIFY", CLASSIFY),
    "splitter": ("SPLITTER", SPLITTER),
}


def ours(wire: dict[str, Any]) -> ProcessorConfig:
    """The config as our model (what the fake is seeded with)."""
    config: ProcessorConfig = converter.structure(wire, ProcessorConfig)
    return config
