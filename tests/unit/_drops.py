"""Loopback handlers that break a connection in the ways a network does."""

from __future__ import annotations

import socket
import struct

import aiohttp.web


async def reset(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    """Answer with a TCP reset (RST), not a clean close."""
    transport = request.transport
    assert transport is not None
    sock = transport.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    return aiohttp.web.Response()


async def close_before_response(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    """Hang up without a byte of answer."""
    transport = request.transport
    assert transport is not None
    transport.close()
    return aiohttp.web.Response()


async def close_mid_body(request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
    """Send the headers and part of the body, then hang up."""
    response = aiohttp.web.StreamResponse(headers={"Content-Type": "application/json"})
    response.content_length = 1000
    await response.prepare(request)
    await response.write(b'{"success": true, "batchProcessorRun": {')
    assert request.transport is not None
    request.transport.close()
    return response


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
