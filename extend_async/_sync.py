"""``Extend``: the blocking facade, derived from ``AsyncExtend``.

Every call runs the async client's very coroutine on one portal loop owned by this
client (see ``_portal``); nothing here knows HTTP. It is safe from many threads at
once and from code that is itself inside a running event loop (a Jupyter cell).
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, ClassVar

from ._client import AsyncExtend
from ._config import CallOptions, ClientConfig, ClientOptions, check_options, constructor_signature
from ._portal import PortalRunner
from ._sync_bridge import sync_method
from .resources import (
    BatchProcessorRuns,
    EditRuns,
    EditSchemas,
    EditTemplates,
    EvaluationSetItems,
    EvaluationSets,
    Files,
    ParserRuns,
    ProcessorRuns,
    Processors,
    ProcessorVersions,
    Webhooks,
    WorkflowRuns,
    Workflows,
)
from .resources._base import resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["Extend"]


class Extend:
    """Blocking client of the Extend API: the same names and types as :class:`AsyncExtend`.

    Use it as ``with Extend() as client:`` or call ``client.close()``; closing stops
    the background event-loop thread the client started on first use. Its options
    are those of ``AsyncExtend`` (but ``session`` and ``clock``, which belong to a loop).
    """

    #: The async client each call runs on (a subclass may name its own).
    _async_class: ClassVar[type[AsyncExtend]] = AsyncExtend
    #: How a derived method of the client itself names itself in an argument error.
    _name: ClassVar[str] = "Extend"

    def __init__(self, token: str | None = None, **options: Unpack[ClientOptions]) -> None:
        check_options(type(self).__name__, options, ClientOptions.__optional_keys__)
        async_client = self._async_class(token, **options)
        transport = async_client._pipeline.transport
        self._async = async_client
        self._runner = PortalRunner(async_client.close, transport.abandon_after_fork)
        self._owns_runner = True

    @classmethod
    def _sibling(cls, async_client: AsyncExtend, runner: PortalRunner) -> Extend:
        client = cls.__new__(cls)
        client._async = async_client
        client._runner = runner
        client._owns_runner = False
        return client

    @property
    def config(self) -> ClientConfig:
        """The resolved, frozen configuration (its repr masks the token)."""
        return self._async.config

    @property
    def closed(self) -> bool:
        return self._runner.closed

    def with_options(self, **options: Unpack[CallOptions]) -> Extend:
        """A sibling client with other per-call settings on the same session and portal;
        closing the sibling leaves this client open."""
        sibling = self._async.with_options(**options)
        return Extend._sibling(sibling, self._runner)

    batch_processor_runs = resource(BatchProcessorRuns)
    edit_runs = resource(EditRuns)
    edit_schemas = resource(EditSchemas)
    edit_templates = resource(EditTemplates)
    parser_runs = resource(ParserRuns)
    processor_runs = resource(ProcessorRuns)
    processors = resource(Processors)
    processor_versions = resource(ProcessorVersions)
    workflows = resource(Workflows)
    workflow_runs = resource(WorkflowRuns)
    evaluation_sets = resource(EvaluationSets)
    evaluation_set_items = resource(EvaluationSetItems)
    files = resource(Files)
    webhooks = resource(Webhooks)

    download = sync_method(AsyncExtend.download)

    def close(self) -> None:
        """Close the session and stop the portal thread. Idempotent; on a
        ``with_options`` sibling it does nothing (its parent owns both)."""
        if self._owns_runner:
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


Extend.__init__.__signature__ = constructor_signature()  # type: ignore[attr-defined]
