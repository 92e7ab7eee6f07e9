"""Client configuration: arguments, environment fallbacks, validation, and token secrecy."""

from __future__ import annotations

import logging
import math

import aiohttp
import attrs
import pytest

from extend_async import (
    DEFAULT_API_VERSION,
    DEFAULT_BASE_URL,
    AsyncExtend,
    ExtendError,
    RetryPolicy,
    Timeout,
)
from extend_async._config import Secret

RUN_ID = "bpr_Xj8mK2pL9nR4vT7qY5wZ"


def test_the_token_comes_from_the_argument(token) -> None:
    client = AsyncExtend(token)

    assert client.config.token.reveal() == token
    assert client.config.headers["Authorization"] == f"Bearer {token}"


def test_the_token_falls_back_to_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("EXTEND_API_KEY", "sk_from_env")

    assert AsyncExtend().config.token.reveal() == "sk_from_env"
    assert AsyncExtend("sk_from_arg").config.token.reveal() == "sk_from_arg"


@pytest.mark.parametrize("env", [None, ""])
def test_no_token_is_refused_at_construction(monkeypatch, env) -> None:
    if env is not None:
        monkeypatch.setenv("EXTEND_API_KEY", env)

    with pytest.raises(ExtendError) as info:
        AsyncExtend()

    assert str(info.value) == (
        "no API token: pass token=... or set the EXTEND_API_KEY environment variable"
    )


def test_an_empty_token_argument_is_refused() -> None:
    with pytest.raises(ExtendError, match="no API token"):
        AsyncExtend("")


@pytest.mark.parametrize("bad", [" sk_padded", "sk_padded ", "sk_line\nbreak", "sk_tab\t"])
def test_a_token_with_whitespace_is_refused_without_echoing_it(bad) -> None:
    with pytest.raises(ExtendError) as info:
        AsyncExtend(bad)

    assert str(info.value) == (
        "the API token must be a string without surrounding whitespace or control characters"
    )
    assert "sk_" not in repr(info.value)


@pytest.mark.parametrize("bad", ["sk_carriage\rreturn", "sk_nul\x00byte"])
def test_a_token_with_control_characters_is_refused_at_construction(bad) -> None:
    # Otherwise aiohttp refuses the header on the first request with a bare ValueError.
    with pytest.raises(ExtendError) as info:
        AsyncExtend(bad)

    assert "sk_" not in str(info.value)


@pytest.mark.parametrize("source", ["argument", "environment"])
def test_a_workspace_id_that_cannot_be_a_header_is_refused_at_construction(
    token, monkeypatch, source
) -> None:
    # A trailing newline is what ``EXTEND_WORKSPACE_ID=$(cat ws.txt)`` gives.
    kwargs = {"workspace_id": "ws_1\n"} if source == "argument" else {}
    if source == "environment":
        monkeypatch.setenv("EXTEND_WORKSPACE_ID", "ws_1\n")

    with pytest.raises((ExtendError, ValueError), match="workspace"):
        AsyncExtend(token, **kwargs)


def test_defaults(token) -> None:
    config = AsyncExtend(token).config

    assert config.base_url == DEFAULT_BASE_URL == "https://api.extend.ai"
    assert config.api_version == DEFAULT_API_VERSION == "2025-04-21"
    assert config.workspace_id is None
    assert config.timeout == Timeout(total=60.0, connect=10.0)
    assert config.retry == RetryPolicy()
    assert config.max_concurrency == 32
    assert config.max_requests_per_second is None
    assert config.client_timeout == aiohttp.ClientTimeout(total=60.0, sock_connect=10.0)


@pytest.mark.parametrize(
    ("given", "resolved"),
    [
        ("https://api.extend.ai/", "https://api.extend.ai"),
        ("https://api.eu1.extend.ai", "https://api.eu1.extend.ai"),
        ("https://gateway.example.com/extend/v1/", "https://gateway.example.com/extend/v1"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:8080///", "http://localhost:8080"),
    ],
)
def test_the_base_url_is_normalised(token, given, resolved) -> None:
    assert AsyncExtend(token, base_url=given).config.base_url == resolved


def test_the_base_url_falls_back_to_the_environment(token, monkeypatch) -> None:
    monkeypatch.setenv("EXTEND_BASE_URL", "https://api.us2.extend.app/")

    assert AsyncExtend(token).config.base_url == "https://api.us2.extend.app"
    assert AsyncExtend(token, base_url="https://x.test").config.base_url == "https://x.test"


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("api.extend.ai", "must be an absolute http(s) URL"),
        ("/batch_processor_runs", "must be an absolute http(s) URL"),
        ("ftp://api.extend.ai", "must be an absolute http(s) URL"),
        ("https://", "must be an absolute http(s) URL"),
        ("https://api.extend.ai/?region=eu", "must not carry a query or fragment"),
        ("https://api.extend.ai/#top", "must not carry a query or fragment"),
    ],
)
def test_an_invalid_base_url_is_refused(token, given, problem) -> None:
    with pytest.raises(ExtendError) as info:
        AsyncExtend(token, base_url=given)

    assert str(info.value) == f"base_url {problem}, got {given!r}"


def test_the_workspace_falls_back_to_the_environment(token, monkeypatch) -> None:
    monkeypatch.setenv("EXTEND_WORKSPACE_ID", "ws_env")

    assert AsyncExtend(token).config.workspace_id == "ws_env"
    assert AsyncExtend(token).config.headers["x-extend-workspace-id"] == "ws_env"
    assert AsyncExtend(token, workspace_id="ws_arg").config.workspace_id == "ws_arg"


def test_an_empty_workspace_means_none(token, monkeypatch) -> None:
    monkeypatch.setenv("EXTEND_WORKSPACE_ID", "")

    config = AsyncExtend(token).config

    assert config.workspace_id is None
    assert "x-extend-workspace-id" not in config.headers


NOT_GIVEN_MARK = object()


@pytest.mark.parametrize(
    ("given", "timeout"),
    [
        (NOT_GIVEN_MARK, Timeout(total=60.0, connect=10.0)),
        (None, Timeout(total=None, connect=None)),  # as in httpx and openai: no limit
        (5, Timeout(total=5.0, connect=None)),  # no hidden connect limit beyond it
        (2.5, Timeout(total=2.5, connect=None)),
        (Timeout(total=5), Timeout(total=5.0, connect=None)),
        (Timeout(total=None, connect=3.0), Timeout(total=None, connect=3.0)),
        (Timeout(total=120.0, connect=None), Timeout(total=120.0, connect=None)),
    ],
)
def test_timeouts(token, given, timeout) -> None:
    options = {} if given is NOT_GIVEN_MARK else {"timeout": given}
    config = AsyncExtend(token, **options).config

    assert config.timeout == timeout
    assert config.client_timeout.total == timeout.total
    assert config.client_timeout.sock_connect == timeout.connect
    assert config.client_timeout.connect is None


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        ("5", TypeError, "timeout must be seconds (a number), a Timeout or None, got '5'"),
        (True, TypeError, "timeout must be seconds (a number), a Timeout or None, got True"),
        (0, ValueError, "timeout must be > 0 seconds (None: no limit), got 0"),
        (-1, ValueError, "timeout must be > 0 seconds (None: no limit), got -1"),
        (math.nan, ValueError, "timeout must be > 0 seconds (None: no limit), got nan"),
        (math.inf, ValueError, "timeout must be > 0 seconds (None: no limit), got inf"),
    ],
)
def test_invalid_timeouts(token, given, error, message) -> None:
    with pytest.raises(error) as info:
        AsyncExtend(token, timeout=given)

    assert str(info.value) == message


def test_an_invalid_connect_timeout() -> None:
    with pytest.raises(ValueError, match=r"Timeout.connect must be > 0 seconds or None, got 0"):
        Timeout(connect=0)


@pytest.mark.parametrize(
    ("given", "error"),
    [(0, ValueError), (-3, ValueError), (True, TypeError), (2.0, TypeError), ("4", TypeError)],
)
def test_max_concurrency_validation(token, given, error) -> None:
    with pytest.raises(error, match="max_concurrency must be"):
        AsyncExtend(token, max_concurrency=given)


def test_max_concurrency_of_one_is_allowed(token) -> None:
    assert AsyncExtend(token, max_concurrency=1).config.max_concurrency == 1


@pytest.mark.parametrize("given", [0, -1.0, math.inf, math.nan])
def test_max_requests_per_second_validation(token, given) -> None:
    with pytest.raises(ValueError, match="max_requests_per_second must be > 0 or None"):
        AsyncExtend(token, max_requests_per_second=given)


def test_an_empty_api_version_is_refused(token) -> None:
    with pytest.raises(ExtendError, match="api_version must be a version such as"):
        AsyncExtend(token, api_version="")


def test_max_retries_replaces_the_count_of_the_given_policy(token) -> None:
    policy = RetryPolicy(initial_backoff=1.0, max_retries=7)

    assert AsyncExtend(token, retry=policy).config.retry == policy
    assert AsyncExtend(token, retry=policy, max_retries=1).config.retry == attrs.evolve(
        policy, max_retries=1
    )
    with pytest.raises(ValueError, match="max_retries"):
        AsyncExtend(token, max_retries=-1)


def test_the_config_is_frozen(token) -> None:
    config = AsyncExtend(token).config

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.base_url = "https://evil.example"  # type: ignore[misc]


def test_the_token_is_masked_everywhere_it_could_be_printed(token) -> None:
    client = AsyncExtend(token, workspace_id="ws_1")
    sibling = client.with_options(timeout=3)

    texts = [
        repr(client),
        repr(sibling),
        repr(client.config),
        str(client.config),
        repr(client.config.token),
        str(client.config.token),
        repr(sibling.config),
        f"{client.config!r}",
    ]

    for text in texts:
        assert token not in text
    assert repr(client.config.token) == "Secret('**********')"
    assert repr(client) == (
        "AsyncExtend(base_url='https://api.extend.ai', api_version='2025-04-21', "
        "workspace_id='ws_1')"
    )
    assert "Secret('**********')" in repr(client.config)
    assert Secret(token) == client.config.token


async def test_the_token_never_appears_in_errors_or_debug_logs(
    make_client, mocked, run_url, run_body, token, caplog, exact_retry
) -> None:
    mocked.get(run_url(), status=503, payload={"error": "down"})
    mocked.get(run_url(), exception=aiohttp.ServerDisconnectedError())
    mocked.get(run_url(), payload=run_body)
    mocked.get(run_url(), status=401, payload={"success": False, "error": "Unauthorized"})
    mocked.get(run_url(), exception=aiohttp.ClientOSError(104, "reset"), repeat=True)
    mocked.get(run_url("bad"), body="not json")
    errors: list[BaseException] = []

    with caplog.at_level(logging.DEBUG):
        async with make_client(retry=exact_retry()) as client:
            await client.batch_processor_runs.get(RUN_ID)
            for run_id in (RUN_ID, RUN_ID, "bad"):
                with pytest.raises(ExtendError) as info:
                    await client.batch_processor_runs.get(run_id)
                errors.append(info.value)

    assert len([r for r in caplog.records if r.name == "extend_async"]) >= 9
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in repr(record.args)
        assert token not in (record.exc_text or "")
    for error in errors:
        for text in (str(error), repr(error), repr(error.__cause__), str(error.__cause__)):
            assert token not in text
