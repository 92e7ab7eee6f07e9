"""Processor runs: Run, Get, List, Cancel and Delete Processor Run.

A run uses the config of a version of one of the fake's processors (or the request's
own ``config``, of the processor's type) and, once PROCESSED, carries the output that
config produces (``generate_output``), drawn when the run is made, so the same seed gives
the same outputs whatever order runs are polled in.

Runs created through the API follow :attr:`ProcessorRuns.lifecycle`, each drawing its
own schedule from it when it is made: by default they come back PROCESSING and are
PROCESSED on their second GET, so a poller sees one unfinished answer and then the
outcome, with or without a moving clock. A ``sync: true`` run is answered finished when
its schedule ends it within :attr:`ProcessorRuns.sync_wait` seconds (the API's five
minutes); set that to 0 to get sync runs back unfinished, as when the server's wait
runs out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict
from urllib.parse import unquote, urlsplit

import attrs
from aiohttp import web

from ..models import (
    ClassificationConfig,
    EmptyOutput,
    ExtractionConfig,
    ExtractionOutputEdit,
    File,
    FileInput,
    FileMetadata,
    JsonObject,
    NotGiven,
    Processor,
    ProcessorConfig,
    ProcessorOutput,
    ProcessorRun,
    ProcessorRunCredits,
    ProcessorRunSource,
    ProcessorRunStatus,
    ProcessorRunSummary,
    ProcessorRunType,
    ProcessorType,
    ProcessorVersion,
    RunProcessorRequest,
    SplitterConfig,
    WebhookEventType,
)
from ._area import Area, FakeError, route
from ._files import file_type
from ._lifecycle import (
    DrawnLifecycles,
    Lifecycle,
    LifecycleSetting,
    PollSpan,
    Schedule,
    Span,
    SyncWaits,
)
from ._outputs import generate_output
from ._pages import page, present, sort_by_time
from ._wire import envelope, json_response, read_body, read_query

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "DEFAULT_LIFECYCLE",
    "NewProcessorRun",
    "ProcessorRunFields",
    "ProcessorRuns",
]

#: The lifecycle of a run created through the API, unless a test sets another one:
#: PROCESSING when created, PROCESSED on its second GET.
DEFAULT_LIFECYCLE: Final = Lifecycle(finish_after_polls=(2, 2))

_PENDING = ProcessorRunStatus.PENDING
_PROCESSING = ProcessorRunStatus.PROCESSING
_PROCESSED = ProcessorRunStatus.PROCESSED
_FAILED = ProcessorRunStatus.FAILED
_CANCELLED = ProcessorRunStatus.CANCELLED
_OUTCOMES: Final = frozenset({_PROCESSED, _FAILED})
_CANCELLABLE: Final = frozenset({_PENDING, _PROCESSING})
_EVENTS: Final = {
    _PROCESSED: WebhookEventType.PROCESSOR_RUN_PROCESSED,
    _FAILED: WebhookEventType.PROCESSOR_RUN_FAILED,
}
_LIST_QUERY: Final = (
    "status",
    "processorId",
    "processorType",
    "sourceId",
    "source",
    "fileNameContains",
    "sortBy",
    "sortDir",
    "nextPageToken",
    "maxPageSize",
)
_CONFIG_CLASSES: Final[dict[str, type[Any]]] = {
    ProcessorType.EXTRACT: ExtractionConfig,
    ProcessorType.CLASSIFY: ClassificationConfig,
    ProcessorType.SPLITTER: SplitterConfig,
}
#: Fields of a seeded run kept as given (the others are made up or come from elsewhere).
_SETTABLE: Final = frozenset(
    {"failure_reason", "failure_message", "reviewed", "edited", "edits", "usage"}
)
_USAGE_TAGS = "extend:usage_tags"
_NOT_A_TAG_CHARACTER = re.compile(r"[^A-Za-z0-9_-]")
_FAILURE_REASON = "PROCESSING_ERROR"
_FAILURE_MESSAGE = "The document could not be processed."


class ProcessorRunFields(TypedDict, total=False):
    """Fields of a seeded :class:`ProcessorRun` a test may set; the others are made up
    (ids, the file, timestamps) or come from the processor (name, version, config).

    ``output`` is what the run shows once PROCESSED (generated from the config when left
    out); ``file_name`` names the generated file; ``failure_reason``,
    ``failure_message``, ``reviewed``, ``edited``, ``edits`` and ``usage`` hold
    whatever the run's status.
    """

    id: str
    version: str
    status: ProcessorRunStatus | str
    config: ProcessorConfig
    output: ProcessorOutput
    metadata: JsonObject | None
    file_name: str
    files: list[File]
    failure_reason: str | None
    failure_message: str | None
    reviewed: bool
    edited: bool
    edits: dict[str, ExtractionOutputEdit]
    usage: ProcessorRunCredits | None
    source: ProcessorRunSource | str
    source_id: str | None
    created_at: datetime
    updated_at: datetime


class NewProcessorRun(ProcessorRunFields, total=False):
    """Fields of a new run plus its lifecycle (see :meth:`ProcessorRuns.add`)."""

    processing_after: float
    finish_after: float
    finish_after_polls: int
    outcome: Literal["PROCESSED", "FAILED"]


@attrs.define
class _Entry:
    run: ProcessorRun
    schedule: Schedule
    added_at: float
    #: The output shown once the run is PROCESSED (drawn when it was made).
    result: ProcessorOutput
    credits: float
    created_at: datetime
    updated_at: datetime
    source: ProcessorRunSource
    source_id: str | None
    #: Fields a test set on a seeded run: they hold whatever the status.
    fixed: dict[str, Any] = attrs.Factory(dict)
    polls: int = 0
    body: bytes | None = None

    @property
    def file_name(self) -> str:
        return self.run.files[0].name if self.run.files else ""


class ProcessorRuns(Area, DrawnLifecycles, SyncWaits):
    """The processor runs of the fake, by id."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._runs: dict[str, _Entry] = {}
        self._lifecycle = LifecycleSetting(
            self.store, "processor-run-lifecycles", DEFAULT_LIFECYCLE, _OUTCOMES
        )

    # -- settings (from tests, any thread) -----------------------------------------------

    def set_lifecycle(
        self,
        *,
        processing_after: Span | None = None,
        finish_after: Span | None = None,
        finish_after_polls: PollSpan | None = None,
        outcome: Literal["PROCESSED", "FAILED"] | Mapping[str, float] = "PROCESSED",
    ) -> None:
        """How runs created through the API from now on move: ``PENDING`` until
        ``processing_after`` seconds (when given), ``PROCESSING``, then ``outcome``
        after ``finish_after`` seconds on the fake's clock or on GET number
        ``finish_after_polls``, whichever comes first. With none of them, runs are
        finished when created. The default is ``finish_after_polls=2``.

        Each may vary from run to run: a ``(low, high)`` pair of seconds or GETs, and
        outcomes with weights (``{"PROCESSED": 9, "FAILED": 1}`` fails one run in
        ten). Each new run draws its own from the fake's seeded generator when it is
        created: the same seed and the same creates give the same runs, whatever
        order they are polled in.
        """
        self._lifecycle.set(
            processing_after=processing_after,
            finish_after=finish_after,
            finish_after_polls=finish_after_polls,
            outcome=outcome,
        )

    # -- seeding and inspection (from tests, any thread) --------------------------------

    def add(self, *, processor_id: str, **fields: Unpack[NewProcessorRun]) -> ProcessorRun:
        """Store a run of ``processor_id`` (one of ``fake.processors``) and return it.

        ``version`` picks the processor version whose config the run uses (default
        ``latest``), ``config`` overrides it. Without a lifecycle the run is PROCESSED,
        with its output, unless ``status`` says otherwise. With one it starts ``PENDING``
        (when ``processing_after`` is given) or ``PROCESSING``, and ends as ``outcome``
        after ``finish_after`` seconds on the fake's clock or on GET number
        ``finish_after_polls``, whichever comes first. ``file_name`` names the
        generated file; ``source`` defaults to ``API``.
        """
        values: dict[str, Any] = dict(fields)
        schedule = Schedule(
            processing_after=values.pop("processing_after", None),
            finish_after=values.pop("finish_after", None),
            finish_after_polls=values.pop("finish_after_polls", None),
            outcome=values.pop("outcome", "PROCESSED"),
        )
        schedule.check_outcome(_OUTCOMES)
        status: str | None = values.pop("status", None)
        if status is None:
            status = _PROCESSED if schedule.is_empty else schedule.initial_status
        elif not schedule.is_empty and ProcessorRunStatus.is_terminal(status):
            raise ValueError(f"a run with a schedule cannot start as {status!s}")
        source = ProcessorRunSource(values.pop("source", ProcessorRunSource.API))
        source_id = values.pop("source_id", None)
        store = self.store
        with store.lock:
            processor, version = self._resolve(processor_id, values.pop("version", "latest"))
            config = values.pop("config", None)
            if config is None:
                config = version.config
            elif not _config_fits(processor.type, config):
                raise ValueError(f"config is not of the processor's type {processor.type!s}")
            name = values.pop("file_name", None) or "document.pdf"
            files = values.pop("files", None)
            if files is None:
                files = [self._file(name, store.new_id("file_"), None)]
            run_id = values.pop("id", None) or store.new_id("dpr_")
            metadata = values.pop("metadata", None)
            result = values.pop("output", None)
            created_at = values.pop("created_at", None)
            updated_at = values.pop("updated_at", None)
            unknown = sorted(set(values) - _SETTABLE)
            if unknown:
                raise TypeError(f"processor_runs.add() got unknown fields {unknown}")
            if run_id in self._runs:
                raise ValueError(f"a processor run with id {run_id!r} already exists")
            entry = self._make(
                run_id,
                processor,
                version,
                config,
                files,
                metadata,
                schedule,
                ProcessorRunStatus(status),
                source,
                source_id,
                result=result,
                created_at=created_at,
                updated_at=updated_at,
                fixed=values,  # what is left are plain fields of the run
            )
            return entry.run

    def get(self, run_id: str) -> ProcessorRun:
        """The run as a GET would show it now, without counting as a poll (KeyError if
        there is none)."""
        with self.store.lock:
            entry = self._runs.get(run_id)
            if entry is None:
                raise KeyError(f"no processor run with id {run_id!r}")
            self._advance(entry)
            return entry.run

    def all(self) -> list[ProcessorRun]:
        """Every stored run, oldest first, as a GET would show it now (without counting
        as a poll)."""
        with self.store.lock:
            for entry in self._runs.values():
                self._advance(entry)
            return [entry.run for entry in self._runs.values()]

    # -- the API ----------------------------------------------------------------------

    @route("run_processor", "POST", "/processor_runs")
    async def run_processor(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, RunProcessorRequest)
        file, raw_text = present(body.file), present(body.raw_text)
        if (file is None) == (raw_text is None):
            raise FakeError(400, "Invalid request: send exactly one of file, rawText")
        metadata = _echoed_metadata(present(body.metadata))
        store = self.store
        with store.lock:
            processor, version = self._resolve_or_404(
                body.processor_id, present(body.version) or "latest"
            )
            config = None if isinstance(body.config, NotGiven) else body.config
            if config is None:
                config = version.config
            elif not _config_fits(processor.type, config):
                raise FakeError(
                    400,
                    f"Invalid request: the config's type does not match the processor's "
                    f"type {processor.type!s}",
                )
            files = [self._input_file(file)] if file is not None else [self._text_file()]
            schedule = self._lifecycle.draw()
            status = _PROCESSED if schedule.is_empty else schedule.initial_status
            entry = self._make(
                store.new_id("dpr_"),
                processor,
                version,
                config,
                files,
                metadata,
                schedule,
                ProcessorRunStatus(status),
                ProcessorRunSource.API,
                None,
            )
            ends = schedule.ends_within(self._sync_wait)
            if body.sync is True and not entry.run.is_terminal and ends:
                self._set_status(entry, ProcessorRunStatus(schedule.outcome), store.now())
                self._announce(entry)
            answer = self._body(entry)
        return json_response(200, answer)

    @route("get_processor_run", "GET", "/processor_runs/{id}")
    async def get_processor_run(self, request: web.Request) -> web.StreamResponse:
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            entry.polls += 1
            self._advance(entry)
            answer = self._body(entry)
        return json_response(200, answer)

    @route("list_processor_runs", "GET", "/processor_runs")
    async def list_processor_runs(self, request: web.Request) -> web.StreamResponse:
        query = read_query(request, _LIST_QUERY)
        status = _known(query, "status", ProcessorRunStatus)
        processor_type = _known(query, "processorType", ProcessorType)
        source = _known(query, "source", ProcessorRunSource)
        processor_id = query.get("processorId")
        source_id = query.get("sourceId")
        name_part = query.get("fileNameContains")
        with self.store.lock:
            chosen = []
            for entry in self._runs.values():
                self._advance(entry)
                run = entry.run
                if (
                    (status is None or run.status == status)
                    and (processor_id is None or run.processor_id == processor_id)
                    and (processor_type is None or run.type == processor_type)
                    and (source is None or entry.source == source)
                    and (source_id is None or entry.source_id == source_id)
                    and (name_part is None or name_part.lower() in entry.file_name.lower())
                ):
                    chosen.append(_summary(entry))
            summaries = sort_by_time(chosen, query)
        filters = {
            key: value
            for key, value in query.items()
            if key not in ("nextPageToken", "maxPageSize")
        }
        items, token = page(summaries, query, filters)
        return json_response(200, envelope("processorRuns", list(items), nextPageToken=token))

    @route("cancel_processor_run", "POST", "/processor_runs/{id}/cancel")
    async def cancel_processor_run(self, request: web.Request) -> web.StreamResponse:
        run_id = request.match_info["id"]
        with self.store.lock:
            entry = self._entry(run_id)
            self._advance(entry)
            status = entry.run.status
            if status not in _CANCELLABLE:
                raise FakeError(
                    400,
                    f"Processor run {run_id} cannot be cancelled: its status is {status!s}; "
                    "only a PENDING or PROCESSING run can be",
                )
            self._set_status(entry, _CANCELLED, self.store.now())
            answer = self._body(entry)
        return json_response(200, answer)

    @route("delete_processor_run", "DELETE", "/processor_runs/{id}")
    async def delete_processor_run(self, request: web.Request) -> web.StreamResponse:
        run_id = request.match_info["id"]
        with self.store.lock:
            if self._runs.pop(run_id, None) is None:
                raise FakeError(404, "Processor run not found")
        answer = envelope(
            "documentProcessorRunId",
            run_id,
            message="Document processor run data has been successfully deleted.",
        )
        return json_response(200, answer)

    # -- pieces -------------------------------------------------------------------------

    def _entry(self, run_id: str) -> _Entry:
        entry = self._runs.get(run_id)
        if entry is None:
            raise FakeError(404, "Processor run not found")
        return entry

    def _resolve_or_404(
        self, processor_id: str, version: str
    ) -> tuple[Processor, ProcessorVersion]:
        processors = self.areas.processors
        found = processors.version(processor_id, version)  # a 404 for an unknown one
        return processors.get(processor_id), found

    def _resolve(self, processor_id: str, version: str) -> tuple[Processor, ProcessorVersion]:
        try:
            return self._resolve_or_404(processor_id, version)
        except FakeError as exc:
            raise ValueError(
                f"{exc.message} ({processor_id!r}, version {version!r}): "
                "add the processor with fake.processors.add() first"
            ) from None

    def _make(
        self,
        run_id: str,
        processor: Processor,
        version: ProcessorVersion,
        config: ProcessorConfig,
        files: list[File],
        metadata: JsonObject | None,
        schedule: Schedule,
        status: ProcessorRunStatus,
        source: ProcessorRunSource,
        source_id: str | None,
        *,
        result: ProcessorOutput | None = None,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
        fixed: dict[str, Any] | None = None,
    ) -> _Entry:
        store = self.store
        rng = store.rng
        now = store.now()
        pages = int(files[0].metadata.page_count or 1) if files else 1
        if result is None:
            name = files[0].name if files else ""
            result = generate_output(config, rng, file_name=name, pages=pages)
        created = created_at or now
        run = ProcessorRun(
            id=run_id,
            processor_id=processor.id,
            processor_version_id=version.id,
            processor_name=processor.name,
            status=_PENDING,
            output=EmptyOutput(),
            reviewed=False,
            edited=False,
            edits={},
            type=ProcessorRunType(str(processor.type)),
            config=config,
            files=files,
            merged_processors=[],
            url=f"https://dashboard.extend.ai/runs/{run_id}",
            metadata=metadata,
        )
        entry = _Entry(
            run=run,
            schedule=schedule,
            added_at=store.clock.monotonic(),
            result=result,
            credits=round(pages * rng.uniform(1.0, 2.0), 1),
            created_at=created,
            updated_at=created,
            source=source,
            source_id=source_id,
            fixed=fixed or {},
        )
        self._set_status(entry, status, updated_at or (created if status == _PENDING else now))
        self._runs[run_id] = entry
        return entry

    def _set_status(self, entry: _Entry, status: ProcessorRunStatus, at: datetime) -> None:
        """Move a run to ``status``: the output appears when it is PROCESSED, a reason
        when it FAILED, and no other state has an output. Fields a test set stay."""
        changes: dict[str, Any] = {
            "status": status,
            "output": EmptyOutput(),
            "initial_output": None,
            "usage": None,
            "failure_reason": None,
            "failure_message": None,
        }
        if status == _PROCESSED:
            changes.update(
                output=entry.result,
                initial_output=entry.result,
                usage=ProcessorRunCredits(credits=entry.credits),
            )
        elif status == _FAILED:
            changes.update(failure_reason=_FAILURE_REASON, failure_message=_FAILURE_MESSAGE)
        changes.update(entry.fixed)
        entry.run = attrs.evolve(entry.run, **changes)
        entry.updated_at = at
        entry.body = None

    def _advance(self, entry: _Entry) -> None:
        store = self.store
        elapsed = store.clock.monotonic() - entry.added_at
        transition = entry.schedule.transition(
            entry.run.status, elapsed, entry.polls, settled=ProcessorRunStatus.TERMINAL
        )
        if transition is not None:
            at = store.wall_time(entry.added_at + transition.at)
            self._set_status(entry, ProcessorRunStatus(transition.status), at)
            self._announce(entry)

    def _announce(self, entry: _Entry) -> None:
        """The webhook event of a run that has just ended in PROCESSED or FAILED."""
        event = _EVENTS.get(entry.run.status)
        if event is not None:
            self.store.events.emit(event, entry.run)

    def advance_all(self) -> None:
        """Move every run to where the clock puts it (what lets a run end, and its
        event go out, with nobody polling it)."""
        with self.store.lock:
            for entry in self._runs.values():
                self._advance(entry)

    def _body(self, entry: _Entry) -> bytes:
        if entry.body is None:  # serialised once per change: thousands of GETs stay cheap
            entry.body = envelope("processorRun", entry.run)
        return entry.body

    def _file(self, name: str, file_id: str, url: str | None) -> File:
        now = self.store.now()
        return File(
            id=file_id,
            name=name,
            type=file_type(name),
            presigned_url=url,
            metadata=FileMetadata(page_count=self.store.rng.randint(1, 6)),
            created_at=now,
            updated_at=now,
        )

    def _input_file(self, given: FileInput) -> File:
        """The run's file from the request's: a stored file by its ``fileId``, else one
        named by ``fileName`` or the URL's last path segment, with ``fileId`` as its id
        or a new one."""
        url, file_id = present(given.file_url), present(given.file_id)
        if (url is None) == (file_id is None):
            raise FakeError(400, "Invalid request: file needs exactly one of fileUrl, fileId")
        stored = None if file_id is None else self.areas.files.find(file_id)
        if stored is not None:
            return stored.file
        name = present(given.file_name)
        if name is None and url is not None:
            name = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])
        return self._file(name or "document.pdf", file_id or self.store.new_id("file_"), url)

    def _text_file(self) -> File:
        """The file a raw-text run shows: the text as a ``.txt`` document."""
        return self._file("raw_text.txt", self.store.new_id("file_"), None)


def _summary(entry: _Entry) -> ProcessorRunSummary:
    run = entry.run
    return ProcessorRunSummary(
        id=run.id,
        status=run.status,
        processor_id=run.processor_id,
        processor_name=run.processor_name,
        processor_version_id=run.processor_version_id,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        type=run.type,
        usage=run.usage,
    )


def _config_fits(kind: ProcessorType, config: ProcessorConfig) -> bool:
    expected = _CONFIG_CLASSES.get(kind)
    return expected is not None and isinstance(config, expected)


def _known(query: Mapping[str, str], key: str, enum: Any) -> Any:
    """A query filter's value as a member of ``enum``; a 400 for a value it lacks."""
    value = query.get(key)
    if value is None:
        return None
    member = enum(value)
    if not member.is_known:
        choices = ", ".join(item.value for item in enum)
        raise FakeError(400, f"Invalid request: {key} must be one of {choices}, got {value!r}")
    return member


def _echoed_metadata(metadata: JsonObject | None) -> JsonObject | None:
    """The metadata as the API echoes it: ``extend:usage_tags`` keep only letters,
    digits, ``-`` and ``_`` (other characters are stripped)."""
    if metadata is None or _USAGE_TAGS not in metadata:
        return metadata
    tags = metadata[_USAGE_TAGS]
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise FakeError(400, f"Invalid request: metadata.{_USAGE_TAGS} must be an array of strings")
    return {**metadata, _USAGE_TAGS: [_NOT_A_TAG_CHARACTER.sub("", tag) for tag in tags]}
