"""``Extend``: the blocking facade, derived from ``AsyncExtend``.

Every call runs the async client's very coroutine on one portal loop owned by this
client (see ``_portal``); nothing here knows HTTP. It is safe from many threads at
once and from code that is itself inside a running event loop (a Jupyter cell).
"""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from ._client import AsyncExtend
from ._config import CallOptions, ClientConfig, ClientOptions
from ._portal import PortalRunner
from .resources import BatchProcessorRuns

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["Extend"]


class Extend:
    """Blocking client of the Extend API: the same names and types as :class:`AsyncExtend`.

    Use it as ``with Extend() as client:`` or call ``client.close()``; closing stops
    the background event-loop thread the client started on first use.
    """

    def __init__(self, token: str | None = None, **options: Unpack[ClientOptions]) -> None:
        async_client = AsyncExtend(token, **options)
        transport = async_client._pipeline.transport
        self._async = async_client
        self._runner = PortalRunner(async_client.close, transport.abandon_after_fork)

    @classmethod
    def _sibling(cls, async_client: AsyncExtend, runner: PortalRunner) -> Extend:
        client = cls.__new__(cls)
        client._async = async_client
        client._runner = runner
        return client

    @property
    def config(self) -> ClientConfig:
        """The resolved, frozen configuration (its repr masks the token)."""
        return self._async.config

    @property
    def closed(self) -> bool:
        return self._runner.closed

    def with_options(self, **options: Unpack[CallOptions]) -> Extend:
        """A sibling client with other per-call settings on the same session and portal."""
        sibling = self._async.with_options(**options)
        return Extend._sibling(sibling, self._runner)

    @cached_property
    def batch_processor_runs(self) -> BatchProcessorRuns:
        """Batch processor runs: ``get``, ``get_many``, ``wait``, ``wait_many``, ``wait_all``."""
        return BatchProcessorRuns(self._async.batch_processor_runs, self._runner)

    def close(self) -> None:
        """Close the session and stop the portal thread. Idempotent; siblings close too."""
        self._runner.close()

    def __enter__(self) -> Extend:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return repr(self._async).replace("AsyncExtend", "Extend", 1)
