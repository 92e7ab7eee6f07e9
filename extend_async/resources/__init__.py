"""One module per API area: an async resource and its derived blocking twin."""

from .batch_processor_runs import AsyncBatchProcessorRuns, BatchProcessorRuns

__all__ = ["AsyncBatchProcessorRuns", "BatchProcessorRuns"]
