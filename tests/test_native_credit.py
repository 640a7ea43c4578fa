"""The compiled search for caption and credit candidates (``_speedups_credit2.c``) gives
exactly what its pure twin ``checks.credits._lines_py`` gives."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import lines
from provlint.checks import credits


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


# folded texts (ASCII): hint words and agencies, their parts, breaks and the marks around
_FOLDED = st.lists(st.sampled_from([
    *credits._HINTS, *credits._AGENCY_WORDS, "ph", "pho", "phot", "ap", "a", "x", "o", "?",
    " ", "\t", "\x0b", "\x1c", "\x1f", "\x00", "(", "/", ")", "]", ".", "\n", "\r\n", "\r"]),
    max_size=14).map("".join)
_HINT_SETS = st.sampled_from([credits._HINTS, ("pho", "xoo"), ("abc", "pho"),
                              ("photo", "pho"), ("abcd", "abcdef", "dab"), ()])
_AGENCY_SETS = st.sampled_from([credits._AGENCY_WORDS, ("",), ("a" * 70, "ap"), ("x",), ()])


@given(_FOLDED, _HINT_SETS, _AGENCY_SETS)
@example("x (/ap ).\t\nreuters?\n?ap\nap)x\n", credits._HINTS, credits._AGENCY_WORDS)
@example("aphotox\nphotophoto\nxxphoto\nxpho", ("photo", "pho"), ())
@example("?\n\x00ap\n", (), ("",))
def test_credit_candidates_of_any_folded_text(c: ModuleType, hay: str,
                                              hints: tuple[str, ...],
                                              agencies: tuple[str, ...]) -> None:
    found = lines._split_py(hay)
    assert c.credit_candidates(hay, found, hints, agencies) == credits._lines_py(
        hay, found, hints, agencies)


def test_credit_candidates_report_bad_input(c: ModuleType) -> None:
    ok = lines._split_py("ab")
    with pytest.raises(ValueError):
        c.credit_candidates("é", lines._split_py("é"), ("abc",), ())  # the text is folded
    with pytest.raises(ValueError):
        c.credit_candidates("ab", [lines.Line(0, 0, 9, 9, "ab", False)], ("abc",), ())
    with pytest.raises(ValueError):
        c.credit_candidates("ab", ok, ("ab",), ())  # a hint of three characters or more
    with pytest.raises(ValueError):
        c.credit_candidates("ab", ok, ("é" * 3,), ())
    with pytest.raises(ValueError):
        c.credit_candidates("ab", ok, (), ("é",))
    with pytest.raises(ValueError):
        c.credit_candidates("ab", ok, ("abc",) * 65, ())
    with pytest.raises(TypeError):
        c.credit_candidates("ab", ok, ["abc"], ())  # hints are a tuple
    with pytest.raises(TypeError):
        c.credit_candidates("ab", ok, (1,), ())
    with pytest.raises(TypeError):
        c.credit_candidates("ab", [("not", "a", "line")], (), ())
    assert c.credit_candidates("", [], credits._HINTS, credits._AGENCY_WORDS) == []
