"""What every command shares: exit codes, errors, options and building the client."""

from __future__ import annotations

import argparse
from typing import Any

from .._client import AsyncExtend
from .._config import DEFAULT_MAX_CONCURRENCY
from ..errors import ExtendError
from ._values import non_empty, positive_seconds

EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


class CommandError(Exception):
    """A problem found after parsing, told in one line: bad usage (exit 2) unless
    ``exit_code`` says otherwise (1 for what the environment refused)."""

    def __init__(self, message: str, *, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def add_debug_option(parser: argparse.ArgumentParser, *, default: Any) -> None:
    parser.add_argument(
        "--debug", action="store_true", default=default, help="tracebacks and request logs"
    )


def add_command(commands: Any, name: str, **options: Any) -> argparse.ArgumentParser:
    """A sub-command's parser. It takes ``--debug`` too, without a default of its own:
    a sub-parser's default would override the top-level flag given before it. It
    records itself as ``parser``, so that arguments it does not know are reported
    with its own usage (argparse hands them back to the top-level parser)."""
    parser: argparse.ArgumentParser = commands.add_parser(name, **options)
    add_debug_option(parser, default=argparse.SUPPRESS)
    parser.set_defaults(parser=parser)
    return parser


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--base-url", type=non_empty, help="API URL (default: $EXTEND_BASE_URL, api.extend.ai)"
    )
    group.add_argument("--token", type=non_empty, help="API key (default: $EXTEND_API_KEY)")
    group.add_argument(
        "--workspace-id", type=non_empty, help="workspace (default: $EXTEND_WORKSPACE_ID)"
    )
    group.add_argument(
        "--request-timeout",
        type=positive_seconds,
        metavar="SECONDS",
        help="time limit per call, retries included",
    )


def make_client(
    args: argparse.Namespace,
    *,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    max_requests_per_second: float | None = None,
) -> AsyncExtend:
    """The client the connection options describe (environment as fallback)."""
    try:
        return AsyncExtend(
            args.token,
            base_url=args.base_url,
            workspace_id=args.workspace_id,
            timeout=args.request_timeout,
            max_concurrency=max_concurrency,
            max_requests_per_second=max_requests_per_second,
        )
    except ExtendError as exc:  # a configuration problem, such as no token: usage
        raise CommandError(str(exc)) from None
