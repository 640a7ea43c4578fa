"""The few lines a line rule must look at, found at C speed (no rules here).

Most line rules only fire on a line holding a word of their pattern ("tags",
"publish", "min"); ``lines_with`` finds those lines in the text (folded
once per text) instead of running the rule's regex on every line in a
Python loop. The needles of every rule are found together: ``needle_map``
makes one pass per text for all of them (``scan_lines``, C when built),
and each rule reads its lines from the shared answer. Rules whose test is
a cached function of one line's text ask ``flagged`` for the lines it holds
for, computed by a C loop.

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
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from types import ModuleType
from typing import NamedTuple

from .. import rx
from ..lines import Line, by_identity, map_texts, split
from ..native import SPEEDUPS as _C

# re.IGNORECASE matches dotless i, long s and the Kelvin sign to "i", "s" and "k"; str.lower
# maps the dotted capital I and the Kelvin sign to ASCII letters
_ODD = "\u0130\u0131\u017f\u212a"
_START = itemgetter(1)  # Line.start
_MARK = ":"  # the mark of the labels every shared scan looks for

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
    line terminator. ``lines`` is ``split(text)``; the folded look-up is
    answered by the shared scan (``needle_map``).
    """
    stop = len(lines) if stop is None else stop
    if not fold:
        return _holding(text, lines, needles, first, stop)
    keys = _ascii_heads(needles)
    where = needle_map(text, keys)
    if where is None:
        return None
    if first >= stop:
        return []
    if "" in keys:  # found on every line
        return list(range(first, stop))
    found = where.unions.get(keys)
    if found is None:  # the first rule (or stretch) asking: shared from now on
        found = where.unions[keys] = _union([where.hold[k] for k in keys])
    if first or stop < len(lines):  # a stretch: the union's part in it
        return found[bisect_left(found, first):bisect_left(found, stop)]
    return found[:]  # a copy: the list belongs to the shared map


def _holding(hay: str, lines: Sequence[Line], keys: tuple[str, ...], first: int,
             stop: int) -> list[int]:
    """Ascending indices of the ``lines[first:stop]`` holding one of ``keys`` in ``hay``:
    a ``str.find`` pass per key, on to the next line after each hit."""
    if first >= stop:
        return []
    if "" in keys:
        return list(range(first, stop))
    begin, end = lines[first].start, lines[stop - 1].stop
    hits: set[int] = set()
    for needle in keys:
        pos = hay.find(needle, begin, end)
        while pos >= 0:
            i = bisect_right(lines, pos, first, stop, key=_START) - 1
            hits.add(i)
            pos = hay.find(needle, lines[i].stop, end)  # one hit is enough: on to the next line
    return sorted(hits)


def _union(rows: list[list[int]]) -> list[int]:
    """The ascending union of ascending lists of indices."""
    return rows[0] if len(rows) == 1 else sorted(set().union(*rows))


def labels_with(text: str, lines: Sequence[Line], needles: tuple[str, ...],
                mark: str = ":") -> Sequence[int]:
    """Ascending indices of the lines of ``text`` whose part before their first
    ``mark`` holds one of ``needles`` (lowercase), looked up in the folded
    text as ``lines_with`` does; every line's index when that cannot stand for
    the text. ``mark`` is one ASCII character, not a letter (folding keeps it)
    nor a line terminator; ``lines`` is ``split(text)``.

    For a rule whose pattern is a label holding a needle, then the mark, with
    no mark before it. For a colon the shared scan (``needle_map``) answers.
    """
    keys = _ascii_heads(needles)
    if mark != _MARK or "" in keys:
        return _labels_by_search(text, lines, keys, mark)
    where = needle_map(text, keys)
    if where is None:
        return range(len(lines))
    return _union([where.before[k] for k in keys])


@lru_cache(maxsize=16)
def _any_of(needles: tuple[str, ...]) -> re.Pattern[str]:
    return rx.compile("|".join(map(re.escape, needles)))


def _labels_by_search(text: str, lines: Sequence[Line], keys: tuple[str, ...],
                      mark: str) -> Sequence[int]:
    """``labels_with``: a ``str.find`` of each line's first mark, then a search of the
    folded text before it (most lines have no mark)."""
    hay = lowered(text)
    if hay is None:
        return range(len(lines))
    holds = _any_of(keys).search
    hits = []
    pos = hay.find(mark)
    while pos >= 0:
        i = bisect_right(lines, pos, key=_START) - 1
        if holds(hay, lines[i].start, pos) is not None:
            hits.append(i)
        pos = hay.find(mark, lines[i].stop)  # the line's first mark only
    return hits


class NeedleMap(NamedTuple):
    """Where needles are in a folded text (see ``scan_lines``)."""

    needles: tuple[str, ...]  # the needles looked for
    hold: dict[str, list[int]]  # needle -> the lines where it starts
    before: dict[str, list[int]]  # needle -> the lines holding it before their first ":"
    # needles (a rule's, see ``lines_with``) -> the lines where one of them starts: filled
    # as rules ask, so the rules of a pass and the stretches of a rule share the union
    unions: dict[tuple[str, ...], list[int]]


# every needle a rule has asked ``needle_map`` about, in the order first asked (a new tuple
# when one joins: a remembered map of an older one is stale), and the key tuples asked about
_WATCHED: tuple[str, ...] = ()
_ASKED: set[tuple[str, ...]] = set()


def needle_map(text: str, keys: tuple[str, ...]) -> NeedleMap | None:
    """Where each of ``keys`` (lowercase ASCII; "" is passed over) is in the folded
    ``text``, or None when the folded text cannot stand for it.

    One pass looks for every needle any rule has asked about; it is remembered
    for the last few texts, so the rules of a fix pass share it (a text passed
    before new needles were asked about is passed again). Needles never hold a
    line terminator, so a needle starting in a line is wholly inside it.
    """
    global _WATCHED
    if keys not in _ASKED:
        if any("\n" in k or "\r" in k for k in keys):
            raise ValueError(f"needles never hold a line terminator: {keys!r}")
        _WATCHED += tuple(dict.fromkeys(k for k in keys if k and k not in _WATCHED))
        _ASKED.add(keys)
    for seen, where in _MAPS:
        if seen is text and (where is None or where.needles is _WATCHED):
            return where  # None: the text cannot be folded, whatever the needles
    where = _map(text, _WATCHED)
    _MAPS.insert(0, (text, where))  # a stale map of this text is passed over from now on
    del _MAPS[4:]
    return where


# the maps of the last few texts, most recent first (held with their texts, so an id is
# never reused while remembered): ``lines.by_identity``, except that a map made before
# new needles joined is made again and remembered in its place
_MAPS: list[tuple[str, NeedleMap | None]] = []


def _map(text: str, needles: tuple[str, ...]) -> NeedleMap | None:
    scanned = scan_lines(text, split(text), needles, _MARK)
    if scanned is None:
        return None
    hold, before = scanned
    return NeedleMap(needles, dict(zip(needles, hold, strict=True)),
                     dict(zip(needles, before, strict=True)), {})


_Scanned = tuple[list[list[int]], list[list[int]]]


def scan_lines(text: str, lines: Sequence[Line], needles: tuple[str, ...],
               mark: str) -> _Scanned | None:
    """For each of ``needles`` (non-empty, ASCII), the ascending indices of the lines
    (``split(text)``) where it starts in the folded text, and of those where it is
    wholly before the line's first ``mark`` (one ASCII character, or "" for none);
    None when the folded text cannot stand for the text (see ``lowered``).

    One C pass for all needles when built (``_speedups_scan.c``); the pure twin
    makes a ``str.find`` pass per needle.
    """
    if _C is None:
        return _scan_lines_py(text, lines, needles, mark)
    scanned: _Scanned | None = _C.scan_lines(text, lines, _plan(_C, needles, mark))
    return scanned


@lru_cache(maxsize=8)
def _plan(c: ModuleType, needles: tuple[str, ...], mark: str) -> object:
    """The C scan's table for ``needles`` and ``mark``: made once, it serves every text."""
    return c.scan_plan(needles, mark)


def _scan_lines_py(text: str, lines: Sequence[Line], needles: tuple[str, ...],
                   mark: str) -> _Scanned | None:
    hay = lowered(text)
    if hay is None:
        return None
    hold = [_holding(hay, lines, (k,), 0, len(lines)) for k in needles]
    heads = []  # (line, the position of its first mark)
    pos = hay.find(mark) if mark and lines else -1
    while pos >= 0:
        i = bisect_right(lines, pos, key=_START) - 1
        heads.append((i, pos))
        pos = hay.find(mark, lines[i].stop)
    before = [[i for i, at in heads if hay.find(k, lines[i].start, at) >= 0] for k in needles]
    return hold, before


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
