"""Evaluation sets and their items: Get, List and Create Evaluation Set; List, Create,
Update, Delete and Bulk Create Evaluation Set Items.

A set belongs to a processor of the processors area; an item is a file of the files
area with the output that processor should give for it, checked against the
processor's draft config (see ``_expected_outputs``). Items have no timestamps on the
wire, yet their list sorts by ``createdAt`` / ``updatedAt``: the fake keeps both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import attrs
from aiohttp import web

from ..models import (
    BulkCreateEvaluationSetItemsRequest,
    CreateEvaluationSetItemRequest,
    CreateEvaluationSetRequest,
    EvaluationSet,
    EvaluationSetItem,
    ProcessorConfig,
    ProvidedProcessorOutput,
    UpdateEvaluationSetItemRequest,
)
from ._area import Area, FakeError, route
from ._expected_outputs import misfit, provided_from
from ._outputs import generate_output
from ._pages import page, sort_by_time
from ._wire import envelope, json_response, read_body, read_query

__all__ = ["EvaluationSets"]

_LIST_QUERY: Final = ("processorId", "sortBy", "sortDir", "nextPageToken", "maxPageSize")
_ITEMS_QUERY: Final = ("sortBy", "sortDir", "nextPageToken", "maxPageSize")
_NAMES: Final = ("Invoice Test Set", "Q4 Vendor Invoices", "Receipts Regression", "Golden Set")
_DELETED: Final = "Evaluation set item has been successfully deleted."


@attrs.define
class _Set:
    evaluation_set: EvaluationSet
    #: The set's items in the order they were added, by id.
    item_ids: list[str] = attrs.Factory(list)


@attrs.define
class _Item:
    item: EvaluationSetItem
    created_at: datetime
    updated_at: datetime


class EvaluationSets(Area):
    """The evaluation sets of the fake and their items, by id."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._sets: dict[str, _Set] = {}
        self._items: dict[str, _Item] = {}

    # -- seeding and inspection (from tests, any thread) --------------------------

    def add(
        self,
        *,
        processor_id: str | None = None,
        name: str | None = None,
        description: str = "",
        id: str | None = None,
    ) -> EvaluationSet:
        """Store an evaluation set for ``processor_id`` (a processor of
        ``fake.processors``; by default a new extraction processor)."""
        store = self.store
        with store.lock:
            set_id = id or store.new_id("ev_", 21)
            if set_id in self._sets:
                raise ValueError(f"an evaluation set with id {set_id!r} already exists")
            if processor_id is None:
                processor_id = self.areas.processors.add().id
            else:
                self.areas.processors.get(processor_id)  # KeyError for an unknown one
            return self._new_set(
                set_id, name or store.rng.choice(_NAMES), description, processor_id
            )

    def add_item(
        self,
        evaluation_set_id: str,
        *,
        file_id: str | None = None,
        expected_output: ProvidedProcessorOutput | None = None,
        id: str | None = None,
    ) -> EvaluationSetItem:
        """Store an item of a set: ``file_id`` (a file of ``fake.files``; by default a
        new one) with ``expected_output`` (by default one generated from the set's
        processor config, as a run of it would give). KeyError for an unknown set or
        file, ValueError for an output that does not fit the processor."""
        store = self.store
        with store.lock:
            entry = self._known(evaluation_set_id)
            item_id = id or store.new_id("evi_", 20)
            if item_id in self._items:
                raise ValueError(f"an evaluation set item with id {item_id!r} already exists")
            if file_id is None:
                file_id = self.areas.files.add().id
            stored = self.areas.files.stored(file_id)
            config = self._config(entry)
            if expected_output is None:
                pages = int(stored.file.metadata.page_count or 1)
                generated = generate_output(
                    config, store.rng, file_name=stored.file.name, pages=pages
                )
                expected_output = provided_from(generated)
            problem = misfit(config, expected_output, "expected_output")
            if problem is not None:
                raise ValueError(problem)
            return self._new_item(entry, item_id, stored.file.id, expected_output)

    def get(self, evaluation_set_id: str) -> EvaluationSet:
        """A stored evaluation set (KeyError if there is none)."""
        with self.store.lock:
            return self._known(evaluation_set_id).evaluation_set

    def item(self, item_id: str) -> EvaluationSetItem:
        """A stored item (KeyError if there is none: never added, or deleted)."""
        with self.store.lock:
            entry = self._items.get(item_id)
            if entry is None:
                raise KeyError(f"no evaluation set item with id {item_id!r}")
            return entry.item

    def items(self, evaluation_set_id: str) -> list[EvaluationSetItem]:
        """A set's items in the order they were added (KeyError for an unknown set)."""
        with self.store.lock:
            entry = self._known(evaluation_set_id)
            return [self._items[item_id].item for item_id in entry.item_ids]

    # -- the API ----------------------------------------------------------------------

    @route("get_evaluation_set", "GET", "/evaluation_sets/{id}")
    async def get_evaluation_set(self, request: web.Request) -> web.StreamResponse:
        with self.store.lock:
            entry = self._entry(request.match_info["id"])
            return json_response(200, envelope("evaluationSet", entry.evaluation_set))

    @route("list_evaluation_sets", "GET", "/evaluation_sets")
    async def list_evaluation_sets(self, request: web.Request) -> web.StreamResponse:
        query = read_query(request, _LIST_QUERY)
        wanted = query.get("processorId")
        with self.store.lock:
            sets = [
                entry.evaluation_set
                for entry in self._sets.values()
                if wanted is None or entry.evaluation_set.processor_id == wanted
            ]
            ordered = sort_by_time(sets, query)
        items, token = page(ordered, query, {"processorId": wanted})
        return json_response(200, envelope("evaluationSets", list(items), nextPageToken=token))

    @route("create_evaluation_set", "POST", "/evaluation_sets")
    async def create_evaluation_set(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, CreateEvaluationSetRequest)
        if not body.name.strip():
            raise FakeError(400, "Invalid request: name must not be empty")
        store = self.store
        with store.lock:
            try:
                self.areas.processors.get(body.processor_id)
            except KeyError:
                raise FakeError(404, f"Processor {body.processor_id!r} not found") from None
            made = self._new_set(
                store.new_id("ev_", 21), body.name, body.description, body.processor_id
            )
        return json_response(200, envelope("evaluationSet", made))

    @route("list_evaluation_set_items", "GET", "/evaluation_sets/{id}/items")
    async def list_evaluation_set_items(self, request: web.Request) -> web.StreamResponse:
        query = read_query(request, _ITEMS_QUERY)
        set_id = request.match_info["id"]
        with self.store.lock:
            entry = self._entry(set_id)
            kept = [self._items[item_id] for item_id in entry.item_ids]
            ordered = [kept_item.item for kept_item in sort_by_time(kept, query)]
        items, token = page(ordered, query, {"evaluationSetId": set_id})
        return json_response(200, envelope("evaluationSetItems", list(items), nextPageToken=token))

    @route("bulk_create_evaluation_set_items", "POST", "/evaluation_set_items/bulk")
    async def bulk_create_evaluation_set_items(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, BulkCreateEvaluationSetItemsRequest)
        if not body.items:
            raise FakeError(400, "Invalid request: items must hold at least one item")
        store = self.store
        with store.lock:
            entry = self._entry(body.evaluation_set_id)
            for index, given in enumerate(body.items):  # every item checked before any is made
                self._check(entry, given.file_id, given.expected_output, f"items[{index}]")
            made = [
                self._new_item(entry, self._new_item_id(), given.file_id, given.expected_output)
                for given in body.items
            ]
        return json_response(200, envelope("evaluationSetItems", made))

    @route("create_evaluation_set_item", "POST", "/evaluation_set_items")
    async def create_evaluation_set_item(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, CreateEvaluationSetItemRequest)
        with self.store.lock:
            entry = self._entry(body.evaluation_set_id)
            self._check(entry, body.file_id, body.expected_output, "")
            made = self._new_item(entry, self._new_item_id(), body.file_id, body.expected_output)
        return json_response(200, envelope("evaluationSetItem", made))

    @route("update_evaluation_set_item", "POST", "/evaluation_set_items/{id}")
    async def update_evaluation_set_item(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, UpdateEvaluationSetItemRequest)
        with self.store.lock:
            kept = self._item_entry(request.match_info["id"])
            entry = self._sets[kept.item.evaluation_set_id]
            problem = misfit(self._config(entry), body.expected_output, "expectedOutput")
            if problem is not None:
                raise FakeError(400, f"Invalid request: {problem}")
            kept.item = attrs.evolve(kept.item, expected_output=body.expected_output)
            kept.updated_at = self.store.now()
            return json_response(200, envelope("evaluationSetItem", kept.item))

    @route("delete_evaluation_set_item", "DELETE", "/evaluation_set_items/{id}")
    async def delete_evaluation_set_item(self, request: web.Request) -> web.StreamResponse:
        item_id = request.match_info["id"]
        with self.store.lock:
            kept = self._item_entry(item_id)
            del self._items[item_id]
            self._sets[kept.item.evaluation_set_id].item_ids.remove(item_id)
        return json_response(200, envelope("evaluationSetItemId", item_id, message=_DELETED))

    # -- pieces -------------------------------------------------------------------------

    def _known(self, set_id: str) -> _Set:
        entry = self._sets.get(set_id)
        if entry is None:
            raise KeyError(f"no evaluation set with id {set_id!r}")
        return entry

    def _entry(self, set_id: str) -> _Set:
        entry = self._sets.get(set_id)
        if entry is None:
            raise FakeError(404, f"Evaluation set {set_id!r} not found")
        return entry

    def _item_entry(self, item_id: str) -> _Item:
        kept = self._items.get(item_id)
        if kept is None:
            raise FakeError(404, f"Evaluation set item {item_id!r} not found")
        return kept

    def _config(self, entry: _Set) -> ProcessorConfig:
        """The config an item's expected output must fit: the set's processor's draft."""
        processor = self.areas.processors.get(entry.evaluation_set.processor_id)
        return processor.draft_version.config

    def _check(
        self, entry: _Set, file_id: str, output: ProvidedProcessorOutput, where: str
    ) -> None:
        """A 404 for a file the fake does not hold; a 400 for an output that does not
        fit the set's processor. ``where`` places the item in the body (``items[2]``)."""
        prefix = f"{where}." if where else ""
        try:
            self.areas.files.stored(file_id)
        except KeyError:
            raise FakeError(404, f"{prefix}fileId: file {file_id!r} not found") from None
        problem = misfit(self._config(entry), output, f"{prefix}expectedOutput")
        if problem is not None:
            raise FakeError(400, f"Invalid request: {problem}")

    def _new_set(
        self, set_id: str, name: str, description: str, processor_id: str
    ) -> EvaluationSet:
        now = self.store.now()
        made = EvaluationSet(
            id=set_id,
            name=name,
            description=description,
            processor_id=processor_id,
            created_at=now,
            updated_at=now,
        )
        self._sets[set_id] = _Set(made)
        return made

    def _new_item_id(self) -> str:
        item_id = self.store.new_id("evi_", 20)
        while item_id in self._items:
            item_id = self.store.new_id("evi_", 20)
        return item_id

    def _new_item(
        self, entry: _Set, item_id: str, file_id: str, output: ProvidedProcessorOutput
    ) -> EvaluationSetItem:
        now = self.store.now()
        made = EvaluationSetItem(
            id=item_id,
            evaluation_set_id=entry.evaluation_set.id,
            file_id=file_id,
            expected_output=output,
        )
        self._items[item_id] = _Item(made, now, now)
        entry.item_ids.append(item_id)
        return made
