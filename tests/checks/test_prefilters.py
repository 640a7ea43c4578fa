"""The rules' fast paths find exactly what their plain definitions find.

Each shortcut (a C-speed scan that proves a rule has nothing to do, a regex
over the whole text instead of a loop over the lines) is compared here with
the straightforward version it replaced, on random texts built from the
characters that matter to it.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provlint.checks import encoding, whitespace
from provlint.lines import WS_CHARS

ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=80)  # surrogates too


def test_has_control_agrees_with_the_regex_on_every_low_character() -> None:
    for code in range(0x300):
        ch = chr(code)
        assert encoding.has_control("ab" + ch) == bool(encoding._CONTROL_RE.search(ch)), code


@given(ANY_TEXT)
def test_has_control_agrees_with_the_regex(text: str) -> None:
    assert encoding.has_control(text) == bool(encoding._CONTROL_RE.search(text))


LINE_TEXT = st.lists(st.sampled_from(["a", "b", " ", "\t", "\u00a0", "\u200b", "\u3000", "\n",
                                      "\n", "\n", "\r", "\r\n"]), max_size=60).map("".join)


@given(LINE_TEXT.map(lambda t: t.replace("\r", "")))
def test_lf_only_trailing_space_scan_finds_the_same_line_ends(text: str) -> None:
    fast = [m.start() for m in whitespace._WS_LF_RE.finditer(text)]
    assert fast == [m.start() for m in whitespace._WS_EOL_RE.finditer(text)]


def test_ws_chars_cover_the_line_end_class() -> None:
    assert all(whitespace._WS_LF_RE.search(ch + "\n") for ch in WS_CHARS)
