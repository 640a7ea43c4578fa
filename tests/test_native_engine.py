"""The compiled fix selection (``_speedups_engine.c``) and the fused selection and
application of a pass (``_speedups_fixpass.c``) give exactly what their pure twins
(``engine._select_fixes_py``, ``engine._fix_pass_py``) give (see tests/test_native.py for
the other helpers)."""

from __future__ import annotations

import importlib
from types import ModuleType, SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint import engine
from provlint.model import Applicability, AppliedEdit, Decoding, Edit, Fix, Hit, Span


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


# short spans on a short text, so fixes touch, nest and overlap; empty ones are insertions
_SPAN = st.builds(lambda start, size: Span(start, start + size),
                  st.integers(0, 24), st.sampled_from([0, 0, 1, 2, 3, 5]))
# ASCII, cp1252-writable (é, €) and not (Ā, an emoji): the last two skip the fix in cp1252
_REPLACEMENT = st.sampled_from(["", "x", " ", "é", "€", "\u0100", "\U0001f600"])


def _fix(edits: list[Edit], unsafe: bool) -> Fix | None:
    """The fix of ``edits``, or None when they overlap (a Fix refuses that)."""
    try:
        return Fix("t", tuple(edits), Applicability.UNSAFE if unsafe else Applicability.SAFE)
    except ValueError:
        return None


_FIX = st.builds(_fix, st.lists(st.builds(Edit, _SPAN, _REPLACEMENT), min_size=1, max_size=3),
                 st.booleans())


@st.composite
def _hits(draw: st.DrawFn) -> list[engine._Hit]:
    """A pass's hits as the engine sorts them: some without a fix, some of rules whose
    fixes are switched off."""
    out: list[engine._Hit] = []
    for i in range(draw(st.integers(0, 14))):
        span = draw(_SPAN)
        fix = draw(st.none() | _FIX)
        rule = SimpleNamespace(fixable=draw(st.booleans() | st.just(True)))
        code = draw(st.sampled_from(["PL001", "PL002", "PL210"]))
        out.append((span.start, span.end, code, "m", i, rule,  # type: ignore[arg-type]
                    Hit(span, "m", fix), False))
    out.sort()
    return out


@given(_hits(), st.booleans(), st.sampled_from(["utf-8", "cp1252", "ascii"]))
def test_select_fixes_of_any_hits(c: ModuleType, hits: list[engine._Hit], unsafe: bool,
                                  encoding: str) -> None:
    decoding = Decoding(encoding)
    got = c.select_fixes(hits, unsafe, Applicability.UNSAFE,
                         lambda edits: engine._writable(edits, decoding))
    assert got == engine._select_fixes_py(hits, unsafe, decoding)


def test_select_fixes_keeps_overlap_rules_and_order(c: ModuleType) -> None:
    rule = SimpleNamespace(fixable=True)

    def hit(start: int, end: int, i: int, *spans: tuple[int, int]) -> engine._Hit:
        fix = Fix("t", tuple(Edit(Span(s, e), "y") for s, e in spans))
        return (start, end, f"PL{i:03}", "m", i, rule, Hit(Span(start, end), "m", fix),  # type: ignore[return-value]
                False)

    hits = sorted([hit(0, 2, 1, (0, 2)), hit(2, 4, 2, (2, 4)),  # touching ranges: both
                   hit(3, 3, 3, (3, 3)),  # an insertion inside a taken range: skipped
                   hit(4, 4, 4, (4, 4)),  # an insertion touching one: skipped
                   hit(5, 6, 5, (9, 10), (5, 6)),  # edits out of text order
                   hit(7, 8, 6, (7, 8))])
    fixes, in_order = c.select_fixes(hits, False, Applicability.UNSAFE, lambda edits: True)
    assert [code for code, _ in fixes] == ["PL001", "PL002", "PL005", "PL006"]
    assert in_order is False
    assert (fixes, in_order) == engine._select_fixes_py(hits, False, Decoding())


def test_select_fixes_and_fix_pass_pass_errors_on(c: ModuleType) -> None:
    rule = SimpleNamespace(fixable=True)
    fix = Fix("t", (Edit(Span(0, 1), "\u0100"),))
    hits = [(0, 1, "PL001", "m", 0, rule, Hit(Span(0, 1), "m", fix), False)]

    def boom(edits: tuple[Edit, ...]) -> bool:
        raise LookupError("no such codec")

    with pytest.raises(LookupError):
        c.select_fixes(hits, False, Applicability.UNSAFE, boom)
    with pytest.raises(TypeError):
        c.select_fixes([(0, 1)], False, Applicability.UNSAFE, boom)
    with pytest.raises(LookupError):
        c.fix_pass("abc", hits, False, Applicability.UNSAFE, boom, 1, AppliedEdit)
    with pytest.raises(TypeError):
        c.fix_pass("abc", [(0, 1)], False, Applicability.UNSAFE, boom, 1, AppliedEdit)
    with pytest.raises(AttributeError):  # a rule without ``fixable``
        c.fix_pass("abc", [(*hits[0][:5], object(), *hits[0][6:])], False,
                   Applicability.UNSAFE, boom, 1, AppliedEdit)


_TEXT = st.text(st.sampled_from("ab \n\u00e9\u0100"), min_size=30, max_size=40)


@given(_hits(), st.booleans(), st.sampled_from(["utf-8", "cp1252", "ascii"]), _TEXT,
       st.integers(1, 3))
def test_fix_pass_of_any_hits(c: ModuleType, hits: list[engine._Hit], unsafe: bool,
                              encoding: str, text: str, pass_no: int) -> None:
    decoding = Decoding(encoding)
    got = c.fix_pass(text, hits, unsafe, Applicability.UNSAFE,
                     lambda edits: engine._writable(edits, decoding), pass_no, AppliedEdit)
    want = engine._fix_pass_py(text, hits, unsafe, decoding, pass_no)
    assert got == want
    fixes, in_order = engine._select_fixes_py(hits, unsafe, decoding)
    assert got[2] == len(fixes)
    if fixes:  # the same as choosing, then applying
        assert got[:2] == engine._apply_py(text, fixes, pass_no, in_order)


def test_fix_pass_sorts_out_of_order_edits_and_keeps_empty_fixes(c: ModuleType) -> None:
    rule, off = SimpleNamespace(fixable=True), SimpleNamespace(fixable=False)

    def hit(i: int, ar: object, *spans: tuple[int, int]) -> engine._Hit:
        fix = Fix("t", tuple(Edit(Span(s, e), "y") for s, e in spans))
        return (i, i, f"PL{i:03}", "m", i, ar, Hit(Span(i, i), "m", fix),  # type: ignore[return-value]
                False)

    hits = [hit(0, rule, (6, 7), (0, 1)), hit(1, off, (2, 3)), hit(2, rule, (3, 4)),
            hit(3, rule, (0, 2)), hit(4, rule)]  # (0, 2) overlaps; the last has no edit
    text, applied, taken = c.fix_pass("abcdefgh", hits, False, Applicability.UNSAFE,
                                      lambda edits: True, 1, AppliedEdit)
    assert (text, taken) == ("ybcyefyh", 3)
    assert [(a.code, a.span.start, a.out_start) for a in applied] == [
        ("PL000", 0, 0), ("PL002", 3, 3), ("PL000", 6, 6)]
    assert (text, applied, taken) == engine._fix_pass_py("abcdefgh", hits, False, Decoding(), 1)
