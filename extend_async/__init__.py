"""extend_async: an async-first client of the Extend document-processing API (2025-04-21).

``AsyncExtend`` is the asyncio client; ``Extend`` is its blocking facade for
synchronous code. Both share one set of models and one error tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._client import AsyncExtend
from ._clock import Clock, SystemClock
from ._config import DEFAULT_API_VERSION, DEFAULT_BASE_URL, Timeout
from ._converter import to_dict, to_json
from ._endpoint import APIResponse
from ._retry import RetryPolicy
from ._sync import Extend
from ._sync_bridge import SyncIterator
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    ExtendError,
    IncompleteResultError,
    InternalServerError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from .models import (
    BatchProcessorRun,
    BatchProcessorRunMetrics,
    BatchProcessorRunOptions,
    BatchProcessorRunSource,
    BatchProcessorRunStatus,
)
from .polling import PollPolicy, Progress, WaitStream

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncExtend",
    "AuthenticationError",
    "BadRequestError",
    "BatchProcessorRun",
    "BatchProcessorRunMetrics",
    "BatchProcessorRunOptions",
    "BatchProcessorRunSource",
    "BatchProcessorRunStatus",
    "ClientClosedError",
    "Clock",
    "ConflictError",
    "Extend",
    "ExtendError",
    "IncompleteResultError",
    "InternalServerError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PollPolicy",
    "Progress",
    "RateLimitError",
    "ResponseValidationError",
    "RetryPolicy",
    "SyncIterator",
    "SystemClock",
    "Timeout",
    "UnprocessableEntityError",
    "WaitStream",
    "WaitTimeoutError",
    "to_dict",
    "to_json",
]


if TYPE_CHECKING:
    __version__: str


def __getattr__(name: str) -> Any:
    # ``__version__`` is read lazily: importlib.metadata costs more than the package.
    if name == "__version__":
        from ._version import package_version

        return package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
