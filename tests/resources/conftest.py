"""Fixtures for the endpoint tests: a mocked API that records exactly what was sent."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import attrs
import pytest
import yarl
from aioresponses import aioresponses

from extend_async import AsyncExtend, Extend, RetryPolicy
from extend_async._converter import converter
from extend_async._version import user_agent
from extend_async.models import File

BASE_URL = "https://api.extend.ai"
TOKEN = "sk_endpoint_tests_token"
EXAMPLES = Path(__file__).parents[1] / "data" / "examples"
#: The headers of every request to the API, and of one with a JSON body.
GET_HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "x-extend-api-version": "2025-04-21",
    "User-Agent": user_agent(),
    "Accept": "application/json",
}
POST_HEADERS = {**GET_HEADERS, "Content-Type": "application/json"}


def example(name: str) -> Any:
    """The reference's example body ``tests/data/examples/<name>.json``, decoded."""
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def uploaded_file() -> File:
    """A file as Upload File returns it, for calls that take a ``File``."""
    uploaded: File = converter.structure(
        {
            "object": "file",
            "id": "file_abc",
            "name": "a.pdf",
            "metadata": {},
            "createdAt": "2024-03-21T15:30:00Z",
            "updatedAt": "2024-03-21T15:30:00Z",
        },
        File,
    )
    return uploaded


@attrs.frozen
class Sent:
    """One request as it left the client."""

    method: str
    url: yarl.URL
    headers: dict[str, str]
    json: Any
    #: A streamed body (an upload), as the payload handed to aiohttp.
    payload: aiohttp.Payload | None = None

    @property
    def path(self) -> str:
        return self.url.raw_path

    @property
    def query(self) -> dict[str, str]:
        return dict(self.url.query)


class Api:
    """aioresponses with a reply per (method, path) and a record of every request."""

    def __init__(self, mocked: aioresponses) -> None:
        self._mocked = mocked

    def reply(self, method: str, path: str, body: Any, status: int = 200) -> None:
        pattern = re.compile(re.escape(BASE_URL + path) + r"(\?.*)?$")
        self._mocked.add(pattern, method, status=status, body=json.dumps(body), repeat=True)

    @property
    def sent(self) -> list[Sent]:
        out = []
        for (method, url), calls in self._mocked.requests.items():
            for call in calls:
                kwargs = call.kwargs  # aioresponses keys by the URL with its query merged
                data = kwargs.get("data")
                streamed = isinstance(data, aiohttp.Payload)
                out.append(
                    Sent(
                        method=method,
                        url=url,
                        headers=dict(kwargs.get("headers") or {}),
                        json=None if data is None or streamed else json.loads(data),
                        payload=data if streamed else None,
                    )
                )
        return out

    @property
    def timeouts(self) -> list[Any]:
        """The per-request timeout of each request sent, in the order first sent
        (None: the session's own)."""
        return [
            call.kwargs.get("timeout") for calls in self._mocked.requests.values() for call in calls
        ]

    @property
    def last(self) -> Sent:
        sent = self.sent
        assert sent, "nothing was sent"
        return sent[-1]


@pytest.fixture
def api() -> Iterator[Api]:
    with aioresponses() as mocked:
        yield Api(mocked)


@pytest.fixture
def client() -> Callable[..., AsyncExtend]:
    def build(**options: Any) -> AsyncExtend:
        options.setdefault("retry", RetryPolicy(max_retries=0))
        return AsyncExtend(TOKEN, base_url=BASE_URL, **options)

    return build


@pytest.fixture
def sync_client() -> Iterator[Extend]:
    with Extend(TOKEN, base_url=BASE_URL, retry=RetryPolicy(max_retries=0)) as extend:
        yield extend
