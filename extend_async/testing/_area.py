"""One API area of the fake: its stored objects, its seeding methods and its routes.

An area is a class whose request handlers are methods marked with :func:`route`; the
application is built from every area's routes, so adding an endpoint touches its own
area only. Handlers raise :class:`FakeError` for a documented error answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs
from aiohttp import web

from ._store import FakeStore

if TYPE_CHECKING:
    from ._areas import Areas

__all__ = ["Area", "FakeError", "Route", "route"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
F = TypeVar("F", bound=Callable[..., Awaitable[web.StreamResponse]])


class FakeError(Exception):
    """An error answer, in the API's documented shape (see ``_wire.error_response``)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        retryable: bool = False,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.retryable = retryable
        self.request_id = request_id


@attrs.frozen
class Route:
    """One operation: its name (as in the API reference), method and path.

    A ``public`` route is not part of the API (a presigned download): it is served
    without the token, version and rate-limit checks, as its host would.
    """

    name: str
    method: str
    path: str
    handler: str
    public: bool = False


def route(name: str, method: str, path: str, *, public: bool = False) -> Callable[[F], F]:
    """Mark an area method as the handler of an operation."""

    def mark(handler: F) -> F:
        handler._fake_route = Route(name, method, path, handler.__name__, public)  # type: ignore[attr-defined]
        return handler

    return mark


class Area:
    """Base of the fake's areas: the shared store, the other areas, and the routes."""

    #: The operations this area serves, collected from its ``@route`` methods.
    ROUTES: ClassVar[tuple[Route, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.ROUTES = tuple(
            value._fake_route for value in vars(cls).values() if hasattr(value, "_fake_route")
        )

    def __init__(self, store: FakeStore, areas: Areas) -> None:
        self.store = store
        self.areas = areas

    def handlers(self) -> list[tuple[Route, Handler]]:
        """This area's routes with their bound handlers."""
        return [(entry, getattr(self, entry.handler)) for entry in self.ROUTES]
