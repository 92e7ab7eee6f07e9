"""The pager: awaitable for the first page, iterable over every item, lazy, and honest
with page tokens; and its blocking twin."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yarl
from aioresponses import CallbackResult, aioresponses
from support import BASE_URL, TOKEN, run_body

from extend_async import AsyncExtend, BatchProcessorRun, Extend, RetryPolicy
from extend_async._endpoint import Call, Endpoint
from extend_async._requests import query
from extend_async._sync_bridge import SyncResource, sync_pager_method
from extend_async.models.common import NOT_GIVEN, Omittable, Page
from extend_async.pagination import pager_method
from extend_async.resources._base import AsyncResource, resource

TOKENS = ["xK9mLPqRtN3vS8wF5hB2cQ==:zWvUxYjM4nKpL7aDgE9HbTcR2mAyX3/Q+CNkfBSw1dZ=", "p/2+="]
_LIST = Endpoint("list_runs", "GET", "/batch_processor_runs", Page[BatchProcessorRun], items="runs")


class AsyncRuns(AsyncResource):
    """A list endpoint made up for these tests: the batch runs, three pages of them."""

    @pager_method
    def list(
        self, *, status: Omittable[str] = NOT_GIVEN, page_size: Omittable[int] = NOT_GIVEN
    ) -> Call[Page[BatchProcessorRun]]:
        """List the runs."""
        return _LIST.call(query=query("runs.list", status=status, page_size=page_size))


class Runs(SyncResource[AsyncRuns]):
    list = sync_pager_method(AsyncRuns.list)


class ListingClient(AsyncExtend):
    runs = resource(AsyncRuns)


class ListingSyncClient(Extend):
    _async_class = ListingClient
    runs = resource(Runs)


class Server:
    """Three pages of runs; records the query of every request."""

    def __init__(self) -> None:
        self.queries: list[dict[str, str]] = []
        self.pages = [
            {"runs": [run_body("bpr_1")["batchProcessorRun"]], "nextPageToken": TOKENS[0]},
            {
                "runs": [run_body(f"bpr_{n}")["batchProcessorRun"] for n in (2, 3)],
                "nextPageToken": TOKENS[1],
            },
            {"runs": [run_body("bpr_4")["batchProcessorRun"]], "nextPageToken": ""},
        ]

    def answer(self, url: yarl.URL, **_: Any) -> CallbackResult:
        params = dict(url.query)
        self.queries.append(params)
        index = {None: 0, TOKENS[0]: 1, TOKENS[1]: 2}[params.get("nextPageToken")]
        return CallbackResult(body=json.dumps({"success": True, **self.pages[index]}))


@pytest.fixture
def server() -> Iterator[Server]:
    scripted = Server()
    with aioresponses() as mocked:
        mocked.get(
            yarl.URL(f"{BASE_URL}/batch_processor_runs").with_query(None),
            callback=scripted.answer,
            repeat=True,
        )
        mocked.get(
            re.compile(re.escape(BASE_URL) + r"/batch_processor_runs\?.*"),
            callback=scripted.answer,
            repeat=True,
        )
        yield scripted


def client() -> ListingClient:
    return ListingClient(TOKEN, base_url=BASE_URL, retry=RetryPolicy(max_retries=0))


async def test_awaiting_gives_the_first_page_only(server: Server) -> None:
    async with client() as c:
        page = await c.runs.list(status="PROCESSED", page_size=2)

    assert [run.id for run in page.items] == ["bpr_1"]
    assert page.next_page_token == TOKENS[0]
    assert server.queries == [{"status": "PROCESSED", "maxPageSize": "2"}]


async def test_iterating_walks_every_item_of_every_page(server: Server) -> None:
    async with client() as c:
        ids = [run.id async for run in c.runs.list(status="PROCESSED", page_size=2)]

    assert ids == ["bpr_1", "bpr_2", "bpr_3", "bpr_4"]
    # The token goes back unchanged, with the same filters; an empty token ends it.
    assert server.queries == [
        {"status": "PROCESSED", "maxPageSize": "2"},
        {"status": "PROCESSED", "maxPageSize": "2", "nextPageToken": TOKENS[0]},
        {"status": "PROCESSED", "maxPageSize": "2", "nextPageToken": TOKENS[1]},
    ]


async def test_pages_walks_the_pages(server: Server) -> None:
    async with client() as c:
        sizes = [len(page.items) async for page in c.runs.list().pages()]

    assert sizes == [1, 2, 1]


async def test_nothing_is_fetched_before_it_is_needed(server: Server) -> None:
    async with client() as c:
        pager = c.runs.list()
        assert server.queries == []
        async for run in pager:
            assert run.id == "bpr_1"
            break

    assert len(server.queries) == 1  # breaking out after the first item: one page


def test_the_blocking_pager_streams_too(server: Server) -> None:
    with ListingSyncClient(TOKEN, base_url=BASE_URL) as c:
        pager = c.runs.list(page_size=2)
        first = pager.first_page()
        ids = [run.id for run in pager]
        with c.runs.list().pages() as pages:
            first_of_pages = next(pages)
        for run in c.runs.list():
            assert run.id == "bpr_1"
            break

    assert [run.id for run in first.items] == ["bpr_1"]
    assert ids == ["bpr_1", "bpr_2", "bpr_3", "bpr_4"]
    assert first_of_pages.next_page_token == TOKENS[0]
    assert len(server.queries) == 1 + 3 + 1 + 1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"page_size": 0}, ValueError, r"runs.list\(\): page_size must be an int >= 1, got 0"),
        ({"page_size": True}, ValueError, r"page_size must be an int >= 1, got True"),
        ({"status": ""}, ValueError, r"runs.list\(\): status must not be empty"),
        ({"status": 3.5}, TypeError, r"status must be a string, a number or a boolean, got 3.5"),
    ],
)
async def test_bad_filters_are_refused_before_anything_is_sent(
    server: Server, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with client() as c:
        with pytest.raises(error, match=message):
            c.runs.list(**kwargs)

    assert server.queries == []
