"""The official SDK (extend-ai 0.2.0) as a second reader of what the fake serves.

Importable as ``differential._support`` once ``extend_ai`` is known to be installed
(the test modules skip first, and the conftest imports this lazily).

:class:`Official` is the official blocking client on an httpx client of its own that
keeps every response. :meth:`Official.call` makes one call and checks that:

- exactly one request went out, and the fake served it on the expected route with a 200;
- the same body also passes pydantic's *validation* into the declared response type:
  the official client only *constructs* its models (``construct_type``, which never
  fails and leaves what it cannot type as plain data), so a validation error is the
  clearest sign of a shape it would misread;
- the body holds no key that the SDK's models do not declare;
- what the client parsed holds the whole body, value for value (:func:`agree`);
- the client's own parse is pydantic's validation, but for the processor outputs its
  constructor is known to misread (:func:`misreadings`), which are counted.

:meth:`Official.contradicted` makes a call whose answer the official models refuse for a
contradiction the reference documents (an edit run's ``status`` as the plain string,
where SDK 0.2.0 declares an object), and checks that it is the only thing they refuse.

:meth:`Official.agree` then compares, field by field, what the official client parsed
with the fake's own record of the object (our model in its wire form).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, TypeVar

import extend_ai
import httpx
import pydantic
import pytest

from extend_async import to_dict
from extend_async.testing import FakeExtendServer

__all__ = [
    "EMPTY_AS_JSON",
    "FIELDS_AS_JSON",
    "STATUS_AS_STRING",
    "Official",
    "Tally",
    "agree",
    "misreadings",
    "pages",
    "undeclared_keys",
]

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)


class Tally(Protocol):
    """Where every call is counted (the session's tally, see the conftest)."""

    def add(self, route: str, *, ok: bool) -> None: ...

    def misread(self, route: str, paths: list[tuple[str, str]]) -> None: ...

    def contradicted(self, route: str, what: str) -> None: ...


class Official:
    """``with Official(fake, tally) as official: official.call(route, method, ...)``;
    ``official.client`` is the official ``extend_ai.Extend`` pointed at ``fake``."""

    def __init__(self, fake: FakeExtendServer, tally: Tally) -> None:
        self.fake = fake
        self._tally = tally
        self._responses: list[httpx.Response] = []
        self.http = httpx.Client(timeout=30, event_hooks={"response": [self._keep]})
        self.client = extend_ai.Extend(token=fake.token, base_url=fake.url, httpx_client=self.http)
        #: Routes called by this test, in order.
        self.routes: list[str] = []
        #: The latest call's misread outputs (see :func:`misreadings`), and its own result.
        self.misread: list[tuple[str, str]] = []
        self.client_result: object = None

    def __enter__(self) -> Official:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.http.close()  # the official client never closes the httpx client it is given

    def _keep(self, response: httpx.Response) -> None:
        response.read()
        self._responses.append(response)

    def call(self, route: str, method: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``method(*args, **kwargs)`` on the official client: one request, served by the
        fake's ``route`` with a 200, whose body validates into the declared type.

        Returns the client's own result, unless its constructor misread a processor
        output (see :func:`misreadings`): then the validated object, which is what the
        SDK's types say the body is, and the misreading is counted."""
        result, body = self._exchange(route, 200, method, *args, **kwargs)
        assert isinstance(result, pydantic.BaseModel), f"{route}: got {type(result).__name__}"
        try:
            validated = type(result).model_validate(body)
        except pydantic.ValidationError as exc:  # pragma: no cover - the failure report
            pytest.fail(f"{route}: the official models refuse what the fake served:\n{exc}")
        unknown = undeclared_keys(validated)
        assert not unknown, f"{route}: keys the official models do not declare: {unknown}"
        self.misread = misreadings(result, validated)
        if self.misread:
            self._tally.misread(route, self.misread)
        parsed = validated if self.misread else result
        agree(parsed, body)  # it holds the whole body: every key read, every value kept
        self.client_result: object = result
        return parsed  # type: ignore[return-value]

    def contradicted(
        self,
        route: str,
        declared: type[pydantic.BaseModel],
        restate: Callable[[Any], object],
        what: str,
        method: Callable[..., object],
        /,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[object, pydantic.BaseModel]:
        """``method(...)``, one request served by ``route`` with a 200, whose body the
        ``declared`` response type refuses only for the contradiction ``what``: once
        ``restate`` (which changes the body in place) puts it in the SDK's declared
        form, it validates, declares every key and is held whole.

        Returns what the official client made of the real body (its result, or the
        exception it raised) and the restated body, validated; the call is counted."""
        try:
            result, body = self._exchange(route, 200, method, *args, **kwargs)
        except Exception as exc:  # the client's own reading failed: that is the finding
            result, body = exc, self.last_body
        with pytest.raises(pydantic.ValidationError):
            declared.model_validate(body)
        restated = copy.deepcopy(body)
        restate(restated)
        validated = declared.model_validate(restated)
        unknown = undeclared_keys(validated)
        assert not unknown, f"{route}: keys the official models do not declare: {unknown}"
        agree(validated, restated)
        self._tally.contradicted(route, what)
        return result, validated

    def fails(
        self,
        route: str,
        status: int,
        error: type[E],
        method: Callable[..., object],
        /,
        *args: Any,
        **kwargs: Any,
    ) -> E:
        """The call is answered ``status`` on ``route`` and the official client raises
        ``error``; the exception."""
        with pytest.raises(error) as raised:
            self._exchange(route, status, method, *args, **kwargs)
        return raised.value

    def _exchange(
        self, route: str, status: int, method: Callable[..., T], /, *args: Any, **kwargs: Any
    ) -> tuple[T, Any]:
        """One call: its result and the JSON body of its response."""
        sent, logged = len(self._responses), len(self.fake.request_log)
        try:
            result = method(*args, **kwargs)
        finally:
            records = self.fake.request_log[logged:]
            served = [(record.route, record.status) for record in records]
            self._tally.add(route, ok=status == 200)
            self.routes.append(route)
            assert served == [(route, status)], f"expected one {route} answered {status}: {served}"
            assert len(self._responses) == sent + 1
        return result, json.loads(self._responses[-1].content)

    @property
    def last_body(self) -> Any:
        """The JSON body of the latest response."""
        return json.loads(self._responses[-1].content)

    def agree(self, parsed: object, ours: object) -> None:
        """What the official client parsed equals ``ours`` (one of our models, the fake's
        record of the same object), field by field, in the wire form."""
        agree(parsed, to_dict(ours))


#: The contradiction of the reference an edit run's answer carries (README, 2).
STATUS_AS_STRING = "EditRun.status sent as the plain string SDK 0.2.0 declares as an object"
#: What :func:`misreadings` reports for an output the client's constructor misread.
EMPTY_AS_JSON = "`{}` (an unfinished run's output) read as a JsonOutput without value"
FIELDS_AS_JSON = "a field-list output read as a JsonOutput, its fields left as raw extras"


def misreadings(client: object, validated: object, path: str = "$") -> list[tuple[str, str]]:
    """Where the official client's own parse (``construct_type``, which never fails)
    differs from pydantic's validation of the same body, as (path, what) pairs.

    ProcessorOutput is an undiscriminated union whose first member is JsonOutput, and
    the constructor takes the first member it can build: every extraction output that
    is not a JsonOutput, and the ``{}`` of a run still going, comes out as a JsonOutput
    without ``value``. ProvidedProcessorOutput (an evaluation set item's expected
    output) is read the same way, with ProvidedJsonOutput first. Those two are
    reported; any other difference fails here.
    """
    json_outputs = (extend_ai.JsonOutput, extend_ai.ProvidedJsonOutput)
    if isinstance(client, json_outputs) and isinstance(validated, dict):
        assert "value" not in client.model_fields_set, f"{path}: a JsonOutput for {validated!r}"
        return [(path, EMPTY_AS_JSON if not validated else FIELDS_AS_JSON)]
    if _number(client) and _number(validated):  # a whole number read as int, or float
        assert client == validated, f"{path}: the client read {client!r}, validation {validated!r}"
        return []
    assert type(client) is type(validated), (
        f"{path}: the client read {type(client).__name__}, validation {type(validated).__name__}"
    )
    found: list[tuple[str, str]] = []
    if isinstance(client, pydantic.BaseModel):
        assert isinstance(validated, pydantic.BaseModel)
        for name in type(client).model_fields:
            found += misreadings(getattr(client, name), getattr(validated, name), f"{path}.{name}")
        assert (client.model_extra or {}) == (validated.model_extra or {}), f"{path}: extras"
    elif isinstance(client, Mapping):
        assert isinstance(validated, Mapping)
        assert sorted(client) == sorted(validated), f"{path}: keys"
        for key in client:
            found += misreadings(client[key], validated[key], f"{path}[{key!r}]")
    elif isinstance(client, (list, tuple)):
        assert isinstance(validated, (list, tuple)), path
        assert len(client) == len(validated), path
        for index, (one, other) in enumerate(zip(client, validated, strict=True)):
            found += misreadings(one, other, f"{path}[{index}]")
    else:
        assert client == validated, f"{path}: the client read {client!r}, validation {validated!r}"
    return found


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def undeclared_keys(value: object, path: str = "$") -> list[str]:
    """Paths of the keys pydantic kept as extras (keys no official model declares)."""
    found: list[str] = []
    if isinstance(value, pydantic.BaseModel):
        found += [f"{path}.{key}" for key in value.model_extra or {}]
        for name in type(value).model_fields:
            found += undeclared_keys(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found += undeclared_keys(item, f"{path}[{index}]")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            found += undeclared_keys(item, f"{path}[{key!r}]")
    return found


def agree(parsed: object, wire: object, path: str = "$") -> None:
    """``parsed`` (the official client's object) holds exactly ``wire`` (a JSON value):
    every model field read from its key, absent keys left at the field's default,
    datetimes equal to the instant written, numbers equal, no key left over."""
    if isinstance(parsed, pydantic.BaseModel):
        assert isinstance(wire, dict), f"{path}: a model {type(parsed).__name__} for {wire!r}"
        fields = type(parsed).model_fields
        names = {(field.alias or name): name for name, field in fields.items()}
        left_over = sorted(set(wire) - set(names))
        assert not left_over, f"{path}: keys {left_over} not read into {type(parsed).__name__}"
        for key, name in names.items():
            value = getattr(parsed, name)
            if key in wire:
                agree(value, wire[key], f"{path}.{key}")
            else:
                default = fields[name].get_default(call_default_factory=True)
                assert value == default, f"{path}.{key}: absent, yet parsed as {value!r}"
    elif isinstance(parsed, datetime):
        assert isinstance(wire, str), f"{path}: a datetime for {wire!r}"
        assert parsed == _instant(wire), f"{path}: {parsed.isoformat()} for {wire!r}"
    elif isinstance(parsed, Mapping):
        assert isinstance(wire, dict), f"{path}: a mapping for {wire!r}"
        assert sorted(parsed) == sorted(wire), f"{path}: keys {sorted(parsed)} != {sorted(wire)}"
        for key in wire:
            agree(parsed[key], wire[key], f"{path}[{key!r}]")
    elif isinstance(parsed, (list, tuple)):
        assert isinstance(wire, list), f"{path}: a sequence for {wire!r}"
        assert len(parsed) == len(wire), f"{path}: {len(parsed)} items for {len(wire)}"
        for index, (item, sent) in enumerate(zip(parsed, wire, strict=True)):
            agree(item, sent, f"{path}[{index}]")
    else:
        assert parsed == wire, f"{path}: parsed {parsed!r} for {wire!r}"


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def pages(fetch: Callable[[str | None], T], token_of: Callable[[T], str | None]) -> Iterator[T]:
    """Every page: ``fetch(None)``, then ``fetch(token)`` while a page has a token."""
    token: str | None = None
    while True:
        page = fetch(token)
        yield page
        token = token_of(page)
        if token is None:
            return
