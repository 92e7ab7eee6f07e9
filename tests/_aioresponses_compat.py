"""Test-only shim: aioresponses 0.7.9 on aiohttp >= 3.14.

aiohttp 3.14 made ``stream_writer`` a required keyword of ``ClientResponse``;
aioresponses 0.7.9 (its latest release) does not pass it, so every mocked reply
raised TypeError. We keep the newest aiohttp (what users install) and give
aioresponses a response class that supplies a finished writer. Nothing of this
reaches the package; the loopback tests cover what aioresponses bypasses.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import aiohttp
import aioresponses.core
import yarl


class _CompatClientResponse(aiohttp.ClientResponse):
    def __init__(self, method: str, url: yarl.URL, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", types.SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


def install() -> None:
    """Patch aioresponses when (and only when) the installed aiohttp needs it."""
    if "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters:
        aioresponses.core.ClientResponse = _CompatClientResponse  # type: ignore[misc]
