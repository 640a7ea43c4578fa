"""The compiled per-hit bookkeeping of the engine (``_speedups_hits.c``) gives exactly what
its pure twins (``rulerun._collect_py``) give, and ``clean`` is the same on both paths."""

from __future__ import annotations

import importlib
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint import engine, rulerun
from provlint.model import Applicability, AppliedEdit, Decoding, Document, Edit, Fix, Hit, Span
from provlint.ruleset import resolve


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


class _Start(Span):
    """A Span whose ``start`` is computed: not a plain slot, so C must ask for it."""

    __slots__ = ()

    @property
    def start(self) -> int:
        return self.end


_SPAN = st.builds(lambda start, size: Span(start, start + size),
                  st.integers(0, 30), st.sampled_from([0, 0, 1, 2, 7]))
_META = st.sampled_from([{}, {"date": "2024"}, {"date": "1999", "by": "é"}, {"by": "x"}])


@st.composite
def _found(draw: st.DrawFn) -> list[Any]:
    """A rule's hits: Hits, Hits on a Span subclass, and look-alikes that are not Hits."""
    out: list[Any] = []
    for _ in range(draw(st.integers(0, 6))):
        span, message, meta = draw(_SPAN), draw(st.sampled_from(["m", "ünï", ""])), draw(_META)
        kind = draw(st.sampled_from(["hit", "hit", "sub", "ns"]))
        if kind == "sub":
            span = _Start(span.start, span.end)
        out.append(SimpleNamespace(span=span, message=message, metadata=meta)
                   if kind == "ns" else Hit(span, message, None, meta))
    return out


def _run(collect: Any, found: list[Any], size: int, lift: bool) -> tuple[Any, ...]:
    out: list[Any] = [(0, 0, "PL904", "x", 0, None, None, True)]
    lifted: dict[str, str] | None = {"by": "first"} if lift else None
    try:
        collect(out, found, "PL001", "ar", size, lifted)
    except AssertionError as exc:
        return "raised", str(exc), out, lifted
    return "ok", out, lifted


@given(_found(), st.integers(0, 40), st.booleans())
def test_collect_hits_of_any_hits(c: ModuleType, found: list[Any], size: int,
                                  lift: bool) -> None:
    got = _run(c.collect_hits, found, size, lift)
    assert got == _run(rulerun._collect_py, found, size, lift)
    assert repr(got) == repr(_run(rulerun._collect_py, found, size, lift))  # same types too


def test_collect_hits_reports_a_span_past_the_text(c: ModuleType) -> None:
    found = [Hit(Span(0, 1), "m"), Hit(Span(2, 9), "m")]
    outside = r"^PL001 hit outside the text: Span\(start=2, end=9\)$"
    with pytest.raises(AssertionError, match=outside):
        c.collect_hits([], found, "PL001", "ar", 8, None)
    with pytest.raises(AttributeError):
        c.collect_hits([], [object()], "PL001", "ar", 8, None)
    with pytest.raises(TypeError):
        c.collect_hits([], (), "PL001", "ar", 8, None)  # found is a list


def _fix(edits: list[Edit], unsafe: bool) -> Fix | None:
    """The fix of ``edits``, or None when they overlap (a Fix refuses that)."""
    try:
        return Fix("t", tuple(edits), Applicability.UNSAFE if unsafe else Applicability.SAFE)
    except ValueError:
        return None


# spans may reach past the end of a short text (slicing clamps them); replacements
# are empty, ASCII, Latin-1, BMP and astral, so the joined text changes its width
_EDIT = st.builds(Edit, st.builds(lambda start, size: Span(start, start + size),
                                  st.integers(0, 14), st.sampled_from([0, 0, 1, 2, 4])),
                  st.sampled_from(["", "x", "  ", "é", "\u0100", "\U0001f600"]))
_FIXES = st.lists(st.builds(_fix, st.lists(_EDIT, min_size=1, max_size=3), st.booleans()),
                  max_size=8)


def _selected(fixes: list[Fix | None]) -> tuple[list[tuple[str, Fix]], bool]:
    """The fixes the engine would apply together (no two overlap), as it passes them."""
    rule = SimpleNamespace(fixable=True)
    hits = sorted((f.span.start, f.span.end, f"PL{i:03}", "m", i, rule, Hit(f.span, "m", f),
                   False) for i, f in enumerate(fixes) if f is not None)
    return engine._select_fixes_py(hits, True, Decoding())  # type: ignore[arg-type]


@given(st.text(st.sampled_from("ab \n\u00e9\u0101\U0001f600"), max_size=14), _FIXES,
       st.integers(1, 10))
def test_apply_fixes_of_any_fixes(c: ModuleType, text: str, fixes: list[Fix | None],
                                  pass_no: int) -> None:
    selected, in_order = _selected(fixes)
    for order in {in_order, False}:  # the sorting path gives the same on ordered edits
        got = c.apply_fixes(text, selected, pass_no, order, AppliedEdit)
        want = engine._apply_py(text, selected, pass_no, order)
        assert got == want
        assert repr(got) == repr(want) and all(type(a) is AppliedEdit for a in got[1])
        assert engine.restore(got[0], got[1]) == text or any(
            e.span.end > len(text) for _, f in selected for e in f.edits)


def test_apply_fixes_sorts_edits_out_of_text_order(c: ModuleType) -> None:
    fix = Fix("t", (Edit(Span(6, 7), "Z"), Edit(Span(1, 2), "Y")))
    text, applied = c.apply_fixes("abcdefgh", [("PL001", fix)], 2, False, AppliedEdit)
    assert text == "aYcdefZh"
    assert [(a.code, a.pass_no, a.span, a.before, a.after, a.out_start) for a in applied] == [
        ("PL001", 2, Span(1, 2), "b", "Y", 1), ("PL001", 2, Span(6, 7), "g", "Z", 6)]
    with pytest.raises(TypeError):
        c.apply_fixes("ab", [("PL001", fix, 3)], 1, True, AppliedEdit)
    with pytest.raises(TypeError):  # a replacement must be a str, as str.join says
        c.apply_fixes("ab", [("PL001", Fix("t", (Edit(Span(0, 1), 3),)))],  # type: ignore[arg-type]
                      1, True, AppliedEdit)


_DEFAULT = resolve("default")
_TEXT = st.text(st.sampled_from("ab é\t\n\r\u00a0\u200b&;<>Ã©"), max_size=80)


@given(_TEXT)
def test_clean_is_the_same_on_the_pure_path(c: ModuleType, text: str) -> None:
    """The whole engine, with and without the compiled helpers (PROVLINT_PURE=1 runs it
    the second way)."""
    doc = Document("d", text, "d.txt")
    compiled = engine.clean(doc, _DEFAULT)
    with pytest.MonkeyPatch.context() as mp:
        for module in (engine, rulerun):
            mp.setattr(module, "SPEEDUPS", None)
        pure = engine.clean(doc, _DEFAULT)
    assert compiled == pure
    assert repr(compiled) == repr(pure)
