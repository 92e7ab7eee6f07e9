"""The ``extend-async`` command: a thin shell over the public API.

Exit codes: 0 success, 1 an API or network error, 2 bad usage. Errors are one line
on stderr; ``--debug`` adds the traceback and the client's request log.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import ExtendError
from . import _batch_runs, _demo, _fake_server
from ._context import EXIT_FAILURE, CommandError, add_debug_option

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="extend-async",
        description="Talk to the Extend API (2025-04-21), or to a local fake of it.",
    )
    parser.add_argument("--version", action="version", version=f"extend-async {__version__}")
    add_debug_option(parser, default=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _batch_runs.register(commands)
    _fake_server.register(commands)
    _demo.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:  # the innermost command's parser says so, with its usage
            args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as exc:  # argparse: --help, --version (0) or bad usage (2)
        return int(exc.code or 0)
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = asyncio.run(args.run(args))
    except KeyboardInterrupt:
        return 130
    except CommandError as exc:
        return _fail(args, f"error: {exc}", exc.exit_code)
    except ExtendError as exc:
        return _fail(args, f"error: {type(exc).__name__}: {exc}", EXIT_FAILURE)
    return code


def _fail(args: argparse.Namespace, line: str, code: int) -> int:
    if args.debug:
        raise
    print(line, file=sys.stderr)
    return code
