"""What ``extend-async fake-server`` seeds, so that every command has something to act on.

Files (stored as uploads would store them); processors of the three types in turn, each
with published versions; workflows that run
the first three of them; and runs: batch processor runs, then processor runs (on the
processors in turn) and workflow runs (on the workflows in turn), every other one
finished (PROCESSED, FAILED and for workflow runs NEEDS_REVIEW in turn) and the others
still PROCESSING, to end PROCESSED as the lifecycle says.

The first object of each kind takes the id the API reference's examples use, and so do
the first processor run and workflow run still going: the commands in the docs work
against a fresh fake as written. The rest comes from the fake's seeded generator, in
this order: the same ``--seed`` gives the same ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs

from ..models import (
    BatchProcessorRun,
    File,
    Processor,
    ProcessorRun,
    ProcessorRunStatus,
    ProcessorType,
    Workflow,
    WorkflowRun,
    WorkflowRunStatus,
)

if TYPE_CHECKING:
    from ..testing import FakeExtendServer

__all__ = ["PUBLISHED_VERSIONS", "WORKFLOW_STEPS", "Seeded", "seed"]

EXAMPLE_BATCH_RUN_ID: Final = "bpr_Xj8mK2pL9nR4vT7qY5wZ"
EXAMPLE_FILE_ID: Final = "file_xK9mLPqRtN3vS8wF5hB2cQ"
EXAMPLE_PROCESSOR_ID: Final = "dp_Xj8mK2pL9nR4vT7qY5wZ"
EXAMPLE_WORKFLOW_ID: Final = "workflow_BMdfq_yWM3sT-ZzvCnA3f"
#: The first finished run, then the first one still going.
EXAMPLE_PROCESSOR_RUN_IDS: Final = ("dpr_Xj8mK2pL9nR4vT7qY5wZ", "dpr_gwkZZNRrPgkjcq0yXk7Pa")
EXAMPLE_WORKFLOW_RUN_IDS: Final = (
    "workflow_run_xKm9pNv3qWsY_jL2tR5Dh",
    "workflow_run_TcgplCsALH1I-cvG93mWa",
)

#: Versions published of each processor (1.0, 1.1), besides its draft.
PUBLISHED_VERSIONS: Final = 2
#: How many of the processors (the first ones) each workflow runs.
WORKFLOW_STEPS: Final = 3
_TYPES: Final = (ProcessorType.EXTRACT, ProcessorType.CLASSIFY, ProcessorType.SPLITTER)
_PROCESSOR_RUN_ENDS: Final = (ProcessorRunStatus.PROCESSED, ProcessorRunStatus.FAILED)
_WORKFLOW_RUN_ENDS: Final = (
    WorkflowRunStatus.PROCESSED,
    WorkflowRunStatus.NEEDS_REVIEW,
    WorkflowRunStatus.FAILED,
)
_GOING: Final = frozenset({"PENDING", "PROCESSING"})


@attrs.frozen
class Seeded:
    """What was seeded, in the order it was made."""

    batch_runs: list[BatchProcessorRun]
    files: list[File]
    processors: list[Processor]
    workflows: list[Workflow]
    processor_runs: list[ProcessorRun]
    workflow_runs: list[WorkflowRun]
    #: How the runs seeded as still going end, in words.
    ending: str

    @property
    def running_ids(self) -> list[str]:
        """The runs still going (of every kind): those to try ``wait`` and ``cancel`` on."""
        runs: list[Any] = [*self.batch_runs, *self.processor_runs, *self.workflow_runs]
        return [run.id for run in runs if run.status in _GOING]

    def as_json(self) -> dict[str, list[str]]:
        """The ids by kind, as the ``--json`` announcement gives them."""
        return {
            "batchProcessorRunIds": [run.id for run in self.batch_runs],
            "fileIds": [file.id for file in self.files],
            "processorIds": [processor.id for processor in self.processors],
            "workflowIds": [workflow.id for workflow in self.workflows],
            "processorRunIds": [run.id for run in self.processor_runs],
            "workflowRunIds": [run.id for run in self.workflow_runs],
            "runningIds": self.running_ids,
        }


def seed(
    fake: FakeExtendServer,
    *,
    batch_runs: int,
    files: int,
    processors: int,
    workflows: int,
    processor_runs: int,
    workflow_runs: int,
    finish_after: float | None,
) -> Seeded:
    """Seed ``fake`` (processor runs need a processor, workflow runs a workflow). Runs
    still going end PROCESSED ``finish_after`` seconds after they were seeded (on the
    fake's clock), batch runs included; when it is None, processor and workflow runs
    end on their second GET and batch runs are seeded finished."""
    assert processors or not processor_runs, "processor runs need a processor"
    assert workflows or not workflow_runs, "workflow runs need a workflow"
    if finish_after is None:
        going: dict[str, Any] = {"finish_after_polls": 2}
        ending = "ends PROCESSED on its second GET"
    else:
        going = {"finish_after": finish_after}
        ending = f"ends PROCESSED {finish_after:g} s after the fake started"
    seeded_batch_runs = _batch_runs(fake, batch_runs, finish_after)
    stored = [
        fake.files.add(f"invoice-{index + 1:03d}.pdf", id=EXAMPLE_FILE_ID if index == 0 else None)
        for index in range(files)
    ]
    made = [
        fake.processors.add(
            type=_TYPES[index % len(_TYPES)],
            id=EXAMPLE_PROCESSOR_ID if index == 0 else None,
            published=PUBLISHED_VERSIONS,
        )
        for index in range(processors)
    ]
    steps = [processor.id for processor in made[:WORKFLOW_STEPS]]
    flows = [
        fake.workflows.add(
            processor_ids=steps, id=EXAMPLE_WORKFLOW_ID if index == 0 else None, published=1
        )
        for index in range(workflows)
    ]
    runs = [
        fake.processor_runs.add(
            processor_id=made[index % len(made)].id,
            file_name=f"invoice-{index + 1:03d}.pdf",
            **_run_fields(index, EXAMPLE_PROCESSOR_RUN_IDS, _PROCESSOR_RUN_ENDS, going),
        )
        for index in range(processor_runs)
    ]
    flow_runs = [
        fake.workflow_runs.add(
            workflow_id=flows[index % len(flows)].id,
            file_name=f"packet-{index + 1:03d}.pdf",
            **_run_fields(index, EXAMPLE_WORKFLOW_RUN_IDS, _WORKFLOW_RUN_ENDS, going),
        )
        for index in range(workflow_runs)
    ]
    return Seeded(seeded_batch_runs, stored, made, flows, runs, flow_runs, ending)


def _batch_runs(
    fake: FakeExtendServer, n: int, finish_after: float | None
) -> list[BatchProcessorRun]:
    """``n`` batch runs, the first with the example id (the README's examples ask for it)."""
    if n == 0:
        return []
    lifecycle: dict[str, Any] = {} if finish_after is None else {"finish_after": finish_after}
    first = fake.add_batch_run(id=EXAMPLE_BATCH_RUN_ID, **lifecycle)
    return [first, *fake.seed_batch_runs(n - 1, **lifecycle)]


def _run_fields(
    index: int, example_ids: tuple[str, str], ends: tuple[str, ...], going: dict[str, Any]
) -> dict[str, Any]:
    """How run number ``index`` is seeded: even ones finished, each with the next of
    ``ends``, odd ones still going; the first of each with its example id."""
    fields: dict[str, Any] = dict(going) if index % 2 else {"status": ends[index // 2 % len(ends)]}
    if index < len(example_ids):
        fields["id"] = example_ids[index]
    return fields
