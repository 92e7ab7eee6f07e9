"""Bad arguments are refused in the words of what the user typed, never our internals;
and ``help()``, ``inspect.signature`` show the real methods and constructors."""

from __future__ import annotations

import inspect
import pydoc

import pytest

from extend_async import AsyncExtend, BatchProcessorRun, Extend, Timeout


@pytest.mark.parametrize("cls", [AsyncExtend, Extend])
def test_a_misspelt_option_names_the_constructor_and_suggests(cls: type) -> None:
    with pytest.raises(TypeError) as info:
        cls(token="x", timeot=5)

    assert str(info.value) == (
        f"{cls.__name__}() got an unexpected keyword argument 'timeot' (did you mean 'timeout'?)"
    )


def test_an_option_only_the_async_client_has_is_refused_by_the_sync_one() -> None:
    with pytest.raises(TypeError, match=r"^Extend\(\) got an unexpected keyword argument 'clock'"):
        Extend(token="x", clock=None)  # type: ignore[call-arg]


async def test_with_options_refuses_what_it_cannot_change() -> None:
    async with AsyncExtend("x") as client:
        with pytest.raises(TypeError) as info:
            client.with_options(base_url="https://elsewhere")  # type: ignore[call-arg]

    assert str(info.value) == "with_options() got an unexpected keyword argument 'base_url'"


async def test_an_endpoint_method_names_itself_on_a_bad_keyword() -> None:
    async with AsyncExtend("x") as client:
        with pytest.raises(TypeError) as info:
            await client.batch_processor_runs.get(run_id="bpr_1")  # type: ignore[call-arg]

    assert str(info.value) == (
        "batch_processor_runs.get() got an unexpected keyword argument 'run_id'"
    )


def test_the_sync_twin_names_itself_too() -> None:
    with Extend("x") as client:
        runs = client.batch_processor_runs
        with pytest.raises(TypeError) as unknown:
            runs.get("bpr_1", foo=1)  # type: ignore[call-arg]
        with pytest.raises(TypeError) as missing:
            runs.get()  # type: ignore[call-arg]
        with pytest.raises(TypeError) as polling:
            runs.wait("bpr_1", timout=3)  # type: ignore[call-arg]

    assert (
        str(unknown.value) == "batch_processor_runs.get() got an unexpected keyword argument 'foo'"
    )
    assert str(missing.value) == "batch_processor_runs.get() missing a required argument: 'id'"
    assert str(polling.value) == (
        "batch_processor_runs.wait() got an unexpected keyword argument 'timout'"
    )


def test_an_error_raised_inside_a_method_is_left_as_it_is() -> None:
    with Extend("x") as client, pytest.raises(TypeError) as info:
        client.batch_processor_runs.get(42)  # type: ignore[arg-type]

    assert "id must be a string, got int: 42" in str(info.value)


async def test_endpoint_methods_show_their_real_signature_and_docstring() -> None:
    async with AsyncExtend("x") as client:
        method = client.batch_processor_runs.get
        signature = inspect.signature(method)
        text = pydoc.render_doc(method, renderer=pydoc.plaintext)

    assert (
        str(signature) == "(id: str) -> extend_async.models.batch_processor_runs.BatchProcessorRun"
    )
    assert signature.return_annotation is BatchProcessorRun
    assert method.__name__ == "get"
    assert method.__doc__ == "Fetch one batch processor run by id."
    assert "get(id: str) -> extend_async.models.batch_processor_runs.BatchProcessorRun" in text
    assert "Fetch one batch processor run by id." in text
    assert "P.args" not in text


def test_sync_methods_show_the_same_signatures_and_docstrings() -> None:
    with Extend("x") as client:
        runs = client.batch_processor_runs
        shown = {name: inspect.signature(getattr(runs, name)) for name in ("get", "wait")}
        wait_many = inspect.signature(runs.wait_many)
        text = pydoc.render_doc(runs.get, renderer=pydoc.plaintext)
        async_wait = inspect.signature(AsyncExtend("x").batch_processor_runs.wait)

    assert str(shown["get"]).startswith("(id: str) -> ")
    assert [(p.name, p.kind, p.default) for p in shown["wait"].parameters.values()] == [
        (p.name, p.kind, p.default) for p in async_wait.parameters.values()
    ]
    assert list(shown["wait"].parameters) == ["id", "timeout", "poll", "until"]
    returned = str(wait_many.return_annotation)
    assert "SyncIterator[tuple[str, " in returned
    assert "WaitStream" not in returned
    assert runs.get.__doc__ == "Fetch one batch processor run by id."
    assert "get(id: str) -> extend_async.models.batch_processor_runs.BatchProcessorRun" in text
    assert "Fetch one batch processor run by id." in text
    assert "P.args" not in text


@pytest.mark.parametrize("cls", [AsyncExtend, Extend])
def test_the_constructors_show_every_option(cls: type) -> None:
    signature = inspect.signature(cls)
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)

    options = list(signature.parameters)
    assert options[:2] == ["token", "base_url"]
    assert {"timeout", "max_retries", "retry", "max_concurrency", "workspace_id"} <= set(options)
    assert ("session" in options) is (cls is AsyncExtend)
    assert signature.parameters["timeout"].default == Timeout(total=60.0, connect=10.0)
    assert "max_requests_per_second" in text
    assert "**options" not in str(signature)


async def test_polling_methods_name_themselves_on_the_async_client_too() -> None:
    async with AsyncExtend("x") as client:
        runs = client.batch_processor_runs
        with pytest.raises(TypeError) as wait:
            await runs.wait("bpr_1", timout=3)  # type: ignore[call-arg]
        with pytest.raises(TypeError) as many:
            runs.wait_many(["bpr_1"], polls=2)  # type: ignore[call-overload]
        with pytest.raises(TypeError) as fetch:
            await runs.get_many()  # type: ignore[call-overload]

    assert str(wait.value) == (
        "batch_processor_runs.wait() got an unexpected keyword argument 'timout'"
    )
    assert str(many.value) == (
        "batch_processor_runs.wait_many() got an unexpected keyword argument 'polls'"
    )
    assert str(fetch.value) == "batch_processor_runs.get_many() missing a required argument: 'ids'"
