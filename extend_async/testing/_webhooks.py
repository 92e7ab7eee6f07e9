"""Webhook deliveries: every event the fake emits, POSTed and signed as Extend sends it.

Tests register endpoints (:meth:`Webhooks.add_endpoint`); each event an area emits is
then delivered to every endpoint that wants its type, as ``{"eventId", "eventType",
"payload"}`` with the ``x-extend-request-timestamp`` / ``-signature`` headers, from the
fake's own event loop on its own aiohttp session. A delivery that gets no 2xx (an
error status, a refused connection, no answer within 30 s) is tried again on a
bounded schedule measured on the fake's clock, with the same ``eventId``; with a
:class:`ManualClock` a retry is due once the test advances the clock past it.
:attr:`Webhooks.deliveries` is the journal of attempts, and :meth:`Webhooks.drain`
waits, without sleeping, until every delivery due has been attempted.

Runs end when polled or when the fake's clock is advanced. On a real clock nobody may
be polling once webhooks carry the news, so while endpoints exist the fake advances
its runs itself, twice a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import json
import logging
import math
import random
import string
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Final

import aiohttp
import attrs
import yarl

from .._version import user_agent
from ..models import WebhookEventType
from ..webhooks._signature import check_secret, signature_headers
from ._area import Area
from ._clock import ManualClock
from ._events import FakeEvent
from ._presigned import PresignedPayloads

__all__ = [
    "DELIVERY_TIMEOUT",
    "DRIVE_INTERVAL",
    "RETRY_DELAYS",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Webhooks",
]

logger = logging.getLogger("extend_async.testing")

#: Seconds before each retry of a failed delivery: attempt 2 comes 10 s after attempt
#: 1 failed, attempt 3 a minute after attempt 2, ... six attempts in all.
RETRY_DELAYS: Final = (10.0, 60.0, 300.0, 1800.0, 3600.0)
#: Seconds an endpoint has to answer before the attempt counts as failed (Extend's 30).
DELIVERY_TIMEOUT: Final = 30.0
#: Seconds between two moves of every run, on a real clock while endpoints exist.
DRIVE_INTERVAL: Final = 0.5
_MAX_IN_FLIGHT = 32
_ALPHABET = string.ascii_letters + string.digits


def _no_plain_string(value: object, name: str) -> None:
    if isinstance(value, str):
        raise TypeError(f"{name} must be a collection of event types, not one string")


@attrs.frozen
class WebhookEndpoint:
    """A URL the fake delivers to, with its signing secret (kept out of the repr).

    ``event_types`` None means every type. ``signed_urls`` True sends every payload by
    presigned URL, False none, a number those whose inline body would be larger than
    that many bytes.
    """

    id: str
    url: str
    secret: str = attrs.field(repr=False)
    event_types: frozenset[str] | None
    signed_urls: bool | int

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types

    def signs_url_for(self, size: int) -> bool:
        """Whether an inline body of ``size`` bytes goes by presigned URL instead."""
        if isinstance(self.signed_urls, bool):
            return self.signed_urls
        return size > self.signed_urls


@attrs.frozen
class WebhookDelivery:
    """One attempt at delivering an event: its answer (``status``) or why none came
    (``error``), and when the next attempt is due (``retry_in`` seconds; None when
    there is none: delivered, out of attempts, or the endpoint removed)."""

    event_id: str
    event_type: str
    endpoint_id: str
    url: str
    attempt: int
    status: int | None
    error: str | None
    at: datetime
    retry_in: float | None
    #: The exact body sent (signed-URL deliveries: the ``{"data": url}`` envelope).
    body: bytes = attrs.field(repr=False)

    @property
    def ok(self) -> bool:
        """True when the endpoint answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


@attrs.frozen
class _Pending:
    event: FakeEvent
    endpoint: WebhookEndpoint
    attempt: int


class _Running:
    """What exists only while the fake serves: its loop, the worker and the session."""

    def __init__(self, loop: asyncio.AbstractEventLoop, payloads: PresignedPayloads) -> None:
        self.loop = loop
        self.payloads = payloads
        self.wake = asyncio.Event()
        self.progress = asyncio.Event()
        self.slots = asyncio.Semaphore(_MAX_IN_FLIGHT)
        self.in_flight: set[asyncio.Task[None]] = set()
        self.session: aiohttp.ClientSession | None = None
        self.worker: asyncio.Task[None] | None = None

    def client_session(self) -> aiohttp.ClientSession:
        if self.session is None:
            self.session = aiohttp.ClientSession(trust_env=False)
        return self.session


class Webhooks(Area):
    """The fake's webhook endpoints, the deliveries due, and the journal of attempts."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        # Its own generator: adding endpoints never changes the ids a seed gives to runs.
        self._rng = self.store.rng_for("webhooks")
        self._endpoints: dict[str, WebhookEndpoint] = {}
        self._due: list[tuple[float, int, _Pending]] = []
        self._order = itertools.count()
        self._journal: list[WebhookDelivery] = []
        self._retry_delays: tuple[float, ...] = RETRY_DELAYS
        self._timeout = DELIVERY_TIMEOUT
        self._running: _Running | None = None
        self.store.events.subscribe(self._heard)

    # -- endpoints and settings (from tests, any thread) ----------------------------

    def add_endpoint(
        self,
        url: str,
        *,
        secret: str | None = None,
        event_types: Collection[WebhookEventType | str] | None = None,
        signed_urls: bool | int = False,
    ) -> WebhookEndpoint:
        """Deliver every event from now on to ``url`` (only ``event_types``, when given).

        ``secret`` is the signing secret (default: a ``wss_`` one from the fake's seed).
        ``signed_urls``: True delivers every payload by presigned URL, a number of bytes
        those whose inline body would be larger.
        """
        parsed = yarl.URL(url) if isinstance(url, str) else None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError(f"url must be an absolute http(s) URL, got {url!r}")
        if secret is not None:
            check_secret(secret)
        types: frozenset[str] | None = None
        if event_types is not None:
            _no_plain_string(event_types, "event_types")
            types = frozenset(str(WebhookEventType(kind)) for kind in event_types)
        if not isinstance(signed_urls, (bool, int)) or signed_urls < 0:
            raise ValueError(f"signed_urls must be True, False or bytes >= 0, got {signed_urls!r}")
        with self.store.lock:
            endpoint = WebhookEndpoint(
                id="whe_" + "".join(self._rng.choices(_ALPHABET, k=20)),
                url=url,
                secret=secret or "wss_" + "".join(self._rng.choices(_ALPHABET, k=32)),
                event_types=types,
                signed_urls=signed_urls,
            )
            self._endpoints[endpoint.id] = endpoint
        self._wake_soon()  # on a real clock, the runs start moving by themselves
        return endpoint

    def remove_endpoint(self, endpoint: WebhookEndpoint | str) -> None:
        """Deliver nothing more to this endpoint (its pending retries are dropped)."""
        endpoint_id = endpoint.id if isinstance(endpoint, WebhookEndpoint) else endpoint
        with self.store.lock:
            if self._endpoints.pop(endpoint_id, None) is None:
                raise KeyError(f"no webhook endpoint with id {endpoint_id!r}")

    @property
    def endpoints(self) -> list[WebhookEndpoint]:
        """The endpoints registered, oldest first."""
        with self.store.lock:
            return list(self._endpoints.values())

    @property
    def deliveries(self) -> list[WebhookDelivery]:
        """Every attempt so far, in the order they were answered (or failed)."""
        with self.store.lock:
            return list(self._journal)

    @property
    def retry_delays(self) -> tuple[float, ...]:
        """Seconds on the fake's clock before each retry (default :data:`RETRY_DELAYS`);
        a delivery is attempted at most ``len(retry_delays) + 1`` times."""
        with self.store.lock:
            return self._retry_delays

    @retry_delays.setter
    def retry_delays(self, delays: Sequence[float]) -> None:
        _no_plain_string(delays, "retry_delays")
        chosen = tuple(float(delay) for delay in delays)
        if not all(math.isfinite(delay) and delay >= 0 for delay in chosen):
            raise ValueError(f"retry_delays must be seconds >= 0, got {delays!r}")
        with self.store.lock:
            self._retry_delays = chosen

    @property
    def timeout(self) -> float:
        """Seconds an endpoint has to answer (default 30, as Extend)."""
        with self.store.lock:
            return self._timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not (
            isinstance(seconds, (int, float)) and math.isfinite(seconds) and seconds > 0
        ):
            raise ValueError(f"timeout must be seconds > 0, got {seconds!r}")
        with self.store.lock:
            self._timeout = float(seconds)

    # -- waiting for deliveries --------------------------------------------------------

    async def drain(self) -> None:
        """Return once every delivery due now (on the fake's clock) has been attempted
        and answered, retries that came due included. Deliveries due later (a retry
        whose time has not come) are left to come. On the fake's own loop."""
        running = self._running
        if running is None:
            raise RuntimeError("the fake server is not running: nothing is delivered")
        if asyncio.get_running_loop() is not running.loop:
            raise RuntimeError(
                "drain() runs on the fake server's event loop; from another thread "
                "call drain_blocking()"
            )
        running.wake.set()  # the worker reads the clock again: it may have been moved
        while True:
            with self.store.lock:
                now = self.store.clock.monotonic()
                busy = bool(running.in_flight) or bool(self._due and self._due[0][0] <= now)
            if not busy:
                return
            running.progress.clear()
            await running.progress.wait()

    def drain_blocking(self, timeout: float | None = None) -> None:
        """:meth:`drain` for a fake on its own thread (``FakeExtendServer.in_thread``),
        from any other thread; ``timeout`` bounds the wait (TimeoutError past it)."""
        running = self._running
        if running is None:
            raise RuntimeError("the fake server is not running: nothing is delivered")
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        if current is running.loop:
            raise RuntimeError("drain_blocking() would block the fake's own loop: await drain()")
        asyncio.run_coroutine_threadsafe(self.drain(), running.loop).result(timeout)

    # -- the fake's life (on its loop) ------------------------------------------------

    async def start(self, host: str) -> None:
        """Start delivering: called when the fake starts serving."""
        loop = asyncio.get_running_loop()
        payloads = PresignedPayloads(self.store.clock, host, random.Random(self._rng.random()))
        running = _Running(loop, payloads)
        running.worker = loop.create_task(self._work(running), name="extend-fake-webhooks")
        self._running = running

    async def stop(self) -> None:
        """Stop delivering, cancel what is in flight and close the session. Idempotent;
        deliveries still due stay queued for a restart."""
        running, self._running = self._running, None
        if running is None:
            return
        tasks = [task for task in (running.worker, *running.in_flight) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if running.session is not None:
            await running.session.close()
        await running.payloads.stop()

    def advance_all(self) -> None:
        """The clock moved: retries may be due (called with every area's ``advance_all``)."""
        self._wake_soon()

    # -- pieces ---------------------------------------------------------------------

    def _heard(self, event: FakeEvent) -> None:
        """An event was emitted (under the store's lock, on any thread): queue it."""
        now = self.store.clock.monotonic()
        for endpoint in self._endpoints.values():
            if endpoint.wants(event.event_type):
                self._queue(now, _Pending(event, endpoint, 1))
        self._wake_soon()

    def _queue(self, due: float, pending: _Pending) -> None:
        heapq.heappush(self._due, (due, next(self._order), pending))

    def _wake_soon(self) -> None:
        running = self._running
        if running is not None:
            # RuntimeError: the loop closed under us, the fake is stopping.
            with contextlib.suppress(RuntimeError):
                running.loop.call_soon_threadsafe(running.wake.set)

    def _next_wake(self) -> float | None:
        """Seconds until the worker must look again by itself (None: until woken)."""
        if isinstance(self.store.clock, ManualClock):
            return None  # nothing comes due until the test moves the clock
        with self.store.lock:
            waits = [DRIVE_INTERVAL] if self._endpoints else []
            if self._due:
                waits.append(max(0.0, self._due[0][0] - self.store.clock.monotonic()))
        return min(waits) if waits else None

    async def _work(self, running: _Running) -> None:
        while True:
            running.wake.clear()
            self._dispatch(running)
            running.progress.set()
            try:
                await asyncio.wait_for(running.wake.wait(), self._next_wake())
            except asyncio.TimeoutError:
                with self.store.lock:
                    if self._endpoints:  # a real clock: move every run, as time has
                        self.areas.advance_all()

    def _dispatch(self, running: _Running) -> None:
        """Start an attempt for every delivery due now."""
        due = []
        with self.store.lock:
            now = self.store.clock.monotonic()
            while self._due and self._due[0][0] <= now:
                pending = heapq.heappop(self._due)[2]
                if pending.endpoint.id in self._endpoints:
                    due.append(pending)
        for pending in due:
            task = running.loop.create_task(self._attempt(running, pending))
            running.in_flight.add(task)
            task.add_done_callback(lambda done: self._attempted(running, done))

    def _attempted(self, running: _Running, task: asyncio.Task[None]) -> None:
        running.in_flight.discard(task)
        running.progress.set()
        if not task.cancelled() and task.exception() is not None:
            logger.error("webhook delivery failed inside the fake", exc_info=task.exception())

    async def _attempt(self, running: _Running, pending: _Pending) -> None:
        async with running.slots:
            body = await self._body(running, pending)
            headers = {
                "Content-Type": "application/json",
                "User-Agent": user_agent(),
                **signature_headers(body, pending.endpoint.secret),
            }
            timeout = self.timeout
            status: int | None = None
            error: str | None = None
            try:
                async with running.client_session().post(
                    pending.endpoint.url,
                    data=body,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=timeout),
                    allow_redirects=False,
                ) as response:
                    await response.read()
                    status = response.status
            except asyncio.TimeoutError:
                error = f"no answer within {timeout:g} s"
            except (aiohttp.ClientError, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            self._record(pending, body, status, error)

    async def _body(self, running: _Running, pending: _Pending) -> bytes:
        """What this attempt sends: the event inline, or by a fresh presigned URL."""
        event = pending.event
        inline = _encode(event.document())
        if not pending.endpoint.signs_url_for(len(inline)):
            return inline
        url = await running.payloads.publish(_encode(event.payload))
        return _encode({**event.document(), "payload": {"data": url}})

    def _record(
        self, pending: _Pending, body: bytes, status: int | None, error: str | None
    ) -> None:
        with self.store.lock:
            delivery = WebhookDelivery(
                event_id=pending.event.event_id,
                event_type=pending.event.event_type,
                endpoint_id=pending.endpoint.id,
                url=pending.endpoint.url,
                attempt=pending.attempt,
                status=status,
                error=error,
                at=self.store.now(),
                retry_in=None,
                body=body,
            )
            delays = self._retry_delays
            if (
                not delivery.ok
                and pending.endpoint.id in self._endpoints
                and pending.attempt <= len(delays)
            ):
                retry_in = delays[pending.attempt - 1]
                delivery = attrs.evolve(delivery, retry_in=retry_in)
                again = _Pending(pending.event, pending.endpoint, pending.attempt + 1)
                self._queue(self.store.clock.monotonic() + retry_in, again)
                self._wake_soon()  # a retry may be due at once (a delay of 0)
            self._journal.append(delivery)


def _encode(document: object) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
