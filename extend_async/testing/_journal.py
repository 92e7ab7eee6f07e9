"""What the fake saw: request counts, the last request's headers, a log of outcomes.

Read by tests to assert retries, polling and headers. Thread-safe; every accessor
returns a snapshot. The API key never leaves here: ``Authorization`` is masked.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Mapping

import attrs

__all__ = ["RequestJournal", "RequestRecord"]

_LOG_LENGTH = 10_000
_MASK = "********"

RequestKey = str | tuple[str, str]


@attrs.frozen
class RequestRecord:
    """One request: ``status`` is None when the connection was dropped before any answer."""

    method: str
    path: str
    status: int | None
    route: str | None
    id: str | None
    workspace_id: str | None


def _masked(headers: Mapping[str, str]) -> dict[str, str]:
    shown = dict(headers)
    for name in shown:
        if name.lower() == "authorization":
            scheme, _, credential = shown[name].partition(" ")
            shown[name] = f"{scheme} {_MASK}" if credential else _MASK
    return shown


class RequestJournal:
    """Counts per route and per (route, id), the last headers, and the latest outcomes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[RequestKey] = Counter()
        self._last_headers: Mapping[str, str] = {}
        self._log: deque[RequestRecord] = deque(maxlen=_LOG_LENGTH)
        self._rate_limited = 0

    def arrived(self, route: str | None, run_id: str | None, headers: Mapping[str, str]) -> None:
        """Count a request as it arrives (so retries that fail count too)."""
        with self._lock:
            self._last_headers = headers
            if route is not None:
                self._counts[route] += 1
                if run_id is not None:
                    self._counts[route, run_id] += 1

    def answered(self, record: RequestRecord) -> None:
        """Log how a request ended."""
        with self._lock:
            self._log.append(record)
            if record.status == 429:
                self._rate_limited += 1

    @property
    def counts(self) -> Counter[RequestKey]:
        with self._lock:
            return self._counts.copy()

    @property
    def last_headers(self) -> dict[str, str]:
        with self._lock:
            return _masked(self._last_headers)

    @property
    def log(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._log)

    @property
    def rate_limited(self) -> int:
        with self._lock:
            return self._rate_limited
