"""The compiled per-hit bookkeeping of the engine (``_speedups_hits.c``) gives exactly what
its pure twins (``engine._collect_py``) give, and ``clean`` is the same on both paths."""

from __future__ import annotations

import importlib
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint import engine
from provlint.model import Document, Hit, Span
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
    assert got == _run(engine._collect_py, found, size, lift)
    assert repr(got) == repr(_run(engine._collect_py, found, size, lift))  # same types too


def test_collect_hits_reports_a_span_past_the_text(c: ModuleType) -> None:
    found = [Hit(Span(0, 1), "m"), Hit(Span(2, 9), "m")]
    outside = r"^PL001 hit outside the text: Span\(start=2, end=9\)$"
    with pytest.raises(AssertionError, match=outside):
        c.collect_hits([], found, "PL001", "ar", 8, None)
    with pytest.raises(AttributeError):
        c.collect_hits([], [object()], "PL001", "ar", 8, None)
    with pytest.raises(TypeError):
        c.collect_hits([], (), "PL001", "ar", 8, None)  # found is a list


_DEFAULT = resolve("default")
_TEXT = st.text(st.sampled_from("ab é\t\n\r\u00a0\u200b&;<>Ã©"), max_size=80)


@given(_TEXT)
def test_clean_is_the_same_on_the_pure_path(c: ModuleType, text: str) -> None:
    """The whole engine, with and without the compiled helpers (PROVLINT_PURE=1 runs it
    the second way)."""
    doc = Document("d", text, "d.txt")
    compiled = engine.clean(doc, _DEFAULT)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "SPEEDUPS", None)
        pure = engine.clean(doc, _DEFAULT)
    assert compiled == pure
    assert repr(compiled) == repr(pure)
