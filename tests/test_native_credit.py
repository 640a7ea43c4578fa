"""The compiled search for caption and credit candidates (``_speedups_credit_scan.c``) gives
exactly what its pure twin ``checks.credits._lines_py`` gives."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import lines
from provlint.checks import credits, scan


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


# hint words and agencies, their parts, capitals, breaks and the marks around them,
# characters outside ASCII of each width, two of those the fold cannot stand for
_TEXT = st.lists(st.sampled_from([
    *credits._HINTS, *credits._AGENCY_WORDS, "ph", "pho", "phot", "ap", "a", "x", "o", "?",
    "PHOTO", "Ap", "\u00e9", "\u00a0", "\u2009", "\U0001f600", "\ud800", " ", "\t", "\x0b",
    "\x1c", "\x1f", "\x00", "(", "/", ")", "]", ".", "\n", "\r\n", "\r", "\u0130", "\u212a"]),
    max_size=14).map("".join)
_HINT_SETS = st.sampled_from([credits._HINTS, ("pho", "xoo"), ("abc", "pho"),
                              ("photo", "pho"), ("abcd", "abcdef", "dab"), ()])
_AGENCY_SETS = st.sampled_from([credits._AGENCY_WORDS, ("",), ("a" * 70, "ap"), ("x",), ()])


@given(_TEXT, _HINT_SETS, _AGENCY_SETS)
@example("x (/ap ).\t\nreuters?\n?ap\nap)x\n", credits._HINTS, credits._AGENCY_WORDS)
@example("aphotox\nphotophoto\nxxphoto\nxpho", ("photo", "pho"), ())
@example("?\n\x00ap\n", (), ("",))
@example("Photo\u2009/ AP\n\u00e9 REUTERS\n\U0001f600 image\n", credits._HINTS, ("ap",))
@example("photo \u0130\n", credits._HINTS, ("ap",))
@example("photo \u0131\u017f\u212a\n", credits._HINTS, ("ap",))
def test_credit_candidates_of_any_text(c: ModuleType, text: str, hints: tuple[str, ...],
                                       agencies: tuple[str, ...]) -> None:
    found = lines._split_py(text)
    assert c.credit_candidates(text, found, hints, agencies) == credits._lines_py(
        text, found, hints, agencies)


def test_credit_candidates_report_bad_input(c: ModuleType) -> None:
    ok = lines._split_py("ab")
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


@given(st.lists(_TEXT, min_size=1, max_size=4), st.lists(st.integers(0, 3), max_size=12))
@example(["photo by ap\n", "photo \u0130\n"], [0, 0, 1, 1, 0, 1, 0])
def test_the_scans_of_a_text_share_its_fold(c: ModuleType, texts: list[str],
                                            order: list[int]) -> None:
    """credit_candidates and scan_lines keep the last text's fold for each other: in any
    order of calls on the same and on other texts (equal ones too, and ones holding a
    character the fold cannot stand for), each gives what its pure twin gives."""
    plan = c.scan_plan(("by", "ap", "photo"), ":")
    for k in order:
        text = texts[k % len(texts)]
        found = lines._split_py(text)
        if k % 2:
            text = "".join(list(text))  # an equal text, another object (for most)
        assert c.credit_candidates(text, found, credits._HINTS, credits._AGENCY_WORDS) \
            == credits._lines_py(text, found, credits._HINTS, credits._AGENCY_WORDS)
        assert c.scan_lines(text, found, plan) \
            == scan._scan_lines_py(text, found, ("by", "ap", "photo"), ":")
