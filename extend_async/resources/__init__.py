"""One module per API area: an async resource and its derived blocking twin."""

from __future__ import annotations

from .._endpoint import Endpoint
from . import batch_processor_runs
from .batch_processor_runs import AsyncBatchProcessorRuns, BatchProcessorRuns

__all__ = ["ENDPOINTS", "AsyncBatchProcessorRuns", "BatchProcessorRuns"]

#: Every endpoint the package serves, by its operation name in the API reference.
ENDPOINTS: dict[str, Endpoint[object]] = {
    endpoint.operation: endpoint
    for module in (batch_processor_runs,)
    for endpoint in module.ENDPOINTS
}
