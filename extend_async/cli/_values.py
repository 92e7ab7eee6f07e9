"""argparse ``type=`` functions shared by every command.

A bad value is refused while parsing, as a usage error naming its argument
(``argument --port: must be ...``), before anything reaches the library.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T", int, float)


def _parse(text: str, convert: Callable[[str], _T], ok: Callable[[_T], bool], expected: str) -> _T:
    """``text`` converted, if it converts and passes ``ok``; else say what was expected."""
    try:
        value = convert(text)
    except ValueError:
        pass
    else:
        if ok(value):
            return value
    raise argparse.ArgumentTypeError(f"must be {expected}, got {text!r}")


def non_empty(text: str) -> str:
    """A string that must say something: an empty one is usually an unset shell variable."""
    if not text:
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def count(text: str) -> int:
    """A whole number >= 0."""
    return _parse(text, int, lambda n: n >= 0, "a whole number >= 0")


def positive_count(text: str) -> int:
    """A whole number >= 1."""
    return _parse(text, int, lambda n: n >= 1, "a whole number >= 1")


def port_number(text: str) -> int:
    """A TCP port; 0 lets the system pick a free one."""
    return _parse(text, int, lambda n: 0 <= n <= 65535, "a port number from 0 to 65535")


def seconds(text: str) -> float:
    """A finite duration >= 0."""
    return _parse(text, float, lambda s: math.isfinite(s) and s >= 0, "a number of seconds >= 0")


def positive_seconds(text: str) -> float:
    """A finite duration > 0 (nan and inf are refused: neither is a time limit)."""
    return _parse(text, float, lambda s: math.isfinite(s) and s > 0, "a positive number of seconds")


def fraction(text: str) -> float:
    """A share from 0 to 1."""
    return _parse(text, float, lambda f: 0 <= f <= 1, "a number from 0 to 1")
