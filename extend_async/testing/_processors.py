"""Processors and their versions: List, Create, Update, Publish, Get and List Versions.

Each processor has a draft version (its working config) and the versions published
from it, numbered as the API does: a ``major`` release after ``1.3`` is ``2.0``, a
``minor`` one ``1.4``. Processor runs and workflows find the config to run here.
Creating, updating and publishing through the API announce their webhook events;
seeding (``add``) announces nothing.
"""

from __future__ import annotations

from typing import Any

import attrs
from aiohttp import web

from ..models import (
    Classification,
    ClassificationConfig,
    CreateProcessorRequest,
    ExtractionConfig,
    NotGiven,
    Processor,
    ProcessorConfig,
    ProcessorSummary,
    ProcessorType,
    ProcessorVersion,
    ProcessorVersionSummary,
    PublishProcessorVersionRequest,
    ReleaseType,
    SplitterConfig,
    UnknownProcessorConfig,
    UpdateProcessorRequest,
    WebhookEventType,
)
from ._area import Area, FakeError, route
from ._pages import page, present, sort_by_time
from ._wire import envelope, json_response, read_body, read_query

__all__ = ["Processors", "default_config"]

_LIST_QUERY = ("type", "nextPageToken", "maxPageSize", "sortBy", "sortDir")
_NAMES = {
    ProcessorType.EXTRACT: ("Invoice Extractor", "Receipt Extractor", "Bank Statement Parser"),
    ProcessorType.CLASSIFY: ("Document Classifier", "Contract Classifier"),
    ProcessorType.SPLITTER: ("Bill of Lading Splitter", "Packet Splitter"),
}
_CONFIG_CLASSES: dict[ProcessorType, type[Any]] = {
    ProcessorType.EXTRACT: ExtractionConfig,
    ProcessorType.CLASSIFY: ClassificationConfig,
    ProcessorType.SPLITTER: SplitterConfig,
}
_INVOICE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "vendor_name": {"type": ["string", "null"], "description": "Who sent the invoice"},
        "invoice_number": {"type": ["string", "null"], "description": "The invoice's number"},
        "invoice_date": {"type": ["string", "null"], "description": "Date issued, ISO 8601"},
        "total_amount": {"type": ["number", "null"], "description": "Amount due"},
        "currency": {"type": ["string", "null"], "description": "ISO 4217 code"},
    },
    "required": ["vendor_name", "invoice_number", "invoice_date", "total_amount", "currency"],
    "additionalProperties": False,
}
_CLASSES = (
    Classification(id="invoice", type="INVOICE", description="A bill for goods or services"),
    Classification(id="receipt", type="RECEIPT", description="Proof of a payment made"),
    Classification(id="other", type="OTHER", description="Anything else"),
)


def default_config(processor_type: ProcessorType) -> ProcessorConfig:
    """A working config for a processor of this type: an invoice schema to extract, the
    classes invoice / receipt / other to classify or split by."""
    if processor_type == ProcessorType.CLASSIFY:
        return ClassificationConfig(classifications=list(_CLASSES))
    if processor_type == ProcessorType.SPLITTER:
        return SplitterConfig(split_classifications=list(_CLASSES))
    return ExtractionConfig(schema=_INVOICE_SCHEMA)


@attrs.define
class _Entry:
    processor: Processor
    published: list[ProcessorVersion] = attrs.Factory(list)

    def versions(self) -> list[ProcessorVersion]:
        """Newest first: the draft, then the published versions from the latest."""
        return [self.processor.draft_version, *reversed(self.published)]


class Processors(Area):
    """The processors of the fake, by id."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._entries: dict[str, _Entry] = {}

    # -- seeding and inspection (from tests, any thread) --------------------------

    def add(
        self,
        *,
        type: ProcessorType | str = ProcessorType.EXTRACT,
        name: str | None = None,
        config: ProcessorConfig | None = None,
        id: str | None = None,
        published: int = 0,
    ) -> Processor:
        """Store a processor; ``config`` defaults to :func:`default_config` of its type,
        and ``published`` minor versions of it are published at once (``1.0``, ``1.1``...)."""
        kind = _known_type(type, ValueError)
        store = self.store
        with store.lock:
            processor_id = id or store.new_id("dp_", 20)
            if processor_id in self._entries:
                raise ValueError(f"a processor with id {processor_id!r} already exists")
            chosen = config if config is not None else default_config(kind)
            _check_config(kind, chosen, ValueError)
            processor = self._new(
                processor_id, name or store.rng.choice(_NAMES[kind]), kind, chosen
            )
            self._entries[processor_id] = _Entry(processor)
            for _ in range(published):
                self._publish(processor_id, ReleaseType.MINOR, None, None)
            return self._entries[processor_id].processor

    def get(self, processor_id: str) -> Processor:
        """A stored processor (KeyError if there is none)."""
        with self.store.lock:
            entry = self._entries.get(processor_id)
            if entry is None:
                raise KeyError(f"no processor with id {processor_id!r}")
            return entry.processor

    def version(self, processor_id: str, version: str = "latest") -> ProcessorVersion:
        """The version a run of ``processor_id`` uses: ``latest`` (the newest published,
        else the draft), ``draft``, a number such as ``1.0``, or a version id. A 404
        when there is no such processor or version."""
        with self.store.lock:
            entry = self._entries.get(processor_id)
            if entry is None:
                raise FakeError(404, "Processor not found")
            if version == "latest":
                return entry.published[-1] if entry.published else entry.processor.draft_version
            for candidate in entry.versions():
                if version in (candidate.version, candidate.id):
                    return candidate
            raise FakeError(404, f"Processor version {version!r} not found")

    # -- the API ----------------------------------------------------------------------

    @route("list_processors", "GET", "/processors")
    async def list_processors(self, request: web.Request) -> web.StreamResponse:
        query = read_query(request, _LIST_QUERY)
        wanted = query.get("type")
        if wanted is not None:
            _known_type(wanted, _bad_request)
        with self.store.lock:
            entries = [
                entry.processor
                for entry in self._entries.values()
                if wanted is None or entry.processor.type == wanted
            ]
            summaries = [self._summary(processor) for processor in sort_by_time(entries, query)]
        items, token = page(summaries, query, {"type": wanted})
        return json_response(200, envelope("processors", list(items), nextPageToken=token))

    @route("create_processor", "POST", "/processors")
    async def create_processor(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, CreateProcessorRequest)
        kind = _known_type(body.type, _bad_request)
        config = None if isinstance(body.config, NotGiven) else body.config
        clone = present(body.clone_processor_id)
        if (config is None) == (clone is None):
            raise FakeError(400, "Invalid request: send exactly one of config, cloneProcessorId")
        store = self.store
        with store.lock:
            if clone is not None:
                source = self._entries.get(clone)
                if source is None:
                    raise FakeError(404, "Processor to clone not found")
                config = source.processor.draft_version.config
            assert config is not None
            _check_config(kind, config, _bad_request)
            processor = self._new(store.new_id("dp_", 20), body.name, kind, config)
            self._entries[processor.id] = _Entry(processor)
            store.events.emit(WebhookEventType.PROCESSOR_CREATED, processor)
        return json_response(200, envelope("processor", processor))

    @route("update_processor", "POST", "/processors/{id}")
    async def update_processor(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, UpdateProcessorRequest)
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            processor = entry.processor
            draft = processor.draft_version
            now = self.store.now()
            config = None if isinstance(body.config, NotGiven) else body.config
            if config is not None:
                _check_config(processor.type, config, _bad_request)
                draft = attrs.evolve(draft, config=config, updated_at=now)
            name = present(body.name) or processor.name
            draft = attrs.evolve(draft, processor_name=name)
            entry.processor = attrs.evolve(
                processor, name=name, draft_version=draft, updated_at=now
            )
            events = self.store.events
            events.emit(WebhookEventType.PROCESSOR_UPDATED, entry.processor)
            if config is not None:  # the draft's config changed too
                events.emit(WebhookEventType.PROCESSOR_DRAFT_UPDATED, entry.processor)
            return json_response(200, envelope("processor", entry.processor))

    @route("publish_processor_version", "POST", "/processors/{id}/publish")
    async def publish_processor_version(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, PublishProcessorVersionRequest)
        if not body.release_type.is_known:
            raise FakeError(400, "Invalid request: releaseType must be 'major' or 'minor'")
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            config = None if isinstance(body.config, NotGiven) else body.config
            if config is not None:
                _check_config(entry.processor.type, config, _bad_request)
            description = present(body.description)
            version = self._publish(entry.processor.id, body.release_type, description, config)
            self.store.events.emit(WebhookEventType.PROCESSOR_VERSION_PUBLISHED, version)
        return json_response(200, envelope("processorVersion", version))

    @route("get_processor_version", "GET", "/processors/{processor_id}/versions/{version_id}")
    async def get_processor_version(self, request: web.Request) -> web.StreamResponse:
        version_id = request.match_info["version_id"]
        with self.store.lock:
            entry = self._entry(request.match_info["processor_id"])
            for version in entry.versions():
                if version.id == version_id:
                    return json_response(200, envelope("version", version))
        raise FakeError(404, "Processor version not found")

    @route("list_processor_versions", "GET", "/processors/{id}/versions")
    async def list_processor_versions(self, request: web.Request) -> web.StreamResponse:
        with self.store.lock:
            versions = self._entry(request.match_info["id"]).versions()
        return json_response(200, envelope("versions", versions))

    # -- pieces -------------------------------------------------------------------------

    def _entry(self, processor_id: str) -> _Entry:
        entry = self._entries.get(processor_id)
        if entry is None:
            raise FakeError(404, "Processor not found")
        return entry

    def _new(
        self, processor_id: str, name: str, kind: ProcessorType, config: ProcessorConfig
    ) -> Processor:
        now = self.store.now()
        draft = ProcessorVersion(
            id=self.store.new_id("dpv_"),
            processor_id=processor_id,
            processor_type=kind,
            version="draft",
            config=config,
            created_at=now,
            updated_at=now,
            processor_name=name,
        )
        return Processor(
            id=processor_id,
            name=name,
            type=kind,
            created_at=now,
            updated_at=now,
            draft_version=draft,
        )

    def _publish(
        self,
        processor_id: str,
        release: ReleaseType,
        description: str | None,
        config: ProcessorConfig | None,
    ) -> ProcessorVersion:
        entry = self._entries[processor_id]
        processor = entry.processor
        major, minor = _numbers(entry.published[-1].version) if entry.published else (0, -1)
        number = (
            f"{major + 1}.0"
            if release == ReleaseType.MAJOR or major == 0
            else f"{major}.{minor + 1}"
        )
        now = self.store.now()
        version = attrs.evolve(
            processor.draft_version,
            id=self.store.new_id("dpv_"),
            version=number,
            config=config if config is not None else processor.draft_version.config,
            description=description,
            created_at=now,
            updated_at=now,
        )
        entry.published.append(version)
        return version

    def _summary(self, processor: Processor) -> ProcessorSummary:
        versions = self._entries[processor.id].versions()
        return ProcessorSummary(
            id=processor.id,
            name=processor.name,
            type=processor.type,
            versions=[ProcessorVersionSummary(id=v.id, version=v.version) for v in versions],
            created_at=processor.created_at,
            updated_at=processor.updated_at,
        )


def _numbers(version: str) -> tuple[int, int]:
    major, _, minor = version.partition(".")
    return int(major), int(minor or 0)


def _bad_request(message: str) -> FakeError:
    return FakeError(400, f"Invalid request: {message}")


def _known_type(value: str, error: Any) -> ProcessorType:
    kind = ProcessorType(value)
    if not kind.is_known:
        raise error(f"type must be EXTRACT, CLASSIFY or SPLITTER, got {str(value)!r}")
    return kind


def _check_config(
    kind: ProcessorType, config: ProcessorConfig, error: type[Exception] | Any
) -> None:
    if isinstance(config, UnknownProcessorConfig) or not isinstance(config, _CONFIG_CLASSES[kind]):
        raise error(f"the config's type does not match the processor's type {kind!s}")
