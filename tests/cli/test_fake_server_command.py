"""``extend-async fake-server``: what it serves, and how it fails to."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from cli._support import serving

from extend_async.cli import main
from extend_async.cli._context import CommandError
from extend_async.testing import FakeExtendServer

EXAMPLE_RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"  # the README's


@pytest.fixture
def port_in_use() -> Iterator[int]:
    """A loopback port another socket is listening on."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_port_in_use_is_one_line_and_exit_code_1(
    port_in_use: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["fake-server", "--port", str(port_in_use)])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.err == (
        f"error: cannot listen on 127.0.0.1:{port_in_use}: address already in use\n"
    )
    assert captured.out == ""


def test_debug_shows_why_it_cannot_listen(port_in_use: int) -> None:
    with pytest.raises(CommandError, match="cannot listen") as raised:
        main(["--debug", "fake-server", "--port", str(port_in_use)])

    assert isinstance(raised.value.__cause__, OSError)


def test_the_first_seeded_run_has_the_readme_example_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with serving("--seed-runs", "1") as out:
        announced = [out.readline() for _ in range(4)]
        url = announced[1].split("=", 1)[1].strip()

        code = main(
            ["batch-runs", "get", EXAMPLE_RUN_ID, "--base-url", url, "--token", "test-token"]
        )

    assert url.startswith("http://127.0.0.1:")
    assert announced == [
        f"Fake Extend API listening on {url}  (Ctrl-C to stop)\n",
        f"  export EXTEND_BASE_URL={url}\n",
        "  export EXTEND_API_KEY=test-token\n",
        f"  extend-async batch-runs get {EXAMPLE_RUN_ID}\n",
    ]
    assert code == 0
    assert capsys.readouterr().out.splitlines()[0] == EXAMPLE_RUN_ID


def test_the_other_seeded_runs_are_generated_as_before() -> None:
    generated = [run.id for run in FakeExtendServer(seed=3).seed_batch_runs(3)]

    with serving("--seed-runs", "3", "--seed", "3", "--json") as out:
        announced = json.loads(out.readline())

    assert announced["batchProcessorRunIds"] == [EXAMPLE_RUN_ID, *generated[1:]]
