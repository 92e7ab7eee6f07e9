"""A live progress bar on a terminal; plain, occasional lines when not a terminal."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol, TextIO

import attrs

from ..polling import Progress

_BAR_WIDTH = 30
_TTY_REFRESH = 0.1  # seconds between redraws
_PLAIN_REFRESH = 2.0  # seconds between lines in logs


class Snapshot(Protocol):
    """What a bar is drawn from: how much of the whole is done."""

    @property
    def done(self) -> int: ...
    @property
    def total(self) -> int: ...


@attrs.frozen
class UploadProgress:
    """A snapshot of many uploads: bytes sent of all, files uploaded, uploads going."""

    done: int
    total: int
    files_done: int
    files: int
    in_flight: int


class ProgressDisplay:
    """Renders snapshots (:class:`Progress` by default, or any :class:`Snapshot` with
    its own ``text``); cheap to call after every poll or chunk.

    Used as a context manager, which finishes the display on the way out.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool | None = None,
        label: str = "",
        text: Callable[[Any], str] | None = None,
    ) -> None:
        self._stream = stream
        self._text: Callable[[Any], str] = text or (lambda progress: describe(progress, label))
        self._tty = stream.isatty() if tty is None else tty
        self._last_draw = float("-inf")
        self._last: Snapshot | None = None
        self._drawn: Snapshot | None = None

    def update(self, progress: Snapshot) -> None:
        self._last = progress
        now = time.monotonic()
        refresh = _TTY_REFRESH if self._tty else _PLAIN_REFRESH
        if now - self._last_draw >= refresh or progress.done == progress.total:
            self._draw(progress)
            self._last_draw = now

    def write_line(self, line: str, stream: TextIO) -> None:
        """Print ``line`` to ``stream`` above the bar: on a terminal the bar is wiped
        first and drawn again after, or the line would be glued to it."""
        bar = self._drawn if self._tty else None
        if bar is not None:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
        print(line, file=stream, flush=bar is not None)
        if bar is not None:
            self._draw(bar)

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Draw the final state (unless it is on screen already) and end the bar's line.
        After an error or Ctrl-C only the line is ended, so what follows (the error,
        the shell's prompt) starts on a line of its own."""
        if exc_type is None and self._last is not None and self._last != self._drawn:
            self._draw(self._last)
        if self._tty and self._drawn is not None:
            self._stream.write("\n")
        self._stream.flush()

    def _draw(self, progress: Snapshot) -> None:
        self._drawn = progress
        text = self._text(progress)
        if self._tty:
            filled = _BAR_WIDTH * progress.done // max(progress.total, 1)
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            self._stream.write(f"\r[{bar}] {text}\x1b[K")
        else:
            self._stream.write(text + "\n")
        self._stream.flush()


def describe(progress: Progress, label: str = "") -> str:
    """``3/10 done, 2 in flight, 7 requests``; ``label`` says what is done (``created``)."""
    return (
        f"{progress.done}/{progress.total} {label or 'done'}, {progress.in_flight} in flight, "
        f"{progress.requests} requests"
    )


def describe_uploads(progress: UploadProgress) -> str:
    """``1.5/4.0 MiB sent, 1/3 files uploaded, 2 in flight``."""
    mib = 1 << 20
    return (
        f"{progress.done / mib:.1f}/{progress.total / mib:.1f} MiB sent, "
        f"{progress.files_done}/{progress.files} files uploaded, {progress.in_flight} in flight"
    )
