"""Files (``/files``): upload one (streamed), get it with its text, list, delete; and the
deprecated Create File."""

from __future__ import annotations

import inspect
from typing import Final

from .._endpoint import Call, Endpoint, api_method, deprecated_api_method
from .._requests import json_body, query
from .._sync_bridge import SyncResource, sync_method, sync_pager_method
from .._uploads import ProgressCallback, UploadSource, is_async_source, multipart_upload
from ..models import (
    NOT_GIVEN,
    CreateFileRequest,
    File,
    FileDeleted,
    NotGiven,
    Omittable,
    Page,
    SortDirection,
)
from ..pagination import pager_method
from ._base import AsyncResource

__all__ = ["ENDPOINTS", "UPLOAD_SECONDS_PER_MIB", "AsyncFiles", "Files"]

_UPLOAD = Endpoint("upload_file", "POST", "/files/upload", File, "file")
_GET = Endpoint("get_file", "GET", "/files/{id}", File, "file")
_DELETE = Endpoint("delete_file", "DELETE", "/files/{id}", FileDeleted)
_LIST = Endpoint("list_files", "GET", "/files", Page[File], items="files")
_CREATE = Endpoint("create_file", "POST", "/files", File, "file")
#: Every operation of this area, for the package's table of endpoints.
ENDPOINTS = (_UPLOAD, _GET, _DELETE, _LIST, _CREATE)

#: An upload of known size gets the client's time limit plus this many seconds per MiB
#: (a floor of 1 MiB/s, about 8 Mbit/s), so a big file is not cut off at the limit
#: meant for one ordinary call. Slower links raise ``timeout`` (``with_options``).
UPLOAD_SECONDS_PER_MIB: Final = 1.0
_MIB: Final = 1 << 20

_CREATE_DEPRECATED: Final = (
    "files.create() (Create File) is deprecated by the API: use files.upload() instead"
)


def _flag(method: str, name: str, value: Omittable[bool]) -> Omittable[bool]:
    """A boolean query flag, refused when it is anything but a bool (``"yes"`` would be
    sent as it is)."""
    if not isinstance(value, (bool, NotGiven)):
        raise TypeError(f"{method}(): {name} must be True or False, got {value!r}")
    return value


def _text(method: str, name: str, value: Omittable[str]) -> Omittable[str]:
    """A string query value, refused when it is not one (a number would be sent as its
    digits)."""
    if not isinstance(value, (str, NotGiven)):
        raise TypeError(f"{method}(): {name} must be a string, got {value!r}")
    return value


def _no_async_source(arguments: inspect.BoundArguments) -> None:
    """The blocking client reads files in its own event loop: an async iterator made in
    the caller's code belongs elsewhere."""
    if is_async_source(arguments.arguments.get("file")):
        raise TypeError(
            "files.upload(): the blocking client cannot read an async iterator; pass a "
            "path, bytes or a binary file object (or use AsyncExtend)"
        )


class AsyncFiles(AsyncResource):
    """Files known to Extend: ``upload`` one (a path, bytes, a binary file object or an
    async iterator of bytes, streamed in chunks), ``get`` one (with its text when asked
    for), ``list`` them page by page, ``delete`` one; ``create`` is the deprecated
    Create File (a name with a URL or raw text)."""

    @api_method
    def upload(
        self,
        file: UploadSource,
        *,
        filename: str | None = None,
        convert_to_pdf: Omittable[bool] = NOT_GIVEN,
        on_progress: ProgressCallback | None = None,
    ) -> Call[File]:
        """Upload ``file`` as ``multipart/form-data`` (one part named ``file``); the new
        file comes back unparsed (``metadata`` ``{}``, no ``contents``).

        ``filename`` defaults to the path's or the file object's name; bytes and async
        iterators need it. ``convert_to_pdf=True`` asks for images, Word, PowerPoint,
        Excel and HTML to be converted (Word and PowerPoint always are).
        ``on_progress(sent, total)`` is called as the content goes out (``total`` is
        None while unknown; the last call has ``sent == total``); on ``Extend`` it runs
        on the client's event-loop thread. An upload is retried only when it was never
        sent or on 429, and only when its source can be read again (a path, bytes, a
        seekable file). Its time limit is the client's plus
        :data:`UPLOAD_SECONDS_PER_MIB` per MiB of known size.
        """
        method = "files.upload"
        body = multipart_upload(file, filename=filename, on_progress=on_progress, method=method)
        convert = _flag(method, "convert_to_pdf", convert_to_pdf)
        return _UPLOAD.call(
            query=query(method, convert_to_pdf=convert),
            stream=body.payload,
            timeout_at_least=self._upload_time_limit(body.content_size),
        )

    def _upload_time_limit(self, size: int | None) -> float | None:
        """The client's time limit, stretched by the file's size (None: as it is)."""
        total = self._pipeline.config.timeout.total
        if total is None or size is None:
            return None
        return total + size / _MIB * UPLOAD_SECONDS_PER_MIB

    @api_method
    def get(
        self,
        id: str,
        *,
        raw_text: Omittable[bool] = NOT_GIVEN,
        markdown: Omittable[bool] = NOT_GIVEN,
        html: Omittable[bool] = NOT_GIVEN,
    ) -> Call[File]:
        """One file; ``raw_text``, ``markdown`` and ``html`` fill ``contents`` with its
        text (raw text for every type, markdown for PDFs, images and converted Word
        files, per-page HTML for Word files that were not converted). Its
        ``presigned_url`` is valid for about 15 minutes (``client.download`` it)."""
        method = "files.get"
        return _GET.call(
            id=id,
            query=query(
                method,
                raw_text=_flag(method, "raw_text", raw_text),
                markdown=_flag(method, "markdown", markdown),
                html=_flag(method, "html", html),
            ),
        )

    @pager_method
    def list(
        self,
        *,
        name_contains: Omittable[str] = NOT_GIVEN,
        sort_dir: Omittable[SortDirection | str] = NOT_GIVEN,
        page_size: Omittable[int] = NOT_GIVEN,
    ) -> Call[Page[File]]:
        """Every file, page by page (``await`` it for the first page), optionally only
        those whose name contains ``name_contains``; ``sort_dir`` orders them by
        creation time (the API takes no ``sort_by`` here)."""
        method = "files.list"
        return _LIST.call(
            query=query(
                method,
                name_contains=_text(method, "name_contains", name_contains),
                sort_dir=_text(method, "sort_dir", sort_dir),
                page_size=page_size,
            )
        )

    @api_method
    def delete(self, id: str) -> Call[FileDeleted]:
        """Delete a file and its data for good."""
        return _DELETE.call(id=id)

    @deprecated_api_method(_CREATE_DEPRECATED)
    def create(
        self,
        *,
        name: str,
        url: Omittable[str] = NOT_GIVEN,
        raw_text: Omittable[str] = NOT_GIVEN,
        media_type: Omittable[str] = NOT_GIVEN,
    ) -> Call[File]:
        """Deprecated by the API (each call warns): use :meth:`upload`. Make a file named
        ``name`` from a presigned ``url`` or from ``raw_text``, exactly one of them;
        ``media_type`` (``application/pdf``) is inferred when left out."""
        method = "files.create"
        if name == "":
            raise ValueError(f"{method}(): name must not be empty")
        given = [value for value in (url, raw_text) if value is not NOT_GIVEN and value is not None]
        if len(given) != 1:
            raise ValueError(f"{method}(): give url or raw_text, exactly one of them")
        body = json_body(
            CreateFileRequest, method, name=name, url=url, raw_text=raw_text, media_type=media_type
        )
        return _CREATE.call(body=body)


class Files(SyncResource[AsyncFiles]):
    """Blocking twin of :class:`AsyncFiles` (an upload takes a path, bytes or a binary
    file object; not an async iterator)."""

    upload = sync_method(AsyncFiles.upload, refuse=_no_async_source)
    get = sync_method(AsyncFiles.get)
    list = sync_pager_method(AsyncFiles.list)
    delete = sync_method(AsyncFiles.delete)
    create = sync_method(AsyncFiles.create)
