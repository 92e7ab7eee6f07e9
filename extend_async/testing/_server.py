"""``FakeExtendServer``: a local Extend API for tests, demos and benchmarks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import yarl
from aiohttp import web

from .._client import AsyncExtend
from .._clock import Clock
from .._config import DEFAULT_API_VERSION
from .._retry import RetryPolicy
from .._sync import Extend
from ..models import BatchProcessorRun
from ._app import ROUTE_NAMES, FakeState, build_app
from ._areas import Areas
from ._batch_runs import BatchRunFields, BatchRuns
from ._clock import ManualClock
from ._edit_runs import EditRuns, EditTemplates
from ._evaluation_sets import EvaluationSets
from ._events import FakeEvent
from ._faults import FaultPlan
from ._files import DEFAULT_MAX_UPLOAD_SIZE, Files
from ._journal import RequestJournal, RequestKey, RequestRecord
from ._lifecycle import Schedule
from ._parser_runs import ParserRuns
from ._processor_runs import ProcessorRuns
from ._processors import Processors
from ._rate_limit import RateLimiter
from ._store import FakeStore
from ._webhooks import Webhooks
from ._workflows import WorkflowRuns, Workflows

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["TESTING_RETRY", "FakeExtendServer", "NewBatchRun", "ServerOptions"]

#: Retries as in production, minus the waiting: what clients built by the fake use.
TESTING_RETRY = RetryPolicy(initial_backoff=0)

_BACKLOG = 4096  # thousands of clients may connect at once


class ServerOptions(TypedDict, total=False):
    """The constructor's options, for :meth:`FakeExtendServer.in_thread`."""

    token: str
    host: str
    port: int
    clock: Clock
    seed: int
    rate_limit: int | None
    start_time: datetime
    max_upload_size: int
    keep_uploads: bool


class NewBatchRun(BatchRunFields, total=False):
    """Fields of a new run plus its lifecycle (see :meth:`FakeExtendServer.add_batch_run`)."""

    processing_after: float
    finish_after: float
    finish_after_polls: int
    outcome: Literal["PROCESSED", "FAILED"]


class FakeExtendServer:
    """An in-memory Extend API (2025-04-21) on a real loopback socket.

    ``async with FakeExtendServer() as fake:`` serves from the running loop;
    ``with FakeExtendServer.in_thread() as fake:`` serves from a thread of its own, for
    synchronous code. It checks the bearer token and the API version header, moves
    runs through their lifecycles on ``clock`` (a :class:`ManualClock` unless given)
    or as they are polled, enforces ``rate_limit`` requests per second, and plays the
    faults scripted in :attr:`faults`. ``seed`` makes generated data and randomised
    faults reproduce. Uploads are streamed into a temporary directory of the fake's
    own, removed when it stops (``keep_uploads=False``: only their size and SHA-256
    are kept, nothing is written); one past ``max_upload_size`` bytes (2 GiB by
    default) is refused with a 400 ``FILE_SIZE_TOO_LARGE``.
    """

    def __init__(
        self,
        *,
        token: str = "test-token",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock | None = None,
        seed: int = 0,
        rate_limit: int | None = None,
        start_time: datetime | None = None,
        max_upload_size: int = DEFAULT_MAX_UPLOAD_SIZE,
        keep_uploads: bool = True,
    ) -> None:
        if not token:
            raise ValueError("token must be a non-empty string")
        if isinstance(max_upload_size, bool) or not isinstance(max_upload_size, int):
            raise TypeError(f"max_upload_size must be an int (bytes), got {max_upload_size!r}")
        if max_upload_size < 0:
            raise ValueError(f"max_upload_size must be >= 0 bytes, got {max_upload_size!r}")
        self.clock: Clock = clock if clock is not None else ManualClock()
        self.token = token
        self._host = host
        self._port = port
        start = start_time or datetime.now(timezone.utc).replace(microsecond=0)
        self._state = FakeState(
            areas=Areas(FakeStore(self.clock, start, seed)),
            faults=FaultPlan(ROUTE_NAMES, seed),
            limiter=RateLimiter(self.clock, rate_limit),
            journal=RequestJournal(),
            token=token,
            api_version=DEFAULT_API_VERSION,
            delayed=set(),
        )
        files = self._state.areas.files
        files.max_upload_size = max_upload_size
        files.keep_uploads = bool(keep_uploads)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    @classmethod
    @contextmanager
    def in_thread(cls, **options: Unpack[ServerOptions]) -> Iterator[FakeExtendServer]:
        """Serve from an event loop on a daemon thread: ready on enter; on exit the
        server is stopped and the thread joined. ``options`` are the constructor's.
        Seeding and inspection are safe from any thread."""
        from anyio.from_thread import start_blocking_portal

        fake = cls(**options)
        with start_blocking_portal("asyncio", name="extend-fake-server") as portal:
            portal.call(fake.start)
            try:
                yield fake
            finally:
                portal.call(fake.stop)

    # -- serving ----------------------------------------------------------------------

    async def start(self) -> None:
        """Start listening (on a free port when ``port`` is 0)."""
        if self._runner is not None:
            raise RuntimeError("this fake server is already running")
        # A client that hangs up ends its handler: else a half-sent upload answered
        # early would hold the shutdown for aiohttp's 10 s of lingering.
        runner = web.AppRunner(build_app(self._state), access_log=None, handler_cancellation=True)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self._host, self._port, backlog=_BACKLOG)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self._url = str(yarl.URL.build(scheme="http", host=host, port=port))
        self._state.areas.downloads.origin = self._url  # where presigned URLs point
        await self.webhooks.start(self._host)

    async def stop(self) -> None:
        """Stop listening and close every connection. Idempotent."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await self.webhooks.stop()  # no delivery outlives the server
            for task in self._state.delayed:
                task.cancel()  # a latency fault must not hold up the shutdown
            await runner.cleanup()
            self._state.areas.files.remove_uploads()

    async def __aenter__(self) -> FakeExtendServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The base URL to give a client, e.g. ``http://127.0.0.1:54321``."""
        if self._url is None:
            raise RuntimeError("the fake server has not been started")
        return self._url

    def client(self, **options: Any) -> AsyncExtend:
        """An :class:`AsyncExtend` on this server with its token and zero-wait retries.

        It shares the fake's clock, so its waits (Retry-After cooldowns, pacing) move
        simulated time instead of taking real time. ``options`` go to ``AsyncExtend``.
        """
        options.setdefault("clock", self.clock)
        return AsyncExtend(**self._client_options(options))

    def sync_client(self, **options: Any) -> Extend:
        """An :class:`Extend` on this server with its token and zero-wait retries."""
        return Extend(**self._client_options(options))

    def _client_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"token": self.token, "base_url": self.url, "retry": TESTING_RETRY, **options}

    # -- seeding ----------------------------------------------------------------------

    def add_batch_run(self, **fields: Unpack[NewBatchRun]) -> BatchProcessorRun:
        """Store a batch processor run and return it.

        Every model field may be given (snake_case); the rest are generated from the
        seeded RNG (``bpr_`` ids, processors, metrics, timestamps). Without a lifecycle
        the run is ``PROCESSED`` unless ``status`` says otherwise. With one it starts
        ``PENDING`` (when ``processing_after`` is given) or ``PROCESSING``, and ends as
        ``outcome`` (``"PROCESSED"`` or ``"FAILED"``) after ``finish_after`` seconds on
        :attr:`clock` or on GET number ``finish_after_polls``, whichever comes first.
        """
        schedule = Schedule(
            processing_after=fields.pop("processing_after", None),
            finish_after=fields.pop("finish_after", None),
            finish_after_polls=fields.pop("finish_after_polls", None),
            outcome=fields.pop("outcome", "PROCESSED"),
        )
        return self.batch_runs.add(fields, schedule)

    def seed_batch_runs(self, n: int, **fields: Unpack[NewBatchRun]) -> list[BatchProcessorRun]:
        """Store ``n`` runs, each as :meth:`add_batch_run` with the same ``fields``."""
        return [self.add_batch_run(**fields) for _ in range(n)]

    def get_batch_run(self, run_id: str) -> BatchProcessorRun:
        """A run as a GET would show it now, without counting as a poll (KeyError if absent)."""
        return self.batch_runs.get(run_id)

    def update_batch_run(self, run_id: str, **fields: Unpack[BatchRunFields]) -> BatchProcessorRun:
        """Change some fields of a stored run; a new status stamps ``updated_at``."""
        return self.batch_runs.update(run_id, fields)

    @property
    def batch_runs(self) -> BatchRuns:
        """The batch processor runs: ``add``, ``get``, ``update`` (see :meth:`add_batch_run`)."""
        return self._state.areas.batch_runs

    @property
    def edit_runs(self) -> EditRuns:
        """The edit runs: ``add``, ``get``; ``set_lifecycle`` and ``sync_wait`` for runs
        created through the API. Filled PDFs are served behind their ``downloadUrl``."""
        return self._state.areas.edit_runs

    @property
    def edit_templates(self) -> EditTemplates:
        """The saved edit templates: ``add``, ``get`` (served by Get Edit Template, used
        by edits given a ``template_id``)."""
        return self._state.areas.edit_templates

    @property
    def files(self) -> Files:
        """The files: ``add`` (as an upload would store one), ``get``, ``stored`` (with
        size, text, SHA-256 and, for uploads kept on disk, ``path``)."""
        return self._state.areas.files

    @property
    def parser_runs(self) -> ParserRuns:
        """The parser runs: ``get``; ``set_lifecycle`` (how Parse File Async runs move),
        ``refuse`` (a file whose parse fails with a code) and ``credits`` (402 when out)."""
        return self._state.areas.parser_runs

    @property
    def processors(self) -> Processors:
        """The processors and their versions: ``add``, ``get``, ``version``."""
        return self._state.areas.processors

    @property
    def processor_runs(self) -> ProcessorRuns:
        """The processor runs: ``add``, ``get``; ``set_lifecycle`` and ``sync_wait`` for
        runs created through the API."""
        return self._state.areas.processor_runs

    @property
    def workflows(self) -> Workflows:
        """The workflows and the processors each runs: ``add``, ``get``, ``processor_ids``."""
        return self._state.areas.workflows

    @property
    def workflow_runs(self) -> WorkflowRuns:
        """The workflow runs: ``add``, ``get``, ``review`` (finish a NEEDS_REVIEW run) and
        ``set_lifecycle`` (how runs started through the API move)."""
        return self._state.areas.workflow_runs

    @property
    def evaluation_sets(self) -> EvaluationSets:
        """The evaluation sets and their items: ``add``, ``add_item`` (an expected output
        generated to fit the set's processor unless given), ``get``, ``item``, ``items``."""
        return self._state.areas.evaluation_sets

    @property
    def webhooks(self) -> Webhooks:
        """Webhook deliveries: ``add_endpoint(url)`` POSTs every event from now on to
        ``url``, signed; ``deliveries`` is the journal, ``await drain()`` waits for them."""
        return self._state.areas.webhooks

    def advance(self, seconds: float) -> None:
        """Move the fake's :class:`ManualClock` on, and with it every scheduled run:
        runs due to end end now, and their events go out."""
        if not isinstance(self.clock, ManualClock):
            raise TypeError("advance() needs a ManualClock; this fake runs on another clock")
        self.clock.advance(seconds)
        with self._state.areas.store.lock:
            self._state.areas.advance_all()

    @property
    def events(self) -> list[FakeEvent]:
        """Every event the fake has announced (a run ended, ...), oldest first: what a
        webhook endpoint is sent."""
        store = self._state.areas.store
        with store.lock:
            return list(store.events.emitted)

    # -- behaviour --------------------------------------------------------------------

    @property
    def faults(self) -> FaultPlan:
        """Scripted faults: ``fake.faults.add(route="get_batch_processor_run", status=503)``."""
        return self._state.faults

    @property
    def rate_limit(self) -> int | None:
        """Requests per second per API key (None: unlimited). Settable at any time."""
        return self._state.limiter.limit

    @rate_limit.setter
    def rate_limit(self, value: int | None) -> None:
        self._state.limiter.limit = value

    # -- introspection ----------------------------------------------------------------

    @property
    def requests(self) -> Counter[RequestKey]:
        """Requests received, per route name and per ``(route, id)``, failed ones included."""
        return self._state.journal.counts

    @property
    def last_headers(self) -> dict[str, str]:
        """Headers of the latest request (``Authorization`` masked)."""
        return self._state.journal.last_headers

    @property
    def rate_limited(self) -> int:
        """How many 429 responses were served (rate limit and scripted ones)."""
        return self._state.journal.rate_limited

    @property
    def request_log(self) -> list[RequestRecord]:
        """The latest 10,000 requests: method, raw path, status, route, id, workspace."""
        return self._state.journal.log

    def __repr__(self) -> str:
        where = self._url or "not started"
        return f"<{type(self).__name__} {where}>"
