"""Pieces shared by every model module."""

from __future__ import annotations

import enum

__all__ = ["ApiEnum"]


class ApiEnum(str, enum.Enum):
    """Base of the API's enums: members compare equal to their wire strings.

    Fields typed ``SomeEnum | str`` keep a value the server added after this release
    as the raw string instead of failing, as Extend's versioning policy requires.
    """

    def __str__(self) -> str:
        return str(self.value)
