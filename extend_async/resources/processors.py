"""Processors (``/processors``) and their versions (``/processors/{id}/versions``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._endpoint import Call, Endpoint, api_method
from .._requests import json_body, query
from .._sync_bridge import SyncResource, sync_method, sync_pager_method
from ..models import (
    NOT_GIVEN,
    CreateProcessorRequest,
    Omittable,
    Page,
    Processor,
    ProcessorConfig,
    ProcessorSummary,
    ProcessorType,
    ProcessorVersion,
    PublishProcessorVersionRequest,
    ReleaseType,
    SortBy,
    SortDirection,
    UpdateProcessorRequest,
)
from ..pagination import pager_method
from ._base import AsyncResource

__all__ = [
    "ENDPOINTS",
    "AsyncProcessorVersions",
    "AsyncProcessors",
    "ProcessorVersions",
    "Processors",
]

_LIST = Endpoint(
    "list_processors", "GET", "/processors", Page[ProcessorSummary], items="processors"
)
_CREATE = Endpoint("create_processor", "POST", "/processors", Processor, "processor")
_UPDATE = Endpoint("update_processor", "POST", "/processors/{id}", Processor, "processor")
_PUBLISH = Endpoint(
    "publish_processor_version",
    "POST",
    "/processors/{id}/publish",
    ProcessorVersion,
    "processorVersion",
)
_GET_VERSION = Endpoint(
    "get_processor_version",
    "GET",
    "/processors/{processor_id}/versions/{version_id}",
    ProcessorVersion,
    "version",
)
_LIST_VERSIONS = Endpoint(
    "list_processor_versions",
    "GET",
    "/processors/{id}/versions",
    list[ProcessorVersion],
    "versions",
)
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_LIST, _CREATE, _UPDATE, _PUBLISH, _GET_VERSION, _LIST_VERSIONS)

#: A config as our model, or as a mapping in its wire form.
ConfigInput = ProcessorConfig | Mapping[str, Any]


class AsyncProcessors(AsyncResource):
    """Processors: the extractors, classifiers and splitters of the workspace.

    ``list`` pages through them; ``create`` makes one from a config or as a copy of
    another; ``update`` changes the name or the draft config.
    """

    @pager_method
    def list(
        self,
        *,
        type: Omittable[ProcessorType | str] = NOT_GIVEN,
        sort_by: Omittable[SortBy | str] = NOT_GIVEN,
        sort_dir: Omittable[SortDirection | str] = NOT_GIVEN,
        page_size: Omittable[int] = NOT_GIVEN,
    ) -> Call[Page[ProcessorSummary]]:
        """Every processor, page by page (``await`` it for the first page)."""
        return _LIST.call(
            query=query(
                "processors.list",
                type=type,
                sort_by=sort_by,
                sort_dir=sort_dir,
                page_size=page_size,
            )
        )

    @api_method
    def create(
        self,
        *,
        name: str,
        type: ProcessorType | str,
        config: Omittable[ConfigInput] = NOT_GIVEN,
        clone_processor_id: Omittable[str] = NOT_GIVEN,
    ) -> Call[Processor]:
        """Create a processor from ``config``, or as a copy of ``clone_processor_id``."""
        if (config is NOT_GIVEN) == (clone_processor_id is NOT_GIVEN):
            raise ValueError("processors.create(): give config or clone_processor_id, one of them")
        body = json_body(
            CreateProcessorRequest,
            "processors.create",
            name=name,
            type=type,
            config=config,
            clone_processor_id=clone_processor_id,
        )
        return _CREATE.call(body=body)

    @api_method
    def update(
        self,
        id: str,
        *,
        name: Omittable[str] = NOT_GIVEN,
        config: Omittable[ConfigInput] = NOT_GIVEN,
    ) -> Call[Processor]:
        """Rename a processor, or replace its draft config (its type must stay the same)."""
        body = json_body(UpdateProcessorRequest, "processors.update", name=name, config=config)
        return _UPDATE.call(id=id, body=body)


class AsyncProcessorVersions(AsyncResource):
    """Versions of a processor: ``publish`` the draft as a new one, ``get`` one, ``list``
    them all (one response, draft included)."""

    @api_method
    def publish(
        self,
        processor_id: str,
        *,
        release_type: ReleaseType | str,
        description: Omittable[str] = NOT_GIVEN,
        config: Omittable[ConfigInput] = NOT_GIVEN,
    ) -> Call[ProcessorVersion]:
        """Publish a new version (``major`` or ``minor``) of the draft, or of ``config``."""
        body = json_body(
            PublishProcessorVersionRequest,
            "processor_versions.publish",
            release_type=release_type,
            description=description,
            config=config,
        )
        return _PUBLISH.call(id=processor_id, body=body)

    @api_method
    def get(self, processor_id: str, version_id: str) -> Call[ProcessorVersion]:
        """One version of a processor, with its config."""
        return _GET_VERSION.call(processor_id=processor_id, version_id=version_id)

    @api_method
    def list(self, processor_id: str) -> Call[list[ProcessorVersion]]:
        """Every version of a processor, draft included (not paged: one response)."""
        return _LIST_VERSIONS.call(id=processor_id)


class Processors(SyncResource[AsyncProcessors]):
    """Blocking twin of :class:`AsyncProcessors`."""

    list = sync_pager_method(AsyncProcessors.list)
    create = sync_method(AsyncProcessors.create)
    update = sync_method(AsyncProcessors.update)


class ProcessorVersions(SyncResource[AsyncProcessorVersions]):
    """Blocking twin of :class:`AsyncProcessorVersions`."""

    publish = sync_method(AsyncProcessorVersions.publish)
    get = sync_method(AsyncProcessorVersions.get)
    list = sync_method(AsyncProcessorVersions.list)
