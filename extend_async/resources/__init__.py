"""One module per API area: an async resource and its derived blocking twin."""

from __future__ import annotations

from .._endpoint import Endpoint
from . import batch_processor_runs, files, processor_runs, processors, workflow_runs, workflows
from .batch_processor_runs import AsyncBatchProcessorRuns, BatchProcessorRuns
from .files import AsyncFiles, Files
from .processor_runs import AsyncProcessorRuns, ProcessorRuns
from .processors import AsyncProcessors, AsyncProcessorVersions, Processors, ProcessorVersions
from .workflow_runs import AsyncWorkflowRuns, WorkflowRuns
from .workflows import AsyncWorkflows, Workflows

__all__ = [
    "ENDPOINTS",
    "AsyncBatchProcessorRuns",
    "AsyncFiles",
    "AsyncProcessorRuns",
    "AsyncProcessorVersions",
    "AsyncProcessors",
    "AsyncWorkflowRuns",
    "AsyncWorkflows",
    "BatchProcessorRuns",
    "Files",
    "ProcessorRuns",
    "ProcessorVersions",
    "Processors",
    "WorkflowRuns",
    "Workflows",
]

#: Every endpoint the package serves, by its operation name in the API reference.
ENDPOINTS: dict[str, Endpoint[object]] = {
    endpoint.operation: endpoint
    for module in (
        batch_processor_runs,
        files,
        processor_runs,
        processors,
        workflow_runs,
        workflows,
    )
    for endpoint in module.ENDPOINTS
}
