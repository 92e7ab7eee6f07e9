"""Every example of docs/api.md runs as it is against the local fake."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from extend_async import SystemClock
from extend_async.testing import FakeExtendServer

PAGE = (Path(__file__).parents[2] / "docs" / "api.md").read_text("utf-8")
EXAMPLES = re.findall(r"^### (.+?)\n\n```python\n(.*?)^```$", PAGE, flags=re.M | re.S)


@pytest.fixture
def fake() -> Iterator[FakeExtendServer]:
    with FakeExtendServer.in_thread(clock=SystemClock()) as server:
        yield server


def test_there_is_an_example_per_resource() -> None:
    assert [title for title, _ in EXAMPLES] == [
        "Processors and versions",
        "Processor runs",
        "Parser runs",
        "Workflows and workflow runs",
        "Batch processor runs",
        "Files",
        "Edit runs",
        "Evaluation sets and items",
    ]


@pytest.mark.parametrize(("title", "code"), EXAMPLES, ids=[title for title, _ in EXAMPLES])
def test_the_example_runs(fake: FakeExtendServer, title: str, code: str) -> None:
    batch = fake.add_batch_run()
    files = [fake.files.add(f"INV-{n}.pdf") for n in range(3)]
    env = {
        **os.environ,
        "EXTEND_BASE_URL": fake.url,
        "EXTEND_API_KEY": fake.token,
        "BATCH_RUN_ID": batch.id,
        "FILE_IDS": ",".join(file.id for file in files),
    }

    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines, "the example printed nothing"
    if title == "Processor runs":
        assert lines[0] == "PROCESSED JsonOutput"
    if title == "Processors and versions":
        assert lines[0].endswith(" 1.0")
    if title == "Edit runs":
        assert lines[0].split()[0] == "full_name"
        assert lines[1:] == ["PROCESSED True", "%PDF-"]
    if title == "Files":
        assert lines == [
            "sent 61 of 61 bytes",
            "invoice.txt TXT Invoice # INV-2024-001",
            "True",
        ]
    if title == "Parser runs":
        assert re.fullmatch(r"PROCESSED [1-9]\d* # Lease", lines[0])
        assert lines[1:] == ["True", "PROCESSED True"]
    if title == "Workflows and workflow runs":
        assert [line.split()[1] for line in lines] == ["PROCESSED", "PROCESSED"]
    if title == "Evaluation sets and items":
        assert lines[0].startswith("ev_")
        assert lines[0].endswith(" 3")
        assert [line.split()[1] for line in lines[1:]] == [file.id for file in files]
        assert "Acme Corp" in lines[1]
