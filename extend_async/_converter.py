"""The one cattrs converter: JSON wire format <-> attrs models.

Configured once at import (registering hooks later would flush cattrs' dispatch
cache). One rename rule maps every snake_case attribute to its camelCase wire name;
the few irregular names live in one table here, never as per-field aliases in models.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Union, get_origin

import attrs
from cattrs import BaseValidationError, ClassValidationError, IterableValidationError
from cattrs.cols import list_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter
from cattrs.v import transform_error

from ._one_pass import make_one_pass_fn
from ._typeinfo import allows_none, list_item, non_none_args, union_members
from .models.common import NOT_GIVEN, UNIONS, ApiEnum, NotGiven, RawJson

__all__ = ["converter", "structure_error_path", "to_dict", "to_json", "wire_name"]

#: snake_case attribute -> wire name, where the camelCase rule does not hold.
_IRREGULAR_WIRE_NAMES: dict[str, str] = {
    # Edit schemas: literal ``extend_edit:`` keys (models/edit_runs.py).
    "extend_edit_field_type": "extend_edit:field_type",
    "extend_edit_bbox": "extend_edit:bbox",
    "extend_edit_bboxes": "extend_edit:bboxes",
    "extend_edit_page_index": "extend_edit:page_index",
    "extend_edit_text_edit_options": "extend_edit:text_edit_options",
    "extend_edit_column_width": "extend_edit:column_width",
    "extend_edit_value": "extend_edit:value",
    "extend_edit_image": "extend_edit:image",
    "extend_edit_row_heights": "extend_edit:row_heights",
    # The snake_case key inside ``extend_edit:image`` (EditImage).
    "extend_edit_image_url": "image_url",
}

_FRACTION = re.compile(r"\.(\d+)")


def wire_name(attribute: str) -> str:
    """The JSON key for an attribute name: ``processor_version_id`` -> ``processorVersionId``."""
    irregular = _IRREGULAR_WIRE_NAMES.get(attribute)
    if irregular is not None:
        return irregular
    head, *rest = attribute.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def parse_datetime(value: object, _type: object = datetime) -> datetime:
    """RFC 3339 to an aware datetime, on every Python we support.

    ``fromisoformat`` is tried first (it is fast, and on 3.11+ it takes every form the
    API sends); Python 3.10 rejects a trailing ``Z`` and fractions that are not 3 or 6
    digits long, so those are normalised and parsed again. Naive values are UTC.
    """
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = _parse_normalised(value)
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise TypeError(f"expected an RFC 3339 string, got {type(value).__name__}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def _parse_normalised(value: str) -> datetime:
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an RFC 3339 timestamp: {value!r}") from None


def format_datetime(value: datetime) -> str:
    """Aware datetime to RFC 3339, UTC written as ``Z`` as the API does."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _structure_api_enum(value: Any, cls: type[ApiEnum]) -> ApiEnum:
    """A member of an API enum: the known one, or one made for a value added later."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string for {cls.__name__}, got {value!r}")
    member = cls._value2member_map_.get(value)  # a dict lookup: calling the class is slower
    return member if member is not None else cls(value)  # type: ignore[return-value]


def _is_optional_plain(tp: Any) -> bool:
    """``X | None``, X one type or a declared union (cattrs' generic path is slow for
    these, and does not know how our unions are told apart)."""
    if not allows_none(tp):
        return False
    rest = non_none_args(tp)
    return len(rest) == 1 or _is_declared_union(Union[rest])  # noqa: UP007


def _strict_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {_kind(value)}")


def _strict_int(value: Any, _: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():  # the API may send 3.0 for 3
        return int(value)
    raise TypeError(f"expected an integer, got {_kind(value)}")


def _strict_float(value: Any, _: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"expected a number, got {_kind(value)}")


def _strict_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {_kind(value)}")


def _is_list(tp: Any) -> bool:
    return list_item(tp) is not None


def _kind(value: Any) -> str:
    """How a wrong JSON value is described in errors (values may be long: show the type)."""
    return "null" if value is None else type(value).__name__


def _json_object(value: Any, _: Any) -> dict[str, Any]:
    """Free-form JSON (metadata, schemas, extracted values) is kept as parsed."""
    if isinstance(value, dict):
        return value
    raise TypeError(f"expected an object, got {_kind(value)}")


def _structure_raw(value: Any, cls: type[RawJson]) -> RawJson:
    if isinstance(value, dict):
        return cls(raw=value)
    raise TypeError(f"expected an object, got {_kind(value)}")


def _has_not_given(tp: Any) -> bool:
    """``X | NotGiven | None``: a request field that may be left out."""
    return NotGiven in union_members(tp)


def _not_given_factory(tp: Any, conv: Any) -> Callable[[Any, Any], Any]:
    # A key that is absent takes the field's default (NOT_GIVEN); a key that is
    # present is one of the other members.
    rest = tuple(arg for arg in union_members(tp) if arg is not NotGiven)
    inner = rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 - built at run time
    hook = conv.get_structure_hook(inner)

    def structure(value: Any, _: Any) -> Any:
        return hook(value, inner)

    return structure


def _is_declared_union(tp: Any) -> bool:
    try:
        return tp in UNIONS
    except TypeError:  # an unhashable annotation is no declared union
        return False


def _union_factory(tp: Any, conv: Any) -> Callable[[Any, Any], Any]:
    choose, fallback = UNIONS[tp]

    def structure(value: Any, _: Any) -> Any:
        member = choose(value)
        if fallback is None or member is fallback:
            return conv.structure(value, member)
        try:
            return conv.structure(value, member)
        except (BaseValidationError, ValueError, TypeError, KeyError):
            return conv.structure(value, fallback)  # an odd shape is kept, never an error

    return structure


def _optional_factory(tp: Any, conv: Any) -> Callable[[Any, Any], Any]:
    rest = non_none_args(tp)
    inner = rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 - built at run time
    hook = conv.get_structure_hook(inner)
    if inner is str:  # the commonest optional field: checked inline, no second call

        def structure_str(value: Any, _: Any) -> Any:
            if value is None or type(value) is str:
                return value
            return hook(value, inner)

        return structure_str

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure


def _list_factory(tp: Any, conv: Any) -> Callable[[Any, Any], Any]:
    checked = list_structure_factory(tp, conv)  # its errors name each bad item's index
    item = list_item(tp)
    try:
        hook = conv.get_structure_hook(item)
    except RecursionError:  # a model that holds a list of itself: bound when first used
        hook = conv.structure

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, list):
            raise TypeError(f"expected an array, got {_kind(value)}")
        try:  # a good array in one comprehension; a bad one again, item by item
            return [hook(element, item) for element in value]
        except Exception:
            pass
        return checked(value, tp)

    return structure


def _structure_factory(cls: type[Any], conv: Any) -> Any:
    generic = get_origin(cls)  # ``Page[Run]``: a generic model with its type argument
    renames: dict[str, Any] = {
        a.name: override(rename=wire_name(a.name)) for a in attrs.fields(generic or cls)
    }
    forbid = conv.forbid_extra_keys  # on in the fake's copy, which checks requests
    fields = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=forbid, **renames)

    def checked(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {_kind(value)}")
        return fields(value, cls)

    if forbid or generic is not None:
        return checked
    # The body as documented takes the one-pass function; anything else, this one.
    return make_one_pass_fn(cls, checked, conv.get_structure_hook, wire_name) or checked


def _unstructure_factory(cls: type[Any], conv: Any) -> Any:
    # Optional fields (default None) are omitted while None, so a body that lacked a key
    # round-trips without a spurious ``null``; a request field left out (NOT_GIVEN) is
    # omitted; constants are always written.
    renames: dict[str, Any] = {
        a.name: override(
            rename=wire_name(a.name), omit_if_default=a.default is None or a.default is NOT_GIVEN
        )
        for a in attrs.fields(get_origin(cls) or cls)
    }
    return make_dict_unstructure_fn(cls, conv, **renames)


def _make_converter() -> Any:
    # cattrs' own primitive hooks coerce (None -> "None", "12" -> 12, "abc" -> a list of
    # letters); a response of the wrong type must fail with its path instead.
    conv = make_converter()
    for primitive, hook in (
        (str, _strict_str),
        (int, _strict_int),
        (float, _strict_float),
        (bool, _strict_bool),
    ):
        conv.register_structure_hook(primitive, hook)
    conv.register_structure_hook(datetime, parse_datetime)
    conv.register_unstructure_hook(datetime, format_datetime)
    # By class, so they win over the ``str`` hook and the attrs factory respectively.
    conv.register_structure_hook(ApiEnum, _structure_api_enum)
    conv.register_structure_hook(RawJson, _structure_raw)
    conv.register_unstructure_hook(RawJson, lambda model: model.raw)
    conv.register_structure_hook_func(lambda tp: tp == dict[str, Any], _json_object)
    # Later registrations are tried first: the most specific come last.
    conv.register_structure_hook_factory(_is_optional_plain, _optional_factory)
    conv.register_structure_hook_factory(_is_declared_union, _union_factory)
    conv.register_structure_hook_factory(_has_not_given, _not_given_factory)
    conv.register_structure_hook_factory(_is_list, _list_factory)
    conv.register_structure_hook_factory(attrs.has, _structure_factory)
    conv.register_unstructure_hook_factory(attrs.has, _unstructure_factory)
    return conv


#: The converter every model passes through (the client, the fake server, the CLI).
converter = _make_converter()


def structure_error_path(exc: BaseException, root: str = "$") -> tuple[str, str]:
    """Summarise a cattrs validation error as (first message, wire path).

    cattrs reports attribute names; the user reads JSON keys, so each path segment is
    renamed back to its wire form.
    """
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        lines = transform_error(exc, path=root)
        first = lines[0] if lines else str(exc)
        message, _, path = first.rpartition(" @ ")
        return (message or first), _to_wire_path(path or root)
    return f"{type(exc).__name__}: {exc}", root


def _to_wire_path(path: str) -> str:
    return re.sub(r"\.([a-z0-9_]+)", lambda m: "." + wire_name(m.group(1)), path)


def to_dict(model: object) -> dict[str, Any]:
    """A model as the API spells it: a JSON-ready dict with camelCase keys.

    Optional fields that are None are left out, so a parsed body round-trips.
    """
    if not attrs.has(type(model)):
        raise TypeError(f"to_dict() takes an extend_async model, got {type(model).__name__}")
    document: dict[str, Any] = converter.unstructure(model)
    return document


def to_json(model: object, *, indent: int | None = None) -> str:
    """A model as a JSON string in the API's wire form (see :func:`to_dict`)."""
    return json.dumps(to_dict(model), indent=indent, ensure_ascii=False)
