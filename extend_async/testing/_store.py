"""What every area of the fake shares: its clock and wall time, a seeded RNG, one lock,
and the events it announces.

Thread-safe through that one lock, because a test seeds and inspects from its own
thread while a threaded fake answers requests on another. Each API area keeps its own
objects (see ``_area.py``); this holds only what they have in common.
"""

from __future__ import annotations

import random
import string
import threading
from datetime import datetime, timedelta

from .._clock import Clock
from ._events import Events

__all__ = ["FakeStore"]

_ID_ALPHABET = string.ascii_letters + string.digits


class FakeStore:
    """Time, randomness, the lock and the events of one fake server."""

    def __init__(self, clock: Clock, start_time: datetime, seed: int) -> None:
        self.clock = clock
        self._origin = clock.monotonic()
        self._start_time = start_time
        self.seed = seed
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        self.events = Events(seed)

    def now(self) -> datetime:
        """The fake's wall-clock time: the start time moved on by its clock."""
        return self.wall_time(self.clock.monotonic())

    def wall_time(self, monotonic: float) -> datetime:
        """The wall-clock time of a reading of the fake's clock."""
        return self._start_time + timedelta(seconds=monotonic - self._origin)

    def new_id(self, prefix: str, length: int = 22) -> str:
        """An id shaped like the API's: a prefix and mixed-case letters and digits."""
        return prefix + "".join(self.rng.choices(_ID_ALPHABET, k=length))
