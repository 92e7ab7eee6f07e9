"""Deriving blocking methods from async ones, with their real signatures.

A sync resource declares one line per method, ``get = sync_method(AsyncX.get)``; the
descriptor runs the very same coroutine on the client's portal. ``ParamSpec`` carries
the parameters through, so mypy and IDEs see ``get(id: str) -> BatchProcessorRun``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ._endpoint import ApiMethod, APIResponse

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._portal import PortalRunner

__all__ = ["SyncResource", "sync_method"]

A = TypeVar("A")
P = ParamSpec("P")
T = TypeVar("T")


class SyncResource(Generic[A]):
    """Base of the blocking resources: an async resource plus the portal to run it on."""

    def __init__(self, async_resource: A, runner: PortalRunner) -> None:
        self._async = async_resource
        self._runner = runner


class BoundSyncMethod(Generic[P, T]):
    """A blocking call of one async method."""

    __slots__ = ("_name", "_resource")

    def __init__(self, resource: SyncResource[Any], name: str) -> None:
        self._resource = resource
        self._name = name

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


class SyncMethod(Generic[P, T]):
    """Descriptor behind :func:`sync_method` for plain async methods."""

    def __init__(self, name: str, doc: str | None) -> None:
        self._name = name
        self.__doc__ = doc

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: SyncResource[Any], owner: type[Any]) -> BoundSyncMethod[P, T]: ...
    def __get__(
        self, instance: SyncResource[Any] | None, owner: type[Any]
    ) -> Self | BoundSyncMethod[P, T]:
        if instance is None:
            return self
        return BoundSyncMethod(instance, self._name)


class SyncApiMethod(SyncMethod[P, T]):
    """Descriptor behind :func:`sync_method` for endpoint methods (adds ``.raw``)."""

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, instance: SyncResource[Any], owner: type[Any]
    ) -> BoundSyncApiMethod[P, T]: ...
    def __get__(
        self, instance: SyncResource[Any] | None, owner: type[Any]
    ) -> Self | BoundSyncApiMethod[P, T]:
        if instance is None:
            return self
        return BoundSyncApiMethod(instance, self._name)


@overload
def sync_method(method: ApiMethod[Any, P, T]) -> SyncApiMethod[P, T]: ...
@overload
def sync_method(method: Callable[Concatenate[Any, P], Awaitable[T]]) -> SyncMethod[P, T]: ...
def sync_method(
    method: ApiMethod[Any, P, T] | Callable[Concatenate[Any, P], Awaitable[T]],
) -> SyncMethod[P, T]:
    """The blocking twin of an async resource method (same name, same parameters)."""
    if isinstance(method, ApiMethod):
        return SyncApiMethod(method.__name__, method.__doc__)
    return SyncMethod(method.__name__, method.__doc__)
