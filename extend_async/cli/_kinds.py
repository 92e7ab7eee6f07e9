"""The pieces of the table of commands (``_commands.py``), and what each kind does.

A row of the table is a :class:`Command`: its group and action (``processor-runs
get``), the client attribute it calls (``processor_runs``), its :data:`Kind`, how its
objects look, and its own arguments as :class:`Option` rows, each naming the keyword of
the method it fills. A kind adds the arguments every command of it takes (``get`` an
``id``, ``wait`` the ids and ``--timeout``, ``list`` ``--limit``, ``upload`` the
paths...), ``--json`` and the connection options, and runs the call.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from .._config import DEFAULT_MAX_CONCURRENCY
from ..errors import ExtendError
from ._context import add_command, add_connection_options, make_client
from ._pool import run_pool
from ._progress import ProgressDisplay, UploadProgress, describe_uploads
from ._render import View, as_json, outcome_line
from ._values import non_empty, positive_count, positive_seconds, readable_file

Kind = Literal["get", "list", "create", "wait", "cancel", "upload"]

#: What a command line sets besides the method's keywords: a row's keyword must not be one.
_RESERVED = frozenset(
    {
        "id",
        "ids",
        "json",
        "limit",
        "wait",
        "timeout",
        "base_url",
        "token",
        "workspace_id",
        "request_timeout",
        "debug",
        "parser",
        "run",
        "check",
        "command",
        "action",
        "paths",
    }
)


@attrs.frozen
class Option:
    """One argument of a command: its flags (a name without ``-`` for a positional one),
    the keyword of the method it fills, and its argparse settings (``type=`` one of the
    validating functions of ``_values``, ``help``, ``metavar``, ``action``...).

    An option left out is left out of the call: its default is None.
    """

    flags: tuple[str, ...]
    keyword: str
    settings: Mapping[str, Any] = attrs.field(factory=dict)

    def add_to(self, parser: Any) -> None:
        """Add it to ``parser`` (or to a group of a parser)."""
        settings = dict(self.settings)
        if self.flags[0].startswith("-"):
            settings.setdefault("default", None)
            parser.add_argument(*self.flags, dest=self.keyword, **settings)
        else:
            parser.add_argument(self.keyword, **settings)


def option(*flags: str, keyword: str | None = None, **settings: Any) -> Option:
    """An :class:`Option`; its keyword is the first flag's name (``--page-size``:
    ``page_size``) unless given."""
    name = keyword or flags[0].lstrip("-").replace("-", "_")
    return Option(flags, name, settings)


@attrs.frozen
class OneOf:
    """Options of which exactly one must be given (one or the other, not both)."""

    options: tuple[Option, ...]

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        for item in self.options:
            item.add_to(group)


Argument = Option | OneOf


@attrs.frozen
class Area:
    """A group of commands: its name on the command line and help, the client attribute
    its commands call, and for the help what its objects are and how their ids begin."""

    group: str
    help: str
    resource: str
    noun: str
    prefix: str


@attrs.frozen
class Command:
    """One row of the table: ``extend-async <area.group> <action>``.

    ``view`` renders the objects a ``get``, ``cancel``, ``create`` or
    ``wait`` gives; ``line`` the items of a ``list``. ``failed`` holds the statuses
    that make a ``wait`` (or ``create --wait``) exit with 1, as a wait that ended in
    an error does.
    """

    area: Area
    action: str
    help: str
    kind: Kind
    arguments: tuple[Argument, ...] = ()
    view: View[Any] | None = None
    line: Callable[[Any], str] | None = None
    failed: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        clash = sorted(set(self.keywords()) & _RESERVED)
        if clash:
            raise ValueError(f"{self.name}: keywords {clash} are the command's own")

    @property
    def name(self) -> str:
        return f"{self.area.group} {self.action}"

    def options(self) -> Iterable[Option]:
        for argument in self.arguments:
            yield from argument.options if isinstance(argument, OneOf) else (argument,)

    def keywords(self) -> list[str]:
        return [item.keyword for item in self.options()]

    def given(self, args: argparse.Namespace) -> dict[str, Any]:
        """The method's keywords the command line gave (None: left out)."""
        values = ((name, getattr(args, name)) for name in self.keywords())
        return {name: value for name, value in values if value is not None}


def register(commands: Any, table: Sequence[Command]) -> None:
    """Add every command of ``table``, under its area's group (in the table's order)."""
    actions: dict[str, Any] = {}
    for row in table:
        area = row.area
        if area.group not in actions:
            group = add_command(commands, area.group, help=area.help)
            actions[area.group] = group.add_subparsers(
                dest="action", required=True, metavar="ACTION"
            )
        parser = add_command(actions[area.group], row.action, help=row.help)
        _KINDS[row.kind](row, parser)
        add_connection_options(parser)


def _add_get(row: Command, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=non_empty, help=f"{row.area.noun} id ({row.area.prefix}...)")
    _add_arguments(row, parser)
    parser.add_argument("--json", action="store_true", help=f"print the {row.area.noun} as JSON")
    parser.set_defaults(run=_runner(row, _get))


def _add_cancel(row: Command, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=non_empty, help=f"{row.area.noun} id ({row.area.prefix}...)")
    _add_arguments(row, parser)
    parser.add_argument("--json", action="store_true", help=f"print the {row.area.noun} as JSON")
    parser.set_defaults(run=_runner(row, _cancel))


def _add_list(row: Command, parser: argparse.ArgumentParser) -> None:
    _add_arguments(row, parser)
    parser.add_argument(
        "--limit",
        type=positive_count,
        default=20,
        metavar="N",
        help="print at most N (default 20); pages are fetched only as needed",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(run=_runner(row, _list))


def _add_create(row: Command, parser: argparse.ArgumentParser) -> None:
    _add_arguments(row, parser)
    parser.add_argument("--wait", action="store_true", help="wait for the outcome, then print it")
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        metavar="SECONDS",
        help="with --wait: give up after SECONDS",
    )
    parser.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(run=_runner(row, _create), check=_check_create)


def _add_wait(row: Command, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="+", type=non_empty, metavar="ID", help=f"{row.area.noun} ids")
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        metavar="SECONDS",
        help="give up on runs still going after SECONDS",
    )
    _add_arguments(row, parser)
    parser.add_argument("--json", action="store_true", help="one JSON run per line")
    parser.set_defaults(run=_runner(row, _wait))


def _add_upload(row: Command, parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        type=readable_file,
        metavar="PATH",
        help=f"files to upload, side by side (up to {DEFAULT_MAX_CONCURRENCY} at a time)",
    )
    _add_arguments(row, parser)
    parser.add_argument("--json", action="store_true", help=f"one JSON {row.area.noun} per line")
    parser.set_defaults(run=_runner(row, _upload))


_KINDS: dict[str, Callable[[Command, argparse.ArgumentParser], None]] = {
    "get": _add_get,
    "cancel": _add_cancel,
    "list": _add_list,
    "create": _add_create,
    "wait": _add_wait,
    "upload": _add_upload,
}


def _add_arguments(row: Command, parser: argparse.ArgumentParser) -> None:
    for argument in row.arguments:
        argument.add_to(parser)


def _check_create(args: argparse.Namespace) -> None:
    """What argparse cannot say by itself, said as its usage errors are."""
    if args.timeout is not None and not args.wait:
        args.parser.error("argument --timeout: only with --wait")


Runner = Callable[[Command, argparse.Namespace, Any], Any]


def _runner(row: Command, run: Runner) -> Callable[[argparse.Namespace], Any]:
    """The coroutine function ``main`` runs: ``run`` with the row and the resource."""

    async def command(args: argparse.Namespace) -> int:
        async with make_client(args) as client:
            code: int = await run(row, args, getattr(client, row.area.resource))
        return code

    return command


def _view(row: Command) -> View[Any]:
    assert row.view is not None, f"{row.name} has no view"
    return row.view


async def _get(row: Command, args: argparse.Namespace, resource: Any) -> int:
    obj = await resource.get(args.id, **row.given(args))
    print(as_json(obj) if args.json else _view(row).summary(obj))
    return 0


async def _cancel(row: Command, args: argparse.Namespace, resource: Any) -> int:
    obj = await resource.cancel(args.id, **row.given(args))
    print(as_json(obj) if args.json else _view(row).summary(obj))
    return 0


async def _list(row: Command, args: argparse.Namespace, resource: Any) -> int:
    line = row.line
    assert line is not None, f"{row.name} has no line"
    items = aiter(resource.list(**row.given(args)))
    shown = 0
    try:
        # Each page is fetched when its first item is asked for: none after the last shown.
        async for item in items:
            print(as_json(item, compact=True) if args.json else line(item))
            shown += 1
            if shown >= args.limit:
                break
    finally:
        close = getattr(items, "aclose", None)
        if close is not None:
            await close()
    return 0


async def _create(row: Command, args: argparse.Namespace, resource: Any) -> int:
    given = row.given(args)
    if args.wait:
        result = await resource.create_and_wait(**given, timeout=args.timeout)
    else:
        result = await resource.create(**given)
    runs = result if isinstance(result, list) else [result]
    if isinstance(result, list):  # many runs: one line (or JSON object) each
        for run in runs:
            print(as_json(run, compact=True) if args.json else _view(row).line(run))
    else:
        print(as_json(result) if args.json else _view(row).summary(result))
    failed = args.wait and any(run.status in row.failed for run in runs)
    return 1 if failed else 0


async def _wait(row: Command, args: argparse.Namespace, resource: Any) -> int:
    failures = 0
    view = _view(row)
    with ProgressDisplay(sys.stderr) as display:
        stream = resource.wait_many(
            args.ids, timeout=args.timeout, on_progress=display.update, **row.given(args)
        )
        async with stream:
            async for run_id, outcome in stream:
                if isinstance(outcome, BaseException):
                    failures += 1
                    display.write_line(outcome_line(run_id, outcome), sys.stderr)
                    continue
                if outcome.status in row.failed:
                    failures += 1
                text = as_json(outcome, compact=True) if args.json else view.line(outcome)
                display.write_line(text, sys.stdout)
    return 1 if failures else 0


async def _upload(row: Command, args: argparse.Namespace, resource: Any) -> int:
    """Upload every path by a pool of workers as large as the client's concurrency cap,
    one line per file as it is done (a failed one on stderr: the others go on), one
    bar for the bytes of all."""
    paths: list[Path] = args.paths
    total = sum(path.stat().st_size for path in paths)
    sent = [0] * len(paths)
    all_sent = done = in_flight = failed = 0
    options = row.given(args)

    with ProgressDisplay(sys.stderr, text=describe_uploads) as display:

        def show() -> None:
            display.update(UploadProgress(all_sent, total, done, len(paths), in_flight))

        def progress_of(index: int) -> Callable[[int, int | None], None]:
            def on_progress(now: int, _size: int | None) -> None:
                nonlocal all_sent
                all_sent += now - sent[index]  # a replayed upload starts again at 0
                sent[index] = now
                show()

            return on_progress

        async def upload(index: int) -> None:
            nonlocal done, in_flight, failed
            path = paths[index]
            in_flight += 1
            try:
                file = await resource.upload(path, on_progress=progress_of(index), **options)
            except (ExtendError, OSError) as error:
                failed += 1
                display.write_line(outcome_line(str(path), error), sys.stderr)
                return
            finally:
                in_flight -= 1
            done += 1
            text = as_json(file, compact=True) if args.json else f"{file.id}  {path}"
            display.write_line(text, sys.stdout)
            show()

        await run_pool(upload, len(paths), DEFAULT_MAX_CONCURRENCY)
    return 1 if failed else 0
