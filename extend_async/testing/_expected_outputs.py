"""Expected outputs: whether one a caller provides fits a processor's config, and one
made from a run's output (to seed evaluation sets).

The API documents that an expected output's field IDs and types must match the
processor's config. The fake checks what a config says: an extraction's output names
only fields of its schema (or field list), with values of their JSON types; a
classifier's names one of its classes; a splitter's splits name its classes and run
forwards through the pages. A config the fake does not know takes anything.
"""

from __future__ import annotations

from typing import Any

from cattrs import BaseValidationError

from .._converter import structure_error_path
from ..models import (
    Classification,
    ClassificationConfig,
    ClassifierOutput,
    ExtractionConfig,
    ExtractionField,
    ExtractionFieldType,
    FieldsArrayOutput,
    JsonOutput,
    ProcessorConfig,
    ProcessorOutput,
    ProvidedClassifierOutput,
    ProvidedExtractionFieldResult,
    ProvidedFieldsArrayOutput,
    ProvidedJsonOutput,
    ProvidedProcessorOutput,
    ProvidedSplit,
    ProvidedSplitterOutput,
    SplitterConfig,
    SplitterOutput,
    UnknownProvidedOutput,
)
from ..models.common import UNIONS
from ._wire import _requests

__all__ = ["misfit", "provided_from"]

_SHAPE_NAMES = {
    ProvidedJsonOutput: "an extraction output",
    ProvidedFieldsArrayOutput: "an extraction output",
    ProvidedClassifierOutput: "a classifier output",
    ProvidedSplitterOutput: "a splitter output",
}
#: JSON Schema type -> whether a JSON value is of it.
_JSON_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def misfit(config: ProcessorConfig, output: ProvidedProcessorOutput, where: str) -> str | None:
    """What keeps ``output`` from fitting a processor of ``config``, starting with its
    place (``where``, the output's own: ``expectedOutput``); None when it fits."""
    if isinstance(output, UnknownProvidedOutput):
        return _unknown(output.raw, where)
    got = _SHAPE_NAMES[type(output)]
    if isinstance(config, ExtractionConfig):
        if isinstance(output, (ProvidedJsonOutput, ProvidedFieldsArrayOutput)):
            return _extraction_misfit(config, output, where)
        takes = "an EXTRACT processor takes an extraction output ({value} or field results)"
        return f"{where}: {takes}, got {got}"
    if isinstance(config, ClassificationConfig):
        if isinstance(output, ProvidedClassifierOutput):
            return _class_misfit(config.classifications, output.id, output.type, where, "id")
        return f"{where}: a CLASSIFY processor takes a classifier output {{id, type}}, got {got}"
    if isinstance(config, SplitterConfig):
        if isinstance(output, ProvidedSplitterOutput):
            return _splits_misfit(config, output, where)
        return f"{where}: a SPLITTER processor takes a splitter output {{splits}}, got {got}"
    return None


def provided_from(output: ProcessorOutput) -> ProvidedProcessorOutput:
    """A run's output as a caller would provide it (an empty one as ``{value: {}}``)."""
    if isinstance(output, JsonOutput):
        return ProvidedJsonOutput(value=dict(output.value))
    if isinstance(output, FieldsArrayOutput):
        return ProvidedFieldsArrayOutput.of(
            {
                key: ProvidedExtractionFieldResult(
                    id=result.id, value=result.value, type=result.type, confidence=1.0
                )
                for key, result in output.fields.items()
            }
        )
    if isinstance(output, ClassifierOutput):
        return ProvidedClassifierOutput(id=output.id, type=output.type, confidence=1.0)
    if isinstance(output, SplitterOutput):
        return ProvidedSplitterOutput(
            splits=[
                ProvidedSplit(
                    id=split.id,
                    classification_id=split.classification_id,
                    type=split.type,
                    start_page=split.start_page,
                    end_page=split.end_page,
                    observation=split.observation,
                    identifier=split.identifier,
                )
                for split in output.splits
            ]
        )
    return ProvidedJsonOutput(value={})


def _unknown(raw: dict[str, Any], where: str) -> str:
    """Why an output was read as none of the known shapes: what is wrong with the shape
    it looks most like (an unknown key, a wrong type), or that it looks like none."""
    choose, _ = UNIONS[ProvidedProcessorOutput]
    shape = choose(raw)
    if shape is not UnknownProvidedOutput:
        try:
            _requests.structure(raw, shape)
        except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
            message, path = structure_error_path(exc, where)
            return f"{path}: {message}"
    return (
        f"{where}: not a provided output ({{value}}, a map of field results, {{id, type}} "
        f"or {{splits}}), got keys {sorted(raw)}"
    )


def _extraction_misfit(
    config: ExtractionConfig,
    output: ProvidedJsonOutput | ProvidedFieldsArrayOutput,
    where: str,
) -> str | None:
    """Field IDs against the schema's properties (or the field list's IDs); values
    against the schema's JSON types, field-result types against the field list's."""
    properties = (config.schema or {}).get("properties")
    known: dict[str, dict[str, Any]] | dict[str, ExtractionField] | None = None
    if isinstance(properties, dict):
        known = properties
    elif config.fields:
        known = {field.id: field for field in config.fields}
    if isinstance(output, ProvidedJsonOutput):
        values, at = output.value, f"{where}.value"
    else:
        values, at = {key: result.value for key, result in output.fields.items()}, where
    if known is None:
        return None
    unknown = sorted(set(values) - set(known))
    if unknown:
        return f"{at}: {unknown} are not fields of the processor (it has {sorted(known)})"
    for key, value in values.items():
        given = output.fields[key].type if isinstance(output, ProvidedFieldsArrayOutput) else None
        problem = _field_misfit(known[key], value, given)
        if problem is not None:
            return f"{at}.{key}: {problem}"
    return None


def _field_misfit(
    spec: dict[str, Any] | ExtractionField, value: Any, given: ExtractionFieldType | None
) -> str | None:
    """A value against a schema property's JSON type, or a field result's type against
    the field list's."""
    if isinstance(spec, dict):
        return _json_type_misfit(spec, value)
    if given is not None and given != spec.type:
        return f"the field is of type {spec.type!s}, got type {given!s}"
    return None


def _splits_misfit(
    config: SplitterConfig, output: ProvidedSplitterOutput, where: str
) -> str | None:
    """Each split names a class of the config and runs forwards from page 1 on."""
    for index, split in enumerate(output.splits):
        at = f"{where}.splits[{index}]"
        problem = _class_misfit(
            config.split_classifications,
            split.classification_id,
            split.type,
            at,
            "classificationId",
        )
        if problem is not None:
            return problem
        if split.start_page < 1:
            return f"{at}.startPage: pages count from 1, got {split.start_page}"
        if split.end_page < split.start_page:
            return f"{at}.endPage: {split.end_page} is before its startPage {split.start_page}"
    return None


def _json_type_misfit(spec: dict[str, Any], value: Any) -> str | None:
    """Whether ``value`` is of the JSON type a schema property declares (when it does)."""
    declared = spec.get("type")
    types = [declared] if isinstance(declared, str) else declared
    if not isinstance(types, list):
        return None
    checks = [_JSON_TYPES[name] for name in types if name in _JSON_TYPES]
    if not checks or any(check(value) for check in checks):
        return None
    return f"expected {' or '.join(map(str, types))}, got {_json_kind(value)}"


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    for name in ("boolean", "string", "integer", "number", "object", "array"):
        if _JSON_TYPES[name](value):
            return name
    return type(value).__name__


def _class_misfit(
    classes: list[Classification], class_id: str, class_type: str, where: str, key: str
) -> str | None:
    """Whether a class ID is one of the config's, with that class's type."""
    by_id = {item.id: item for item in classes}
    chosen = by_id.get(class_id)
    if chosen is None:
        return (
            f"{where}.{key}: {class_id!r} is not a class of the processor (it has {sorted(by_id)})"
        )
    if chosen.type != class_type:
        return f"{where}.type: class {class_id!r} has type {chosen.type!r}, got {class_type!r}"
    return None
