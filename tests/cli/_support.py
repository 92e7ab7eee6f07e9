"""What the command-line tests share: ``extend-async fake-server`` in a process of its
own, and :class:`Cli`, ``main`` run in this process against a threaded fake."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import pytest

from extend_async.cli import main
from extend_async.testing import FakeExtendServer


@contextmanager
def serving(*options: str) -> Iterator[IO[str]]:
    """``extend-async fake-server`` in a subprocess, stopped with Ctrl-C (then exit 0).
    Yields its stdout, where it announces itself."""
    server = subprocess.Popen(
        [sys.executable, "-m", "extend_async", "fake-server", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield server.stdout
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err


@contextmanager
def serving_json(*options: str) -> Iterator[dict[str, Any]]:
    """As :func:`serving` with ``--json``: yields the announced line, decoded."""
    with serving(*options, "--json") as out:
        yield json.loads(out.readline())


class Cli:
    """``main`` on the fake, with what it wrote."""

    def __init__(self, fake: FakeExtendServer, capsys: pytest.CaptureFixture[str]) -> None:
        self._connection = ["--base-url", fake.url, "--token", fake.token]
        self._capsys = capsys
        self.out = self.err = ""

    def __call__(self, *argv: str) -> int:
        code = main([*argv, *self._connection])
        captured = self._capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        assert "Traceback" not in self.err
        return code

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def objects(self) -> list[dict[str, Any]]:
        """The JSON objects printed one per line."""
        return [json.loads(line) for line in self.lines]

    def summary(self) -> dict[str, str]:
        """The summary's rows (after the id line) as label: text."""
        rows = {}
        for line in self.lines[1:]:
            label, _, text = line.strip().partition("  ")
            rows[label] = text.strip()
        return rows
