"""Edit runs (both forms of ``status``), the edit schemas with their literal
``extend_edit:`` keys, nesting and conditional keywords, schema generation, edit
templates, and the edit and generate requests."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from cattrs import ClassValidationError
from models._support import STRICT, assert_same_wire, example, round_trip, without_success

from extend_async import to_dict
from extend_async._converter import converter, wire_name
from extend_async.models import (
    EditBoundingBox,
    EditConditionalClause,
    EditConditionalObjectPropertySchema,
    EditConditionalPropertySchema,
    EditedFile,
    EditFieldType,
    EditImage,
    EditJsonSchema,
    EditObjectJsonSchema,
    EditRequest,
    EditRootJsonSchema,
    EditRun,
    EditRunAdvancedOptions,
    EditRunConfig,
    EditRunDeleted,
    EditRunMetrics,
    EditRunResult,
    EditRunState,
    EditRunStatus,
    EditRunUsage,
    EditSchemaGenerationAdvancedOptions,
    EditSchemaGenerationConfig,
    EditSchemaGenerationMappingMatch,
    EditSchemaGenerationMappingResult,
    EditSchemaGenerationResponse,
    EditSchemaProperties,
    EditTemplate,
    EditTextOptions,
    File,
    FileInput,
    GenerateEditSchemaRequest,
    UnknownEditRunResult,
)
from extend_async.models.common import NOT_GIVEN

UTC = timezone.utc

#: A schema with every field-level key, nesting (an object of fields, a table of rows)
#: and keys this release does not know, at several depths.
NESTED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "applicant": {
            "type": "object",
            "description": "The applicant",
            "title": "Applicant (unknown keyword)",
            "properties": {
                "address": {
                    "type": "object",
                    "properties": {
                        "street": {
                            "type": ["string", "null"],
                            "extend_edit:field_type": "text",
                            "extend_edit:bbox": {"left": 1, "top": 2, "right": 3, "bottom": 4},
                            "extend_edit:page_index": 2,
                            "extend_edit:value": "1 Main St",
                            "extend_edit:future_option": {"kept": True},
                        }
                    },
                    "required": ["street"],
                    "additionalProperties": False,
                },
                "signature": {
                    "type": "object",
                    "extend_edit:field_type": "signature",
                    "extend_edit:image": {"image_url": "https://example.com/sig.png"},
                },
            },
        },
        "line_items": {
            "type": "array",
            "extend_edit:field_type": "table",
            "extend_edit:column_width": 25.5,
            "extend_edit:row_heights": [0.25, 0.25, 0.5],
            "maxItems": 3,
            "items": {
                "type": "object",
                "description": "One row",
                "properties": {
                    "amount": {
                        "type": ["number", "null"],
                        "extend_edit:field_type": "text",
                        "extend_edit:text_edit_options": {
                            "fontSize": 9,
                            "fontColor": [255, 0, 0],
                            "font": "Courier",
                            "combing": True,
                            "maxLength": 12,
                        },
                    }
                },
                "required": ["amount"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["applicant"],
}

#: A schema with every conditional keyword, nested, and an unknown keyword in a clause.
CONDITIONAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "filing_status": {"enum": ["single", "married"], "extend_edit:field_type": "radio"},
        "spouse_name": {"type": ["string", "null"]},
        "dependents": {"type": "array", "items": {"type": "object", "properties": {}}},
    },
    "dependentRequired": {"spouse_name": ["filing_status"]},
    "if": {
        "properties": {
            "filing_status": {"const": "married", "description": "Married filers"},
            "dependents": {
                "type": "array",
                "contains": {"type": "object", "minimum": 1},
                "minContains": 1,
                "maxContains": 5,
                "minItems": 1,
                "maxItems": 9,
                "items": {
                    "type": "object",
                    "properties": {"age": {"exclusiveMaximum": 18, "exclusiveMinimum": 0}},
                    "required": ["age"],
                    "additionalProperties": True,
                },
            },
            "spouse_name": {"pattern": "^[A-Z]", "minLength": 2, "maxLength": 40},
        },
        "required": ["filing_status"],
        "$comment": "an unknown JSON Schema keyword",
    },
    "then": {"required": ["spouse_name"], "dependentRequired": {"a": ["b"]}},
    "else": {"not": {"required": ["spouse_name"]}},
    "allOf": [{"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {}}],
    "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
    "anyOf": [{"properties": {"a": {"maximum": 3, "enum": ["x"]}}}],
    "not": {"allOf": [{"anyOf": [{"oneOf": [{"required": ["deep"]}]}]}]},
}


def test_the_sync_edit_body_is_a_bare_run_with_a_plain_status() -> None:
    body = example("edit_file")

    run = round_trip(body, EditRun)

    assert run.object == "edit_run"
    assert run.id == "edit_run_xK9mLPqRtN3vS8wF5hB2cQ"
    assert run.file_id == "file_Zk9mNP12Qw4yTv8BdR3H"
    assert run.status is EditRunState.PROCESSED
    assert run.state is EditRunState.PROCESSED
    assert run.is_terminal is True
    assert run.edited_file == EditedFile(
        file_id="file_Ab3cDE45Fg6hIj7KlM8nO",
        download_url="https://extend-ai-files.s3.amazonaws.com/edited/file_Ab3cDE45Fg6hIj7KlM8nO.pdf?X-Amz-Expires=900",
    )
    assert run.output == {"full_name": "Jordan Avery", "filing_status": "single", "consent": True}
    assert run.metrics == EditRunMetrics(
        processing_time_ms=5230.0,
        field_count=3,
        page_count=2,
        field_filling_time_ms=410.0,
        field_detection_time_ms=3900.0,
        field_annotation_time_ms=920.0,
    )
    assert run.usage == EditRunUsage(credits=1.1)
    assert run.config.instructions == "Fill the form for the applicant using the provided values."
    assert run.config.advanced_options == EditRunAdvancedOptions(
        flatten_pdf=True,
        table_parsing_enabled=False,
        radio_enums_enabled=True,
        native_fields_only=False,
    )
    assert to_dict(run)["status"] == "PROCESSED"


def test_the_edit_schema_of_a_run_reads_every_extend_edit_key() -> None:
    run = converter.structure(example("edit_file"), EditRun)

    schema = run.config.schema
    assert schema is not None
    assert schema.type == "object"
    assert schema.required == ["full_name"]
    assert schema.additional_properties is False
    assert list(schema.properties) == ["full_name", "filing_status", "consent"]
    assert schema.properties["full_name"] == EditJsonSchema(
        type=["string", "null"],
        description="Applicant full name",
        extend_edit_field_type=EditFieldType.TEXT,
        extend_edit_value="Jordan Avery",
        extend_edit_bbox=EditBoundingBox(left=102.0, top=188.5, right=340.0, bottom=204.0),
        extend_edit_page_index=0,
        extend_edit_text_edit_options=EditTextOptions(
            font_size=10.0, font_color=[0.0, 0.0, 0.0], font="Helvetica"
        ),
    )
    radio = schema.properties["filing_status"]
    assert radio.type is None
    assert radio.enum == ["single", "married"]
    assert radio.extend_edit_field_type is EditFieldType.RADIO
    assert radio.extend_edit_bboxes == [
        EditBoundingBox(left=60.0, top=240.0, right=70.0, bottom=250.0),
        EditBoundingBox(left=160.0, top=240.0, right=170.0, bottom=250.0),
    ]
    assert schema.properties["consent"].extend_edit_value is True


def test_extend_edit_keys_are_written_back_literally() -> None:
    field = EditJsonSchema(
        type="array",
        extend_edit_field_type=EditFieldType.TABLE,
        extend_edit_bbox=EditBoundingBox(left=1, top=2, right=3, bottom=4),
        extend_edit_bboxes=[EditBoundingBox(left=5, top=6, right=7, bottom=8)],
        extend_edit_page_index=1,
        extend_edit_text_edit_options=EditTextOptions(font_size=8),
        extend_edit_column_width=30,
        extend_edit_value=[{"amount": 1}],
        extend_edit_image=EditImage(extend_edit_image_url="https://example.com/s.png"),
        extend_edit_row_heights=[0.5, 0.5],
        max_items=2,
        additional_properties=False,
    )

    assert to_dict(field) == {
        "type": "array",
        "extend_edit:field_type": "table",
        "extend_edit:bbox": {"left": 1, "top": 2, "right": 3, "bottom": 4},
        "extend_edit:bboxes": [{"left": 5, "top": 6, "right": 7, "bottom": 8}],
        "extend_edit:page_index": 1,
        "extend_edit:text_edit_options": {"fontSize": 8},
        "extend_edit:column_width": 30,
        "extend_edit:value": [{"amount": 1}],
        "extend_edit:image": {"image_url": "https://example.com/s.png"},
        "extend_edit:row_heights": [0.5, 0.5],
        "maxItems": 2,
        "additionalProperties": False,
    }


@pytest.mark.parametrize(
    ("attribute", "wire"),
    [
        ("extend_edit_field_type", "extend_edit:field_type"),
        ("extend_edit_bbox", "extend_edit:bbox"),
        ("extend_edit_bboxes", "extend_edit:bboxes"),
        ("extend_edit_page_index", "extend_edit:page_index"),
        ("extend_edit_text_edit_options", "extend_edit:text_edit_options"),
        ("extend_edit_column_width", "extend_edit:column_width"),
        ("extend_edit_value", "extend_edit:value"),
        ("extend_edit_image", "extend_edit:image"),
        ("extend_edit_row_heights", "extend_edit:row_heights"),
        ("extend_edit_image_url", "image_url"),
        ("image_url", "imageUrl"),
        ("if_", "if"),
        ("else_", "else"),
        ("not_", "not"),
        ("all_of", "allOf"),
        ("dependent_required", "dependentRequired"),
        ("exclusive_minimum", "exclusiveMinimum"),
    ],
)
def test_the_wire_names_of_the_edit_schemas(attribute: str, wire: str) -> None:
    assert wire_name(attribute) == wire


def test_get_edit_run_gives_the_full_run_when_done() -> None:
    result = round_trip(example("get_edit_run")["editRun"], EditRunResult)

    assert isinstance(result, EditRun)
    assert result == converter.structure(example("edit_file"), EditRun)


def test_the_async_edit_body_and_get_edit_run_while_editing_are_a_status() -> None:
    body = example("edit_file_async")

    status = round_trip(body, EditRunStatus)
    result = round_trip(copy.deepcopy(body), EditRunResult)

    assert status == EditRunStatus(
        id="edit_run_xK9mLPqRtN3vS8wF5hB2cQ", status=EditRunState.PROCESSING
    )
    assert status.object == "edit_run_status"
    assert status.is_terminal is False
    assert result == status


def test_a_run_without_its_object_key_is_told_by_its_config() -> None:
    full = example("edit_file")
    del full["object"]
    status = {"id": "edit_run_1", "status": "FAILED", "failureReason": "CORRUPT_FILE"}

    assert isinstance(converter.structure(full, EditRunResult), EditRun)
    assert converter.structure(status, EditRunResult) == EditRunStatus(
        id="edit_run_1", status=EditRunState.FAILED, failure_reason="CORRUPT_FILE"
    )


@pytest.mark.parametrize(
    "wire",
    [
        {"object": "edit_run_v2", "id": "edit_run_1", "output": {}},
        {"object": "edit_run", "id": "edit_run_1"},
        {"object": "edit_run_status", "id": "edit_run_1", "status": 3},
    ],
)
def test_an_edit_run_of_an_unknown_kind_or_shape_is_kept_raw(wire: dict[str, Any]) -> None:
    result = converter.structure(copy.deepcopy(wire), EditRunResult)

    assert result == UnknownEditRunResult(raw=wire)
    assert to_dict(result) == wire


def test_the_status_object_form_of_sdk_0_2_is_read_and_written_back_as_it_came() -> None:
    wire = example("edit_file")
    wire["status"] = {
        "object": "edit_run_status",
        "id": "edit_run_xK9mLPqRtN3vS8wF5hB2cQ",
        "status": "PROCESSED",
    }

    run = round_trip(wire, EditRun)

    assert run.status == EditRunStatus(
        id="edit_run_xK9mLPqRtN3vS8wF5hB2cQ", status=EditRunState.PROCESSED
    )
    assert run.state is EditRunState.PROCESSED
    assert run.is_terminal is True
    assert to_dict(run)["status"] == wire["status"]


@pytest.mark.parametrize(
    "status",
    ["PROCESSING", {"object": "edit_run_status", "id": "edit_run_1", "status": "PROCESSING"}],
)
def test_a_run_still_editing_is_not_terminal_in_either_form(status: Any) -> None:
    wire = example("edit_file")
    wire["status"] = status

    run = converter.structure(wire, EditRun)

    assert run.state is EditRunState.PROCESSING
    assert run.is_terminal is False


def test_unknown_edit_enum_values_are_kept_in_both_status_forms() -> None:
    plain = example("edit_file")
    plain["status"] = "QUEUED"
    nested = example("edit_file")
    nested["status"] = {"id": "edit_run_1", "status": "QUEUED"}
    plain["config"]["schema"]["properties"]["full_name"]["extend_edit:field_type"] = "barcode"

    by_string = round_trip(plain, EditRun)
    by_object = converter.structure(nested, EditRun)

    for run in (by_string, by_object):
        assert run.state == "QUEUED"
        assert run.state.is_known is False
        assert run.is_terminal is False
    assert by_string.config.schema is not None
    field_type = by_string.config.schema.properties["full_name"].extend_edit_field_type
    assert field_type == "barcode"
    assert field_type is not None
    assert field_type.is_known is False


def test_the_terminal_states_and_the_field_types() -> None:
    assert {EditRunState.PROCESSED, EditRunState.FAILED} == EditRunState.TERMINAL
    assert EditRunState.is_terminal("FAILED") is True
    assert EditRunState.is_terminal("PROCESSING") is False
    assert [t.value for t in EditFieldType] == [
        "text",
        "checkbox",
        "radio",
        "dropdown",
        "optionList",
        "signature",
        "table",
        "unknown",
    ]


def test_schemas_hold_schemas_at_any_depth_and_keep_unknown_keys_there() -> None:
    schema = round_trip(NESTED_SCHEMA, EditRootJsonSchema)

    applicant = schema.properties["applicant"]
    assert applicant.description == "The applicant"
    assert applicant.properties is not None
    address = applicant.properties["address"]
    assert address.required == ["street"]
    assert address.properties is not None
    street = address.properties["street"]
    assert street.extend_edit_page_index == 2
    assert street.extend_edit_value == "1 Main St"
    signature = applicant.properties["signature"]
    assert signature.extend_edit_image == EditImage(
        extend_edit_image_url="https://example.com/sig.png"
    )
    table = schema.properties["line_items"]
    assert table.extend_edit_column_width == 25.5
    assert table.extend_edit_row_heights == [0.25, 0.25, 0.5]
    assert table.max_items == 3
    assert isinstance(table.items, EditObjectJsonSchema)
    assert table.items.description == "One row"
    assert table.items.properties is not None
    amount = table.items.properties["amount"]
    assert amount.extend_edit_text_edit_options == EditTextOptions(
        font_size=9.0, font_color=[255.0, 0.0, 0.0], font="Courier", combing=True, max_length=12
    )
    # Keys this release does not know, kept wherever they were (round_trip checked it).
    assert to_dict(schema)["properties"]["applicant"]["title"] == "Applicant (unknown keyword)"


def test_field_maps_are_read_only_mappings_built_from_plain_dicts() -> None:
    root = EditRootJsonSchema(
        properties={
            "name": EditJsonSchema(type="string", extend_edit_value="Ada"),
            "box": EditJsonSchema(
                type="object",
                properties={"ticked": EditJsonSchema(type="boolean", extend_edit_value=True)},
            ),
        },
        required=["name"],
    )

    assert isinstance(root.properties, EditSchemaProperties)
    assert len(root.properties) == 2
    assert "name" in root.properties
    assert root.properties["box"].properties is not None
    assert root.properties["box"].properties["ticked"].extend_edit_value is True
    assert to_dict(root) == {
        "type": "object",
        "properties": {
            "name": {"type": "string", "extend_edit:value": "Ada"},
            "box": {
                "type": "object",
                "properties": {"ticked": {"type": "boolean", "extend_edit:value": True}},
            },
        },
        "required": ["name"],
    }
    assert root == converter.structure(to_dict(root), EditRootJsonSchema)


def test_updating_some_fields_keeps_the_others_as_they_came() -> None:
    wire = copy.deepcopy(NESTED_SCHEMA["properties"])
    properties = converter.structure(wire, EditSchemaProperties)
    filled = EditJsonSchema(type="array", extend_edit_value=[{"amount": 5}])

    updated = properties.updated({"line_items": filled})

    assert updated["line_items"] == filled
    assert updated.raw["applicant"] == NESTED_SCHEMA["properties"]["applicant"]
    assert properties == EditSchemaProperties(raw=NESTED_SCHEMA["properties"])
    assert EditSchemaProperties.of(updated) is updated


def test_a_field_map_that_cannot_be_read_is_an_error() -> None:
    wire = {"type": "object", "properties": {"a": {"extend_edit:page_index": "first"}}}

    with pytest.raises(ClassValidationError):
        converter.structure(wire, EditRootJsonSchema)


def test_conditional_keywords_nest_and_keep_unknown_keywords() -> None:
    schema = round_trip(CONDITIONAL_SCHEMA, EditRootJsonSchema)

    assert schema.dependent_required == {"spouse_name": ["filing_status"]}
    assert isinstance(schema.if_, EditConditionalClause)
    assert schema.if_.required == ["filing_status"]
    assert schema.if_.raw["$comment"] == "an unknown JSON Schema keyword"
    assert schema.if_.properties is not None
    married = schema.if_.properties["filing_status"]
    assert married.const == "married"
    assert married.description == "Married filers"
    dependents = schema.if_.properties["dependents"]
    assert dependents.type == "array"
    assert dependents.contains == EditConditionalPropertySchema(
        raw={"type": "object", "minimum": 1}
    )
    assert dependents.contains is not None
    assert dependents.contains.minimum == 1.0
    assert (dependents.min_contains, dependents.max_contains) == (1, 5)
    assert (dependents.min_items, dependents.max_items) == (1, 9)
    assert isinstance(dependents.items, EditConditionalObjectPropertySchema)
    assert dependents.items.required == ["age"]
    assert dependents.items.additional_properties is True
    assert dependents.items.properties is not None
    age = dependents.items.properties["age"]
    assert (age.exclusive_minimum, age.exclusive_maximum) == (0.0, 18.0)
    spouse = schema.if_.properties["spouse_name"]
    assert (spouse.pattern, spouse.min_length, spouse.max_length) == ("^[A-Z]", 2, 40)
    assert schema.then is not None
    assert schema.then.dependent_required == {"a": ["b"]}
    assert schema.else_ is not None
    assert schema.else_.not_ == EditConditionalClause({"required": ["spouse_name"]})
    assert schema.all_of is not None
    [clause] = schema.all_of
    assert clause.if_ is not None
    assert clause.if_.required == ["a"]
    assert clause.else_ == EditConditionalClause({})
    assert schema.one_of is not None
    assert [c.required for c in schema.one_of] == [["a"], ["b"]]
    assert schema.any_of is not None
    assert schema.any_of[0].properties is not None
    assert schema.any_of[0].properties["a"].maximum == 3.0
    assert schema.any_of[0].properties["a"].enum == ["x"]
    deepest = schema.not_
    assert deepest is not None
    assert deepest.all_of is not None
    assert deepest.all_of[0].any_of is not None
    assert deepest.all_of[0].any_of[0].one_of is not None
    assert deepest.all_of[0].any_of[0].one_of[0].required == ["deep"]


def test_a_conditional_clause_is_built_from_its_json() -> None:
    clause = EditConditionalClause(
        {"if": {"properties": {"kind": {"const": None}}}, "then": {"required": ["x"]}}
    )

    assert clause.then == EditConditionalClause({"required": ["x"]})
    assert clause.if_ is not None
    assert clause.if_.properties is not None
    assert "const" in clause.if_.properties["kind"].raw
    assert to_dict(EditRootJsonSchema(properties={}, then=clause.then)) == {
        "type": "object",
        "properties": {},
        "then": {"required": ["x"]},
    }


def test_a_conditional_keyword_that_cannot_be_read_is_an_error() -> None:
    wire = {"type": "object", "properties": {}, "if": {"required": "spouse_name"}}

    with pytest.raises(ClassValidationError):
        converter.structure(wire, EditRootJsonSchema)


def test_the_generate_schema_body_is_bare_and_round_trips() -> None:
    response = round_trip(example("generate_edit_schema"), EditSchemaGenerationResponse)

    assert response.mapping_result is None
    assert response.annotated_schema == response.schema
    assert response.schema.required == []
    assert list(response.schema.properties) == ["applicant_name", "filing_status"]
    assert response.schema.properties["applicant_name"].extend_edit_value is None


def test_a_mapping_report_round_trips() -> None:
    wire = example("generate_edit_schema")
    wire["mappingResult"] = {
        "matches": [{"inputPath": "applicant.name", "formFieldKey": "applicant_name"}],
        "unmatchedInputPaths": ["applicant.ssn"],
        "unusedFormFieldKeys": ["filing_status"],
    }

    response = round_trip(wire, EditSchemaGenerationResponse)

    assert response.mapping_result == EditSchemaGenerationMappingResult(
        matches=[
            EditSchemaGenerationMappingMatch(
                input_path="applicant.name", form_field_key="applicant_name"
            )
        ],
        unmatched_input_paths=["applicant.ssn"],
        unused_form_field_keys=["filing_status"],
    )


def test_an_edit_template_round_trips() -> None:
    template = round_trip(example("get_edit_template")["editTemplate"], EditTemplate)

    assert template.object == "edit_template"
    assert template.id == "edt_xK9mLPqRtN3vS8wF5hB2cQ"
    assert template.name == "W-9 Template"
    assert template.description == "Fill a W-9 form"
    assert isinstance(template.file, File)
    assert template.file.name == "fw9.pdf"
    assert template.config == EditRunConfig(
        instructions="Fill the W-9 with the vendor's legal name and TIN.",
        advanced_options=EditRunAdvancedOptions(flatten_pdf=True, radio_enums_enabled=True),
    )
    assert template.schema_config == EditSchemaGenerationConfig(
        instructions="Use snake_case field names.",
        advanced_options=EditSchemaGenerationAdvancedOptions(radio_enums_enabled=True),
    )
    assert template.created_at == datetime(2024, 3, 21, 15, 30, tzinfo=UTC)


def test_an_edit_template_needs_only_its_id() -> None:
    template = round_trip({"object": "edit_template", "id": "edt_1"}, EditTemplate)

    assert template == EditTemplate(id="edt_1")


def test_the_delete_answer_round_trips_whole() -> None:
    deleted = round_trip(without_success(example("delete_edit_run")), EditRunDeleted)

    assert deleted == EditRunDeleted(
        edit_run_id="edit_run_xK9mLPqRtN3vS8wF5hB2cQ",
        message="Edit run data has been successfully deleted.",
    )


@pytest.mark.parametrize(
    ("operation", "model"),
    [
        ("edit_file.request", EditRequest),
        ("edit_file_async.request", EditRequest),
        ("generate_edit_schema.request", GenerateEditSchemaRequest),
    ],
)
def test_each_request_body_structures_with_both_converters(operation: str, model: type) -> None:
    wire = example(operation)

    for conv in (converter, STRICT):
        request = conv.structure(copy.deepcopy(wire), model)
        assert isinstance(request.file, FileInput)
        assert_same_wire(to_dict(request), wire)


def test_the_edit_request_reads_its_schema() -> None:
    request = STRICT.structure(example("edit_file.request"), EditRequest)

    assert request.template_id is NOT_GIVEN
    assert isinstance(request.config, EditRunConfig)
    assert request.config.schema is not None
    assert request.config.schema.properties["consent"].extend_edit_value is True
    assert request.config.schema.properties["consent"].extend_edit_bbox == EditBoundingBox(
        left=60, top=700, right=70, bottom=710
    )


def test_the_generate_request_reads_its_config() -> None:
    request = converter.structure(
        example("generate_edit_schema.request"), GenerateEditSchemaRequest
    )

    assert request == GenerateEditSchemaRequest(
        file=FileInput(file_url="https://example.com/form.pdf"),
        config=EditSchemaGenerationConfig(
            instructions="Detect the form fields and use human-readable field names.",
            advanced_options=EditSchemaGenerationAdvancedOptions(radio_enums_enabled=True),
        ),
    )
    schema = EditRootJsonSchema(properties={"a": EditJsonSchema(type="string")})
    with_input = GenerateEditSchemaRequest(
        file=FileInput(file_id="file_1"),
        config=EditSchemaGenerationConfig(input_schema=schema),
    )
    assert to_dict(with_input) == {
        "file": {"fileId": "file_1"},
        "config": {"inputSchema": {"type": "object", "properties": {"a": {"type": "string"}}}},
    }


def test_an_edit_request_on_a_template_instead_of_a_file() -> None:
    wire = {"templateId": "edt_1", "config": {"instructions": "Use the vendor's TIN."}}

    for conv in (converter, STRICT):
        request = conv.structure(copy.deepcopy(wire), EditRequest)
        assert request == EditRequest(
            template_id="edt_1", config=EditRunConfig(instructions="Use the vendor's TIN.")
        )
        assert request.file is NOT_GIVEN
        assert to_dict(request) == wire


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"file": None},
        {"file": FileInput(file_id="file_1"), "template_id": "edt_1"},
    ],
)
def test_an_edit_request_takes_exactly_one_of_file_and_template(arguments: Any) -> None:
    with pytest.raises(ValueError, match="exactly one of file and template_id"):
        EditRequest(**arguments)


def test_an_edit_request_with_both_or_neither_is_refused_when_structured() -> None:
    both = {"file": {"fileId": "file_1"}, "templateId": "edt_1"}

    for wire in ({}, both):
        with pytest.raises(ClassValidationError):
            converter.structure(wire, EditRequest)


def test_the_strict_converter_refuses_unknown_keys_of_the_edit_requests() -> None:
    edit = {"file": {"fileId": "file_1"}, "sync": True}
    generate = {"file": {"fileId": "file_1"}, "config": {"outputFormat": "pdf"}}

    assert converter.structure(edit, EditRequest) == EditRequest(file=FileInput(file_id="file_1"))
    with pytest.raises(ClassValidationError):
        STRICT.structure(edit, EditRequest)
    with pytest.raises(ClassValidationError):
        STRICT.structure(generate, GenerateEditSchemaRequest)
