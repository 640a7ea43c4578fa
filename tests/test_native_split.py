"""``_speedups.split_lines`` on long lines of every character width: its 2-byte scan for
line ends goes eight characters a step, so a break at any place in or after a step must
end the line exactly where ``lines._split_py`` ends it."""

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


# ASCII, a 2-byte and a 4-byte character (each makes the text that wide), white space of
# WS_CHARS in each width, and every line break
_CHARS = "ab \t\u00a0\u2019\u3000\U0001f600\n\r"


@given(st.lists(st.text(st.sampled_from(_CHARS), max_size=40), max_size=8),
       st.sampled_from(["", "\u2019", "\U0001f600"]))
@example(["a" * 7 + "\n" + "b" * 9 + "\r\n" + "c" * 17 + "\r"], "\u2019")
def test_split_lines_ends_lines_where_the_pure_split_does(c: ModuleType, parts: list[str],
                                                          wide: str) -> None:
    text = wide.join(parts)
    assert c.split_lines(text, lines.Line) == lines._split_py(text)
