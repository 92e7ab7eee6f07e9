"""Reading the models' field annotations: unions, optionals and open enums."""

from __future__ import annotations

import enum
import types
from typing import Any, Union, get_args, get_origin

__all__ = ["allows_none", "list_item", "non_none_args", "open_enum", "union_members"]

_NONE = type(None)


def _union_args(tp: Any) -> tuple[Any, ...] | None:
    return get_args(tp) if get_origin(tp) in (Union, types.UnionType) else None


def union_members(tp: Any) -> tuple[Any, ...]:
    """The members of a union (``()`` for a type that is no union)."""
    return _union_args(tp) or ()


def allows_none(tp: Any) -> bool:
    """Whether ``None`` is a value of ``tp`` (``X | None``)."""
    return _NONE in (_union_args(tp) or ())


def non_none_args(tp: Any) -> tuple[Any, ...]:
    """The members of a union other than ``None``; ``(tp,)`` for a type that is no union."""
    args = _union_args(tp)
    return (tp,) if args is None else tuple(arg for arg in args if arg is not _NONE)


def list_item(tp: Any) -> Any | None:
    """``X`` of ``list[X]``; None for any other type."""
    if get_origin(tp) is not list:
        return None
    args = get_args(tp)
    return args[0] if len(args) == 1 else None


def open_enum(tp: Any) -> type[enum.Enum] | None:
    """The enum of a field typed with an open enum (a ``str`` enum whose unknown values
    are kept, such as every ``ApiEnum``), alone or ``| None``. None for any other type."""
    args = non_none_args(tp)
    if len(args) != 1:
        return None
    [arg] = args
    if isinstance(arg, type) and issubclass(arg, str) and issubclass(arg, enum.Enum):
        return arg
    return None
