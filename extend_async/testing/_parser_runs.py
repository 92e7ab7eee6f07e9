"""Parser runs: Parse File, Parse File Async, Get and Delete Parser Run, and the
presigned URLs that ``responseType=url`` answers point to.

A parse reads the file from the fake's file store (``fake.files``; a ``fileUrl`` is
stored there first, so the run's ``fileId`` is reusable) and makes its chunks with
``generate_parse`` when the run is made, drawn from the file's id: the same file gives
the same blocks each time, and the same seed the same ids, whatever order runs are
polled in. Parse File answers the finished run at once; a run
started by Parse File Async follows :attr:`ParserRuns.lifecycle` (by default PROCESSING
when created and PROCESSED on its second GET) and shows its status alone until it ends.

Errors in the documented shapes: 400 for a body or query the API refuses, 404 for an
unknown file or run, 422 (``{code, message, requestId, retryable}``) from Parse File for
a file that :meth:`ParserRuns.refuse` marks or a config the parser cannot honour (Parse
File Async answers that config 400, and runs the refused file to FAILED), and 402 when
the :attr:`ParserRuns.credits` a test set run out. Every run that ends, sync or not,
announces ``parser_run.processed`` or ``parser_run.failed``.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final
from urllib.parse import unquote, urlsplit

import attrs
from aiohttp import web

from .._converter import converter
from ..models import (
    FileInput,
    ParseConfig,
    ParseEngine,
    ParseRequest,
    ParserRun,
    ParserRunCredits,
    ParserRunMetrics,
    ParserRunResult,
    ParserRunState,
    ParserRunStatus,
    WebhookEventType,
)
from ._area import Area, FakeError, route
from ._downloads import presigned_query, presigned_refusal, storage_error
from ._files import BYTES_PER_PAGE
from ._lifecycle import DrawnLifecycles, Lifecycle, LifecycleSetting, Schedule
from ._pages import present
from ._parse_output import Document, config_problem, effective_config, generate_parse
from ._wire import envelope, json_response, read_body, read_query

__all__ = ["DEFAULT_LIFECYCLE", "ParserRuns"]

#: The lifecycle of a run started through Parse File Async, unless a test sets another:
#: PROCESSING when created, PROCESSED on its second GET.
DEFAULT_LIFECYCLE: Final = Lifecycle(finish_after_polls=(2, 2))

_PROCESSING = ParserRunState.PROCESSING
_PROCESSED = ParserRunState.PROCESSED
_FAILED = ParserRunState.FAILED
_OUTCOMES: Final = frozenset({_PROCESSED, _FAILED})
_EVENTS: Final = {
    _PROCESSED: WebhookEventType.PARSER_RUN_PROCESSED,
    _FAILED: WebhookEventType.PARSER_RUN_FAILED,
}
_RESPONSE_TYPES: Final = frozenset({"json", "url"})
#: The code a run that fails by its schedule reports (a refused file reports its own).
_FAILURE_REASON = "INTERNAL_ERROR"


@attrs.frozen
class _Refusal:
    """What parsing a file a test marked answers: a 422 ExtendError of this ``code``."""

    code: str
    message: str
    retryable: bool


@attrs.define
class _Entry:
    run: ParserRun  # the finished run as it will show once PROCESSED
    schedule: Schedule
    added_at: float
    status: ParserRunState
    failure_reason: str | None
    polls: int = 0
    #: The finished run in wire form, and as the JSON body of a GET: made once.
    document: dict[str, Any] | None = None
    body: bytes | None = None

    def status_object(self) -> ParserRunStatus:
        return ParserRunStatus(
            id=self.run.id, status=self.status, failure_reason=self.failure_reason
        )

    def shown(self) -> ParserRunResult:
        """What a GET shows now: the status alone while parsing, the full run after."""
        if not ParserRunState.is_terminal(self.status):
            return self.status_object()
        if self.status == _FAILED:
            return attrs.evolve(
                self.run, status=_FAILED, chunks=[], failure_reason=self.failure_reason
            )
        return self.run


class ParserRuns(Area, DrawnLifecycles):
    """The parser runs of the fake, by id."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._runs: dict[str, _Entry] = {}
        self._lifecycle = LifecycleSetting(
            self.store, "parser-run-lifecycles", DEFAULT_LIFECYCLE, _OUTCOMES
        )
        self._refusals: dict[str, _Refusal] = {}
        self._credits: float | None = None

    # -- settings and seeding (from tests, any thread) -----------------------------------

    @property
    def credits(self) -> float | None:
        """Credits left for parsing (None, the default: no limit). Each parse spends
        what its run's ``usage`` says; one that would need more than is left is
        answered 402 (``USAGE_BLOCKED``)."""
        with self.store.lock:
            return self._credits

    @credits.setter
    def credits(self, value: float | None) -> None:
        if value is not None and not (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value >= 0
        ):
            raise ValueError(f"credits must be a number >= 0 or None, got {value!r}")
        with self.store.lock:
            self._credits = value

    def refuse(
        self,
        file: str,
        *,
        code: str = "CORRUPT_FILE",
        message: str | None = None,
        retryable: bool | None = None,
    ) -> None:
        """Make parsing ``file`` (a file id or a ``fileUrl``) fail with ``code``: Parse
        File answers 422 ``{code, message, requestId, retryable}``, and a run started
        by Parse File Async ends FAILED with ``code`` as its ``failureReason``.
        ``retryable`` defaults to true for ``OCR_ERROR`` only, as the API documents."""
        if not file:
            raise ValueError("file must be a file id or a URL")
        refusal = _Refusal(
            code=code,
            message=message or f"The file could not be parsed ({code}).",
            retryable=code == "OCR_ERROR" if retryable is None else retryable,
        )
        with self.store.lock:
            self._refusals[file] = refusal

    # -- inspection (from tests, any thread) ----------------------------------------------

    def get(self, run_id: str) -> ParserRunResult:
        """The run as a GET would show it now, without counting as a poll (KeyError if
        there is none)."""
        with self.store.lock:
            entry = self._runs.get(run_id)
            if entry is None:
                raise KeyError(f"no parser run with id {run_id!r}")
            self._advance(entry)
            return entry.shown()

    def advance_all(self) -> None:
        """Move every run to where the clock puts it (what lets a run end, and its
        event go out, with nobody polling it)."""
        with self.store.lock:
            for entry in self._runs.values():
                self._advance(entry)

    # -- the API ----------------------------------------------------------------------

    @route("parse_file", "POST", "/parse")
    async def parse_file(self, request: web.Request) -> web.StreamResponse:
        response_type = _response_type(request)
        body = await read_body(request, ParseRequest)
        with self.store.lock:
            entry = self._make(body, sync=True)
            answer = self._finished_body(entry, response_type, request, key=None)
        return json_response(200, answer)

    @route("parse_file_async", "POST", "/parse/async")
    async def parse_file_async(self, request: web.Request) -> web.StreamResponse:
        read_query(request, ())
        body = await read_body(request, ParseRequest)
        with self.store.lock:
            entry = self._make(body, sync=False)
            answer = converter.unstructure(entry.status_object())
        return json_response(200, json.dumps(answer).encode())

    @route("get_parser_run", "GET", "/parser_runs/{id}")
    async def get_parser_run(self, request: web.Request) -> web.StreamResponse:
        response_type = _response_type(request)
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            entry.polls += 1
            self._advance(entry)
            if entry.status == _PROCESSED:
                answer = self._finished_body(entry, response_type, request, key="parserRun")
            else:
                answer = envelope("parserRun", entry.shown())
        return json_response(200, answer)

    @route("delete_parser_run", "DELETE", "/parser_runs/{id}")
    async def delete_parser_run(self, request: web.Request) -> web.StreamResponse:
        run_id = request.match_info["id"]
        with self.store.lock:
            if self._runs.pop(run_id, None) is None:
                raise FakeError(404, "Parser run not found")
        answer = envelope(
            "parserRunId", run_id, message="Parser run data has been successfully deleted."
        )
        return json_response(200, answer)

    @route(
        "get_parser_run_chunk",
        "GET",
        "/presigned/parser_runs/{id}/chunks/{index:\\d+}.json",
        public=True,
    )
    async def get_parser_run_chunk(self, request: web.Request) -> web.StreamResponse:
        """A chunk's presigned URL, as a storage host serves it: no API token, a
        signature over the path and its validity, 403 once expired (see ``_downloads``)."""
        with self.store.lock:
            refusal = presigned_refusal(request, request.path, self.store.now())
            if refusal is not None:
                return refusal
            entry = self._runs.get(request.match_info["id"])
            index = int(request.match_info["index"])
            if entry is None or entry.status != _PROCESSED or index >= len(entry.run.chunks):
                return storage_error(404, "NoSuchKey", "The specified key does not exist.")
            chunk = self._document(entry)["chunks"][index]
        return json_response(200, json.dumps(chunk).encode())

    # -- pieces -------------------------------------------------------------------------

    def _entry(self, run_id: str) -> _Entry:
        entry = self._runs.get(run_id)
        if entry is None:
            raise FakeError(404, "Parser run not found")
        return entry

    def _make(self, body: ParseRequest, *, sync: bool) -> _Entry:
        """A new run of the request's file, its output drawn now (stored by the caller).

        A config the parser cannot honour is a 422 (``INVALID_CONFIG_OPTIONS``) for a
        sync parse and a 400 for an async one (the only error it documents besides
        401); a refused file is a 422 for a sync parse and a run that ends FAILED for
        an async one; too few credits are a 402.
        """
        store = self.store
        config = effective_config(body.config if isinstance(body.config, ParseConfig) else None)
        problem = config_problem(config)
        if problem is not None:
            if not sync:
                raise FakeError(400, f"Invalid request: {problem}")
            raise self._extend_error(422, "INVALID_CONFIG_OPTIONS", f"Invalid config: {problem}")
        document, file_id, refusal = self._document_of(body.file)
        if sync and refusal is not None:
            raise self._extend_error(422, refusal.code, refusal.message, refusal.retryable)
        rate = 0.5 if config.engine == ParseEngine.PARSE_LIGHT else 1.0
        cost = float(max(1, document.pages) * rate)
        if self._credits is not None:
            if cost > self._credits:
                message = f"Not enough credits: this parse needs {cost:g}, {self._credits:g} left"
                raise self._extend_error(402, "USAGE_BLOCKED", message)
            self._credits -= cost
        chunks, ocr = generate_parse(document, config)
        run = ParserRun(
            id=store.new_id("parser_run_"),
            file_id=file_id,
            chunks=chunks,
            status=_PROCESSED,
            metrics=ParserRunMetrics(
                processing_time_ms=round(300 + document.pages * store.rng.uniform(120, 260), 1),
                page_count=float(document.pages),
            ),
            config=config,
            ocr=ocr,
            usage=ParserRunCredits(credits=cost),
        )
        schedule = Schedule() if sync else self._lifecycle.draw()
        failure = None
        if refusal is not None:  # an async run of a refused file: it fails, on schedule
            schedule, failure = attrs.evolve(schedule, outcome=_FAILED), refusal.code
        status = _PROCESSING if not schedule.is_empty else ParserRunState(schedule.outcome)
        entry = _Entry(run, schedule, store.clock.monotonic(), _PROCESSING, failure)
        self._runs[run.id] = entry
        if status != _PROCESSING:
            self._end(entry, status)
        return entry

    def _extend_error(
        self, status: int, code: str, message: str, retryable: bool = False
    ) -> FakeError:
        """An error in the ExtendError shape, with a request id of its own."""
        return FakeError(
            status,
            message,
            code=code,
            retryable=retryable,
            request_id=self.store.new_id("req_"),
        )

    def _document_of(self, given: FileInput) -> tuple[Document, str, _Refusal | None]:
        """What the parser reads for the request's file, the file's id, and its refusal:
        a stored file by ``fileId`` (404 if unknown), or a ``fileUrl``, stored first."""
        url, file_id = present(given.file_url), present(given.file_id)
        if (url is None) == (file_id is None):
            raise FakeError(400, "Invalid request: file needs exactly one of fileUrl, fileId")
        files = self.areas.files
        if file_id is not None:
            try:
                stored = files.stored(file_id)
            except KeyError:
                raise FakeError(404, "File not found") from None
            pages = int(stored.file.metadata.page_count or 1)
            document = Document(file_id, stored.file.name, pages, stored.text)
            return document, file_id, self._refusals.get(file_id)
        assert url is not None
        name = present(given.file_name)
        if name is None:
            name = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2]) or "document.pdf"
        pages = self.store.rng.randint(1, 4)
        file = files.add(name, size=pages * BYTES_PER_PAGE)
        return Document(file.id, name, pages), file.id, self._refusals.get(url)

    def _advance(self, entry: _Entry) -> None:
        elapsed = self.store.clock.monotonic() - entry.added_at
        transition = entry.schedule.transition(
            entry.status, elapsed, entry.polls, settled=ParserRunState.TERMINAL
        )
        if transition is not None:
            self._end(entry, ParserRunState(transition.status))

    def _end(self, entry: _Entry, status: ParserRunState) -> None:
        """End a run as ``status`` and announce it, as the webhook event Extend sends."""
        entry.status = status
        if status == _FAILED and entry.failure_reason is None:
            entry.failure_reason = _FAILURE_REASON
        event = _EVENTS.get(status)
        if event is not None:
            self.store.events.emit(event, entry.status_object())

    def _document(self, entry: _Entry) -> dict[str, Any]:
        if entry.document is None:  # the run's JSON, made once: large runs stay cheap
            entry.document = converter.unstructure(entry.run)
        return entry.document

    def _finished_body(
        self, entry: _Entry, response_type: str, request: web.Request, *, key: str | None
    ) -> bytes:
        """A PROCESSED run's body, bare or under ``key`` (with ``success``): inline (a
        GET's made once), or each chunk behind a presigned URL signed now."""
        if response_type == "url":
            document = {**self._document(entry), "chunks": self._pointers(entry, request)}
        elif key is not None and entry.body is not None:
            return entry.body
        else:
            document = self._document(entry)
        body = json.dumps(document if key is None else {"success": True, key: document}).encode()
        if response_type == "json" and key is not None:
            entry.body = body
        return body

    def _pointers(self, entry: _Entry, request: web.Request) -> list[dict[str, Any]]:
        """Each chunk with its content behind a URL signed now, and no blocks."""
        origin = f"{request.scheme}://{request.host}"
        now = self.store.now()
        pointers = []
        for index, chunk in enumerate(self._document(entry)["chunks"]):
            path = f"/presigned/parser_runs/{entry.run.id}/chunks/{index}.json"
            url = f"{origin}{path}?{presigned_query(path, now)}"
            pointers.append({**chunk, "content": url, "blocks": []})
        return pointers


def _response_type(request: web.Request) -> str:
    """The ``responseType`` query parameter (json by default); 400 for another value."""
    value = read_query(request, ("responseType",)).get("responseType", "json")
    if value not in _RESPONSE_TYPES:
        raise FakeError(400, f"Invalid request: responseType must be json or url, got {value!r}")
    return value
