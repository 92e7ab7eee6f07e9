"""``extend-async files upload|get|list`` against the threaded fake: what reached it,
what was printed, the exit code; and bad paths refused before any upload starts."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli._support import Cli

from extend_async.cli import main
from extend_async.testing import FakeExtendServer

LIMIT = 300_000  # the fake's upload limit here: one file of the tests is past it


@pytest.fixture
def fake() -> Iterator[FakeExtendServer]:
    with FakeExtendServer.in_thread(token="cli-secret-token", max_upload_size=LIMIT) as server:
        yield server


@pytest.fixture
def cli(fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(fake, capsys)


@pytest.fixture
def documents(tmp_path: Path) -> list[Path]:
    """Five files of different sizes (one of 0 bytes, one a text)."""
    sizes = {"empty.txt": 0, "a.pdf": 70_000, "b.pdf": 150_000, "c.pdf": 2_500}
    paths = []
    for index, (name, size) in enumerate(sizes.items()):
        path = tmp_path / name
        path.write_bytes(bytes((index + n) % 251 for n in range(size)))
        paths.append(path)
    note = tmp_path / "note.txt"
    note.write_text("Invoice INV-7\nTotal 12.50 EUR\n")
    return [paths[0], note, *paths[1:]]


def test_upload_sends_every_file_whole_and_prints_its_id(
    cli: Cli, fake: FakeExtendServer, documents: list[Path]
) -> None:
    code = cli("files", "upload", *map(str, documents))

    assert code == 0
    printed = dict(line.split("  ", 1)[::-1] for line in cli.lines)
    assert sorted(printed) == sorted(map(str, documents))  # one line per file, any order
    for path in documents:
        stored = fake.files.stored(printed[str(path)])
        assert stored.file.name == path.name
        assert stored.size == path.stat().st_size
        assert stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert fake.requests["upload_file"] == 5
    total = sum(path.stat().st_size for path in documents) / (1 << 20)
    assert (
        cli.err.splitlines()[-1]
        == f"{total:.1f}/{total:.1f} MiB sent, 5/5 files uploaded, 0 in flight"
    )


def test_upload_with_json_prints_each_file_as_the_api_spells_it(
    cli: Cli, fake: FakeExtendServer, documents: list[Path]
) -> None:
    code = cli("files", "upload", *map(str, documents[2:4]), "--json", "--convert-to-pdf")

    assert code == 0
    uploaded, other = sorted(cli.objects, key=lambda obj: obj["name"])
    assert uploaded["object"] == "file"
    assert uploaded["name"] == "a.pdf"
    assert other["name"] == "b.pdf"
    assert fake.files.get(uploaded["id"]).name == "a.pdf"
    assert fake.requests["upload_file"] == 2


def test_a_refused_upload_is_reported_and_the_others_go_on(
    cli: Cli, fake: FakeExtendServer, documents: list[Path], tmp_path: Path
) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%" * (LIMIT + 1))

    code = cli("files", "upload", str(documents[1]), str(big), str(documents[4]))

    assert code == 1
    printed = dict(line.split("  ", 1)[::-1] for line in cli.lines)
    assert sorted(printed) == sorted([str(documents[1]), str(documents[4])])
    assert {fake.files.get(file_id).name for file_id in printed.values()} == {"note.txt", "c.pdf"}
    (refused,) = [line for line in cli.err.splitlines() if "error:" in line]
    assert refused.startswith(f"{big}  error: BadRequestError: ")
    assert "/files/upload: 400 File size too large" in refused
    assert fake.requests["upload_file"] == 3  # a 400 is not retried


def test_get_and_list_show_the_uploaded_files(
    cli: Cli, fake: FakeExtendServer, documents: list[Path]
) -> None:
    assert cli("files", "upload", str(documents[1]), "--json") == 0
    uploaded = cli.objects[0]["id"]

    assert cli("files", "get", uploaded, "--text") == 0
    assert cli.lines[0] == uploaded
    rows = cli.summary()
    assert (rows["name"], rows["type"]) == ("note.txt", "TXT")
    assert cli.lines[-2:] == ["  text     Invoice INV-7", "           Total 12.50 EUR"]

    fake.files.add("other.pdf")
    assert cli("files", "list", "--name-contains", "NOTE") == 0
    assert [line.split()[:3] for line in cli.lines] == [[uploaded, "TXT", "note.txt"]]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("missing.pdf", "argument PATH: no such file: 'missing.pdf'"),
        (".", "argument PATH: is a directory, not a file: '.'"),
        ("", "argument PATH: must not be empty"),
    ],
)
def test_a_bad_path_is_a_usage_error_before_anything_is_sent(
    fake: FakeExtendServer,
    documents: list[Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    message: str,
) -> None:
    monkeypatch.chdir(documents[0].parent)
    code = main(["files", "upload", "a.pdf", path, "--base-url", fake.url, "--token", fake.token])

    assert code == 2
    assert (
        capsys.readouterr().err.splitlines()[-1] == f"extend-async files upload: error: {message}"
    )
    assert fake.requests["upload_file"] == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_a_usage_error(
    documents: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    documents[2].chmod(0)
    code = main(["files", "upload", str(documents[2]), "--token", "t"])

    assert code == 2
    assert (
        capsys.readouterr()
        .err.splitlines()[-1]
        .endswith(f"argument PATH: cannot be read (permission denied): {str(documents[2])!r}")
    )


def test_upload_needs_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["files", "upload", "--token", "t"])

    assert code == 2
    assert "the following arguments are required: PATH" in capsys.readouterr().err
