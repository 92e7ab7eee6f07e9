"""The fake's file store, which every area that takes a file by id reads."""

from __future__ import annotations

import pytest

from extend_async.models import FileType
from extend_async.testing import FakeExtendServer


def test_a_stored_file_counts_its_pages_from_its_size() -> None:
    fake = FakeExtendServer(seed=2)

    invoice = fake.files.add("invoice.PDF", size=120_000)
    note = fake.files.add("note.txt", text="héllo")
    empty = fake.files.add("scan.png", size=0)

    assert invoice.id.startswith("file_")
    assert (invoice.type, invoice.metadata.page_count) == (FileType.PDF, 3.0)
    assert (note.type, fake.files.stored(note.id).size) == (FileType.TXT, 6)
    assert fake.files.stored(note.id).text == "héllo"
    assert (empty.type, empty.metadata.page_count) == (FileType.IMG, 1.0)
    assert fake.files.get(invoice.id) == invoice


def test_bad_input_is_refused_by_name() -> None:
    fake = FakeExtendServer()
    fake.files.add(id="file_1")

    with pytest.raises(ValueError, match="already exists"):
        fake.files.add(id="file_1")
    with pytest.raises(ValueError, match="size must be an int >= 0, got -1"):
        fake.files.add(size=-1)
    with pytest.raises(KeyError, match="file_missing"):
        fake.files.get("file_missing")
