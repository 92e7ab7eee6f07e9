"""Typed, frozen models of the API's objects (attrs classes; wire names come from the converter)."""

from .batch_processor_runs import (
    BatchProcessorRun,
    BatchProcessorRunMetrics,
    BatchProcessorRunOptions,
    BatchProcessorRunSource,
    BatchProcessorRunStatus,
)
from .common import ApiEnum

__all__ = [
    "ApiEnum",
    "BatchProcessorRun",
    "BatchProcessorRunMetrics",
    "BatchProcessorRunOptions",
    "BatchProcessorRunSource",
    "BatchProcessorRunStatus",
]
