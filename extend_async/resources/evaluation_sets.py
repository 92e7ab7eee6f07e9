"""Evaluation sets (``/evaluation_sets``) and their items (``/evaluation_set_items``):
files with the output a processor should give for each, to measure it against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cattrs import BaseValidationError

from .._converter import converter
from .._endpoint import Call, Endpoint, api_method, check_id
from .._requests import _first_problem, json_body, query, to_wire
from .._sync_bridge import SyncResource, sync_method, sync_pager_method
from ..models import (
    NOT_GIVEN,
    BulkCreateEvaluationSetItemsRequest,
    BulkEvaluationSetItem,
    CreateEvaluationSetItemRequest,
    CreateEvaluationSetRequest,
    EvaluationSet,
    EvaluationSetItem,
    EvaluationSetItemDeleted,
    File,
    Omittable,
    Page,
    ProvidedProcessorOutput,
    SortBy,
    SortDirection,
    UnknownProvidedOutput,
    UpdateEvaluationSetItemRequest,
)
from ..models.common import UNIONS
from ..pagination import pager_method
from ._base import AsyncResource
from .workflow_runs import OutputInput

__all__ = [
    "ENDPOINTS",
    "AsyncEvaluationSetItems",
    "AsyncEvaluationSets",
    "BulkItemInput",
    "EvaluationSetItems",
    "EvaluationSets",
]

_GET = Endpoint(
    "get_evaluation_set", "GET", "/evaluation_sets/{id}", EvaluationSet, "evaluationSet"
)
_LIST = Endpoint(
    "list_evaluation_sets",
    "GET",
    "/evaluation_sets",
    Page[EvaluationSet],
    items="evaluationSets",
)
_CREATE = Endpoint(
    "create_evaluation_set", "POST", "/evaluation_sets", EvaluationSet, "evaluationSet"
)
_LIST_ITEMS = Endpoint(
    "list_evaluation_set_items",
    "GET",
    "/evaluation_sets/{id}/items",
    Page[EvaluationSetItem],
    items="evaluationSetItems",
)
_CREATE_ITEM = Endpoint(
    "create_evaluation_set_item",
    "POST",
    "/evaluation_set_items",
    EvaluationSetItem,
    "evaluationSetItem",
)
_UPDATE_ITEM = Endpoint(
    "update_evaluation_set_item",
    "POST",
    "/evaluation_set_items/{id}",
    EvaluationSetItem,
    "evaluationSetItem",
)
_DELETE_ITEM = Endpoint(
    "delete_evaluation_set_item",
    "DELETE",
    "/evaluation_set_items/{id}",
    EvaluationSetItemDeleted,
)
_BULK = Endpoint(
    "bulk_create_evaluation_set_items",
    "POST",
    "/evaluation_set_items/bulk",
    list[EvaluationSetItem],
    "evaluationSetItems",
)
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_GET, _LIST, _CREATE, _LIST_ITEMS, _CREATE_ITEM, _UPDATE_ITEM, _DELETE_ITEM, _BULK)

#: One item of a bulk create: our model, or a mapping in wire form.
BulkItemInput = BulkEvaluationSetItem | Mapping[str, Any]

#: The keys of a bulk item on the wire.
_ITEM_KEYS = frozenset({"fileId", "expectedOutput"})
_SHAPES = (
    "ProvidedJsonOutput {value}, a map of field results {id, value, ...}, "
    "ProvidedClassifierOutput {id, type} or ProvidedSplitterOutput {splits}"
)


class AsyncEvaluationSets(AsyncResource):
    """Evaluation sets: ``create`` one for a processor, ``get`` one, ``list`` them
    (paged). Their items are on ``client.evaluation_set_items``."""

    @api_method
    def get(self, id: str) -> Call[EvaluationSet]:
        """One evaluation set (without its items)."""
        return _GET.call(id=id)

    # Below this method, ``list`` in an annotation names it, not the builtin (mypy).
    @pager_method
    def list(
        self,
        *,
        processor_id: Omittable[str] = NOT_GIVEN,
        sort_by: Omittable[SortBy | str] = NOT_GIVEN,
        sort_dir: Omittable[SortDirection | str] = NOT_GIVEN,
        page_size: Omittable[int] = NOT_GIVEN,
    ) -> Call[Page[EvaluationSet]]:
        """Every evaluation set, or those of one processor, page by page (``await`` it
        for the first page)."""
        return _LIST.call(
            query=query(
                "evaluation_sets.list",
                processor_id=processor_id,
                sort_by=sort_by,
                sort_dir=sort_dir,
                page_size=page_size,
            )
        )

    @api_method
    def create(self, *, name: str, description: str, processor_id: str) -> Call[EvaluationSet]:
        """Create an empty evaluation set for measuring ``processor_id``."""
        method = "evaluation_sets.create"
        body = json_body(
            CreateEvaluationSetRequest,
            method,
            name=name,
            description=description,
            processor_id=_body_id(method, "processor_id", processor_id),
        )
        return _CREATE.call(body=body)


class AsyncEvaluationSetItems(AsyncResource):
    """The items of evaluation sets: one file each, with the output the set's processor
    is expected to give for it.

    An expected output is one of our provided outputs (``ProvidedJsonOutput``,
    ``ProvidedFieldsArrayOutput``, ``ProvidedClassifierOutput``,
    ``ProvidedSplitterOutput``) or a mapping in its wire form; its field IDs and types
    must fit the processor's config. A file is an uploaded ``File`` or its id.
    """

    @api_method
    def create(
        self,
        *,
        evaluation_set_id: str,
        file_id: str | File,
        expected_output: OutputInput,
    ) -> Call[EvaluationSetItem]:
        """Add one file (it must exist already) to a set, with its expected output."""
        method = "evaluation_set_items.create"
        body = json_body(
            CreateEvaluationSetItemRequest,
            method,
            evaluation_set_id=_body_id(method, "evaluation_set_id", evaluation_set_id),
            file_id=_file_id(method, "file_id", file_id),
            expected_output=_expected(method, "expected_output", expected_output),
        )
        return _CREATE_ITEM.call(body=body)

    @api_method
    def bulk_create(
        self, evaluation_set_id: str, *, items: Sequence[BulkItemInput]
    ) -> Call[list[EvaluationSetItem]]:
        """Add many files (each existing already) to a set in one call, each with its
        expected output; the new items come back in the order given. The API documents
        no limit on how many."""
        method = "evaluation_set_items.bulk_create"
        if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Sequence):
            raise TypeError(f"{method}(): items must be a list of items, got {items!r}")
        if not items:
            raise ValueError(f"{method}(): items must hold at least one item")
        body = json_body(
            BulkCreateEvaluationSetItemsRequest,
            method,
            evaluation_set_id=_body_id(method, "evaluation_set_id", evaluation_set_id),
            items=[_bulk_item(method, f"items[{index}]", item) for index, item in enumerate(items)],
        )
        return _BULK.call(body=body)

    # Below this method, ``list`` in an annotation names it, not the builtin (mypy).
    @pager_method
    def list(
        self,
        evaluation_set_id: str,
        *,
        sort_by: Omittable[SortBy | str] = NOT_GIVEN,
        sort_dir: Omittable[SortDirection | str] = NOT_GIVEN,
        page_size: Omittable[int] = NOT_GIVEN,
    ) -> Call[Page[EvaluationSetItem]]:
        """Every item of one evaluation set, page by page (``await`` it for the first
        page)."""
        return _LIST_ITEMS.call(
            id=evaluation_set_id,
            query=query(
                "evaluation_set_items.list",
                sort_by=sort_by,
                sort_dir=sort_dir,
                page_size=page_size,
            ),
        )

    @api_method
    def update(self, id: str, *, expected_output: OutputInput) -> Call[EvaluationSetItem]:
        """Replace an item's expected output."""
        method = "evaluation_set_items.update"
        body = json_body(
            UpdateEvaluationSetItemRequest,
            method,
            expected_output=_expected(method, "expected_output", expected_output),
        )
        return _UPDATE_ITEM.call(id=id, body=body)

    @api_method
    def delete(self, id: str) -> Call[EvaluationSetItemDeleted]:
        """Remove an item from its set, for good."""
        return _DELETE_ITEM.call(id=id)


def _body_id(method: str, argument: str, value: object) -> object:
    """An id sent in the body: refused when empty (a wrong type is left to the body's
    check, which names it)."""
    if value == "":
        raise ValueError(f"{method}(): {argument} must be a non-empty string")
    return value


def _file_id(method: str, argument: str, value: object) -> object:
    """A file as its id: an uploaded ``File`` gives its own; a URL is refused, as the
    file must be uploaded first."""
    if isinstance(value, File):
        return value.id
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        raise ValueError(
            f"{method}(): {argument} takes the id of an uploaded file (or the File), "
            f"not a URL: upload {value!r} first"
        )
    if not isinstance(value, str):
        raise TypeError(f"{method}(): {argument} must be a file id or a File, got {value!r}")
    return check_id(f"{method}(): {argument}", value)


def _expected(method: str, argument: str, value: object) -> object:
    """An expected output, checked before sending when it is a mapping: one of none of
    the known shapes (a typo, a value missing its ``{"value": ...}``) is refused, and so
    is a known shape holding a wrong type. A shape this release does not know is sent
    as ``UnknownProvidedOutput(raw=...)``; a value that is no mapping at all is left to
    the body's check, which names it."""
    if not isinstance(value, Mapping):
        return value
    wire = to_wire(value)
    choose, _ = UNIONS[ProvidedProcessorOutput]
    shape = choose(wire)
    if shape is UnknownProvidedOutput:
        raise ValueError(
            f"{method}(): {argument} is none of the provided output shapes ({_SHAPES}), "
            f"got keys {sorted(wire)}; pass UnknownProvidedOutput(raw=...) to send "
            f"another shape as it is"
        )
    try:
        converter.structure(wire, shape)
    except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
        problem = _first_problem(exc)  # a path inside the output: "value: ...", "['a']..."
        joint = "" if problem.startswith("[") else "."
        raise TypeError(f"{method}(): {argument}{joint}{problem}") from None
    return value


def _bulk_item(method: str, where: str, item: object) -> object:
    """One bulk item, its file id and expected output checked as ``create`` checks them."""
    if isinstance(item, BulkEvaluationSetItem):
        _body_id(method, f"{where}.file_id", item.file_id)
        return item
    if not isinstance(item, Mapping):
        raise TypeError(
            f"{method}(): {where} must be a BulkEvaluationSetItem or a mapping, got {item!r}"
        )
    unknown = sorted(set(item) - _ITEM_KEYS)
    if unknown:
        raise TypeError(
            f"{method}(): {where}: unknown keys {unknown} (an item has fileId, expectedOutput)"
        )
    checked = dict(item)
    if "fileId" in checked:
        checked["fileId"] = _file_id(method, f"{where}.file_id", checked["fileId"])
    if "expectedOutput" in checked:
        checked["expectedOutput"] = _expected(
            method, f"{where}.expected_output", checked["expectedOutput"]
        )
    return checked


class EvaluationSets(SyncResource[AsyncEvaluationSets]):
    """Blocking twin of :class:`AsyncEvaluationSets`."""

    get = sync_method(AsyncEvaluationSets.get)
    list = sync_pager_method(AsyncEvaluationSets.list)
    create = sync_method(AsyncEvaluationSets.create)


class EvaluationSetItems(SyncResource[AsyncEvaluationSetItems]):
    """Blocking twin of :class:`AsyncEvaluationSetItems`."""

    list = sync_pager_method(AsyncEvaluationSetItems.list)
    create = sync_method(AsyncEvaluationSetItems.create)
    update = sync_method(AsyncEvaluationSetItems.update)
    delete = sync_method(AsyncEvaluationSetItems.delete)
    bulk_create = sync_method(AsyncEvaluationSetItems.bulk_create)
