"""Files: what the fake holds for each file id, for every area that takes a file.

A stored file has its :class:`~extend_async.models.File`, its size in bytes and,
when it was uploaded or given as text, its content. Areas that take a file by id
(parse, edit, runs) read it here; tests store files with :meth:`Files.add`.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Final

import attrs

from ..models import File, FileMetadata, FileType
from ._area import Area

__all__ = ["Files", "StoredFile", "file_type"]

_FILE_TYPES: Final = {
    ".pdf": FileType.PDF,
    ".csv": FileType.CSV,
    ".png": FileType.IMG,
    ".jpg": FileType.IMG,
    ".jpeg": FileType.IMG,
    ".tif": FileType.IMG,
    ".tiff": FileType.IMG,
    ".txt": FileType.TXT,
    ".docx": FileType.DOCX,
    ".xlsx": FileType.EXCEL,
    ".xls": FileType.EXCEL,
    ".xml": FileType.XML,
    ".html": FileType.HTML,
}
#: Bytes per page the fake assumes when it counts a file's pages from its size.
BYTES_PER_PAGE: Final = 50_000


def file_type(name: str, default: FileType | None = None) -> FileType | None:
    """The type Extend would detect for a file of this name (by its extension)."""
    return _FILE_TYPES.get(PurePosixPath(name).suffix.lower(), default)


@attrs.define
class StoredFile:
    """One file of the fake: the object the API shows, its size, and its text if known."""

    file: File
    size: int
    text: str | None = None


class Files(Area):
    """The fake's files, by id."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._files: dict[str, StoredFile] = {}

    def add(
        self,
        name: str = "document.pdf",
        *,
        size: int | None = None,
        text: str | None = None,
        id: str | None = None,
    ) -> File:
        """Store a file as an upload would and return it: ``size`` bytes (the length of
        ``text`` when given, else a page's worth), pages counted from the size."""
        if size is not None and (not isinstance(size, int) or size < 0):
            raise ValueError(f"size must be an int >= 0, got {size!r}")
        with self.store.lock:
            if size is None:
                size = len(text.encode()) if text is not None else BYTES_PER_PAGE
            file_id = id or self.store.new_id("file_")
            if file_id in self._files:
                raise ValueError(f"a file with id {file_id!r} already exists")
            now = self.store.now()
            file = File(
                id=file_id,
                name=name,
                metadata=FileMetadata(page_count=float(max(1, -(-size // BYTES_PER_PAGE)))),
                created_at=now,
                updated_at=now,
                type=file_type(name),
            )
            self._files[file_id] = StoredFile(file, size, text)
            return file

    def get(self, file_id: str) -> File:
        """The stored file (KeyError if there is none)."""
        return self.stored(file_id).file

    def stored(self, file_id: str) -> StoredFile:
        """The file with its size and text, for the areas that take a file by id
        (KeyError if there is none)."""
        with self.store.lock:
            stored = self._files.get(file_id)
            if stored is None:
                raise KeyError(f"no file with id {file_id!r}")
            return stored
