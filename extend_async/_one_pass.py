"""One-pass structuring functions for attrs models, generated once per class.

cattrs' generated function calls a hook for every field and keeps per-field error
bookkeeping; for a run of a dozen fields that is most of what a response costs. The
function made here reads every key, checks the common case inline (``type(v) is str``)
and builds the instance in one go. Anything else (a value of another type, a missing
key, any exception) hands the whole document to the converter's checked function,
which converts what it may and raises the detailed error with the field's path. The
result is therefore always what the checked function gives: only faster when the body
is as documented.
"""

from __future__ import annotations

import itertools
import sys
import types
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import attrs

from ._typeinfo import allows_none, list_item, non_none_args, open_enum

__all__ = ["make_one_pass_fn"]

Hook = Callable[[Any, Any], Any]

#: Types whose instances are checked inline; a JSON value of exactly this type needs no hook.
_INLINE_TYPES = (str, int, float, bool)
_MISSING = object()
#: From 3.11 ``fromisoformat`` reads every RFC 3339 form the API sends (``Z`` included),
#: so a timestamp is parsed inline; before, the hook normalises it first.
_INLINE_DATETIME = sys.version_info >= (3, 11)


def make_one_pass_fn(
    cls: type[Any],
    checked: Hook,
    hook_for: Callable[[Any], Hook],
    wire_name: Callable[[str], str],
) -> Hook | None:
    """A fast structuring function for ``cls`` that falls back to ``checked``.

    ``hook_for`` gives the converter's hook for a field type and ``wire_name`` the JSON
    key of an attribute. None when ``cls`` has a field this generator does not handle
    (then ``checked`` alone is the hook).
    """
    namespace: dict[str, Any] = {
        "cls": cls,
        "checked": checked,
        "MISSING": _MISSING,
        "fromiso": datetime.fromisoformat,
        "UTC": timezone.utc,
    }
    body: list[str] = []
    positional: list[str] = []
    keywords: list[str] = []
    counter = itertools.count()
    for field in attrs.fields(attrs.resolve_types(cls)):
        if not field.init:
            continue
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            return None  # rare in response models; the checked function knows them
        n = next(counter)
        var, key = f"v{n}", repr(wire_name(field.name))
        tp = field.type
        optional = field.default is None and allows_none(tp)
        if optional and len(non_none_args(tp)) == 1:
            # None is handled inline, so a present value goes straight to the hook of X
            # (of ``X | None``): one call fewer per value.
            [tp] = non_none_args(tp)
        namespace[f"h{n}"], namespace[f"t{n}"] = hook_for(tp), tp
        convert = _convert_lines(var, n, tp, namespace)
        indented = [f"    {line}" for line in convert]
        if field.default is attrs.NOTHING:
            body += [f"{var} = o[{key}]", *convert]
        elif optional:
            body += [f"{var} = o.get({key})", f"if {var} is not None:", *indented]
        else:  # a key left out takes the default as is, unchecked, as attrs would
            namespace[f"d{n}"] = field.default
            body += [
                f"{var} = o.get({key}, MISSING)",
                f"if {var} is MISSING:",
                f"    {var} = d{n}",
                "else:",
                *indented,
            ]
        if field.kw_only:
            keywords.append(f"{field.alias}={var}")
        else:
            positional.append(var)
    source = "\n".join(
        [
            "def structure(o, _=None):",
            "    try:",
            *(f"        {line}" for line in body),
            *(f"        {line}" for line in _construct(cls, positional, keywords, namespace)),
            "    except Exception:",
            "        pass",
            "    return checked(o, cls)",
        ]
    )
    exec(compile(source, f"<one-pass structure {cls.__qualname__}>", "exec"), namespace)
    function: Hook = namespace["structure"]
    return function


def _construct(
    cls: type[Any], positional: list[str], keywords: list[str], namespace: dict[str, Any]
) -> list[str]:
    """The statements that make the instance from the converted values.

    A slotted class whose ``__init__`` only stores its arguments (no validator,
    converter or post-init hook) is filled without ``__init__``. A frozen class refuses
    plain attribute stores, so the instance starts as the class's builder (below),
    takes each value by a plain store and then becomes ``cls``: what ``__init__`` does,
    without its argument parsing and a call of ``object.__setattr__`` per field. Any
    other class, or one that has no builder, is called.
    """
    fields = attrs.fields(cls)
    slots = [getattr(cls, f.name, None) for f in fields]
    plain = (
        all(isinstance(slot, types.MemberDescriptorType) for slot in slots)
        and all(f.init and f.validator is None and f.converter is None for f in fields)
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and "__attrs_cached_hash__" not in getattr(cls, "__slots__", ())
    )
    builder = _builder(cls) if plain else None
    if builder is None:
        return [f"return cls({', '.join(positional + keywords)})"]
    namespace["new"], namespace["builder"] = object.__new__, builder
    stores = [f"i.{field.name} = v{n}" for n, field in enumerate(fields)]  # all are init
    return ["i = new(builder)", *stores, "i.__class__ = cls", "return i"]


def _builder(cls: type[Any]) -> type[Any] | None:
    """A subclass of ``cls`` that adds no slot and stores attributes as ``object`` does.

    Setting both ``__setattr__`` and ``__delattr__`` back to ``object``'s gives the type
    the interpreter's generic attribute store, the one it specialises for slots, and
    adding nothing keeps the layout, so an instance may change its class to ``cls``
    once filled. None when ``cls`` refuses the subclass or the change of class
    (checked once, here).
    """
    try:
        builder = type(
            f"{cls.__name__}Builder",
            (cls,),
            {
                "__slots__": (),
                "__module__": cls.__module__,
                "__setattr__": object.__setattr__,
                "__delattr__": object.__delattr__,
            },
        )
        probe: Any = object.__new__(builder)
        probe.__class__ = cls
    except TypeError:  # a class that refuses subclasses, or the change of class
        return None
    return builder


def _convert_lines(var: str, n: int, tp: Any, namespace: dict[str, Any]) -> list[str]:
    """The statements that turn the JSON value in ``var`` into the field's value."""
    hook = f"{var} = h{n}({var}, t{n})"
    if tp is datetime and _INLINE_DATETIME:  # a timestamp: naive values are UTC
        return [
            f"if type({var}) is str:",
            f"    {var} = fromiso({var})",
            f"    if {var}.tzinfo is None: {var} = {var}.replace(tzinfo=UTC)",
            "else:",
            f"    {hook}",
        ]
    inline = _inline_type(tp)
    if inline is float:  # JSON writes whole numbers as ints: 12 for 12.0
        widen = f"float({var}) if type({var}) is int else h{n}({var}, t{n})"
        return [f"if type({var}) is not float: {var} = {widen}"]
    if inline is not None:
        namespace[f"k{n}"] = inline
        return [f"if type({var}) is not k{n}: {hook}"]
    enum_cls = open_enum(tp)
    if enum_cls is not None:
        namespace[f"m{n}"] = enum_cls._value2member_map_
        # Known values by one dict lookup; anything else (an unknown value, a non-string)
        # through the hook, which makes the member or raises (an unhashable value raises
        # in the lookup: the checked function then gives the error).
        return [
            f"e{n} = m{n}.get({var})",
            f"{var} = e{n} if e{n} is not None else h{n}({var}, t{n})",
        ]
    item = _inline_list_item(tp)
    if item is not None:  # a copy when every item is exactly ``item``, else the hook
        namespace[f"k{n}"] = item
        return [
            f"if type({var}) is list:",
            f"    for x in {var}:",
            f"        if type(x) is not k{n}:",
            f"            {hook}",
            "            break",
            "    else:",
            f"        {var} = {var}[:]",
            "else:",
            f"    {hook}",
        ]
    return [hook]


def _inline_list_item(tp: Any) -> type | None:
    """``X`` of ``list[X]`` (or ``list[X] | None``) for ``str``, ``int`` or ``bool``."""
    args = non_none_args(tp)
    item = list_item(args[0]) if len(args) == 1 else None
    return item if item in (str, int, bool) else None


def _inline_type(tp: Any) -> type | None:
    """``str``, ``int``, ``float``, ``bool``, or one of them ``| None``: checked inline."""
    args = non_none_args(tp)
    return args[0] if len(args) == 1 and args[0] in _INLINE_TYPES else None
