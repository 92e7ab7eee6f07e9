"""Deriving blocking methods from async ones, with their real signatures.

A sync resource declares one line per method, ``get = sync_method(AsyncX.get)``; the
descriptor runs the very same coroutine on the client's portal. ``ParamSpec`` carries
the parameters through, so mypy and IDEs see ``get(id: str) -> BatchProcessorRun``.
A method returning an async iterator becomes one returning a plain iterator
(``sync_iterator_method``) that fetches one item per portal call.
"""

from __future__ import annotations

import inspect
import types
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable, Iterator
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
    Union,
    cast,
    get_args,
    get_origin,
    overload,
)

from ._endpoint import ApiMethod, APIResponse, BoundApiMethod
from ._introspect import Described, signature_without_self
from .models.common import Page
from .pagination import AsyncPager, PagerMethod
from .polling import DEFAULT_POLL, AsyncPolling, PollPolicy, Progress

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._portal import PortalRunner
    from ._sync import Extend

__all__ = [
    "SyncIterator",
    "SyncPager",
    "SyncPolling",
    "SyncResource",
    "sync_iterator_method",
    "sync_method",
    "sync_pager_method",
]

A = TypeVar("A")
P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class SyncResource(Generic[A]):
    """Base of the blocking resources: the async resource of the same name, and the
    portal to run it on."""

    def __init__(self, client: Extend, name: str) -> None:
        self._async: A = getattr(client._async, name)
        self._runner: PortalRunner = client._runner
        self._name = name


class SyncHost(Protocol):
    """What a derived method runs on: a sync resource, or the ``Extend`` client itself
    (for its own methods such as ``download``)."""

    @property
    def _async(self) -> Any: ...
    @property
    def _runner(self) -> PortalRunner: ...
    @property
    def _name(self) -> str: ...


class _Bound(Described):
    """What every derived method holds: the sync host and the async method it runs."""

    __slots__ = ("_derived", "_resource")

    def __init__(self, resource: SyncHost, derived: Derived[Any]) -> None:
        self._resource = resource
        self._derived = derived

    def _target(self) -> Any:
        return getattr(self._resource._async, self._derived.name)

    def _bind(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Refuse arguments that do not fit here, naming the method the user called,
        before anything crosses to the portal (and those the blocking client cannot
        take, by the method's ``refuse`` check)."""
        derived = self._derived
        try:
            bound = derived.signature().bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{self._resource._name}.{derived.name}() {exc}") from None
        if derived.refuse is not None:
            derived.refuse(bound)

    def _target_name(self) -> str:
        return self._derived.name

    def _target_doc(self) -> str | None:
        return self._derived.doc

    def _target_signature(self) -> inspect.Signature:
        return self._derived.signature()


class BoundSyncMethod(_Bound, Generic[P, T]):
    """A blocking call of one async method."""

    __slots__ = ()

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        self._bind(args, kwargs)
        result: T = self._resource._runner.run(self._target(), *args, **kwargs)
        return result


class BoundSyncApiMethod(BoundSyncMethod[P, T]):
    """A blocking endpoint call, with ``.raw()`` like its async twin."""

    __slots__ = ()

    def raw(self, *args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        """The parsed object plus status, headers, request id and attempt count."""
        self._bind(args, kwargs)
        result: APIResponse[T] = self._resource._runner.run(self._target().raw, *args, **kwargs)
        return result


class BoundSyncDeprecatedApiMethod(BoundSyncApiMethod[P, T]):
    """A blocking call of an endpoint the API deprecates: it warns in the caller's
    thread, at the caller's line, then runs the async method without its own warning
    (which would point into the portal thread)."""

    __slots__ = ()

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        warnings.warn(str(self._derived.deprecation), DeprecationWarning, stacklevel=2)
        return super().__call__(*args, **kwargs)

    def raw(self, *args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        warnings.warn(str(self._derived.deprecation), DeprecationWarning, stacklevel=2)
        return super().raw(*args, **kwargs)

    def _target(self) -> Any:
        return BoundApiMethod(self._resource._async, self._derived.target)


B = TypeVar("B", bound=_Bound)


class Derived(Generic[B]):
    """The descriptor of every derived method: on an instance it gives a ``B`` bound to it.

    It keeps the async method's name, docstring and signature (with ``returns``
    applied to the return annotation), which the bound objects show as their own.
    """

    def __init__(
        self,
        bound: type[B],
        target: Any,
        returns: Callable[[Any], Any] | None = None,
        refuse: Callable[[inspect.BoundArguments], None] | None = None,
    ) -> None:
        self._bound = bound
        self.target = target
        self._returns = returns
        self._signature: inspect.Signature | None = None
        self.name: str = target.__name__
        self.doc: str | None = target.__doc__
        self.__doc__ = self.doc
        #: Raises for arguments the blocking twin cannot take (checked in the caller's thread).
        self.refuse = refuse
        #: The warning of an endpoint the API deprecates.
        self.deprecation: str | None = getattr(target, "deprecation", None)

    def signature(self) -> inspect.Signature:
        if self._signature is None:
            target = self.target
            if isinstance(target, ApiMethod):
                signature = target.signature()
            else:
                signature = signature_without_self(target)
            if self._returns is not None:
                signature = signature.replace(
                    return_annotation=self._returns(signature.return_annotation)
                )
            self._signature = signature
        return self._signature

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: SyncHost, owner: type[Any]) -> B: ...
    def __get__(self, instance: SyncHost | None, owner: type[Any]) -> Self | B:
        if instance is None:
            return self
        return self._bound(instance, self)


@overload
def sync_method(
    method: ApiMethod[Any, P, T],
    *,
    refuse: Callable[[inspect.BoundArguments], None] | None = None,
) -> Derived[BoundSyncApiMethod[P, T]]: ...
@overload
def sync_method(
    method: Callable[Concatenate[Any, P], Awaitable[T]],
    *,
    refuse: Callable[[inspect.BoundArguments], None] | None = None,
) -> Derived[BoundSyncMethod[P, T]]: ...
def sync_method(
    method: ApiMethod[Any, P, T] | Callable[Concatenate[Any, P], Awaitable[T]],
    *,
    refuse: Callable[[inspect.BoundArguments], None] | None = None,
) -> Derived[BoundSyncApiMethod[P, T]] | Derived[BoundSyncMethod[P, T]]:
    """The blocking twin of an async resource method (same name, same parameters).

    ``refuse`` raises for arguments only the async method can take (an async iterator,
    say), before anything crosses to the portal.
    """
    if isinstance(method, ApiMethod):
        api_bound: type[BoundSyncApiMethod[P, T]] = cast(
            "type[BoundSyncApiMethod[P, T]]",
            BoundSyncApiMethod if method.deprecation is None else BoundSyncDeprecatedApiMethod,
        )
        return Derived(api_bound, method, refuse=refuse)
    bound = cast("type[BoundSyncMethod[P, T]]", BoundSyncMethod)
    return Derived(bound, method, refuse=refuse)


class ClosableAsyncIterator(Protocol[T_co]):
    """An async iterator that can be told to stop (async generators, ``WaitStream``)."""

    def __anext__(self) -> Awaitable[T_co]: ...

    def aclose(self) -> Awaitable[None]: ...


class SyncIterator(Generic[T]):
    """A plain iterator over an async one on the client's portal: one portal call per item.

    Items stream as the async side produces them. Leaving a ``for`` loop over it in
    any way (``break``, an exception) stops it, and so do ``close()`` and the end of a
    ``with`` block; stopping closes the async iterator on the portal, which cancels
    whatever it still had running. Use one iterator from one thread at a time.
    """

    __slots__ = ("_finished", "_runner", "_source", "_started")

    def __init__(self, source: ClosableAsyncIterator[T], runner: PortalRunner) -> None:
        self._source = source
        self._runner = runner
        self._started = False
        self._finished = False

    def __iter__(self) -> Iterator[T]:
        return _SyncLoop(self)

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
        """Stop early: close the async iterator on the portal and wait. Idempotent.

        After the client was closed there is nothing left to close: closing the
        client already ended everything that ran on its portal.
        """
        if self._finished:
            return
        self._finished = True
        if self._started and not self._runner.closed:
            self._runner.run(self._source.aclose)

    def _close_soon(self) -> None:
        """Stop without waiting (the iterator was dropped): the close runs on the portal."""
        if self._finished:
            return
        self._finished = True
        if self._started:
            self._runner.run_soon(self._source.aclose)

    def __del__(self) -> None:
        self._close_soon()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _SyncLoop(Generic[T]):
    """What a ``for`` loop holds while it runs over a :class:`SyncIterator`: dropped the
    moment the loop is left, which is when the iterator is stopped."""

    __slots__ = ("_iterator",)

    def __init__(self, iterator: SyncIterator[T]) -> None:
        self._iterator = iterator

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        return self._iterator.__next__()

    def __del__(self) -> None:
        self._iterator._close_soon()


class BoundSyncIteratorMethod(_Bound, Generic[P, T]):
    """A call of an async-iterator method that returns a :class:`SyncIterator`."""

    __slots__ = ()

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> SyncIterator[T]:
        self._bind(args, kwargs)
        source: ClosableAsyncIterator[T] = self._target()(*args, **kwargs)
        return SyncIterator(source, self._resource._runner)


def _as_sync_iterator(annotation: Any) -> Any:
    """The return annotation of a blocking twin: ``SyncIterator[X]`` for ``Stream[X]``
    (each member of a union in turn)."""
    if get_origin(annotation) in (Union, types.UnionType):
        return Union[tuple(_as_sync_iterator(arg) for arg in get_args(annotation))]  # noqa: UP007
    args = get_args(annotation)
    if len(args) == 1:
        return SyncIterator[args[0]]  # type: ignore[valid-type]
    if isinstance(annotation, str) and "[" in annotation:
        return "SyncIterator" + annotation[annotation.index("[") :]
    return SyncIterator


def sync_iterator_method(
    method: Callable[Concatenate[Any, P], ClosableAsyncIterator[T]],
) -> Derived[BoundSyncIteratorMethod[P, T]]:
    """The blocking twin of a method returning an async iterator: it returns a
    :class:`SyncIterator` over the same items (same name, same parameters)."""
    bound = cast("type[BoundSyncIteratorMethod[P, T]]", BoundSyncIteratorMethod)
    return Derived(bound, method, _as_sync_iterator)


class SyncPager(Generic[T]):
    """The blocking twin of :class:`~extend_async.pagination.AsyncPager`.

    Iterate over it for every item of every page, call :meth:`pages` for the pages and
    :meth:`first_page` for the first one alone. Pages are fetched as they are needed.
    """

    __slots__ = ("_pager", "_runner")

    def __init__(self, pager: AsyncPager[T], runner: PortalRunner) -> None:
        self._pager = pager
        self._runner = runner

    def first_page(self) -> Page[T]:
        """The first page: its items and the token of the next one."""
        return self._runner.run(self._pager.first_page)

    def pages(self) -> SyncIterator[Page[T]]:
        """Every page in turn."""
        return SyncIterator(_closable(self._pager.pages()), self._runner)

    def __iter__(self) -> Iterator[T]:
        return iter(SyncIterator(_closable(self._pager.__aiter__()), self._runner))


def _closable(iterator: AsyncIterator[T]) -> ClosableAsyncIterator[T]:
    """A pager's iterators are async generators, which can be closed."""
    return cast("ClosableAsyncIterator[T]", iterator)


class BoundSyncPagerMethod(_Bound, Generic[P, T]):
    """A call of a list method, returning a :class:`SyncPager`."""

    __slots__ = ()

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> SyncPager[T]:
        self._bind(args, kwargs)
        return SyncPager(self._target()(*args, **kwargs), self._resource._runner)


def _as_sync_pager(annotation: Any) -> Any:
    args = get_args(annotation)
    return SyncPager[args[0]] if len(args) == 1 else SyncPager  # type: ignore[valid-type]


def sync_pager_method(
    method: PagerMethod[Any, P, T],
) -> Derived[BoundSyncPagerMethod[P, T]]:
    """The blocking twin of a list method: it returns a :class:`SyncPager`."""
    bound = cast("type[BoundSyncPagerMethod[P, T]]", BoundSyncPagerMethod)
    return Derived(bound, method, _as_sync_pager)


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
            self,
            id: str,
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            until: Collection[str] = (),
        ) -> T: ...
        @overload
        def wait_many(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            until: Collection[str] = (),
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
            until: Collection[str] = (),
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
            until: Collection[str] = (),
            return_exceptions: bool,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> SyncIterator[tuple[str, T | BaseException]]: ...
        def wait_many(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            until: Collection[str] = (),
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
            until: Collection[str] = (),
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
            until: Collection[str] = (),
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
            until: Collection[str] = (),
            return_exceptions: bool,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> dict[str, T | BaseException]: ...
        def wait_all(
            self,
            ids: Iterable[str],
            *,
            timeout: float | None = None,
            poll: PollPolicy = DEFAULT_POLL,
            until: Collection[str] = (),
            return_exceptions: bool = True,
            on_progress: Callable[[Progress], object] | None = None,
        ) -> dict[str, T | BaseException] | dict[str, T]: ...

    else:
        get_many = sync_method(AsyncPolling.get_many)
        wait = sync_method(AsyncPolling.wait)
        wait_many = sync_iterator_method(AsyncPolling.wait_many)
        wait_all = sync_method(AsyncPolling.wait_all)
