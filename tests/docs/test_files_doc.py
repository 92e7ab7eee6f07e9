"""The example of docs/files.md runs as it is, against the fake: a fragment (top-level
``await``) given ``client`` and ``processor_id``, with the file it names on disk."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from extend_async import AsyncExtend
from extend_async.testing import FakeExtendServer

PAGE = (Path(__file__).parents[2] / "docs" / "files.md").read_text("utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```$", PAGE, re.M | re.S)
STATEMENT = "ACME BANK\nStatement for July 2024\nClosing balance: 1,250.00 EUR\n"


def test_the_page_has_one_example() -> None:
    assert len(BLOCKS) == 1


async def test_the_example_uploads_reads_and_runs_on_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakeExtendServer(seed=3) as fake, fake.client() as client:
        await run_the_example(fake, client, tmp_path, monkeypatch, capsys)


async def run_the_example(
    fake: FakeExtendServer,
    client: AsyncExtend,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "statements").mkdir()
    (tmp_path / "statements" / "2024-07.pdf").write_text(STATEMENT)
    monkeypatch.chdir(tmp_path)
    processor = fake.processors.add()
    code = compile(BLOCKS[0], "docs/files.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace = {"client": client, "processor_id": processor.id}

    result = eval(code, namespace)
    if inspect.iscoroutine(result):
        await result

    uploaded, run = namespace["uploaded"], namespace["run"]
    assert uploaded.name == "2024-07.pdf"
    assert fake.files.stored(uploaded.id).size == len(STATEMENT)
    # the fake makes a PDF's text up, page by page, starting with the file's name
    assert capsys.readouterr().out == "2024-07\nPage 1 of 1\n"
    assert run.processor_id == processor.id
    assert [file.id for file in fake.processor_runs.get(run.id).files] == [uploaded.id]
