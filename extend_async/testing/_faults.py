"""Scripted faults: which requests fail, how, and how many times.

Pure bookkeeping (no I/O): the app asks :meth:`FaultPlan.take` for each request and
plays the fault it gets. Faults fire in the order they were added; randomness (only
with ``probability`` below 1) comes from a seeded RNG, so a failing run reproduces.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Collection
from typing import Final, Literal, get_args

import attrs

__all__ = ["Fault", "FaultKind", "FaultPlan"]

FaultKind = Literal[
    "status",
    "disconnect",
    "disconnect_mid_request",
    "disconnect_mid_body",
    "truncated_json",
    "non_json",
    "html",
]

_KINDS: Final = frozenset(get_args(FaultKind))
#: Kinds that mangle the genuine response, so the request is served first.
_AFTER_SERVING: Final = frozenset({"truncated_json", "disconnect_mid_body"})
_DEFAULT_STATUS: Final[dict[str, int]] = {"html": 502, "non_json": 200}


@attrs.frozen
class Fault:
    """One scripted fault (see :meth:`FaultPlan.add` for the meaning of each field)."""

    route: str
    id: str | None
    kind: FaultKind | None
    status: int | None
    retry_after: int | None
    latency: float
    body: object
    probability: float

    @property
    def after_serving(self) -> bool:
        """Whether the fault mangles the real response rather than replacing it."""
        return self.kind in _AFTER_SERVING


@attrs.define
class _Armed:
    fault: Fault
    remaining: int | None


class FaultPlan:
    """The faults scripted on one fake server (``fake.faults``)."""

    def __init__(self, routes: Collection[str], seed: int) -> None:
        self._routes = frozenset(routes)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._armed: list[_Armed] = []

    def add(
        self,
        *,
        route: str,
        id: str | None = None,
        kind: FaultKind | None = None,
        status: int | None = None,
        times: int | None = None,
        retry_after: int | None = None,
        latency: float = 0.0,
        body: object = None,
        probability: float = 1.0,
    ) -> Fault:
        """Script a fault on ``route`` (an operation name such as
        ``"get_batch_processor_run"``), for every id or only ``id``.

        ``kind``: ``"status"`` (answer ``status``, optionally with ``Retry-After:
        retry_after`` and a JSON ``body``), ``"disconnect"`` (close the connection
        before answering), ``"disconnect_mid_request"`` (read the first chunk of the
        request's body, an upload's say, then close), ``"disconnect_mid_body"`` (send
        the headers and half the real body, then close), ``"truncated_json"`` (the
        real response cut in half),
        ``"non_json"`` (plain text, 200 by default) or ``"html"`` (a gateway error page,
        502 by default). Giving only ``status`` means ``"status"``; giving only
        ``latency`` delays the request, which is then served normally. ``latency`` (in
        seconds, real time) combines with every kind. The fault hits the next ``times``
        matching requests (None: all of them), each with ``probability``.
        """
        if route not in self._routes:
            raise ValueError(f"unknown route {route!r}; known routes: {sorted(self._routes)}")
        if kind is None and status is not None:
            kind = "status"
        if kind is not None and kind not in _KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose from {sorted(_KINDS)}")
        if kind is None and not latency:
            raise ValueError("a fault needs a kind, a status or a latency")
        if kind is not None and status is None:
            status = _DEFAULT_STATUS.get(kind)
        if kind == "status" and not (status is not None and 400 <= status <= 599):
            raise ValueError(f"a status fault needs an error status (400-599), got {status!r}")
        if status is not None and kind not in ("status", "html", "non_json"):
            raise ValueError(f"a {kind!r} fault does not take a status")
        if retry_after is not None and (status is None or retry_after < 0):
            raise ValueError("retry_after needs a status and must be >= 0 seconds")
        if body is not None and kind != "status":
            raise ValueError("only a status fault takes a body")
        if times is not None and times < 1:
            raise ValueError(f"times must be >= 1 or None (always), got {times!r}")
        if not (math.isfinite(latency) and latency >= 0):
            raise ValueError(f"latency must be seconds >= 0, got {latency!r}")
        if not 0 < probability <= 1:
            raise ValueError(f"probability must be in (0, 1], got {probability!r}")
        fault = Fault(route, id, kind, status, retry_after, float(latency), body, probability)
        with self._lock:
            self._armed.append(_Armed(fault, times))
        return fault

    def clear(self) -> None:
        """Remove every scripted fault."""
        with self._lock:
            self._armed.clear()

    @property
    def pending(self) -> list[Fault]:
        """Faults that can still fire, in firing order."""
        with self._lock:
            return [armed.fault for armed in self._armed]

    def take(self, route: str | None, run_id: str | None) -> Fault | None:
        """The fault for this request, if any, counted as used."""
        if not self._armed:  # the common case, without taking the lock
            return None
        with self._lock:
            for index, armed in enumerate(self._armed):
                fault = armed.fault
                if fault.route != route or (fault.id is not None and fault.id != run_id):
                    continue
                if fault.probability < 1 and self._rng.random() >= fault.probability:
                    continue
                if armed.remaining is not None:
                    armed.remaining -= 1
                    if armed.remaining == 0:
                        del self._armed[index]
                return fault
        return None
