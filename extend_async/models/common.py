"""Pieces shared by every model module."""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["ApiEnum"]


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
