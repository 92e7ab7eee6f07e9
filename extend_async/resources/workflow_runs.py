"""Workflow runs (``/workflow_runs``): start them on files or raw texts, alone or as a
batch, then get, list, update, cancel, delete, correct and wait for them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from .._endpoint import Call, Endpoint, api_method
from .._requests import FileArgument, file_input, json_body, query
from .._sync_bridge import SyncPolling, SyncResource, sync_method, sync_pager_method
from ..models import (
    NOT_GIVEN,
    BatchRunWorkflowRequest,
    BatchWorkflowRunInput,
    CorrectWorkflowRunOutputsRequest,
    JsonObject,
    NotGiven,
    Omittable,
    Page,
    ProvidedProcessorOutput,
    RunWorkflowRequest,
    SortBy,
    SortDirection,
    UpdateWorkflowRunRequest,
    WorkflowRun,
    WorkflowRunDeleted,
    WorkflowRunFileInput,
    WorkflowRunStatus,
    WorkflowRunSummary,
)
from ..pagination import pager_method
from ..polling import DEFAULT_POLL, AsyncPolling, PollPolicy, _check_until, check_wait_arguments
from ._base import AsyncResource

__all__ = [
    "ENDPOINTS",
    "MAX_BATCH_INPUTS",
    "MAX_FILES_PER_RUN",
    "AsyncWorkflowRuns",
    "BatchInput",
    "OutputInput",
    "WorkflowFile",
    "WorkflowRuns",
]

#: Run Workflow takes at most this many files (or raw texts) per call.
MAX_FILES_PER_RUN = 50
#: Batch Run Workflow takes 1 to this many inputs per call.
MAX_BATCH_INPUTS = 1000

_RUN = Endpoint("run_workflow", "POST", "/workflow_runs", list[WorkflowRun], "workflowRuns")
_GET = Endpoint("get_workflow_run", "GET", "/workflow_runs/{id}", WorkflowRun, "workflowRun")
_LIST = Endpoint(
    "list_workflow_runs",
    "GET",
    "/workflow_runs",
    Page[WorkflowRunSummary],
    items="workflowRuns",
)
_UPDATE = Endpoint("update_workflow_run", "POST", "/workflow_runs/{id}", WorkflowRun, "workflowRun")
_CANCEL = Endpoint(
    "cancel_workflow_run", "POST", "/workflow_runs/{id}/cancel", WorkflowRun, "workflowRun"
)
_DELETE = Endpoint("delete_workflow_run", "DELETE", "/workflow_runs/{id}", WorkflowRunDeleted)
# The answer is {success, batchId} and nothing else: the id itself is the result.
_BATCH = Endpoint("batch_run_workflow", "POST", "/workflow_runs/batch", str, "batchId")
_CORRECT = Endpoint(
    "correct_workflow_run_outputs",
    "POST",
    "/workflow_runs/{id}/outputs/{output_id}",
    WorkflowRun,
    "workflowRun",
)
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_RUN, _GET, _LIST, _UPDATE, _CANCEL, _DELETE, _BATCH, _CORRECT)

#: A file to run a workflow on: our ``WorkflowRunFileInput`` (which may carry pre-set
#: outputs), or anything a file argument takes (an id, a URL, a ``File``, a
#: ``FileInput``, a wire mapping).
WorkflowFile = WorkflowRunFileInput | FileArgument
#: One input of a batch: our model, or a mapping in wire form.
BatchInput = BatchWorkflowRunInput | Mapping[str, Any]
#: A corrected output: our model, or a mapping in wire form.
OutputInput = ProvidedProcessorOutput | Mapping[str, Any]


class AsyncWorkflowRuns(AsyncResource, AsyncPolling[WorkflowRun]):
    """Runs of a workflow, one per file (or raw text).

    ``create`` starts runs, ``batch_create`` queues up to 1,000 at once; ``get``,
    ``list`` (paged), ``update``, ``cancel``, ``delete`` and ``correct_outputs`` act on
    them. Besides: ``get_many``, ``wait``, ``wait_many`` and ``wait_all`` (see
    :class:`~extend_async.polling.AsyncPolling`), and ``create_and_wait``.

    Only PROCESSED, FAILED, REJECTED and CANCELLED end a wait. A run in NEEDS_REVIEW
    waits for a human and is not final: a wait goes on through it, unless you pass
    ``until={"NEEDS_REVIEW"}``::

        run = await client.workflow_runs.wait(run_id, until={"NEEDS_REVIEW"})
        if run.status == "NEEDS_REVIEW":
            ...  # parked: a reviewer will approve (PROCESSED) or reject (REJECTED) it
    """

    @api_method
    def create(
        self,
        workflow_id: str,
        *,
        files: Sequence[WorkflowFile] | NotGiven = NOT_GIVEN,
        raw_texts: Sequence[str] | NotGiven = NOT_GIVEN,
        version: Omittable[str] = NOT_GIVEN,
        priority: Omittable[int] = NOT_GIVEN,
        metadata: Omittable[JsonObject] = NOT_GIVEN,
    ) -> Call[list[WorkflowRun]]:
        """Run a workflow on ``files`` or on ``raw_texts`` (one of them, at most 50):
        one run per file or text, returned in that order (usually PENDING)."""
        return self._create_call(
            "workflow_runs.create",
            workflow_id,
            files=files,
            raw_texts=raw_texts,
            version=version,
            priority=priority,
            metadata=metadata,
        )

    async def create_and_wait(
        self,
        workflow_id: str,
        *,
        files: Sequence[WorkflowFile] | NotGiven = NOT_GIVEN,
        raw_texts: Sequence[str] | NotGiven = NOT_GIVEN,
        version: Omittable[str] = NOT_GIVEN,
        priority: Omittable[int] = NOT_GIVEN,
        metadata: Omittable[JsonObject] = NOT_GIVEN,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
        until: Collection[str] = (),
    ) -> list[WorkflowRun]:
        """``create``, then wait for every run it started (``wait_all``); the runs in
        the order created.

        ``timeout`` bounds the wait for all of them together; a run still going then
        raises :class:`~extend_async.WaitTimeoutError`, and any other error of a poll is
        raised too (the create itself is bounded by the client's timeout). A FAILED
        run is a result, not an error. ``until={"NEEDS_REVIEW"}`` also stops at runs
        parked for review. Every argument is checked before the runs are created.
        """
        check_wait_arguments("workflow_runs.create_and_wait", timeout, poll)
        _check_until(until)
        call = self._create_call(
            "workflow_runs.create_and_wait",
            workflow_id,
            files=files,
            raw_texts=raw_texts,
            version=version,
            priority=priority,
            metadata=metadata,
        )
        runs = await self._pipeline.execute(call, parsed_only=True)
        done = await self.wait_all(
            [run.id for run in runs],
            timeout=timeout,
            poll=poll,
            until=until,
            return_exceptions=False,
        )
        return [done[run.id] for run in runs]

    def _create_call(
        self,
        method: str,
        workflow_id: str,
        *,
        files: Sequence[WorkflowFile] | NotGiven,
        raw_texts: Sequence[str] | NotGiven,
        version: Omittable[str],
        priority: Omittable[int],
        metadata: Omittable[JsonObject],
    ) -> Call[list[WorkflowRun]]:
        """The Run Workflow request, its arguments checked in the words of ``method``."""
        if (files is NOT_GIVEN) == (raw_texts is NOT_GIVEN):
            raise ValueError(f"{method}(): give files or raw_texts, one of them")
        given_files: list[Any] | NotGiven = NOT_GIVEN
        given_texts: list[Any] | NotGiven = NOT_GIVEN
        if not isinstance(files, NotGiven):
            given_files = [
                item
                if isinstance(item, WorkflowRunFileInput)
                else file_input(item, method, f"files[{index}]")
                for index, item in enumerate(
                    _sequence(files, method, "files", MAX_FILES_PER_RUN, "files")
                )
            ]
        if not isinstance(raw_texts, NotGiven):
            given_texts = _sequence(raw_texts, method, "raw_texts", MAX_FILES_PER_RUN, "texts")
        body = json_body(
            RunWorkflowRequest,
            method,
            workflow_id=workflow_id,
            files=given_files,
            raw_texts=given_texts,
            version=version,
            priority=priority,
            metadata=metadata,
        )
        return _RUN.call(body=body)

    @api_method
    def get(self, id: str) -> Call[WorkflowRun]:
        """One workflow run, with its files, processor outputs and step runs."""
        return _GET.call(id=id)

    # Below this method, ``list`` in an annotation names it, not the builtin (mypy).
    @pager_method
    def list(
        self,
        *,
        status: Omittable[WorkflowRunStatus | str] = NOT_GIVEN,
        workflow_id: Omittable[str] = NOT_GIVEN,
        batch_id: Omittable[str] = NOT_GIVEN,
        file_name_contains: Omittable[str] = NOT_GIVEN,
        sort_by: Omittable[SortBy | str] = NOT_GIVEN,
        sort_dir: Omittable[SortDirection | str] = NOT_GIVEN,
        page_size: Omittable[int] = NOT_GIVEN,
    ) -> Call[Page[WorkflowRunSummary]]:
        """Every workflow run (summaries), page by page (``await`` it for the first page);
        ``batch_id`` gives the runs of one ``batch_create``."""
        return _LIST.call(
            query=query(
                "workflow_runs.list",
                status=status,
                workflow_id=workflow_id,
                batch_id=batch_id,
                file_name_contains=file_name_contains,
                sort_by=sort_by,
                sort_dir=sort_dir,
                page_size=page_size,
            )
        )

    @api_method
    def update(
        self,
        id: str,
        *,
        name: Omittable[str] = NOT_GIVEN,
        metadata: Omittable[JsonObject] = NOT_GIVEN,
    ) -> Call[WorkflowRun]:
        """Rename a run, or merge ``metadata`` into its metadata (the keys given win);
        allowed at any time, also while it runs."""
        body = json_body(
            UpdateWorkflowRunRequest, "workflow_runs.update", name=name, metadata=metadata
        )
        return _UPDATE.call(id=id, body=body)

    @api_method
    def cancel(self, id: str) -> Call[WorkflowRun]:
        """Cancel a run that is PENDING or PROCESSING (any other status is a 400)."""
        return _CANCEL.call(id=id)

    @api_method
    def delete(self, id: str) -> Call[WorkflowRunDeleted]:
        """Delete a run and its data."""
        return _DELETE.call(id=id)

    @api_method
    def batch_create(
        self,
        workflow_id: str,
        *,
        inputs: Sequence[BatchInput],
        version: Omittable[str] = NOT_GIVEN,
    ) -> Call[str]:
        """Queue one run per input (1 to 1,000, each a file or a raw text with its own
        metadata); returns the batch id. ``list(batch_id=...)`` enumerates the runs."""
        method = "workflow_runs.batch_create"
        checked = _sequence(inputs, method, "inputs", MAX_BATCH_INPUTS, "inputs")
        body = json_body(
            BatchRunWorkflowRequest,
            method,
            workflow_id=workflow_id,
            inputs=checked,
            version=version,
        )
        return _BATCH.call(body=body)

    @api_method
    def correct_outputs(
        self, workflow_run_id: str, output_id: str, *, reviewed_output: OutputInput
    ) -> Call[WorkflowRun]:
        """Store the corrected output of one of a run's ``outputs`` (``output_id`` is
        that processor run's id); for an extraction, the fields given are final."""
        body = json_body(
            CorrectWorkflowRunOutputsRequest,
            "workflow_runs.correct_outputs",
            reviewed_output=reviewed_output,
        )
        return _CORRECT.call(id=workflow_run_id, output_id=output_id, body=body)

    def _poll_call(self, id: str) -> Call[WorkflowRun]:
        return _GET.call(id=id)

    def _is_terminal(self, obj: WorkflowRun) -> bool:
        return obj.is_terminal


def _sequence(value: object, method: str, argument: str, limit: int, what: str) -> list[Any]:
    """``value`` as a list of 1 to ``limit`` items; a lone string or mapping is refused."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"{method}(): {argument} must be a list of {what}, got {value!r}")
    if not value:
        raise ValueError(f"{method}(): {argument} must hold at least one item")
    if len(value) > limit:
        more = " (use batch_create for more)" if argument != "inputs" else ""
        raise ValueError(
            f"{method}(): {argument} takes at most {limit:,} {what} per call, "
            f"got {len(value):,}{more}"
        )
    return list(value)


class WorkflowRuns(SyncResource[AsyncWorkflowRuns], SyncPolling[WorkflowRun]):
    """Blocking twin of :class:`AsyncWorkflowRuns`."""

    create = sync_method(AsyncWorkflowRuns.create)
    create_and_wait = sync_method(AsyncWorkflowRuns.create_and_wait)
    get = sync_method(AsyncWorkflowRuns.get)
    list = sync_pager_method(AsyncWorkflowRuns.list)
    update = sync_method(AsyncWorkflowRuns.update)
    cancel = sync_method(AsyncWorkflowRuns.cancel)
    delete = sync_method(AsyncWorkflowRuns.delete)
    batch_create = sync_method(AsyncWorkflowRuns.batch_create)
    correct_outputs = sync_method(AsyncWorkflowRuns.correct_outputs)
