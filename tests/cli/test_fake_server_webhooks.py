"""``extend-async fake-server --webhook-url URL``: every event POSTed to URL, signed with
the announced secret, with nobody polling the run that ended."""

from __future__ import annotations

import http.server
import queue
import threading
from collections.abc import Iterator

import pytest
from cli._support import serving, serving_json

from extend_async import Extend
from extend_async.models import WebhookEventProcessorRun, WebhookEventWorkflowRun
from extend_async.webhooks import parse

SECRET = "wss_cli_receiver_secret"
Delivery = tuple[dict[str, str], bytes]


@pytest.fixture
def receiver() -> Iterator[tuple[str, queue.Queue[Delivery]]]:
    """A plain HTTP receiver on loopback answering 200: its URL, and what it got."""
    got: queue.Queue[Delivery] = queue.Queue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.put((dict(self.headers.items()), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/extend", got
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_runs_created_through_the_api_are_delivered_signed_without_polling(
    receiver: tuple[str, queue.Queue[Delivery]],
) -> None:
    url, got = receiver
    with serving_json("--webhook-url", url, "--webhook-secret", SECRET) as fake:
        with Extend(fake["token"], base_url=fake["url"]) as client:
            run = client.processor_runs.create(fake["processorIds"][0], raw_text="INV-7")
            (flow_run,) = client.workflow_runs.create(fake["workflowIds"][0], raw_texts=["x"])
        deliveries = [got.get(timeout=30) for _ in range(2)]  # no GET made: they end alone
    events = [parse(body, headers, SECRET) for headers, body in deliveries]

    assert fake["webhooks"] == [{"url": url, "secret": SECRET}]
    by_type = {str(event.event_type): event for event in events}
    assert set(by_type) == {"processor_run.processed", "workflow_run.completed"}
    processed = by_type["processor_run.processed"]
    assert isinstance(processed, WebhookEventProcessorRun)
    assert (processed.payload.id, str(processed.payload.status)) == (run.id, "PROCESSED")
    completed = by_type["workflow_run.completed"]
    assert isinstance(completed, WebhookEventWorkflowRun)
    assert completed.payload.id == flow_run.id


def test_the_announcement_names_each_endpoint_and_its_secret(
    receiver: tuple[str, queue.Queue[Delivery]],
) -> None:
    url, _ = receiver
    with serving("--webhook-url", url, "--webhook-url", url + "/2") as out:
        lines = [out.readline().rstrip("\n") for _ in range(5)]
    with serving_json("--webhook-url", url, "--webhook-url", url + "/2") as announced:
        pass

    secrets = [hook["secret"] for hook in announced["webhooks"]]
    assert [hook["url"] for hook in announced["webhooks"]] == [url, url + "/2"]
    assert all(secret.startswith("wss_") for secret in secrets)
    assert len(set(secrets)) == 2  # one per endpoint, from the seed
    assert lines[3:] == [
        f"  webhook deliveries to {url}, signed with {secrets[0]}",
        f"  webhook deliveries to {url}/2, signed with {secrets[1]}",
    ]
