"""One module per API area: an async resource and its derived blocking twin."""

from __future__ import annotations

from .._endpoint import Endpoint
from . import batch_processor_runs, processor_runs, processors, workflow_runs, workflows
from .batch_processor_runs import AsyncBatchProcessorRuns, BatchProcessorRuns
from .processor_runs import AsyncProcessorRuns, ProcessorRuns
from .processors import AsyncProcessors, AsyncProcessorVersions, Processors, ProcessorVersions
from .webhooks import AsyncWebhooks, Webhooks
from .workflow_runs import AsyncWorkflowRuns, WorkflowRuns
from .workflows import AsyncWorkflows, Workflows

__all__ = [
    "ENDPOINTS",
    "AsyncBatchProcessorRuns",
    "AsyncProcessorRuns",
    "AsyncProcessorVersions",
    "AsyncProcessors",
    "AsyncWebhooks",
    "AsyncWorkflowRuns",
    "AsyncWorkflows",
    "BatchProcessorRuns",
    "ProcessorRuns",
    "ProcessorVersions",
    "Processors",
    "Webhooks",
    "WorkflowRuns",
    "Workflows",
]

#: Every endpoint the package serves, by its operation name in the API reference.
ENDPOINTS: dict[str, Endpoint[object]] = {
    endpoint.operation: endpoint
    for module in (batch_processor_runs, processor_runs, processors, workflow_runs, workflows)
    for endpoint in module.ENDPOINTS
}
