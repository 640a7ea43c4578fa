"""The rules' fast paths find exactly what their plain definitions find.

Each shortcut (a C-speed scan that proves a rule has nothing to do, a regex
over the whole text instead of a loop over the lines) is compared here with
the straightforward version it replaced, on random texts built from the
characters that matter to it.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provlint.checks import encoding

ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=80)  # surrogates too


def test_has_control_agrees_with_the_regex_on_every_low_character() -> None:
    for code in range(0x300):
        ch = chr(code)
        assert encoding.has_control("ab" + ch) == bool(encoding._CONTROL_RE.search(ch)), code


@given(ANY_TEXT)
def test_has_control_agrees_with_the_regex(text: str) -> None:
    assert encoding.has_control(text) == bool(encoding._CONTROL_RE.search(text))
