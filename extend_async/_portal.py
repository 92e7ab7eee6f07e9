"""One anyio blocking portal (an event loop on a named daemon thread) per sync client.

Started on first use and held until ``close()``: a portal per call would pay loop
start-up on every call and strand the aiohttp session on a dead loop. The portal is
shared by a client and its ``with_options`` siblings.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
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
_orphaned_after_fork: list[object] = []


class PortalRunner:
    """Runs coroutine functions from any thread on the client's own portal loop."""

    def __init__(self, close_async: Callable[[], Awaitable[None]], on_fork: Callable[[], None]):
        self._close_async = close_async
        self._on_fork = on_fork
        self._lock = threading.Lock()
        self._context: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread_id: int | None = None
        self._closed = False
        _live_runners.add(self)

    @property
    def closed(self) -> bool:
        return self._closed

    def _get_loop(self) -> asyncio.AbstractEventLoop:
        loop = self._loop
        if loop is not None:
            return loop
        with self._lock:
            if self._closed:
                raise ClientClosedError("this client is closed; create a new one")
            if self._loop is None:
                from anyio.from_thread import start_blocking_portal

                context = start_blocking_portal("asyncio", name="extend-async-portal")
                portal = context.__enter__()
                self._thread_id = portal.call(threading.get_ident)
                self._portal, self._context = portal, context
                self._loop = portal.call(asyncio.get_running_loop)
            return self._loop

    def run(self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``await fn(*args, **kwargs)`` on the portal loop and block for its result.

        One thread hand-off per call: the coroutine is submitted straight to the portal's
        loop (anyio's ``start_task_soon`` would wait for the task to start first, a
        second hand-off that costs more than the rest of the bridge). Interrupting the
        wait (Ctrl-C) cancels the task instead of leaving it running behind the caller.
        """
        loop = self._get_loop()
        if threading.get_ident() == self._thread_id:
            raise ExtendError(
                "a blocking Extend method was called from its own event loop thread "
                "(for example from a callback); use AsyncExtend there"
            )

        async def invoke() -> T:
            return await fn(*args, **kwargs)

        future: concurrent.futures.Future[T] | None = None
        try:
            future = asyncio.run_coroutine_threadsafe(invoke(), loop)
            return future.result()
        except RuntimeError:
            if self._closed or loop.is_closed():
                raise ClientClosedError("this client is closed; create a new one") from None
            raise
        except BaseException:
            if future is not None:
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
        self._loop = None
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
        # The portal thread does not exist in the child; start afresh there. The old
        # portal context must never be finalised (its exit would wait on the dead
        # thread for ever), so it is kept, unused, for the life of the child.
        if self._context is not None:
            _orphaned_after_fork.append(self._context)
        self._lock = threading.Lock()
        self._portal = None
        self._context = None
        self._loop = None
        self._thread_id = None
        self._on_fork()


@atexit.register
def _close_live_runners() -> None:
    for runner in list(_live_runners):
        runner._close_at_exit()


def _after_fork_in_child() -> None:
    for runner in list(_live_runners):
        runner._reset_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
