"""A webhook endpoint on loopback for tests: it records every delivery and answers
with the statuses it is given in turn (then 200), or holds them unanswered."""

from __future__ import annotations

import asyncio

import attrs
from aiohttp import web
from multidict import CIMultiDict


@attrs.frozen
class Seen:
    """One request as the endpoint received it."""

    method: str
    path: str
    headers: CIMultiDict[str]
    body: bytes


class Receiver:
    """``async with Receiver() as receiver:`` then deliver to ``receiver.url``."""

    def __init__(self, handler: web.Handler | None = None) -> None:
        self.seen: list[Seen] = []
        #: Statuses to answer with, one per request; 200 once they run out.
        self.statuses: list[int] = []
        #: When given, requests are answered only once it is set.
        self.release: asyncio.Event | None = None
        #: Set once a first request has arrived.
        self.arrived = asyncio.Event()
        self._handler = handler
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _record(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.seen.append(Seen(request.method, request.path, CIMultiDict(request.headers), body))
        self.arrived.set()
        if self.release is not None:
            await self.release.wait()
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, text="ok" if status < 300 else "no")

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self._handler or self._record)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/hook"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.release is not None:
            self.release.set()  # nothing stays parked past the test
        assert self._runner is not None
        await self._runner.cleanup()
