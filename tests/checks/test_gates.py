"""The text gates (``checks.gates``) skip a rule only when it finds nothing.

Each gated rule is called on random texts built from the characters its gate
looks at (line ends, white space, the rare characters of PL1xx, each alone and
beside plain letters, so texts sit right on a gate's edge); whenever its place in
the gate's answer is false the rule must yield nothing. Each rule also has texts
it hits that are one character away from ones it does not: a gate one step too
eager says "skip" on one of them, which the last tests show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint.checks import encoding, whitespace
from provlint.rulerun import _active

from .conftest import DEFAULT, doc

Gate = Callable[[str], Sequence[bool]]
GATES: tuple[Gate, ...] = (whitespace._ends, encoding._rare)
GATED = {ar.rule.code: (func, options, guard) for ar, func, options, guard in
         _active(DEFAULT, "t.txt") if guard is not None and guard[0] in GATES}

# the pieces texts are built from: line ends, white space, the rare characters
# alone and inside what PL1xx matches, and plain letters (ASCII or not)
_PIECES = ["a", "B", " ", "\t", "\u00a0", "\u3000", "\n", "\r", "\r\n", "é", "\u2019",
           "\x07", "\x00", "\x7f", "\x85", "\x9f", "\ufffd", "\u200b", "\u2060", "\u00ad",
           "\ufeff", "\u00c3", "\u00c3\u00a9", "\u00c2", "\u00c2\u00a0", "\u00e2\u20ac\u2122",
           "&", "&amp;", "&#38;", "<", "<br>", "</p>", ";", ">"]
EDGY = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)

# texts each rule hits, each beside texts it does not (one character apart)
HITS = {
    "PL002": ["a", "a ", "\na", "a\r\nb", "\u00e9"],
    "PL003": ["a\n\n", "a\n ", "a\n\t\n", "a\r\n\r\n", "a\r\r", "a\n\u00a0\n"],
    "PL004": ["\na", " \na", "\r\na", "\u3000\nb\n", "\ufeff\na"],
    "PL006": ["a\r\nb\n", "a\rb\n", "a\r\nb\rc", "\u00e9\r\n\n"],
    "PL101": ["Caf\u00c3\u00a9\n", "don\u00e2\u20ac\u2122t\n"],
    "PL102": ["\ufffd", "a\ufffd", "\u00e9\ufffd"],
    "PL103": ["\x07", "a\x00", "\x7f", "a\x85b", "\u00e9\x07"],
    "PL104": ["a\u200bb", "a\u2060b", "a\u00adb"],
    "PL105": ["a\ufeff", "\ufeff\ufeff", "ab\ufeffc"],
    "PL106": ["&amp;", "a &#38; b", "\u00e9&amp;"],
    "PL107": ["<br>", "a<p>b", "\u00e9</div>"],
}


def _found(code: str, text: str) -> list[object]:
    func, options, _ = GATED[code]
    return list(func(doc(text), **options))


def _skipped(gate: Gate, code: str, texts: list[str]) -> list[str]:
    """The ``texts`` ``gate`` says rule ``code`` cannot hit."""
    key = GATED[code][2][1]
    return [t for t in texts if not gate(t)[key]]


def test_the_rules_with_a_text_gate() -> None:
    assert sorted(GATED) == sorted(HITS)


@pytest.mark.parametrize("code", sorted(HITS))
@given(text=EDGY)
def test_a_gated_rule_finds_nothing_where_its_gate_says_skip(code: str, text: str) -> None:
    gate, key = GATED[code][2]
    if not gate(text)[key]:
        assert _found(code, text) == []


@pytest.mark.parametrize("code", sorted(HITS))
def test_the_gate_lets_through_each_text_its_rule_hits(code: str) -> None:
    for text in HITS[code]:
        assert _found(code, text), (code, text)  # the rule hits it
    assert _skipped(GATED[code][2][0], code, HITS[code]) == []


def _eager(gate: Gate, key: int, test: Callable[[str], bool]) -> Gate:
    """``gate`` with place ``key`` also false where ``test(text)`` is false."""
    return lambda text: [v and (k != key or test(text)) for k, v in enumerate(gate(text))]


# a gate one step too eager for each rule: each would skip a text the rule hits
_TOO_EAGER = {
    "PL002": lambda t: not t.endswith(" "),  # a last line ending in white space
    "PL003": lambda t: not t.endswith(" "),  # the same, for a blank last line
    "PL004": lambda t: t[:1] in "\r\n",  # the first line blank but not empty
    "PL006": lambda t: "\r\n" in t,  # a lone CR
    "PL101": lambda t: "\u00c3" in t,  # one of the lead letters
    "PL102": lambda t: len(t) > 1,  # the mark alone
    "PL103": lambda t: not t.isascii(),  # the ASCII texts' branch
    "PL104": lambda t: "\u200b" in t,  # a word joiner or soft hyphen
    "PL105": lambda t: t.find("\ufeff", 2) >= 0,  # a BOM as the second character
    "PL106": lambda t: not t.startswith("&"),  # an entity at the start
    "PL107": lambda t: " " in t or not t.isascii(),  # a tag in a short ASCII text
}


@pytest.mark.parametrize("code", sorted(HITS))
def test_a_gate_one_step_too_eager_is_caught(code: str) -> None:
    gate, key = GATED[code][2]
    assert _skipped(_eager(gate, key, _TOO_EAGER[code]), code, HITS[code])
