"""Shared helpers for the rule tests (nothing here reads the eval data)."""

from __future__ import annotations

from provlint.engine import check, clean, replay, restore
from provlint.model import Document
from provlint.ruleset import Settings, resolve

DEFAULT: Settings = resolve("default")


def doc(text: str) -> Document:
    return Document(id="t.txt", text=text)


def codes(text: str, rules: Settings | list[str] | None = None) -> list[str]:
    return [f.code for f in check(doc(text), rules if rules is not None else DEFAULT)]


def cleaned(text: str, rules: Settings | list[str] | None = None, unsafe: bool = False) -> str:
    """Clean ``text`` and assert the fix properties on the way."""
    d = doc(text)
    res = clean(d, rules if rules is not None else DEFAULT, unsafe=unsafe)
    assert replay(text, res.applied) == res.text  # the record replays to the output
    assert restore(res.text, res.applied) == text  # and undoes to the input
    again = clean(doc(res.text), rules if rules is not None else DEFAULT, unsafe=unsafe)
    assert again.text == res.text and not again.applied  # complete and idempotent
    return res.text


def goes(text: str, code: str, expected: str) -> None:
    """``code`` flags ``text`` and the default rule set cleans it to ``expected``."""
    assert code in codes(text)
    assert cleaned(text) == expected


def stays(text: str, code: str) -> None:
    """``code`` does not flag ``text`` and the default rule set leaves it alone."""
    assert code not in codes(text)
    assert cleaned(text) == text
