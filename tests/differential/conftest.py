"""Fixtures of the differential check, and its count of official-client calls.

Every call the official client makes through ``Official.call`` / ``Official.fails`` is
counted for the whole session; the terminal summary reports it as "official client: N
calls over M endpoints". The official SDK is imported only by the fixtures, so without
it the test modules skip and nothing here fails.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from differential._routes import official_routes

from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official


class SessionTally:
    """Official-client calls of the whole session, per route."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        #: Calls that asked for an error answer (404, 401, 400) on purpose.
        self.failed: Counter[str] = Counter()
        #: Outputs the client's own constructor misread, by what it made of them.
        self.misreads: Counter[str] = Counter()
        self.misread_bodies = 0
        #: Bodies the official models refuse for a contradiction of the reference.
        self.contradictions: Counter[str] = Counter()

    def add(self, route: str, *, ok: bool) -> None:
        self.calls[route] += 1
        if not ok:
            self.failed[route] += 1

    def misread(self, route: str, paths: list[tuple[str, str]]) -> None:
        self.misread_bodies += 1
        self.misreads.update(what for _, what in paths)

    def contradicted(self, route: str, what: str) -> None:
        self.contradictions[what] += 1

    def summary(self) -> str:
        return f"official client: {self.calls.total()} calls over {len(self.calls)} endpoints"


_TALLY = pytest.StashKey[SessionTally]()


@pytest.fixture(scope="session")
def tally(request: pytest.FixtureRequest) -> SessionTally:
    return request.config.stash.setdefault(_TALLY, SessionTally())


@pytest.fixture
def fake() -> Iterator[FakeExtendServer]:
    with FakeExtendServer.in_thread(seed=11) as server:
        yield server


@pytest.fixture
def official(fake: FakeExtendServer, tally: SessionTally) -> Iterator[Official]:
    from differential._support import Official

    with Official(fake, tally) as client:
        yield client


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    tally = config.stash.get(_TALLY, None)
    if tally is None:
        return
    terminalreporter.write_sep("-", "differential check: the official SDK against the fake")
    terminalreporter.write_line(tally.summary())
    per_route = ", ".join(f"{route} {count}" for route, count in sorted(tally.calls.items()))
    terminalreporter.write_line(f"  per endpoint: {per_route}")
    missed = [route for route in official_routes() if route not in tally.calls]
    if missed:
        terminalreporter.write_line(f"  not called in this run: {', '.join(missed)}")
    errors = tally.failed.total()
    if errors:
        terminalreporter.write_line(f"  of which {errors} asked for an error answer on purpose")
    for what, count in tally.contradictions.most_common():
        terminalreporter.write_line(
            f"  it cannot read {count} bodies that follow the reference: {what}"
        )
    if tally.misread_bodies:
        terminalreporter.write_line(
            f"  its own constructor misread {tally.misreads.total()} outputs in"
            f" {tally.misread_bodies} bodies that its types accept (an undiscriminated union):"
        )
        for what, count in tally.misreads.most_common():
            terminalreporter.write_line(f"    {count} x {what}")
