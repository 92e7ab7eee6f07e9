"""A method's arguments as a request: the JSON body and the query string.

Every endpoint method passes its keyword arguments through here, so one set of rules
holds for the whole package: an argument left out (``NOT_GIVEN``) is left out of the
request, ``None`` is sent as ``null``, our models and plain mappings in wire form are
both accepted for nested inputs, and a wrong argument is refused before anything is
sent, in a message that names the method and the argument.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, TypeVar

import attrs
from cattrs import BaseValidationError, ClassValidationError, IterableValidationError
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.v import transform_error

from ._converter import converter, format_datetime, wire_name
from .models.common import NOT_GIVEN
from .models.files import File, FileInput

__all__ = ["FileArgument", "file_input", "json_body", "query", "to_wire"]

#: What a method takes for a file: an id (``file_...``), a URL, an uploaded ``File``, our
#: ``FileInput``, or a mapping in wire form (``{"fileUrl": ...}``).
FileArgument = str | File | FileInput | Mapping[str, Any]

M = TypeVar("M")

#: The keys of a file object on the wire.
_FILE_KEYS = frozenset({"fileName", "fileUrl", "fileId"})
#: Query parameters whose wire name the camelCase rule does not give.
_QUERY_NAMES = {"page_size": "maxPageSize", "page_token": "nextPageToken"}


def to_wire(value: Any) -> Any:
    """``value`` as JSON: models by the converter, mappings and lists item by item
    (a mapping's keys are taken as wire names already), enums by their value."""
    if attrs.has(type(value)):
        return converter.unstructure(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Mapping):
        return {key: to_wire(item) for key, item in value.items() if item is not NOT_GIVEN}
    if isinstance(value, (list, tuple)):
        return [to_wire(item) for item in value]
    return value


def file_input(
    value: FileArgument, method: str, argument: str = "file", *, also: Collection[str] = ()
) -> FileInput | Mapping[str, Any]:
    """A file argument as the request's file object: a URL (``http://``, ``https://``)
    becomes ``fileUrl``, any other string ``fileId``, a ``File`` its id; our
    ``FileInput`` and wire mappings are checked and taken as they are.

    A file object names its file exactly once (``fileUrl`` or ``fileId``) and has no key
    the API does not know (a misspelt ``fileURL`` would be sent as it is): ``also``
    names the keys a richer file object may add (a workflow file's ``outputs``).
    """
    if isinstance(value, str):
        if not value:
            raise ValueError(f"{method}(): {argument} must not be empty")
        if value.startswith(("http://", "https://")):
            return FileInput(file_url=value)
        return FileInput(file_id=value)
    if isinstance(value, File):
        return FileInput(file_id=value.id)
    if not isinstance(value, (FileInput, Mapping)):
        raise TypeError(
            f"{method}(): {argument} must be a file id, a URL, a File, a FileInput or a "
            f"mapping, got {type(value).__name__}"
        )
    wire = to_wire(value)
    unknown = sorted(set(wire) - _FILE_KEYS - set(also))
    if unknown:
        raise TypeError(f"{method}(): {argument}: unknown keys {unknown}")
    if sum(wire.get(key) is not None for key in ("fileUrl", "fileId")) != 1:
        raise ValueError(f"{method}(): {argument} needs exactly one of file_url, file_id")
    return value


def json_body(model: type[Any], method: str, **arguments: Any) -> dict[str, Any]:
    """The JSON body of ``method`` from its keyword arguments (snake_case names).

    ``model`` is the request's attrs class: the body is checked by structuring it into
    that class with the strict converter, so a wrong type anywhere (a string where the
    API wants an integer, a bad key in a nested config) is refused with its place.
    """
    document = {
        wire_name(name): to_wire(value)
        for name, value in arguments.items()
        if value is not NOT_GIVEN
    }
    try:
        converter.structure(document, model)
    except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise TypeError(f"{method}(): {_first_problem(exc)}") from None
    try:
        json.dumps(document)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{method}(): an argument is not JSON: {exc}") from None
    return document


def query(method: str, **params: Any) -> dict[str, str] | None:
    """The query string of ``method`` (None when empty): parameters left out or None
    are omitted; booleans are ``true``/``false``; ``page_size`` is ``maxPageSize``."""
    out: dict[str, str] = {}
    for name, value in params.items():
        if value is NOT_GIVEN or value is None:
            continue
        if name == "page_size" and not (
            isinstance(value, int) and not isinstance(value, bool) and value >= 1
        ):
            raise ValueError(f"{method}(): page_size must be an int >= 1, got {value!r}")
        key = _QUERY_NAMES.get(name) or wire_name(name)
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, enum.Enum):
            out[key] = str(value.value)
        elif isinstance(value, (str, int)):
            if value == "":
                raise ValueError(f"{method}(): {name} must not be empty")
            out[key] = str(value)
        else:
            raise TypeError(
                f"{method}(): {name} must be a string, a number or a boolean, got {value!r}"
            )
    return out or None


def _describe(exc: BaseException, _type: Any) -> str:
    """What our hooks said (``expected an integer, got str``), not cattrs' generic words."""
    if isinstance(exc, KeyError):
        return "required, but not given"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown keys {sorted(exc.extra_fields)}"
    return str(exc)


def _first_problem(exc: BaseException) -> str:
    """The first thing wrong with a body, named by argument (``priority: expected an
    integer, got str``; ``config.schema: ...``)."""
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        lines = transform_error(exc, path="$", format_exception=_describe)
        first = lines[0] if lines else str(exc)
        message, _, path = first.rpartition(" @ ")
        where = path.removeprefix("$").removeprefix(".")
        if message and where:
            return f"{where}: {message}"
        return message or first
    return f"{type(exc).__name__}: {exc}"
