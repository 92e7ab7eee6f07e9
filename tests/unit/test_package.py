"""The package surface: exports, version and the real clock."""

from __future__ import annotations

import re
import time
from importlib.metadata import requires, version

import pytest

import extend_async
from extend_async import SystemClock
from extend_async._version import user_agent


def test_every_exported_name_exists() -> None:
    missing = [name for name in extend_async.__all__ if not hasattr(extend_async, name)]

    assert missing == []


def test_the_version_is_the_installed_distribution() -> None:
    assert extend_async.__version__ == version("extend-async")
    assert user_agent().startswith(f"extend-async/{extend_async.__version__} python/")


def test_the_runtime_needs_only_its_four_dependencies_and_msgspec_is_an_extra() -> None:
    by_extra: dict[str, set[str]] = {}
    for requirement in requires("extend-async") or []:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement)
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", requirement)
        assert name is not None, requirement
        by_extra.setdefault(extra.group(1) if extra else "", set()).add(name.group(0))

    assert by_extra == {"": {"aiohttp", "attrs", "cattrs", "anyio"}, "speedups": {"msgspec"}}


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'extend_async' has no attribute 'nope'"):
        extend_async.nope  # noqa: B018


async def test_the_system_clock_is_monotonic_time() -> None:
    clock = SystemClock()

    before = time.monotonic()
    reading = clock.monotonic()
    await clock.sleep(0)

    assert before <= reading <= time.monotonic()
