"""The C builder of a rule's hits (``_speedups.fixed_hits``) against its pure twin."""

from __future__ import annotations

import copy
import dataclasses
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import native
from provlint.checks import hits
from provlint.model import EMPTY, Applicability, Edit, Fix, Hit, Span

TYPES = (Span, Edit, Fix, Hit, Applicability.SAFE, EMPTY)


@pytest.fixture(scope="module")
def c() -> ModuleType:
    try:
        from provlint import _speedups
    except ImportError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"provlint._speedups is not built ({exc})")
    assert not native.stale(_speedups), "_speedups is older than its C source: rebuild it"
    return _speedups


@st.composite
def spans(draw: st.DrawFn) -> tuple[int, ...]:
    start = draw(st.integers(0, 10**6))
    end = start + draw(st.integers(0, 300))
    if draw(st.booleans()):
        return (start, end, draw(st.integers(-5, 10**4)))
    return (start, end)


@given(st.lists(spans(), max_size=40), st.text(max_size=5), st.text(max_size=5),
       st.sampled_from(["Remove it", "Fix", ""]), st.sampled_from(["", "\n", "é"]))
@example([(0, 0), (3, 7), (1, 2, 31), (1, 2, 32)], "", " chars", "t", "")
def test_fixed_hits_give_the_same_hits(c: ModuleType, found: list[tuple[int, ...]],
                                       prefix: str, suffix: str, title: str,
                                       replacement: str) -> None:
    made = c.fixed_hits(found, prefix, suffix, title, replacement, TYPES)
    want = hits.fixed_hits_py(found, prefix, suffix, title, replacement)
    assert made == want
    assert [repr(h) for h in made] == [repr(h) for h in want]
    assert [hash(h.fix) for h in made] == [hash(h.fix) for h in want]  # (metadata: no hash)
    for hit in made:
        assert type(hit) is Hit and type(hit.span) is Span and type(hit.fix) is Fix
        assert hit.fix.edits[0].span is hit.span  # one span, as the rules made it
        assert dataclasses.replace(hit) == hit and copy.deepcopy(hit.fix) == hit.fix
        assert hit.metadata is EMPTY and hit.fix.applicability is Applicability.SAFE


def test_fixed_hits_are_frozen(c: ModuleType) -> None:
    hit = c.fixed_hits([(1, 4)], "", "", "t", "", TYPES)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.span.start = 0
    assert dataclasses.asdict(hit.span) == {"start": 1, "end": 4}
    assert hit.message == "3"


def test_fixed_hits_refuse_what_span_refuses(c: ModuleType) -> None:
    for bad in ([(3, 1)], [(-1, 2)]):
        with pytest.raises(ValueError) as want:
            hits.fixed_hits_py(bad, "", "", "t")
        with pytest.raises(ValueError) as got:
            c.fixed_hits(bad, "", "", "t", "", TYPES)
        assert str(got.value) == str(want.value)


def test_fixed_hits_check_their_input(c: ModuleType) -> None:
    with pytest.raises(TypeError, match="items must be"):
        c.fixed_hits([(1,)], "", "", "t", "", TYPES)
    with pytest.raises(TypeError, match=r"slots of model\.py"):
        c.fixed_hits([(1, 2)], "", "", "t", "", (Edit, Span, Fix, Hit, None, EMPTY))
    with pytest.raises(TypeError, match="6-tuple"):
        c.fixed_hits([(1, 2)], "", "", "t", "", TYPES[:4])
    assert c.fixed_hits([(1, 2)], "", "", "t", "", TYPES)[0].span == Span(1, 2)  # loads again
