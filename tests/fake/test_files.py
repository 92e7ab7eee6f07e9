"""Files over a real loopback socket: uploads from every kind of source (streamed to
the fake's own directory), retries and their replay, dropped uploads, and the other
File endpoints."""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from extend_async import (
    APIConnectionError,
    AsyncExtend,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
)
from extend_async.models import FileType
from extend_async.testing import FakeExtendServer

MIB = 1 << 20
CONTENT = bytes(range(256)) * (3 * MIB // 256) + b"end"  # three chunks and a bit


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class Unseekable:
    """A binary stream that can only be read forward (a pipe, a socket)."""

    def __init__(self, content: bytes, name: str | None = None) -> None:
        self._buffer = io.BytesIO(content)
        self.reads: list[int] = []  # which thread each read ran on
        if name is not None:
            self.name = name

    def read(self, size: int = -1) -> bytes:
        self.reads.append(threading.get_ident())
        return self._buffer.read(size)


async def chunks_of(content: bytes, size: int = MIB) -> AsyncIterator[bytes]:
    for start in range(0, len(content), size):
        yield content[start : start + size]


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "Invoice 2024-07 é.pdf"
    path.write_bytes(CONTENT)
    return path


# -- uploads from every source -------------------------------------------------------------


def source(kind: str, pdf: Path) -> tuple[Any, dict[str, Any], str]:
    """The content in one kind of source: (source, the upload's arguments, stored name)."""
    if kind in ("str path", "Path", "open file"):
        given = {"str path": str(pdf), "Path": pdf}.get(kind) or pdf.open("rb")
        return given, {}, pdf.name
    if kind == "unseekable":
        return Unseekable(CONTENT, "pipe.pdf"), {}, "pipe.pdf"
    made = {
        "bytes": lambda: CONTENT,
        "bytearray": lambda: bytearray(CONTENT),
        "memoryview": lambda: memoryview(CONTENT),
        "BytesIO": lambda: io.BytesIO(CONTENT),
        "async iterator": lambda: chunks_of(CONTENT),
    }[kind]()
    return made, {"filename": f"{kind}.pdf"}, f"{kind}.pdf"


KINDS = [
    "str path",
    "Path",
    "bytes",
    "bytearray",
    "memoryview",
    "open file",
    "BytesIO",
    "unseekable",
    "async iterator",
]


@pytest.mark.parametrize("kind", KINDS)
async def test_every_source_kind_arrives_whole(
    fake: FakeExtendServer, client: AsyncExtend, pdf: Path, kind: str
) -> None:
    given, kwargs, name = source(kind, pdf)
    try:
        uploaded = await client.files.upload(given, **kwargs)
    finally:
        if hasattr(given, "close"):
            given.close()

    stored = fake.files.stored(uploaded.id)
    assert (uploaded.name, uploaded.type) == (name, FileType.PDF)
    assert uploaded.metadata.page_count is None  # not parsed yet, as the docs say
    assert (stored.size, stored.sha256) == (len(CONTENT), digest(CONTENT))
    assert stored.path is not None
    assert stored.path.read_bytes() == CONTENT
    assert fake.files.get(uploaded.id).metadata.page_count == -(-len(CONTENT) // 50_000)


async def test_reads_of_a_file_object_run_off_the_event_loop(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    stream = Unseekable(CONTENT, "pipe.bin")

    await client.files.upload(stream)

    assert len(stream.reads) == 5  # four chunks, then the end
    assert threading.get_ident() not in stream.reads  # the loop's own thread never read


async def test_a_text_upload_keeps_its_text_and_pages_are_made_from_it(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    text = "ACME CORPORATION\nInvoice 7\nTotal: 1,250.00\n"

    uploaded = await client.files.upload(text.encode(), filename="invoice.txt")
    plain = await client.files.get(uploaded.id)
    full = await client.files.get(uploaded.id, raw_text=True, markdown=True, html=True)

    assert fake.files.stored(uploaded.id).text == text
    assert (uploaded.type, plain.contents) == (FileType.TXT, None)
    assert full.contents is not None
    assert full.contents.pages is not None
    assert full.contents.raw_text == text.rstrip("\n")
    assert full.contents.markdown is None  # markdown is for PDFs, images and Word files
    assert [(p.page_number, p.raw_text, p.html) for p in full.contents.pages] == [
        (1, text.rstrip("\n"), None)
    ]


async def test_get_makes_markdown_and_html_where_the_docs_have_them(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    pdf = fake.files.add("Report.pdf", size=120_000)  # three pages
    docx = fake.files.add("letter.docx", text="Dear Ada\nThanks")

    got_pdf = await client.files.get(pdf.id, markdown=True)
    got_docx = await client.files.get(docx.id, html=True, raw_text=True)

    assert got_pdf.contents is not None
    assert got_pdf.contents.pages is not None
    assert [p.markdown for p in got_pdf.contents.pages] == [
        f"# Report\n\nPage {n} of 3" for n in (1, 2, 3)
    ]
    assert got_pdf.contents.raw_text is None
    assert got_docx.contents is not None
    assert got_docx.contents.pages is not None
    assert got_docx.contents.pages[0].html == "<p>Dear Ada</p><p>Thanks</p>"
    assert got_docx.contents.raw_text == "Dear Ada\nThanks"


async def test_convert_to_pdf_makes_an_image_a_pdf(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    kept = await client.files.upload(b"\x89PNG", filename="scan.png")
    converted = await client.files.upload(b"\x89PNG", filename="scan.png", convert_to_pdf=True)

    assert (kept.type, converted.type) == (FileType.IMG, FileType.PDF)


async def test_progress_over_the_wire(fake: FakeExtendServer, client: AsyncExtend) -> None:
    seen: list[tuple[int, int | None]] = []

    await client.files.upload(CONTENT, filename="a.pdf", on_progress=lambda *a: seen.append(a))

    total = len(CONTENT)
    assert seen == [(MIB, total), (2 * MIB, total), (3 * MIB, total), (total, total)]


# -- what the fake does with uploads -------------------------------------------------------


async def test_uploads_live_in_a_directory_of_the_fake_removed_when_it_stops(
    client: AsyncExtend,
) -> None:
    fake = FakeExtendServer()
    async with fake, fake.client() as own:
        uploaded = await own.files.upload(b"abc", filename="a.pdf")
        path = fake.files.stored(uploaded.id).path
        assert path is not None
        assert path.read_bytes() == b"abc"
        directory = path.parent
        assert directory.name.startswith("extend-fake-uploads-")
        await own.files.delete(uploaded.id)
        assert not path.exists()  # Delete File removes its content
        kept = fake.files.stored((await own.files.upload(b"d", filename="d.pdf")).id)

    assert not directory.exists()
    assert kept.path is None
    assert kept.sha256 == digest(b"d")


async def test_without_keep_uploads_only_size_and_hash_are_kept(tmp_path: Path) -> None:
    fake = FakeExtendServer(keep_uploads=False)
    async with fake, fake.client() as client:
        uploaded = await client.files.upload(CONTENT, filename="a.pdf")

    stored = fake.files.stored(uploaded.id)
    assert (stored.size, stored.sha256, stored.path) == (len(CONTENT), digest(CONTENT), None)


async def test_all_lists_every_stored_file_oldest_first() -> None:
    fake = FakeExtendServer(keep_uploads=False)
    async with fake, fake.client() as client:
        first = await client.files.upload(b"one", filename="one.pdf")
        second = await client.files.upload(b"second", filename="two.pdf")

    assert [(s.file.id, s.size, s.sha256) for s in fake.files.all()] == [
        (first.id, 3, digest(b"one")),
        (second.id, 6, digest(b"second")),
    ]


async def test_an_upload_past_the_limit_is_refused_in_the_documented_shape() -> None:
    fake = FakeExtendServer(max_upload_size=MIB)
    async with fake, fake.client() as client:
        at_limit = await client.files.upload(b"x" * MIB, filename="fits.pdf")
        with pytest.raises(BadRequestError) as declared:  # its Content-Length says so
            await client.files.upload(b"x" * (2 * MIB), filename="big.pdf")
        with pytest.raises(BadRequestError) as counted:  # chunked: counted as it arrives
            await client.files.upload(chunks_of(b"x" * (MIB + 1), 1000), filename="big.pdf")
        listed = [file.name async for file in client.files.list()]

    for error in (declared.value, counted.value):
        assert error.status_code == 400
        assert error.code == "FILE_SIZE_TOO_LARGE"
        assert error.body == {
            "code": "FILE_SIZE_TOO_LARGE",
            "message": f"File size too large: this server takes files of at most {MIB} bytes",
            "retryable": False,
        }
    assert fake.files.stored(at_limit.id).size == MIB
    assert listed == ["fits.pdf"]
    assert fake.requests["upload_file"] == 3  # a 400 is not retried


def form(*parts: tuple[str, str | None, bytes]) -> aiohttp.MultipartWriter:
    writer = aiohttp.MultipartWriter("form-data")
    for name, filename, content in parts:
        part = writer.append(content)
        disposition = {"name": name} if filename is None else {"name": name, "filename": filename}
        part.set_content_disposition("form-data", **disposition)
    return writer


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (form(), "the form has no part named 'file'"),
        (form(("document", "a.pdf", b"x")), "the form's part is named 'document'; name it 'file'"),
        (form(("file", None, b"x")), "the part 'file' has no filename in its Content-Disposition"),
        (
            form(("file", "a.pdf", b"x"), ("file", "b.pdf", b"y")),
            "the form has more than one part; send only 'file'",
        ),
        (b'{"file": "a.pdf"}', "send the file as multipart/form-data, in one part named 'file'"),
    ],
    ids=["no part", "wrong name", "no filename", "two parts", "json"],
)
async def test_a_malformed_form_is_a_400_naming_the_problem(
    fake: FakeExtendServer,
    client: AsyncExtend,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    body: Any,
    message: str,
) -> None:
    async with http.post(f"{fake.url}/files/upload", data=body, headers=headers) as response:
        answer = await response.json()

    assert response.status == 400
    assert answer["success"] is False
    assert answer["error"].startswith("Invalid request: ")
    assert message in answer["error"]
    assert [file async for file in client.files.list()] == []


async def test_a_refused_upload_leaves_nothing_on_disk(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    first = await client.files.upload(b"kept", filename="a.pdf")
    path = fake.files.stored(first.id).path
    assert path is not None
    fake.files.max_upload_size = 10

    with pytest.raises(BadRequestError):
        await client.files.upload(chunks_of(b"x" * 100, 8), filename="b.pdf")

    assert [p.name for p in path.parent.iterdir()] == [path.name]


# -- retries, replay, and dropped uploads --------------------------------------------------


@pytest.mark.parametrize("kind", ["str path", "bytes", "memoryview", "open file", "BytesIO"])
async def test_a_replayable_source_is_sent_again_after_a_429(
    fake: FakeExtendServer, client: AsyncExtend, pdf: Path, kind: str
) -> None:
    given, kwargs, _ = source(kind, pdf)
    fake.faults.add(route="upload_file", status=429, retry_after=0, times=1)
    seen: list[tuple[int, int | None]] = []
    try:
        response = await client.files.upload.raw(
            given, **kwargs, on_progress=lambda *a: seen.append(a)
        )
    finally:
        if hasattr(given, "close"):
            given.close()

    assert response.attempts == 2
    assert fake.requests["upload_file"] == 2
    assert [record.status for record in fake.request_log] == [429, 200]
    stored = fake.files.stored(response.parsed.id)
    assert (stored.size, stored.sha256) == (len(CONTENT), digest(CONTENT))
    total = len(CONTENT)  # the second attempt counted from 0 again, to the end
    assert seen[-4:] == [(MIB, total), (2 * MIB, total), (3 * MIB, total), (total, total)]


@pytest.mark.parametrize("kind", ["unseekable", "async iterator"])
async def test_a_consumed_source_is_not_sent_again(
    fake: FakeExtendServer, client: AsyncExtend, pdf: Path, kind: str
) -> None:
    given, kwargs, _ = source(kind, pdf)
    fake.faults.add(route="upload_file", status=429, retry_after=0, times=1)

    with pytest.raises(RateLimitError) as info:
        await client.files.upload(given, **kwargs)

    assert info.value.status_code == 429
    assert info.value.__context__ is None
    assert fake.requests["upload_file"] == 1


async def test_an_upload_never_sent_is_retried_even_from_a_stream(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeExtendServer()
    await fake.start()
    url = fake.url
    await fake.stop()  # nothing listens there now: the connection is refused
    retry = RetryPolicy(max_retries=1, initial_backoff=0)
    caplog.set_level(logging.INFO, logger="extend_async")
    async with AsyncExtend(fake.token, base_url=url, retry=retry) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.files.upload(chunks_of(b"abc"), filename="a.pdf")

    assert info.value.may_have_been_sent is False  # both attempts failed to connect
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]
    assert len(retries) == 1  # the stream was never read, so it could go again
    assert retries[0].startswith("retrying POST /files/upload in 0.000 s (retry 1 of 1)")


async def test_a_connection_dropped_mid_upload_is_not_repeated(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    fake.faults.add(route="upload_file", kind="disconnect_mid_request", times=1)
    seen: list[tuple[int, int | None]] = []
    content = b"x" * (32 * MIB)

    with pytest.raises(APIConnectionError) as info:
        await client.files.upload(content, filename="a.pdf", on_progress=lambda *a: seen.append(a))

    assert info.value.may_have_been_sent is True
    assert fake.requests["upload_file"] == 1  # one arrival: a POST that may have been sent
    assert [record.status for record in fake.request_log] == [None]
    assert seen
    assert seen[0] == (MIB, len(content))
    assert seen[-1][0] < len(content)
    assert [file async for file in client.files.list()] == []


async def test_a_failing_source_raises_its_own_error(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    async def words() -> AsyncIterator[Any]:
        yield b"fine"
        yield "not bytes"

    def broken(sent: int, total: int | None) -> None:
        raise ProgressBrokeError("stop at " + str(sent))

    with pytest.raises(TypeError) as wrong_item:
        await client.files.upload(words(), filename="a.pdf")
    with pytest.raises(ProgressBrokeError, match="stop at 1048576") as from_callback:
        await client.files.upload(CONTENT, filename="a.pdf", on_progress=broken)

    assert str(wrong_item.value) == "files.upload(): the async iterator gave str; give bytes"
    assert wrong_item.value.__context__ is None  # nothing of aiohttp's is attached
    assert from_callback.value.__context__ is None


class ProgressBrokeError(Exception):
    """A user's own error, raised from a progress callback."""


async def test_a_server_error_on_get_file_is_retried(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    stored = fake.files.add("a.pdf")
    fake.faults.add(route="get_file", status=503, times=1)

    response = await client.files.get.raw(stored.id)

    assert response.parsed == stored
    assert response.attempts == 2


# -- list, delete, create ------------------------------------------------------------------


async def test_list_filters_sorts_and_pages(fake: FakeExtendServer, client: AsyncExtend) -> None:
    names = ["invoice-1.pdf", "receipt.png", "Invoice-2.pdf", "invoice-3.txt"]
    for name in names:
        fake.files.add(name)
        fake.advance(1)

    newest_first = [f.name async for f in client.files.list()]
    oldest_first = [f.name async for f in client.files.list(sort_dir="asc", page_size=1)]
    first_page = await client.files.list(name_contains="INVOICE", page_size=2)
    invoices = [f.name async for f in client.files.list(name_contains="INVOICE", page_size=2)]

    assert newest_first == names[::-1]
    assert oldest_first == names
    assert [f.name for f in first_page.items] == ["invoice-3.txt", "Invoice-2.pdf"]
    assert first_page.next_page_token
    assert invoices == ["invoice-3.txt", "Invoice-2.pdf", "invoice-1.pdf"]
    assert fake.requests["list_files"] == 1 + 4 + 1 + 2


async def test_list_refuses_a_sort_by(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with http.get(f"{fake.url}/files?sortBy=createdAt", headers=headers) as response:
        answer = await response.json()

    assert response.status == 400
    assert "unknown query parameters ['sortBy']" in answer["error"]


async def test_delete_then_404(fake: FakeExtendServer, client: AsyncExtend) -> None:
    uploaded = await client.files.upload(b"x", filename="a.pdf")

    deleted = await client.files.delete(uploaded.id)
    with pytest.raises(NotFoundError) as on_get:
        await client.files.get(uploaded.id)
    with pytest.raises(NotFoundError):
        await client.files.delete(uploaded.id)

    assert deleted.file_id == uploaded.id
    assert on_get.value.message == f"File {uploaded.id} not found"
    assert fake.files.find(uploaded.id) is None


async def test_create_from_text_or_url(fake: FakeExtendServer, client: AsyncExtend) -> None:
    with pytest.warns(DeprecationWarning, match="deprecated"):
        from_text = await client.files.create(name="note.txt", raw_text="hello\nworld")
    with pytest.warns(DeprecationWarning, match="deprecated"):
        from_url = await client.files.create(
            name="scan", url="https://example.com/scan", media_type="application/pdf"
        )

    assert (from_text.type, from_url.type) == (FileType.TXT, FileType.PDF)
    assert fake.files.stored(from_text.id).text == "hello\nworld"
    got = await client.files.get(from_text.id, raw_text=True)
    assert got.contents is not None
    assert got.contents.raw_text == "hello\nworld"


async def test_create_with_both_url_and_text_is_a_400(
    fake: FakeExtendServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    body = {"name": "a.pdf", "url": "https://example.com/a.pdf", "rawText": "x"}
    async with http.post(f"{fake.url}/files", json=body, headers=headers) as response:
        answer = await response.json()

    assert response.status == 400
    assert answer["error"] == "Invalid request: send exactly one of url, rawText"


# -- runs on an uploaded file --------------------------------------------------------------


async def test_runs_on_an_uploaded_file_show_that_file(
    fake: FakeExtendServer, client: AsyncExtend
) -> None:
    uploaded = await client.files.upload(b"x" * 120_000, filename="Statement.pdf")
    processor = fake.processors.add()
    workflow = fake.workflows.add()

    run = await client.processor_runs.create(processor.id, file=uploaded)
    [workflow_run] = await client.workflow_runs.create(workflow.id, files=[uploaded.id])

    stored = fake.files.get(uploaded.id)
    assert run.files == [stored]
    assert workflow_run.files == [stored]
    assert stored.metadata.page_count == 3.0


# -- the blocking client -------------------------------------------------------------------


def test_the_blocking_client_uploads_paths_bytes_and_files(pdf: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        from_path = client.files.upload(pdf, on_progress=lambda *a: seen.append(a))
        from_bytes = client.files.upload(CONTENT, filename="b.pdf")
        with pdf.open("rb") as opened:
            from_file = client.files.upload(opened)
        from_stream = client.files.upload(Unseekable(CONTENT), filename="u.pdf")
        listed = [file.name for file in client.files.list(sort_dir="asc")]
        for uploaded in (from_path, from_bytes, from_file, from_stream):
            assert fake.files.stored(uploaded.id).sha256 == digest(CONTENT)
        deleted = client.files.delete(from_bytes.id)
    assert seen[-1] == (len(CONTENT), len(CONTENT))
    assert sorted(listed) == sorted([pdf.name, "b.pdf", pdf.name, "u.pdf"])
    assert deleted.file_id == from_bytes.id


def test_the_blocking_client_refuses_an_async_iterator() -> None:
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        with pytest.raises(TypeError, match="the blocking client cannot read an async iterator"):
            client.files.upload(chunks_of(b"x"), filename="a.pdf")
        with pytest.warns(DeprecationWarning, match="use files.upload") as warned:
            created = client.files.create(name="a.txt", raw_text="x")

        assert fake.requests["upload_file"] == 0
        assert fake.files.stored(created.id).text == "x"
    assert warned[0].filename == __file__
