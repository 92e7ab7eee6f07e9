"""The one-pass structuring function gives exactly what cattrs' checked function gives."""

from __future__ import annotations

import copy
import json
import pickle
import weakref
from datetime import datetime, timezone
from typing import Any

import attrs
import pytest
from cattrs import ClassValidationError
from cattrs.gen import make_dict_structure_fn, override

from extend_async import BatchProcessorRun, BatchProcessorRunStatus
from extend_async._converter import converter, structure_error_path, wire_name
from extend_async._one_pass import make_one_pass_fn
from extend_async.models import ApiEnum


class Colour(ApiEnum):
    RED = "RED"


@attrs.frozen
class Sample:
    name: str
    count: int
    ratio: float
    flag: bool
    colour: Colour
    when: datetime
    tags: list[str]
    note: str | None = None
    counts: list[int] | None = None
    maybe_colour: Colour | None = None
    kind: str = "sample"
    level: int = attrs.field(default=0, kw_only=True)
    derived: int = attrs.field(init=False, default=7)


def documents() -> list[dict[str, Any]]:
    base = {
        "name": "a",
        "count": 2,
        "ratio": 0.5,
        "flag": True,
        "colour": "RED",
        "when": "2024-03-21T15:30:00Z",
        "tags": ["x", "y"],
    }
    return [
        base,
        {**base, "ratio": 3, "count": 4.0},  # whole numbers either way round
        {**base, "colour": "PURPLE", "maybeColour": "RED", "note": "n", "kind": "k"},
        {**base, "note": None, "maybeColour": None, "level": 5, "extra": {"ignored": 1}},
        {**base, "tags": [], "counts": [1, 2.0, 3]},  # a whole float in a list of ints
    ]


def _checked(document: Any, _: object = None) -> Any:
    """cattrs' own function for ``Sample``, with the converter's hooks and wire names."""
    renames = {a.name: override(rename=wire_name(a.name)) for a in attrs.fields(Sample)}
    return make_dict_structure_fn(Sample, converter, **renames)(document, Sample)


@pytest.mark.parametrize("document", documents())
def test_a_valid_document_gives_the_checked_result(document: dict[str, Any]) -> None:
    fast = converter.structure(document, Sample)

    assert fast == _checked(document)
    assert type(fast.ratio) is float
    assert type(fast.count) is int
    assert fast.derived == 7


def test_values_land_on_the_right_fields() -> None:
    sample = converter.structure(documents()[2], Sample)

    assert sample.colour == "PURPLE"
    assert type(sample.colour) is Colour
    assert sample.maybe_colour is Colour.RED
    assert (sample.note, sample.kind, sample.level) == ("n", "k", 0)
    assert sample.when == datetime(2024, 3, 21, 15, 30, tzinfo=timezone.utc)
    assert sample.tags == ["x", "y"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"name": 1}, "$.name"),
        ({"count": True}, "$.count"),
        ({"ratio": "0.5"}, "$.ratio"),
        ({"flag": 1}, "$.flag"),
        ({"colour": 3}, "$.colour"),
        ({"when": "yesterday"}, "$.when"),
        ({"tags": ["x", 2]}, "$.tags[1]"),
        ({"tags": "x"}, "$.tags"),
        ({"counts": [1, True]}, "$.counts[1]"),
        ({"kind": None}, "$.kind"),
    ],
)
def test_a_bad_value_raises_the_checked_error(change: dict[str, Any], path: str) -> None:
    document = {**documents()[0], **change}

    with pytest.raises(ClassValidationError) as fast:
        converter.structure(document, Sample)
    with pytest.raises(ClassValidationError) as checked:
        _checked(document)

    assert [type(e) for e in fast.value.exceptions] == [type(e) for e in checked.value.exceptions]
    assert structure_error_path(fast.value)[1] == path


def test_a_list_is_copied_not_shared() -> None:
    document = {**documents()[0], "counts": [1, 2]}

    sample = converter.structure(document, Sample)

    assert (sample.tags, sample.counts) == (["x", "y"], [1, 2])
    assert sample.tags is not document["tags"]
    assert sample.counts is not document["counts"]


def test_a_missing_required_key_raises_with_its_wire_name() -> None:
    document = dict(documents()[0])
    del document["when"]

    with pytest.raises(ClassValidationError) as caught:
        converter.structure(document, Sample)

    assert [type(e) for e in caught.value.exceptions] == [KeyError]


def test_a_factory_default_leaves_the_class_to_cattrs() -> None:
    @attrs.frozen
    class WithFactory:
        items: list[str] = attrs.Factory(list)

    assert make_one_pass_fn(WithFactory, _checked, converter.get_structure_hook, wire_name) is None


def test_the_example_run_takes_the_one_pass_path(run_body: dict[str, Any]) -> None:
    calls: list[object] = []
    wire = run_body["batchProcessorRun"]

    def spy(document: Any, cls: Any) -> Any:
        calls.append(document)
        raise AssertionError("the documented body must not need the checked function")

    fast = make_one_pass_fn(BatchProcessorRun, spy, converter.get_structure_hook, wire_name)
    assert fast is not None

    run = fast(json.loads(json.dumps(wire)), BatchProcessorRun)

    assert calls == []
    assert run == converter.structure(wire, BatchProcessorRun)
    assert run.status is BatchProcessorRunStatus.PROCESSING


@attrs.frozen
class Plain:
    """Slotted, nothing but stored arguments: filled through its builder, not __init__."""

    name: str
    when: datetime
    colour: Colour | None = None
    level: int = attrs.field(default=0, kw_only=True)


@attrs.frozen
class PlainChild(Plain):
    extra: str = attrs.field(default="", kw_only=True)


@pytest.mark.parametrize(
    "document",
    [
        {"name": "a", "when": "2024-03-21T15:30:00Z", "colour": "RED", "level": 3},
        {"name": "b", "when": "2024-03-21T15:30:00.25+02:00"},
        {"name": "c", "when": "2024-03-21T15:30:00", "colour": None},  # naive: UTC
    ],
)
def test_a_plain_class_filled_by_its_builder_equals_its_init(document: dict[str, Any]) -> None:
    built = converter.structure(document, Plain)
    child = converter.structure({**document, "extra": "x"}, PlainChild)
    when = converter.structure(document["when"], datetime)
    expected = Plain(
        document["name"],
        when,
        Colour(document["colour"]) if document.get("colour") else None,
        level=document.get("level", 0),
    )

    assert built == expected
    assert hash(built) == hash(expected)
    assert repr(built) == repr(expected)
    assert child == PlainChild(
        expected.name, when, expected.colour, level=expected.level, extra="x"
    )
    assert built.when.tzinfo is not None


def test_a_validator_still_runs() -> None:
    @attrs.frozen
    class Checked:
        count: int = attrs.field(validator=attrs.validators.ge(0))

    assert converter.structure({"count": 2}, Checked) == Checked(2)
    with pytest.raises(ClassValidationError):
        converter.structure({"count": -1}, Checked)


def test_a_plain_instance_is_of_its_class_and_still_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a plain class is filled by its builder, not __init__")

    monkeypatch.setattr(Plain, "__init__", refuse)
    built = converter.structure({"name": "a", "when": "2024-03-21T15:30:00Z"}, Plain)
    monkeypatch.undo()

    assert type(built) is Plain
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.name = "b"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del built.name  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(built)) == built
    assert copy.copy(built) == built
    assert weakref.ref(built)() is built
    assert attrs.evolve(built, name="b") == Plain("b", built.when)


def test_a_class_that_refuses_subclasses_is_built_by_its_init() -> None:
    inits: list[str] = []

    @attrs.frozen
    class Sealed:
        name: str
        when: datetime

        def __init_subclass__(cls) -> None:
            raise TypeError("Sealed takes no subclasses")

    original = Sealed.__init__

    def counting_init(self: Sealed, *args: Any) -> None:
        inits.append("init")
        original(self, *args)

    Sealed.__init__ = counting_init  # type: ignore[method-assign]

    built = converter.structure({"name": "a", "when": "2024-03-21T15:30:00Z"}, Sealed)

    assert inits == ["init"]
    assert type(built) is Sealed
    assert (built.name, built.when.tzinfo) == ("a", timezone.utc)
