"""Differential check, workflows and workflow runs (rows 17 to 25): Create Workflow; Run,
Get, List, Update, Cancel, Delete, Batch Run and Correct Outputs of workflow runs.

The workflow of most tests runs one processor of each config kind, so every run that
gets outputs carries a JSON-schema extraction, a field-list extraction, a
classification and a split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import pytest

from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")

from differential._configs import WIRE_CONFIGS, ours  # noqa: E402
from differential._support import FIELDS_AS_JSON, pages  # noqa: E402

#: How each state is seeded (the keywords of ``fake.workflow_runs.add``).
STATES: dict[str, dict[str, Any]] = {
    "pending": {"processing_after": 5.0, "finish_after": 10.0},
    "processing": {"status": "PROCESSING"},
    "processed": {},
    "needs_review": {"status": "NEEDS_REVIEW"},
    "rejected": {"status": "REJECTED"},
    "failed": {"status": "FAILED"},
    "cancelling": {"status": "CANCELLING"},
    "cancelled": {"status": "CANCELLED"},
}
WITH_OUTPUTS = {"processed", "needs_review", "rejected"}
#: The official model each output is read into, in the workflow's processor order.
OUTPUT_TYPES = ("JsonOutput", "dict", "ClassifierOutput", "SplitterOutput")


@pytest.fixture
def steps(fake: FakeExtendServer) -> list[str]:
    """One processor of each config kind, in the order of WIRE_CONFIGS."""
    return [
        fake.processors.add(type=processor_type, config=ours(wire), published=1).id
        for processor_type, wire in WIRE_CONFIGS.values()
    ]


@pytest.fixture
def workflow_id(fake: FakeExtendServer, steps: list[str]) -> str:
    return fake.workflows.add(name="Every kind", processor_ids=steps, published=2).id


def get_run(official: Official, run_id: str) -> Any:
    return official.call("get_workflow_run", official.client.workflow_run.get, run_id).workflow_run


def check_outputs(got: Any, steps: list[str], official: Official) -> None:
    """One output per step, each of its kind, the field-list one misread by the client."""
    assert [output.processor_id for output in got.outputs] == steps
    assert [type(output.output).__name__ for output in got.outputs] == list(OUTPUT_TYPES)
    assert [output.type for output in got.outputs] == ["EXTRACT", "EXTRACT", "CLASSIFY", "SPLITTER"]
    assert all(output.status == "PROCESSED" for output in got.outputs)
    assert ("$.workflow_run.outputs[1].output", FIELDS_AS_JSON) in official.misread


def held_as_created(official: Official, run: Any, fake: FakeExtendServer) -> None:
    """A run just created is the fake's record of it as it was then: PENDING, not yet
    started (the fake's own look at it moves it to PROCESSING at once)."""
    held = attrs.evolve(fake.workflow_runs.get(run.id), status="PENDING", start_time=None)
    official.agree(run, held)


def test_creating_a_workflow(fake: FakeExtendServer, official: Official) -> None:
    got = official.call(
        "create_workflow", official.client.workflow.create, name="Invoice intake"
    ).workflow

    assert got.name == "Invoice intake"
    assert got.version == "draft"
    official.agree(got, fake.workflows.get(got.id))


@pytest.mark.parametrize("state", list(STATES))
def test_a_workflow_run_in_every_state(
    fake: FakeExtendServer, official: Official, steps: list[str], workflow_id: str, state: str
) -> None:
    run = fake.workflow_runs.add(
        workflow_id=workflow_id,
        file_name=f"{state}.pdf",
        metadata={"customer": "c-9", "tags": ["x"]},
        **STATES[state],
    )

    got = get_run(official, run.id)

    held = fake.workflow_runs.get(run.id)
    assert got.id == run.id
    assert got.status == state.upper() == str(held.status)
    assert got.workflow.id == workflow_id
    assert got.workflow.version == "2"  # the latest published
    assert got.files[0].name == f"{state}.pdf"
    assert got.metadata == {"customer": "c-9", "tags": ["x"]}
    if state in WITH_OUTPUTS:
        check_outputs(got, steps, official)
        assert got.usage is not None
    else:
        assert got.outputs == []
    if state == "failed":
        assert got.failure_reason == held.failure_reason is not None
    official.agree(got, held)


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "rejected"])
def test_a_run_parked_for_review_then_reviewed(
    fake: FakeExtendServer, official: Official, steps: list[str], workflow_id: str, approve: bool
) -> None:
    run = fake.workflow_runs.add(
        workflow_id=workflow_id, finish_after_polls=1, outcome="NEEDS_REVIEW"
    )
    parked = get_run(official, run.id)
    fake.workflow_runs.review(run.id, approve=approve, note=None if approve else "Wrong vendor")

    got = get_run(official, run.id)

    assert parked.status == "NEEDS_REVIEW"
    assert parked.reviewed is False
    assert got.status == ("PROCESSED" if approve else "REJECTED")
    assert got.reviewed is True
    assert got.reviewed_by == "reviewer@example.com"
    assert got.reviewed_at is not None
    assert got.rejection_note == (None if approve else "Wrong vendor")
    assert all(output.reviewed for output in got.outputs)
    check_outputs(got, steps, official)
    official.agree(got, fake.workflow_runs.get(run.id))


def test_running_a_workflow_on_files_then_polling_it(
    fake: FakeExtendServer, official: Official, steps: list[str], workflow_id: str
) -> None:
    classified = {"id": "contract", "type": "CONTRACT", "confidence": 0.97}
    files = [
        {"fileName": "Invoices.pdf", "fileUrl": "https://example.com/invoices/INV-1.pdf"},
        {"fileId": "file_given0001", "outputs": [{"processorId": steps[2], "output": classified}]},
    ]

    created = official.call(
        "run_workflow",
        official.client.workflow_run.create,
        workflow_id=workflow_id,
        files=files,
        version="1",
        priority=50,
        metadata={"customerId": "cust_123"},
    ).workflow_runs

    assert [run.status for run in created] == ["PENDING", "PENDING"]
    assert [run.files[0].name for run in created] == ["Invoices.pdf", "file_given0001.pdf"]
    assert created[1].files[0].id == "file_given0001"
    assert {run.workflow.version for run in created} == {"1"}
    for run in created:
        assert run.metadata == {"customerId": "cust_123"}
        held_as_created(official, run, fake)
    first = get_run(official, created[1].id)
    done = get_run(official, created[1].id)

    assert (first.status, done.status) == ("PROCESSING", "PROCESSED")
    check_outputs(done, steps, official)
    assert done.outputs[2].output.id == "contract"  # the output given with the file
    assert done.outputs[2].output.confidence == 0.97
    official.agree(done, fake.workflow_runs.get(done.id))


def test_running_a_workflow_on_raw_texts(
    fake: FakeExtendServer, official: Official, workflow_id: str
) -> None:
    created = official.call(
        "run_workflow",
        official.client.workflow_run.create,
        workflow_id=workflow_id,
        raw_texts=["Invoice INV-1 from Acme", "Receipt for 12.00 EUR"],
        version="draft",
    ).workflow_runs

    assert len(created) == 2
    assert {run.workflow.version for run in created} == {"draft"}
    assert {run.files[0].type for run in created} == {"TXT"}
    for run in created:
        held_as_created(official, run, fake)


def test_a_run_with_no_processors_and_one_with_a_single_step(
    fake: FakeExtendServer, official: Official
) -> None:
    empty = fake.workflows.add(processor_ids=[])
    single = fake.workflows.add()  # one new extraction processor
    runs = [fake.workflow_runs.add(workflow_id=w.id) for w in (empty, single)]

    got = [get_run(official, run.id) for run in runs]

    assert [len(run.outputs) for run in got] == [0, 1]
    assert isinstance(got[1].outputs[0].output, extend_ai.JsonOutput)
    for theirs, run in zip(got, runs, strict=True):
        official.agree(theirs, fake.workflow_runs.get(run.id))


def test_updating_a_run_merges_its_metadata(
    fake: FakeExtendServer, official: Official, workflow_id: str
) -> None:
    run = fake.workflow_runs.add(workflow_id=workflow_id, metadata={"a": 1, "b": {"c": 2}})

    renamed = official.call(
        "update_workflow_run", official.client.workflow_run.update, run.id, name="Renamed"
    ).workflow_run
    merged = official.call(
        "update_workflow_run",
        official.client.workflow_run.update,
        run.id,
        metadata={"b": [3], "d": None},
    ).workflow_run

    assert renamed.name == "Renamed"
    assert renamed.metadata == {"a": 1, "b": {"c": 2}}
    assert merged.name == "Renamed"
    assert merged.metadata == {"a": 1, "b": [3], "d": None}
    official.agree(merged, fake.workflow_runs.get(run.id))


def test_cancelling_a_run_and_being_refused_for_a_finished_one(
    fake: FakeExtendServer, official: Official, workflow_id: str
) -> None:
    fake.workflow_runs.set_lifecycle(finish_after=None, finish_after_polls=None)
    (running,) = official.call(
        "run_workflow",
        official.client.workflow_run.create,
        workflow_id=workflow_id,
        raw_texts=["never ends"],
    ).workflow_runs
    finished = fake.workflow_runs.add(workflow_id=workflow_id)

    response = official.call("cancel_workflow_run", official.client.workflow_run.cancel, running.id)
    official.fails(
        "cancel_workflow_run",
        400,
        extend_ai.BadRequestError,
        official.client.workflow_run.cancel,
        finished.id,
    )

    got = response.workflow_run
    assert type(got).__name__ == "WorkflowRunCancelResponseWorkflowRun"
    assert got.status == "CANCELLED"
    assert got.end_time is not None
    official.agree(got, fake.workflow_runs.get(running.id))


def test_deleting_a_run(fake: FakeExtendServer, official: Official, workflow_id: str) -> None:
    run = fake.workflow_runs.add(workflow_id=workflow_id)

    deleted = official.call("delete_workflow_run", official.client.workflow_run.delete, run.id)

    assert deleted.success is True
    assert deleted.workflow_run_id == run.id
    assert deleted.message
    official.fails(
        "get_workflow_run", 404, extend_ai.NotFoundError, official.client.workflow_run.get, run.id
    )
    official.fails(
        "delete_workflow_run",
        404,
        extend_ai.NotFoundError,
        official.client.workflow_run.delete,
        run.id,
    )


def test_a_batch_run_then_its_runs_by_batch_id(
    fake: FakeExtendServer, official: Official, steps: list[str], workflow_id: str
) -> None:
    inputs = [
        {
            "file": {"fileName": "a.pdf", "fileUrl": "https://example.com/a.pdf"},
            "metadata": {"n": 1},
        },
        {"file": {"fileId": "file_batch0002"}},
        {"rawText": "Receipt 7", "metadata": {"n": 3}},
    ]
    fake.workflow_runs.add(workflow_id=workflow_id)  # not of the batch

    batch = official.call(
        "batch_run_workflow",
        official.client.batch_workflow_run.create,
        workflow_id=workflow_id,
        inputs=inputs,
        version="2",
    )
    listed = official.call(
        "list_workflow_runs", official.client.workflow_run.list, batch_id=batch.batch_id
    ).workflow_runs

    assert batch.success is True
    assert batch.batch_id.startswith("batch_")
    assert len(listed) == 3
    names = set()
    for summary in listed:
        got = get_run(official, summary.id)
        assert got.batch_id == batch.batch_id
        assert summary.batch_id == batch.batch_id
        assert got.workflow.version == "2"
        names.add(got.files[0].name)
        official.agree(got, fake.workflow_runs.get(got.id))
    assert names == {"a.pdf", "file_batch0002.pdf", "raw_text.txt"}


#: Corrections of each kind of output, in the workflow's processor order.
CORRECTIONS: list[dict[str, Any]] = [
    {
        "value": {
            "invoice_number": "INV-2024-001",
            "invoice_date": "2024-03-14",
            "vendor_name": "Acme Corp.",
            "total_amount": {"amount": 1250.0, "iso_4217_currency_code": "USD"},
        }
    },
    {
        "holder": {"id": "holder", "value": "A. Jones", "type": "string"},
        "count": {"id": "count", "value": 12, "type": "number", "confidence": 1.0, "page": 2},
    },
    {"id": "receipt", "type": "RECEIPT", "confidence": 1.0},
    {
        "splits": [
            {
                "id": "split_1",
                "classificationId": "invoice",
                "type": "INVOICE",
                "startPage": 1,
                "endPage": 1,
                "observation": "One invoice",
                "identifier": "INV-1",
            }
        ]
    },
]


@pytest.mark.parametrize("index", range(4), ids=list(WIRE_CONFIGS))
def test_correcting_each_kind_of_output(
    fake: FakeExtendServer, official: Official, steps: list[str], workflow_id: str, index: int
) -> None:
    run = fake.workflow_runs.add(workflow_id=workflow_id, status="NEEDS_REVIEW")
    before = fake.workflow_runs.get(run.id).outputs[index]

    got = official.call(
        "correct_workflow_run_outputs",
        official.client.workflow_run_output.update,
        run.id,
        before.id,
        reviewed_output=CORRECTIONS[index],
    ).workflow_run

    corrected = got.outputs[index]
    assert corrected.id == before.id
    assert corrected.reviewed is True
    assert corrected.reviewed_output is not None
    assert type(corrected.output).__name__ == OUTPUT_TYPES[index]
    assert [output.reviewed for output in got.outputs] == [n == index for n in range(4)]
    if index == 0:
        assert corrected.output.value["vendor_name"] == "Acme Corp."
        assert corrected.edited is True
    if index == 1:
        assert corrected.output["holder"].value == "A. Jones"
        assert corrected.edits["holder"].edited_value == "A. Jones"
    if index == 2:
        assert (corrected.output.id, corrected.output.confidence) == ("receipt", 1.0)
    if index == 3:
        assert [split.identifier for split in corrected.output.splits] == ["INV-1"]
    official.agree(got, fake.workflow_runs.get(run.id))
    official.fails(
        "correct_workflow_run_outputs",
        404,
        extend_ai.NotFoundError,
        official.client.workflow_run_output.update,
        run.id,
        "dpr_missing",
        reviewed_output=CORRECTIONS[index],
    )


@pytest.fixture
def history(fake: FakeExtendServer, workflow_id: str) -> list[str]:
    """14 runs of two workflows, one a minute, oldest first, in several states."""
    other = fake.workflows.add(name="Other").id
    statuses = ["PROCESSED", "NEEDS_REVIEW", "FAILED", "PROCESSING", "CANCELLED", "REJECTED"]
    ids = []
    for n in range(14):
        run = fake.workflow_runs.add(
            workflow_id=workflow_id if n % 2 else other,
            status=statuses[n % 6],
            file_name=f"{'Invoice' if n % 3 else 'receipt'}-{n:02d}.pdf",
        )
        ids.append(run.id)
        fake.advance(60.0)
    return ids


def listed(official: Official, page_size: int, **filters: Any) -> tuple[list[Any], int]:
    """Every summary over every page, and the number of pages."""

    def fetch(token: str | None) -> Any:
        return official.call(
            "list_workflow_runs",
            official.client.workflow_run.list,
            max_page_size=page_size,
            next_page_token=token,
            **filters,
        )

    got = list(pages(fetch, lambda page: page.next_page_token))
    return [summary for page in got for summary in page.workflow_runs], len(got)


def test_listing_runs_page_by_page(
    fake: FakeExtendServer, official: Official, history: list[str]
) -> None:
    got, count = listed(official, 4)

    assert count == 4
    assert [summary.id for summary in got] == list(reversed(history))
    for summary in got:
        held = fake.workflow_runs.get(summary.id)
        assert summary.status == str(held.status)
        assert summary.workflow_id == held.workflow.id
        assert summary.workflow_name == held.workflow.name
        assert summary.initial_run_at == held.initial_run_at
        assert summary.end_time == held.end_time
        assert (summary.usage and summary.usage.credits) == (held.usage and held.usage.credits)


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"status": "NEEDS_REVIEW"}, lambda n: n % 6 == 1),
        ({"file_name_contains": "RECEIPT"}, lambda n: n % 3 == 0),
        ({"status": "PROCESSED", "sort_dir": "asc"}, lambda n: n % 6 == 0),
    ],
    ids=["status", "file-name", "status-oldest-first"],
)
def test_listing_runs_with_filters(
    official: Official, history: list[str], filters: dict[str, str], keep: Any
) -> None:
    got, _ = listed(official, 2, **filters)

    expected = [history[n] for n in range(14) if keep(n)]
    if filters.get("sort_dir") != "asc":
        expected.reverse()
    assert [summary.id for summary in got] == expected


def test_listing_the_runs_of_one_workflow(
    official: Official, history: list[str], workflow_id: str
) -> None:
    got, _ = listed(official, 3, workflow_id=workflow_id, sort_by="updatedAt")

    assert {summary.id for summary in got} == {history[n] for n in range(14) if n % 2}
    assert {summary.workflow_id for summary in got} == {workflow_id}
