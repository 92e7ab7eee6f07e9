"""Presigned downloads: the content behind the URLs the fake hands out.

The API gives some results as a presigned URL on a storage host (an edited PDF's
``downloadUrl``) that is fetched without the API's token. The fake serves those URLs
itself, outside the API: no token, no version header, no rate limit, as a storage host
would. A URL is signed and expires like a presigned one: 15 minutes after it was
issued, on the fake's clock, it answers 403 and so does any URL whose signature does
not match.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from typing import Any, Final
from urllib.parse import quote, urlencode

import attrs
from aiohttp import web

from ._area import Area, route

__all__ = ["EXPIRES_AFTER", "Downloads", "presigned_query", "presigned_refusal", "storage_error"]

#: Seconds a download URL stays valid (the 900 of the API's ``X-Amz-Expires``).
EXPIRES_AFTER: Final = 900
#: What signs the URLs: they are made unguessable to nobody, only tamper-evident.
_KEY: Final = b"extend-async fake downloads"
_DATE_FORMAT: Final = "%Y%m%dT%H%M%SZ"


@attrs.frozen
class _Blob:
    content: bytes
    content_type: str
    name: str


class Downloads(Area):
    """The downloadable contents, by key, and the presigned URLs to them."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._blobs: dict[str, _Blob] = {}
        #: The fake's base URL, which download URLs start with (set when it starts).
        self.origin: str | None = None

    def put(self, key: str, content: bytes, *, content_type: str, name: str) -> None:
        """Make ``content`` downloadable under ``key`` (replacing what was there)."""
        with self.store.lock:
            self._blobs[key] = _Blob(content, content_type, name)

    def remove(self, key: str) -> None:
        """Make ``key`` undownloadable: its URLs answer 404 from now on."""
        with self.store.lock:
            self._blobs.pop(key, None)

    def url(self, key: str) -> str | None:
        """A presigned URL to ``key``, issued now and valid for :data:`EXPIRES_AFTER` s
        (None while the fake is not serving: there is no host to point at yet)."""
        if self.origin is None:
            return None
        query = presigned_query(key, self.store.now())
        return f"{self.origin}/downloads/{quote(key, safe='')}?{query}"

    @route("download", "GET", "/downloads/{id}", public=True)
    async def download(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["id"]
        with self.store.lock:
            refusal = presigned_refusal(request, key, self.store.now())
            blob = self._blobs.get(key)
        if refusal is not None:
            return refusal
        if blob is None:
            return storage_error(404, "NoSuchKey", "The specified key does not exist.")
        return web.Response(
            body=blob.content,
            content_type=blob.content_type,
            headers={"Content-Disposition": f'attachment; filename="{blob.name}"'},
        )


def presigned_query(resource: str, now: datetime, expires: int = EXPIRES_AFTER) -> str:
    """The query that presigns ``resource`` (a key or a path), issued at ``now`` and
    valid for ``expires`` seconds: the validity is signed too, so it cannot be stretched."""
    date = now.astimezone(timezone.utc).strftime(_DATE_FORMAT)
    signature = _signature(resource, date, str(expires))
    return urlencode({"X-Amz-Date": date, "X-Amz-Expires": expires, "X-Amz-Signature": signature})


def presigned_refusal(request: web.Request, resource: str, now: datetime) -> web.Response | None:
    """The storage host's 403 for a URL to ``resource`` that is forged, malformed or
    expired at ``now``; None for a valid one."""
    query = request.query
    date, expires = query.get("X-Amz-Date", ""), query.get("X-Amz-Expires", "")
    if not hmac.compare_digest(
        query.get("X-Amz-Signature", ""), _signature(resource, date, expires)
    ):
        return storage_error(403, "SignatureDoesNotMatch", "The signature does not match.")
    try:  # signed, yet perhaps not what this fake wrote
        issued = datetime.strptime(date, _DATE_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return storage_error(403, "AccessDenied", "X-Amz-Date is not a valid date")
    if not expires.isdigit():
        return storage_error(403, "AccessDenied", "X-Amz-Expires is not a number of seconds")
    lifetime = timedelta(seconds=int(expires))
    if now > issued + lifetime:
        return storage_error(403, "AccessDenied", "Request has expired")
    return None


def _signature(resource: str, date: str, expires: str) -> str:
    message = f"{resource}\n{date}\n{expires}".encode()
    return hmac.new(_KEY, message, hashlib.sha256).hexdigest()


def storage_error(status: int, code: str, message: str) -> web.Response:
    """An error as a storage host words it (XML, not the API's JSON)."""
    body = f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
    body += f"<Message>{message}</Message></Error>"
    return web.Response(status=status, body=body.encode(), content_type="application/xml")
