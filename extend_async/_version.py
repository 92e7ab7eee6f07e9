"""The package version and the User-Agent, computed once and only when first needed."""

from __future__ import annotations

import functools
import platform


@functools.cache
def package_version() -> str:
    """The installed distribution's version (importlib.metadata is imported lazily: it is slow)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("extend-async")
    except PackageNotFoundError:  # pragma: no cover - only in an uninstalled checkout
        return "0+unknown"


@functools.cache
def user_agent() -> str:
    """``extend-async/<v> python/<v> aiohttp/<v>``: lets the server tell SDKs and versions apart."""
    import aiohttp

    return (
        f"extend-async/{package_version()} "
        f"python/{platform.python_version()} aiohttp/{aiohttp.__version__}"
    )
