"""Type-checked, never run: the public API as users write it, for ``mypy --strict``.

If a signature regresses (a sync method loses its parameters, a return type turns
into ``Any``), this file stops type-checking.
"""

from __future__ import annotations

from typing_extensions import assert_type

import extend_async
from extend_async import (
    APIResponse,
    AsyncExtend,
    BatchProcessorRun,
    BatchProcessorRunStatus,
    Extend,
    ExtendError,
    RateLimitError,
    RetryPolicy,
    Timeout,
)


async def async_usage() -> None:
    async with AsyncExtend("token", timeout=Timeout(total=30), max_retries=3) as client:
        run = await client.batch_processor_runs.get("bpr_1")
        assert_type(run, BatchProcessorRun)
        assert_type(run.is_terminal, bool)
        assert_type(run.status, BatchProcessorRunStatus)
        assert_type(run.status.is_known, bool)
        raw = await client.batch_processor_runs.get.raw("bpr_1")
        assert_type(raw, APIResponse[BatchProcessorRun])
        assert_type(raw.status_code, int)
        sibling = client.with_options(timeout=5.0, workspace_id="ws_1")
        assert_type(sibling, AsyncExtend)
        try:
            await sibling.batch_processor_runs.get("bpr_2")
        except RateLimitError as exc:
            assert_type(exc.retry_after, float | None)
        except ExtendError:
            pass


def sync_usage() -> None:
    with Extend("token", retry=RetryPolicy(max_retries=1)) as client:
        run = client.batch_processor_runs.get("bpr_1")
        assert_type(run, BatchProcessorRun)
        raw = client.batch_processor_runs.get.raw("bpr_1")
        assert_type(raw, APIResponse[BatchProcessorRun])
        assert_type(client.with_options(max_retries=0), Extend)
        assert_type(extend_async.__version__, str)


def wrong_usage(client: Extend) -> None:
    client.batch_processor_runs.get(1)  # type: ignore[arg-type]
    client.batch_processor_runs.get("a", "b")  # type: ignore[call-arg]
