"""Workflows and their runs: Create Workflow; Run, Batch Run, Get, List, Update, Cancel,
Delete and Correct Outputs of workflow runs.

A workflow runs its processors (from the processors area) in turn; a workflow run is
one file or raw text through them. Runs move PENDING -> PROCESSING -> PROCESSED,
FAILED or NEEDS_REVIEW on a :class:`Schedule` (the fake's clock, or the N-th GET of
the run); on reaching PROCESSED or NEEDS_REVIEW each gets one :class:`ProcessorRun`
output per processor, generated from its config. A run in NEEDS_REVIEW stays there
until a test reviews it (:meth:`WorkflowRuns.review`). Creating a workflow through the
API announces ``workflow.created``; a run announces how its lifecycle ended.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final
from urllib.parse import urlsplit

import attrs
from aiohttp import web

from ..models import (
    BatchRunWorkflowRequest,
    BatchWorkflowRunInput,
    ClassifierOutput,
    CorrectWorkflowRunOutputsRequest,
    CreateWorkflowRequest,
    ExtractionFieldResult,
    ExtractionFieldType,
    ExtractionOutputEdit,
    FieldsArrayOutput,
    File,
    FileMetadata,
    FileType,
    JsonOutput,
    ProcessorOutput,
    ProcessorRun,
    ProcessorRunCredits,
    ProcessorRunStatus,
    ProcessorRunType,
    ProcessorType,
    ProcessorVersion,
    ProvidedClassifierOutput,
    ProvidedFieldsArrayOutput,
    ProvidedJsonOutput,
    ProvidedProcessorOutput,
    ProvidedSplitterOutput,
    RunWorkflowRequest,
    Split,
    SplitterOutput,
    UnknownOutput,
    UpdateWorkflowRunRequest,
    WebhookEventType,
    Workflow,
    WorkflowRun,
    WorkflowRunCredits,
    WorkflowRunFileInput,
    WorkflowRunStatus,
    WorkflowRunSummary,
)
from ._area import Area, FakeError, route
from ._files import file_type
from ._lifecycle import DrawnLifecycles, Lifecycle, LifecycleSetting, PollSpan, Schedule, Span
from ._outputs import generate_output
from ._pages import page, present, sort_by_time
from ._wire import envelope, json_response, read_body, read_query

__all__ = [
    "DEFAULT_LIFECYCLE",
    "MAX_BATCH_INPUTS",
    "MAX_FILES_PER_RUN",
    "WorkflowRuns",
    "Workflows",
]

#: Run Workflow takes at most this many files (or raw texts) per call.
MAX_FILES_PER_RUN: Final = 50
#: Batch Run Workflow takes 1 to this many inputs.
MAX_BATCH_INPUTS: Final = 1000

_DASHBOARD = "https://dashboard.extend.ai"
_S = WorkflowRunStatus
#: How a run may end its lifecycle (the rest, REJECTED included, takes a human or a cancel).
_OUTCOMES: Final = frozenset({_S.PROCESSED, _S.FAILED, _S.NEEDS_REVIEW})
#: How runs started through the API move unless a test says otherwise.
DEFAULT_LIFECYCLE: Final = Lifecycle(
    processing_after=(0.0, 0.0), finish_after=(5.0, 5.0), finish_after_polls=(2, 2)
)
#: Statuses a lifecycle never moves a run out of.
_SETTLED: Final = _S.TERMINAL | {_S.NEEDS_REVIEW, _S.CANCELLING}
#: Statuses in which the processors have run, so the run carries their outputs.
_WITH_OUTPUTS: Final = frozenset({_S.PROCESSED, _S.NEEDS_REVIEW, _S.REJECTED})
_CANCELLABLE: Final = frozenset({_S.PENDING, _S.PROCESSING})
#: The webhook event of each way a run's lifecycle can end.
_RUN_EVENTS: Final = {
    _S.PROCESSED: WebhookEventType.WORKFLOW_RUN_COMPLETED,
    _S.FAILED: WebhookEventType.WORKFLOW_RUN_FAILED,
    _S.NEEDS_REVIEW: WebhookEventType.WORKFLOW_RUN_NEEDS_REVIEW,
}
_LIST_QUERY = (
    "status",
    "workflowId",
    "batchId",
    "fileNameContains",
    "sortBy",
    "sortDir",
    "nextPageToken",
    "maxPageSize",
)
_NAMES = ("Invoice Processing", "Receipt Intake", "Claims Triage", "Onboarding Packets")
_RUN_TYPES = {
    ProcessorType.EXTRACT: ProcessorRunType.EXTRACT,
    ProcessorType.CLASSIFY: ProcessorRunType.CLASSIFY,
    ProcessorType.SPLITTER: ProcessorRunType.SPLITTER,
}
_FAILURE = ("PROCESSING_ERROR", "A step of the workflow failed while processing the file.")
_DELETED = "Workflow run data has been successfully deleted."


@attrs.define
class _Workflow:
    workflow: Workflow
    processor_ids: list[str]
    #: Version label ("draft", "1", "2"...) -> workflow version id.
    versions: dict[str, str]


@attrs.frozen
class _Source:
    """One input of a run request, checked: its file and its pre-set outputs."""

    file: File
    pages: int
    preset: dict[str, ProvidedProcessorOutput]
    metadata: dict[str, Any]


class Workflows(Area):
    """The workflows of the fake, by id, each with the processors it runs."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._entries: dict[str, _Workflow] = {}

    # -- seeding and inspection (from tests, any thread) --------------------------

    def add(
        self,
        *,
        name: str | None = None,
        processor_ids: Sequence[str] | None = None,
        id: str | None = None,
        published: int = 0,
    ) -> Workflow:
        """Store a workflow that runs ``processor_ids`` (processors of
        ``fake.processors``), each run getting one output per processor. By default it
        gets one new extraction processor; ``[]`` makes a workflow without outputs.
        ``published`` versions ``"1"``, ``"2"``... exist besides ``"draft"``; a run
        without a version uses the latest of them (else the draft)."""
        if isinstance(processor_ids, str):
            raise TypeError("processor_ids must be a list of processor ids, not one string")
        if published < 0:
            raise ValueError(f"published must be >= 0, got {published!r}")
        store = self.store
        with store.lock:
            workflow_id = id or store.new_id("workflow_", 21)
            if workflow_id in self._entries:
                raise ValueError(f"a workflow with id {workflow_id!r} already exists")
            if processor_ids is None:
                ids = [self.areas.processors.add(type=ProcessorType.EXTRACT).id]
            else:
                ids = list(processor_ids)
                for processor_id in ids:
                    self.areas.processors.get(processor_id)  # KeyError for an unknown one
            self._store(workflow_id, name or store.rng.choice(_NAMES), ids, published)
            return self._entries[workflow_id].workflow

    def get(self, workflow_id: str) -> Workflow:
        """A stored workflow, at version ``draft`` (KeyError if there is none)."""
        with self.store.lock:
            return self._known(workflow_id).workflow

    def processor_ids(self, workflow_id: str) -> list[str]:
        """The processors a workflow runs, in order (KeyError if there is none)."""
        with self.store.lock:
            return list(self._known(workflow_id).processor_ids)

    # -- the API ----------------------------------------------------------------------

    @route("create_workflow", "POST", "/workflows")
    async def create_workflow(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, CreateWorkflowRequest)
        if not body.name.strip():
            raise FakeError(400, "Invalid request: name must not be empty")
        store = self.store
        with store.lock:
            processor = self.areas.processors.add(type=ProcessorType.EXTRACT)
            workflow = self._store(store.new_id("workflow_", 21), body.name, [processor.id], 0)
            store.events.emit(WebhookEventType.WORKFLOW_CREATED, workflow)
        return json_response(200, envelope("workflow", workflow))

    # -- pieces -------------------------------------------------------------------------

    def _store(
        self, workflow_id: str, name: str, processor_ids: list[str], published: int
    ) -> Workflow:
        workflow = Workflow(id=workflow_id, version="draft", name=name)
        labels = ["draft", *(str(number) for number in range(1, published + 1))]
        versions = {label: self.store.new_id("workflow_version_", 21) for label in labels}
        self._entries[workflow_id] = _Workflow(workflow, processor_ids, versions)
        return workflow

    def _known(self, workflow_id: str) -> _Workflow:
        entry = self._entries.get(workflow_id)
        if entry is None:
            raise KeyError(f"no workflow with id {workflow_id!r}")
        return entry

    def resolve(self, workflow_id: str, version: str | None) -> tuple[Workflow, str, list[str]]:
        """The workflow at ``version`` (None: the latest published, else the draft), the
        id of that version, and its processors; a 404 for an unknown workflow or version.
        Call under the store's lock."""
        entry = self._entries.get(workflow_id)
        if entry is None:
            raise FakeError(404, "Workflow not found")
        label = version if version is not None else list(entry.versions)[-1]
        version_id = entry.versions.get(label)
        if version_id is None:
            raise FakeError(404, f"Workflow version {label!r} not found")
        return attrs.evolve(entry.workflow, version=label), version_id, list(entry.processor_ids)


@attrs.define
class _Run:
    run: WorkflowRun
    schedule: Schedule
    added_at: float
    created_at: datetime
    updated_at: datetime
    workflow_version_id: str
    #: The processor versions the run uses, fixed when it was created.
    processors: list[ProcessorVersion]
    preset: dict[str, ProvidedProcessorOutput]
    pages: int
    polls: int = 0
    body: bytes | None = None


class WorkflowRuns(Area, DrawnLifecycles):
    """The workflow runs of the fake, by id.

    Runs started through the API follow :meth:`set_lifecycle` (by default: PENDING
    when created, PROCESSING from the first look at them, PROCESSED on the second GET
    or 5 s after creation on the fake's clock, whichever comes first), each drawing
    its own schedule from it when it is created.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._runs: dict[str, _Run] = {}
        self._lifecycle = LifecycleSetting(
            self.store, "workflow-run-lifecycles", DEFAULT_LIFECYCLE, _OUTCOMES
        )

    # -- seeding and inspection (from tests, any thread) --------------------------

    def set_lifecycle(
        self,
        *,
        processing_after: Span | None = 0.0,
        finish_after: Span | None = 5.0,
        finish_after_polls: PollSpan | None = 2,
        outcome: str | Mapping[str, float] = "PROCESSED",
    ) -> None:
        """How runs started through the API from now on move: PROCESSING
        ``processing_after`` seconds after they were created (on the fake's clock),
        then ``outcome`` (``"PROCESSED"``, ``"FAILED"`` or ``"NEEDS_REVIEW"``) after
        ``finish_after`` seconds or on GET number ``finish_after_polls``, whichever
        comes first. ``None`` switches a step off: with both ends None, runs never
        finish by themselves (to cancel them, say).

        Each may vary from run to run: a ``(low, high)`` pair of seconds or GETs, and
        outcomes with weights (``{"PROCESSED": 8, "NEEDS_REVIEW": 1, "FAILED": 1}``).
        Each new run draws its own from the fake's seeded generator when it is
        created: the same seed and the same requests give the same runs, whatever
        order they are polled in.
        """
        self._lifecycle.set(
            processing_after=processing_after,
            finish_after=finish_after,
            finish_after_polls=finish_after_polls,
            outcome=outcome,
        )

    def add(
        self,
        *,
        workflow_id: str | None = None,
        id: str | None = None,
        file_name: str | None = None,
        file_id: str | None = None,
        raw_text: str | None = None,
        name: str | None = None,
        status: WorkflowRunStatus | str | None = None,
        metadata: Mapping[str, Any] | None = None,
        batch_id: str | None = None,
        version: str | None = None,
        processing_after: float | None = None,
        finish_after: float | None = None,
        finish_after_polls: int | None = None,
        outcome: str = "PROCESSED",
    ) -> WorkflowRun:
        """Store a workflow run of ``workflow_id`` (a new workflow, with one extraction
        processor, when None) on a file named ``file_name`` (``file_id``) or on
        ``raw_text``; ``id`` (default: a new one), ``name`` (default: the file's),
        ``metadata``, ``batch_id`` and ``version`` (of the workflow) are the run's.

        Without a lifecycle the run is PROCESSED, with its outputs, unless ``status``
        says otherwise (any status, NEEDS_REVIEW included). With one it starts PENDING
        (when ``processing_after`` is given) or PROCESSING, and ends as ``outcome``
        (``"PROCESSED"``, ``"FAILED"`` or ``"NEEDS_REVIEW"``) after ``finish_after``
        seconds or on GET number ``finish_after_polls``, whichever comes first.
        """
        schedule = Schedule(
            processing_after=processing_after,
            finish_after=finish_after,
            finish_after_polls=finish_after_polls,
            outcome=outcome,
        )
        schedule.check_outcome(_OUTCOMES)
        if status is None:
            status = _S.PROCESSED if schedule.is_empty else schedule.initial_status
        elif not schedule.is_empty and status in _SETTLED:
            raise ValueError(f"a run with a lifecycle cannot start as {status!s}")
        if file_name is not None and raw_text is not None:
            raise ValueError("give file_name or raw_text, not both")
        store = self.store
        with store.lock:
            if id is not None and id in self._runs:
                raise ValueError(f"a workflow run with id {id!r} already exists")
            workflows = self.areas.workflows
            if workflow_id is None:
                workflow_id = workflows.add().id
            workflows.get(workflow_id)  # KeyError for an unknown one
            try:
                workflow, version_id, processor_ids = workflows.resolve(workflow_id, version)
            except FakeError as exc:
                raise ValueError(exc.message) from None
            if raw_text is not None:
                source = self._text_source(raw_text, dict(metadata or {}))
            else:
                source = self._file_source(
                    WorkflowRunFileInput(
                        file_name=file_name or f"document-{len(self._runs) + 1}.pdf",
                        file_id=file_id or store.new_id("file_"),
                    ),
                    processor_ids,
                    dict(metadata or {}),
                )
            entry = self._start(
                workflow, version_id, processor_ids, source, batch_id, schedule, _S(status), id
            )
            if name is not None:
                entry.run = attrs.evolve(entry.run, name=name)
            return entry.run

    def get(self, run_id: str) -> WorkflowRun:
        """The run as a GET would show it now, without counting as a poll (KeyError if
        there is none)."""
        with self.store.lock:
            entry = self._known(run_id)
            self._advance(entry)
            return entry.run

    def review(
        self,
        run_id: str,
        *,
        approve: bool = True,
        reviewer: str = "reviewer@example.com",
        note: str | None = None,
    ) -> WorkflowRun:
        """Finish a run parked in NEEDS_REVIEW as a human would: approved it becomes
        PROCESSED, rejected REJECTED (with ``note`` as its rejection note); either way
        it is marked reviewed by ``reviewer``. A ValueError in any other status."""
        store = self.store
        with store.lock:
            entry = self._known(run_id)
            self._advance(entry)
            run = entry.run
            if run.status != _S.NEEDS_REVIEW:
                raise ValueError(f"run {run_id!r} is {run.status!s}, not NEEDS_REVIEW")
            now = store.now()
            outputs = [attrs.evolve(output, reviewed=True) for output in run.outputs]
            entry.run = attrs.evolve(
                run,
                status=_S.PROCESSED if approve else _S.REJECTED,
                reviewed=True,
                reviewed_by=reviewer,
                reviewed_at=now,
                rejection_note=None if approve else note,
                outputs=outputs,
            )
            self._changed(entry, now)
            return entry.run

    # -- the API ----------------------------------------------------------------------

    @route("run_workflow", "POST", "/workflow_runs")
    async def run_workflow(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, RunWorkflowRequest)
        files, texts = present(body.files), present(body.raw_texts)
        if (files is None) == (texts is None):
            raise FakeError(400, "Invalid request: send exactly one of files, rawTexts")
        count = len(files) if files is not None else len(texts or [])
        if not count:
            raise FakeError(400, "Invalid request: send at least one file or raw text")
        if count > MAX_FILES_PER_RUN:
            raise FakeError(
                400,
                f"Invalid request: at most {MAX_FILES_PER_RUN} files per run, got "
                f"{count}; use batch_run_workflow for more",
            )
        metadata = dict(present(body.metadata) or {})
        with self.store.lock:
            workflow, version_id, processor_ids = self.areas.workflows.resolve(
                body.workflow_id, present(body.version)
            )
            if files is not None:
                sources = [
                    self._file_source(item, processor_ids, metadata, index)
                    for index, item in enumerate(files)
                ]
            else:
                sources = [self._text_source(text, metadata) for text in texts or []]
            runs = [
                self._start(
                    workflow,
                    version_id,
                    processor_ids,
                    source,
                    None,
                    self._lifecycle.draw(),
                    _S.PENDING,
                ).run
                for source in sources
            ]
        return json_response(200, envelope("workflowRuns", runs))

    # Declared before the routes on /workflow_runs/{id}, which "batch" would match too.
    @route("batch_run_workflow", "POST", "/workflow_runs/batch")
    async def batch_run_workflow(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, BatchRunWorkflowRequest)
        if not 1 <= len(body.inputs) <= MAX_BATCH_INPUTS:
            raise FakeError(
                400,
                f"Invalid request: inputs must hold 1 to {MAX_BATCH_INPUTS} items, "
                f"got {len(body.inputs)}",
            )
        store = self.store
        with store.lock:
            workflow, version_id, processor_ids = self.areas.workflows.resolve(
                body.workflow_id, present(body.version)
            )
            sources = [
                self._batch_source(item, index, processor_ids)
                for index, item in enumerate(body.inputs)
            ]
            batch_id = store.new_id("batch_", 8)
            for source in sources:
                self._start(
                    workflow,
                    version_id,
                    processor_ids,
                    source,
                    batch_id,
                    self._lifecycle.draw(),
                    _S.PENDING,
                )
        return json_response(200, envelope("batchId", batch_id))

    @route("get_workflow_run", "GET", "/workflow_runs/{id}")
    async def get_workflow_run(self, request: web.Request) -> web.StreamResponse:
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            entry.polls += 1
            self._advance(entry)
            if entry.body is None:  # serialised once per change: polling stays cheap
                entry.body = envelope("workflowRun", entry.run)
            body = entry.body
        return json_response(200, body)

    @route("list_workflow_runs", "GET", "/workflow_runs")
    async def list_workflow_runs(self, request: web.Request) -> web.StreamResponse:
        query = read_query(request, _LIST_QUERY)
        status = query.get("status")
        if status is not None and not _S(status).is_known:
            raise FakeError(400, f"Invalid request: unknown status {status!r}")
        workflow_id = query.get("workflowId")
        batch_id = query.get("batchId")
        contains = query.get("fileNameContains")
        with self.store.lock:
            summaries = []
            for entry in self._runs.values():
                self._advance(entry)
                run = entry.run
                if (
                    (status is None or run.status == status)
                    and (workflow_id is None or run.workflow.id == workflow_id)
                    and (batch_id is None or run.batch_id == batch_id)
                    and (contains is None or _names_contain(run, contains))
                ):
                    summaries.append(_summary(entry))
            ordered = sort_by_time(summaries, query)
        filters = {
            "status": status,
            "workflowId": workflow_id,
            "batchId": batch_id,
            "fileNameContains": contains,
            "sortBy": query.get("sortBy"),
            "sortDir": query.get("sortDir"),
        }
        items, token = page(ordered, query, filters)
        return json_response(200, envelope("workflowRuns", list(items), nextPageToken=token))

    @route("update_workflow_run", "POST", "/workflow_runs/{id}")
    async def update_workflow_run(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, UpdateWorkflowRunRequest)
        name, metadata = present(body.name), present(body.metadata)
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            self._advance(entry)
            run = entry.run
            entry.run = attrs.evolve(
                run,
                name=run.name if name is None else name,
                metadata=run.metadata if metadata is None else {**run.metadata, **metadata},
            )
            self._changed(entry, self.store.now())
            return json_response(200, envelope("workflowRun", entry.run))

    @route("cancel_workflow_run", "POST", "/workflow_runs/{id}/cancel")
    async def cancel_workflow_run(self, request: web.Request) -> web.StreamResponse:
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            self._advance(entry)
            run = entry.run
            if run.status not in _CANCELLABLE:
                raise FakeError(
                    400,
                    f"Workflow run cannot be cancelled: it is {run.status!s} "
                    "(only PENDING or PROCESSING runs can be)",
                )
            now = self.store.now()
            entry.run = attrs.evolve(run, status=_S.CANCELLED, end_time=now)
            self._changed(entry, now)
            return json_response(200, envelope("workflowRun", entry.run))

    @route("delete_workflow_run", "DELETE", "/workflow_runs/{id}")
    async def delete_workflow_run(self, request: web.Request) -> web.StreamResponse:
        run_id = request.match_info["id"]
        with self.store.lock:
            if self._runs.pop(run_id, None) is None:
                raise FakeError(404, "Workflow run not found")
        return json_response(200, envelope("workflowRunId", run_id, message=_DELETED))

    @route("correct_workflow_run_outputs", "POST", "/workflow_runs/{id}/outputs/{output_id}")
    async def correct_workflow_run_outputs(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, CorrectWorkflowRunOutputsRequest)
        output_id = request.match_info["output_id"]
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            self._advance(entry)
            run = entry.run
            ids = [output.id for output in run.outputs]
            if output_id not in ids:
                raise FakeError(404, f"Output {output_id!r} not found in this workflow run")
            index = ids.index(output_id)
            corrected = self._corrected(run.outputs[index], body.reviewed_output)
            outputs = [*run.outputs[:index], corrected, *run.outputs[index + 1 :]]
            entry.run = attrs.evolve(run, outputs=outputs)
            self._changed(entry, self.store.now())
            return json_response(200, envelope("workflowRun", entry.run))

    # -- pieces -------------------------------------------------------------------------

    def _entry(self, run_id: str) -> _Run:
        entry = self._runs.get(run_id)
        if entry is None:
            raise FakeError(404, "Workflow run not found")
        return entry

    def _known(self, run_id: str) -> _Run:
        entry = self._runs.get(run_id)
        if entry is None:
            raise KeyError(f"no workflow run with id {run_id!r}")
        return entry

    def _changed(self, entry: _Run, when: datetime) -> None:
        entry.updated_at = when
        entry.body = None

    def _file_source(
        self,
        item: WorkflowRunFileInput,
        processor_ids: list[str],
        metadata: dict[str, Any],
        index: int = 0,
    ) -> _Source:
        url, file_id = present(item.file_url), present(item.file_id)
        if (url is None) == (file_id is None):
            raise FakeError(
                400, f"Invalid request: files[{index}]: send exactly one of fileUrl, fileId"
            )
        preset: dict[str, ProvidedProcessorOutput] = {}
        for given in present(item.outputs) or []:
            if given.processor_id not in processor_ids:
                raise FakeError(
                    400,
                    f"Invalid request: files[{index}].outputs: processor "
                    f"{given.processor_id!r} is not a step of this workflow",
                )
            preset[given.processor_id] = given.output
        name = present(item.file_name) or _name_of(url, file_id)
        return self._source(name, file_id, preset, metadata)

    def _text_source(self, text: str, metadata: dict[str, Any]) -> _Source:
        source = self._source("raw_text.txt", None, {}, metadata)
        return attrs.evolve(source, pages=1)

    def _batch_source(
        self, item: BatchWorkflowRunInput, index: int, processor_ids: list[str]
    ) -> _Source:
        file, text = present(item.file), present(item.raw_text)
        if (file is None) == (text is None):
            raise FakeError(
                400, f"Invalid request: inputs[{index}]: send exactly one of file, rawText"
            )
        metadata = dict(present(item.metadata) or {})
        if text is not None:
            return self._text_source(text, metadata)
        assert file is not None
        single = WorkflowRunFileInput(
            file_name=file.file_name, file_url=file.file_url, file_id=file.file_id
        )
        try:
            return self._file_source(single, processor_ids, metadata)
        except FakeError:
            raise FakeError(
                400, f"Invalid request: inputs[{index}].file: send exactly one of fileUrl, fileId"
            ) from None

    def _source(
        self,
        name: str,
        file_id: str | None,
        preset: dict[str, ProvidedProcessorOutput],
        metadata: dict[str, Any],
    ) -> _Source:
        stored = None if file_id is None else self.areas.files.find(file_id)
        if stored is not None:  # a file the fake holds: its name, type and pages
            return _Source(stored.file, stored.pages, preset, dict(metadata))
        store = self.store
        now = store.now()
        pages = store.rng.randint(1, 5)
        file = File(
            id=file_id or store.new_id("file_"),
            name=name,
            metadata=FileMetadata(page_count=float(pages)),
            created_at=now,
            updated_at=now,
            type=file_type(name, FileType.PDF),
        )
        return _Source(file, pages, preset, dict(metadata))

    def _start(
        self,
        workflow: Workflow,
        version_id: str,
        processor_ids: list[str],
        source: _Source,
        batch_id: str | None,
        schedule: Schedule,
        status: WorkflowRunStatus,
        run_id: str | None = None,
    ) -> _Run:
        store = self.store
        now = store.now()
        while run_id is None or run_id in self._runs:
            run_id = store.new_id("workflow_run_", 21)
        processors = [self.areas.processors.version(pid) for pid in processor_ids]
        run = WorkflowRun(
            id=run_id,
            name=source.file.name,
            url=f"{_DASHBOARD}/workflows/{workflow.id}?workflowRunId={run_id}",
            status=status,
            metadata=source.metadata,
            files=[source.file],
            initial_run_at=now,
            reviewed=False,
            outputs=[],
            step_runs=[],
            workflow=workflow,
            batch_id=batch_id,
            start_time=None if status == _S.PENDING else now,
        )
        entry = _Run(
            run=run,
            schedule=schedule,
            added_at=store.clock.monotonic(),
            created_at=now,
            updated_at=now,
            workflow_version_id=version_id,
            processors=processors,
            preset=source.preset,
            pages=source.pages,
        )
        if status in _S.TERMINAL or status == _S.NEEDS_REVIEW:
            entry.run = self._finished(entry, status, now)
        self._runs[run_id] = entry
        return entry

    def _advance(self, entry: _Run) -> None:
        """Move a run along its lifecycle to where the clock and its polls put it."""
        store = self.store
        run = entry.run
        elapsed = store.clock.monotonic() - entry.added_at
        transition = entry.schedule.transition(run.status, elapsed, entry.polls, settled=_SETTLED)
        if transition is None:
            return
        at = store.wall_time(entry.added_at + transition.at)
        status = _S(transition.status)
        if run.start_time is None:
            began = entry.schedule.processing_after
            started = transition.at if began is None else min(began, transition.at)
            run = attrs.evolve(run, start_time=store.wall_time(entry.added_at + started))
            entry.run = run
        if status == _S.PROCESSING:
            entry.run = attrs.evolve(run, status=status)
        else:
            entry.run = self._finished(entry, status, at)
        self._changed(entry, at)
        event = _RUN_EVENTS.get(status)
        if event is not None:
            store.events.emit(event, entry.run)

    def advance_all(self) -> None:
        """Move every run to where the clock puts it (what lets a run end, and its
        event go out, with nobody polling it)."""
        with self.store.lock:
            for entry in self._runs.values():
                self._advance(entry)

    def _finished(self, entry: _Run, status: WorkflowRunStatus, at: datetime) -> WorkflowRun:
        """The run having reached ``status`` at ``at``: with the outputs of its
        processors, or the reason it failed."""
        run = entry.run
        changes: dict[str, Any] = {"status": status, "end_time": at}
        if run.start_time is None:
            changes["start_time"] = at
        if status in _WITH_OUTPUTS:
            outputs = [self._output(entry, version) for version in entry.processors]
            credits = sum(output.usage.credits for output in outputs if output.usage)
            changes["outputs"] = outputs
            changes["usage"] = WorkflowRunCredits(credits=round(credits + entry.pages, 2))
            if status == _S.REJECTED:  # seeded as rejected: a reviewer saw it
                changes.update(reviewed=True, reviewed_at=at)
        elif status == _S.FAILED:
            changes["failure_reason"], changes["failure_message"] = _FAILURE
        return attrs.evolve(run, **changes)

    def _output(self, entry: _Run, version: ProcessorVersion) -> ProcessorRun:
        store = self.store
        run_id = store.new_id("dpr_", 21)
        preset = entry.preset.get(version.processor_id)
        if preset is not None:
            output = _as_output(preset, None, store.new_id("file_"))
        else:
            output = generate_output(
                version.config, store.rng, file_name=entry.run.files[0].name, pages=entry.pages
            )
        return ProcessorRun(
            id=run_id,
            processor_id=version.processor_id,
            processor_version_id=version.id,
            processor_name=version.processor_name or "Processor",
            status=ProcessorRunStatus.PROCESSED,
            output=output,
            reviewed=False,
            edited=False,
            edits={},
            type=_RUN_TYPES.get(version.processor_type, ProcessorRunType.EXTRACT),
            config=version.config,
            files=list(entry.run.files),
            merged_processors=[],
            url=f"{_DASHBOARD}/runs/{run_id}",
            initial_output=output,
            usage=ProcessorRunCredits(credits=round(store.rng.uniform(1, 5) * entry.pages, 2)),
        )

    def _corrected(self, output: ProcessorRun, reviewed: ProvidedProcessorOutput) -> ProcessorRun:
        final = _as_output(reviewed, output.output, self.store.new_id("file_"))
        edits = dict(output.edits)
        edits.update(_edits(output.output, final))
        return attrs.evolve(
            output,
            output=final,
            reviewed_output=_as_output(reviewed, None, self.store.new_id("file_")),
            reviewed=True,
            edited=output.edited or final != output.output,
            edits=edits,
        )


def _name_of(url: str | None, file_id: str | None) -> str:
    """A file's name when the request gives none: the URL's last segment, or the id."""
    if url is not None:
        last = posixpath.basename(urlsplit(url).path)
        if last:
            return last
    return f"{file_id or 'document'}.pdf"


def _names_contain(run: WorkflowRun, text: str) -> bool:
    wanted = text.lower()
    return any(wanted in file.name.lower() for file in run.files)


def _summary(entry: _Run) -> WorkflowRunSummary:
    run = entry.run
    return WorkflowRunSummary(
        id=run.id,
        status=run.status,
        workflow_id=run.workflow.id,
        workflow_name=run.workflow.name,
        workflow_version_id=entry.workflow_version_id,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        initial_run_at=run.initial_run_at,
        reviewed_by_user=run.reviewed_by,
        reviewed_at=run.reviewed_at,
        start_time=run.start_time,
        end_time=run.end_time,
        batch_id=run.batch_id,
        rejection_note=run.rejection_note,
        usage=run.usage,
    )


def _as_output(
    given: ProvidedProcessorOutput, current: ProcessorOutput | None, new_file_id: str
) -> ProcessorOutput:
    """A provided output as a run's output; over ``current``, the fields of an
    extraction that are given replace theirs and the others stay."""
    if isinstance(given, ProvidedJsonOutput):
        if isinstance(current, JsonOutput):
            return JsonOutput(value={**current.value, **given.value}, metadata=current.metadata)
        return JsonOutput(value=dict(given.value), metadata={})
    if isinstance(given, ProvidedFieldsArrayOutput):
        fields = dict(current.fields) if isinstance(current, FieldsArrayOutput) else {}
        for key, value in given.fields.items():
            before = fields.get(key)
            kind = value.type or (before.type if before else ExtractionFieldType.STRING)
            fields[key] = ExtractionFieldResult(
                id=value.id,
                type=kind,
                value=value.value,
                references=before.references if before else [],
                confidence=value.confidence,
            )
        return FieldsArrayOutput.of(fields)
    if isinstance(given, ProvidedClassifierOutput):
        confidence = 1.0 if given.confidence is None else given.confidence
        return ClassifierOutput(id=given.id, type=given.type, confidence=confidence, insights=[])
    if isinstance(given, ProvidedSplitterOutput):
        return SplitterOutput(
            splits=[
                Split(
                    type=split.type,
                    observation=split.observation or "",
                    identifier=split.identifier or "",
                    start_page=split.start_page,
                    end_page=split.end_page,
                    classification_id=split.classification_id,
                    id=split.id,
                    file_id=new_file_id,
                )
                for split in given.splits
            ]
        )
    return UnknownOutput(raw=dict(given.raw))


def _edits(before: ProcessorOutput, after: ProcessorOutput) -> dict[str, ExtractionOutputEdit]:
    """The fields of an extraction whose value a correction changed."""
    if isinstance(before, JsonOutput) and isinstance(after, JsonOutput):
        old, new = before.value, after.value
    elif isinstance(before, FieldsArrayOutput) and isinstance(after, FieldsArrayOutput):
        old = {key: result.value for key, result in before.fields.items()}
        new = {key: result.value for key, result in after.fields.items()}
    else:
        return {}
    return {
        key: ExtractionOutputEdit(original_value=old.get(key), edited_value=value)
        for key, value in new.items()
        if old.get(key) != value
    }
