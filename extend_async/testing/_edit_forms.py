"""What the fake's editing does to a form: detect its fields, map a given schema onto
them, fill them with values, and render the filled PDF.

A form is read from its text, one field per line (pages split by form feeds):

- ``Label: ____`` (or ``Label:`` alone): a text field; a number field when the label
  says amount, total, number, quantity, age or count; a signature field when it says signature;
- ``[ ] Label``: a checkbox;
- ``Label: ( ) First ( ) Second``: a radio group;
- ``Label: [Column | Column]``: a table.

Other lines (titles, prose) hold no field. A file without text (one given by URL, or
uploaded without ``text``) reads as a form of common fields chosen from its name, so
the same file always gives the same fields. The values filled in come from the
fake's seeded generator.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

import attrs

from ..models import (
    EditBoundingBox,
    EditFieldType,
    EditJsonSchema,
    EditObjectJsonSchema,
    EditRootJsonSchema,
    EditRunAdvancedOptions,
    EditSchemaGenerationAdvancedOptions,
    EditSchemaGenerationMappingMatch,
    EditSchemaGenerationMappingResult,
    EditSchemaGenerationResponse,
    EditSchemaProperties,
    JsonObject,
)

__all__ = [
    "FormOptions",
    "detect_fields",
    "fill_values",
    "generate_schema",
    "key_of",
    "render_pdf",
    "value_lines",
]

#: The fields a form without text is made of, in the order they appear.
_COMMON_FIELDS: Final = (
    "Date of birth: ____",
    "Email: ____",
    "Phone number: ____",
    "Address: ____",
    "City: ____",
    "Total amount: ____",
    "Filing status: ( ) Single ( ) Married",
    "[ ] I agree to the terms",
    "Items: [Description | Quantity]",
    "Date: ____",
    "Signature: ____",
)
_FIELDS_PER_PAGE: Final = 16
_TABLE_ROWS: Final = 5
_NUMBER_WORDS: Final = frozenset({"amount", "total", "number", "age", "count", "quantity"})
_CHECKBOX = re.compile(r"^\[[ xX]?\]\s*(?P<label>.+)$")
_RADIO = re.compile(r"^(?P<label>[^:]+):\s*(?P<options>(?:\(\s*\)\s*[^()]+)+)$")
_TABLE = re.compile(r"^(?P<label>[^:]+):\s*\[(?P<columns>[^\]]+\|[^\]]+)\]$")
_TEXT = re.compile(r"^(?P<label>[^:_]+?)\s*(?::\s*_*|\s+_{3,})\s*$")
_NOT_A_KEY = re.compile(r"[^a-z0-9]+")

_NAMES: Final = ("Jordan Avery", "Sam Rivera", "Alex Morgan", "Taylor Brooks", "Casey Quinn")
_CITIES: Final = ("Springfield", "Riverton", "Lakeside", "Fairview", "Greenville")
_WORDS: Final = ("approved", "pending review", "as agreed", "n/a", "see attached")


@attrs.frozen
class FormOptions:
    """The advanced options that change which fields a form is read as."""

    radio_enums: bool = False
    table_parsing: bool = False
    native_fields_only: bool = False

    @classmethod
    def of(
        cls, options: EditRunAdvancedOptions | EditSchemaGenerationAdvancedOptions | None
    ) -> FormOptions:
        """From an edit's or a schema generation's ``advanced_options`` (None: defaults)."""
        if options is None:
            return cls()
        return cls(
            radio_enums=bool(options.radio_enums_enabled),
            table_parsing=bool(options.table_parsing_enabled),
            native_fields_only=bool(options.native_fields_only),
        )


def key_of(label: str) -> str:
    """A field's key: its label in snake_case (``Full name`` -> ``full_name``)."""
    return _NOT_A_KEY.sub("_", label.lower()).strip("_") or "field"


def _form_text(text: str | None, name: str) -> str:
    """The text a form is read from: its own, or common fields chosen by its name."""
    if text is not None:
        return text
    rng = random.Random(name)  # a str seed is hashed the same way in every process
    chosen = sorted(rng.sample(range(len(_COMMON_FIELDS)), rng.randint(3, 6)))
    return "\n".join(["Full name: ____", *(_COMMON_FIELDS[index] for index in chosen)])


def _box(left: float, top: float, right: float, height: float) -> EditBoundingBox:
    return EditBoundingBox(left=left, top=top, right=right, bottom=top + height)


def _fields_of_line(
    line: str, page: int, top: float, options: FormOptions
) -> Iterator[tuple[str, EditJsonSchema]]:
    """The fields one line of a form holds, as (label, schema) pairs."""
    if match := _CHECKBOX.match(line):
        label = match["label"].strip()
        yield label, _checkbox(label, _box(72, top, 84, 12), page)
    elif match := _TABLE.match(line):
        label = match["label"].strip()
        columns = [column.strip() for column in match["columns"].split("|") if column.strip()]
        if options.table_parsing:
            yield label, _table(label, columns, _box(72, top, 540, 18.0 * _TABLE_ROWS), page)
        else:
            width = 468 / len(columns)
            for index, column in enumerate(columns):
                box = _box(72 + index * width, top, 72 + (index + 1) * width, 16)
                yield (
                    f"{label} {column}",
                    _text(f"{label}: {column}", box, page, json_type=_text_type(column)),
                )
    elif match := _RADIO.match(line):
        label = match["label"].strip()
        choices = [choice.strip() for choice in re.split(r"\(\s*\)", match["options"])]
        choices = [choice for choice in choices if choice]
        boxes = [_box(200 + 90 * index, top, 210 + 90 * index, 10) for index in range(len(choices))]
        if options.radio_enums:
            yield (
                label,
                EditJsonSchema(
                    enum=[key_of(choice) for choice in choices],
                    description=label,
                    extend_edit_field_type=EditFieldType.RADIO,
                    extend_edit_bboxes=boxes,
                    extend_edit_page_index=page,
                ),
            )
        else:
            for choice, box in zip(choices, boxes, strict=True):
                yield (
                    f"{label} {choice}",
                    _checkbox(f"{label}: {choice}", box, page, EditFieldType.RADIO),
                )
    elif match := _TEXT.match(line):
        label = match["label"].strip()
        box = _box(72 + min(len(label), 30) * 6.0, top, 540, 16)
        if "signature" in label.lower():
            if not options.native_fields_only:  # a drawn box, not a form widget
                yield label, _text(label, box, page, EditFieldType.SIGNATURE)
        else:
            yield label, _text(label, box, page, json_type=_text_type(label))


def _text_type(label: str) -> list[str]:
    """The JSON type of a written field: a number when its label says it counts."""
    if _NUMBER_WORDS & set(key_of(label).split("_")):
        return ["number", "null"]
    return ["string", "null"]


def _text(
    label: str,
    box: EditBoundingBox,
    page: int,
    kind: EditFieldType = EditFieldType.TEXT,
    json_type: list[str] | None = None,
) -> EditJsonSchema:
    return EditJsonSchema(
        type=json_type or ["string", "null"],
        description=label,
        extend_edit_field_type=kind,
        extend_edit_bbox=box,
        extend_edit_page_index=page,
    )


def _checkbox(
    label: str,
    box: EditBoundingBox,
    page: int,
    kind: EditFieldType = EditFieldType.CHECKBOX,
) -> EditJsonSchema:
    return EditJsonSchema(
        type=["boolean", "null"],
        description=label,
        extend_edit_field_type=kind,
        extend_edit_bbox=box,
        extend_edit_page_index=page,
    )


def _table(label: str, columns: Sequence[str], box: EditBoundingBox, page: int) -> EditJsonSchema:
    width = round(100 / len(columns), 2)
    cells = {
        key_of(column): EditJsonSchema(
            type=_text_type(column), description=column, extend_edit_column_width=width
        )
        for column in columns
    }
    return EditJsonSchema(
        type="array",
        description=label,
        extend_edit_field_type=EditFieldType.TABLE,
        extend_edit_bbox=box,
        extend_edit_row_heights=[round(1 / _TABLE_ROWS, 4)] * _TABLE_ROWS,
        items=EditObjectJsonSchema(type="object", properties=cells),
        max_items=_TABLE_ROWS,
        extend_edit_page_index=page,
    )


def detect_fields(text: str | None, name: str, options: FormOptions) -> dict[str, EditJsonSchema]:
    """The fields of a form, by key, in reading order (see the module's docstring)."""
    fields: dict[str, EditJsonSchema] = {}
    for page, page_text in enumerate(_form_text(text, name).split("\f")):
        row = 0
        for line in page_text.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            index = page + row // _FIELDS_PER_PAGE
            top = 96.0 + (row % _FIELDS_PER_PAGE) * 40.0
            found = list(_fields_of_line(stripped, index, top, options))
            for label, schema in found:
                key = base = key_of(label)
                suffix = 2
                while key in fields:
                    key, suffix = f"{base}_{suffix}", suffix + 1
                fields[key] = schema
            row += bool(found)
    return fields


def _leaves(
    properties: Mapping[str, EditJsonSchema], prefix: str = ""
) -> Iterator[tuple[str, EditJsonSchema]]:
    """Every field of a schema that holds a value, by its dotted path."""
    for name, schema in properties.items():
        path = f"{prefix}{name}"
        if schema.properties and schema.type in (None, "object"):
            yield from _leaves(schema.properties, f"{path}.")
        else:
            yield path, schema


def _tokens(text: str) -> set[str]:
    return {token for token in key_of(text).split("_") if len(token) > 1}


def _best_match(path: str, detected: Mapping[str, EditJsonSchema], taken: set[str]) -> str | None:
    """The detected field an input path fits best: the same name, else the one whose
    name shares the most words with the path's last part, then with the whole path."""
    last = path.rpartition(".")[2]
    free = [key for key in detected if key not in taken]
    if key_of(last) in free:
        return key_of(last)
    for words in (_tokens(last), _tokens(path)):
        scored = [(len(words & _tokens(key)), key) for key in free]
        best = max(scored, key=lambda pair: pair[0], default=(0, ""))
        if best[0]:
            return best[1]
    return None


_PLACEMENT: Final = (
    "extend_edit_field_type",
    "extend_edit_bbox",
    "extend_edit_bboxes",
    "extend_edit_page_index",
    "extend_edit_row_heights",
)


def _placed(schema: EditJsonSchema, found: EditJsonSchema) -> EditJsonSchema:
    """``schema`` given the position and widget of the form field it was mapped to."""
    changes = {name: getattr(found, name) for name in _PLACEMENT if getattr(schema, name) is None}
    return attrs.evolve(schema, **changes)


def _mapped(
    properties: EditSchemaProperties,
    matched: Mapping[str, EditJsonSchema],
    prefix: str = "",
) -> EditSchemaProperties:
    """``properties`` with each field mapped to a form field placed on it (the others,
    and whatever keys they hold, as they were)."""
    changed = {}
    for name, schema in properties.items():
        path = f"{prefix}{name}"
        if schema.properties and schema.type in (None, "object"):
            nested = _mapped(schema.properties, matched, f"{path}.")
            changed[name] = attrs.evolve(schema, properties=nested)
        elif path in matched:
            changed[name] = _placed(schema, matched[path])
    return properties.updated(changed)


def generate_schema(
    detected: Mapping[str, EditJsonSchema], input_schema: EditRootJsonSchema | None
) -> EditSchemaGenerationResponse:
    """The answer to Generate Edit Schema: the detected fields as ``annotatedSchema``
    and, with an input schema, that schema placed on the fields it maps to."""
    annotated = EditRootJsonSchema(
        properties=dict(detected), required=[], additional_properties=False
    )
    if input_schema is None:
        return EditSchemaGenerationResponse(schema=annotated, annotated_schema=annotated)
    matches: list[EditSchemaGenerationMappingMatch] = []
    matched: dict[str, EditJsonSchema] = {}
    unmatched: list[str] = []
    for path, _ in _leaves(input_schema.properties):
        key = _best_match(path, detected, {match.form_field_key for match in matches})
        if key is None:
            unmatched.append(path)
        else:
            matches.append(EditSchemaGenerationMappingMatch(input_path=path, form_field_key=key))
            matched[path] = detected[key]
    used = {match.form_field_key for match in matches}
    schema = attrs.evolve(input_schema, properties=_mapped(input_schema.properties, matched))
    return EditSchemaGenerationResponse(
        schema=schema,
        annotated_schema=annotated,
        mapping_result=EditSchemaGenerationMappingResult(
            matches=matches,
            unmatched_input_paths=unmatched,
            unused_form_field_keys=[key for key in detected if key not in used],
        ),
    )


def _json_types(schema: EditJsonSchema) -> set[str]:
    kind = schema.type
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {item for item in kind if isinstance(item, str)}
    return set()


def _value(key: str, schema: EditJsonSchema, rng: random.Random) -> Any:
    """What the fake writes into a field: its ``extend_edit:value``, else a value of
    its kind drawn from ``rng``."""
    if schema.extend_edit_value is not None:
        return schema.extend_edit_value
    types = _json_types(schema)
    if schema.enum:
        return rng.choice(schema.enum)
    if "boolean" in types:
        return rng.random() < 0.5
    if "integer" in types:
        return rng.randint(1, 99)
    if "number" in types:
        return round(rng.uniform(10, 5000), 2)
    if "array" in types:
        cells: Mapping[str, EditJsonSchema] = (
            schema.items.properties if schema.items else None
        ) or {}
        rows = rng.randint(1, min(3, schema.max_items or 3))
        return [
            {name: _value(name, cell, rng) for name, cell in cells.items()} for _ in range(rows)
        ]
    if "object" in types and schema.properties:
        return {name: _value(name, field, rng) for name, field in schema.properties.items()}
    return _text_value(set(key_of(key).split("_")), rng)


def _text_value(words: set[str], rng: random.Random) -> str:
    if words & {"name", "signature", "signer"}:
        return rng.choice(_NAMES)
    if "email" in words:
        return rng.choice(_NAMES).split()[0].lower() + "@example.com"
    if words & {"phone", "tel"}:
        return f"555-01{rng.randint(0, 99):02d}"
    if words & {"date", "birth", "dob"}:
        return f"{rng.randint(1960, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if "address" in words:
        return f"{rng.randint(1, 999)} Main Street"
    if "city" in words:
        return rng.choice(_CITIES)
    return rng.choice(_WORDS)


def fill_values(fields: Mapping[str, EditJsonSchema], rng: random.Random) -> JsonObject:
    """The value of every field of a schema, by key (the run's ``output``)."""
    return {key: _value(key, schema, rng) for key, schema in fields.items()}


def value_lines(
    fields: Mapping[str, EditJsonSchema], values: Mapping[str, Any], pages: int
) -> list[list[str]]:
    """What the filled PDF shows: ``label: value`` lines, on each field's page."""
    last = max((schema.extend_edit_page_index or 0 for schema in fields.values()), default=0)
    lines: list[list[str]] = [[] for _ in range(max(pages, last + 1, 1))]
    for key, schema in fields.items():
        value = values.get(key)
        shown = value if isinstance(value, str) else json.dumps(value)
        lines[schema.extend_edit_page_index or 0].append(f"{schema.description or key}: {shown}")
    return lines


def _pdf_text(line: str) -> bytes:
    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("latin-1", "replace")


def render_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A small, valid PDF (one Helvetica text page per entry of ``pages``)."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * index} 0 R" for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, lines in enumerate(pages):
        stream = (
            b"BT /F1 11 Tf 14 TL 72 740 Td "
            + b"".join(b"(" + _pdf_text(line) + b") Tj T* " for line in lines)
            + b"ET"
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * index)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        start,
    )
    return bytes(out)
