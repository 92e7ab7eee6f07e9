"""Tools for testing code that uses extend_async, without a live Extend account.

Kept import-light: the fake server (and aiohttp.web with it) is imported on first
access of one of its names, so ``import extend_async.testing`` costs next to nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .._retry import set_testing
from ._clock import ManualClock

if TYPE_CHECKING:
    from ._events import FakeEvent
    from ._faults import Fault, FaultKind, FaultPlan
    from ._journal import RequestRecord
    from ._server import TESTING_RETRY, FakeExtendServer, NewBatchRun, ServerOptions
    from ._webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "TESTING_RETRY",
    "FakeEvent",
    "FakeExtendServer",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "ManualClock",
    "NewBatchRun",
    "RequestRecord",
    "ServerOptions",
    "WebhookDelivery",
    "WebhookEndpoint",
    "set_testing",
]

_LAZY = {
    "TESTING_RETRY": "._server",
    "FakeExtendServer": "._server",
    "NewBatchRun": "._server",
    "ServerOptions": "._server",
    "FakeEvent": "._events",
    "Fault": "._faults",
    "FaultKind": "._faults",
    "FaultPlan": "._faults",
    "RequestRecord": "._journal",
    "WebhookDelivery": "._webhooks",
    "WebhookEndpoint": "._webhooks",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
