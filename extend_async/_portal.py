"""One anyio blocking portal (an event loop on a named daemon thread) per sync client.

Started on first use and held until ``close()``: a portal per call would pay loop
start-up on every call and strand the aiohttp session on a dead loop. The portal is
shared by a client and its ``with_options`` siblings.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import threading
import weakref
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from .errors import ClientClosedError, ExtendError

if TYPE_CHECKING:
    from anyio.from_thread import BlockingPortal

__all__ = ["PortalRunner"]

T = TypeVar("T")
P = ParamSpec("P")

_EXIT_CLOSE_SECONDS = 2.0
_live_runners: weakref.WeakSet[PortalRunner] = weakref.WeakSet()


class PortalRunner:
    """Runs coroutine functions from any thread on the client's own portal loop."""

    def __init__(self, close_async: Callable[[], Awaitable[None]], on_fork: Callable[[], None]):
        self._close_async = close_async
        self._on_fork = on_fork
        self._lock = threading.Lock()
        self._context: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None
        self._closed = False
        _live_runners.add(self)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def started(self) -> bool:
        return self._portal is not None

    def _get_portal(self) -> BlockingPortal:
        portal = self._portal
        if portal is not None:
            return portal
        with self._lock:
            if self._closed:
                raise ClientClosedError("this client is closed; create a new one")
            if self._portal is None:
                from anyio.from_thread import start_blocking_portal

                context = start_blocking_portal("asyncio", name="extend-async-portal")
                self._portal = context.__enter__()
                self._context = context
            return self._portal

    def run(self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``await fn(*args, **kwargs)`` on the portal loop and block for its result.

        Interrupting the wait (Ctrl-C) cancels the task on the portal instead of leaving
        it running behind the caller's back.
        """
        portal = self._get_portal()

        async def invoke() -> T:
            return await fn(*args, **kwargs)

        try:
            future = portal.start_task_soon(invoke)
        except RuntimeError:
            if self._closed:
                raise ClientClosedError("this client is closed; create a new one") from None
            if _on_portal_thread(portal):
                raise ExtendError(
                    "a blocking Extend method was called from its own event loop thread "
                    "(for example from a callback); use AsyncExtend there"
                ) from None
            raise
        try:
            return future.result()
        except BaseException:
            future.cancel()
            raise

    def close(self, timeout: float | None = None) -> None:
        """Close the async client inside the portal, then stop the portal and join its thread.

        With a ``timeout``, a close that takes longer cancels what is still running.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            context, portal = self._context, self._portal
        if context is None or portal is None:
            return
        self._portal = None
        self._context = None
        try:
            portal.start_task_soon(self._close_and_settle).result(timeout)
        except BaseException as exc:
            context.__exit__(type(exc), exc, exc.__traceback__)  # cancels leftover tasks
            raise
        context.__exit__(None, None, None)

    async def _close_and_settle(self) -> None:
        await self._close_async()
        # Let transports finish closing before the loop stops ("unclosed transport").
        await asyncio.sleep(0)

    def _close_at_exit(self) -> None:
        with contextlib.suppress(Exception):  # best effort while the interpreter exits
            self.close(timeout=_EXIT_CLOSE_SECONDS)

    def _reset_after_fork(self) -> None:
        # The portal thread does not exist in the child; start afresh there.
        self._lock = threading.Lock()
        self._portal = None
        self._context = None
        self._on_fork()


def _on_portal_thread(portal: BlockingPortal) -> bool:
    try:
        portal.call(asyncio.sleep, 0)
    except RuntimeError:
        return True
    return False


@atexit.register
def _close_live_runners() -> None:
    for runner in list(_live_runners):
        runner._close_at_exit()


def _after_fork_in_child() -> None:
    for runner in list(_live_runners):
        runner._reset_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
