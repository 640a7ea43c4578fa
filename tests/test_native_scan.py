"""The compiled needle scan (``_speedups_scan.c``) gives exactly what its pure twin
(``checks.scan._scan_lines_py``) gives (see tests/test_native.py for the other helpers)."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint.checks import scan
from provlint.lines import split


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


# letters of the needles in both cases, the marks, line ends, characters folding hides
# (non-ASCII, wide) and the four it cannot stand for
_TEXT = st.lists(st.sampled_from([*"byBYaAmin :-?\n\r\t", "\r\n", "é", "’", "\U0001f600",
                                  "\u0130", "\u017f", "\u212a"]), max_size=40).map("".join)
_NEEDLES = st.lists(st.text(st.sampled_from(list("byamin:?-B")), min_size=1, max_size=4),
                    max_size=6).map(tuple)
_MARKS = st.sampled_from(["", ":", "?", "-", "a"])


@given(_TEXT, _NEEDLES, _MARKS)
@example("By Jane: x\nno by\r\nby: by\n", ("by", "b", "y:", "by:"), ":")
@example("a\u0130 by", ("by",), ":")  # the text folding cannot stand for
@example("’by’: b\n", ("by", "?b"), "?")
def test_scan_lines_of_any_text(c: ModuleType, text: str, needles: tuple[str, ...],
                                mark: str) -> None:
    lines = split(text)
    assert c.scan_lines(text, lines, c.scan_plan(needles, mark)) == scan._scan_lines_py(
        text, lines, needles, mark)


# many lines, few hits: the pass skips from hit to hit over the lines between
_LINES = st.lists(st.sampled_from(["", "x", "by", "a: by", "no", "mi", "min", "\u0130"]),
                  max_size=300).map("\n".join)


@given(_LINES, st.sampled_from([("by",), ("min", "a:", "a"), ()]))
def test_scan_lines_of_many_lines(c: ModuleType, text: str, needles: tuple[str, ...]) -> None:
    lines = split(text)
    assert c.scan_lines(text, lines, c.scan_plan(needles, ":")) == scan._scan_lines_py(
        text, lines, needles, ":")


@pytest.mark.parametrize(("needles", "mark"), [(("",), ":"), (("bé",), ":"), (("by",), "::"),
                                               (("by",), "é"), ((1,), ":")])
def test_scan_lines_refuses_what_it_cannot_look_for(c: ModuleType, needles: tuple[object, ...],
                                                    mark: str) -> None:
    with pytest.raises(ValueError):
        c.scan_plan(needles, mark)


def test_scan_lines_needs_lines_and_a_plan(c: ModuleType) -> None:
    with pytest.raises(ValueError):
        c.scan_lines("by", split("by"), ("by",))
    with pytest.raises(TypeError):
        c.scan_lines("by\nby", [(0, 0), 3], c.scan_plan(("by",), ":"))


def test_scan_lines_refuses_exactly_the_texts_holding_a_character_folding_hides(
        c: ModuleType) -> None:
    plan = c.scan_plan(("by",), ":")
    for top in (0x100, 0x10000, 0x110000):  # texts of each width
        others = "".join(chr(k) for k in range(top) if chr(k) not in scan._ODD)
        assert c.scan_lines(others, split(others), plan) is not None
        for odd in scan._ODD:  # in a text of two bytes or four a character
            text = others[-3:] + odd
            assert c.scan_lines(text, split(text), plan) is None
