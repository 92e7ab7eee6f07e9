"""Differential check, parser runs (rows 13 to 16): Parse File (Async), Get, Delete.

Each target, chunking strategy and block option, OCR words, the url form, a run while
it is parsed and one that failed, read by the official SDK from the fake and compared
with what the fake holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from extend_async.models import ParserRunState, ParserRunStatus
from extend_async.testing import FakeExtendServer

if TYPE_CHECKING:
    from differential._support import Official

extend_ai = pytest.importorskip("extend_ai")

CONFIGS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "spatial-document": {"target": "spatial", "chunkingStrategy": {"type": "document"}},
    "sections-bounded": {
        "chunkingStrategy": {
            "type": "section",
            "options": {"minCharacters": 200, "maxCharacters": 900},
        }
    },
    "every-block-option": {
        "engine": "parse_light",
        "blockOptions": {
            "figures": {"enabled": True, "figureImageClippingEnabled": False},
            "tables": {"targetFormat": "html", "cellBlocksEnabled": True},
            "text": {"signatureDetectionEnabled": True},
        },
        "advancedOptions": {"pageRanges": [{"start": 2, "end": 3}], "returnOcr": {"words": True}},
    },
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_config_parses_into_what_the_fake_holds(
    fake: FakeExtendServer, official: Official, name: str
) -> None:
    file = fake.files.add("Q3-statement.pdf", size=4 * 50_000)

    parsed = official.call(
        "parse_file", official.client.parse, file={"fileId": file.id}, config=CONFIGS[name]
    )
    fetched = official.call("get_parser_run", official.client.parser_run.get, parsed.id)

    official.agree(parsed, fake.parser_runs.get(parsed.id))
    official.agree(fetched.parser_run, fake.parser_runs.get(parsed.id))
    assert fetched.parser_run.object == "parser_run"
    if name == "every-block-option":
        assert parsed.ocr is not None
        assert parsed.ocr.words
        assert {c.metadata.page_range.start for c in parsed.chunks} == {2, 3}


def test_the_url_form_and_the_status_form(fake: FakeExtendServer, official: Official) -> None:
    fake.parser_runs.set_lifecycle(finish_after_polls=2)
    sdk = official.client
    file = fake.files.add("lease.pdf", size=2 * 50_000)

    pointed = official.call("parse_file", sdk.parse, file={"fileId": file.id}, response_type="url")
    started = official.call("parse_file_async", sdk.parse_async, file={"fileId": file.id})
    running = official.call("get_parser_run", sdk.parser_run.get, started.id).parser_run
    done = official.call(
        "get_parser_run", sdk.parser_run.get, started.id, response_type="url"
    ).parser_run
    deleted = official.call("delete_parser_run", sdk.parser_run.delete, started.id)

    assert [chunk.blocks for chunk in pointed.chunks] == [[], []]
    assert all(chunk.content.startswith(fake.url + "/presigned/") for chunk in pointed.chunks)
    assert (started.object, started.status) == ("parser_run_status", "PROCESSING")
    assert running.object == "parser_run_status"
    official.agree(running, ParserRunStatus(id=started.id, status=ParserRunState.PROCESSING))
    assert done.object == "parser_run"
    assert len(done.chunks) == 2
    assert deleted.parser_run_id == started.id


def test_a_failed_run(fake: FakeExtendServer, official: Official) -> None:
    sdk = official.client
    file = fake.files.add("scan.pdf")
    fake.parser_runs.refuse(file.id, code="CORRUPT_FILE")
    fake.parser_runs.set_lifecycle()  # ended when created

    started = official.call("parse_file_async", sdk.parse_async, file={"fileId": file.id})
    failed = official.call("get_parser_run", sdk.parser_run.get, started.id).parser_run
    refused = official.fails(
        "parse_file", 422, extend_ai.UnprocessableEntityError, sdk.parse, file={"fileId": file.id}
    )

    assert (started.status, started.failure_reason) == ("FAILED", "CORRUPT_FILE")
    assert failed.object == "parser_run"
    assert (failed.status, failed.failure_reason, failed.chunks) == ("FAILED", "CORRUPT_FILE", [])
    official.agree(failed, fake.parser_runs.get(started.id))
    assert refused.body.code == "CORRUPT_FILE"
    assert refused.body.request_id.startswith("req_")
