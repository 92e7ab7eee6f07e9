"""One anyio blocking portal (an event loop on a named daemon thread) per sync client.

Started on first use and held until ``close()``: a portal per call would pay loop
start-up on every call and strand the aiohttp session on a dead loop. The portal is
shared by a client and its ``with_options`` siblings. A client dropped without
``close()`` is closed when it is garbage-collected (with a ``ResourceWarning``), and
one still open at interpreter exit is closed then, with a bounded wait.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import os
import threading
import warnings
import weakref
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from .errors import ClientClosedError, ExtendError

if TYPE_CHECKING:
    from anyio.from_thread import BlockingPortal

__all__ = ["PortalRunner"]

T = TypeVar("T")
P = ParamSpec("P")

_EXIT_CLOSE_SECONDS = 2.0
_live_runners: weakref.WeakSet[PortalRunner] = weakref.WeakSet()
#: Portal contexts that must never be finalised where they are dropped: a forked
#: child's (its thread does not exist there) and a garbage-collected client's (the
#: collection may run on the portal thread itself). Exiting one waits for its thread.
_orphaned_after_fork: list[object] = []
_reaped: list[_Running] = []


class _Running:
    """The portal of one client while it runs, shared with its garbage-collection hook."""

    __slots__ = ("background", "closed", "context", "loop", "portal", "thread_id")

    def __init__(self) -> None:
        self.context: AbstractContextManager[BlockingPortal] | None = None
        self.portal: BlockingPortal | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread_id: int | None = None
        self.closed = False
        #: Fire-and-forget work (closing a dropped iterator), kept alive until done.
        self.background: set[asyncio.Task[Any]] = set()


class PortalRunner:
    """Runs coroutine functions from any thread on the client's own portal loop."""

    def __init__(self, close_async: Callable[[], Awaitable[None]], on_fork: Callable[[], None]):
        self._close_async = close_async
        self._on_fork = on_fork
        self._lock = threading.Lock()
        self._state = _Running()
        finalizer = weakref.finalize(self, _close_dropped, self._state, close_async)
        finalizer.atexit = False  # exit has its own, bounded close (_close_live_runners)
        _live_runners.add(self)

    @property
    def closed(self) -> bool:
        return self._state.closed

    def _get_loop(self) -> asyncio.AbstractEventLoop:
        state = self._state
        loop = state.loop
        if loop is not None:
            return loop
        with self._lock:
            if state.closed:
                raise ClientClosedError("this client is closed; create a new one")
            if state.loop is None:
                from anyio.from_thread import start_blocking_portal

                context = start_blocking_portal("asyncio", name="extend-async-portal")
                portal = context.__enter__()
                state.thread_id = portal.call(threading.get_ident)
                state.portal, state.context = portal, context
                state.loop = portal.call(asyncio.get_running_loop)
            return state.loop

    def run(self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``await fn(*args, **kwargs)`` on the portal loop and block for its result.

        One thread hand-off per call: the coroutine is started straight on the portal's
        loop (anyio's ``start_task_soon`` would wait for the task to start first, a
        second hand-off that costs more than the rest of the bridge). Interrupting the
        wait (Ctrl-C) cancels the task instead of leaving it running behind the caller;
        the future exists before the hand-off, so an interrupt at any moment finds it.
        """
        loop = self._get_loop()
        if threading.get_ident() == self._state.thread_id:
            raise ExtendError(
                "a blocking Extend method was called from its own event loop thread "
                "(for example from a callback); use AsyncExtend there"
            )
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        started: list[asyncio.Task[T]] = []

        async def invoke() -> T:
            return await fn(*args, **kwargs)

        def start() -> None:  # on the portal loop
            if future.set_running_or_notify_cancel():  # False: interrupted before it began
                task = loop.create_task(invoke())
                started.append(task)
                task.add_done_callback(partial(_deliver, future))

        try:
            loop.call_soon_threadsafe(start)
            return future.result()
        except RuntimeError:
            if self._state.closed or loop.is_closed():
                raise ClientClosedError("this client is closed; create a new one") from None
            raise
        except BaseException:
            if not future.cancel():  # already running: cancel the task on its own loop
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(lambda: [task.cancel() for task in started])
            raise

    def run_soon(self, fn: Callable[[], Awaitable[object]]) -> None:
        """Start ``fn()`` on the portal loop and return at once (nothing if the portal
        is not running): for cleanup that nobody waits for."""
        state = self._state
        loop = state.loop
        if loop is None or state.closed:
            return

        async def invoke() -> None:
            await fn()

        def start() -> None:
            task = loop.create_task(invoke())
            state.background.add(task)
            task.add_done_callback(state.background.discard)

        with contextlib.suppress(RuntimeError):  # the loop is already gone
            loop.call_soon_threadsafe(start)

    def close(self, timeout: float | None = None) -> None:
        """Close the async client inside the portal, then stop the portal and join its thread.

        With a ``timeout``, a close that takes longer cancels what is still running.
        """
        state = self._state
        with self._lock:
            if state.closed:
                return
            state.closed = True
            context, portal = state.context, state.portal
        if context is None or portal is None:
            return
        state.portal = None
        state.context = None
        state.loop = None
        try:
            portal.start_task_soon(_close_and_settle, self._close_async).result(timeout)
        except BaseException as exc:
            context.__exit__(type(exc), exc, exc.__traceback__)  # cancels leftover tasks
            raise
        context.__exit__(None, None, None)

    def _close_at_exit(self) -> None:
        with contextlib.suppress(Exception):  # best effort while the interpreter exits
            self.close(timeout=_EXIT_CLOSE_SECONDS)

    def _reset_after_fork(self) -> None:
        # The portal thread does not exist in the child; start afresh there. The old
        # portal context must never be finalised (its exit would wait on the dead
        # thread for ever), so it is kept, unused, for the life of the child.
        state = self._state
        if state.context is not None:
            _orphaned_after_fork.append(state.context)
        self._lock = threading.Lock()
        state.portal = None
        state.context = None
        state.loop = None
        state.thread_id = None
        self._on_fork()


def _deliver(future: concurrent.futures.Future[T], task: asyncio.Task[T]) -> None:
    """Hand a finished portal task's outcome to the waiting thread."""
    if task.cancelled():
        future.set_exception(asyncio.CancelledError())
    elif (error := task.exception()) is not None:
        future.set_exception(error)
    else:
        future.set_result(task.result())


async def _close_and_settle(close_async: Callable[[], Awaitable[None]]) -> None:
    await close_async()
    # Let transports finish closing before the loop stops ("unclosed transport").
    await asyncio.sleep(0)


def _close_dropped(state: _Running, close_async: Callable[[], Awaitable[None]]) -> None:
    """A client was garbage-collected unclosed: close its session and stop its portal.

    This may run on any thread, the portal's own included, so nothing here waits:
    the close is handed to the portal loop, which then stops itself; the thread is
    joined at exit. Warned about last, so that an error-raising warning filter (a test
    suite's ``-W error``) still leaves the client closed.
    """
    if state.closed or state.loop is None or state.portal is None or state.context is None:
        return
    state.closed = True
    portal, loop = state.portal, state.loop

    async def close_and_stop() -> None:
        await _close_and_settle(close_async)
        await portal.stop()

    def start() -> None:
        task = loop.create_task(close_and_stop())
        state.background.add(task)
        task.add_done_callback(state.background.discard)

    with contextlib.suppress(RuntimeError):  # the loop is already gone
        loop.call_soon_threadsafe(start)
    _reaped.append(state)
    warnings.warn(
        "an Extend client was garbage-collected without close(); it was closed now. "
        "Use `with Extend() as client:` or call client.close().",
        ResourceWarning,
        stacklevel=1,
    )


@atexit.register
def _close_live_runners() -> None:
    for runner in list(_live_runners):
        runner._close_at_exit()
    while _reaped:
        context = _reaped.pop().context
        if context is not None:
            with contextlib.suppress(Exception):
                context.__exit__(None, None, None)


def _after_fork_in_child() -> None:
    _orphaned_after_fork.extend(_reaped)  # their threads are the parent's
    _reaped.clear()
    for runner in list(_live_runners):
        runner._reset_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
