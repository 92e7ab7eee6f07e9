"""Plausible processor outputs, generated from a processor's config and the seeded RNG.

An extraction with a JSON Schema gives a value for every property (by its type, and for
strings by its name: a ``date`` looks like a date, an ``amount`` like money) with a
citation and confidences per field; a legacy field list gives field results with
references; a classifier picks one of its classes (the one the file name mentions, if
any); a splitter cuts the document into one to three parts. Shared by processor runs and
workflow runs, so both carry the same shapes.
"""

from __future__ import annotations

import random
from typing import Any

from ..models import (
    BoundingBox,
    Citation,
    Classification,
    ClassificationConfig,
    ClassifierOutput,
    EmptyOutput,
    ExtractionConfig,
    ExtractionField,
    ExtractionFieldResult,
    FieldReference,
    FieldsArrayOutput,
    Insight,
    InsightType,
    JsonOutput,
    JsonOutputMetadata,
    PolygonPoint,
    ProcessorConfig,
    ProcessorOutput,
    Split,
    SplitterConfig,
    SplitterOutput,
)

__all__ = ["generate_output"]

_PAGE_WIDTH, _PAGE_HEIGHT = 612.0, 792.0
_WORDS = ("Acme Corp", "Globex", "Initech", "Umbrella Ltd", "Stark Industries", "Hooli")
_CURRENCIES = ("USD", "EUR", "GBP", "JPY")


def generate_output(
    config: ProcessorConfig, rng: random.Random, *, file_name: str, pages: int = 3
) -> ProcessorOutput:
    """An output of the shape ``config`` produces, for a document of ``pages`` pages."""
    if isinstance(config, ExtractionConfig):
        if config.schema:
            return _json_output(config.schema, rng, pages)
        if config.fields:
            return FieldsArrayOutput.of(
                {field.id: _field_result(field, rng, pages) for field in config.fields}
            )
        return EmptyOutput()
    if isinstance(config, ClassificationConfig):
        return _classify(config.classifications, rng, file_name)
    if isinstance(config, SplitterConfig):
        return _split(config.split_classifications, rng, pages)
    return EmptyOutput()


def _json_output(schema: dict[str, Any], rng: random.Random, pages: int) -> JsonOutput:
    properties = schema.get("properties")
    value: dict[str, Any] = {}
    metadata: dict[str, JsonOutputMetadata] = {}
    for name, spec in (properties or {}).items():
        value[name] = _value(name, spec if isinstance(spec, dict) else {}, rng, depth=0)
        metadata[name] = JsonOutputMetadata(
            ocr_confidence=round(rng.uniform(0.9, 1.0), 3),
            logprobs_confidence=round(rng.uniform(0.8, 1.0), 3),
            citations=[_citation(str(value[name]), rng, pages)],
        )
    return JsonOutput(value=value, metadata=metadata)


def _value(name: str, spec: dict[str, Any], rng: random.Random, depth: int) -> Any:
    kinds = spec.get("type", "string")
    kind = next((k for k in kinds if k != "null"), "string") if isinstance(kinds, list) else kinds
    if spec.get("enum"):
        return rng.choice([option for option in spec["enum"] if option is not None] or [None])
    if kind == "object":
        children = spec.get("properties") or {}
        if depth >= 3:
            return {}
        return {child: _value(child, sub, rng, depth + 1) for child, sub in children.items()}
    if kind == "array":
        items = spec.get("items")
        items = items if isinstance(items, dict) else {}
        if depth >= 3:
            return []
        return [_value(name, items, rng, depth + 1) for _ in range(rng.randint(1, 3))]
    if kind == "number":
        return round(rng.uniform(10, 5000), 2)
    if kind == "integer":
        return rng.randint(1, 100)
    if kind == "boolean":
        return rng.random() < 0.5
    return _text(name, rng)


def _text(name: str, rng: random.Random) -> str:
    lowered = name.lower()
    if "date" in lowered:
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if "currency" in lowered:
        return rng.choice(_CURRENCIES)
    if "number" in lowered or lowered.endswith("_id"):
        return f"{rng.choice('ABCDEFGH')}-{rng.randint(10000, 99999)}"
    if "amount" in lowered or "total" in lowered:
        return f"{rng.uniform(10, 5000):.2f}"
    return rng.choice(_WORDS)


def _citation(text: str, rng: random.Random, pages: int) -> Citation:
    left, top = rng.uniform(36, 400), rng.uniform(36, 700)
    width, height = rng.uniform(40, 160), 12.0
    corners = [(left, top), (left + width, top), (left + width, top + height), (left, top + height)]
    return Citation(
        page=rng.randint(1, pages),
        reference_text=text,
        polygon=[PolygonPoint(x=round(x, 1), y=round(y, 1)) for x, y in corners],
        page_width=_PAGE_WIDTH,
        page_height=_PAGE_HEIGHT,
    )


def _field_result(field: ExtractionField, rng: random.Random, pages: int) -> ExtractionFieldResult:
    value = _value(field.id, {"type": str(field.type)}, rng, depth=0)
    top, left = rng.uniform(0.05, 0.9), rng.uniform(0.05, 0.7)
    box = BoundingBox(
        top=round(top, 3),
        left=round(left, 3),
        bottom=round(top + 0.02, 3),
        right=round(left + 0.2, 3),
    )
    reference = FieldReference(
        id=field.id, field_name=field.name, page=rng.randint(1, pages), bounding_boxes=[box]
    )
    return ExtractionFieldResult(
        id=field.id,
        type=field.type,
        value=value,
        references=[reference],
        confidence=round(rng.uniform(0.8, 1.0), 3),
    )


def _classify(
    classes: list[Classification], rng: random.Random, file_name: str
) -> ClassifierOutput:
    if not classes:
        return ClassifierOutput(id="other", type="OTHER", confidence=0.5, insights=[])
    lowered = file_name.lower()
    named = [c for c in classes if c.id.lower() in lowered or c.type.lower() in lowered]
    chosen = named[0] if named else rng.choice(classes)
    reason = f"The document reads like a {chosen.type.lower()}: {chosen.description}"
    return ClassifierOutput(
        id=chosen.id,
        type=chosen.type,
        confidence=round(rng.uniform(0.85, 0.99) if named else rng.uniform(0.6, 0.9), 3),
        insights=[Insight(type=InsightType.REASONING, content=reason)],
    )


def _split(classes: list[Classification], rng: random.Random, pages: int) -> SplitterOutput:
    if not classes:
        return SplitterOutput(splits=[])
    parts = min(pages, rng.randint(1, 3))
    cuts = sorted(rng.sample(range(2, pages + 1), k=parts - 1)) if parts > 1 else []
    starts = [1, *cuts]
    ends = [start - 1 for start in cuts] + [pages]
    splits = []
    for number, (start, end) in enumerate(zip(starts, ends, strict=True), start=1):
        kind = rng.choice(classes)
        splits.append(
            Split(
                type=kind.type,
                observation=f"Pages {start}-{end} form one {kind.type.lower()}",
                identifier=f"{kind.type[:3]}-{rng.randint(1000, 9999)}",
                start_page=start,
                end_page=end,
                classification_id=kind.id,
                id=f"split_{number}",
                file_id="file_" + "".join(rng.choices("abcdefghijkmnpqrstuvwxyz23456789", k=20)),
                name=f"{kind.type.title()} {number}",
            )
        )
    return SplitterOutput(splits=splits)
