"""Evaluation sets: sets of files with the output a processor is expected to give for
each, and the requests that create sets and create, update or bulk-create items."""

from __future__ import annotations

from datetime import datetime

import attrs

from .processor_runs import ProvidedProcessorOutput

__all__ = [
    "BulkCreateEvaluationSetItemsRequest",
    "BulkEvaluationSetItem",
    "CreateEvaluationSetItemRequest",
    "CreateEvaluationSetRequest",
    "EvaluationSet",
    "EvaluationSetItem",
    "EvaluationSetItemDeleted",
    "UpdateEvaluationSetItemRequest",
]


@attrs.frozen
class EvaluationSet:
    """A set of files with expected outputs, for measuring a processor (without its items)."""

    id: str
    name: str
    description: str
    processor_id: str
    created_at: datetime
    updated_at: datetime
    object: str = "evaluation_set"


@attrs.frozen
class EvaluationSetItem:
    """One file of an evaluation set, with the output the processor should give for it."""

    id: str
    evaluation_set_id: str
    file_id: str
    expected_output: ProvidedProcessorOutput
    object: str = "evaluation_set_item"


@attrs.frozen(kw_only=True)
class CreateEvaluationSetRequest:
    """The body of Create Evaluation Set: its name, description and processor."""

    name: str
    description: str
    processor_id: str


@attrs.frozen(kw_only=True)
class CreateEvaluationSetItemRequest:
    """The body of Create Evaluation Set Item: the set, an existing file, and the
    output expected for it (field IDs and types must match the processor's config)."""

    evaluation_set_id: str
    file_id: str
    expected_output: ProvidedProcessorOutput


@attrs.frozen(kw_only=True)
class UpdateEvaluationSetItemRequest:
    """The body of Update Evaluation Set Item: the new expected output."""

    expected_output: ProvidedProcessorOutput


@attrs.frozen(kw_only=True)
class BulkEvaluationSetItem:
    """One item of Bulk Create Evaluation Set Items: an existing file and its expected
    output."""

    file_id: str
    expected_output: ProvidedProcessorOutput


@attrs.frozen(kw_only=True)
class BulkCreateEvaluationSetItemsRequest:
    """The body of Bulk Create Evaluation Set Items: the set and its new items."""

    evaluation_set_id: str
    items: list[BulkEvaluationSetItem]


@attrs.frozen
class EvaluationSetItemDeleted:
    """The answer to Delete Evaluation Set Item: the deleted item's ID and a message."""

    evaluation_set_item_id: str
    message: str
