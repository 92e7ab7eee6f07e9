"""Files: what the fake holds for each file id, and the File routes.

A stored file has its :class:`~extend_async.models.File`, its size in bytes and, when
it was uploaded or given as text, its content. Areas that take a file by id (parse,
edit, runs) read it here; tests store files with :meth:`Files.add`.

Upload File streams the one ``file`` part chunk by chunk into a temporary directory
of the fake's own (made on the first upload, removed when the fake stops), hashing it
on the way, so a large upload is never held in memory; with ``keep_uploads=False``
only its size and SHA-256 are kept (nothing touches the disk). Uploads past
``max_upload_size`` are refused with the documented 400 (code ``FILE_SIZE_TOO_LARGE``).
Get File makes up text contents from the stored text (or the name), page by page.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import tempfile
from collections.abc import Mapping
from html import escape
from pathlib import Path, PurePosixPath
from typing import IO, Any, Final

import attrs
from aiohttp import BodyPartReader, web

from ..models import CreateFileRequest, File, FileContents, FileContentsPage, FileMetadata, FileType
from ..models.files import FileContentsSheet
from ._area import Area, FakeError, route
from ._pages import page, present, sort_by_time
from ._wire import envelope, json_response, read_body, read_query

__all__ = ["DEFAULT_MAX_UPLOAD_SIZE", "Files", "StoredFile", "file_type"]

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
_MEDIA_TYPES: Final = {
    "application/pdf": FileType.PDF,
    "text/csv": FileType.CSV,
    "text/plain": FileType.TXT,
    "text/html": FileType.HTML,
    "application/xml": FileType.XML,
    "text/xml": FileType.XML,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": FileType.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": FileType.EXCEL,
}
#: What ``convertToPdf=true`` turns into a PDF (the docs: images, Word, Excel, HTML).
_CONVERTIBLE: Final = frozenset({FileType.IMG, FileType.DOCX, FileType.EXCEL, FileType.HTML})
#: Types whose Get File ``markdown`` is filled (the docs: PDF, images, converted Word).
_MARKDOWN_TYPES: Final = frozenset({FileType.PDF, FileType.IMG, FileType.DOCX})
#: Bytes per page the fake assumes when it counts a file's pages from its size.
BYTES_PER_PAGE: Final = 50_000
#: The largest upload a fake takes unless told otherwise (``max_upload_size``).
DEFAULT_MAX_UPLOAD_SIZE: Final = 2 << 30
#: Of a ``.txt`` upload, at most this much is kept as its text.
TEXT_LIMIT: Final = 1 << 20
_READ_SIZE: Final = 1 << 18
_PAGE_WIDTH, _PAGE_HEIGHT = 612.0, 792.0  # US letter, in points
_DELETED: Final = "File data has been successfully deleted."


def file_type(name: str, default: FileType | None = None) -> FileType | None:
    """The type Extend would detect for a file of this name (by its extension)."""
    return _FILE_TYPES.get(PurePosixPath(name).suffix.lower(), default)


@attrs.define
class StoredFile:
    """One file of the fake: the object the API shows, its size, its text if known, and
    for uploads the SHA-256 of the content and where it is on disk (None when the fake
    keeps no uploads)."""

    file: File
    size: int
    text: str | None = None
    sha256: str | None = None
    path: Path | None = None

    @property
    def pages(self) -> int:
        """How many pages the file has (at least one)."""
        return max(1, int(self.file.metadata.page_count or 1))


class Files(Area):
    """The fake's files, by id, and the File endpoints."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._files: dict[str, StoredFile] = {}
        self.max_upload_size = DEFAULT_MAX_UPLOAD_SIZE
        self.keep_uploads = True
        self._directory: Path | None = None

    # -- the store ------------------------------------------------------------------------

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
        if size is None:
            size = len(text.encode()) if text is not None else BYTES_PER_PAGE
        with self.store.lock:
            if id is not None and id in self._files:
                raise ValueError(f"a file with id {id!r} already exists")
            return self._keep(name, size, text=text, file_id=id).file

    def get(self, file_id: str) -> File:
        """The stored file (KeyError if there is none)."""
        return self.stored(file_id).file

    def stored(self, file_id: str) -> StoredFile:
        """The file with its size and text, for the areas that take a file by id
        (KeyError if there is none)."""
        stored = self.find(file_id)
        if stored is None:
            raise KeyError(f"no file with id {file_id!r}")
        return stored

    def find(self, file_id: str) -> StoredFile | None:
        """The stored file, or None when the fake has no file of that id."""
        with self.store.lock:
            return self._files.get(file_id)

    def all(self) -> list[StoredFile]:
        """Every stored file, oldest first."""
        with self.store.lock:
            return list(self._files.values())

    def remove_uploads(self) -> None:
        """Delete the uploads' directory and forget where each upload was (the files
        stay, with their size and hash). Called when the fake stops."""
        with self.store.lock:
            directory, self._directory = self._directory, None
            for stored in self._files.values():
                stored.path = None
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)

    def _keep(
        self,
        name: str,
        size: int,
        *,
        text: str | None = None,
        file_id: str | None = None,
        kind: FileType | None = None,
        sha256: str | None = None,
        path: Path | None = None,
    ) -> StoredFile:
        with self.store.lock:
            file_id = file_id or self.store.new_id("file_")
            while file_id in self._files:
                file_id = self.store.new_id("file_")
            now = self.store.now()
            file = File(
                id=file_id,
                name=name,
                metadata=FileMetadata(page_count=float(max(1, -(-size // BYTES_PER_PAGE)))),
                created_at=now,
                updated_at=now,
                type=kind or file_type(name),
            )
            stored = self._files[file_id] = StoredFile(file, size, text, sha256, path)
            return stored

    def _stored_or_404(self, file_id: str) -> StoredFile:
        stored = self.find(file_id)
        if stored is None:
            raise FakeError(404, f"File {file_id} not found")
        return stored

    # -- the routes -----------------------------------------------------------------------

    @route("upload_file", "POST", "/files/upload")
    async def upload_file(self, request: web.Request) -> web.StreamResponse:
        query = read_query(request, ("convertToPdf",))
        convert = _boolean(query, "convertToPdf")
        received = await self._receive(request)
        kind = file_type(received.name)
        if convert and kind in _CONVERTIBLE:
            kind = FileType.PDF
        stored = self._keep(
            received.name,
            received.size,
            text=received.text,
            kind=kind,
            sha256=received.sha256,
            path=received.path,
        )
        # Fresh from an upload, a file is not parsed yet: its metadata is still empty.
        fresh = attrs.evolve(stored.file, metadata=FileMetadata())
        return json_response(200, envelope("file", fresh))

    @route("get_file", "GET", "/files/{id}")
    async def get_file(self, request: web.Request) -> web.StreamResponse:
        query = read_query(request, ("rawText", "markdown", "html"))
        wanted = {key: _boolean(query, key) for key in ("rawText", "markdown", "html")}
        stored = self._stored_or_404(request.match_info["id"])
        file = stored.file
        if any(wanted.values()):
            file = attrs.evolve(file, contents=_contents(stored, **wanted))
        return json_response(200, envelope("file", file))

    @route("list_files", "GET", "/files")
    async def list_files(self, request: web.Request) -> web.StreamResponse:
        query = read_query(request, ("nameContains", "sortDir", "nextPageToken", "maxPageSize"))
        part = query.get("nameContains", "").lower()
        with self.store.lock:
            chosen = [s.file for s in self._files.values() if part in s.file.name.lower()]
        files = sort_by_time(chosen, query)
        filters: dict[str, str] = {k: query[k] for k in ("nameContains", "sortDir") if k in query}
        items, token = page(files, query, filters)
        return json_response(200, envelope("files", list(items), nextPageToken=token))

    @route("delete_file", "DELETE", "/files/{id}")
    async def delete_file(self, request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["id"]
        with self.store.lock:
            stored = self._stored_or_404(file_id)
            del self._files[file_id]
        if stored.path is not None:
            stored.path.unlink(missing_ok=True)
        body = {"success": True, "fileId": file_id, "message": _DELETED}
        return web.json_response(body)

    @route("create_file", "POST", "/files")
    async def create_file(self, request: web.Request) -> web.StreamResponse:
        body = await read_body(request, CreateFileRequest)
        url, text = present(body.url), present(body.raw_text)
        if not body.name:
            raise FakeError(400, "Invalid request: name must not be empty")
        if (url is None) == (text is None):
            raise FakeError(400, "Invalid request: send exactly one of url, rawText")
        media_type = present(body.media_type)
        kind = file_type(body.name) or _MEDIA_TYPES.get((media_type or "").lower())
        size = BYTES_PER_PAGE if text is None else len(text.encode())
        stored = self._keep(body.name, size, text=text, kind=kind)
        return json_response(200, envelope("file", stored.file))

    # -- receiving an upload --------------------------------------------------------------

    async def _receive(self, request: web.Request) -> _Received:
        """The one ``file`` part, streamed to disk (or only hashed); a 400 in the API's
        words for anything else."""
        if request.content_type != "multipart/form-data":
            raise FakeError(
                400,
                "Invalid request: send the file as multipart/form-data, in one part named "
                f"'file' (got Content-Type {request.content_type!r})",
            )
        limit = self.max_upload_size
        declared = request.content_length
        if declared is not None and declared > limit + _READ_SIZE:  # the part's framing aside
            raise _too_large(limit)
        try:
            reader = await request.multipart()
            part = await reader.next()
        except (ValueError, AssertionError) as exc:
            raise FakeError(
                400, f"Invalid request: the multipart body is malformed: {exc}"
            ) from None
        if not isinstance(part, BodyPartReader):
            raise FakeError(400, "Invalid request: the form has no part named 'file'")
        if part.name != "file":
            raise FakeError(
                400, f"Invalid request: the form's part is named {part.name!r}; name it 'file'"
            )
        name = part.filename
        if not name:
            raise FakeError(
                400, "Invalid request: the part 'file' has no filename in its Content-Disposition"
            )
        sink = _Sink(self._upload_path() if self.keep_uploads else None, file_type(name))
        try:
            while chunk := await part.read_chunk(_READ_SIZE):
                if sink.size + len(chunk) > limit:
                    raise _too_large(limit)
                await sink.write(chunk)
            if await reader.next() is not None:
                raise FakeError(
                    400, "Invalid request: the form has more than one part; send only 'file'"
                )
        except BaseException:
            await sink.discard()
            raise
        return await sink.finish(name)

    def _upload_path(self) -> Path:
        """A new file in the fake's upload directory (made on the first upload)."""
        with self.store.lock:
            if self._directory is None:
                self._directory = Path(tempfile.mkdtemp(prefix="extend-fake-uploads-"))
            return self._directory / self.store.new_id("upload_")


def _too_large(limit: int) -> FakeError:
    return FakeError(
        400,
        f"File size too large: this server takes files of at most {limit} bytes",
        code="FILE_SIZE_TOO_LARGE",
    )


def _boolean(query: Mapping[str, str], key: str) -> bool:
    value = query.get(key, "false")
    if value not in ("true", "false"):
        raise FakeError(400, f"Invalid request: {key} must be true or false, got {value!r}")
    return value == "true"


@attrs.frozen
class _Received:
    name: str
    size: int
    sha256: str
    text: str | None
    path: Path | None


class _Sink:
    """Where an upload's chunks go: hashed, counted, written to ``path`` (off the loop)
    when one is given, and the start of a text file kept as its text."""

    def __init__(self, path: Path | None, kind: FileType | None) -> None:
        self._path = path
        self._file: IO[bytes] | None = None
        self._hash = hashlib.sha256()
        self._text: bytearray | None = bytearray() if kind is FileType.TXT else None
        self.size = 0

    async def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        text = self._text
        if text is not None and len(text) < TEXT_LIMIT:
            text += chunk[: TEXT_LIMIT - len(text)]
        if self._path is None:
            self._hash.update(chunk)
            return
        await asyncio.get_running_loop().run_in_executor(None, self._absorb, chunk)

    def _absorb(self, chunk: bytes) -> None:
        """Hash and write one chunk (in the executor: both release the GIL)."""
        self._hash.update(chunk)
        if self._file is None:
            assert self._path is not None
            self._file = self._path.open("wb")
        self._file.write(chunk)

    async def finish(self, name: str) -> _Received:
        path = self._path
        if path is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._close)
            if self.size == 0:
                path.touch()
        text = None if self._text is None else self._text.decode("utf-8", "replace")
        return _Received(name, self.size, self._hash.hexdigest(), text, path)

    async def discard(self) -> None:
        path = self._path
        if path is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._close)
            path.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()


# -- made-up contents ----------------------------------------------------------------------


def _contents(stored: StoredFile, *, rawText: bool, markdown: bool, html: bool) -> FileContents:  # noqa: N803
    """What Get File's flags ask for, made from the file's text (or its name) split over
    its pages: raw text for every type, markdown for PDFs, images and Word files,
    per-page HTML for Word files, sheets for spreadsheets."""
    kind = stored.file.type
    texts = _page_texts(stored)
    with_markdown = markdown and kind in _MARKDOWN_TYPES
    with_html = html and kind is FileType.DOCX
    pages = [
        FileContentsPage(
            page_number=number,
            page_width=_PAGE_WIDTH,
            page_height=_PAGE_HEIGHT,
            raw_text=text if rawText else None,
            markdown=_markdown(text) if with_markdown else None,
            html=_html(text) if with_html else None,
        )
        for number, text in enumerate(texts, start=1)
    ]
    sheets = None
    if rawText and kind is FileType.EXCEL:
        sheets = [FileContentsSheet(f"Sheet{n}", text) for n, text in enumerate(texts, start=1)]
    return FileContents(
        raw_text="\n".join(texts) if rawText else None,
        markdown="\n\n".join(map(_markdown, texts)) if with_markdown else None,
        pages=pages,
        sheets=sheets,
    )


def _page_texts(stored: StoredFile) -> list[str]:
    """The file's text cut into its pages (whole lines each), or a line per page made
    from its name when the fake has no text for it."""
    count = stored.pages
    if not stored.text:
        title = PurePosixPath(stored.file.name).stem
        return [f"{title}\nPage {n} of {count}" for n in range(1, count + 1)]
    lines = stored.text.splitlines()
    per_page = max(1, -(-len(lines) // count))
    texts = ["\n".join(lines[i : i + per_page]) for i in range(0, len(lines), per_page)]
    return texts + [""] * (count - len(texts))


def _markdown(text: str) -> str:
    title, _, rest = text.partition("\n")
    return f"# {title}\n\n{rest}".rstrip() if title else rest


def _html(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines())
