"""The ``extend-async`` command: a thin shell over the public API.

Exit codes: 0 success, 1 an API, network or system error, 2 bad usage, 130 Ctrl-C.
Errors are one line on stderr; ``--debug`` adds the traceback and the client's
request log.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Sequence

from .. import __version__
from ..errors import ExtendError
from . import _commands, _demo, _fake_server
from ._context import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CommandError,
    add_debug_option,
)

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="extend-async",
        description="Talk to the Extend API (2025-04-21), or to a local fake of it.",
    )
    parser.add_argument("--version", action="version", version=f"extend-async {__version__}")
    add_debug_option(parser, default=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _commands.register(commands)
    _fake_server.register(commands)
    _demo.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C, while parsing too: the shell's code, nothing said
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:  # the innermost command's parser says so, with its usage
            args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        check = getattr(args, "check", None)
        if check is not None:  # what a command checks across its options, as usage errors
            check(args)
    except SystemExit as exc:  # argparse: --help, --version (0) or bad usage (2)
        return int(exc.code or 0)
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = asyncio.run(_interruptible(args.run(args)))
        sys.stdout.flush()  # a failed write must show here, not in the interpreter's exit
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        _discard_stdout()
        return EXIT_FAILURE
    except CommandError as exc:
        return _fail(args, f"error: {exc}", exc.exit_code)
    except ExtendError as exc:
        return _fail(args, f"error: {type(exc).__name__}: {exc}", EXIT_FAILURE)
    except ValueError as exc:  # a value the library refused
        return _fail(args, f"error: {exc}", EXIT_USAGE)
    except OSError as exc:  # the system refused: no space for the output, no sockets left
        return _fail(args, f"error: {exc}", EXIT_FAILURE)
    return code


async def _interruptible(command: Awaitable[int]) -> int:
    """``command``, which Ctrl-C cancels as a whole and then ends as KeyboardInterrupt.

    From 3.11 ``asyncio.run`` does this itself; on 3.10 the signal raises
    KeyboardInterrupt inside whichever task runs at that moment (a polling worker), and
    that task's error is then reported as never retrieved. A loop handler for SIGINT
    cancels the command instead, so every task ends by its own cancellation.
    """
    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()
    interrupted = False

    def interrupt() -> None:
        nonlocal interrupted
        interrupted = True
        if main_task is not None:
            main_task.cancel()

    try:
        loop.add_signal_handler(signal.SIGINT, interrupt)
    except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
        return await command
    try:
        return await command
    except asyncio.CancelledError:
        if interrupted:
            raise KeyboardInterrupt from None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGINT)


def _fail(args: argparse.Namespace, line: str, code: int) -> int:
    if args.debug:
        raise
    print(line, file=sys.stderr)
    return code


def _discard_stdout() -> None:
    """Point stdout at the null device, so that what is still buffered for the closed
    pipe cannot fail the interpreter's final flush."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
