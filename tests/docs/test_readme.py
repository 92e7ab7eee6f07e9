"""The README as a newcomer uses it: its test command is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def fenced_blocks(markdown: str, language: str) -> list[str]:
    """The bodies of the ```language fenced blocks, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


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
