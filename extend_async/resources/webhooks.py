"""Webhooks: deliveries checked with the client's signing secret, and signed-URL
payloads fetched on the client's connection pool.

Not an API area (Extend configures webhooks in its dashboard, and the 2025-04-21 API
has no webhook endpoints): these calls check what Extend sends and, for a delivery by
signed URL, download its payload with :meth:`AsyncExtend.download`.
"""

from __future__ import annotations

from typing import get_args

import yarl

from .. import _json
from .._introspect import refused_by_public_name
from .._sync_bridge import SyncResource, sync_method
from .._transport import display_url
from ..errors import ExtendError, ResponseValidationError, body_excerpt
from ..models.webhooks import WebhookEvent, WebhookEventSignedUrl
from ..webhooks._headers import Headers
from ..webhooks._parse import parse
from ..webhooks._signature import DEFAULT_TOLERANCE
from ._base import AsyncResource

__all__ = ["AsyncWebhooks", "Webhooks"]

_EVENT_CLASSES: tuple[type[object], ...] = get_args(WebhookEvent)


class AsyncWebhooks(AsyncResource):
    """Webhook deliveries, for a receiver that holds a client.

    ``unwrap`` verifies a delivery, parses it and fetches a signed-URL payload, giving
    the typed event in every case; ``resolve`` fetches the payload of an event already
    parsed (by :func:`extend_async.webhooks.parse`). The secret defaults to the
    client's ``webhook_secret`` (``EXTEND_WEBHOOK_SECRET``).
    """

    @refused_by_public_name
    async def unwrap(
        self,
        body: bytes,
        headers: Headers,
        *,
        secret: str | None = None,
        tolerance: float = DEFAULT_TOLERANCE,
        now: float | None = None,
    ) -> WebhookEvent:
        """The typed event of a delivery: verified (``WebhookVerificationError`` if it
        must be refused), parsed, and for a signed-URL delivery its payload fetched.

        ``body`` is the raw request body (bytes), ``headers`` the request's headers in
        any form; ``tolerance`` and ``now`` are those of
        :func:`extend_async.webhooks.verify`.
        """
        if secret is None:
            configured = self._pipeline.config.webhook_secret
            if configured is None:
                raise ExtendError(
                    f"{self._name}.unwrap(): no signing secret: pass secret=..., or make the "
                    "client with webhook_secret=... (or set EXTEND_WEBHOOK_SECRET)"
                )
            secret = configured.reveal()
        event = parse(body, headers, secret, tolerance=tolerance, now=now)
        return await self.resolve(event)

    @refused_by_public_name
    async def resolve(self, event: WebhookEvent) -> WebhookEvent:
        """A signed-URL event with its payload fetched (its presigned URL, valid for an
        hour, is downloaded without the API's headers); any other event as it is.

        A failed download raises the status or connection error of
        :meth:`AsyncExtend.download`, a payload that is not a JSON object a
        :class:`ResponseValidationError`.
        """
        if not isinstance(event, _EVENT_CLASSES):
            raise TypeError(
                f"{self._name}.resolve() takes a parsed webhook event, got {type(event).__name__}"
            )
        if not isinstance(event, WebhookEventSignedUrl):
            return event
        content = await self._pipeline.download(event.payload.url)
        try:
            payload = _json.loads(content)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise ResponseValidationError(
                "the signed-URL payload is not a JSON object",
                status_code=200,
                body=body_excerpt(content),
                method="GET",
                url=display_url(yarl.URL(event.payload.url)),
            )
        return event.with_payload(payload)


class Webhooks(SyncResource[AsyncWebhooks]):
    """Blocking twin of :class:`AsyncWebhooks`."""

    unwrap = sync_method(AsyncWebhooks.unwrap)
    resolve = sync_method(AsyncWebhooks.resolve)
