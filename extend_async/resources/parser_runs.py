"""Parser runs (``/parse``, ``/parser_runs``): a document parsed into chunks and blocks,
at once or in the background, and the content of runs answered as presigned URLs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

import attrs
from cattrs import BaseValidationError

from .. import _json
from .._converter import converter, structure_error_path
from .._endpoint import Call, Endpoint, api_method
from .._introspect import refused_by_public_name
from .._requests import FileArgument, file_input, json_body, query
from .._sync_bridge import SyncPolling, SyncResource, sync_method
from ..errors import IncompleteResultError, ResponseValidationError, body_excerpt
from ..models import (
    NOT_GIVEN,
    Chunk,
    Omittable,
    ParseConfig,
    ParseRequest,
    ParseResponseType,
    ParserRun,
    ParserRunDeleted,
    ParserRunResult,
    ParserRunState,
    ParserRunStatus,
)
from ..polling import DEFAULT_POLL, AsyncPolling, PollPolicy, _fetch_many, check_wait_arguments
from ._base import AsyncResource
from .processor_runs import SYNC_TIMEOUT

__all__ = ["ENDPOINTS", "PARSE_TIMEOUT", "AsyncParserRuns", "ParseConfigInput", "ParserRuns"]

_PARSE = Endpoint("parse_file", "POST", "/parse", ParserRun)
_PARSE_ASYNC = Endpoint("parse_file_async", "POST", "/parse/async", ParserRunStatus)
# A union, not a class: the converter tells its members apart by ``object``.
_GET = Endpoint[ParserRunResult](
    "get_parser_run", "GET", "/parser_runs/{id}", cast("Any", ParserRunResult), "parserRun"
)
_DELETE = Endpoint("delete_parser_run", "DELETE", "/parser_runs/{id}", ParserRunDeleted)
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_PARSE, _PARSE_ASYNC, _GET, _DELETE)

#: The time limit of Parse File, in seconds. The server parses while the request waits;
#: the reference documents no limit for that, so it gets what a ``sync=True``
#: processor run gets (the server's five minutes and room for the answer).
PARSE_TIMEOUT: Final = SYNC_TIMEOUT

#: A parse config as our model, or as a mapping in its wire form.
ParseConfigInput = ParseConfig | Mapping[str, Any]


def _parse_body(method: str, file: FileArgument, config: Omittable[ParseConfigInput]) -> Any:
    """The body of Parse File (Async), its arguments checked in the words of ``method``."""
    return json_body(ParseRequest, method, file=file_input(file, method), config=config)


def _is_pointer(chunk: Chunk) -> bool:
    """Whether a chunk came as a ``responseType=url`` one: its content a presigned URL
    and no blocks (the URL serves the whole chunk)."""
    return not chunk.blocks and chunk.content.startswith(("https://", "http://"))


def _chunk_from(body: bytes, url: str) -> Chunk:
    """The chunk a presigned URL served; a body of another shape raises
    :class:`~extend_async.ResponseValidationError` naming the URL and the field."""
    shown = url.partition("?")[0]  # the signature stays out of errors
    try:
        chunk: Chunk = converter.structure(_json.loads(body), Chunk)
    except (BaseValidationError, ValueError, TypeError, KeyError, RecursionError) as exc:
        message, at = structure_error_path(exc)
        raise ResponseValidationError(
            f"the content behind a chunk's URL is not a chunk: {message} at {at}",
            status_code=200,
            body=body_excerpt(body),
            path=at,
            method="GET",
            url=shown,
        ) from None
    return chunk


class AsyncParserRuns(AsyncResource, AsyncPolling[ParserRunResult]):
    """Parsing documents into chunks (markdown or spatial text) made of blocks.

    ``parse`` parses while the request waits and returns the finished run; ``create``
    starts a run in the background (``create_and_wait`` also waits for it); ``get``
    fetches one, ``delete`` removes one. Also ``get_many``, ``wait``, ``wait_many`` and
    ``wait_all`` (see :class:`~extend_async.polling.AsyncPolling`).

    A run is fetched in one of two forms: while it is parsed, a
    :class:`~extend_async.models.ParserRunStatus` (``object: "parser_run_status"``);
    once done, the full :class:`~extend_async.models.ParserRun` (``object:
    "parser_run"``). A wait ends on a full run, and on a status object in a final state
    (PROCESSED or FAILED): a FAILED status-only object is finished too.

    ``response_type="url"`` asks for each chunk's content behind a presigned URL
    instead of inline; :meth:`load_contents` fetches them.
    """

    @api_method
    def parse(
        self,
        file: FileArgument,
        *,
        config: Omittable[ParseConfigInput] = NOT_GIVEN,
        response_type: Omittable[ParseResponseType | str] = NOT_GIVEN,
    ) -> Call[ParserRun]:
        """Parse ``file`` (an id, a URL, a ``File``, a ``FileInput``) and return the
        finished run; ``config`` says how (target, chunking, blocks, OCR...).

        The server parses while the request waits, so this call gets a time limit of
        at least :data:`PARSE_TIMEOUT` whatever the client's ``timeout``. It is a POST
        and is never repeated once sent. ``response_type="url"``: see
        :meth:`load_contents`.
        """
        method = "parser_runs.parse"
        return _PARSE.call(
            query=query(method, response_type=response_type),
            body=_parse_body(method, file, config),
            timeout_at_least=PARSE_TIMEOUT,
        )

    @api_method
    def create(
        self, file: FileArgument, *, config: Omittable[ParseConfigInput] = NOT_GIVEN
    ) -> Call[ParserRunStatus]:
        """Start parsing ``file`` in the background: its status comes back at once
        (PROCESSING). ``get`` or ``wait`` for the result."""
        return _PARSE_ASYNC.call(body=_parse_body("parser_runs.create", file, config))

    @refused_by_public_name
    async def create_and_wait(
        self,
        file: FileArgument,
        *,
        config: Omittable[ParseConfigInput] = NOT_GIVEN,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
    ) -> ParserRun:
        """``create``, then ``wait``: the full run once it is PROCESSED or FAILED.

        ``timeout`` and ``poll`` are the wait's; a run still parsing at the deadline
        raises :class:`~extend_async.WaitTimeoutError`. The run is started once, never
        again whatever happens to the wait. Should the server end the run with its
        status alone (no full run to return), :class:`~extend_async.IncompleteResultError`
        is raised with that status.
        """
        check_wait_arguments("parser_runs.create_and_wait", timeout, poll)
        body = _parse_body("parser_runs.create_and_wait", file, config)
        started = await self._pipeline.execute(_PARSE_ASYNC.call(body=body), parsed_only=True)
        outcome = await self.wait(started.id, timeout=timeout, poll=poll)
        if not isinstance(outcome, ParserRun):
            raise IncompleteResultError(started.id, outcome)
        return outcome

    @api_method
    def get(
        self, id: str, *, response_type: Omittable[ParseResponseType | str] = NOT_GIVEN
    ) -> Call[ParserRunResult]:
        """One run: its status while it is parsed, the full run once done (tell them
        apart with ``isinstance``, or by ``object``). ``response_type`` as for
        :meth:`parse`."""
        return _GET.call(query=query("parser_runs.get", response_type=response_type), id=id)

    @api_method
    def delete(self, id: str) -> Call[ParserRunDeleted]:
        """Delete a run and its results for good."""
        return _DELETE.call(id=id)

    @refused_by_public_name
    async def load_contents(self, run: ParserRun) -> ParserRun:
        """``run`` with every chunk's content inline, for a run fetched with
        ``response_type="url"``.

        Our reading of the API (the reference only says "content returned behind
        presigned URLs"): such a run's chunks each hold a presigned URL as ``content``
        and no blocks, and the URL serves that chunk's JSON, content and blocks. Each
        is fetched with :meth:`~extend_async.AsyncExtend.download` (the client's pool,
        none of its headers), as many at once as the client's ``max_concurrency``;
        chunks already inline are kept as they are. The URLs expire: a failed
        download raises its status error (fetch the run again for fresh URLs).
        """
        if not isinstance(run, ParserRun):
            raise TypeError(
                f"parser_runs.load_contents(): run must be a ParserRun, got {type(run).__name__}"
            )
        urls = [chunk.content for chunk in run.chunks if _is_pointer(chunk)]
        if not urls:
            return run
        pipeline = self._pipeline

        async def load(url: str) -> Chunk:
            return _chunk_from(await pipeline.download(url), url)

        fetched = await _fetch_many(
            load, urls, workers=pipeline.config.max_concurrency, return_exceptions=False
        )
        loaded = iter(cast("list[Chunk]", fetched))  # no exception: the first one is raised
        chunks = [next(loaded) if _is_pointer(chunk) else chunk for chunk in run.chunks]
        return attrs.evolve(run, chunks=chunks)

    def _poll_call(self, id: str) -> Call[ParserRunResult]:
        return _GET.call(id=id)

    def _is_terminal(self, obj: ParserRunResult) -> bool:
        if isinstance(obj, ParserRun):
            return True
        if isinstance(obj, ParserRunStatus):
            return obj.is_terminal
        status = obj.raw.get("status")  # a result of a kind added later
        return isinstance(status, str) and ParserRunState.is_terminal(status)


class ParserRuns(SyncResource[AsyncParserRuns], SyncPolling[ParserRunResult]):
    """Blocking twin of :class:`AsyncParserRuns`."""

    parse = sync_method(AsyncParserRuns.parse)
    create = sync_method(AsyncParserRuns.create)
    create_and_wait = sync_method(AsyncParserRuns.create_and_wait)
    get = sync_method(AsyncParserRuns.get)
    delete = sync_method(AsyncParserRuns.delete)
    load_contents = sync_method(AsyncParserRuns.load_contents)
