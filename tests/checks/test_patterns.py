"""The data-rule kinds (checks/patterns.py) against texts indexed at any time."""

from __future__ import annotations

from typing import Any

import pytest

from provlint.checks import patterns
from provlint.model import Document

TEXT = ("Ministers met in Geneva on Monday to discuss the report, officials said.\n\n"
        "Zorblax widget\nQuuxly gadget\n\nQuuxly gadget deluxe edition\n"
        "Zorblax: council votes on the budget\n")


def _hits(kind: str, tokens: list[str]) -> list[str]:
    spec: dict[str, Any] = {
        "code": "PL299", "name": "test-phrases", "kind": kind, "summary": "s", "why": "w",
        "fix_safety": "f", "bad": "b", "good": "g", "message": "{match}",
        "options": {"tokens": tokens},
    }
    rule = patterns.data_rule(spec, "test")
    doc = Document(id="t.txt", text=TEXT)
    return [TEXT[h.span.start:h.span.end] for h in rule.run(doc, rule.options)]


@pytest.mark.parametrize(("kind", "expected"), [
    ("line", ["Zorblax widget\n", "Quuxly gadget\n"]),
    ("line-cluster", ["Zorblax widget\nQuuxly gadget\n\n"]),
    ("line-prefix", ["Zorblax widget\n", "Quuxly gadget\n", "Quuxly gadget deluxe edition\n"]),
])
def test_phrases_no_rule_asked_for_before_are_found_in_a_text_already_indexed(
        kind: str, expected: list[str]) -> None:
    """The index keeps only the keys rules have asked for; new ones rebuild it."""
    before = patterns._index(TEXT)
    tokens = [f"{kind} zorblax widget", "Quuxly gadget", "Zorblax widget"]
    assert _hits(kind, tokens) == expected
    assert patterns._index(TEXT) is not before
    assert _hits(kind, tokens) == expected  # the same answer from the rebuilt index


def test_label_lines_and_lines_over_the_key_length_are_not_indexed_as_phrases() -> None:
    assert _hits("label-line", ["zorblax"]) == ["Zorblax: council votes on the budget\n"]
    long_line = ("Zorblax widget " * 20).strip()  # 299 characters: too long to be a phrase line
    patterns._keyset((long_line,)), patterns._first_words((long_line,))  # both wanted
    index = patterns._Index(long_line + "\n")
    assert not index.where and index.firsts == {"zorblax": [0]}


def test_an_index_older_than_some_wanted_key_is_built_again() -> None:
    """Sizes of the wanted sets date an index, even one built while they grew."""
    text = "Gizmo zorblax\n"
    old = patterns._index(text)
    assert old.where == {}
    patterns._keyset(("gizmo zorblax",))  # a key no rule asked for before
    new = patterns._index(text)
    assert new is not old and new.known == patterns._known()
    assert new.where == {"gizmo zorblax": [0]}
    assert patterns._index(text) is new  # and then kept
