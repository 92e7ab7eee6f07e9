"""List endpoints: a pager that is awaitable (the first page) and iterable (every item).

``client.processor_runs.list(status="PROCESSED")`` sends nothing yet. ``await`` it for
the first :class:`~extend_async.models.common.Page` (its ``items`` and
``next_page_token``); ``async for run in ...`` walks every item of every page;
``.pages()`` walks the pages. Pages are fetched one at a time, only when the next item
is asked for, with the page token sent back unchanged and the same filters; a page
without a token is the last. Nothing runs between pages, so leaving a loop early
leaves nothing behind.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Generator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ._endpoint import ApiMethod, Call, HasPipeline
from ._introspect import Described
from .models.common import Page

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._endpoint import Pipeline

__all__ = ["AsyncPager", "PagerMethod", "pager_method"]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R", bound=HasPipeline)


class AsyncPager(Generic[T]):
    """The pages of one list call; see the module docstring."""

    __slots__ = ("_call", "_pipeline")

    def __init__(self, pipeline: Pipeline, call: Call[Page[T]]) -> None:
        self._pipeline = pipeline
        self._call = call

    async def first_page(self) -> Page[T]:
        """The first page: its items and the token of the next one."""
        return await self._fetch(None)

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self.first_page().__await__()

    def pages(self) -> AsyncIterator[Page[T]]:
        """Every page in turn, each fetched when it is asked for."""
        return self._pages()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _pages(self) -> AsyncIterator[Page[T]]:
        token: str | None = None
        while True:
            page = await self._fetch(token)
            yield page
            token = page.next_page_token
            if not token:  # missing, null and "" all mean: that was the last page
                return

    async def _items(self) -> AsyncIterator[T]:
        async for page in self._pages():
            for item in page.items:
                yield item

    async def _fetch(self, token: str | None) -> Page[T]:
        call = self._call
        if token is not None:
            call = Call(call.endpoint, call.path, {**(call.query or {}), "nextPageToken": token})
        return await self._pipeline.execute(call, parsed_only=True)


class BoundPagerMethod(Described, Generic[P, T]):
    """A list method of a resource: calling it gives an :class:`AsyncPager`."""

    __slots__ = ("_method", "_owner")

    def __init__(self, owner: HasPipeline, method: PagerMethod[Any, P, T]) -> None:
        self._owner = owner
        self._method = method

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> AsyncPager[T]:
        call = self._method.describe(self._owner, args, kwargs)
        return AsyncPager(self._owner._pipeline, call)

    def _target_name(self) -> str:
        return self._method.__name__

    def _target_doc(self) -> str | None:
        return self._method.__doc__

    def _target_signature(self) -> inspect.Signature:
        return self._method.signature()


def _pager_of(annotation: Any) -> Any:
    """``AsyncPager[X]`` for the ``Call[Page[X]]`` a list method describes."""
    from typing import get_args

    page = get_args(annotation)
    items = get_args(page[0]) if page else ()
    return AsyncPager[items[0]] if items else AsyncPager  # type: ignore[valid-type]


class PagerMethod(ApiMethod[R, P, Page[T]]):
    """Descriptor made by :func:`pager_method`; see :class:`BoundPagerMethod`."""

    _returns = staticmethod(_pager_of)

    @overload  # type: ignore[override]
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: R, owner: type[Any]) -> BoundPagerMethod[P, T]: ...
    def __get__(self, instance: R | None, owner: type[Any]) -> Self | BoundPagerMethod[P, T]:
        if instance is None:
            return self
        return BoundPagerMethod(instance, self)


def pager_method(build: Callable[Concatenate[R, P], Call[Page[T]]]) -> PagerMethod[R, P, T]:
    """Turn a method that describes a list request into one that returns a pager."""
    return PagerMethod(build)
