"""The C builder of a rule's hits (``_speedups.fixed_hits``) against its pure twin."""

from __future__ import annotations

import copy
import dataclasses
from types import ModuleType
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import model, native
from provlint.checks import hits
from provlint.model import EMPTY, Applicability, AppliedEdit, Decoding, Edit, Fix, Hit, Span

TYPES = (Span, Edit, Fix, Hit, EMPTY)
SAFE, UNSAFE = Applicability.SAFE, Applicability.UNSAFE


@pytest.fixture(scope="module")
def c() -> ModuleType:
    try:
        from provlint import _speedups
    except ImportError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"provlint._speedups is not built ({exc})")
    assert not native.stale(_speedups), "_speedups is older than its C source: rebuild it"
    return _speedups


@st.composite
def items(draw: st.DrawFn) -> tuple[object, ...]:
    start = draw(st.integers(0, 10**6))
    end = start + draw(st.integers(0, 300))
    middle = draw(st.integers(-5, 10**4) | st.text(max_size=8))
    kind = draw(st.sampled_from(["pair", "triple", "span"]))
    if kind == "span":
        return (Span(start, end), middle)
    return (start, end, middle) if kind == "triple" else (start, end)


@given(st.lists(items(), max_size=40), st.text(max_size=5), st.text(max_size=5),
       st.sampled_from(["Remove it", "Fix", ""]), st.sampled_from(["", "\n", "é"]),
       st.sampled_from([SAFE, UNSAFE]))
@example([(0, 0), (3, 7), (1, 2, 31), (1, 2, 32), (Span(2, 2), "x")], "", " chars", "t", "",
         SAFE)
def test_fixed_hits_give_the_same_hits(c: ModuleType, found: list[Any],
                                       prefix: str, suffix: str, title: str,
                                       replacement: str, app: Applicability) -> None:
    made = c.fixed_hits(found, prefix, suffix, title, replacement, app, TYPES)
    want = hits.fixed_hits_py(found, prefix, suffix, title, replacement, app)
    assert made == want
    assert [repr(h) for h in made] == [repr(h) for h in want]
    assert [hash(h.fix) for h in made] == [hash(h.fix) for h in want]  # (metadata: no hash)
    for hit in made:
        assert type(hit) is Hit and type(hit.span) is Span and type(hit.fix) is Fix
        assert hit.fix.edits[0].span is hit.span  # one span, as the rules made it
        assert dataclasses.replace(hit) == hit and copy.deepcopy(hit.fix) == hit.fix
        assert hit.metadata is EMPTY and hit.fix.applicability is app
    for item, hit in zip(found, made, strict=True):
        if isinstance(item[0], Span):
            assert hit.span is item[0]  # the rule's own span object is kept


def test_fixed_hits_are_frozen(c: ModuleType) -> None:
    hit = c.fixed_hits([(1, 4)], "", "", "t", "", SAFE, TYPES)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.span.start = 0
    assert dataclasses.asdict(hit.span) == {"start": 1, "end": 4}
    assert hit.message == "3"


def test_fixed_hits_refuse_what_span_refuses(c: ModuleType) -> None:
    for bad in ([(3, 1)], [(-1, 2)]):
        with pytest.raises(ValueError) as want:
            hits.fixed_hits_py(bad, "", "", "t")
        with pytest.raises(ValueError) as got:
            c.fixed_hits(bad, "", "", "t", "", SAFE, TYPES)
        assert str(got.value) == str(want.value)


def test_fixed_hits_check_their_input(c: ModuleType) -> None:
    with pytest.raises(TypeError, match="items must be"):
        c.fixed_hits([(1,)], "", "", "t", "", SAFE, TYPES)
    with pytest.raises(TypeError, match="middle must be"):
        c.fixed_hits([(1, 2, 2.5)], "", "", "t", "", SAFE, TYPES)
    with pytest.raises(TypeError, match=r"slots of model\.py"):
        c.fixed_hits([(1, 2)], "", "", "t", "", SAFE, (Edit, Span, Fix, Hit, EMPTY))
    # a subclass whose own slots are others, with Span's names only in its base
    other = type("Other", (Span,), {"__slots__": ("a", "b")})
    with pytest.raises(TypeError, match=r"slots of model\.py"):
        c.fixed_hits([(1, 2)], "", "", "t", "", SAFE, (other, Edit, Fix, Hit, EMPTY))
    with pytest.raises(TypeError, match="5-tuple"):
        c.fixed_hits([(1, 2)], "", "", "t", "", SAFE, TYPES[:4])
    assert c.fixed_hits([(1, 2)], "", "", "t", "", SAFE, TYPES)[0].span == Span(1, 2)  # loads again


@given(st.integers(0, 50), st.integers(0, 50), st.text(max_size=6), st.sampled_from([SAFE, UNSAFE]))
def test_fill_sets_what_fill_py_sets(c: ModuleType, a: int, b: int, text: str,
                                     app: Applicability) -> None:
    start, end = min(a, b), max(a, b)
    span = Span(start, end)
    for cls, values in ((Span, (start, end)), (Edit, (span, text)),
                        (Fix, (text, (Edit(span),), app)), (Hit, (span, text, None, EMPTY)),
                        (AppliedEdit, ("PL001", a, span, text, "", b, app)),
                        (Decoding, ("utf-8", True, "lf", "strict"))):
        made: Any = object.__new__(cls)
        want: Any = object.__new__(cls)
        c.fill(made, *values)
        model._fill_py(want, *values)
        assert made == want and repr(made) == repr(want)
        assert tuple(getattr(made, f.name) for f in dataclasses.fields(made)) == values
        c.fill(made, *values)  # again (an __init__ called twice): the old values are dropped
        assert made == want


def test_fill_checks_its_input(c: ModuleType) -> None:
    for fill in (c.fill, model._fill_py):
        with pytest.raises(TypeError, match="fields, not"):
            fill(object.__new__(Span), 1)
    with pytest.raises(TypeError):
        c.fill()
    with pytest.raises(AttributeError):
        c.fill(object(), 1)


def test_fill_serves_any_number_of_types(c: ModuleType) -> None:
    # The C fill remembers the offsets of its first 16 types; a plugin's or a test's
    # subclasses beyond them are still filled (read afresh each time), not refused.
    kinds = [type(f"Span{i}", (Span,), {"__slots__": ()}) for i in range(40)]
    for kind in kinds:
        made = kind(3, 9)
        assert (made.start, made.end, type(made)) == (3, 9, kind)
        c.fill(made, 4, 5)
        assert (made.start, made.end) == (4, 5)
