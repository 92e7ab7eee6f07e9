"""Files: exactly what each method sends (the upload's multipart body byte for byte),
and what it gives back."""

from __future__ import annotations

import inspect
import io
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from resources.conftest import GET_HEADERS, Api, Sent, example

from extend_async import AsyncExtend, Extend
from extend_async.models import File, FileDeleted, FileType, Page, SortDirection

FILE_ID = "file_xK9mLPqRtN3vS8wF5hB2cQ"  # the file of the examples
MIB = 1 << 20


class Collected:
    """What aiohttp's stream writer would have put on the wire, chunk by chunk."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    async def write(self, chunk: bytes | bytearray | memoryview) -> None:
        self.chunks.append(bytes(chunk))


async def body_of(sent: Sent) -> bytes:
    assert sent.payload is not None, "the request had no streamed body"
    writer = Collected()
    await sent.payload.write(writer)  # type: ignore[arg-type]
    return b"".join(writer.chunks)


def boundary_of(sent: Sent) -> str:
    match = re.fullmatch(
        r"multipart/form-data; boundary=([0-9a-f]{32})", sent.headers["Content-Type"]
    )
    assert match, sent.headers["Content-Type"]
    return match[1]


def multipart(boundary: str, filename: str, media_type: str, content: bytes) -> bytes:
    return (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {media_type}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )


# -- upload_file ---------------------------------------------------------------------------


async def test_upload_sends_one_part_named_file_byte_for_byte(api: Api, client: Any) -> None:
    api.reply("POST", "/files/upload", example("upload_file"))
    content = b"%PDF-1.7\r\n" + bytes(range(256)) * 10

    async with client() as c:
        uploaded = await c.files.upload(content, filename="Invoices.pdf")

    assert isinstance(uploaded, File)
    assert (uploaded.id, uploaded.name, uploaded.contents) == (FILE_ID, "Invoices.pdf", None)
    sent = api.last
    assert (sent.method, sent.path, sent.query, sent.json) == ("POST", "/files/upload", {}, None)
    boundary = boundary_of(sent)
    assert sent.headers == {
        **GET_HEADERS,
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    expected = multipart(boundary, "Invoices.pdf", "application/pdf", content)
    assert await body_of(sent) == expected
    assert sent.payload is not None
    assert sent.payload.size == len(expected)


async def test_upload_of_a_path_takes_its_name_and_reads_it_in_chunks(
    api: Api, client: Any, tmp_path: Path
) -> None:
    api.reply("POST", "/files/upload", example("upload_file"))
    content = bytes(range(256)) * (5 * MIB // 256) + b"tail"  # five chunks and a bit
    path = tmp_path / "scan 2024 é.png"
    path.write_bytes(content)

    async with client() as c:
        await c.files.upload(path, convert_to_pdf=True)
        await c.files.upload(str(path), filename="renamed.pdf", convert_to_pdf=False)

    first, second = api.sent
    assert first.query == {"convertToPdf": "true"}
    assert second.query == {"convertToPdf": "false"}
    body = await body_of(first)
    assert body == multipart(boundary_of(first), "scan 2024 é.png", "image/png", content)
    writer = Collected()
    assert second.payload is not None
    await second.payload.write(writer)  # type: ignore[arg-type]
    sizes = [len(chunk) for chunk in writer.chunks[1:-1]]  # the content between the framing
    assert sizes == [MIB] * 5 + [4]
    assert b"".join(writer.chunks) == multipart(
        boundary_of(second), "renamed.pdf", "application/pdf", content
    )


async def test_a_file_name_is_escaped_as_browsers_do(api: Api, client: Any) -> None:
    api.reply("POST", "/files/upload", example("upload_file"))

    async with client() as c:
        await c.files.upload(b"x", filename='a "quoted"\r\nname.bin')

    sent = api.last
    assert await body_of(sent) == multipart(
        boundary_of(sent), "a %22quoted%22%0D%0Aname.bin", "application/octet-stream", b"x"
    )


async def test_upload_of_a_file_object_and_of_an_async_iterator(
    api: Api, client: Any, tmp_path: Path
) -> None:
    api.reply("POST", "/files/upload", example("upload_file"))
    path = tmp_path / "notes.txt"
    path.write_bytes(b"skip:kept")

    async def pieces() -> AsyncIterator[bytes]:
        yield b"one,"
        yield bytearray(b"two,")
        yield memoryview(b"three")

    async with client() as c:
        with path.open("rb") as opened:
            opened.seek(5)  # sent from where it stands
            await c.files.upload(opened)
            from_file = api.last
            assert await body_of(from_file) == multipart(
                boundary_of(from_file), "notes.txt", "text/plain", b"kept"
            )
            assert await body_of(from_file) == await body_of(from_file)  # sought back each time
        await c.files.upload(io.BytesIO(b"in memory"), filename="memory.csv")
        await c.files.upload(pieces(), filename="stream.txt")

    _, from_memory, from_stream = api.sent
    assert await body_of(from_memory) == multipart(
        boundary_of(from_memory), "memory.csv", "text/csv", b"in memory"
    )
    assert await body_of(from_stream) == multipart(
        boundary_of(from_stream), "stream.txt", "text/plain", b"one,two,three"
    )
    assert from_stream.payload is not None
    assert from_stream.payload.size is None


async def test_progress_counts_the_content_as_it_goes_out(api: Api, client: Any) -> None:
    api.reply("POST", "/files/upload", example("upload_file"))
    calls: list[tuple[int, int | None]] = []
    streamed: list[tuple[int, int | None]] = []

    async def pieces() -> AsyncIterator[bytes]:
        yield b"a" * 10
        yield b"b" * 5

    async with client() as c:
        await c.files.upload(
            b"x" * (2 * MIB + 1), filename="a.pdf", on_progress=lambda *a: calls.append(a)
        )
        await c.files.upload(b"", filename="empty.pdf", on_progress=lambda *a: calls.append(a))
        await c.files.upload(pieces(), filename="s.pdf", on_progress=lambda *a: streamed.append(a))
        for sent in api.sent:
            await body_of(sent)

    total = 2 * MIB + 1
    assert calls == [(MIB, total), (2 * MIB, total), (total, total), (0, 0)]
    assert streamed == [(10, None), (15, None), (15, 15)]  # the end tells the total


async def test_a_large_upload_gets_a_time_limit_that_grows_with_its_size(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/files/upload", example("upload_file"))

    async def pieces() -> AsyncIterator[bytes]:
        yield b"x"

    async with client() as c:  # the default limit: 60 s
        await c.files.upload(b"x" * (100 * MIB), filename="big.pdf")
        await c.files.upload(pieces(), filename="unknown.pdf")
    async with client(timeout=None) as c:
        await c.files.upload(b"x" * MIB, filename="unbounded.pdf")

    big, unknown, unbounded = api.timeouts
    assert isinstance(big, aiohttp.ClientTimeout)
    assert big.total == 160.0  # 60 s plus a second per MiB
    assert big.sock_connect == 10.0
    assert unknown is None  # no size to go by: the client's own limit
    assert unbounded is None


@pytest.mark.parametrize(
    ("file", "kwargs", "error", "message"),
    [
        (3, {}, TypeError, r"file must be a path \(str or os.PathLike\), bytes, bytearray, "),
        (["a"], {}, TypeError, r"an async iterator of bytes, got list"),
        (iter([b"a"]), {}, TypeError, r"got list_iterator"),
        ("/no/such/file.pdf", {}, FileNotFoundError, r"no such file: '/no/such/file.pdf'"),
        (".", {}, ValueError, r"'\.' is not a regular file"),
        (b"x", {}, ValueError, r"filename= is required for bytes"),
        (io.BytesIO(b"x"), {}, ValueError, r"filename= is required for a file object without"),
        (io.StringIO("x"), {"filename": "a.txt"}, TypeError, r"open in text mode; open it in"),
        (b"x", {"filename": 5}, TypeError, r"filename must be a string, got int"),
        (b"x", {"filename": ""}, ValueError, r"filename must not be empty"),
        (b"x", {"filename": "a", "on_progress": 5}, TypeError, r"on_progress must be callable"),
        (b"x", {"filename": "a", "convert_to_pdf": "yes"}, TypeError, r"convert_to_pdf must be"),
        (memoryview(b"abcd")[::2], {"filename": "a"}, TypeError, r"memoryview must be contiguous"),
    ],
)
async def test_bad_upload_arguments_are_refused_before_sending(
    api: Api, client: Any, file: Any, kwargs: dict[str, Any], error: type, message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message) as info:
            await c.files.upload(file, **kwargs)

    assert str(info.value).startswith("files.upload()")
    assert api.sent == []


async def test_a_text_mode_file_on_disk_is_refused(api: Api, client: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("text")

    async with client() as c:
        with path.open() as opened, pytest.raises(TypeError, match="binary mode"):
            await c.files.upload(opened)

    assert api.sent == []


async def test_an_async_iterator_giving_text_fails_with_that_error(api: Api, client: Any) -> None:
    api.reply("POST", "/files/upload", example("upload_file"))

    async def words() -> AsyncIterator[Any]:
        yield b"ok"
        yield "not bytes"

    async with client() as c:
        await c.files.upload(words(), filename="a.txt")
        with pytest.raises(Exception) as info:  # noqa: PT011 - the exact type is checked below
            await body_of(api.last)

    cause = info.value.error  # what the transport raises in its stead on the wire
    assert type(cause) is TypeError
    assert str(cause) == "files.upload(): the async iterator gave str; give bytes"


# -- get_file ------------------------------------------------------------------------------


async def test_get_asks_for_the_contents_it_is_told_to(api: Api, client: Any) -> None:
    api.reply("GET", f"/files/{FILE_ID}", example("get_file"))
    api.reply("GET", "/files/a%2Fb", example("get_file"))

    async with client() as c:
        plain = await c.files.get(FILE_ID)
        full = await c.files.get(FILE_ID, raw_text=True, markdown=False, html=True)
        await c.files.get("a/b")

    first, second, third = api.sent
    assert (first.method, first.path, first.query, first.headers) == (
        "GET",
        f"/files/{FILE_ID}",
        {},
        GET_HEADERS,
    )
    assert second.query == {"rawText": "true", "markdown": "false", "html": "true"}
    assert third.path == "/files/a%2Fb"
    assert plain == full
    assert plain.type is FileType.PDF
    assert plain.contents is not None
    assert plain.contents.pages is not None
    assert [p.raw_text for p in plain.contents.pages] == [
        "ACME CORPORATION\nInvoice # INV-2024-001",
        "Total due: $1,250.00",
    ]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((5,), {}, TypeError, r"id must be a string, got int"),
        (("",), {}, ValueError, r"id must be a non-empty string"),
        ((FILE_ID,), {"raw_text": "true"}, TypeError, r"raw_text must be True or False"),
        ((FILE_ID,), {"markdown": 1}, TypeError, r"markdown must be True or False, got 1"),
        ((FILE_ID,), {"html": None}, TypeError, r"html must be True or False, got None"),
    ],
)
async def test_bad_get_arguments_are_refused(
    api: Api, client: Any, args: tuple[Any, ...], kwargs: dict[str, Any], error: type, message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message):
            await c.files.get(*args, **kwargs)

    assert api.sent == []


# -- delete_file, list_files ---------------------------------------------------------------


async def test_delete(api: Api, client: Any) -> None:
    api.reply("DELETE", f"/files/{FILE_ID}", example("delete_file"))

    async with client() as c:
        deleted = await c.files.delete(FILE_ID)

    assert deleted == FileDeleted(FILE_ID, "File data has been successfully deleted.")
    sent = api.last
    assert (sent.method, sent.path, sent.query, sent.headers, sent.json) == (
        "DELETE",
        f"/files/{FILE_ID}",
        {},
        GET_HEADERS,
        None,
    )


async def test_list_sends_its_filters_and_follows_the_token(api: Api, client: Any) -> None:
    first = example("list_files")
    token = first["nextPageToken"]
    last = {"success": True, "files": [first["files"][0]]}
    api._mocked.get(
        re.compile(r"https://api\.extend\.ai/files\?(?!.*nextPageToken).*$"),
        body=json.dumps(first),
        repeat=True,
    )
    api._mocked.get(
        re.compile(r"https://api\.extend\.ai/files\?.*nextPageToken=.*$"),
        body=json.dumps(last),
        repeat=True,
    )

    async with client() as c:
        pager = c.files.list(name_contains="Inv", sort_dir=SortDirection.ASC, page_size=2)
        page = await pager
        names = [file.name async for file in pager]

    assert isinstance(page, Page)
    assert page.next_page_token == token
    assert [f.type for f in page.items] == [FileType.PDF, FileType.EXCEL]
    assert names == ["Invoices.pdf", "receipts.xlsx", "Invoices.pdf"]
    filters = {"nameContains": "Inv", "sortDir": "asc", "maxPageSize": "2"}
    assert [sent.query for sent in api.sent] == [
        filters,
        filters,
        {**filters, "nextPageToken": token},
    ]
    assert {(sent.method, sent.path) for sent in api.sent} == {("GET", "/files")}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"page_size": 0}, ValueError, r"page_size must be an int >= 1, got 0"),
        ({"name_contains": ""}, ValueError, r"name_contains must not be empty"),
        ({"name_contains": ["a"]}, TypeError, r"name_contains must be a string"),
        ({"name_contains": 5}, TypeError, r"name_contains must be a string, got 5"),
        ({"sort_dir": 1}, TypeError, r"sort_dir must be a string, got 1"),
        ({"sort_by": "createdAt"}, TypeError, r"unexpected keyword argument 'sort_by'"),
    ],
)
async def test_bad_list_arguments_are_refused(
    api: Api, client: Any, kwargs: dict[str, Any], error: type, message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message):
            await c.files.list(**kwargs)

    assert api.sent == []


# -- create_file (deprecated) --------------------------------------------------------------


async def test_create_warns_at_the_caller_and_sends_the_documented_body(
    api: Api, client: Any
) -> None:
    api.reply("POST", "/files", example("create_file"))
    request = example("create_file.request")

    async with client() as c:
        with pytest.warns(DeprecationWarning, match=r"use files.upload\(\) instead") as warned:
            created = await c.files.create(
                name=request["name"], url=request["url"], media_type=request["mediaType"]
            )
        with pytest.warns(DeprecationWarning, match="deprecated") as warned_raw:
            response = await c.files.create.raw(name="notes.txt", raw_text="hello")

    assert created.id == FILE_ID
    assert response.parsed == created
    assert [w.filename for w in [*warned, *warned_raw]] == [__file__, __file__]
    documented, text = api.sent
    assert (documented.method, documented.path, documented.query) == ("POST", "/files", {})
    assert documented.headers == {**GET_HEADERS, "Content-Type": "application/json"}
    assert documented.json == request
    assert text.json == {"name": "notes.txt", "rawText": "hello"}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "a.pdf"}, ValueError, r"give url or raw_text, exactly one of them"),
        ({"name": "a.pdf", "url": "https://x", "raw_text": "x"}, ValueError, r"exactly one"),
        ({"name": "", "raw_text": "x"}, ValueError, r"name must not be empty"),
        ({"name": 3, "raw_text": "x"}, TypeError, r"name: expected a string, got int"),
        ({"name": "a", "url": 3}, TypeError, r"url: expected a string, got int"),
        ({"name": "a", "raw_text": "x", "media_type": 1}, TypeError, r"media_type: expected a"),
        ({"raw_text": "x"}, TypeError, r"missing 1 required keyword-only argument: 'name'"),
    ],
)
async def test_bad_create_arguments_are_refused(
    api: Api, client: Any, kwargs: dict[str, Any], error: type, message: str
) -> None:
    async with client() as c:
        with (
            pytest.warns(DeprecationWarning, match="deprecated"),
            pytest.raises(error, match=message),
        ):
            await c.files.create(**kwargs)

    assert api.sent == []


# -- the blocking twins and the contract ---------------------------------------------------


def test_the_blocking_twins(api: Api, sync_client: Extend, tmp_path: Path) -> None:
    api.reply("POST", "/files/upload", example("upload_file"))
    api.reply("GET", f"/files/{FILE_ID}", example("get_file"))
    api.reply("GET", "/files", example("list_files") | {"nextPageToken": None})
    api.reply("DELETE", f"/files/{FILE_ID}", example("delete_file"))
    api.reply("POST", "/files", example("create_file"))
    path = tmp_path / "Invoices.pdf"
    path.write_bytes(b"%PDF")
    files = sync_client.files

    uploaded = files.upload(path)
    got = files.get(FILE_ID, raw_text=True)
    listed = [file.name for file in files.list(sort_dir="desc")]
    deleted = files.delete(FILE_ID)
    with pytest.warns(DeprecationWarning, match="deprecated") as warned:
        created = files.create(name="a.txt", raw_text="x")
    with pytest.warns(DeprecationWarning, match="deprecated") as warned_raw:
        files.create.raw(name="a.txt", raw_text="x")

    assert uploaded.id == got.id == deleted.file_id == created.id == FILE_ID
    assert listed == ["Invoices.pdf", "receipts.xlsx"]
    assert [w.filename for w in [*warned, *warned_raw]] == [__file__, __file__]
    assert api.sent[0].headers["Content-Type"].startswith("multipart/form-data; boundary=")


def test_the_blocking_client_refuses_an_async_iterator_before_sending(
    api: Api, sync_client: Extend
) -> None:
    async def pieces() -> AsyncIterator[bytes]:
        yield b"x"

    stream = pieces()
    with pytest.raises(TypeError, match=r"^files.upload\(\): the blocking client cannot read an"):
        sync_client.files.upload(stream, filename="a.pdf")

    assert api.sent == []


async def test_signatures_are_the_contract() -> None:
    expected = {
        "upload": ["file", "filename", "convert_to_pdf", "on_progress"],
        "get": ["id", "raw_text", "markdown", "html"],
        "delete": ["id"],
        "list": ["name_contains", "sort_dir", "page_size"],
        "create": ["name", "url", "raw_text", "media_type"],
    }
    async with AsyncExtend("x") as c:
        with Extend("x") as s:
            for files in (c.files, s.files):
                assert {
                    name: list(inspect.signature(getattr(files, name)).parameters)
                    for name in expected
                } == expected
            assert inspect.signature(s.files.upload).return_annotation in (File, "File")
