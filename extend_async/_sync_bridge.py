"""Deriving blocking methods from async ones, with their real signatures.

A sync resource declares one line per method, ``get = sync_method(AsyncX.get)``; the
descriptor runs the very same coroutine on the client's portal. ``ParamSpec`` carries
the parameters through, so mypy and IDEs see ``get(id: str) -> BatchProcessorRun``.
A method returning an async iterator becomes one returning a plain iterator
(``sync_iterator_method``) that fetches one item per portal call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Generic,
    Literal,
    ParamSpec,
    Protocol,
    TypeVar,
    cast,
    overload,
)

from ._endpoint import ApiMethod, APIResponse
from .polling import DEFAULT_POLL, AsyncPolling, PollPolicy, Progress

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._portal import PortalRunner

__all__ = [
    "SyncIterator",
    "SyncPolling",
    "SyncResource",
    "sync_iterator_method",
    "sync_method",
]

A = TypeVar("A")
P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class SyncResource(Generic[A]):
    """Base of the blocking resources: an async resource plus the portal to run it on."""

    def __init__(self, async_resource: A, runner: PortalRunner) -> None:
        self._async = async_resource
        self._runner = runner


class _Bound:
    """What every derived method holds: the sync resource and the async method's name."""

    __slots__ = ("_name", "_resource")

    def __init__(self, resource: SyncResource[Any], name: str) -> None:
        self._resource = resource
        self._name = name


class BoundSyncMethod(_Bound, Generic[P, T]):
    """A blocking call of one async method."""

    __slots__ = ()

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        resource = self._resource
        result: T = resource._runner.run(getattr(resource._async, self._name), *args, **kwargs)
        return result


class BoundSyncApiMethod(BoundSyncMethod[P, T]):
    """A blocking endpoint call, with ``.raw()`` like its async twin."""

    __slots__ = ()

    def raw(self, *args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        """The parsed object plus status, headers, request id and attempt count."""
        resource = self._resource
        method = getattr(resource._async, self._name).raw
        result: APIResponse[T] = resource._runner.run(method, *args, **kwargs)
        return result


B = TypeVar("B", bound=_Bound)


class Derived(Generic[B]):
    """The descriptor of every derived method: on an instance it gives a ``B`` bound to it."""

    def __init__(self, bound: type[B], name: str, doc: str | None) -> None:
        self._bound = bound
        self._name = name
        self.__doc__ = doc

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: SyncResource[Any], owner: type[Any]) -> B: ...
    def __get__(self, instance: SyncResource[Any] | None, owner: type[Any]) -> Self | B:
        if instance is None:
            return self
        return self._bound(instance, self._name)


@overload
def sync_method(method: ApiMethod[Any, P, T]) -> Derived[BoundSyncApiMethod[P, T]]: ...
@overload
def sync_method(
    method: Callable[Concatenate[Any, P], Awaitable[T]],
) -> Derived[BoundSyncMethod[P, T]]: ...
def sync_method(
    method: ApiMethod[Any, P, T] | Callable[Concatenate[Any, P], Awaitable[T]],
) -> Derived[BoundSyncApiMethod[P, T]] | Derived[BoundSyncMethod[P, T]]:
    """The blocking twin of an async resource method (same name, same parameters)."""
    if isinstance(method, ApiMethod):
        api_bound = cast("type[BoundSyncApiMethod[P, T]]", BoundSyncApiMethod)
        return Derived(api_bound, method.__name__, method.__doc__)
    bound = cast("type[BoundSyncMethod[P, T]]", BoundSyncMethod)
    return Derived(bound, method.__name__, method.__doc__)


class ClosableAsyncIterator(Protocol[T_co]):
    """An async iterator that can be told to stop (async generators, ``WaitStream``)."""

    def __anext__(self) -> Awaitable[T_co]: ...

    def aclose(self) -> Awaitable[None]: ...


class SyncIterator(Generic[T]):
    """A plain iterator over an async one on the client's portal: one portal call per item.

    Items stream as the async side produces them. ``close()`` (or leaving a ``with``
    block) closes the async iterator on the portal, which cancels whatever it still
    had running. Use one iterator from one thread at a time.
    """

    __slots__ = ("_finished", "_runner", "_source", "_started")

    def __init__(self, source: ClosableAsyncIterator[T], runner: PortalRunner) -> None:
        self._source = source
        self._runner = runner
        self._started = False
        self._finished = False

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        if self._finished:
            raise StopIteration
        self._started = True
        try:
            return self._runner.run(self._source.__anext__)
        except StopAsyncIteration:
            self._finished = True
            raise StopIteration from None

    def close(self) -> None:
        """Stop early: close the async iterator on the portal. Idempotent.

        After the client was closed there is nothing left to close: closing the
        client already ended everything that ran on its portal.
        """
        if self._finished:
            return
        self._finished = True
        if self._started and not self._runner.closed:
            self._runner.run(self._source.aclose)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class BoundSyncIteratorMethod(_Bound, Generic[P, T]):
    """A call of an async-iterator method that returns a :class:`SyncIterator`."""

    __slots__ = ()

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> SyncIterator[T]:
        resource = self._resource
        source: ClosableAsyncIterator[T] = getattr(resource._async, self._name)(*args, **kwargs)
        return SyncIterator(source, resource._runner)


def sync_iterator_method(
    method: Callable[Concatenate[Any, P], ClosableAsyncIterator[T]],
) -> Derived[BoundSyncIteratorMethod[P, T]]:
    """The blocking twin of a method returning an async iterator: it returns a
    :class:`SyncIterator` over the same items (same name, same parameters)."""
    bound = cast("type[BoundSyncIteratorMethod[P, T]]", BoundSyncIteratorMethod)
    return Derived(bound, method.__name__, method.__doc__)


class SyncPolling(Generic[T]):
    """Blocking ``get_many``, ``wait``, ``wait_many`` and ``wait_all``, for a sync
    resource whose async twin mixes in :class:`~extend_async.polling.AsyncPolling`.

    At run time each is derived from the async method. ``ParamSpec`` keeps only the
    first overload of an overloaded method, so the typed signatures (overloaded on
    ``return_exceptions``) are spelled out once here for type checkers.
    """

    if TYPE_CHECKING:

        @overload
        def get_many(
            self, ids: Iterable[str], *, return_exceptions: Literal[False] = False
        ) -> list[T]: ...
        @overload
        def get_many(
            self, ids: Iterable[str], *, return_exceptions: bool
        ) -> list[T | BaseException]: ...
        def get_many(
            self, ids: Iterable[str], *, return_exceptions: bool = False
        ) -> list[T] | list[T | BaseException]: ...
        def wait(
            self, id: str, *, timeout: float | None = None, poll: PollPolicy = DEFAULT_POLL
        ) -> T: ...
        @overload
        def wait_many(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            return_exceptions: Literal[True] = True,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> SyncIterator[tuple[str, T | BaseException]]: ...
        @overload
        def wait_many(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            return_exceptions: Literal[False],
            on_progress: Callable[[Progress], object] | None = None,
        ) -> SyncIterator[tuple[str, T]]: ...
        @overload
        def wait_many(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            return_exceptions: bool,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> SyncIterator[tuple[str, T | BaseException]]: ...
        def wait_many(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            return_exceptions: bool = True,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> SyncIterator[tuple[str, T | BaseException]] | SyncIterator[tuple[str, T]]: ...
        @overload
        def wait_all(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            return_exceptions: Literal[True] = True,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> dict[str, T | BaseException]: ...
        @overload
        def wait_all(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            return_exceptions: Literal[False],
            on_progress: Callable[[Progress], object] | None = None,
        ) -> dict[str, T]: ...
        @overload
        def wait_all(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            return_exceptions: bool,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> dict[str, T | BaseException]: ...
        def wait_all(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            return_exceptions: bool = True,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> dict[str, T | BaseException] | dict[str, T]: ...

    else:
        get_many = sync_method(AsyncPolling.get_many)
        wait = sync_method(AsyncPolling.wait)
        wait_many = sync_iterator_method(AsyncPolling.wait_many)
        wait_all = sync_method(AsyncPolling.wait_all)
