"""Processor runs (``/processor_runs``): one processor on one document."""

from __future__ import annotations

from typing import Final

from .._endpoint import Call, Endpoint, api_method
from .._introspect import refused_by_public_name
from .._requests import FileArgument, file_input, json_body, query
from .._sync_bridge import SyncPolling, SyncResource, sync_method, sync_pager_method
from ..models import (
    NOT_GIVEN,
    JsonObject,
    NotGiven,
    Omittable,
    Page,
    ProcessorRun,
    ProcessorRunDeleted,
    ProcessorRunSource,
    ProcessorRunStatus,
    ProcessorRunSummary,
    ProcessorType,
    RunProcessorRequest,
    SortBy,
    SortDirection,
)
from ..pagination import pager_method
from ..polling import DEFAULT_POLL, AsyncPolling, PollPolicy, check_wait_arguments
from ._base import AsyncResource
from .processors import ConfigInput

__all__ = ["ENDPOINTS", "SYNC_TIMEOUT", "AsyncProcessorRuns", "ProcessorRuns"]

_RUN = Endpoint("run_processor", "POST", "/processor_runs", ProcessorRun, "processorRun")
_GET = Endpoint("get_processor_run", "GET", "/processor_runs/{id}", ProcessorRun, "processorRun")
_LIST = Endpoint(
    "list_processor_runs",
    "GET",
    "/processor_runs",
    Page[ProcessorRunSummary],
    items="processorRuns",
)
_CANCEL = Endpoint(
    "cancel_processor_run", "POST", "/processor_runs/{id}/cancel", ProcessorRun, "processorRun"
)
_DELETE = Endpoint("delete_processor_run", "DELETE", "/processor_runs/{id}", ProcessorRunDeleted)
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_RUN, _GET, _LIST, _CANCEL, _DELETE)

#: The time limit of a ``sync=True`` run, in seconds: the server holds the request for
#: up to five minutes, so the client must not give up first (plus room for the upload
#: of the answer and a slow network).
SYNC_TIMEOUT: Final = 330.0


def _run_call(
    method: str,
    processor_id: str,
    *,
    file: Omittable[FileArgument],
    raw_text: Omittable[str],
    version: Omittable[str],
    priority: Omittable[int],
    metadata: Omittable[JsonObject],
    config: Omittable[ConfigInput],
    sync: Omittable[bool],
) -> Call[ProcessorRun]:
    """The Run Processor request, its arguments checked in the words of ``method``."""
    if processor_id == "":
        raise ValueError(f"{method}(): processor_id must not be empty")
    given = [
        name
        for name, value in (("file", file), ("raw_text", raw_text))
        if value is not NOT_GIVEN and value is not None
    ]
    if len(given) != 1:
        raise ValueError(f"{method}(): give file or raw_text, exactly one of them")
    if not isinstance(file, NotGiven) and file is not None:
        file = file_input(file, method)
    body = json_body(
        RunProcessorRequest,
        method,
        processor_id=processor_id,
        version=version,
        file=file,
        raw_text=raw_text,
        sync=sync,
        priority=priority,
        metadata=metadata,
        config=config,
    )
    # A sync run may be held by the server for five minutes: a longer limit for it alone.
    return _RUN.call(body=body, timeout_at_least=SYNC_TIMEOUT if sync is True else None)


class AsyncProcessorRuns(AsyncResource, AsyncPolling[ProcessorRun]):
    """Runs of a processor (extract, classify, split) on one document each.

    ``create`` starts one (``create_and_wait`` also waits for its outcome), ``get``
    fetches one with its output, ``list`` pages through summaries, ``cancel`` stops a
    running one and ``delete`` removes one with its data. Also ``get_many``, ``wait``,
    ``wait_many`` and ``wait_all`` (see :class:`~extend_async.polling.AsyncPolling`):
    PROCESSED, FAILED and CANCELLED end a wait.
    """

    @api_method
    def create(
        self,
        processor_id: str,
        *,
        file: Omittable[FileArgument] = NOT_GIVEN,
        raw_text: Omittable[str] = NOT_GIVEN,
        version: Omittable[str] = NOT_GIVEN,
        priority: Omittable[int] = NOT_GIVEN,
        metadata: Omittable[JsonObject] = NOT_GIVEN,
        config: Omittable[ConfigInput] = NOT_GIVEN,
        sync: Omittable[bool] = NOT_GIVEN,
    ) -> Call[ProcessorRun]:
        """Run a processor on ``file`` (an id, a URL, a ``File``, a ``FileInput``) or on
        ``raw_text``, one of them.

        ``version`` is ``"latest"`` (the server's default), ``"draft"`` or a number such
        as ``"1.0"``; ``config`` overrides the version's config for this run (its type
        must be the processor's). The run comes back at once, still running, unless
        ``sync=True``: then the server waits up to five minutes for the outcome, and this
        call gets a time limit of at least :data:`SYNC_TIMEOUT` for it. A sync run can
        still come back unfinished; :meth:`create_and_wait` handles both cases.
        """
        return _run_call(
            "processor_runs.create",
            processor_id,
            file=file,
            raw_text=raw_text,
            version=version,
            priority=priority,
            metadata=metadata,
            config=config,
            sync=sync,
        )

    @refused_by_public_name
    async def create_and_wait(
        self,
        processor_id: str,
        *,
        file: Omittable[FileArgument] = NOT_GIVEN,
        raw_text: Omittable[str] = NOT_GIVEN,
        version: Omittable[str] = NOT_GIVEN,
        priority: Omittable[int] = NOT_GIVEN,
        metadata: Omittable[JsonObject] = NOT_GIVEN,
        config: Omittable[ConfigInput] = NOT_GIVEN,
        sync: Omittable[bool] = NOT_GIVEN,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
    ) -> ProcessorRun:
        """Run a processor (the arguments of :meth:`create`) and return the finished run.

        A run that comes back unfinished (any async run, and a ``sync=True`` run the
        server stopped waiting for after five minutes) is polled with :meth:`wait`, so
        the result is always PROCESSED, FAILED or CANCELLED. ``timeout`` and ``poll``
        are the wait's: ``timeout`` counts from when the run was created, and a run
        still unfinished then raises :class:`~extend_async.WaitTimeoutError`. The run is
        started once: the create is never repeated, whatever happens to the wait.
        """
        check_wait_arguments("processor_runs.create_and_wait", timeout, poll)
        call = _run_call(
            "processor_runs.create_and_wait",
            processor_id,
            file=file,
            raw_text=raw_text,
            version=version,
            priority=priority,
            metadata=metadata,
            config=config,
            sync=sync,
        )
        run = await self._pipeline.execute(call, parsed_only=True)
        if run.is_terminal:
            return run
        return await self.wait(run.id, timeout=timeout, poll=poll)

    @api_method
    def get(self, id: str) -> Call[ProcessorRun]:
        """One run with its status, output, config and files (what polling fetches)."""
        return _GET.call(id=id)

    @pager_method
    def list(
        self,
        *,
        status: Omittable[ProcessorRunStatus | str] = NOT_GIVEN,
        processor_id: Omittable[str] = NOT_GIVEN,
        processor_type: Omittable[ProcessorType | str] = NOT_GIVEN,
        source_id: Omittable[str] = NOT_GIVEN,
        source: Omittable[ProcessorRunSource | str] = NOT_GIVEN,
        file_name_contains: Omittable[str] = NOT_GIVEN,
        sort_by: Omittable[SortBy | str] = NOT_GIVEN,
        sort_dir: Omittable[SortDirection | str] = NOT_GIVEN,
        page_size: Omittable[int] = NOT_GIVEN,
    ) -> Call[Page[ProcessorRunSummary]]:
        """Summaries of the runs (no output: ``get`` one for that), page by page
        (``await`` it for the first page). ``source_id`` is what started a run, such as
        a workflow run id."""
        return _LIST.call(
            query=query(
                "processor_runs.list",
                status=status,
                processor_id=processor_id,
                processor_type=processor_type,
                source_id=source_id,
                source=source,
                file_name_contains=file_name_contains,
                sort_by=sort_by,
                sort_dir=sort_dir,
                page_size=page_size,
            )
        )

    @api_method
    def cancel(self, id: str) -> Call[ProcessorRun]:
        """Stop a run that is still running; it comes back CANCELLED. A finished run
        cannot be cancelled (the server answers 400: ``BadRequestError``)."""
        return _CANCEL.call(id=id)

    @api_method
    def delete(self, id: str) -> Call[ProcessorRunDeleted]:
        """Delete a run and its data for good."""
        return _DELETE.call(id=id)

    def _poll_call(self, id: str) -> Call[ProcessorRun]:
        return _GET.call(id=id)

    def _is_terminal(self, obj: ProcessorRun) -> bool:
        return obj.is_terminal


class ProcessorRuns(SyncResource[AsyncProcessorRuns], SyncPolling[ProcessorRun]):
    """Blocking twin of :class:`AsyncProcessorRuns`."""

    create = sync_method(AsyncProcessorRuns.create)
    create_and_wait = sync_method(AsyncProcessorRuns.create_and_wait)
    get = sync_method(AsyncProcessorRuns.get)
    list = sync_pager_method(AsyncProcessorRuns.list)
    cancel = sync_method(AsyncProcessorRuns.cancel)
    delete = sync_method(AsyncProcessorRuns.delete)
