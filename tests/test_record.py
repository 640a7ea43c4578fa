"""provlint.record: the value types behave exactly as ``dataclasses.dataclass`` makes them.

Each class made with it (provlint.model, Rule, ActiveRule, Layer, Settings,
the CLI's Setup) is compared with a twin that the standard
decorator builds from the same fields (same name, defaults and flags), on
the methods the record helper replaces and on what callers of the
dataclasses module rely on (fields, replace, asdict, pickling, freezing).
"""

from __future__ import annotations

import copy
import dataclasses
from types import MappingProxyType
from typing import Any

import pytest

from provlint import cli, model, registry, ruleset
from provlint.cli import Setup
from provlint.model import (
    Applicability,
    AppliedEdit,
    CleanResult,
    Decoding,
    Document,
    Edit,
    Finding,
    Fix,
    Hit,
    Severity,
    Span,
)
from provlint.record import dataclass
from provlint.registry import Rule
from provlint.ruleset import ActiveRule, Layer, Settings

S1, S2 = Span(0, 3), Span(2, 9)
RULE = Rule("PL001", "a", "doc", None, Severity.ERROR, "always", {"n": 0}, "here")
SETTINGS = Settings("default", "1", (ActiveRule(RULE, {}, Severity.INFO),))
FIX = Fix("drop", (Edit(S1), Edit(Span(5, 6), "x")), Applicability.UNSAFE)
DOC = Document("d", "text", "a/b.txt", Decoding("cp1252", True, "crlf"), "sha256:00", 4,
               {"url": "u"})
FINDING = Finding("PL001", "trailing-whitespace", "d", S1, 1, 1, 1, 4, "m", Severity.ERROR,
                  FIX, "a/b.txt", "abc")
SAMPLES: list[list[Any]] = [
    [S1, S2, Span(0, 0), Span(0, 3)],
    [Edit(S1), Edit(S1, "y"), Edit(S2)],
    [FIX, Fix("drop", (Edit(S1),)), Fix("other", ())],
    [Hit(S1, "m"), Hit(S1, "m", FIX, {"date": "2020"}), Hit(S2, "n")],
    [Decoding(), Decoding("latin-1", errors="surrogateescape"), DOC.decoding],
    [DOC, Document("d", "text"), Document("e", "other", decoding=Decoding(bom=True))],
    [FINDING, dataclasses.replace(FINDING, line=2)],
    [AppliedEdit("PL001", 1, S1, "a", "", 0), AppliedEdit("PL002", 2, S2, "", "\n", 5,
                                                         Applicability.UNSAFE)],
    [CleanResult(DOC, "t", (), (FINDING,), {"k": "v"}, 1),
     CleanResult(DOC, "t", (), (), {}, 2, (FINDING,))],
    [RULE, Rule("PL002", "b", "doc", None), dataclasses.replace(RULE, options={"n": 1})],
    [ActiveRule(RULE, {}, Severity.INFO), ActiveRule(RULE, {"n": 2}, Severity.INFO, False)],
    [Layer(), Layer(("PL0",), ignore=("PL001",), options={"PL001": {"n": 1}}),
     Layer(unsafe_fixes=True, per_file_ignores={"*.md": ["PL0"]})],
    [SETTINGS, Settings("x", "1", (), (("*.md", frozenset({"PL001"})),), {"a": 1}, True)],
    [Setup(SETTINGS, {"k": 1}, False), Setup(SETTINGS, {}, True)],
]


_TWINS: dict[str, Any] = {}


def twin(cls: type) -> Any:
    """``cls`` as the standard decorator would make it from the same fields (one per class,
    so that twins compare with each other)."""
    if cls.__name__ in _TWINS:
        return _TWINS[cls.__name__]
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    specs = []
    for f in dataclasses.fields(cls):
        kw = ({"default": f.default} if f.default is not dataclasses.MISSING else
              {"default_factory": f.default_factory}
              if f.default_factory is not dataclasses.MISSING else {})
        specs.append((f.name, f.type, dataclasses.field(**kw)))
    ns = {"__post_init__": cls.__post_init__} if hasattr(cls, "__post_init__") else {}
    made = dataclasses.make_dataclass(cls.__name__, specs, namespace=ns, frozen=params.frozen,
                                      slots=hasattr(cls, "__slots__"),
                                      order="__lt__" in vars(cls))
    made.__qualname__ = cls.__qualname__
    _TWINS[cls.__name__] = made
    return made


def outcome(fn: Any, *args: Any) -> Any:
    """What ``fn(*args)`` returns, or the type of what it raises."""
    try:
        return fn(*args)
    except Exception as exc:
        return type(exc)


def as_twin(obj: Any) -> Any:
    t = twin(type(obj))
    return t(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})


@pytest.mark.parametrize("values", SAMPLES, ids=lambda v: type(v[0]).__name__)
def test_model_types_match_their_standard_dataclass_twins(values: list[Any]) -> None:
    cls = type(values[0])
    assert any(getattr(m, cls.__name__, None) is cls for m in (model, registry, ruleset, cli))
    twins = [as_twin(v) for v in values]
    for a, ta in zip(values, twins, strict=True):
        assert repr(a) == repr(ta)
        assert outcome(hash, a) == outcome(hash, ta)  # a dict field: TypeError for both
        for conv in (dataclasses.asdict, dataclasses.astuple):  # deep copies: not a mappingproxy
            assert outcome(conv, a) == outcome(conv, ta)
        # copies take pickle's path (__reduce_ex__, __getstate__, __setstate__) without
        # looking the class up by name. A Rule (and what holds one) travels to worker
        # processes as its code, by a reducer of provlint.parallel's: not a dataclass matter.
        if cls.__module__ == model.__name__:
            proxy = any(isinstance(getattr(a, f.name), MappingProxyType)
                        for f in dataclasses.fields(a))  # copyable once parallel is imported
            got = outcome(copy.deepcopy, a)
            assert got == a or (proxy and isinstance(got, type))
            assert copy.copy(a) == a
        assert dataclasses.replace(a) == a and dataclasses.is_dataclass(a)
        assert (a == ta) is False and type(a).__eq__(a, ta) is NotImplemented  # other class
        for name in ("__slots__", "__match_args__"):
            assert getattr(cls, name, None) == getattr(type(ta), name, None)
        for b, tb in zip(values, twins, strict=True):
            assert (a == b) == (ta == tb) and (a != b) == (ta != tb)
            if cls is Span:
                assert [a < b, a <= b, a > b, a >= b] == [ta < tb, ta <= tb, ta > tb, ta >= tb]
        name = dataclasses.fields(a)[0].name
        for obj in (a, ta):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(obj, name, None)
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(obj, name)
    assert [(f.name, f.type, f.default, f.default_factory) for f in dataclasses.fields(cls)] == [
        (f.name, f.type, f.default, f.default_factory) for f in dataclasses.fields(twins[0])]


def test_defaults_and_validation_are_the_standard_ones() -> None:
    for args in (("d", "t"), ("d", "t", "p")):
        assert repr(Document(*args)) == repr(twin(Document)(*args))
    assert repr(Hit(S1, "m")) == repr(twin(Hit)(S1, "m"))
    assert Document("d", "t").decoding == Decoding() and Hit(S1, "m").metadata == {}
    with pytest.raises(ValueError, match="bad span"):
        Span(3, 1)
    with pytest.raises(ValueError, match="overlapping"):
        Fix("f", (Edit(Span(0, 3)), Edit(Span(2, 4))))
    with pytest.raises(ValueError, match="bad span"):
        dataclasses.replace(S1, end=-1)
    assert Span(1, 2) < Span(1, 3) and sorted([S2, S1]) == [S1, S2]
    assert Span.__lt__(S1, Edit(S1)) is NotImplemented


def test_a_value_that_contains_itself_has_a_finite_repr() -> None:
    inner: dict[str, Any] = {}
    hit = Hit(S1, "m", metadata=inner)
    inner["self"] = hit
    assert repr(hit) == "Hit(span=Span(start=0, end=3), message='m', fix=None, " \
                        "metadata={'self': ...})"


def test_record_refuses_what_it_does_not_make() -> None:
    with pytest.raises(TypeError, match="__init__"):
        @dataclass(frozen=True)
        class NoInit:
            a: int
    with pytest.raises(TypeError, match="repr, eq and hash"):
        @dataclass(frozen=True)
        class Hidden:
            a: int = dataclasses.field(repr=False)

            def __init__(self, a: int) -> None:
                object.__setattr__(self, "a", a)


def test_a_mutable_record_behaves_as_a_mutable_dataclass() -> None:
    @dataclass(frozen=False)
    class Counter:
        name: str
        seen: int = 0
        tags: list[str] = dataclasses.field(default_factory=list)

        def __init__(self, name: str, seen: int = 0, tags: list[str] | None = None) -> None:
            self.name, self.seen, self.tags = name, seen, [] if tags is None else tags

    std = dataclasses.make_dataclass(
        "Counter", [("name", "str"), ("seen", "int", dataclasses.field(default=0)),
                    ("tags", "list[str]", dataclasses.field(default_factory=list))])
    a, b = Counter("a", 2, ["x"]), std("a", 2, ["x"])
    a.seen += 1
    b.seen += 1
    assert repr(a).split("(", 1)[1] == repr(b).split("(", 1)[1]
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    assert dataclasses.replace(a, seen=9).seen == 9 and a.seen == 3
    assert a == Counter("a", 3, ["x"]) and a != Counter("b", 3, ["x"])
    assert type(a).__hash__ is None and type(b).__hash__ is None  # unhashable, as eq=True
    assert Counter.seen == 0 and "tags" not in vars(Counter)  # class values as the standard
    assert [f.name for f in dataclasses.fields(a)] == ["name", "seen", "tags"]
    assert copy.deepcopy(a) == a and Counter.__match_args__ == ("name", "seen", "tags")


def test_a_python_without_the_fields_marker_gets_the_standard_decorator(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from provlint import record

    monkeypatch.setattr(record, "_FIELD", None)

    @dataclass(frozen=True, slots=True, order=True)
    class Pair:
        a: int
        b: int

        def __init__(self, a: int, b: int) -> None:
            object.__setattr__(self, "a", a)
            object.__setattr__(self, "b", b)

    assert Pair(1, 2) < Pair(1, 3) and Pair(1, 2) == Pair(1, 2)
    assert hash(Pair(1, 2)) == hash((1, 2)) and dataclasses.replace(Pair(1, 2), b=5).b == 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        Pair(1, 2).a = 3  # type: ignore[misc]
