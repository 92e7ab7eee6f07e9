"""Batch processor runs (``/batch_processor_runs``)."""

from __future__ import annotations

from .._endpoint import Call, Endpoint, api_method
from .._sync_bridge import SyncResource, sync_method
from ..models import BatchProcessorRun
from ._base import AsyncResource

__all__ = ["AsyncBatchProcessorRuns", "BatchProcessorRuns"]

_GET = Endpoint("GET", "/batch_processor_runs/{id}", BatchProcessorRun, "batchProcessorRun")


class AsyncBatchProcessorRuns(AsyncResource):
    """Batch runs of a processor over an evaluation set, the playground or studio."""

    @api_method
    def get(self, id: str) -> Call[BatchProcessorRun]:
        """Fetch one batch processor run by id."""
        return _GET.call(id=id)


class BatchProcessorRuns(SyncResource[AsyncBatchProcessorRuns]):
    """Blocking twin of :class:`AsyncBatchProcessorRuns`."""

    get = sync_method(AsyncBatchProcessorRuns.get)
