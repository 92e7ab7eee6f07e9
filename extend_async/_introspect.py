"""What ``help()``, ``inspect.signature`` and IDEs see of the methods we derive.

Endpoint methods and their blocking twins are small objects bound to a resource, not
functions; :class:`Described` gives them the name, docstring and signature of the
method they stand for, so ``help(client.batch_processor_runs.get)`` shows
``get(id: str) -> BatchProcessorRun`` and its docstring, not our plumbing. And a call
with arguments that do not fit names the method the user typed, never ours.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, get_args, get_type_hints

__all__ = [
    "Described",
    "binding_error",
    "call_result",
    "refused_by_public_name",
    "signature_without_self",
]

F = TypeVar("F", bound=Callable[..., Any])


class _Doc:
    """``__doc__`` that is the class's own on the class and the target's on an instance."""

    def __init__(self, class_doc: str | None) -> None:
        self._class_doc = class_doc

    def __get__(self, instance: Described | None, owner: type[Any]) -> str | None:
        if instance is None:
            return self._class_doc
        return instance._target_doc()


class Described:
    """Mixin: look like the method returned by :meth:`_target_doc` and :meth:`_target_signature`.

    Defining ``__get__`` makes ``inspect`` (and so ``help()``) treat an instance as a
    routine and render its signature; it never rebinds anything.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__doc__ = _Doc(cls.__dict__.get("__doc__"))  # type: ignore[assignment]

    def _target_name(self) -> str:
        raise NotImplementedError

    def _target_doc(self) -> str | None:
        raise NotImplementedError

    def _target_signature(self) -> inspect.Signature:
        raise NotImplementedError

    @property
    def __name__(self) -> str:
        return self._target_name()

    @property
    def __signature__(self) -> inspect.Signature:
        return self._target_signature()

    def __get__(self, instance: object, owner: type[Any] | None = None) -> Any:
        return self


def signature_without_self(
    func: Callable[..., Any], returns: Callable[[Any], Any] | None = None
) -> inspect.Signature:
    """``func``'s signature minus its first parameter, annotations resolved where they
    can be; ``returns`` maps the return annotation (``Call[Run]`` to ``Run``)."""
    signature = inspect.signature(func)
    try:
        hints = get_type_hints(func)
    except Exception:  # an annotation that does not resolve: keep the strings
        hints = {}
    params = [
        param.replace(annotation=hints.get(name, param.annotation))
        for name, param in list(signature.parameters.items())[1:]
    ]
    result = hints.get("return", signature.return_annotation)
    if returns is not None:
        result = returns(result)
    return signature.replace(parameters=params, return_annotation=result)


def call_result(annotation: Any) -> Any:
    """``T`` of ``Call[T]``: what an endpoint method returns, given what its body returns."""
    args = get_args(annotation)
    return args[0] if args else annotation


def binding_error(exc: TypeError, func: Callable[..., Any], public: str) -> TypeError | None:
    """If ``exc`` is Python refusing the arguments of ``func`` (not an error raised
    inside it), the same complaint naming ``public`` instead; None otherwise."""
    traceback = exc.__traceback__
    if traceback is None or traceback.tb_next is not None:
        return None  # raised from within the function: its own error
    text = str(exc)
    name = f"{func.__qualname__}()"
    if not text.startswith(name):
        return None
    return TypeError(f"{public}(){text[len(name) :]}")


def refused_by_public_name(method: F) -> F:
    """For a plain method of a resource (``create_and_wait``, ``wait``...): arguments
    that do not fit are refused naming the method the user called
    (``processor_runs.wait()``), as endpoint methods are, not the class defining it."""
    signature = inspect.signature(method)

    def check(self: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            signature.bind(self, *args, **kwargs)
        except TypeError as exc:
            owner = getattr(self, "_name", type(self).__name__)
            raise TypeError(f"{owner}.{method.__name__}() {exc}") from None

    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def named_async(self: Any, /, *args: Any, **kwargs: Any) -> Any:
            check(self, args, kwargs)
            return await method(self, *args, **kwargs)

        return named_async  # type: ignore[return-value]

    @functools.wraps(method)
    def named(self: Any, /, *args: Any, **kwargs: Any) -> Any:
        check(self, args, kwargs)
        return method(self, *args, **kwargs)

    return named  # type: ignore[return-value]
