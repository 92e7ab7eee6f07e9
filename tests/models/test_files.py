"""The file models: File with its contents, metadata and credits; FileInput."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from cattrs import ClassValidationError
from models._support import STRICT, assert_same_wire, example, round_trip

from extend_async import to_dict
from extend_async._converter import converter
from extend_async.models import (
    File,
    FileContents,
    FileContentsPage,
    FileContentsSheet,
    FileCredits,
    FileInput,
    FileMetadata,
    FileMetadataParentSplit,
    FileType,
)
from extend_async.models.common import NOT_GIVEN

UTC = timezone.utc


def test_a_file_with_contents_and_lineage_parses_to_every_field() -> None:
    wire = example("get_file")["file"]

    file = round_trip(wire, File)

    assert file == File(
        id="file_xK9mLPqRtN3vS8wF5hB2cQ",
        name="Invoices.pdf",
        metadata=FileMetadata(
            page_count=2.0,
            parent_split=FileMetadataParentSplit(
                id="split_0", type="Invoice", identifier="INV-2024-001", start_page=1, end_page=2
            ),
        ),
        created_at=datetime(2024, 3, 21, 15, 30, tzinfo=UTC),
        updated_at=datetime(2024, 3, 21, 16, 45, tzinfo=UTC),
        type=FileType.PDF,
        presigned_url="https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf",
        parent_file_id="file_Zk9mNP12Qw4yTv8BdR3H",
        contents=FileContents(
            raw_text="ACME CORPORATION\nInvoice # INV-2024-001\nTotal due: $1,250.00\n",
            markdown="# ACME CORPORATION\n\nInvoice # INV-2024-001\n\nTotal due: **$1,250.00**\n",
            pages=[
                FileContentsPage(
                    page_number=1,
                    page_height=792.0,
                    page_width=612.0,
                    raw_text="ACME CORPORATION\nInvoice # INV-2024-001",
                    markdown="# ACME CORPORATION\n\nInvoice # INV-2024-001",
                ),
                FileContentsPage(
                    page_number=2,
                    page_height=792.0,
                    page_width=612.0,
                    raw_text="Total due: $1,250.00",
                    markdown="Total due: **$1,250.00**",
                ),
            ],
        ),
        usage=FileCredits(credits=10.0),
    )
    assert file.object == "file"
    assert type(file.metadata.page_count) is float


def test_listed_files_round_trip_including_an_empty_metadata() -> None:
    body = example("list_files")

    files = round_trip(body["files"], list[File])

    assert [f.type for f in files] == [FileType.PDF, FileType.EXCEL]
    assert files[1].metadata == FileMetadata()
    assert to_dict(files[1])["metadata"] == {}
    assert isinstance(body["nextPageToken"], str)


def test_sheets_and_html_pages_are_read() -> None:
    wire = {
        "rawText": "a,b",
        "pages": [{"pageNumber": 1, "html": "<p>x</p>"}],
        "sheets": [{"sheetName": "Q1", "rawText": "a,b"}, {"sheetName": "Q2"}],
    }

    contents = round_trip(wire, FileContents)

    assert contents.pages == [FileContentsPage(page_number=1, html="<p>x</p>")]
    assert contents.sheets == [
        FileContentsSheet(sheet_name="Q1", raw_text="a,b"),
        FileContentsSheet(sheet_name="Q2"),
    ]


def test_an_unknown_file_type_is_kept() -> None:
    wire = example("get_file")["file"]
    wire["type"] = "PPTX"

    file = converter.structure(wire, File)

    assert file.type == "PPTX"
    assert type(file.type) is FileType
    assert file.type.is_known is False
    assert FileType.DOCX.is_known is True
    assert to_dict(file)["type"] == "PPTX"


def test_optional_keys_may_be_null_or_missing() -> None:
    wire = example("list_files")["files"][0]
    wire["type"] = None
    wire["usage"] = None
    del wire["object"]

    file = converter.structure(wire, File)

    assert file.type is None
    assert file.usage is None
    assert file.object == "file"
    back = to_dict(file)
    assert "type" not in back
    assert "usage" not in back
    assert back["object"] == "file"


def test_a_file_input_from_a_request_with_both_converters() -> None:
    wire = example("run_processor.request")["file"]

    for conv in (converter, STRICT):
        file = conv.structure(wire, FileInput)
        assert file == FileInput(
            file_name="Invoices.pdf", file_url="https://example.com/invoices/INV-2024-001.pdf"
        )
        assert file.file_id is NOT_GIVEN
        assert_same_wire(to_dict(file), wire)


def test_a_file_input_leaves_out_what_was_not_given_and_sends_none_as_null() -> None:
    assert to_dict(FileInput(file_id="file_1")) == {"fileId": "file_1"}
    assert to_dict(FileInput(file_id="file_1", file_name=None)) == {
        "fileId": "file_1",
        "fileName": None,
    }
    assert to_dict(FileInput()) == {}


def test_the_strict_converter_refuses_an_unknown_key_in_a_file_input() -> None:
    wire = {"fileId": "file_1", "url": "https://example.com/a.pdf"}

    assert converter.structure(wire, FileInput) == FileInput(file_id="file_1")
    with pytest.raises(ClassValidationError):
        STRICT.structure(wire, FileInput)
