"""Editing: Edit File and Edit File Async, Get and Delete Edit Run, Generate Edit
Schema and Get Edit Template.

An edit fills the form the request names (a file of ``fake.files`` by id, a URL, or
the file of a template of ``fake.edit_templates``): the fields of its schema, or the
fields the fake detects in the file when the config has no schema (see
``_edit_forms``). Each field gets its ``extend_edit:value``, or a value drawn from the
seeded generator when the run is made, so the same seed gives the same outputs
whatever order runs are polled in. A PROCESSED run's filled PDF is stored in
``fake.files`` and served behind a presigned ``downloadUrl`` (see ``_downloads``).

Runs follow :attr:`EditRuns.lifecycle`: by default PROCESSING when created and
PROCESSED on their second GET. While running, Get Edit Run shows the status alone
(``edit_run_status``); once done, the full run, its ``status`` the plain string. A
sync edit is answered finished when its schedule ends it within
:attr:`EditRuns.sync_wait` seconds (the API's five minutes), else as the full run still
PROCESSING. 2025-04-21 announces no webhook event for edit runs, so none is emitted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import unquote, urlsplit

import attrs
from aiohttp import web

from .._converter import converter
from ..models import (
    EditedFile,
    EditJsonSchema,
    EditRequest,
    EditRun,
    EditRunConfig,
    EditRunMetrics,
    EditRunState,
    EditRunStatus,
    EditRunUsage,
    EditSchemaGenerationConfig,
    EditTemplate,
    File,
    FileInput,
    FileType,
    GenerateEditSchemaRequest,
    JsonObject,
)
from ._area import Area, FakeError, route
from ._edit_forms import (
    FormOptions,
    detect_fields,
    fill_values,
    generate_schema,
    key_of,
    render_pdf,
    value_lines,
)
from ._files import file_type
from ._lifecycle import (
    DrawnLifecycles,
    Lifecycle,
    LifecycleSetting,
    Schedule,
    SyncWaits,
)
from ._pages import present
from ._wire import envelope, error_response, json_response, read_body

if TYPE_CHECKING:
    from ._areas import Areas

__all__ = ["DEFAULT_LIFECYCLE", "EditRuns", "EditSchemas", "EditTemplates"]

#: The lifecycle of a run created through the API, unless a test sets another one:
#: PROCESSING when created, PROCESSED on its second GET.
DEFAULT_LIFECYCLE: Final = Lifecycle(finish_after_polls=(2, 2))

_PROCESSING = EditRunState.PROCESSING
_PROCESSED = EditRunState.PROCESSED
_FAILED = EditRunState.FAILED
_OUTCOMES: Final = frozenset({_PROCESSED, _FAILED})
#: What Extend fills: PDFs, and Word files and images it converts to PDF first.
_EDITABLE: Final = frozenset({FileType.PDF, FileType.DOCX, FileType.IMG})
_UNSUPPORTED: Final = "FILE_TYPE_NOT_SUPPORTED"
#: Why a run the schedule fails failed (an edit error code of the reference).
_FAILURE_REASON: Final = "INTERNAL_ERROR"


@attrs.frozen
class _Source:
    """The form an edit or a schema generation reads: a stored file, or a URL's."""

    file_id: str | None
    name: str
    text: str | None
    pages: int
    type: FileType | None

    @property
    def unsupported(self) -> str | None:
        """Why this file cannot be edited, or None when it can."""
        if self.type is None or self.type in _EDITABLE:
            return None
        return f"Files of type {self.type!s} cannot be edited; send a PDF."


def _stored_source(areas: Areas, file_id: str) -> _Source:
    try:
        stored = areas.files.stored(file_id)
    except KeyError:
        raise FakeError(404, "File not found") from None
    file = stored.file
    pages = int(file.metadata.page_count or 1)
    return _Source(file.id, file.name, stored.text, pages, file.type)


def _source(areas: Areas, given: FileInput) -> _Source:
    """The form of a request's ``file``: a stored file by ``fileId`` (404 if unknown),
    or the one at ``fileUrl``, named by ``fileName`` or the URL's last segment."""
    url, file_id = present(given.file_url), present(given.file_id)
    if (url is None) == (file_id is None):
        raise FakeError(400, "Invalid request: file needs exactly one of fileUrl, fileId")
    if file_id is not None:
        return _stored_source(areas, file_id)
    assert url is not None
    name = present(given.file_name) or unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])
    name = name or "document.pdf"
    return _Source(None, name, None, 1, file_type(name))


def _bare(value: object) -> bytes:
    """A body that is the object itself, not wrapped in ``{success, ...}``."""
    return json.dumps(converter.unstructure(value)).encode()


def _options(config: EditRunConfig | EditSchemaGenerationConfig | None) -> FormOptions:
    return FormOptions.of(None if config is None else config.advanced_options)


def _merged(base: EditRunConfig, override: EditRunConfig | None) -> EditRunConfig:
    """A template's config with what the request's sets (its advanced options too,
    one by one)."""
    if override is None:
        return base
    changes = {
        field.name: getattr(override, field.name)
        for field in attrs.fields(EditRunConfig)
        if getattr(override, field.name) is not None
    }
    if base.advanced_options is not None and override.advanced_options is not None:
        changes["advanced_options"] = attrs.evolve(
            base.advanced_options,
            **{
                field.name: getattr(override.advanced_options, field.name)
                for field in attrs.fields(type(override.advanced_options))
                if getattr(override.advanced_options, field.name) is not None
            },
        )
    return attrs.evolve(base, **changes)


class EditTemplates(Area):
    """Saved edit templates, by id: tests add them, Get Edit Template serves them."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._templates: dict[str, EditTemplate] = {}

    def add(
        self,
        *,
        name: str = "Form template",
        file: str | File | None = None,
        description: str | None = None,
        config: EditRunConfig | None = None,
        schema_config: EditSchemaGenerationConfig | None = None,
        id: str | None = None,
    ) -> EditTemplate:
        """Store a template and return it. ``file`` is a file of ``fake.files`` (its id
        or the ``File``; a new ``<name>.pdf`` is stored when left out), ``config`` the
        default edit config (empty when left out) and ``schema_config`` an
        ``EditSchemaGenerationConfig``."""
        store = self.store
        with store.lock:
            files = self.areas.files
            if file is None:
                stored = files.add(f"{key_of(name)}.pdf")
            else:
                file_id = file.id if isinstance(file, File) else file
                try:
                    stored = files.get(file_id)
                except KeyError:
                    raise ValueError(
                        f"no file with id {file_id!r}: add it with fake.files.add() first"
                    ) from None
            template_id = id or store.new_id("edt_")
            if template_id in self._templates:
                raise ValueError(f"an edit template with id {template_id!r} already exists")
            now = store.now()
            template = EditTemplate(
                id=template_id,
                name=name,
                description=description,
                file=stored,
                config=config or EditRunConfig(),
                schema_config=schema_config,
                created_at=now,
                updated_at=now,
            )
            self._templates[template_id] = template
            return template

    def get(self, template_id: str) -> EditTemplate:
        """The stored template (KeyError if there is none)."""
        with self.store.lock:
            found = self._templates.get(template_id)
            if found is None:
                raise KeyError(f"no edit template with id {template_id!r}")
            return found

    def template(self, template_id: str) -> EditTemplate:
        """The template a request names (404 if there is none). Called under the lock."""
        found = self._templates.get(template_id)
        if found is None:
            raise FakeError(404, "Edit template not found")
        return found

    @route("get_edit_template", "GET", "/edit_templates/{id}")
    async def get_edit_template(self, request: web.Request) -> web.StreamResponse:
        with self.store.lock:
            template = self.template(request.match_info["id"])
        return json_response(200, envelope("editTemplate", template))


class EditSchemas(Area):
    """Generate Edit Schema: the fields of a form, detected from the stored file."""

    @route("generate_edit_schema", "POST", "/edit_schemas/generate")
    async def generate_edit_schema(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, GenerateEditSchemaRequest)
        config = present(body.config)
        with self.store.lock:
            source = _source(self.areas, body.file)
            problem = source.unsupported
            if problem is not None:
                return error_response(
                    422, problem, code=_UNSUPPORTED, request_id=self.store.new_id("req_")
                )
        detected = detect_fields(source.text, source.name, _options(config))
        answer = generate_schema(detected, None if config is None else config.input_schema)
        return json_response(200, _bare(answer))


@attrs.define
class _Entry:
    """One edit run: the run as it stands, and what it shows once it ends."""

    run: EditRun
    schedule: Schedule
    added_at: float
    fields: dict[str, EditJsonSchema]
    values: JsonObject
    edited_file_id: str
    name: str
    pages: int
    credits: float
    #: Why the edit cannot succeed (a file it cannot fill): it ends FAILED for that.
    failure: str | None = None
    polls: int = 0


class EditRuns(Area, DrawnLifecycles, SyncWaits):
    """The edit runs of the fake, by id."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._runs: dict[str, _Entry] = {}
        self._lifecycle = LifecycleSetting(
            self.store, "edit-run-lifecycles", DEFAULT_LIFECYCLE, _OUTCOMES
        )

    # -- seeding and inspection (from tests, any thread) --------------------------------

    def add(
        self,
        *,
        file: str | File | None = None,
        config: EditRunConfig | None = None,
        output: JsonObject | None = None,
        status: Literal["PROCESSING", "PROCESSED", "FAILED"] | None = None,
        finish_after: float | None = None,
        finish_after_polls: int | None = None,
        outcome: Literal["PROCESSED", "FAILED"] = "PROCESSED",
        id: str | None = None,
    ) -> EditRun | EditRunStatus:
        """Store a run and return it as a GET would show it.

        ``file`` is a file of ``fake.files`` (its id or the ``File``; a new
        ``form.pdf`` when left out); ``output`` the values it shows once PROCESSED
        (drawn for the schema's fields, or the detected ones, when left out). Without
        a lifecycle the run is PROCESSED unless ``status`` says otherwise; with one it
        starts PROCESSING and ends as ``outcome`` after ``finish_after`` seconds on the
        fake's clock or on GET number ``finish_after_polls``, whichever comes first.
        """
        schedule = Schedule(
            finish_after=finish_after, finish_after_polls=finish_after_polls, outcome=outcome
        )
        schedule.check_outcome(_OUTCOMES)
        if status is not None and EditRunState(status) not in {_PROCESSING, *_OUTCOMES}:
            raise ValueError(f"status must be PROCESSING, PROCESSED or FAILED, got {status!r}")
        if status is not None and not schedule.is_empty and status != _PROCESSING:
            raise ValueError(f"a run with a schedule cannot start as {status}")
        with self.store.lock:
            if file is None:
                file = self.areas.files.add("form.pdf")
            file_id = file.id if isinstance(file, File) else file
            try:
                source = _stored_source(self.areas, file_id)
            except FakeError:
                raise ValueError(
                    f"no file with id {file_id!r}: add it with fake.files.add() first"
                ) from None
            if id is not None and id in self._runs:
                raise ValueError(f"an edit run with id {id!r} already exists")
            initial = status or (_PROCESSED if schedule.is_empty else _PROCESSING)
            entry = self._make(
                source, config or EditRunConfig(), schedule, EditRunState(initial), id, output
            )
            return self._served(entry)

    def get(self, run_id: str) -> EditRun | EditRunStatus:
        """The run as a GET would show it now, without counting as a poll (KeyError if
        there is none)."""
        with self.store.lock:
            entry = self._runs.get(run_id)
            if entry is None:
                raise KeyError(f"no edit run with id {run_id!r}")
            self._advance(entry)
            return self._served(entry)

    def advance_all(self) -> None:
        """Move every run to where the clock puts it (runs end with nobody polling)."""
        with self.store.lock:
            for entry in self._runs.values():
                self._advance(entry)

    # -- the API ----------------------------------------------------------------------

    @route("edit_file", "POST", "/edit")
    async def edit_file(self, request: web.Request) -> web.StreamResponse:
        body = await _edit_request(request)
        store = self.store
        with store.lock:
            source, config = self._resolve(body)
            problem = source.unsupported
            if problem is not None:
                return error_response(
                    422, problem, code=_UNSUPPORTED, request_id=store.new_id("req_")
                )
            schedule = self._lifecycle.draw()
            entry = self._make(source, config, schedule, self._initial(schedule))
            if not entry.run.is_terminal and schedule.ends_within(self._sync_wait):
                self._set_status(entry, EditRunState(schedule.outcome))
            answer = _bare(self._full(entry))
        return json_response(200, answer)

    @route("edit_file_async", "POST", "/edit/async")
    async def edit_file_async(self, request: web.Request) -> web.StreamResponse:
        body = await _edit_request(request)
        with self.store.lock:
            source, config = self._resolve(body)
            schedule = self._lifecycle.draw()
            # A file it cannot fill is taken, and the run fails when it ends.
            entry = self._make(
                source, config, schedule, self._initial(schedule), failure=source.unsupported
            )
            answer = _bare(EditRunStatus(id=entry.run.id, status=entry.run.state))
        return json_response(200, answer)

    @route("get_edit_run", "GET", "/edit_runs/{id}")
    async def get_edit_run(self, request: web.Request) -> web.StreamResponse:
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            entry.polls += 1
            self._advance(entry)
            answer = envelope("editRun", self._served(entry))
        return json_response(200, answer)

    @route("delete_edit_run", "DELETE", "/edit_runs/{id}")
    async def delete_edit_run(self, request: web.Request) -> web.StreamResponse:
        run_id = request.match_info["id"]
        with self.store.lock:
            entry = self._runs.pop(run_id, None)
            if entry is None:
                raise FakeError(404, "Edit run not found")
            self.areas.downloads.remove(entry.edited_file_id)  # the filled PDF goes too
        answer = envelope(
            "editRunId", run_id, message="Edit run data has been successfully deleted."
        )
        return json_response(200, answer)

    # -- pieces -------------------------------------------------------------------------

    def _entry(self, run_id: str) -> _Entry:
        entry = self._runs.get(run_id)
        if entry is None:
            raise FakeError(404, "Edit run not found")
        return entry

    @staticmethod
    def _initial(schedule: Schedule) -> EditRunState:
        return _PROCESSED if schedule.is_empty else _PROCESSING

    def _resolve(self, body: EditRequest) -> tuple[_Source, EditRunConfig]:
        """The form a request fills and the config it fills it with: the request's
        file and config, or a template's file and its config with the request's
        values over it."""
        config = present(body.config)
        template_id = present(body.template_id)
        if template_id is None:
            file = present(body.file)
            assert file is not None  # one of the two: checked by _edit_request
            return _source(self.areas, file), config or EditRunConfig()
        template = self.areas.edit_templates.template(template_id)
        file_id = template.file.id if template.file else ""
        return _stored_source(self.areas, file_id), _merged(
            template.config or EditRunConfig(), config
        )

    def _make(
        self,
        source: _Source,
        config: EditRunConfig,
        schedule: Schedule,
        status: EditRunState,
        run_id: str | None = None,
        output: JsonObject | None = None,
        *,
        failure: str | None = None,
    ) -> _Entry:
        """A new run on ``source``, its values and metrics drawn now."""
        store = self.store
        rng = store.rng
        run_id = run_id or store.new_id("edit_run_")
        file_id = source.file_id or self.areas.files.add(source.name).id
        schema = config.schema
        if schema is not None:
            fields = dict(schema.properties)
        else:  # no schema: the fields detected in the file, as Extend would
            fields = detect_fields(source.text, source.name, _options(config))
        values = fill_values(fields, rng) if output is None else output
        detection = 0.0 if schema is not None else round(rng.uniform(1500, 4000), 1)
        filling = round(rng.uniform(200, 800), 1)
        annotation = round(rng.uniform(300, 1200), 1)
        metrics = EditRunMetrics(
            processing_time_ms=round(detection + filling + annotation, 1),
            field_count=len(fields),
            page_count=source.pages,
            field_filling_time_ms=filling,
            field_detection_time_ms=detection,
            field_annotation_time_ms=annotation,
        )
        entry = _Entry(
            run=EditRun(
                id=run_id, file_id=file_id, status=_PROCESSING, config=config, metrics=metrics
            ),
            schedule=schedule,
            added_at=store.clock.monotonic(),
            fields=fields,
            values=values,
            edited_file_id=store.new_id("file_"),
            name=source.name,
            pages=source.pages,
            credits=round(source.pages * rng.uniform(0.5, 1.5), 1),
            failure=failure,
        )
        self._set_status(entry, status)
        self._runs[run_id] = entry
        return entry

    def _set_status(self, entry: _Entry, status: EditRunState) -> None:
        """Move a run to ``status``: once PROCESSED it has its filled file (stored, and
        downloadable), output and credits; once FAILED, a reason."""
        if entry.failure is not None and status == _PROCESSED:
            status = _FAILED
        changes: dict[str, Any] = {
            "status": status,
            "edited_file": None,
            "output": None,
            "usage": None,
            "failure_reason": None,
        }
        if status == _PROCESSED:
            self._store_edited_file(entry)
            changes.update(
                edited_file=EditedFile(file_id=entry.edited_file_id),
                output=entry.values,
                usage=EditRunUsage(credits=entry.credits),
            )
        elif status == _FAILED:
            changes["failure_reason"] = _FAILURE_REASON if entry.failure is None else _UNSUPPORTED
        entry.run = attrs.evolve(entry.run, **changes)

    def _store_edited_file(self, entry: _Entry) -> None:
        pdf = render_pdf(value_lines(entry.fields, entry.values, entry.pages))
        name = f"{PurePosixPath(entry.name).stem or 'document'}_edited.pdf"
        self.areas.files.add(name, size=len(pdf), id=entry.edited_file_id)
        self.areas.downloads.put(
            entry.edited_file_id, pdf, content_type="application/pdf", name=name
        )

    def _advance(self, entry: _Entry) -> None:
        elapsed = self.store.clock.monotonic() - entry.added_at
        transition = entry.schedule.transition(
            entry.run.state, elapsed, entry.polls, settled=EditRunState.TERMINAL
        )
        if transition is not None:
            self._set_status(entry, EditRunState(transition.status))

    def _full(self, entry: _Entry) -> EditRun:
        """The full run, with a freshly presigned URL to its filled file."""
        run = entry.run
        if run.edited_file is None:
            return run
        url = self.areas.downloads.url(entry.edited_file_id)
        return attrs.evolve(run, edited_file=attrs.evolve(run.edited_file, download_url=url))

    def _served(self, entry: _Entry) -> EditRun | EditRunStatus:
        """What Get Edit Run shows: the status alone while running, the full run after."""
        if not entry.run.is_terminal:
            return EditRunStatus(id=entry.run.id, status=entry.run.state)
        return self._full(entry)


async def _edit_request(request: web.Request) -> EditRequest:
    """An Edit File body: exactly one of ``file`` and ``templateId`` (400 otherwise),
    then every key checked as the API checks it."""
    try:
        document = json.loads(await request.read())
    except ValueError:
        document = None  # read_body says what is wrong with it
    if isinstance(document, Mapping):
        given = [key for key in ("file", "templateId") if document.get(key) is not None]
        if len(given) != 1:
            raise FakeError(400, "Invalid request: send exactly one of file, templateId")
    return await read_body(request, EditRequest)
