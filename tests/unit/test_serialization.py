"""to_dict / to_json: a model back in the API's wire form."""

from __future__ import annotations

import json
from typing import Any

import pytest

from extend_async import BatchProcessorRun, to_dict, to_json
from extend_async._converter import converter


def test_to_dict_gives_back_the_documented_body(run_body: dict[str, Any]) -> None:
    wire = run_body["batchProcessorRun"]
    run = converter.structure(wire, BatchProcessorRun)

    assert to_dict(run) == wire


def test_to_json_is_the_same_document_as_text(run_body: dict[str, Any]) -> None:
    run = converter.structure(run_body["batchProcessorRun"], BatchProcessorRun)

    text = to_json(run, indent=2)

    assert json.loads(text) == run_body["batchProcessorRun"]
    assert text.startswith('{\n  "id": ')
    assert "\n" not in to_json(run)


@pytest.mark.parametrize("value", [{"id": "x"}, "bpr_1", 3, None])
def test_anything_but_a_model_is_refused_by_name(value: object) -> None:
    with pytest.raises(TypeError, match=r"to_dict\(\) takes an extend_async model, got "):
        to_dict(value)
