"""The progress display, as a terminal shows it."""

from __future__ import annotations

import io
import re

import pytest

from extend_async.cli._progress import ProgressDisplay
from extend_async.polling import Progress

BAR = "[###############---------------] 1/2 done, 1 in flight, 3 requests"


def screen(output: str) -> list[str]:
    """The lines a terminal shows for ``output``: text, carriage returns, erase-line."""
    lines: list[str] = []
    line, column = "", 0
    for token in re.split(r"(\r|\n|\x1b\[K)", output):
        if token == "\r":
            column = 0
        elif token == "\n":
            lines.append(line)
            line, column = "", 0
        elif token == "\x1b[K":
            line = line[:column]
        else:
            line = line[:column] + token + line[column + len(token) :]
            column += len(token)
    return [*lines, line] if line else lines


def test_a_line_printed_during_the_bar_gets_a_line_of_its_own() -> None:
    terminal = io.StringIO()

    with ProgressDisplay(terminal, tty=True) as display:
        display.update(Progress(done=1, total=2, in_flight=1, requests=3))
        display.write_line("bpr_a  PROCESSED", terminal)

    assert screen(terminal.getvalue()) == ["bpr_a  PROCESSED", BAR]
    assert terminal.getvalue().endswith("\n")


def interrupt_after_one_update(terminal: io.StringIO) -> None:
    with ProgressDisplay(terminal, tty=True) as display:
        display.update(Progress(done=1, total=2, in_flight=1, requests=3))
        raise KeyboardInterrupt


def test_an_interrupted_bar_ends_its_line() -> None:
    terminal = io.StringIO()

    with pytest.raises(KeyboardInterrupt):
        interrupt_after_one_update(terminal)

    assert terminal.getvalue() == f"\r{BAR}\x1b[K\n"


def test_nothing_drawn_means_nothing_written() -> None:
    terminal = io.StringIO()

    with pytest.raises(ValueError, match="no token"), ProgressDisplay(terminal, tty=True):
        raise ValueError("no token")

    assert terminal.getvalue() == ""


def test_without_a_terminal_lines_are_plain() -> None:
    log = io.StringIO()

    with ProgressDisplay(log, tty=False) as display:
        display.update(Progress(done=1, total=2, in_flight=1, requests=3))
        display.write_line("bpr_a  PROCESSED", log)

    assert log.getvalue() == "1/2 done, 1 in flight, 3 requests\nbpr_a  PROCESSED\n"


def test_a_label_says_what_is_done() -> None:
    log = io.StringIO()

    with ProgressDisplay(log, tty=False, label="created") as display:
        display.update(Progress(done=2, total=2, in_flight=0, requests=2))

    assert log.getvalue() == "2/2 created, 0 in flight, 2 requests\n"
