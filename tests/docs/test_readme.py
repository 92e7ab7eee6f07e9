"""The README as a newcomer uses it: its test command is what CI runs, its examples run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from extend_async import BatchProcessorRun
from extend_async.testing import FakeExtendServer

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
# The id the examples fetch, and the first run `extend-async fake-server` seeds.
RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"


def fenced_blocks(markdown: str, language: str) -> list[str]:
    """The bodies of the ```language fenced blocks, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


EXAMPLES = fenced_blocks(README, "python")


def test_the_readme_has_its_two_examples() -> None:
    assert len(EXAMPLES) == 2
    assert "AsyncExtend" in EXAMPLES[0]
    assert "with Extend() as client" in EXAMPLES[1]
    assert all(RUN_ID in example for example in EXAMPLES)


# What each example prints for a run (its print() calls, as the README shows them).
PRINTS = [
    lambda run: f"{run.processor_name} {run.status} {run.is_terminal}\n",
    lambda run: f"{run.status}\n",
]


@pytest.mark.parametrize(
    ("example", "prints"), list(zip(EXAMPLES, PRINTS, strict=False)), ids=["async", "sync"]
)
def test_a_readme_example_prints_the_run_from_the_fake(
    example: str, prints: Callable[[BatchProcessorRun], str]
) -> None:
    with FakeExtendServer.in_thread() as fake:
        run = fake.add_batch_run(id=RUN_ID)
        env = {**os.environ, "EXTEND_BASE_URL": fake.url, "EXTEND_API_KEY": fake.token}
        env.pop("EXTEND_WORKSPACE_ID", None)
        done = subprocess.run(
            [sys.executable, "-c", example],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        requests = fake.requests["get_batch_processor_run", RUN_ID]

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == prints(run)
    assert "PROCESSED" in done.stdout.split()
    assert requests == 1


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    commands = [
        line
        for block in fenced_blocks(README, "console")
        for line in block.splitlines()
        if "nox" in line
    ]

    assert len(commands) == 1, commands
    assert commands[0] in CI_RUN.splitlines()
    assert "set -euo pipefail" in CI_RUN.splitlines()
