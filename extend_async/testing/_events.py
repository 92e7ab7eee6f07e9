"""What the fake announces: each run that ends and each change to a processor or a
workflow, as the webhook event Extend would send for it.

Areas call :meth:`Events.emit` at the moment a thing happens; listeners (the webhook
deliveries) hear each event once, and tests read :attr:`Events.emitted`. Event ids come
from their own seeded generator, so emitting never changes the ids or outputs a seed
gives to runs.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from typing import Any

import attrs

from .._converter import to_dict
from ..models import WebhookEventType

__all__ = ["Events", "FakeEvent"]

_ID_ALPHABET = string.ascii_letters + string.digits


@attrs.frozen
class FakeEvent:
    """One event: what a delivery's body holds, in wire form."""

    event_id: str
    event_type: str
    payload: dict[str, Any]

    def document(self) -> dict[str, Any]:
        """The JSON body of a delivery of this event."""
        return {"eventId": self.event_id, "eventType": self.event_type, "payload": self.payload}


class Events:
    """The events of one fake, in the order they happened. Called under the store's lock."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"events-{seed}")
        self._listeners: list[Callable[[FakeEvent], None]] = []
        self.emitted: list[FakeEvent] = []

    def emit(self, event_type: WebhookEventType, payload: object) -> FakeEvent:
        """Record that ``event_type`` happened to ``payload`` (a model) and tell every
        listener."""
        event_id = "event_" + "".join(self._rng.choices(_ID_ALPHABET, k=22))
        event = FakeEvent(event_id, str(event_type), to_dict(payload))
        self.emitted.append(event)
        for listener in self._listeners:
            listener(event)
        return event

    def subscribe(self, listener: Callable[[FakeEvent], None]) -> None:
        """Hear every event from now on (called with the store's lock held: be quick)."""
        self._listeners.append(listener)
