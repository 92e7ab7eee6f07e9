"""``extend-async fake-server``: what it serves, and how it fails to."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from extend_async.cli import main
from extend_async.cli._context import CommandError


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
