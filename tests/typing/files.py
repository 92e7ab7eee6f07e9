"""Type-checked, never run: files as users write them (``mypy --strict``)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from typing_extensions import assert_type

from extend_async import APIResponse, AsyncExtend, Extend
from extend_async.models import File, FileDeleted, Page, SortDirection
from extend_async.pagination import AsyncPager


async def chunks() -> AsyncIterator[bytes]:
    yield b"x"


def progress(sent: int, total: int | None) -> None: ...


async def async_usage(client: AsyncExtend, opened: BinaryIO) -> None:
    files = client.files
    assert_type(await files.upload("a.pdf"), File)
    assert_type(await files.upload(Path("a.pdf"), convert_to_pdf=True), File)
    assert_type(await files.upload(b"x", filename="a.pdf", on_progress=progress), File)
    assert_type(await files.upload(memoryview(b"x"), filename="a.pdf"), File)
    assert_type(await files.upload(io.BytesIO(b"x"), filename="a.pdf"), File)
    assert_type(await files.upload(chunks(), filename="a.pdf"), File)
    assert_type(await files.upload.raw(opened), APIResponse[File])
    assert_type(await files.get("file_1", raw_text=True, markdown=True, html=False), File)
    assert_type(await files.delete("file_1"), FileDeleted)
    pager = files.list(name_contains="inv", sort_dir=SortDirection.DESC, page_size=10)
    assert_type(pager, AsyncPager[File])
    assert_type(await pager, Page[File])
    async for file in pager:
        assert_type(file, File)
    assert_type(await files.create(name="a.txt", raw_text="x"), File)
    await files.upload(3)  # type: ignore[arg-type]
    await files.get("file_1", raw_text="yes")  # type: ignore[arg-type]


def sync_usage(client: Extend) -> None:
    files = client.files
    assert_type(files.upload("a.pdf", on_progress=lambda sent, total: None), File)
    assert_type(files.upload(b"x", filename="a.pdf"), File)
    assert_type(files.get("file_1"), File)
    assert_type(files.delete("file_1"), FileDeleted)
    for file in files.list(sort_dir="asc"):
        assert_type(file, File)
    assert_type(files.create(name="a.txt", url="https://x/a.txt"), File)
    assert_type(files.upload.raw(b"x", filename="a.pdf"), APIResponse[File])
