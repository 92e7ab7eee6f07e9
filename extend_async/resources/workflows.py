"""Workflows (``/workflows``)."""

from __future__ import annotations

from .._endpoint import Call, Endpoint, api_method
from .._requests import json_body
from .._sync_bridge import SyncResource, sync_method
from ..models import CreateWorkflowRequest, Workflow
from ._base import AsyncResource

__all__ = ["ENDPOINTS", "AsyncWorkflows", "Workflows"]

_CREATE = Endpoint("create_workflow", "POST", "/workflows", Workflow, "workflow")
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_CREATE,)


class AsyncWorkflows(AsyncResource):
    """Workflows: ``create`` makes an empty one, to be configured in the dashboard.

    Runs of a workflow are under ``workflow_runs``.
    """

    @api_method
    def create(self, *, name: str) -> Call[Workflow]:
        """Create an empty workflow named ``name`` (its version is ``draft``)."""
        return _CREATE.call(body=json_body(CreateWorkflowRequest, "workflows.create", name=name))


class Workflows(SyncResource[AsyncWorkflows]):
    """Blocking twin of :class:`AsyncWorkflows`."""

    create = sync_method(AsyncWorkflows.create)
