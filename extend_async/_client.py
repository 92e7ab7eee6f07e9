"""``AsyncExtend``: the asyncio client, and the home of its configuration and pipeline."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

import aiohttp

from ._clock import Clock, SystemClock
from ._config import CallOptions, ClientConfig, ClientOptions
from ._endpoint import Pipeline
from ._limits import Gate
from ._transport import Transport
from .resources import AsyncBatchProcessorRuns

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["AsyncExtend"]


class AsyncExtend:
    """Async client of the Extend API (version 2025-04-21) on one aiohttp session.

    Use it as ``async with AsyncExtend() as client:`` or call ``await client.close()``.
    The token falls back to ``EXTEND_API_KEY``, the base URL to ``EXTEND_BASE_URL`` and
    the workspace to ``EXTEND_WORKSPACE_ID``. ``max_concurrency`` caps requests in
    flight for the whole client; ``max_requests_per_second`` paces them. A ``session``
    you pass in is used as is and never closed by the client.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        clock: Clock | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        config = ClientConfig.resolve(token, **options)
        clock = clock or SystemClock()
        # The connector never queues below our own cap (queueing there eats timeouts).
        transport = Transport(
            session=session,
            pool_size=max(100, config.max_concurrency),
            default_headers=config.session_headers,
            default_timeout=config.client_timeout,
        )
        gate = Gate(config.max_concurrency, config.max_requests_per_second, clock)
        self._pipeline = Pipeline(config, transport, gate, clock)

    @classmethod
    def _from_pipeline(cls, pipeline: Pipeline) -> AsyncExtend:
        client = cls.__new__(cls)
        client._pipeline = pipeline
        return client

    @property
    def config(self) -> ClientConfig:
        """The resolved, frozen configuration (its repr masks the token)."""
        return self._pipeline.config

    @property
    def closed(self) -> bool:
        return self._pipeline.transport.closed

    def with_options(self, **options: Unpack[CallOptions]) -> AsyncExtend:
        """A sibling client with other per-call settings, sharing this one's session,
        concurrency cap and rate limits: ``client.with_options(timeout=5).x.get(...)``."""
        config = self.config.evolve(**options)
        return AsyncExtend._from_pipeline(self._pipeline.with_config(config))

    @cached_property
    def batch_processor_runs(self) -> AsyncBatchProcessorRuns:
        """Batch processor runs: ``get``, ``get_many``, ``wait``, ``wait_many``, ``wait_all``."""
        return AsyncBatchProcessorRuns(self)

    async def close(self) -> None:
        """Close the session (if the client made it). Idempotent; siblings close too."""
        await self._pipeline.transport.close()

    async def __aenter__(self) -> AsyncExtend:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        config = self.config
        return (
            f"{type(self).__name__}(base_url={config.base_url!r}, "
            f"api_version={config.api_version!r}, workspace_id={config.workspace_id!r})"
        )
