"""Workflows, workflow runs, step runs and summaries, and the workflow requests."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from cattrs import ClassValidationError
from models._support import STRICT, assert_same_wire, example, round_trip, without_success

from extend_async import to_dict
from extend_async._converter import converter
from extend_async.models import (
    AnyStepRunOutput,
    BatchRunWorkflowRequest,
    BatchWorkflowRunFileInput,
    BatchWorkflowRunInput,
    CorrectWorkflowRunOutputsRequest,
    CreateWorkflowRequest,
    ExternalStepRunOutput,
    JsonOutput,
    ProcessorRun,
    ProvidedClassifierOutput,
    ProvidedFieldsArrayOutput,
    ProvidedJsonOutput,
    RuleFailureReason,
    RunWorkflowRequest,
    StepRun,
    StepRunOutput,
    StepRunRule,
    StepRunStatus,
    UnknownProvidedOutput,
    UpdateWorkflowRunRequest,
    Workflow,
    WorkflowBatch,
    WorkflowRun,
    WorkflowRunCredits,
    WorkflowRunDeleted,
    WorkflowRunFileInput,
    WorkflowRunFileInputOutput,
    WorkflowRunStatus,
    WorkflowRunSummary,
    WorkflowStep,
    WorkflowStepType,
)
from extend_async.models.common import NOT_GIVEN

UTC = timezone.utc

RUN_OPERATIONS = [
    "get_workflow_run",
    "update_workflow_run",
    "cancel_workflow_run",
    "correct_workflow_run_outputs",
]


# --- the endpoints' bodies -------------------------------------------------------------


def test_a_started_run_round_trips_pending_and_empty() -> None:
    [run] = round_trip(example("run_workflow")["workflowRuns"], list[WorkflowRun])

    assert run.status is WorkflowRunStatus.PENDING
    assert run.is_terminal is False
    assert run.outputs == []
    assert run.step_runs == []
    assert run.batch_id == "batch_kCz2ht2a"
    assert run.workflow == Workflow(
        id="workflow_YH1ZEST4sxgUT7w84KBGa", version="draft", name="Invoice Processing"
    )
    assert run.object == "workflow_run"


@pytest.mark.parametrize("operation", RUN_OPERATIONS)
def test_each_returned_run_round_trips(operation: str) -> None:
    run = round_trip(example(operation)["workflowRun"], WorkflowRun)

    assert run.id == "workflow_run_xKm9pNv3qWsY_jL2tR5Dh"
    assert all(isinstance(output, ProcessorRun) for output in run.outputs)


def test_a_finished_run_parses_to_its_outputs_steps_and_review() -> None:
    run = converter.structure(example("get_workflow_run")["workflowRun"], WorkflowRun)

    assert run.status is WorkflowRunStatus.PROCESSED
    assert run.is_terminal is True
    assert run.initial_run_at == datetime(2025, 4, 28, 17, 1, 39, 285000, tzinfo=UTC)
    assert run.reviewed is True
    assert run.reviewed_by == "jane.doe@example.com"
    assert run.reviewed_at == datetime(2025, 4, 28, 17, 20, tzinfo=UTC)
    assert run.end_time is not None
    assert run.start_time is not None
    assert run.end_time - run.start_time == timedelta(seconds=51)
    assert run.usage == WorkflowRunCredits(credits=25.0)
    [output] = run.outputs
    assert isinstance(output.output, JsonOutput)
    assert output.is_terminal is True
    assert run.step_runs == [
        StepRun(
            id="workflow_step_run_xK9mLPqRtN3vS8wF5hB2cQ",
            status=StepRunStatus.PROCESSED,
            step=WorkflowStep(
                id="step_xK9mLPqRtN3vS8wF5hB2cQ",
                name="Validate Invoice Total",
                type=WorkflowStepType.RULE_VALIDATION,
            ),
            output=StepRunOutput(
                rules=[
                    StepRunRule(name="total_is_positive", valid=True),
                    StepRunRule(
                        name="line_items_sum_to_total",
                        valid=False,
                        failure_reason=RuleFailureReason.RULE_FAILED,
                    ),
                ]
            ),
        )
    ]
    assert run.step_runs[0].is_terminal is True
    assert run.step_runs[0].step.object == "workflow_step"


def test_a_corrected_run_carries_the_reviewed_output() -> None:
    run = converter.structure(example("correct_workflow_run_outputs")["workflowRun"], WorkflowRun)

    reviewed = run.outputs[0].reviewed_output
    assert reviewed == JsonOutput(
        value={
            "invoice_number": "INV-2024-001",
            "invoice_date": "2024-03-14",
            "vendor_name": "Acme Corp.",
            "total_amount": {"amount": 1250.0, "iso_4217_currency_code": "USD"},
        },
        metadata={},
    )


def test_a_cancelled_run_is_terminal() -> None:
    run = converter.structure(example("cancel_workflow_run")["workflowRun"], WorkflowRun)

    assert run.status is WorkflowRunStatus.CANCELLED
    assert run.is_terminal is True
    assert run.end_time is None


def test_listed_run_summaries_round_trip() -> None:
    body = example("list_workflow_runs")

    runs = round_trip(body["workflowRuns"], list[WorkflowRunSummary])

    assert runs[0] == WorkflowRunSummary(
        id="workflow_run_Zk9mNP12Qw4-yTv8BdR3H",
        status=WorkflowRunStatus.REJECTED,
        workflow_id="workflow_BMdfq_yWM3sT-ZzvCnA3f",
        workflow_name="Invoice Processing",
        workflow_version_id="workflow_version_Zk9mNP12Qw4-yTv8BdR3H",
        created_at=datetime(2024, 3, 21, 15, 29, 55, tzinfo=UTC),
        updated_at=datetime(2024, 3, 21, 16, 45, tzinfo=UTC),
        initial_run_at=datetime(2024, 3, 21, 15, 30, tzinfo=UTC),
        reviewed_by_user="jane.doe@example.com",
        reviewed_at=datetime(2024, 3, 21, 16, 45, tzinfo=UTC),
        start_time=datetime(2024, 3, 21, 15, 30, tzinfo=UTC),
        end_time=datetime(2024, 3, 21, 15, 35, tzinfo=UTC),
        batch_id="batch_7Ws31-F5",
        rejection_note="Invalid invoice format",
        usage=WorkflowRunCredits(credits=25.0),
    )
    assert [r.is_terminal for r in runs] == [True, False]
    assert runs[1].batch_id is None
    assert isinstance(body["nextPageToken"], str)


def test_the_delete_answer_round_trips_whole() -> None:
    body = example("delete_workflow_run")

    deleted = converter.structure(body, WorkflowRunDeleted)

    assert deleted == WorkflowRunDeleted(
        workflow_run_id="workflow_run_xKm9pNv3qWsY_jL2tR5Dh",
        message="Workflow run data has been successfully deleted.",
    )
    assert to_dict(deleted) == without_success(body)


def test_a_created_workflow_round_trips() -> None:
    workflow = round_trip(example("create_workflow")["workflow"], Workflow)

    assert workflow == Workflow(
        id="workflow_BMlfq_yWM3sT-ZzvCnA3f", version="draft", name="Invoice Processing"
    )
    assert workflow.object == "workflow"


def test_the_batch_answer_round_trips_whole() -> None:
    body = example("batch_run_workflow")

    batch = converter.structure(body, WorkflowBatch)

    assert batch == WorkflowBatch(batch_id="batch_zyx987")
    assert to_dict(batch) == without_success(body)


# --- statuses -------------------------------------------------------------------------


def test_the_terminal_states() -> None:
    assert (
        frozenset(
            {
                WorkflowRunStatus.PROCESSED,
                WorkflowRunStatus.FAILED,
                WorkflowRunStatus.REJECTED,
                WorkflowRunStatus.CANCELLED,
            }
        )
        == WorkflowRunStatus.TERMINAL
    )
    assert WorkflowRunStatus.NEEDS_REVIEW not in WorkflowRunStatus.TERMINAL
    assert "TERMINAL" not in WorkflowRunStatus.__members__
    assert len(list(WorkflowRunStatus)) == 8
    assert (
        frozenset({StepRunStatus.PROCESSED, StepRunStatus.FAILED, StepRunStatus.CANCELLED})
        == StepRunStatus.TERMINAL
    )


@pytest.mark.parametrize(
    ("status", "terminal"),
    [
        ("PENDING", False),
        ("PROCESSING", False),
        ("NEEDS_REVIEW", False),
        ("CANCELLING", False),
        ("REJECTED", True),
        ("PROCESSED", True),
        ("FAILED", True),
        ("CANCELLED", True),
        ("ON_HOLD", False),
    ],
)
def test_is_terminal_for_every_status(status: str, terminal: bool) -> None:
    wire = example("get_workflow_run")["workflowRun"]
    wire["status"] = status
    summary = example("list_workflow_runs")["workflowRuns"][0]
    summary["status"] = status

    assert converter.structure(wire, WorkflowRun).is_terminal is terminal
    assert converter.structure(summary, WorkflowRunSummary).is_terminal is terminal
    assert WorkflowRunStatus.is_terminal(status) is terminal
    assert WorkflowRunStatus.is_terminal(WorkflowRunStatus(status)) is terminal


def test_a_run_in_review_is_parked_not_done() -> None:
    wire = example("get_workflow_run")["workflowRun"]
    wire["status"] = "NEEDS_REVIEW"

    run = converter.structure(wire, WorkflowRun)

    assert run.status is WorkflowRunStatus.NEEDS_REVIEW
    assert run.is_terminal is False
    assert WorkflowRunStatus.is_terminal("NEEDS_REVIEW") is False


def test_unknown_enum_values_are_kept() -> None:
    wire = example("get_workflow_run")["workflowRun"]
    wire["status"] = "ON_HOLD"
    step_run = wire["stepRuns"][0]
    step_run["status"] = "SKIPPED"
    step_run["step"]["type"] = "HUMAN_APPROVAL"
    step_run["output"]["rules"][1]["failureReason"] = "TIMEOUT"

    run = converter.structure(wire, WorkflowRun)

    assert run.status == "ON_HOLD"
    assert run.status.is_known is False
    step = run.step_runs[0]
    assert step.status == "SKIPPED"
    assert step.status.is_known is False
    assert step.is_terminal is False
    assert step.step.type == "HUMAN_APPROVAL"
    assert step.step.type.is_known is False
    assert isinstance(step.output, StepRunOutput)
    assert step.output.rules is not None
    failure = step.output.rules[1].failure_reason
    assert failure == "TIMEOUT"
    assert failure is not None
    assert failure.is_known is False
    assert_same_wire(to_dict(run), wire)


# --- step run outputs -----------------------------------------------------------------


def test_an_external_validation_output_is_kept_as_the_endpoint_sent_it() -> None:
    wire = example("get_workflow_run")["workflowRun"]
    external = {"approved": False, "reasons": ["vendor not on file"], "score": 0.2}
    wire["stepRuns"] = [
        {
            "object": "workflow_step_run",
            "id": "workflow_step_run_Zk9mNP12Qw4-yTv8BdR3H",
            "status": "PROCESSED",
            "step": {
                "object": "workflow_step",
                "id": "step_Zk9mNP12Qw4-yTv8BdR3H",
                "name": "Check vendor",
                "type": "EXTERNAL_DATA_VALIDATION",
            },
            "output": external,
        },
        {
            "object": "workflow_step_run",
            "id": "workflow_step_run_Bm8nQ2rL5pK9wF3dR7hY6",
            "status": "PENDING",
            "step": {
                "object": "workflow_step",
                "id": "step_Bm8nQ2rL5pK9wF3dR7hY6",
                "name": "Rules",
                "type": "RULE_VALIDATION",
            },
        },
    ]

    run = round_trip(wire, WorkflowRun)

    assert run.step_runs[0].output == ExternalStepRunOutput(raw=external)
    assert run.step_runs[1].output is None
    assert run.step_runs[1].is_terminal is False


def test_rule_results_with_every_field_round_trip() -> None:
    wire = {
        "rules": [
            {"name": "qty_positive", "valid": False, "validArray": ["true", "false"]},
            {"name": "bad_formula", "valid": False, "failureReason": "PARSE_ERROR", "error": "x"},
        ]
    }

    parsed = round_trip(wire, AnyStepRunOutput)

    assert parsed == StepRunOutput(
        rules=[
            StepRunRule(name="qty_positive", valid=False, valid_array=["true", "false"]),
            StepRunRule(
                name="bad_formula",
                valid=False,
                failure_reason=RuleFailureReason.PARSE_ERROR,
                error="x",
            ),
        ]
    )


def test_rule_results_that_cannot_be_read_are_kept_raw() -> None:
    wire = {"rules": [{"name": "qty_positive", "valid": "yes"}]}

    parsed = converter.structure(wire, AnyStepRunOutput)

    assert parsed == ExternalStepRunOutput(raw=wire)
    assert to_dict(parsed) == wire


# --- requests -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "model"),
    [
        ("run_workflow", RunWorkflowRequest),
        ("update_workflow_run", UpdateWorkflowRunRequest),
        ("create_workflow", CreateWorkflowRequest),
        ("batch_run_workflow", BatchRunWorkflowRequest),
        ("correct_workflow_run_outputs", CorrectWorkflowRunOutputsRequest),
    ],
)
def test_each_documented_request_body_structures_with_both_converters(
    operation: str, model: type[Any]
) -> None:
    body = example(f"{operation}.request")

    loose = converter.structure(copy.deepcopy(body), model)
    strict = STRICT.structure(copy.deepcopy(body), model)

    assert loose == strict
    assert_same_wire(to_dict(loose), body)
    assert_same_wire(to_dict(strict), body)


def test_the_run_request_reads_its_files() -> None:
    request = converter.structure(example("run_workflow.request"), RunWorkflowRequest)

    assert request == RunWorkflowRequest(
        workflow_id="workflow_BMdfq_yWM3sT-ZzvCnA3f",
        files=[
            WorkflowRunFileInput(
                file_name="Invoices.pdf", file_url="https://example.com/invoices/INV-2024-001.pdf"
            )
        ],
        version="draft",
        priority=50,
        metadata={"customerId": "cust_123"},
    )
    assert request.raw_texts is NOT_GIVEN


def test_a_run_request_on_raw_texts() -> None:
    request = RunWorkflowRequest(workflow_id="workflow_1", raw_texts=["one", "two"])

    body = to_dict(request)

    assert body == {"workflowId": "workflow_1", "rawTexts": ["one", "two"]}
    assert STRICT.structure(body, RunWorkflowRequest) == request


def test_a_file_input_with_pre_set_outputs_of_each_kind() -> None:
    body = {
        "workflowId": "workflow_BMdfq_yWM3sT-ZzvCnA3f",
        "files": [
            {
                "fileId": "file_xK9mLPqRtN3vS8wF5hB2cQ",
                "outputs": [
                    {"processorId": "dp_Xj8mK2pL9nR4vT7qY5wZ", "output": {"value": {"a": 1}}},
                    {
                        "processorId": "dp_Bm8nQ2rL5pK9wF3dR7hY6",
                        "output": {"id": "invoice", "type": "INVOICE", "confidence": 1},
                    },
                    {
                        "processorId": "dp_Cq1wE4rT7yU0iO3pA6sD9",
                        "output": {"vendor": {"id": "vendor", "value": "Acme"}},
                    },
                    {"processorId": "dp_Other", "output": {"label": "x"}},
                ],
            }
        ],
    }

    for conv in (converter, STRICT):
        request = conv.structure(copy.deepcopy(body), RunWorkflowRequest)
        assert request.files is not NOT_GIVEN
        assert request.files is not None
        [file] = request.files
        assert file.file_id == "file_xK9mLPqRtN3vS8wF5hB2cQ"
        assert file.outputs is not NOT_GIVEN
        assert file.outputs is not None
        kinds = [type(o.output) for o in file.outputs]
        assert kinds == [
            ProvidedJsonOutput,
            ProvidedClassifierOutput,
            ProvidedFieldsArrayOutput,
            UnknownProvidedOutput,
        ]
        assert_same_wire(to_dict(request), body)


def test_a_pre_set_output_built_in_python() -> None:
    file = WorkflowRunFileInput(
        file_url="https://example.com/a.pdf",
        outputs=[
            WorkflowRunFileInputOutput(
                processor_id="dp_1", output=ProvidedClassifierOutput(id="invoice", type="INVOICE")
            )
        ],
    )

    assert to_dict(file) == {
        "fileUrl": "https://example.com/a.pdf",
        "outputs": [{"processorId": "dp_1", "output": {"id": "invoice", "type": "INVOICE"}}],
    }


def test_the_batch_request_reads_files_and_raw_texts() -> None:
    request = converter.structure(example("batch_run_workflow.request"), BatchRunWorkflowRequest)

    assert request.inputs == [
        BatchWorkflowRunInput(
            file=BatchWorkflowRunFileInput(
                file_name="INV-2024-001.pdf",
                file_url="https://example.com/invoices/INV-2024-001.pdf",
            ),
            metadata={"externalId": "inv-001"},
        ),
        BatchWorkflowRunInput(
            file=BatchWorkflowRunFileInput(file_id="file_Zk9mNP12Qw4yTv8BdR3H"),
            metadata={"externalId": "inv-002"},
        ),
        BatchWorkflowRunInput(
            raw_text="Invoice INV-2024-003\nTotal: $42.00", metadata={"externalId": "inv-003"}
        ),
    ]
    assert request.version == "3"
    with_secrets = BatchWorkflowRunInput(raw_text="x", secrets={"apiKey": "k"})
    assert to_dict(with_secrets) == {"rawText": "x", "secrets": {"apiKey": "k"}}


def test_the_update_request_sends_only_what_was_given() -> None:
    assert to_dict(UpdateWorkflowRunRequest(name="Renamed")) == {"name": "Renamed"}
    assert to_dict(UpdateWorkflowRunRequest(metadata={"tier": "gold"})) == {
        "metadata": {"tier": "gold"}
    }
    assert to_dict(UpdateWorkflowRunRequest(name=None)) == {"name": None}
    assert to_dict(UpdateWorkflowRunRequest()) == {}


def test_the_correct_request_reads_its_reviewed_output() -> None:
    body = example("correct_workflow_run_outputs.request")

    request = STRICT.structure(body, CorrectWorkflowRunOutputsRequest)

    assert request.reviewed_output == ProvidedJsonOutput(value=body["reviewedOutput"]["value"])
    fields = CorrectWorkflowRunOutputsRequest(
        reviewed_output=ProvidedFieldsArrayOutput(
            raw={"vendor_name": {"id": "vendor_name", "value": "Acme"}}
        )
    )
    assert to_dict(fields) == {
        "reviewedOutput": {"vendor_name": {"id": "vendor_name", "value": "Acme"}}
    }


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (CreateWorkflowRequest, {"name": "Invoices", "description": "x"}),
        (UpdateWorkflowRunRequest, {"name": "x", "tags": ["a"]}),
        (BatchRunWorkflowRequest, {"workflowId": "w", "inputs": [{"rawText": "x", "url": "u"}]}),
        (RunWorkflowRequest, {"workflowId": "w", "files": [{"fileUrl": "u", "name": "a.pdf"}]}),
    ],
)
def test_the_strict_converter_refuses_unknown_keys(model: type[Any], body: dict[str, Any]) -> None:
    converter.structure(copy.deepcopy(body), model)
    with pytest.raises(ClassValidationError):
        STRICT.structure(copy.deepcopy(body), model)


def test_required_request_fields_are_required() -> None:
    with pytest.raises(ClassValidationError):
        converter.structure({"version": "3"}, BatchRunWorkflowRequest)
    with pytest.raises(ClassValidationError):
        converter.structure({}, CorrectWorkflowRunOutputsRequest)
