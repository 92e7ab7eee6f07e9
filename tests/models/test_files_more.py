"""The file endpoints' other bodies: upload and create answers, the delete answer, and
the deprecated Create File request."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest
from cattrs import ClassValidationError
from models._support import STRICT, assert_same_wire, example, round_trip, without_success

from extend_async import to_dict
from extend_async._converter import converter
from extend_async.models import CreateFileRequest, File, FileDeleted, FileMetadata, FileType
from extend_async.models.common import NOT_GIVEN

UTC = timezone.utc


def test_an_uploaded_file_is_not_parsed_yet() -> None:
    file = round_trip(example("upload_file")["file"], File)

    assert file == File(
        id="file_xK9mLPqRtN3vS8wF5hB2cQ",
        name="Invoices.pdf",
        metadata=FileMetadata(),
        created_at=datetime(2024, 3, 21, 15, 30, tzinfo=UTC),
        updated_at=datetime(2024, 3, 21, 16, 45, tzinfo=UTC),
        presigned_url="https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf",
    )
    assert file.contents is None
    assert file.type is None
    assert to_dict(file)["metadata"] == {}


def test_a_created_file_round_trips() -> None:
    file = round_trip(example("create_file")["file"], File)

    assert file.type is FileType.PDF
    assert file.metadata == FileMetadata(page_count=2.0)
    assert file.usage is not None
    assert file.usage.credits == 10.0


@pytest.mark.parametrize("operation", ["get_file", "list_files"])
def test_the_other_file_bodies_still_round_trip(operation: str) -> None:
    body = example(operation)
    files = [body["file"]] if "file" in body else body["files"]

    for wire in files:
        round_trip(wire, File)


def test_the_delete_answer_round_trips_whole() -> None:
    body = without_success(example("delete_file"))

    deleted = round_trip(body, FileDeleted)

    assert deleted == FileDeleted(
        file_id="file_xK9mLPqRtN3vS8wF5hB2cQ", message="File data has been successfully deleted."
    )


def test_the_create_file_request_with_both_converters() -> None:
    wire = example("create_file.request")

    for conv in (converter, STRICT):
        request = conv.structure(copy.deepcopy(wire), CreateFileRequest)
        assert request == CreateFileRequest(
            name="Invoices.pdf",
            url="https://example.com/invoices/INV-2024-001.pdf",
            media_type="application/pdf",
        )
        assert request.raw_text is NOT_GIVEN
        assert_same_wire(to_dict(request), wire)


def test_a_create_file_request_on_raw_text_sends_only_what_was_given() -> None:
    request = CreateFileRequest(name="notes.txt", raw_text="Total due: $10")

    assert to_dict(request) == {"name": "notes.txt", "rawText": "Total due: $10"}
    with pytest.raises(TypeError):
        CreateFileRequest(url="https://example.com/a.pdf")  # type: ignore[call-arg]


def test_the_strict_converter_refuses_an_unknown_key_of_the_create_request() -> None:
    wire = {"name": "a.pdf", "fileUrl": "https://example.com/a.pdf"}

    assert converter.structure(wire, CreateFileRequest) == CreateFileRequest(name="a.pdf")
    with pytest.raises(ClassValidationError):
        STRICT.structure(wire, CreateFileRequest)
