"""Editing (form filling): edit runs and their status, the edit config and the edit
schemas (field positions, values and widget kinds under literal ``extend_edit:`` keys,
with the newer conditional keywords), schema generation, edit templates, and the
requests that start an edit or generate a schema.

Wire names: the edit-schema keys ``extend_edit:field_type``, ``extend_edit:bbox``...
are the attributes ``extend_edit_field_type``, ``extend_edit_bbox``... (the
converter's table of irregular names maps them back); the JSON Schema keywords that are
Python keywords take a trailing underscore (``if_``, ``else_``, ``not_``), which the
camelCase rule drops.

Schemas nest (fields in fields, clauses in clauses). The field maps (``properties``)
are :class:`EditSchemaProperties` and the conditional clauses and constraints are kept
as written, with typed views: both keep what they were sent, so JSON Schema keywords
this release does not know survive a round trip there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar, TypeAlias

import attrs

from .common import NOT_GIVEN, ApiEnum, JsonObject, NotGiven, Omittable, RawJson, union_of
from .files import File, FileInput

__all__ = [
    "EditBoundingBox",
    "EditConditionalClause",
    "EditConditionalObjectPropertySchema",
    "EditConditionalPropertySchema",
    "EditFieldType",
    "EditImage",
    "EditJsonSchema",
    "EditObjectJsonSchema",
    "EditRequest",
    "EditRootJsonSchema",
    "EditRun",
    "EditRunAdvancedOptions",
    "EditRunConfig",
    "EditRunDeleted",
    "EditRunMetrics",
    "EditRunResult",
    "EditRunState",
    "EditRunStatus",
    "EditRunStatusField",
    "EditRunUsage",
    "EditSchemaGenerationAdvancedOptions",
    "EditSchemaGenerationConfig",
    "EditSchemaGenerationMappingMatch",
    "EditSchemaGenerationMappingResult",
    "EditSchemaGenerationResponse",
    "EditSchemaProperties",
    "EditTemplate",
    "EditTextOptions",
    "EditedFile",
    "GenerateEditSchemaRequest",
    "UnknownEditRunResult",
]


class EditRunState(ApiEnum):
    """Lifecycle of an edit run. PROCESSED and FAILED are final."""

    PROCESSING = "PROCESSING"
    PROCESSED = "PROCESSED"
    FAILED = "FAILED"

    #: The final states (set below the class: an enum's body only holds members).
    TERMINAL: ClassVar[frozenset[EditRunState]]

    @classmethod
    def is_terminal(cls, status: EditRunState | str) -> bool:
        """True only for the known final states; an unknown new status is not final."""
        return status in cls.TERMINAL


EditRunState.TERMINAL = frozenset({EditRunState.PROCESSED, EditRunState.FAILED})


class EditFieldType(ApiEnum):
    """The PDF widget an edit-schema field fills (``extend_edit:field_type``)."""

    TEXT = "text"
    CHECKBOX = "checkbox"
    RADIO = "radio"
    DROPDOWN = "dropdown"
    OPTION_LIST = "optionList"
    SIGNATURE = "signature"
    TABLE = "table"
    UNKNOWN = "unknown"


@attrs.frozen
class EditBoundingBox:
    """The box of a form field on its page, in pixels."""

    left: float
    top: float
    right: float
    bottom: float


@attrs.frozen
class EditTextOptions:
    """How text is written into a field: font, size, colour (RGB, 0-255), combing."""

    font_size: float | None = None
    font_color: list[float] | None = None
    font: str | None = None
    combing: bool | None = None
    max_length: int | None = None


@attrs.frozen
class EditImage:
    """An image (PNG or JPEG URL) placed into a signature field (``extend_edit:image``).

    Its one key is snake_case on the wire, ``image_url``; the attribute is named
    ``extend_edit_image_url`` so that this exception cannot rename any other model's
    ``image_url`` (which the API writes ``imageUrl``)."""

    extend_edit_image_url: str


def _structure(value: Any, tp: Any) -> Any:
    # Imported here: the converter imports the models package.
    from .._converter import converter

    return converter.structure(value, tp)


def _unstructure(value: Any, tp: Any) -> Any:
    from .._converter import converter

    return converter.unstructure(value, tp)


@attrs.frozen
class EditSchemaProperties(RawJson, Mapping[str, "EditJsonSchema"]):
    """The ``properties`` of an edit schema: a read-only mapping of field name to
    :class:`EditJsonSchema`.

    ``raw`` is the map as sent, and what is written back: keys this release does not
    know, in any field schema at any depth, survive a round trip. A plain mapping of
    field schemas given to a model is turned into one (see :meth:`of`);
    :meth:`updated` replaces some fields and keeps the others exactly as they came.
    """

    fields: dict[str, EditJsonSchema] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "fields", _structure(self.raw, dict[str, EditJsonSchema]))

    @classmethod
    def of(cls, fields: Mapping[str, EditJsonSchema]) -> EditSchemaProperties:
        """The properties made of these field schemas."""
        if isinstance(fields, EditSchemaProperties):
            return fields
        return cls(
            raw={name: _unstructure(schema, EditJsonSchema) for name, schema in fields.items()}
        )

    def updated(self, fields: Mapping[str, EditJsonSchema]) -> EditSchemaProperties:
        """These properties with ``fields`` added or replaced (the others as they were)."""
        replaced = {name: _unstructure(schema, EditJsonSchema) for name, schema in fields.items()}
        return type(self)(raw={**self.raw, **replaced})

    def __getitem__(self, name: str) -> EditJsonSchema:
        return self.fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


def _as_properties(fields: Mapping[str, EditJsonSchema]) -> EditSchemaProperties:
    return EditSchemaProperties.of(fields)


def _as_optional_properties(
    fields: Mapping[str, EditJsonSchema] | None,
) -> EditSchemaProperties | None:
    return None if fields is None else EditSchemaProperties.of(fields)


@attrs.frozen
class EditObjectJsonSchema:
    """The object schema of the items of an array (table) field."""

    type: str | None = None
    description: str | None = None
    extend_edit_field_type: EditFieldType | None = None
    properties: EditSchemaProperties | None = attrs.field(
        default=None, converter=_as_optional_properties
    )
    required: list[str] | None = None
    additional_properties: bool | None = None


@attrs.frozen
class EditJsonSchema:
    """The schema of one form field: its JSON type (``type`` is a string such as
    ``"array"``, a pair such as ``["string", "null"]``, or absent for enums), where it is
    (``extend_edit_bbox``, ``extend_edit_page_index``), what widget it is, the value to
    write (``extend_edit_value``, any JSON) and, for objects and arrays, nested schemas."""

    type: Any = None
    description: str | None = None
    extend_edit_field_type: EditFieldType | None = None
    extend_edit_bbox: EditBoundingBox | None = None
    extend_edit_bboxes: list[EditBoundingBox] | None = None
    extend_edit_page_index: int | None = None
    extend_edit_text_edit_options: EditTextOptions | None = None
    extend_edit_column_width: float | None = None
    extend_edit_value: Any = None
    extend_edit_image: EditImage | None = None
    extend_edit_row_heights: list[float] | None = None
    items: EditObjectJsonSchema | None = None
    properties: EditSchemaProperties | None = attrs.field(
        default=None, converter=_as_optional_properties
    )
    enum: list[str] | None = None
    max_items: int | None = None
    required: list[str] | None = None
    additional_properties: bool | None = None


@attrs.frozen
class _JsonSchemaView(RawJson):
    """A JSON Schema object kept as written (every keyword survives a round trip), with
    typed, read-only views of the keywords the reference documents: the fields that
    are not arguments, read from ``raw`` when the object is made (a keyword that cannot
    be read is an error then)."""

    def __attrs_post_init__(self) -> None:
        from .._converter import wire_name

        for field in attrs.fields(attrs.resolve_types(type(self))):
            if field.init:
                continue
            value = self.raw.get(wire_name(field.name))
            if value is not None:
                object.__setattr__(self, field.name, _structure(value, field.type))


@attrs.frozen
class EditConditionalObjectPropertySchema(_JsonSchemaView):
    """A constraint on the items of an array inside a conditional clause, kept as
    written (construct it from its JSON: ``EditConditionalObjectPropertySchema({...})``)."""

    type: str | None = attrs.field(init=False, default=None, eq=False, repr=False)
    description: str | None = attrs.field(init=False, default=None, eq=False, repr=False)
    properties: dict[str, EditConditionalPropertySchema] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    required: list[str] | None = attrs.field(init=False, default=None, eq=False, repr=False)
    additional_properties: bool | None = attrs.field(init=False, default=None, eq=False, repr=False)


@attrs.frozen
class EditConditionalPropertySchema(_JsonSchemaView):
    """A constraint on one field inside a conditional clause (JSON Schema validation
    keywords: ``const``, ``enum``, ``pattern``, bounds, lengths, ``contains``...), kept
    as written (construct it from its JSON: ``EditConditionalPropertySchema({...})``)."""

    type: Any = attrs.field(init=False, default=None, eq=False, repr=False)
    description: str | None = attrs.field(init=False, default=None, eq=False, repr=False)
    enum: list[str] | None = attrs.field(init=False, default=None, eq=False, repr=False)
    items: EditConditionalObjectPropertySchema | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    properties: dict[str, EditConditionalPropertySchema] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    required: list[str] | None = attrs.field(init=False, default=None, eq=False, repr=False)
    additional_properties: bool | None = attrs.field(init=False, default=None, eq=False, repr=False)
    const: Any = attrs.field(init=False, default=None, eq=False, repr=False)
    pattern: str | None = attrs.field(init=False, default=None, eq=False, repr=False)
    contains: EditConditionalPropertySchema | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    minimum: float | None = attrs.field(init=False, default=None, eq=False, repr=False)
    maximum: float | None = attrs.field(init=False, default=None, eq=False, repr=False)
    exclusive_minimum: float | None = attrs.field(init=False, default=None, eq=False, repr=False)
    exclusive_maximum: float | None = attrs.field(init=False, default=None, eq=False, repr=False)
    min_length: int | None = attrs.field(init=False, default=None, eq=False, repr=False)
    max_length: int | None = attrs.field(init=False, default=None, eq=False, repr=False)
    min_items: int | None = attrs.field(init=False, default=None, eq=False, repr=False)
    max_items: int | None = attrs.field(init=False, default=None, eq=False, repr=False)
    min_contains: int | None = attrs.field(init=False, default=None, eq=False, repr=False)
    max_contains: int | None = attrs.field(init=False, default=None, eq=False, repr=False)


@attrs.frozen
class EditConditionalClause(_JsonSchemaView):
    """A conditional clause of an edit schema (``if``/``then``/``else``, ``allOf``...):
    field constraints and required fields, nested up to 8 levels; kept as written
    (construct it from its JSON: ``EditConditionalClause({"required": [...]})``).
    ``dependent_required`` maps a field to the fields required with it."""

    properties: dict[str, EditConditionalPropertySchema] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    required: list[str] | None = attrs.field(init=False, default=None, eq=False, repr=False)
    dependent_required: JsonObject | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    if_: EditConditionalClause | None = attrs.field(init=False, default=None, eq=False, repr=False)
    then: EditConditionalClause | None = attrs.field(init=False, default=None, eq=False, repr=False)
    else_: EditConditionalClause | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    all_of: list[EditConditionalClause] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    one_of: list[EditConditionalClause] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    any_of: list[EditConditionalClause] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    not_: EditConditionalClause | None = attrs.field(init=False, default=None, eq=False, repr=False)


@attrs.frozen
class EditRootJsonSchema:
    """An edit schema: the form's fields by name, with the optional conditional
    keywords that make fields required together. ``type`` is always ``object``."""

    properties: EditSchemaProperties = attrs.field(converter=_as_properties)
    required: list[str] | None = None
    additional_properties: bool | None = None
    dependent_required: JsonObject | None = None
    if_: EditConditionalClause | None = None
    then: EditConditionalClause | None = None
    else_: EditConditionalClause | None = None
    all_of: list[EditConditionalClause] | None = None
    one_of: list[EditConditionalClause] | None = None
    any_of: list[EditConditionalClause] | None = None
    not_: EditConditionalClause | None = None
    type: str = "object"


@attrs.frozen
class EditRunAdvancedOptions:
    """Options of an edit: flatten the filled PDF, model tables and radio groups, use
    only native form fields."""

    flatten_pdf: bool | None = None
    table_parsing_enabled: bool | None = None
    radio_enums_enabled: bool | None = None
    native_fields_only: bool | None = None


@attrs.frozen
class EditRunConfig:
    """How a file is edited: the schema (fields and values), natural-language
    instructions, guidance for a schema that must be generated, and options. Also the
    ``config`` of an edit request and of an edit template."""

    schema: EditRootJsonSchema | None = None
    instructions: str | None = None
    schema_generation_instructions: str | None = None
    advanced_options: EditRunAdvancedOptions | None = None


@attrs.frozen
class EditedFile:
    """The filled output file of an edit run: its ID and a presigned download URL."""

    file_id: str | None = None
    download_url: str | None = None


@attrs.frozen
class EditRunMetrics:
    """Timings (in ms) and counts of an edit run."""

    processing_time_ms: float | None = None
    field_count: int | None = None
    page_count: int | None = None
    field_filling_time_ms: float | None = None
    field_detection_time_ms: float | None = None
    field_annotation_time_ms: float | None = None


@attrs.frozen
class EditRunUsage:
    """Credits an edit run spent."""

    credits: float | None = None


@attrs.frozen
class EditRunStatus:
    """The state of an edit run while it is being edited (Edit File Async, and Get Edit
    Run before the run finishes)."""

    id: str
    status: EditRunState
    failure_reason: str | None = None
    object: str = "edit_run_status"

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state (PROCESSED or FAILED)."""
        return EditRunState.is_terminal(self.status)


#: ``EditRun.status`` as sent: the plain state string (what the API sends) or the
#: nested :class:`EditRunStatus` object that SDK 0.2.0 declares there.
EditRunStatusField: TypeAlias = EditRunState | EditRunStatus


def _choose_edit_run_status(value: Any) -> type[Any]:
    return EditRunStatus if isinstance(value, dict) else EditRunState


union_of(EditRunStatusField, _choose_edit_run_status)


@attrs.frozen
class EditRun:
    """A finished edit run: the filled file, the values written, the effective config,
    metrics and credits.

    ``status`` is kept in the form it came in: normally the plain state (an
    :class:`EditRunState`), or the nested :class:`EditRunStatus` object that SDK 0.2.0
    declares; either way it is written back as received. :attr:`state` is the state
    in both cases.
    """

    id: str
    file_id: str
    status: EditRunStatusField
    config: EditRunConfig
    metrics: EditRunMetrics
    edited_file: EditedFile | None = None
    failure_reason: str | None = None
    output: JsonObject | None = None
    usage: EditRunUsage | None = None
    object: str = "edit_run"

    @property
    def state(self) -> EditRunState:
        """The run's state, whichever form ``status`` came in."""
        return self.status.status if isinstance(self.status, EditRunStatus) else self.status

    @property
    def is_terminal(self) -> bool:
        """Whether the run reached a final state (PROCESSED or FAILED)."""
        return EditRunState.is_terminal(self.state)


@attrs.frozen
class UnknownEditRunResult(RawJson):
    """An edit run of an ``object`` kind this release does not know (or that it cannot
    read), kept exactly as sent."""


#: What Get Edit Run gives: the full run when done, its status while editing.
EditRunResult: TypeAlias = EditRun | EditRunStatus | UnknownEditRunResult


def _choose_edit_run(value: Any) -> type[Any]:
    """By ``object``; without one, a run with ``config`` is a full run, and one without
    is a status. An unknown ``object`` is kept raw."""
    if not isinstance(value, dict):
        return UnknownEditRunResult
    kind = value.get("object")
    if kind is None:
        return EditRun if "config" in value else EditRunStatus
    if kind == "edit_run":
        return EditRun
    if kind == "edit_run_status":
        return EditRunStatus
    return UnknownEditRunResult


union_of(EditRunResult, _choose_edit_run, fallback=UnknownEditRunResult)


@attrs.frozen
class EditSchemaGenerationAdvancedOptions:
    """Options of schema generation: model tables and radio groups, use only native
    form fields."""

    table_parsing_enabled: bool | None = None
    radio_enums_enabled: bool | None = None
    native_fields_only: bool | None = None


@attrs.frozen
class EditSchemaGenerationConfig:
    """How an edit schema is generated: an existing schema to map onto the detected
    fields, instructions, and options."""

    input_schema: EditRootJsonSchema | None = None
    instructions: str | None = None
    advanced_options: EditSchemaGenerationAdvancedOptions | None = None


@attrs.frozen
class EditSchemaGenerationMappingMatch:
    """A path of the input schema matched to a detected form field."""

    input_path: str
    form_field_key: str


@attrs.frozen
class EditSchemaGenerationMappingResult:
    """How an input schema was mapped onto the detected fields: the matches, and what
    was left over on either side."""

    matches: list[EditSchemaGenerationMappingMatch]
    unmatched_input_paths: list[str]
    unused_form_field_keys: list[str]


@attrs.frozen
class EditSchemaGenerationResponse:
    """The answer to Generate Edit Schema (a bare body): the final schema, the schema
    detected from the file, and the mapping report when an input schema was given."""

    schema: EditRootJsonSchema
    annotated_schema: EditRootJsonSchema | None = None
    mapping_result: EditSchemaGenerationMappingResult | None = None


@attrs.frozen
class EditTemplate:
    """A saved edit template: its source file, default edit config and schema-generation
    config. Only ``id`` is required (the 2025-04-21 shape is documented loosely)."""

    id: str
    name: str | None = None
    description: str | None = None
    file: File | None = None
    config: EditRunConfig | None = None
    schema_config: EditSchemaGenerationConfig | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    object: str = "edit_template"


def _given(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


@attrs.frozen(kw_only=True)
class EditRequest:
    """The body of Edit File and Edit File Async: the PDF to fill (``file``) or a saved
    template (``template_id``), exactly one of them, and the config (which overrides a
    template's)."""

    file: Omittable[FileInput] = NOT_GIVEN
    template_id: Omittable[str] = NOT_GIVEN
    config: Omittable[EditRunConfig] = NOT_GIVEN

    def __attrs_post_init__(self) -> None:
        if _given(self.file) == _given(self.template_id):
            raise ValueError("an edit request takes exactly one of file and template_id")


@attrs.frozen(kw_only=True)
class GenerateEditSchemaRequest:
    """The body of Generate Edit Schema: the PDF form and how to generate its schema."""

    file: FileInput
    config: Omittable[EditSchemaGenerationConfig] = NOT_GIVEN


@attrs.frozen
class EditRunDeleted:
    """The answer to Delete Edit Run: the deleted run's ID and a message."""

    edit_run_id: str
    message: str
