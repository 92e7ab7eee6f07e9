"""Files: what was uploaded or processed, its text contents and lineage, the
request-side reference to a file (by URL or by ID), the deprecated Create File
request and the answer to deleting a file."""

from __future__ import annotations

from datetime import datetime

import attrs

from .common import NOT_GIVEN, ApiEnum, Omittable

__all__ = [
    "CreateFileRequest",
    "File",
    "FileContents",
    "FileContentsPage",
    "FileContentsSheet",
    "FileCredits",
    "FileDeleted",
    "FileInput",
    "FileMetadata",
    "FileMetadataParentSplit",
    "FileType",
]


class FileType(ApiEnum):
    """The kind of a file, as Extend detected it."""

    PDF = "PDF"
    CSV = "CSV"
    IMG = "IMG"
    TXT = "TXT"
    DOCX = "DOCX"
    EXCEL = "EXCEL"
    XML = "XML"
    HTML = "HTML"


@attrs.frozen
class FileContentsPage:
    """The content of one page of a file."""

    page_number: int
    page_height: float | None = None
    page_width: float | None = None
    raw_text: str | None = None
    markdown: str | None = None
    html: str | None = None


@attrs.frozen
class FileContentsSheet:
    """The content of one sheet of a spreadsheet."""

    sheet_name: str
    raw_text: str | None = None


@attrs.frozen
class FileContents:
    """A file's text content; filled only when asked for (the Get File query flags)."""

    raw_text: str | None = None
    markdown: str | None = None
    pages: list[FileContentsPage] | None = None
    sheets: list[FileContentsSheet] | None = None


@attrs.frozen
class FileMetadataParentSplit:
    """Where in its parent file a file made by a splitter came from."""

    id: str
    type: str
    identifier: str
    start_page: int
    end_page: int


@attrs.frozen
class FileMetadata:
    """Page count and split lineage of a file (both may be absent: ``{}``)."""

    page_count: float | None = None
    parent_split: FileMetadataParentSplit | None = None


@attrs.frozen
class FileCredits:
    """Credits spent parsing a file."""

    credits: float


@attrs.frozen
class File:
    """A file known to Extend (uploaded, referenced by a run, or made by a splitter)."""

    id: str
    name: str
    metadata: FileMetadata
    created_at: datetime
    updated_at: datetime
    type: FileType | None = None
    presigned_url: str | None = None
    parent_file_id: str | None = None
    contents: FileContents | None = None
    usage: FileCredits | None = None
    object: str = "file"


@attrs.frozen(kw_only=True)
class FileInput:
    """A file given to a request: a downloadable ``file_url`` or an existing ``file_id``
    (exactly one of them), with an optional display name."""

    file_name: Omittable[str] = NOT_GIVEN
    file_url: Omittable[str] = NOT_GIVEN
    file_id: Omittable[str] = NOT_GIVEN


@attrs.frozen(kw_only=True)
class CreateFileRequest:
    """The body of Create File (deprecated: prefer Upload File): a name, and the file's
    content as a presigned ``url`` or as ``raw_text``; the media type is inferred when
    left out."""

    name: str
    url: Omittable[str] = NOT_GIVEN
    raw_text: Omittable[str] = NOT_GIVEN
    media_type: Omittable[str] = NOT_GIVEN


@attrs.frozen
class FileDeleted:
    """The answer to Delete File: the deleted file's ID and a message."""

    file_id: str
    message: str
