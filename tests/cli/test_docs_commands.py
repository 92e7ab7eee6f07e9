"""The commands the docs show work as written against ``extend-async fake-server``:
docs/index.md's command-line section and the README's walkthrough (each in its order,
on one fake, as a user types them), and docs/api.md's examples."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from cli._support import serving_json

from extend_async.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
INDEX = (ROOT / "docs" / "index.md").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")
API = (ROOT / "docs" / "api.md").read_text("utf-8")
#: Commands that serve or run a fake of their own: parsed, never run here.
SERVING = {"fake-server", "demo"}


def console_commands(markdown: str, prefix: str) -> list[list[str]]:
    """The argument lists of the lines of ```console blocks that start with ``prefix``
    (shell comments dropped)."""
    blocks = re.findall(r"^```console\n(.*?)^```$", markdown, flags=re.M | re.S)
    lines = (line for block in blocks for line in block.splitlines())
    return [shlex.split(line, comments=True)[1:] for line in lines if line.startswith(prefix)]


def section(markdown: str, title: str) -> str:
    return markdown.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


INDEX_COMMANDS = console_commands(section(INDEX, "The command line"), "extend-async ")
README_COMMANDS = console_commands(README, ".venv/bin/extend-async ")


def test_the_pages_show_the_commands() -> None:
    assert len(INDEX_COMMANDS) == 21
    assert {argv[0] for argv in INDEX_COMMANDS} >= {
        "files",
        "processors",
        "processor-runs",
        "workflow-runs",
        "batch-runs",
        *SERVING,
    }
    assert [argv[0] for argv in README_COMMANDS] == [
        "fake-server",
        "processors",
        "processor-runs",
        "processor-runs",
        "workflow-runs",
    ]


@pytest.mark.parametrize("argv", INDEX_COMMANDS + README_COMMANDS, ids=" ".join)
def test_every_command_shown_parses(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # files upload takes paths of the project's folder
    if "--version" in argv:  # printed, and done
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args(argv)
        assert done.value.code == 0
        return
    args = build_parser().parse_args(argv)
    check = getattr(args, "check", None)
    if check is not None:
        check(args)


def run_in_order(
    commands: list[list[str]], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[tuple[str, int, str]]:
    """Each command (but those that serve) against one fresh ``fake-server``, with the
    environment its announcement says to export: (command, exit code, stderr)."""
    results = []
    monkeypatch.chdir(ROOT)  # files upload takes paths of the project's folder
    with serving_json() as fake:
        monkeypatch.setenv("EXTEND_BASE_URL", fake["url"])
        monkeypatch.setenv("EXTEND_API_KEY", fake["token"])
        monkeypatch.delenv("EXTEND_WORKSPACE_ID", raising=False)
        for argv in commands:
            if argv[0] in SERVING:
                continue
            code = main(argv)
            err = capsys.readouterr().err
            results.append((" ".join(argv), code, err))
    return results


@pytest.mark.parametrize(
    "commands", [INDEX_COMMANDS, README_COMMANDS], ids=["docs-index", "readme"]
)
def test_the_commands_work_in_their_order_against_the_fake(
    commands: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = run_in_order(commands, monkeypatch, capsys)

    assert results
    for command, code, err in results:
        assert (command, code) == (command, 0), err
        assert "error" not in err, command


API_EXAMPLES = re.findall(r"^### (.+?)\n\n```python\n(.*?)^```$", API, flags=re.M | re.S)


def test_the_api_examples_run_against_the_fake_server_as_it_starts() -> None:
    with serving_json() as fake:
        env = {
            **os.environ,
            "EXTEND_BASE_URL": fake["url"],
            "EXTEND_API_KEY": fake["token"],
            "BATCH_RUN_ID": "bpr_Xj8mK2pL9nR4vT7qY5wZ",  # as docs/api.md says
            "FILE_IDS": ",".join(fake["fileIds"]),
        }
        env.pop("EXTEND_WORKSPACE_ID", None)
        results = [
            subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
            )
            for _, code in API_EXAMPLES
        ]

    assert len(results) == 8
    for (title, _), result in zip(API_EXAMPLES, results, strict=True):
        assert (title, result.returncode, result.stderr) == (title, 0, "")
        assert result.stdout
