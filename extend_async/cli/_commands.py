"""The table of API commands: one row per ``extend-async <group> <action>``.

Each row names the client attribute it calls, its kind (what it does: see ``_kinds``),
how its objects look, and its own options, each with the keyword of the method it
fills and the ``_values`` function that checks it. A new command is a new row.
"""

from __future__ import annotations

from typing import Any, Final

from ..models import (
    ProcessorRunSource,
    ProcessorRunStatus,
    ProcessorType,
    SortBy,
    SortDirection,
    WorkflowRunStatus,
)
from ..resources.workflow_runs import MAX_FILES_PER_RUN
from . import _render
from ._kinds import Area, Command, OneOf, Option, option
from ._kinds import register as _register
from ._values import (
    AppendAtMost,
    Once,
    json_object,
    non_empty,
    one_of,
    positive_count,
    priority,
)


def _choice(flag: str, enum: Any, metavar: str, what: str = "") -> Option:
    """An option taking one of the known values of an API enum (in any case)."""
    values = [member.value for member in enum]
    return option(flag, type=one_of(values), metavar=metavar, help=what + ", ".join(values))


def _id_filter(flag: str, what: str) -> Option:
    return option(flag, type=non_empty, metavar="ID", help=f"only those of {what}")


def _inputs(keyword: str, what: str, *, many: bool) -> Option:
    """``--file`` or ``--raw-text``: once for one run, or repeatable (up to the API's limit)."""
    flag, metavar = (
        ("--file", "URL_OR_ID") if keyword.startswith("file") else ("--raw-text", "TEXT")
    )
    if not many:
        return option(
            flag, keyword=keyword, type=non_empty, metavar=metavar, action=Once, help=what
        )
    return option(
        flag,
        keyword=keyword,
        type=non_empty,
        metavar=metavar,
        action=AppendAtMost,
        limit=MAX_FILES_PER_RUN,
        help=f"{what}; repeat for more (up to {MAX_FILES_PER_RUN}), one run each",
    )


_SORTING = (
    _choice("--sort-by", SortBy, "FIELD"),
    _choice("--sort-dir", SortDirection, "DIR"),
    option("--page-size", type=positive_count, metavar="N", help="items per request"),
)
_FILE_NAME = option("--file-name-contains", type=non_empty, metavar="TEXT", help="in any case")
_VERSION = option("--version", type=non_empty, help="latest (default), draft, or such as 1.0")
_PRIORITY = option("--priority", type=priority, metavar="N", help="1 (first) to 100 (last)")
_METADATA = option("--metadata", type=json_object, metavar="JSON", help="a JSON object to attach")
_DOCUMENT = "the document: a URL (http[s]://...) or a file id"
_TEXT = "or a text instead"

BATCH_RUNS = Area(
    "batch-runs", "batch processor runs", "batch_processor_runs", "batch processor run", "bpr_"
)
FILES = Area("files", "files", "files", "file", "file_")
PROCESSORS = Area("processors", "processors", "processors", "processor", "dp_")
PROCESSOR_RUNS = Area("processor-runs", "processor runs", "processor_runs", "processor run", "dpr_")
WORKFLOW_RUNS = Area(
    "workflow-runs", "workflow runs", "workflow_runs", "workflow run", "workflow_run_"
)

# fmt: off
COMMANDS: Final[tuple[Command, ...]] = (
    Command(BATCH_RUNS, "get", "show one batch processor run", "get", view=_render.BATCH_RUN),
    # A FAILED batch is an outcome like another: only a wait that ends in an error exits 1.
    Command(BATCH_RUNS, "wait", "wait until runs finish, with live progress", "wait",
            view=_render.BATCH_RUN),

    Command(FILES, "upload", "upload files (streamed, side by side), printing their ids",
            "upload",
            arguments=(option("--convert-to-pdf", action="store_true",
                              help="convert images and Office files to PDF"),)),
    Command(FILES, "get", "show one file (--text: with its raw text)", "get", view=_render.FILE,
            arguments=(option("--text", keyword="raw_text", action="store_true",
                              help="with the file's raw text"),)),
    Command(FILES, "list", "list files", "list", line=_render.file_line,
            arguments=(option("--name-contains", type=non_empty, metavar="TEXT",
                              help="in the file's name"),
                       _choice("--sort-dir", SortDirection, "DIR"),
                       option("--page-size", type=positive_count, metavar="N",
                              help="items per request"))),

    Command(PROCESSORS, "list", "list processors", "list", line=_render.processor_line,
            arguments=(_choice("--type", ProcessorType, "TYPE"), *_SORTING)),

    Command(PROCESSOR_RUNS, "get", "show one processor run", "get", view=_render.PROCESSOR_RUN),
    Command(PROCESSOR_RUNS, "list", "list processor runs", "list",
            line=_render.processor_run_line,
            arguments=(
                _choice("--status", ProcessorRunStatus, "STATUS"),
                _id_filter("--processor-id", "this processor"),
                _choice("--processor-type", ProcessorType, "TYPE"),
                _id_filter("--source-id", "this source (such as a workflow run)"),
                _choice("--source", ProcessorRunSource, "SOURCE", "what started them: "),
                _FILE_NAME,
                *_SORTING,
            )),
    Command(PROCESSOR_RUNS, "create", "run a processor on a document or a text", "create",
            view=_render.PROCESSOR_RUN, failed=frozenset({ProcessorRunStatus.FAILED}),
            arguments=(
                option("processor_id", type=non_empty, metavar="PROCESSOR_ID", help="dp_..."),
                OneOf((_inputs("file", _DOCUMENT, many=False),
                       _inputs("raw_text", _TEXT, many=False))),
                _VERSION,
                _PRIORITY,
                _METADATA,
                option("--sync", action="store_true",
                       help="the server answers when the run is done (up to 5 minutes)"),
            )),
    Command(PROCESSOR_RUNS, "wait", "wait until runs finish, with live progress", "wait",
            view=_render.PROCESSOR_RUN, failed=frozenset({ProcessorRunStatus.FAILED})),
    Command(PROCESSOR_RUNS, "cancel", "cancel a running processor run", "cancel",
            view=_render.PROCESSOR_RUN),

    Command(WORKFLOW_RUNS, "get", "show one workflow run", "get", view=_render.WORKFLOW_RUN),
    Command(WORKFLOW_RUNS, "list", "list workflow runs", "list",
            line=_render.workflow_run_line,
            arguments=(
                _choice("--status", WorkflowRunStatus, "STATUS"),
                _id_filter("--workflow-id", "this workflow"),
                _id_filter("--batch-id", "this batch"),
                _FILE_NAME,
                *_SORTING,
            )),
    Command(WORKFLOW_RUNS, "create", "run a workflow on documents or texts", "create",
            view=_render.WORKFLOW_RUN, failed=frozenset({WorkflowRunStatus.FAILED}),
            arguments=(
                option("workflow_id", type=non_empty, metavar="WORKFLOW_ID", help="workflow_..."),
                OneOf((_inputs("files", "a document: a URL or a file id", many=True),
                       _inputs("raw_texts", _TEXT, many=True))),
                _VERSION,
                _PRIORITY,
                _METADATA,
            )),
    Command(WORKFLOW_RUNS, "wait", "wait until runs finish, with live progress", "wait",
            view=_render.WORKFLOW_RUN, failed=frozenset({WorkflowRunStatus.FAILED}),
            arguments=(
                option("--until-review", keyword="until", action="store_const",
                       const=(WorkflowRunStatus.NEEDS_REVIEW.value,),
                       help="stop at runs waiting for a reviewer (NEEDS_REVIEW) too"),
            )),
    Command(WORKFLOW_RUNS, "cancel", "cancel a pending or running workflow run", "cancel",
            view=_render.WORKFLOW_RUN),
)
# fmt: on


def register(commands: Any) -> None:
    """Add the commands of the table to ``extend-async``."""
    _register(commands, COMMANDS)
