"""The few lines a line rule must look at, found at C speed (no rules here).

Most line rules only fire on a line holding a word of their pattern ("tags",
"publish", "min"); ``lines_with`` finds those lines with ``str.find`` over
the text (folded once per text) instead of running the rule's regex on
every line in a Python loop. Rules whose test is a cached function of one
line's text ask ``flagged`` for the lines it holds for, computed by a C loop.

The folded text stands for the text under ``re.IGNORECASE``: its ASCII
letters are lowercased and every other character is "?" (one character
for one, so positions agree). A text holding one of the four characters
the regex engine matches to an ASCII letter, or that ``str.lower`` maps to
one (``_ODD``; tests/checks/test_prefilters.py checks the list against
every code point), is not folded: ``lines_with`` returns None and the rule
looks at every line, as before. Folding this way is ASCII work at C speed;
``str.lower`` looks every other character up in the Unicode tables.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from .. import rx
from ..lines import Line, by_identity, map_texts, split

# re.IGNORECASE matches dotless i, long s and the Kelvin sign to "i", "s" and "k"; str.lower
# maps the dotted capital I and the Kelvin sign to ASCII letters
_ODD = "\u0130\u0131\u017f\u212a"
_START = itemgetter(1)  # Line.start

@by_identity(4)
def lowered(text: str) -> str | None:
    """``text`` folded (ASCII letters lowercased, every other character "?"),
    or None when the folded text cannot stand for it (it holds one of ``_ODD``).

    Remembered for the last few texts: the rules of one pass share it.
    """
    if any(c in text for c in _ODD):
        return None
    return text.encode("ascii", "replace").lower().decode("ascii")


@lru_cache(maxsize=64)
def _ascii_heads(needles: tuple[str, ...]) -> tuple[str, ...]:
    """Each needle up to its first non-ASCII character: what the folded text shows of it."""
    return tuple(n[:next((k for k, c in enumerate(n) if not c.isascii()), len(n))]
                 for n in needles)


def lines_with(text: str, lines: Sequence[Line], needles: tuple[str, ...],
               fold: bool = True, first: int = 0, stop: int | None = None) -> list[int] | None:
    """Ascending indices of the ``lines[first:stop]`` of ``text`` holding one of ``needles``.

    With ``fold`` the needles (lowercase) are looked up in the folded text
    (see ``lowered``), so a line whose own ``lower()`` holds one is always
    among the result, and so is a line that a case-insensitive pattern
    containing a needle of ASCII letters matches; a needle with a non-ASCII
    character is looked up by its part before it (a few more lines). None
    when the folded text cannot stand for the text. Needles never hold a
    line terminator.
    """
    hay = lowered(text) if fold else text
    if hay is None:
        return None
    stop = len(lines) if stop is None else stop
    if first >= stop:
        return []
    keys = _ascii_heads(needles) if fold else needles
    if "" in keys:  # found on every line
        return list(range(first, stop))
    begin, end = lines[first].start, lines[stop - 1].stop
    found: set[int] = set()
    for needle in keys:
        pos = hay.find(needle, begin, end)
        while pos >= 0:
            i = bisect_right(lines, pos, first, stop, key=_START) - 1
            found.add(i)
            pos = hay.find(needle, lines[i].stop, end)  # one hit is enough: on to the next line
    return sorted(found)


@lru_cache(maxsize=16)
def _any_of(needles: tuple[str, ...]) -> re.Pattern[str]:
    return rx.compile("|".join(map(re.escape, needles)))


def labels_with(text: str, lines: Sequence[Line], needles: tuple[str, ...],
                mark: str = ":") -> Sequence[int]:
    """Ascending indices of the lines of ``text`` whose part before their first
    ``mark`` holds one of ``needles`` (lowercase), looked up in the folded
    text as ``lines_with`` does; every line's index when that cannot stand for
    the text. ``mark`` is one ASCII character, not a letter (folding keeps it)
    nor a line terminator.

    For a rule whose pattern is a label holding a needle, then the mark, with
    no mark before it: most lines have no mark, so only the few that do are
    looked at, with one search over the part before the mark.
    """
    hay = lowered(text)
    if hay is None:
        return range(len(lines))
    holds = _any_of(_ascii_heads(needles)).search
    found = []
    pos = hay.find(mark)
    while pos >= 0:
        i = bisect_right(lines, pos, key=_START) - 1
        if holds(hay, lines[i].start, pos) is not None:
            found.append(i)
        pos = hay.find(mark, lines[i].stop)  # the line's first mark only
    return found


def candidates(text: str, lines: Sequence[Line], needles: tuple[str, ...],
               fold: bool = True, first: int = 0, stop: int | None = None) -> Sequence[int]:
    """``lines_with``, or the index of every line of ``lines[first:stop]`` when it cannot tell."""
    found = lines_with(text, lines, needles, fold, first, stop)
    return range(first, len(lines) if stop is None else stop) if found is None else found


@lru_cache(maxsize=16)
def flagged(text: str, test: Callable[[str], object]) -> tuple[int, ...]:
    """Ascending indices of the non-blank lines of ``text`` for which ``test(line text)``
    is true: ``[i for i, ln in enumerate(split(text)) if not ln.blank and test(ln.text)]``.

    The calls are made by ``map_texts`` (C when built), so a rule's loop only
    visits the lines that matter; ``test`` should be cached per line text
    (the same lines come back in every fix pass). Remembered for the last
    few (text, test) pairs: two rules of a pass may ask the same question.
    """
    lines = split(text)
    return tuple(compress(range(len(lines)), map_texts(lines, test, False)))
