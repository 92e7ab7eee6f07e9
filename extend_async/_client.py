"""``AsyncExtend``: the asyncio client, and the home of its configuration and pipeline."""

from __future__ import annotations

import inspect
from types import TracebackType
from typing import TYPE_CHECKING

import aiohttp

from ._clock import Clock, SystemClock
from ._config import CallOptions, ClientConfig, ClientOptions, check_options, constructor_signature
from ._endpoint import Pipeline
from ._limits import Gate
from ._transport import Transport
from .resources import (
    AsyncBatchProcessorRuns,
    AsyncEditRuns,
    AsyncEditSchemas,
    AsyncEditTemplates,
    AsyncEvaluationSetItems,
    AsyncEvaluationSets,
    AsyncFiles,
    AsyncParserRuns,
    AsyncProcessorRuns,
    AsyncProcessors,
    AsyncProcessorVersions,
    AsyncWebhooks,
    AsyncWorkflowRuns,
    AsyncWorkflows,
)
from .resources._base import resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["AsyncExtend"]


class AsyncExtend:
    """Async client of the Extend API (version 2025-04-21) on one aiohttp session.

    Use it as ``async with AsyncExtend() as client:`` or call ``await client.close()``.
    The token falls back to ``EXTEND_API_KEY``, the base URL to ``EXTEND_BASE_URL`` and
    the workspace to ``EXTEND_WORKSPACE_ID``. ``timeout`` bounds each call, its retries
    and waits included (seconds, a ``Timeout``, or None for no limit; default 60 s).
    ``max_concurrency`` caps requests in flight for the whole client;
    ``max_requests_per_second`` paces them. A ``session`` you pass in is used as is
    and never closed by the client; ``clock`` replaces real time (tests).
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        clock: Clock | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        check_options(type(self).__name__, options, ClientOptions.__optional_keys__)
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(f"session must be an aiohttp.ClientSession, got {session!r}")
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
        self._owns_transport = True

    @classmethod
    def _sibling(cls, pipeline: Pipeline) -> AsyncExtend:
        client = cls.__new__(cls)
        client._pipeline = pipeline
        client._owns_transport = False
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
        concurrency cap and rate limits: ``client.with_options(timeout=5).x.get(...)``.

        The sibling borrows this client's session: closing it (or leaving its
        ``async with``) leaves this client open.
        """
        config = self.config.evolve("with_options", options)
        return AsyncExtend._sibling(self._pipeline.with_config(config))

    batch_processor_runs = resource(AsyncBatchProcessorRuns)
    edit_runs = resource(AsyncEditRuns)
    edit_schemas = resource(AsyncEditSchemas)
    edit_templates = resource(AsyncEditTemplates)
    parser_runs = resource(AsyncParserRuns)
    processor_runs = resource(AsyncProcessorRuns)
    processors = resource(AsyncProcessors)
    processor_versions = resource(AsyncProcessorVersions)
    workflows = resource(AsyncWorkflows)
    workflow_runs = resource(AsyncWorkflowRuns)
    evaluation_sets = resource(AsyncEvaluationSets)
    evaluation_set_items = resource(AsyncEvaluationSetItems)
    files = resource(AsyncFiles)
    webhooks = resource(AsyncWebhooks)

    async def download(self, url: str) -> bytes:
        """The content behind a URL the API handed out: a presigned ``responseType="url"``
        result, a signed-URL webhook payload. Fetched on this client's connection pool
        with none of its headers (the token never goes to another host), within its
        ``timeout``; a non-2xx answer raises the status's :class:`APIStatusError`."""
        return await self._pipeline.download(url)

    async def close(self) -> None:
        """Close the session (if the client made it). Idempotent.

        On a ``with_options`` sibling this does nothing: the client that made the
        session is the one that closes it.
        """
        if self._owns_transport:
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


_KEYWORD = inspect.Parameter.KEYWORD_ONLY
AsyncExtend.__init__.__signature__ = constructor_signature(  # type: ignore[attr-defined]
    inspect.Parameter("session", _KEYWORD, default=None, annotation="aiohttp.ClientSession | None"),
    inspect.Parameter("clock", _KEYWORD, default=None, annotation="Clock | None"),
)
