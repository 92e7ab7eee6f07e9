"""Receiving a webhook: ``verify`` and ``parse`` against the bare standard library.

The delivery is what the package's fake POSTs when a workflow run completes
(``workflow_run.completed``: the run with an extraction output and a classification),
body and headers as an aiohttp receiver gets them (``request.headers``, a
``CIMultiDictProxy``). Timed, in this one process, variants rotating round by round,
each repeated for about half a second of CPU per round, figures the median of
``--repeats`` rounds:

- the baseline: the two headers looked up, ``hmac.new(...).hexdigest()`` of
  ``v0:{timestamp}:{body}``, ``hmac.compare_digest`` with the signature header, and
  ``json.loads`` of the body: the least any receiver can do;
- ``verify(body, headers, secret)``: the checks alone (header lookup, timestamp window,
  HMAC, constant-time compare);
- ``parse(body, headers, secret)``: verify, then the typed event (what a receiver calls);
- ``parse`` with the headers as ASGI gives them (a list of pairs of bytes).

``now=`` is the delivery's own timestamp, so a long run is never refused as too old.
Run: ``python bench/bench_webhooks.py [--repeats N] [--json PATH]``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import statistics
from collections.abc import Callable
from typing import Any

from _common import Report, cpu_per_call, emit, parse_options
from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from extend_async.models import ProcessorType, WebhookEventWorkflowRun
from extend_async.testing import FakeExtendServer
from extend_async.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, parse, verify

SECRET = "wss_bench_8f2c0a5d7e3b41c69a0f"

BASELINE = "bare hmac + compare_digest + json.loads (baseline)"
VERIFY = "verify(body, headers, secret)"
PARSE = "parse(body, headers, secret): verify, then the typed event"
PARSE_ASGI = "parse with ASGI headers (pairs of bytes)"


async def delivered() -> tuple[bytes, CIMultiDictProxy[str]]:
    """The ``workflow_run.completed`` delivery of a fake's run, as a receiver got it."""
    seen: list[tuple[bytes, CIMultiDictProxy[str]]] = []

    async def receive(request: web.Request) -> web.Response:
        seen.append((await request.read(), CIMultiDictProxy(CIMultiDict(request.headers))))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        async with FakeExtendServer(seed=7) as fake, fake.client() as client:
            fake.webhooks.add_endpoint(
                f"http://{host}:{port}/hook",
                secret=SECRET,
                event_types=["workflow_run.completed"],
            )
            extract = fake.processors.add(type=ProcessorType.EXTRACT)
            classify = fake.processors.add(type=ProcessorType.CLASSIFY)
            workflow = fake.workflows.add(processor_ids=[extract.id, classify.id])
            fake.workflow_runs.set_lifecycle(finish_after=1.0)
            await client.workflow_runs.create(workflow.id, raw_texts=["Invoice 7: 1,250 EUR"])
            fake.advance(1.0)
            await fake.webhooks.drain()
    finally:
        await runner.cleanup()
    (delivery,) = seen
    return delivery


def variants(body: bytes, headers: CIMultiDictProxy[str]) -> dict[str, Callable[[], object]]:
    now = float(headers[TIMESTAMP_HEADER])
    key = SECRET.encode()
    asgi = [(name.lower().encode(), value.encode()) for name, value in headers.items()]

    def bare() -> Any:
        timestamp = headers[TIMESTAMP_HEADER]
        signature = headers[SIGNATURE_HEADER]
        message = b"v0:" + timestamp.encode() + b":" + body
        expected = hmac.new(key, message, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise ValueError("signature mismatch")
        return json.loads(body)

    return {
        BASELINE: bare,
        VERIFY: lambda: verify(body, headers, SECRET, now=now),
        PARSE: lambda: parse(body, headers, SECRET, now=now),
        PARSE_ASGI: lambda: parse(body, asgi, SECRET, now=now),
    }


def check(work: dict[str, Callable[[], object]]) -> None:
    """Every variant accepts the delivery; both parses give the same completed run."""
    document = work[BASELINE]()
    work[VERIFY]()
    event = work[PARSE]()
    assert isinstance(event, WebhookEventWorkflowRun)
    assert event.event_type == "workflow_run.completed"
    assert event.payload.id == document["payload"]["id"]
    assert event.payload.outputs, "the run has no outputs: not a typical delivery"
    assert work[PARSE_ASGI]() == event


def build_report(body: bytes, results: dict[str, list[float]]) -> Report:
    medians = {name: statistics.median(seconds) for name, seconds in results.items()}
    baseline = medians[BASELINE]
    report = Report(
        title=f"Verifying and parsing a workflow_run.completed delivery of "
        f"{len(body) / 1024:.1f} KiB, medians of {len(results[BASELINE])} rounds",
        columns=["variant", "deliveries/s (CPU)", "CPU µs/delivery", "÷ baseline time"],
    )
    for name, seconds in medians.items():
        report.rows.append([name, 1 / seconds, seconds * 1e6, seconds / baseline])
    report.metrics["parse ÷ baseline, time per delivery"] = medians[PARSE] / baseline
    report.metrics["verify ÷ baseline, time per delivery"] = medians[VERIFY] / baseline
    rounds = [p / b for p, b in zip(results[PARSE], results[BASELINE], strict=True)]
    report.notes.append(
        f"parse ÷ baseline round by round: {min(rounds):.2f} to {max(rounds):.2f} "
        f"over {len(rounds)} rounds"
    )
    return report


def main() -> None:
    options = parse_options(__doc__ or "")
    body, headers = asyncio.run(delivered())
    work = variants(body, headers)
    check(work)
    results = cpu_per_call(work, options.repeats)
    emit(build_report(body, results), options)


if __name__ == "__main__":
    main()
