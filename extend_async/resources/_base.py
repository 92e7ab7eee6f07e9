"""What every resource (one API area) shares, and how a client exposes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

from .._endpoint import HasPipeline

if TYPE_CHECKING:
    from typing_extensions import Self

    from .._client import AsyncExtend

__all__ = ["AsyncResource", "resource"]


class AsyncResource(HasPipeline):
    """Base of the async resources: holds the pipeline of the client that sends the calls.

    ``name`` is the client attribute it lives under (``batch_processor_runs``), which
    error messages use to name the method the user called.
    """

    def __init__(self, client: AsyncExtend, name: str) -> None:
        self._pipeline = client._pipeline
        self._name = name


class _MadeFrom(Protocol):
    def __init__(self, client: Any, name: str) -> None: ...


R = TypeVar("R", bound=_MadeFrom)


class resource(Generic[R]):  # noqa: N801 - used like property
    """A client attribute holding one resource, made on first access and then kept.

    ``batch_processor_runs = resource(AsyncBatchProcessorRuns)``: the class is built as
    ``cls(client, "batch_processor_runs")``, so each resource knows its public name.
    """

    def __init__(self, cls: type[R]) -> None:
        self._cls = cls
        self._name = ""
        self.__doc__ = cls.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: object, owner: type[Any]) -> R: ...
    def __get__(self, instance: object | None, owner: type[Any]) -> Self | R:
        if instance is None:
            return self
        made = self._cls(instance, self._name)
        instance.__dict__[self._name] = made  # later reads skip the descriptor
        return made
