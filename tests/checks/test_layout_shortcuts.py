"""The layout and badge rules' shortcuts find exactly what the plain loops they
replaced found, on random texts built from the lines that matter to them."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from provlint.checks import boilerplate, counters, metadata
from provlint.checks.prose import layout, symbol_only
from provlint.checks.scan import flagged
from provlint.dates import parse_date
from provlint.lines import split

_LINES = st.sampled_from([
    "", " ", "|", "»", "* * *", "|---|---|", "• ·", "Home", "World News", "34 Comments",
    "1.2K shares", "Image 2 of 5", "Bild 1 von 5", "(48)", " (1,024) ", "٣ comments",
    "March 14, 2024", "14 March 2024 at 10:30", "2024-03-14", "Posted 2019", "Page 20",
    "The council met on Monday and voted on the budget for the coming year.",
    "A short line with words", "Photo / AP", "x" * 50 + " 12", "١٩٩٩", "²⁰²⁴ 2020"])
_TEXT = st.lists(st.tuples(_LINES, st.sampled_from(["\n", "\r\n", "\r"])), max_size=14).map(
    lambda parts: "".join(a + nl for a, nl in parts))
_YEAR = re.compile(r"(?:19|20)\d\d")


@given(_TEXT)
@example("|\n\n»\nHome\n")
def test_symbol_lines_are_the_flagged_lines(text: str) -> None:
    assert boilerplate._shape_true(layout(text).shapes, boilerplate._SYMBOL) == list(
        flagged(text, symbol_only))


@given(_TEXT)
@example("34 Comments\n(48)\n٣ comments\n")
def test_short_lines_with_a_digit_hold_every_badge(text: str) -> None:
    lines = split(text)
    found = counters.short_lines(lines, counters._MAX_BADGE, True)
    assert [i for i in found if counters._badge(lines[i].text)] == list(
        flagged(text, counters._badge))


@given(_TEXT, st.lists(st.integers(0, 70), min_size=1, max_size=3))
def test_the_shared_short_line_scan_answers_every_length(text: str, lengths: list[int]) -> None:
    """PL217 and PL406 share one scan of the layout's lines (``short_digit_lines``)."""
    lines = layout(text).lines
    for max_len in lengths:
        assert counters.short_digit_lines(lines, max_len) == counters.short_lines(
            lines, max_len, True)


@given(_TEXT)
def test_short_lines_with_a_digit_hold_every_date_line(text: str) -> None:
    lines = split(text)
    plain = [i for i, ln in enumerate(lines)
             if not ln.blank and len(ln.text) <= 60 and _YEAR.search(ln.text)]
    assert [i for i in counters.short_lines(lines, 60, True)
            if metadata._YEAR_RE.search(lines[i].text)] == plain


@given(st.lists(st.sampled_from(["14", "March", "2024", "1999", "20", "19", "٢٠٢٤", " ", ",",
                                 "-", "03", "at", "10:30", "pm", "Sat", "T"]), max_size=8)
       .map("".join))
@example("2024-03-14")
@example("March 14, ٢٠٢٤")
def test_every_date_parse_date_accepts_has_a_year(text: str) -> None:
    assert parse_date(text) is None or metadata._YEAR_RE.search(text) is not None
