"""One module per API area: an async resource and its derived blocking twin."""

from __future__ import annotations

from .._endpoint import Endpoint
from . import (
    batch_processor_runs,
    edit_runs,
    evaluation_sets,
    files,
    parser_runs,
    processor_runs,
    processors,
    workflow_runs,
    workflows,
)
from .batch_processor_runs import AsyncBatchProcessorRuns, BatchProcessorRuns
from .edit_runs import (
    AsyncEditRuns,
    AsyncEditSchemas,
    AsyncEditTemplates,
    EditRuns,
    EditSchemas,
    EditTemplates,
)
from .evaluation_sets import (
    AsyncEvaluationSetItems,
    AsyncEvaluationSets,
    EvaluationSetItems,
    EvaluationSets,
)
from .files import AsyncFiles, Files
from .parser_runs import AsyncParserRuns, ParserRuns
from .processor_runs import AsyncProcessorRuns, ProcessorRuns
from .processors import AsyncProcessors, AsyncProcessorVersions, Processors, ProcessorVersions
from .webhooks import AsyncWebhooks, Webhooks
from .workflow_runs import AsyncWorkflowRuns, WorkflowRuns
from .workflows import AsyncWorkflows, Workflows

__all__ = [
    "ENDPOINTS",
    "AsyncBatchProcessorRuns",
    "AsyncEditRuns",
    "AsyncEditSchemas",
    "AsyncEditTemplates",
    "AsyncEvaluationSetItems",
    "AsyncEvaluationSets",
    "AsyncFiles",
    "AsyncParserRuns",
    "AsyncProcessorRuns",
    "AsyncProcessorVersions",
    "AsyncProcessors",
    "AsyncWebhooks",
    "AsyncWorkflowRuns",
    "AsyncWorkflows",
    "BatchProcessorRuns",
    "EditRuns",
    "EditSchemas",
    "EditTemplates",
    "EvaluationSetItems",
    "EvaluationSets",
    "Files",
    "ParserRuns",
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
    for module in (
        batch_processor_runs,
        edit_runs,
        files,
        parser_runs,
        processor_runs,
        processors,
        workflow_runs,
        workflows,
        evaluation_sets,
    )
    for endpoint in module.ENDPOINTS
}
