"""Every area of the fake, by name: how handlers of one area reach another's objects."""

from __future__ import annotations

from collections.abc import Iterator

from ._area import Area
from ._batch_runs import BatchRuns
from ._downloads import Downloads
from ._edit_runs import EditRuns, EditSchemas, EditTemplates
from ._evaluation_sets import EvaluationSets
from ._files import Files
from ._parser_runs import ParserRuns
from ._processor_runs import ProcessorRuns
from ._processors import Processors
from ._store import FakeStore
from ._webhooks import Webhooks
from ._workflows import WorkflowRuns, Workflows

__all__ = ["AREA_CLASSES", "Areas"]

#: The areas, in the order their routes are added.
AREA_CLASSES: tuple[type[Area], ...] = (
    BatchRuns,
    Downloads,
    EditRuns,
    EditSchemas,
    EditTemplates,
    Files,
    ParserRuns,
    Processors,
    ProcessorRuns,
    Workflows,
    WorkflowRuns,
    EvaluationSets,
    Webhooks,
)


class Areas:
    """One instance of each area over one store."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.batch_runs = BatchRuns(store, self)
        self.downloads = Downloads(store, self)
        self.edit_runs = EditRuns(store, self)
        self.edit_schemas = EditSchemas(store, self)
        self.edit_templates = EditTemplates(store, self)
        self.files = Files(store, self)
        self.parser_runs = ParserRuns(store, self)
        self.processors = Processors(store, self)
        self.processor_runs = ProcessorRuns(store, self)
        self.workflows = Workflows(store, self)
        self.workflow_runs = WorkflowRuns(store, self)
        self.evaluation_sets = EvaluationSets(store, self)
        self.webhooks = Webhooks(store, self)

    def __iter__(self) -> Iterator[Area]:
        return (value for value in vars(self).values() if isinstance(value, Area))

    def advance_all(self) -> None:
        """Move every run of every area to where the clock puts it, so runs end (and
        announce it) with nobody polling them."""
        for area in self:
            advance = getattr(area, "advance_all", None)
            if advance is not None:
                advance()
