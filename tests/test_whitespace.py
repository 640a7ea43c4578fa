"""PL0xx white-space rules: positive cases, silent cases, line endings, Markdown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint.checks import whitespace
from provlint.engine import check, clean
from provlint.lines import WS_CHARS, newline_of, split
from provlint.model import Document, Edit, Fix, Hit, Span


def codes(text: str, select: list[str], path: str = "t.txt") -> list[str]:
    return [f.code for f in check(Document(path, text, path), select)]


def fixed(text: str, select: list[str], path: str = "t.txt") -> str:
    return clean(Document(path, text, path), select).text


@pytest.mark.parametrize(("text", "n"), [
    ("a  \nb\t\n", 2), ("a\u00a0\n", 1), ("a\u200b\r\n", 1), ("   \n", 1), ("a\nb\n", 0),
    ("a b\n", 0), ("", 0),
])
def test_pl001_hits(text: str, n: int) -> None:
    assert codes(text, ["PL001"]).count("PL001") == n


def test_pl001_keeps_crlf_and_markdown_hard_breaks() -> None:
    assert fixed("a  \r\nb \r\n", ["PL001"]) == "a\r\nb\r\n"
    assert fixed("hard  \nbreak\n", ["PL001"], "x.md") == "hard  \nbreak\n"
    assert fixed("three   \nx \n", ["PL001"], "x.md") == "three  \nx\n"
    assert fixed("hard  \nbreak\n", ["PL001"], "x.txt") == "hard\nbreak\n"


@pytest.mark.parametrize(("text", "out"), [
    ("x", "x\n"), ("x\r\ny", "x\r\ny\r\n"), ("x\ry", "x\ry\r"), ("x\n", "x\n"), ("", ""),
    ("  ", "  "),
])
def test_pl002_final_newline_in_file_style(text: str, out: str) -> None:
    assert fixed(text, ["PL002"]) == out


@pytest.mark.parametrize(("text", "out"), [
    ("x\n\n\n", "x\n"), ("x\r\n\r\n", "x\r\n"), ("x\n \n\t\n", "x\n"), ("x\n", "x\n"),
    ("\n\n", "\n\n"),
])
def test_pl003_trailing_blank_lines(text: str, out: str) -> None:
    assert fixed(text, ["PL003"]) == out


def test_pl004_leading_blank_lines() -> None:
    assert fixed("\n \nHead\n", ["PL004"]) == "Head\n"
    assert codes("Head\n\nBody\n", ["PL004"]) == []


@pytest.mark.parametrize(("text", "limit", "out"), [
    ("a\n\n\n\nb\n", 1, "a\n\nb\n"), ("a\n\n\nb\n", 2, "a\n\n\nb\n"),
    ("a\r\n\r\n\r\n\r\nb\r\n", 1, "a\r\n\r\nb\r\n"), ("a\n\nb\n", 1, "a\n\nb\n"),
])
def test_pl005_blank_runs(text: str, limit: int, out: str) -> None:
    from provlint.ruleset import Layer, resolve

    settings = resolve(cli=Layer(select=("PL005",),
                                 options={"PL005": {"max_blank_lines": limit}}))
    assert clean(Document("t", text), settings).text == out


def test_pl006_reports_mixed_endings_without_fixing() -> None:
    doc = Document("t", "a\r\nb\nc\n")
    assert [f.code for f in check(doc, ["PL006"])] == ["PL006"]
    assert clean(doc, ["PL006"]).text == doc.text
    assert codes("a\r\nb\r\n", ["PL006"]) == []


def test_whitespace_family_cleans_a_messy_file_completely() -> None:
    text = "\n\n  Headline  \n\n\n\nBody line.\t\n\n\n"
    assert fixed(text, ["PL0"]) == "  Headline\n\nBody line.\n"  # indentation is kept


def _trailing_by_loop(doc: Document) -> Iterator[Hit]:
    """PL001 walking back from every line end (what the rule's scan must find)."""
    text, md = doc.text, (doc.path or "").endswith(".md")
    ends = [i for i, ch in enumerate(text) if ch in "\r\n"] + [len(text)]
    for end in ends:
        start = end
        while start > 0 and text[start - 1] in WS_CHARS:
            start -= 1
        if start == end:
            continue
        stripped = start > 0 and text[start - 1] not in "\r\n"
        tail = text[start:end]
        if md and stripped and tail == "  ":
            continue
        span = Span(start, end - 2) if md and stripped and tail.endswith("  ") else Span(start, end)
        yield Hit(span, f"trailing white space ({len(span)} chars)",
                  Fix("Remove trailing white space", (Edit(span),)))


@given(st.lists(st.sampled_from(["a", " ", "  ", "\t", "\u00a0", "\u200b", "\u3000", "\n", "\n",
                                 "\r", "\r\n"]), max_size=40).map("".join),
       st.sampled_from(["t.txt", "t.md"]))
@example("hard  \nthree   \n  \n\t  \r\nend  ", "t.md")
def test_pl001_matches_the_walk_back_from_every_line_end(text: str, path: str) -> None:
    doc = Document(path, text, path)
    assert [repr(h) for h in whitespace.trailing_whitespace(doc)] \
        == [repr(h) for h in _trailing_by_loop(doc)]


@given(st.text(st.sampled_from("a \n\r\t"), max_size=12))
def test_pl002_inserts_the_newline_the_text_mostly_uses(text: str) -> None:
    for hit in whitespace.missing_final_newline(Document("t.txt", text)):
        assert hit.fix is not None
        assert hit.fix.edits[0].replacement == newline_of(text)


def _edge_blank_lines_by_loop(text: str) -> tuple[int, int]:
    """The blank lines at the end and at the start of a text with a line of text (what
    PL003 and PL004 count), by a walk over every line."""
    lines = split(text)
    flags = [ln.blank for ln in lines]
    if all(flags):
        return 0, 0
    return len(flags) - len("".join("b" if f else "t" for f in flags).rstrip("b")), \
        flags.index(False)


@given(st.text(st.sampled_from("a \t\u00a0\u200b\n\n\r"), max_size=16))
@example("a\r\r\n")
@example(" ")
def test_pl003_and_pl004_count_the_blank_lines_every_line_walk_counts(text: str) -> None:
    trailing, leading = _edge_blank_lines_by_loop(text)
    doc = Document("t.txt", text)
    assert [h.message for h in whitespace.trailing_blank_lines(doc)] \
        == ([f"{trailing} blank line{'s' if trailing > 1 else ''} at end of file"]
            if trailing else [])
    assert [h.message for h in whitespace.leading_blank_lines(doc)] \
        == ([f"{leading} blank line{'s' if leading > 1 else ''} at start of file"]
            if leading else [])
