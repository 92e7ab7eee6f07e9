"""Presigned URLs for signed-URL webhook deliveries, served as S3 would serve them.

The payloads live on a host of their own (a second loopback site, started on first
use), with no authentication, each behind an unguessable key that expires an hour
after it was made on the fake's clock: past that, 403 as S3 answers an expired URL.
"""

from __future__ import annotations

import asyncio
import random
import string
from typing import Final

import yarl
from aiohttp import web

from .._clock import Clock

__all__ = ["URL_LIFETIME", "PresignedPayloads"]

#: Seconds a presigned URL stays valid (the API reference: one hour).
URL_LIFETIME: Final = 3600.0
_KEY_ALPHABET = string.ascii_letters + string.digits


class PresignedPayloads:
    """The payloads behind presigned URLs. Used on the fake's event loop only."""

    def __init__(self, clock: Clock, host: str, rng: random.Random) -> None:
        self._clock = clock
        self._host = host
        self._rng = rng
        #: key -> (JSON payload, expiry on the fake's clock)
        self._items: dict[str, tuple[bytes, float]] = {}
        self._runner: web.AppRunner | None = None
        self._base: yarl.URL | None = None
        self._starting = asyncio.Lock()  # deliveries run side by side: one site only

    async def publish(self, payload: bytes) -> str:
        """A URL serving ``payload`` for the next hour (the site starts on first use)."""
        async with self._starting:
            base = self._base or await self._start()
        now = self._clock.monotonic()
        for key in [key for key, (_, expiry) in self._items.items() if expiry < now]:
            del self._items[key]  # S3 forgets too: an old key is then a 404
        key = "".join(self._rng.choices(_KEY_ALPHABET, k=32))
        self._items[key] = (payload, now + URL_LIFETIME)
        return str((base / "payloads" / f"{key}.json").with_query({"expires": int(URL_LIFETIME)}))

    async def _start(self) -> yarl.URL:
        app = web.Application()
        app.router.add_get("/payloads/{key}.json", self._serve)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, 0).start()
        except BaseException:
            await runner.cleanup()
            raise
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self._base = yarl.URL.build(scheme="http", host=host, port=port)
        return self._base

    async def _serve(self, request: web.Request) -> web.Response:
        stored = self._items.get(request.match_info["key"])
        if stored is None:
            return web.Response(status=404, text="NoSuchKey: the specified key does not exist")
        payload, expiry = stored
        if self._clock.monotonic() > expiry:
            return web.Response(status=403, text="AccessDenied: Request has expired")
        return web.Response(body=payload, content_type="application/json")

    async def stop(self) -> None:
        """Stop serving (idempotent)."""
        runner, self._runner, self._base = self._runner, None, None
        if runner is not None:
            await runner.cleanup()
