"""``download()``: content behind a URL the API handed out, fetched without our headers."""

from __future__ import annotations

import aiohttp.web
import pytest

from extend_async import APIConnectionError, AsyncExtend, AuthenticationError, Extend, NotFoundError
from extend_async.testing import FakeExtendServer

from .conftest import TOKEN


async def test_the_bytes_come_back_and_no_api_header_goes_with_them(loopback) -> None:
    async def content(request: aiohttp.web.Request) -> aiohttp.web.Response:
        return aiohttp.web.Response(body=b"%PDF-1.7 parsed chunks", content_type="application/pdf")

    loopback.respond = content
    async with AsyncExtend(token=TOKEN, base_url=loopback.url) as client:
        data = await client.download(f"{loopback.url}/presigned/run.json?X-Amz-Signature=abc")

    assert data == b"%PDF-1.7 parsed chunks"
    (request,) = loopback.seen
    assert request.path == "/presigned/run.json"
    assert request.query["X-Amz-Signature"] == "abc"
    sent = {name.lower() for name in request.headers}
    assert "authorization" not in sent
    assert "x-extend-api-version" not in sent
    assert TOKEN not in repr(dict(request.headers))


async def test_a_failed_download_raises_the_status_error_with_the_url(loopback) -> None:
    async def gone(request: aiohttp.web.Request) -> aiohttp.web.Response:
        return aiohttp.web.Response(status=404, text="<Error>NoSuchKey</Error>")

    loopback.respond = gone
    url = f"{loopback.url}/presigned/missing.json"
    async with AsyncExtend(token=TOKEN, base_url=loopback.url) as client:
        with pytest.raises(NotFoundError) as info:
            await client.download(url)

    assert info.value.status_code == 404
    assert info.value.url == url
    assert "NoSuchKey" in str(info.value)


async def test_an_unreachable_host_is_a_connection_error(unused_tcp_port) -> None:
    async with AsyncExtend(token=TOKEN) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.download(f"http://127.0.0.1:{unused_tcp_port}/file")

    assert info.value.may_have_been_sent is False


@pytest.mark.parametrize("url", ["/relative/path", "ftp://host/file", "https://", "file:///etc"])
async def test_a_url_that_is_not_absolute_http_is_refused(url) -> None:
    async with AsyncExtend(token=TOKEN) as client:
        with pytest.raises(ValueError, match="absolute http"):
            await client.download(url)


def test_the_blocking_client_runs_the_same_download() -> None:
    # The fake refuses any request without the token: proof that none went with it.
    with FakeExtendServer.in_thread() as fake, fake.sync_client() as client:
        with pytest.raises(AuthenticationError) as info:
            client.download(f"{fake.url}/no/such/file")
        with pytest.raises(TypeError, match=r"^Extend\.download\(\) missing .*'url'"):
            client.download()  # type: ignore[call-arg]

    assert info.value.url == f"{fake.url}/no/such/file"
    assert Extend.download.__doc__ == AsyncExtend.download.__doc__
