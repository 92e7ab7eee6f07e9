"""What the ``extend_async`` logger says about attempts and retries."""

from __future__ import annotations

import logging
import re

import aiohttp
import pytest

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"
PATH = f"/batch_processor_runs/{RUN_ID}"


def lines(caplog, level: int) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "extend_async" and r.levelno == level
    ]


async def test_one_debug_line_per_attempt_and_one_info_line_per_retry(
    make_client, mocked, run_url, run_body, caplog, exact_retry
) -> None:
    mocked.get(run_url(), status=503, payload={"error": "down"})
    mocked.get(run_url(), exception=aiohttp.ServerDisconnectedError())
    mocked.get(run_url(), payload=run_body)

    with caplog.at_level(logging.DEBUG, logger="extend_async"):
        async with make_client(retry=exact_retry()) as client:
            await client.batch_processor_runs.get(RUN_ID)

    debug = lines(caplog, logging.DEBUG)
    assert len(debug) == 3
    assert re.fullmatch(rf"GET {PATH} -> 503 \(attempt 1, \d+\.\d ms\)", debug[0])
    assert debug[1] == f"GET {PATH} -> APIConnectionError (attempt 2)"
    assert re.fullmatch(rf"GET {PATH} -> 200 \(attempt 3, \d+\.\d ms\)", debug[2])
    assert lines(caplog, logging.INFO) == [
        f"retrying GET {PATH} in 0.500 s (retry 1 of 2) after HTTP 503",
        f"retrying GET {PATH} in 1.000 s (retry 2 of 2) after APIConnectionError",
    ]


async def test_a_final_failure_logs_its_attempts_and_no_further_retry(
    make_client, mocked, run_url, caplog, fetch_error
) -> None:
    mocked.get(run_url(), status=404, payload={"error": "missing"})

    with caplog.at_level(logging.DEBUG, logger="extend_async"):
        async with make_client() as client:
            await fetch_error(client)

    assert len(lines(caplog, logging.DEBUG)) == 1
    assert lines(caplog, logging.DEBUG)[0].startswith(f"GET {PATH} -> 404 (attempt 1, ")
    assert lines(caplog, logging.INFO) == []


async def test_the_retry_line_shows_a_server_hint(
    make_client, mocked, run_url, run_body, caplog
) -> None:
    mocked.get(run_url(), status=429, headers={"Retry-After": "2.5"})
    mocked.get(run_url(), payload=run_body)

    with caplog.at_level(logging.INFO, logger="extend_async"):
        async with make_client() as client:
            await client.batch_processor_runs.get(RUN_ID)

    assert lines(caplog, logging.INFO) == [
        f"retrying GET {PATH} in 2.500 s (retry 1 of 2) after HTTP 429"
    ]
    assert lines(caplog, logging.DEBUG) == []


@pytest.mark.parametrize("level", [logging.INFO, logging.WARNING])
async def test_attempt_lines_are_skipped_above_debug(
    make_client, mocked, run_url, run_body, caplog, level
) -> None:
    mocked.get(run_url(), payload=run_body)

    with caplog.at_level(level, logger="extend_async"):
        async with make_client() as client:
            await client.batch_processor_runs.get(RUN_ID)

    assert [r for r in caplog.records if r.name == "extend_async"] == []
