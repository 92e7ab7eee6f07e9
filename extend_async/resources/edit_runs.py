"""Editing (form filling): edit runs (``/edit``, ``/edit_runs``), schema generation
(``/edit_schemas/generate``) and saved edit templates (``/edit_templates``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._converter import to_json
from .._endpoint import Call, Endpoint, api_method
from .._introspect import refused_by_public_name
from .._requests import FileArgument, file_input, json_body
from .._sync_bridge import SyncPolling, SyncResource, sync_method
from ..errors import ResponseValidationError, body_excerpt
from ..models import (
    NOT_GIVEN,
    EditRequest,
    EditRun,
    EditRunConfig,
    EditRunDeleted,
    EditRunResult,
    EditRunState,
    EditRunStatus,
    EditSchemaGenerationConfig,
    EditSchemaGenerationResponse,
    EditTemplate,
    FileInput,
    GenerateEditSchemaRequest,
    NotGiven,
    Omittable,
    UnknownEditRunResult,
)
from ..polling import DEFAULT_POLL, AsyncPolling, PollPolicy, check_wait_arguments
from ._base import AsyncResource
from .processor_runs import SYNC_TIMEOUT

__all__ = [
    "ENDPOINTS",
    "AsyncEditRuns",
    "AsyncEditSchemas",
    "AsyncEditTemplates",
    "EditConfigInput",
    "EditRuns",
    "EditSchemas",
    "EditTemplates",
    "SchemaConfigInput",
]

_EDIT = Endpoint("edit_file", "POST", "/edit", EditRun)
_EDIT_ASYNC = Endpoint("edit_file_async", "POST", "/edit/async", EditRunStatus)
_GENERATE = Endpoint(
    "generate_edit_schema", "POST", "/edit_schemas/generate", EditSchemaGenerationResponse
)
_GET = Endpoint[EditRunResult](
    "get_edit_run",
    "GET",
    "/edit_runs/{id}",
    EditRunResult,  # type: ignore[arg-type]  # a union (told apart by ``object``), not a class
    "editRun",
)
_DELETE = Endpoint("delete_edit_run", "DELETE", "/edit_runs/{id}", EditRunDeleted)
_GET_TEMPLATE = Endpoint(
    "get_edit_template", "GET", "/edit_templates/{id}", EditTemplate, "editTemplate"
)
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_EDIT, _EDIT_ASYNC, _GENERATE, _GET, _DELETE, _GET_TEMPLATE)

#: An edit config as our model, or as a mapping in its wire form.
EditConfigInput = EditRunConfig | Mapping[str, Any]
#: A schema-generation config as our model, or as a mapping in its wire form.
SchemaConfigInput = EditSchemaGenerationConfig | Mapping[str, Any]


def _edit_body(
    method: str,
    file: Omittable[FileArgument],
    template_id: Omittable[str],
    config: Omittable[EditConfigInput],
) -> dict[str, Any]:
    """The body of Edit File (and its async form), checked in the words of ``method``:
    the file to fill or a saved template, exactly one of them (the other, left out or
    None, is left out of the body), and the config."""
    source: Omittable[FileInput | Mapping[str, Any]] = NOT_GIVEN
    if not isinstance(file, NotGiven) and file is not None:
        source = file_input(file, method)
    template: Omittable[str] = NOT_GIVEN
    if not isinstance(template_id, NotGiven) and template_id is not None:
        template = template_id
    if isinstance(source, NotGiven) == isinstance(template, NotGiven):
        raise ValueError(f"{method}(): give file or template_id, exactly one of them")
    if template == "":
        raise ValueError(f"{method}(): template_id must not be empty")
    return json_body(EditRequest, method, file=source, template_id=template, config=config)


def _is_finished(result: EditRunResult) -> bool:
    """The full run ends a wait; so does a status object (or an object of an unknown
    kind) whose status is one of the known final states."""
    if isinstance(result, EditRun):
        return True
    if isinstance(result, EditRunStatus):
        return result.is_terminal
    status = result.raw.get("status")
    return isinstance(status, str) and EditRunState.is_terminal(status)


class AsyncEditRuns(AsyncResource, AsyncPolling[EditRunResult]):
    """Edit runs: PDF forms filled from an edit schema (field positions and values) or
    from instructions.

    ``edit`` fills a form in one call (the server waits for the outcome); ``create``
    starts an edit and answers at once with its status, and ``create_and_wait`` also
    waits for the finished run. ``get`` gives the status while the run is editing and
    the full :class:`~extend_async.models.EditRun` once it is done; ``delete`` removes
    a run with its data. Also ``get_many``, ``wait``, ``wait_many`` and ``wait_all``
    (see :class:`~extend_async.polling.AsyncPolling`): the full run, or a status of
    PROCESSED or FAILED, ends a wait. The filled PDF is behind
    ``run.edited_file.download_url``: ``await client.download(url)``.
    """

    @api_method
    def edit(
        self,
        *,
        file: Omittable[FileArgument] = NOT_GIVEN,
        template_id: Omittable[str] = NOT_GIVEN,
        config: Omittable[EditConfigInput] = NOT_GIVEN,
    ) -> Call[EditRun]:
        """Fill ``file`` (an id, a URL, a ``File``, a ``FileInput``) or the file of the
        saved template ``template_id`` (one of them) and return the run when done.

        ``config`` holds the schema (fields with their ``extend_edit:value``), the
        instructions and the options; with a template it overrides the template's
        config. The server waits up to five minutes for the outcome, so this call gets
        a time limit of at least :data:`~extend_async.resources.processor_runs.SYNC_TIMEOUT`
        seconds. When those five minutes run out the run comes back still PROCESSING
        (``run.is_terminal`` is False): :meth:`wait` finishes it. For long edits prefer
        :meth:`create_and_wait`, which never holds a request open.
        """
        body = _edit_body("edit_runs.edit", file, template_id, config)
        return _EDIT.call(body=body, timeout_at_least=SYNC_TIMEOUT)

    @api_method
    def create(
        self,
        *,
        file: Omittable[FileArgument] = NOT_GIVEN,
        template_id: Omittable[str] = NOT_GIVEN,
        config: Omittable[EditConfigInput] = NOT_GIVEN,
    ) -> Call[EditRunStatus]:
        """Start an edit (the arguments of :meth:`edit`) and return its status at once
        (PROCESSING); poll it with :meth:`get` or :meth:`wait`."""
        return _EDIT_ASYNC.call(body=_edit_body("edit_runs.create", file, template_id, config))

    @refused_by_public_name
    async def create_and_wait(
        self,
        *,
        file: Omittable[FileArgument] = NOT_GIVEN,
        template_id: Omittable[str] = NOT_GIVEN,
        config: Omittable[EditConfigInput] = NOT_GIVEN,
        timeout: float | None = None,
        poll: PollPolicy = DEFAULT_POLL,
    ) -> EditRun:
        """Start an edit (the arguments of :meth:`create`) and return the finished run,
        PROCESSED or FAILED (a failed edit is a result, not an error).

        ``timeout`` and ``poll`` are the wait's: a run still editing after ``timeout``
        seconds raises :class:`~extend_async.WaitTimeoutError`. The edit is started
        once: the create is never repeated, whatever happens to the wait. Should the
        server end a run with its status alone rather than the full run it documents,
        :class:`~extend_async.ResponseValidationError` says so (``wait`` returns that
        status as it is).
        """
        method = "edit_runs.create_and_wait"
        check_wait_arguments(method, timeout, poll)
        call = _EDIT_ASYNC.call(body=_edit_body(method, file, template_id, config))
        started = await self._pipeline.execute(call, parsed_only=True)
        result = await self.wait(started.id, timeout=timeout, poll=poll)
        if isinstance(result, EditRun):
            return result
        raise _not_a_full_run(started.id, result)

    @api_method
    def get(self, id: str) -> Call[EditRunResult]:
        """One run: an :class:`~extend_async.models.EditRunStatus` while it is being
        edited, the full :class:`~extend_async.models.EditRun` once it is done (an
        :class:`~extend_async.models.UnknownEditRunResult` for a kind this release does
        not know). Tell them apart with ``isinstance``."""
        return _GET.call(id=id)

    @api_method
    def delete(self, id: str) -> Call[EditRunDeleted]:
        """Delete a run and its data (the filled file with it) for good."""
        return _DELETE.call(id=id)

    def _poll_call(self, id: str) -> Call[EditRunResult]:
        return _GET.call(id=id)

    def _is_terminal(self, obj: EditRunResult) -> bool:
        return _is_finished(obj)


def _not_a_full_run(
    run_id: str, result: EditRunStatus | UnknownEditRunResult
) -> ResponseValidationError:
    """The error for a run that ended without the full run the API documents."""
    status = result.status if isinstance(result, EditRunStatus) else result.raw.get("status")
    return ResponseValidationError(
        f"edit run {run_id} ended {status}, but the server sent only its status, not the "
        "full run it documents for a finished edit",
        status_code=200,
        body=body_excerpt(to_json(result).encode()),
        path="$.editRun",
        method="GET",
    )


class AsyncEditSchemas(AsyncResource):
    """Edit schemas: the fields of a PDF form detected, as a schema to fill."""

    @api_method
    def generate(
        self, file: FileArgument, *, config: Omittable[SchemaConfigInput] = NOT_GIVEN
    ) -> Call[EditSchemaGenerationResponse]:
        """Detect the fields of the form ``file`` (an id, a URL, a ``File``, a
        ``FileInput``) and return its edit schema: ``schema`` to fill, the schema
        detected (``annotated_schema``) and, when ``config`` gives an ``input_schema``
        to map onto the form, the mapping report (``mapping_result``).

        The answer comes when the detection is done, so this call gets the same long
        time limit as :meth:`AsyncEditRuns.edit`.
        """
        method = "edit_schemas.generate"
        body = json_body(
            GenerateEditSchemaRequest, method, file=file_input(file, method), config=config
        )
        return _GENERATE.call(body=body, timeout_at_least=SYNC_TIMEOUT)


class AsyncEditTemplates(AsyncResource):
    """Saved edit templates: a form with its default edit config, reusable by id
    (``edit_runs.edit(template_id=...)``)."""

    @api_method
    def get(self, id: str) -> Call[EditTemplate]:
        """One template: its file, default edit config and schema-generation config."""
        return _GET_TEMPLATE.call(id=id)


class EditRuns(SyncResource[AsyncEditRuns], SyncPolling[EditRunResult]):
    """Blocking twin of :class:`AsyncEditRuns`."""

    edit = sync_method(AsyncEditRuns.edit)
    create = sync_method(AsyncEditRuns.create)
    create_and_wait = sync_method(AsyncEditRuns.create_and_wait)
    get = sync_method(AsyncEditRuns.get)
    delete = sync_method(AsyncEditRuns.delete)


class EditSchemas(SyncResource[AsyncEditSchemas]):
    """Blocking twin of :class:`AsyncEditSchemas`."""

    generate = sync_method(AsyncEditSchemas.generate)


class EditTemplates(SyncResource[AsyncEditTemplates]):
    """Blocking twin of :class:`AsyncEditTemplates`."""

    get = sync_method(AsyncEditTemplates.get)
