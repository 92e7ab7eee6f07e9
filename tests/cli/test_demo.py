"""``extend-async demo``: invoices uploaded, a processor made through the API, runs
created under the fake's rate limit, their ends heard by polling and by webhook side by
side, and the summary of what happened."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from extend_async.cli import main


def summary(out: str) -> tuple[str, dict[str, str]]:
    """The summary's first line, and its rows as label: value."""
    first, *rest = out.splitlines()
    rows = {}
    for line in rest:
        label, value = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        rows[label] = value
    return first, rows


def test_the_demo_creates_and_waits_for_every_run_without_a_429() -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, "-m", "extend_async", "demo", "--runs", "50", "--max-duration", "0.5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )

    assert result.returncode == 0, result.stderr
    first, rows = summary(result.stdout)
    assert re.fullmatch(r"50 runs of processor dp_\w+, by status:", first)
    assert set(rows) >= {"PROCESSED", "FAILED"}  # 10% FAIL: with seed 7, 5 of these 50
    assert int(rows["PROCESSED"]) + int(rows["FAILED"]) == 50
    assert rows["upload_file"] == "20"  # the invoices the runs take in turn
    assert rows["create_processor"] == "1"
    assert rows["run_processor"] == "50"
    polls = int(rows["get_processor_run"])
    assert polls >= 50
    total, rate = re.fullmatch(r"(\d+)  \((\d+\.\d)/s\)", rows["requests made"]).groups()
    assert int(total) == 20 + 1 + 50 + polls
    # every run's end also came by webhook, verified, once, saying what polling said
    assert rows["webhook events"] == "50  (0 duplicates)"
    assert rows["processor_run.processed"] == rows["PROCESSED"]
    assert rows["processor_run.failed"] == rows["FAILED"]
    assert rows["webhook agrees with polling"] == "50 of 50 runs"
    assert float(rate) <= 250  # the fake's default limit
    assert rows["429s seen"] == "0"
    assert re.fullmatch(r"\d+\.\d s", rows["elapsed"])
    assert "20/20 uploaded" in result.stderr
    assert "50/50 created" in result.stderr
    assert "50/50 finished" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("rate", "status"), [("1", "FAILED"), ("0", "PROCESSED")])
def test_every_run_ends_as_the_failure_rate_says(
    capsys: pytest.CaptureFixture[str], rate: str, status: str
) -> None:
    code = main(
        ["demo", "--runs", "20", "--max-duration", "0.3", "--failure-rate", rate, "--seed", "3"]
    )

    captured = capsys.readouterr()
    assert code == 0, captured.err
    first, rows = summary(captured.out)
    assert first.startswith("20 runs of processor ")
    assert rows[status] == "20"
    assert set(rows) & {"PROCESSED", "FAILED"} == {status}


def test_fewer_files_than_runs_are_taken_in_turn(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["demo", "--runs", "7", "--files", "3", "--max-duration", "0.3"])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    first, rows = summary(captured.out)
    assert first.startswith("7 runs of processor ")
    assert (rows["upload_file"], rows["run_processor"]) == ("3", "7")
    assert rows["webhook agrees with polling"] == "7 of 7 runs"
    assert "3/3 uploaded" in captured.err


def test_the_rate_limit_and_concurrency_are_the_demos_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        [
            "demo",
            "--runs",
            "30",
            "--rate-limit",
            "100",
            "--concurrency",
            "4",
            "--max-duration",
            "0.3",
        ]
    )

    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "limited to 100 requests/s" in captured.err
    _, rows = summary(captured.out)
    assert rows["429s seen"] == "0"
    assert float(rows["requests made"].split("(")[1].split("/")[0]) <= 100


def outcome_counts(capsys: pytest.CaptureFixture[str], seed: str) -> dict[str, str]:
    code = main(
        ["demo", "--runs", "40", "--max-duration", "0.3", "--failure-rate", "0.5", "--seed", seed]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    _, rows = summary(captured.out)
    return {status: rows[status] for status in ("PROCESSED", "FAILED") if status in rows}


def test_the_same_seed_gives_the_same_outcomes(capsys: pytest.CaptureFixture[str]) -> None:
    first = outcome_counts(capsys, "11")
    again = outcome_counts(capsys, "11")
    others = [outcome_counts(capsys, seed) for seed in ("12", "13")]

    assert again == first
    assert sum(map(int, first.values())) == 40
    assert first.keys() == {"PROCESSED", "FAILED"}
    assert any(other != first for other in others)  # the seed decides, not chance
