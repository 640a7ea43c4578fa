"""The compiled loops of the layout and badge rules (``_speedups_layout.c``) give exactly
what their pure twins give (see tests/test_native.py for the other helpers)."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import lines
from provlint.checks import boilerplate, counters, headmatter, prose


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


_SHAPES = st.lists(st.one_of(st.none(), st.builds(
    prose.Shape, st.integers(0, 30), st.booleans(), st.booleans(), st.booleans(), st.booleans(),
    st.booleans())), max_size=40).map(tuple)
_BOUND = st.integers(-3, 45)


@given(_SHAPES, st.integers(0, 5))
def test_shape_true_of_any_shapes(c: ModuleType, shapes: tuple[prose.Shape | None, ...],
                                  field: int) -> None:
    assert c.shape_true(shapes, field) == boilerplate._shape_true_py(shapes, field)


@given(_SHAPES, _BOUND, _BOUND, st.sampled_from([0, 2, 5, 12, 40]))
@example((None, prose.Shape(1, False, False, False, False, True), None,
          prose.Shape(2, False, False, False, True, False)), 0, 4, 12)
def test_nav_runs_of_any_shapes(c: ModuleType, shapes: tuple[prose.Shape | None, ...],
                                lo: int, hi: int, max_words: int) -> None:
    lo, hi = max(lo, 0), min(hi, len(shapes))  # the rule's bounds are always in range
    assert c.nav_runs(shapes, lo, hi, max_words) == list(
        boilerplate._runs_py(shapes, lo, hi, max_words))


@given(_SHAPES, _BOUND)
def test_headline_pair_of_any_shapes(c: ModuleType, shapes: tuple[prose.Shape | None, ...],
                                     first: int) -> None:
    first = min(first, len(shapes))  # -1 (no prose block): no line before it
    assert c.headline_pair(shapes, first) == headmatter.headline_pair_py(shapes, first)


_LINE_TEXT = st.text(st.sampled_from("ab 9٣²½Ⅻ\u00a0\t(),.|»😀"), max_size=12)
_TEXTS = st.lists(st.tuples(_LINE_TEXT, st.sampled_from(["\n", "\r\n", "\r", " \n"])),
                  max_size=12).map(lambda parts: "".join(a + nl for a, nl in parts))


@given(_TEXTS, st.integers(0, 14), st.booleans())
@example("x٣\n²\nab 12\n\u00a0\n", 4, True)
def test_short_lines_of_any_text(c: ModuleType, text: str, max_len: int, digit: bool) -> None:
    found = lines._split_py(text)
    assert c.short_lines(found, max_len, digit) == counters.short_lines_py(found, max_len, digit)
    assert c.short_lines(tuple(found), max_len, digit) == c.short_lines(found, max_len, digit)


def test_the_loops_report_bad_input(c: ModuleType) -> None:
    with pytest.raises(TypeError):
        c.shape_true([prose.Shape(1, True, True, True, True, True)], 4)  # shapes are a tuple
    with pytest.raises(TypeError):
        c.nav_runs(((1, True),), 0, 1, 5)  # not a Shape
    with pytest.raises(TypeError):
        c.headline_pair(((1, True),), 1)
    with pytest.raises(ValueError):
        c.shape_true((), 6)
    with pytest.raises(TypeError):
        c.short_lines([("not", "a", "line")], 10, True)
    assert c.nav_runs((), 0, 5, 12) == [] and c.short_lines([], 9, False) == []


@given(_SHAPES, _BOUND, _BOUND)
@example((None, prose.Shape(8, True, False, False, False, False), prose.Shape(18, False, False,
          False, False, False), prose.Shape(8, False, False, False, False, False)), 0, 3)
def test_prose_span_of_any_shapes(c: ModuleType, shapes: tuple[prose.Shape | None, ...],
                                  lo: int, hi: int) -> None:
    assert c.prose_span(shapes, lo, hi) == prose._prose_span_py(shapes, lo, hi)
