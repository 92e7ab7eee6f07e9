"""Pieces shared by every model module."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Final, Generic, TypeAlias, TypeVar

import attrs

__all__ = [
    "NOT_GIVEN",
    "UNIONS",
    "ApiEnum",
    "JsonObject",
    "NotGiven",
    "Omittable",
    "Page",
    "RawJson",
    "SortBy",
    "SortDirection",
    "union_of",
]


class ApiEnum(str, enum.Enum):
    """Base of the API's enums: members compare equal to their wire strings.

    The enums are open, as Extend's versioning policy requires: a value the server
    added after this release becomes a member made on the spot (``Status("ARCHIVED")``
    has ``.value == "ARCHIVED"``) instead of an error, so a field typed ``Status``
    completes the known values in editors and still keeps an unknown one. Such a
    member is not listed by ``list(Status)`` and is made anew each time it is parsed,
    so the set of members never grows with what a server sends.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """False for a value this release does not know (the server added it)."""
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return str(self.value)

    # Hash by value, as equality is by value: a member and its string are one dict key.
    __hash__ = str.__hash__


class SortBy(ApiEnum):
    """What a list is sorted by."""

    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"


class SortDirection(ApiEnum):
    """Which way a list is sorted: ``asc`` is earliest first."""

    ASC = "asc"
    DESC = "desc"


class NotGiven:
    """The type of :data:`NOT_GIVEN`: an argument left out, as opposed to ``None``.

    A request leaves out every argument that was not given, and sends ``None`` as
    JSON ``null``: for an update, "do not touch" and "clear" are different requests.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


#: An argument left out of a request (the default of every optional argument).
NOT_GIVEN: Final = NotGiven()

T = TypeVar("T")

#: An optional request argument: a value, ``None`` (sent as ``null``) or left out.
Omittable: TypeAlias = T | NotGiven | None

#: Free-form JSON (metadata, JSON Schemas, extracted values): kept as parsed.
JsonObject: TypeAlias = dict[str, Any]


@attrs.frozen
class RawJson:
    """Base of the models that keep a JSON object of a shape this release does not know
    (a new config type, an output of another form) exactly as the server sent it.

    ``raw`` is the object; converting the model back to JSON gives it unchanged.
    """

    raw: JsonObject


#: How each union of the models is structured: union -> (chooser, fallback class).
UNIONS: dict[Any, tuple[Callable[[Any], type[Any]], type[Any] | None]] = {}


def union_of(
    union: Any, choose: Callable[[Any], type[Any]], *, fallback: type[Any] | None = None
) -> None:
    """Declare how a union of models is told apart: ``choose(json)`` names the member
    (by a tag such as ``type``, or by shape). With a ``fallback``, a value the chosen
    member cannot take is kept as that (a :class:`RawJson`) instead of failing."""
    UNIONS[union] = (choose, fallback)


@attrs.frozen
class Page(Generic[T]):
    """One page of a list: its items, and the token of the next page (None at the end)."""

    items: list[T]
    next_page_token: str | None = None
