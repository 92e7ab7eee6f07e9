"""argparse ``type=`` functions shared by every command.

A bad value is refused while parsing, as a usage error naming its argument
(``argument --port: must be ...``), before anything reaches the library.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yarl

from ..webhooks._signature import check_secret

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


def priority(text: str) -> int:
    """A run's priority: 1 (first) to 100 (last), as the API takes it."""
    return _parse(text, int, lambda n: 1 <= n <= 100, "a whole number from 1 to 100")


def json_object(text: str) -> dict[str, Any]:
    """A JSON object (``{"key": "value"}``): metadata is a mapping, never a bare value."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"must be a JSON object, got {text!r}")
    return value


def http_url(text: str) -> str:
    """An absolute ``http://`` or ``https://`` URL with a host (as the fake's
    ``webhooks.add_endpoint`` takes it)."""
    try:
        url = yarl.URL(text)
    except ValueError:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise argparse.ArgumentTypeError(f"must be an http(s) URL, got {text!r}")
    return text


def webhook_secret(text: str) -> str:
    """A signing secret the fake's endpoints can sign with (checked as theirs is, so a
    stray newline is a usage error, not a failure once the fake is seeded)."""
    try:
        check_secret(non_empty(text))
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None
    return text


def readable_file(text: str) -> Path:
    """A path to a file this process can read (not a directory): a typo is refused
    before any upload starts, not halfway through the others."""
    path = Path(non_empty(text))
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file: {text!r}")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"is a directory, not a file: {text!r}")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"cannot be read (permission denied): {text!r}")
    return path


def one_of(choices: Iterable[str]) -> Callable[[str], str]:
    """A value out of ``choices``, in any case (``processed`` is ``PROCESSED``); the
    function says which when it refuses one. Used for the API's enums, with their
    known values: a filter the server would refuse is refused here, by its option."""
    known = {choice.lower(): choice for choice in choices}

    def check(text: str) -> str:
        found = known.get(text.lower())
        if found is None:
            raise argparse.ArgumentTypeError(
                f"must be one of {', '.join(known.values())}, got {text!r}"
            )
        return found

    return check


class AppendAtMost(argparse.Action):
    """``action="append"`` that refuses more than ``limit`` values, naming the option."""

    def __init__(self, *args: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        items = [*(getattr(namespace, self.dest, None) or []), values]
        if len(items) > self.limit:
            raise argparse.ArgumentError(self, f"at most {self.limit} per call")
        setattr(namespace, self.dest, items)


class Once(argparse.Action):
    """``action="store"`` that refuses the option a second time, instead of keeping the
    last value: a second ``--file`` would otherwise drop the first without a word."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest, None) is not None:
            raise argparse.ArgumentError(self, "takes one value: give it once")
        setattr(namespace, self.dest, values)
