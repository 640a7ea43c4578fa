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


_LINE_TEXTS = st.text(st.sampled_from("ab \t\u00a0\u2019\U0001f600"), max_size=6)
_BREAKS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def _edited(draw: st.DrawFn) -> tuple[str, str]:
    """A text of a few lines, and the text after a few lines were changed, deleted,
    added or had their line break changed (a fix pass's edits)."""
    rows = draw(st.lists(st.tuples(_LINE_TEXTS, _BREAKS), max_size=24))
    after = []
    for row in rows:
        action = draw(st.sampled_from(["keep", "keep", "keep", "drop", "change", "add"]))
        if action == "drop":
            continue
        if action == "change":
            row = (draw(_LINE_TEXTS), draw(_BREAKS))
        if action == "add":
            after.append((draw(_LINE_TEXTS), draw(_BREAKS)))
        after.append(row)
    end = draw(st.sampled_from(["", "tail"]))
    return ("".join(a + b for a, b in rows) + end,
            "".join(a + b for a, b in after) + draw(st.sampled_from([end, ""])))


@given(_edited())
@example(("a\nb\nc\n", "b\nc\n"))
@example(("x\r\ny\n", "x\ny\n"))
def test_split_lines_after_a_previous_split_is_a_fresh_split(c: ModuleType,
                                                            texts: tuple[str, str]) -> None:
    before, after = texts
    prev = c.split_lines(before, lines.Line)
    again = c.split_lines(after, lines.Line, prev)
    assert again == lines._split_py(after)
    # a reused text is an equal str; a reused line an equal line
    assert all(type(ln) is lines.Line for ln in again)


def test_split_lines_reuses_the_unchanged_lines_of_the_previous_split(c: ModuleType) -> None:
    before = "".join(f"line {i} of the text\n" for i in range(40))
    prev = c.split_lines(before, lines.Line)
    after = before.replace("line 3 of the text\n", "").replace("line 30 ", "LINE 30 ")
    again = c.split_lines(after, lines.Line, prev)
    assert again == lines._split_py(after)
    assert again[0] is prev[0] and again[2] is prev[2]  # before the edits: the same lines
    assert again[3].text is prev[4].text and again[3] is not prev[4]  # moved up by one
    assert again[-1].text is prev[-1].text


def test_split_lines_takes_nothing_from_another_documents_lines(c: ModuleType) -> None:
    prev = c.split_lines("".join(f"other {i}\n" for i in range(40)) + "same\n", lines.Line)
    again = c.split_lines("".join(f"this {i}\n" for i in range(40)) + "same\n", lines.Line,
                          prev)
    assert again == lines._split_py("".join(f"this {i}\n" for i in range(40)) + "same\n")
    assert again[-1].text is not prev[-1].text  # searching gave up before the last line


def test_split_lines_offsets_past_the_kept_ints(c: ModuleType) -> None:
    text = "x" * 70_000 + "\n\n" + "y\n" * 3
    assert c.split_lines(text, lines.Line) == lines._split_py(text)
    with pytest.raises(TypeError):
        c.split_lines(text, lines.Line, [("not", "a", "line")])


def test_split_lines_reuses_the_empty_lines_before_the_first_edit(c: ModuleType) -> None:
    before = "".join(f"line {i}\n\n" for i in range(60))  # more lines than one allocation
    prev = c.split_lines(before, lines.Line)
    after = before.replace("line 40\n", "line forty\n")
    again = c.split_lines(after, lines.Line, prev)
    assert again == lines._split_py(after)
    assert again[1] is prev[1] and again[79] is prev[79]  # empty, at the same place
    shifted = c.split_lines("\n" + before, lines.Line, prev)
    assert shifted == lines._split_py("\n" + before)
    assert not any(a is b for a, b in zip(shifted, prev, strict=False))  # moved by one
