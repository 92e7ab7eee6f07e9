"""A ready aiohttp.web handler for an Extend webhook endpoint.

It answers as a receiver must: 401 for a delivery it cannot trust, 400 for a trusted
body that is not an event, 502 when a signed-URL payload cannot be fetched, 500 when
the callback fails, 200 once the callback has returned. The callback is awaited
before answering, so a failure reaches Extend as a 5xx and the delivery is retried;
the price is that the callback must end well inside Extend's 30 s timeout (hand long
work to a queue). Answers carry a one-line reason, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from ..errors import ExtendError
from ..models.webhooks import WebhookEvent
from ._errors import InvalidBodyError, WebhookVerificationError
from ._parse import parse
from ._signature import DEFAULT_TOLERANCE, check_secret, check_tolerance

if TYPE_CHECKING:
    from .._client import AsyncExtend

__all__ = ["WebhookCallback", "aiohttp_handler"]

logger = logging.getLogger("extend_async.webhooks")

#: What the handler calls with each verified event.
WebhookCallback = Callable[[WebhookEvent], Awaitable[object]]
Handler = Callable[[web.Request], Awaitable[web.Response]]


def _answer(status: int, reason: str) -> web.Response:
    return web.Response(status=status, text=reason + "\n")


def _secret_of(secret: str | None, client: AsyncExtend | None) -> str:
    if secret is not None:
        check_secret(secret)
        return secret
    configured = client.config.webhook_secret if client is not None else None
    if configured is None:
        raise ValueError(
            "aiohttp_handler() needs the endpoint's signing secret: pass secret=..., or a "
            "client made with webhook_secret=... (or EXTEND_WEBHOOK_SECRET)"
        )
    return configured.reveal()


def aiohttp_handler(
    callback: WebhookCallback,
    *,
    secret: str | None = None,
    client: AsyncExtend | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Handler:
    """An aiohttp.web handler that verifies each delivery and awaits ``callback(event)``.

    ``app.router.add_post("/webhooks/extend", aiohttp_handler(on_event, secret=...))``.
    ``secret`` is the endpoint's signing secret (default: the client's
    ``webhook_secret``). With ``client`` (an ``AsyncExtend``), signed-URL deliveries
    are fetched and the callback gets the typed event; without one it gets the
    ``WebhookEventSignedUrl``. ``tolerance`` is :func:`verify`'s. Extend retries a
    delivery until it gets a 2xx, so the same ``event_id`` can arrive more than once:
    de-duplicating is the callback's to do.
    """
    from .._client import AsyncExtend  # the client imports this package

    if not callable(callback):
        raise TypeError(f"callback must be an async callable, got {type(callback).__name__}")
    if client is not None and not isinstance(client, AsyncExtend):
        raise TypeError(f"client must be an AsyncExtend, got {type(client).__name__}")
    key = _secret_of(secret, client)
    check_tolerance(tolerance)  # refused now, not on the first delivery

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        try:
            event = parse(body, request.headers, key, tolerance=tolerance)
        except InvalidBodyError as error:
            logger.warning("webhook delivery refused (400): %s", error)
            return _answer(400, str(error))
        except WebhookVerificationError as error:
            logger.warning("webhook delivery refused (401): %s", error)
            return _answer(401, str(error))
        if client is not None:
            try:
                event = await client.webhooks.resolve(event)
            except ExtendError as error:
                logger.warning("webhook %s: payload not fetched: %s", event.event_id, error)
                return _answer(502, f"the signed-URL payload could not be fetched: {error}")
        try:
            await callback(event)
        except Exception:
            logger.exception("webhook %s (%s): callback failed", event.event_id, event.event_type)
            return _answer(500, "the receiver failed to handle the event")
        return _answer(200, "ok")

    return handle
