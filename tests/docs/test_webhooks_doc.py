"""Every example of docs/webhooks.md runs as it is: the aiohttp receiver gets
deliveries from the fake over loopback, the plain ASGI one is driven as an ASGI server
would, and the fragments (verify and parse, signed URLs, the fake in a test) run with
the names they take as given (``body``, ``headers``, ``secret``, ``receiver_url``)."""

from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from webhooks._receiver import Receiver

from extend_async import AsyncExtend
from extend_async.models import WebhookEventProcessorRun
from extend_async.testing import FakeExtendServer
from extend_async.webhooks import signature_headers, verify

PAGE = (Path(__file__).parents[2] / "docs" / "webhooks.md").read_text("utf-8")
#: Each Python block of the page under the title of the section it is in (a heading,
#: text with no other heading or fence, then the block).
EXAMPLES = dict(
    re.findall(r"^#+ ([^\n]+)\n(?:(?!^#|```).)*```python\n(.*?)^```$", PAGE, re.M | re.S)
)
SECRET = "wss_documented_receiver"


def load(title: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """The example's module namespace, imported (not run as a script)."""
    monkeypatch.setenv("EXTEND_WEBHOOK_SECRET", SECRET)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace: dict[str, Any] = {"__name__": "documented_receiver"}
    exec(compile(EXAMPLES[title], f"docs/webhooks.md: {title}", "exec"), namespace)
    return namespace


async def run_fragment(title: str, **given: Any) -> dict[str, Any]:
    """Run a fragment of the page (top-level ``await`` allowed) with the names in
    ``given`` defined; its namespace afterwards."""
    code = compile(
        EXAMPLES[title], f"docs/webhooks.md: {title}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    )
    namespace: dict[str, Any] = {"__name__": "documented_fragment", **given}
    result = eval(code, namespace)
    if inspect.iscoroutine(result):
        await result
    return namespace


async def finish_a_run(fake: FakeExtendServer, client: AsyncExtend) -> str:
    """A processor run created and ended, its deliveries answered: the run's id."""
    fake.processor_runs.set_lifecycle(finish_after=1.0)
    run = await client.processor_runs.create(fake.processors.add().id, raw_text="x")
    fake.advance(1.0)
    await fake.webhooks.drain()
    return run.id


def test_the_page_has_every_example() -> None:
    assert list(EXAMPLES) == [
        "Verify and parse",
        "An aiohttp receiver",
        "A plain ASGI receiver",
        "Signed-URL deliveries",
        "Testing a receiver against the fake",
    ]


async def test_the_aiohttp_receiver_gets_the_fakes_deliveries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakeExtendServer(seed=5) as fake, fake.client() as client:
        example = load("An aiohttp receiver", monkeypatch, EXTEND_API_KEY=fake.token)
        runner = web.AppRunner(example["make_app"](), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            host, port = runner.addresses[0][:2]
            url = f"http://{host}:{port}/webhooks/extend"
            fake.webhooks.add_endpoint(url, secret=SECRET, signed_urls=True)
            fake.processor_runs.set_lifecycle(finish_after=1.0)
            run = await client.processor_runs.create(fake.processors.add().id, raw_text="x")
            await client.workflows.create(name="Claims")
            fake.advance(1.0)
            await fake.webhooks.drain()
        finally:
            await runner.cleanup()

    assert [d.status for d in fake.webhooks.deliveries] == [200, 200]
    assert sorted(capsys.readouterr().out.splitlines()) == [
        f"processor_run.processed {run.id} PROCESSED",
        "workflow.created ignored",
    ]


async def test_the_verify_and_parse_fragment_types_a_delivery_and_refuses_a_forgery() -> None:
    async with Receiver() as receiver, FakeExtendServer(seed=3) as fake, fake.client() as client:
        fake.webhooks.add_endpoint(receiver.url, secret=SECRET)
        run_id = await finish_a_run(fake, client)
    (seen,) = receiver.seen

    trusted = await run_fragment(
        "Verify and parse", body=seen.body, headers=seen.headers, secret=SECRET
    )
    forged = await run_fragment(
        "Verify and parse", body=seen.body, headers=seen.headers, secret="wss_not_the_one"
    )

    assert isinstance(trusted["event"], WebhookEventProcessorRun)
    assert trusted["event"].payload.id == run_id
    assert "event" not in forged  # refused: the fragment's except branch ran


async def test_the_signed_url_fragment_fetches_the_payload_from_the_fake(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with Receiver() as receiver, FakeExtendServer(seed=4) as fake, fake.client() as client:
        fake.webhooks.add_endpoint(receiver.url, secret=SECRET, signed_urls=True)
        run_id = await finish_a_run(fake, client)
        (seen,) = receiver.seen
        monkeypatch.setenv("EXTEND_API_KEY", fake.token)
        monkeypatch.setenv("EXTEND_BASE_URL", fake.url)
        fragment = await run_fragment(
            "Signed-URL deliveries", body=seen.body, headers=seen.headers, secret=SECRET
        )

    assert list(json.loads(seen.body)["payload"]) == ["data"]  # the body held a URL only
    assert isinstance(fragment["event"], WebhookEventProcessorRun)
    assert fragment["event"].payload.id == run_id
    assert fragment["same"] == fragment["event"]


async def test_the_fake_fragment_delivers_a_signed_event_to_a_receiver() -> None:
    async with Receiver() as receiver:
        fragment = await run_fragment(
            "Testing a receiver against the fake", receiver_url=receiver.url
        )
    (seen,) = receiver.seen

    verify(seen.body, seen.headers, fragment["endpoint"].secret)
    assert fragment["endpoint"].secret.startswith("wss_")
    assert json.loads(seen.body)["payload"]["id"] == fragment["run"].id


class Asgi:
    """Drives an ASGI app as a server would: one request, the answer collected."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def request(
        self, body: bytes, headers: list[tuple[bytes, bytes]], *, method: str = "POST"
    ) -> tuple[int, str]:
        chunks = [body[: len(body) // 2], body[len(body) // 2 :]]  # in two parts
        messages = [
            {"type": "http.request", "body": chunk, "more_body": n == 0}
            for n, chunk in enumerate(chunks)
        ]
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop(0)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": method, "path": "/", "headers": headers}
        await self.app(scope, receive, send)
        start, content = sent
        assert start["type"] == "http.response.start"
        return start["status"], content["body"].decode().strip()


def as_asgi(headers: Any) -> list[tuple[bytes, bytes]]:
    """Headers as an ASGI server hands them over: lower-case names, bytes."""
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]


async def test_the_asgi_receiver_verifies_and_handles_each_event_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    example = load("A plain ASGI receiver", monkeypatch)
    asgi = Asgi(example["app"])
    async with Receiver() as receiver, FakeExtendServer(seed=9) as fake, fake.client() as client:
        receiver.statuses = [500]  # the first attempt fails: the fake sends it again
        fake.webhooks.add_endpoint(receiver.url, secret=SECRET)
        await finish_a_run(fake, client)
        fake.advance(10.0)
        await fake.webhooks.drain()
    first, retry = receiver.seen
    event_id = json.loads(first.body)["eventId"]

    assert await asgi.request(first.body, as_asgi(first.headers)) == (200, "ok")
    assert await asgi.request(retry.body, as_asgi(retry.headers)) == (200, "already handled")
    assert capsys.readouterr().out == f"handled processor_run.processed {event_id}\n"
    status, text = await asgi.request(first.body + b" ", as_asgi(first.headers))
    assert (status, text.split(":")[0]) == (401, "the signature does not match the body")
    status, text = await asgi.request(first.body, [(b"content-type", b"application/json")])
    assert status == 401
    assert text.startswith("the x-extend-request-timestamp header is missing")
    not_json = b"<html></html>"
    status, text = await asgi.request(not_json, as_asgi(signature_headers(not_json, SECRET)))
    assert status == 400
    assert await asgi.request(b"", [], method="GET") == (405, "POST only")
    assert example["HANDLED"].keys() == {event_id}


async def test_the_asgi_receiver_answers_500_when_handling_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    example = load("A plain ASGI receiver", monkeypatch)

    async def broken(event: Any) -> None:
        raise RuntimeError("the database is down")

    example["handle"] = broken
    body = b'{"eventId":"event_7","eventType":"workflow.deleted","payload":{}}'

    assert await Asgi(example["app"]).request(body, as_asgi(signature_headers(body, SECRET))) == (
        500,
        "failed",
    )
    assert example["HANDLED"] == {}  # not remembered: the retry is handled


async def test_the_asgi_receiver_does_the_lifespan_protocol(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    example = load("A plain ASGI receiver", monkeypatch)
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await example["app"]({"type": "lifespan"}, receive, send)

    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]
