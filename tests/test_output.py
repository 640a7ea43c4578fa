"""safe_text: what a terminal, CSV, Parquet or XML output is given of a document's text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provlint.output import _escaped, safe_text

# every category, lone surrogates included (undecodable bytes read with surrogateescape)
_ANY = st.text(st.characters(blacklist_categories=()), max_size=40)
_EDGES = st.sampled_from(["\x1b[2J", "\r", "\r\n", "\t", "\x85", "\u2028", "\u202e", "\u2066",
                          "\udcff", "\x7f", "\xa0", " ", "é", "\u200b", "\ufeff"])


@given(st.lists(st.one_of(_ANY, _EDGES), max_size=6).map("".join), st.booleans())
def test_printable_shortcut_is_exact(s: str, one_line: bool) -> None:
    assert safe_text(s, one_line=one_line) == _escaped(s, one_line)


def test_escapes() -> None:
    assert safe_text("plain text, café") == "plain text, café"
    assert safe_text("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert safe_text("bad \udcff byte") == "bad \\udcff byte"
    assert safe_text("rtl \u202e override") == "rtl \\u202e override"
    assert safe_text("two\nlines\r\n") == "two\nlines\r\n"
    assert safe_text("lone\rcr") == "lone\\rcr"
    assert safe_text("two\nlines\t", one_line=True) == "two\\nlines\\t"
