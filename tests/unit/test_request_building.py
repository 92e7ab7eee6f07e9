"""Arguments into requests: left out is left out, None is null, models and mappings
alike, and a wrong argument is refused before anything is sent, by name."""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Any

import attrs
import pytest

from extend_async._requests import file_input, json_body, query, to_wire
from extend_async.models import File, FileInput
from extend_async.models.common import NOT_GIVEN, ApiEnum, JsonObject, Omittable


class Colour(ApiEnum):
    RED = "RED"


@attrs.frozen(kw_only=True)
class Input:
    file_url: Omittable[str] = NOT_GIVEN
    file_id: Omittable[str] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class Request:
    processor_id: str
    file: Omittable[Input] = NOT_GIVEN
    priority: Omittable[int] = NOT_GIVEN
    metadata: Omittable[JsonObject] = NOT_GIVEN
    colour: Omittable[Colour] = NOT_GIVEN


def body(**arguments: Any) -> dict[str, Any]:
    return json_body(Request, "things.create", **arguments)


def test_left_out_is_omitted_and_none_is_null() -> None:
    assert body(processor_id="dp_1", priority=NOT_GIVEN) == {"processorId": "dp_1"}
    assert body(processor_id="dp_1", priority=None, metadata=None) == {
        "processorId": "dp_1",
        "priority": None,
        "metadata": None,
    }


def test_models_and_wire_mappings_give_the_same_json() -> None:
    as_model = body(processor_id="dp_1", file=Input(file_url="https://x/a.pdf"), colour=Colour.RED)
    as_mapping = body(processor_id="dp_1", file={"fileUrl": "https://x/a.pdf"}, colour="RED")

    assert (
        as_model
        == as_mapping
        == {
            "processorId": "dp_1",
            "file": {"fileUrl": "https://x/a.pdf"},
            "colour": "RED",
        }
    )


def test_free_form_json_is_sent_as_given() -> None:
    metadata = {"extend:usage_tags": ["a"], "nested": {"n": 1, "at": None}}

    assert body(processor_id="dp_1", metadata=metadata)["metadata"] == metadata


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"processor_id": 7}, r"^things.create\(\): processor_id: expected a string, got int$"),
        ({"processor_id": "dp", "priority": "1"}, r"priority: expected an integer, got str"),
        ({"processor_id": "dp", "priority": True}, r"priority: expected an integer, got bool"),
        ({"processor_id": "dp", "file": {"fileUrl": 3}}, r"file.file_url: expected a string"),
        ({"processor_id": "dp", "metadata": ["x"]}, r"metadata: expected an object, got list"),
        ({"processor_id": "dp", "colour": 3}, r"colour: expected a string for Colour, got 3"),
        ({"processor_id": "dp", "metadata": {"x": object()}}, r"an argument is not JSON"),
    ],
)
def test_a_wrong_argument_is_refused_by_name(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        body(**arguments)


def test_to_wire_covers_what_a_body_may_hold() -> None:
    class Plain(enum.Enum):
        A = "a"

    when = datetime(2024, 3, 21, 15, 30, tzinfo=timezone.utc)

    assert to_wire({"k": [Plain.A, when, Input(file_id="f")], "gone": NOT_GIVEN}) == {
        "k": ["a", "2024-03-21T15:30:00Z", {"fileId": "f"}]
    }


def test_query_strings() -> None:
    assert query("x.list") is None
    assert query(
        "x.list",
        status=Colour.RED,
        processor_id="dp_1",
        page_size=50,
        sort_dir="asc",
        raw_text=True,
        markdown=False,
        name_contains=None,
        source=NOT_GIVEN,
    ) == {
        "status": "RED",
        "processorId": "dp_1",
        "maxPageSize": "50",
        "sortDir": "asc",
        "rawText": "true",
        "markdown": "false",
    }


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("https://example.com/a.pdf", {"fileUrl": "https://example.com/a.pdf"}),
        ("http://example.com/a.pdf", {"fileUrl": "http://example.com/a.pdf"}),
        ("file_xK9mLPqRtN3vS8wF5hB2cQ", {"fileId": "file_xK9mLPqRtN3vS8wF5hB2cQ"}),
        (
            FileInput(file_url="https://x/y", file_name="y.pdf"),
            {"fileUrl": "https://x/y", "fileName": "y.pdf"},
        ),
        ({"fileId": "file_1", "fileName": "a"}, {"fileId": "file_1", "fileName": "a"}),
    ],
)
def test_a_file_argument_in_every_form(value: Any, wire: dict[str, str]) -> None:
    assert to_wire(file_input(value, "runs.create")) == wire


def test_an_uploaded_file_is_sent_by_id() -> None:
    from extend_async._converter import converter

    uploaded = converter.structure(
        {
            "object": "file",
            "id": "file_abc",
            "name": "a.pdf",
            "metadata": {},
            "createdAt": "2024-03-21T15:30:00Z",
            "updatedAt": "2024-03-21T15:30:00Z",
        },
        File,
    )

    assert to_wire(file_input(uploaded, "runs.create")) == {"fileId": "file_abc"}


@pytest.mark.parametrize(("value", "error"), [("", ValueError), (3, TypeError), (b"x", TypeError)])
def test_a_bad_file_argument_is_refused_by_name(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=r"runs.create\(\): file "):
        file_input(value, "runs.create")


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ({"fileURL": "https://x"}, TypeError, r"file: unknown keys \['fileURL'\]"),
        ({"fileName": "a.pdf"}, ValueError, r"file needs exactly one of file_url, file_id"),
        ({"fileUrl": "https://x", "fileId": "f"}, ValueError, r"exactly one of file_url"),
        (FileInput(file_name="a.pdf"), ValueError, r"exactly one of file_url, file_id"),
    ],
)
def test_a_file_object_names_its_file_once_with_known_keys(
    value: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        file_input(value, "runs.create")


def test_a_richer_file_object_may_add_the_keys_it_names() -> None:
    wire = {"fileUrl": "https://x/a.pdf", "outputs": []}

    assert file_input(wire, "workflow_runs.create", "files[0]", also={"outputs"}) == wire
