"""What the command-line tests share: ``extend-async fake-server`` in a process of its own."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any


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
