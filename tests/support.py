"""Shared test data and helpers (importable as ``support``: tests/ is on sys.path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BASE_URL = "https://api.extend.test"
TOKEN = "sk_sync_token_value"
EXAMPLE = Path(__file__).parent / "data" / "get_batch_processor_run.json"


def run_body(run_id: str, status: str = "PROCESSING") -> dict[str, Any]:
    """The documented example body, with another id and status."""
    body: dict[str, Any] = json.loads(EXAMPLE.read_text())
    body["batchProcessorRun"] = {**body["batchProcessorRun"], "id": run_id, "status": status}
    return body


def run_url(run_id: str) -> str:
    return f"{BASE_URL}/batch_processor_runs/{run_id}"
