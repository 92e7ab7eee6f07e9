"""Upload sources as ``multipart/form-data`` bodies: a fresh aiohttp payload per attempt.

What ``files.upload`` takes (a path, bytes, a binary file object, an async iterator of
bytes) becomes a :class:`MultipartUpload`: one part named ``file`` with its file name,
written chunk by chunk, so memory stays flat whatever the size. Blocking reads (paths
and file objects) run in the loop's default executor, never on the loop. Its
:meth:`~MultipartUpload.payload` is the ``Call.stream`` factory: a path, bytes or a
seekable file is sent again from its start on a retry; a stream already read (an async
iterator, a file that cannot seek) raises :class:`NotReplayable` there instead.
"""

from __future__ import annotations

import asyncio
import io
import mimetypes
import os
import stat
import uuid
from collections.abc import AsyncGenerator, AsyncIterable, Callable
from contextlib import aclosing
from typing import IO, Any, Final, Protocol

import aiohttp

from ._endpoint import NotReplayable
from ._transport import StreamedBodyError

__all__ = [
    "CHUNK_SIZE",
    "MultipartUpload",
    "ProgressCallback",
    "Readable",
    "UploadSource",
    "is_async_source",
    "multipart_upload",
]

#: Bytes read from a source at a time (and so the most held in memory per upload).
CHUNK_SIZE: Final = 1 << 20
#: The field name the API reads the file from.
_PART_NAME: Final = "file"
#: What a file name cannot carry raw inside a quoted header parameter (the escapes
#: browsers use for ``multipart/form-data``, WHATWG HTML "multipart/form-data encoding").
_ESCAPES: Final = str.maketrans({'"': "%22", "\r": "%0D", "\n": "%0A"})


class Readable(Protocol):
    """A binary file object: anything with ``read(size) -> bytes``."""

    def read(self, size: int = ..., /) -> bytes: ...


#: What an upload can be made from.
UploadSource = (
    str | os.PathLike[str] | bytes | bytearray | memoryview | Readable | AsyncIterable[bytes]
)
#: ``on_progress(sent, total)``: content bytes handed to the connection so far, and the
#: size when it is known (None for a stream); the last call has ``sent == total``.
ProgressCallback = Callable[[int, int | None], object]
#: One piece of content, as written to the connection.
Chunk = bytes | bytearray | memoryview

_KINDS: Final = (
    "a path (str or os.PathLike), bytes, bytearray, memoryview, a binary file object "
    "or an async iterator of bytes"
)


def is_async_source(source: object) -> bool:
    """Whether ``source`` is an async iterable (which only an event loop can read)."""
    return hasattr(source, "__aiter__")


def multipart_upload(
    source: object,
    *,
    filename: str | None,
    on_progress: ProgressCallback | None,
    method: str,
) -> MultipartUpload:
    """The upload of ``source``, checked before anything is sent: its kind, that a path
    exists and can be read, and a file name (``filename``, else the path's or the file
    object's name). Errors name ``method``, the call the user made."""
    if filename is not None and not isinstance(filename, str):
        raise TypeError(f"{method}(): filename must be a string, got {type(filename).__name__}")
    if filename == "":
        raise ValueError(f"{method}(): filename must not be empty")
    if on_progress is not None and not callable(on_progress):
        raise TypeError(f"{method}(): on_progress must be callable, got {on_progress!r}")
    reader = _reader(source, method)
    name = filename or reader.name
    if not name:
        raise ValueError(
            f"{method}(): filename= is required for {reader.kind}: there is no name to take "
            "the file's from"
        )
    return MultipartUpload(reader, name, on_progress)


class MultipartUpload:
    """One upload's body: ``--boundary``, the part's headers, the content, the closing
    boundary. ``content_type`` carries the boundary; ``size`` is the whole body's length
    when the content's is known (else the body goes chunked)."""

    __slots__ = ("_head", "_on_progress", "_reader", "_tail", "content_type", "filename", "size")

    def __init__(
        self, reader: _Reader, filename: str, on_progress: ProgressCallback | None
    ) -> None:
        boundary = uuid.uuid4().hex
        quoted = filename.translate(_ESCAPES)
        media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        self._head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{_PART_NAME}"; filename="{quoted}"\r\n'
            f"Content-Type: {media_type}\r\n\r\n"
        ).encode()
        self._tail = f"\r\n--{boundary}--\r\n".encode()
        self._reader = reader
        self._on_progress = on_progress
        self.filename = filename
        self.content_type = f"multipart/form-data; boundary={boundary}"
        total = reader.total
        self.size = None if total is None else len(self._head) + total + len(self._tail)

    @property
    def content_size(self) -> int | None:
        """The file's own size in bytes, when it is known before sending."""
        return self._reader.total

    def payload(self) -> aiohttp.Payload:
        """A payload for one attempt (the ``Call.stream`` factory); raises
        :class:`NotReplayable` when the source was already read and cannot be again."""
        if not self._reader.replayable():
            raise NotReplayable
        return _MultipartPayload(self)

    async def write(self, writer: Any) -> None:
        """Write the whole body to aiohttp's stream writer, reporting progress."""
        await writer.write(self._head)
        total = self._reader.total
        report = self._on_progress
        sent = 0
        async with aclosing(self._reader.chunks()) as chunks:
            async for chunk in chunks:
                await writer.write(chunk)
                sent += len(chunk)
                if report is not None:
                    _report(report, sent, total)
        if report is not None and (total is None or sent == 0):
            _report(report, sent, sent)  # the end: now the total is known
        await writer.write(self._tail)


def _report(report: ProgressCallback, sent: int, total: int | None) -> None:
    try:
        report(sent, total)
    except Exception as exc:  # the user's error, raised as it is (not as a network one)
        raise StreamedBodyError(exc) from exc


class _MultipartPayload(aiohttp.Payload):
    """aiohttp's view of a :class:`MultipartUpload` for one attempt. It holds nothing
    open: files are opened inside :meth:`write` and closed when it ends."""

    _autoclose = True

    def __init__(self, upload: MultipartUpload) -> None:
        super().__init__(upload, content_type=upload.content_type)
        self._size = upload.size
        self._upload = upload

    async def write(self, writer: Any) -> None:
        await self._upload.write(writer)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        raise TypeError("an upload is streamed from its source; it has no text form")


# -- the sources --------------------------------------------------------------------------


class _Reader:
    """One kind of source: its name if it has one, its size if known, and its chunks."""

    kind = ""
    name: str | None = None
    total: int | None = None

    def __init__(self, method: str) -> None:
        self._method = method

    def replayable(self) -> bool:
        """Whether another attempt can read the content again from its start."""
        return True

    def chunks(self) -> AsyncGenerator[Chunk, None]:
        raise NotImplementedError

    def _failed(self, error: Exception) -> StreamedBodyError:
        """The source's own failure, to be raised as it is rather than as a network one."""
        if isinstance(error, OSError) or not error.args:
            return StreamedBodyError(error)
        return StreamedBodyError(type(error)(f"{self._method}(): {error.args[0]}"))


def _reader(source: object, method: str) -> _Reader:
    if isinstance(source, (str, os.PathLike)):
        return _PathReader(source, method)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _BytesReader(source, method)
    if is_async_source(source):
        return _StreamReader(source, method)  # type: ignore[arg-type]
    if callable(getattr(source, "read", None)):
        return _FileReader(source, method)  # type: ignore[arg-type]
    raise TypeError(f"{method}(): file must be {_KINDS}, got {type(source).__name__}")


class _PathReader(_Reader):
    """A file on disk: its size from ``stat`` now, opened afresh by every attempt."""

    kind = "a path"

    def __init__(self, path: str | os.PathLike[str], method: str) -> None:
        super().__init__(method)
        self._path = os.fspath(path)
        try:
            info = os.stat(self._path)
        except FileNotFoundError:
            raise FileNotFoundError(f"{method}(): no such file: {self._path!r}") from None
        except OSError as exc:
            raise type(exc)(f"{method}(): cannot read {self._path!r}: {exc.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{method}(): {self._path!r} is not a regular file")
        if not os.access(self._path, os.R_OK):
            raise PermissionError(f"{method}(): no permission to read {self._path!r}")
        self.name = os.path.basename(self._path)
        self.total = info.st_size

    async def chunks(self) -> AsyncGenerator[Chunk, None]:
        loop = asyncio.get_running_loop()
        opening = loop.run_in_executor(None, _open, self._path)
        try:
            file = await asyncio.shield(opening)
        except OSError as exc:
            raise self._failed(exc) from exc
        except asyncio.CancelledError:  # the attempt ended while the file was opening
            opening.add_done_callback(_close_opened)
            raise
        try:
            async for chunk in _read_in_executor(loop, file, self.total, self):
                yield chunk
        finally:
            file.close()


class _BytesReader(_Reader):
    """Bytes in memory: sent in slices of one view, never copied."""

    kind = "bytes"

    def __init__(self, data: bytes | bytearray | memoryview, method: str) -> None:
        super().__init__(method)
        try:
            self._view = memoryview(data).cast("B")
        except TypeError as exc:
            raise TypeError(f"{method}(): a memoryview must be contiguous: {exc}") from None
        self.total = self._view.nbytes

    async def chunks(self) -> AsyncGenerator[Chunk, None]:
        view = self._view
        for start in range(0, len(view), CHUNK_SIZE):
            yield view[start : start + CHUNK_SIZE]


class _FileReader(_Reader):
    """A binary file object, read from where it stands. A seekable one is measured now
    and sought back to that start for each attempt; another is read once, as a stream."""

    kind = "a file object without a name"

    def __init__(self, file: Readable, method: str) -> None:
        super().__init__(method)
        if _text_mode(file):
            raise TypeError(
                f"{method}(): the file is open in text mode; open it in binary mode ('rb')"
            )
        self._file = file
        self._read_once = False
        name = getattr(file, "name", None)
        if isinstance(name, (str, bytes)) and name:
            self.name = os.path.basename(os.fsdecode(name)) or None
        self._start: int | None = None
        if _seekable(file):
            seek: Callable[..., int] = file.seek  # type: ignore[attr-defined]
            self._start = file.tell()  # type: ignore[attr-defined]
            self.total = seek(0, os.SEEK_END) - self._start
            seek(self._start)

    def replayable(self) -> bool:
        return self._start is not None or not self._read_once

    async def chunks(self) -> AsyncGenerator[Chunk, None]:
        loop = asyncio.get_running_loop()
        file = self._file
        self._read_once = True
        if self._start is not None:
            try:
                await loop.run_in_executor(None, file.seek, self._start)  # type: ignore[attr-defined]
            except (OSError, ValueError) as exc:  # ValueError: the file was closed
                raise self._failed(exc) from exc
        async for chunk in _read_in_executor(loop, file, self.total, self):
            yield chunk


class _StreamReader(_Reader):
    """An async iterator of bytes: read once, its size unknown (the body goes chunked)."""

    kind = "an async iterator"

    def __init__(self, stream: AsyncIterable[Chunk], method: str) -> None:
        super().__init__(method)
        self._stream = stream
        self._read_once = False

    def replayable(self) -> bool:
        return not self._read_once

    async def chunks(self) -> AsyncGenerator[Chunk, None]:
        self._read_once = True
        async for chunk in self._stream:
            if isinstance(chunk, memoryview):
                chunk = chunk.cast("B")  # counted in bytes, not in items
            elif not isinstance(chunk, (bytes, bytearray)):
                raise self._failed(
                    TypeError(f"the async iterator gave {type(chunk).__name__}; give bytes")
                )
            yield chunk


async def _read_in_executor(
    loop: asyncio.AbstractEventLoop, file: Readable, total: int | None, reader: _Reader
) -> AsyncGenerator[Chunk, None]:
    """``file`` in chunks, each read in the executor: exactly ``total`` bytes when the
    size was promised (the Content-Length stands), else up to the end."""
    left = total
    while left is None or left > 0:
        size = CHUNK_SIZE if left is None else min(CHUNK_SIZE, left)
        try:
            chunk = await loop.run_in_executor(None, file.read, size)
        except (OSError, ValueError) as exc:  # ValueError: the file was closed
            raise reader._failed(exc) from exc
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise reader._failed(
                TypeError(f"the file gave {type(chunk).__name__}; open it in binary mode ('rb')")
            )
        if not chunk:
            if left is None:
                return
            raise reader._failed(
                ValueError(f"the file ended {left} bytes early: it changed while uploading")
            )
        if left is not None:
            left -= len(chunk)
        yield chunk


def _open(path: str) -> IO[bytes]:
    return open(path, "rb")  # closed by the reader, or by _close_opened


def _close_opened(opening: asyncio.Future[IO[bytes]]) -> None:
    """Close a file whose opening finished after nobody was waiting for it."""
    if not opening.cancelled() and opening.exception() is None:
        opening.result().close()


def _text_mode(file: object) -> bool:
    if isinstance(file, io.TextIOBase):
        return True
    mode = getattr(file, "mode", None)
    return isinstance(mode, str) and "b" not in mode


def _seekable(file: object) -> bool:
    check = getattr(file, "seekable", None)
    try:
        return bool(check()) if callable(check) else False
    except (OSError, ValueError):
        return False
