"""``_speedups.normalise`` of lines that are ASCII once their quotes are unified: its loop
is specialised per character width (ASCII strs skip the quote table), so every width,
every ASCII white space character and every quote it maps must give what
``lines._normalise_py`` gives, and a line that is already its own key comes back as is."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import lines


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


# ASCII letters of both cases, digits, punctuation, every ASCII white space character,
# the quotes and dashes normalise unifies, and no-break space (a 1-byte non-ASCII str)
_ASCII_WS = "".join(ch for ch in map(chr, range(128)) if ch.isspace())
_CHARS = "aZq9.,'\"-" + _ASCII_WS + "\u2018\u2019\u201c\u201d\u2013\u2014\u00a0"


@given(st.text(st.sampled_from(_CHARS), max_size=40),
       st.sampled_from(["", "\u00e9", "\u2019", "\U0001f600"]))
@example("  Hello,\u00a0World \x1c ", "")
@example("plain words", "")
def test_normalise_of_every_width_is_the_pure_key(c: ModuleType, line: str,
                                                  wide: str) -> None:
    for text in (line, line + wide, wide + line):
        assert c.normalise(text) == lines._normalise_py(text), text


def test_normalise_gives_back_a_line_that_is_its_own_key(c: ModuleType) -> None:
    line = "already a key"
    assert c.normalise(line) is line
    assert c.normalise("Not a key") == "not a key"
    assert c.normalise("two  spaces") == "two spaces"
