"""Batch processor runs (``/batch_processor_runs``)."""

from __future__ import annotations

from .._endpoint import Call, Endpoint, api_method
from .._sync_bridge import SyncPolling, SyncResource, sync_method
from ..models import BatchProcessorRun
from ..polling import AsyncPolling
from ._base import AsyncResource

__all__ = ["ENDPOINTS", "AsyncBatchProcessorRuns", "BatchProcessorRuns"]

_GET = Endpoint(
    "get_batch_processor_run",
    "GET",
    "/batch_processor_runs/{id}",
    BatchProcessorRun,
    "batchProcessorRun",
)
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_GET,)


class AsyncBatchProcessorRuns(AsyncResource, AsyncPolling[BatchProcessorRun]):
    """Batch runs of a processor over an evaluation set, the playground or studio.

    Besides ``get``: ``get_many``, ``wait``, ``wait_many`` and ``wait_all`` (see
    :class:`~extend_async.polling.AsyncPolling`). A batch is polled as a batch; only
    PROCESSED and FAILED end a wait.
    """

    @api_method
    def get(self, id: str) -> Call[BatchProcessorRun]:
        """Fetch one batch processor run by id."""
        return _GET.call(id=id)

    def _poll_call(self, id: str) -> Call[BatchProcessorRun]:
        return _GET.call(id=id)

    def _is_terminal(self, obj: BatchProcessorRun) -> bool:
        return obj.is_terminal


class BatchProcessorRuns(SyncResource[AsyncBatchProcessorRuns], SyncPolling[BatchProcessorRun]):
    """Blocking twin of :class:`AsyncBatchProcessorRuns`."""

    get = sync_method(AsyncBatchProcessorRuns.get)
