"""Line structure helpers shared by the checks.

A line is its content plus its terminator (``\\n``, ``\\r\\n`` or ``\\r``);
offsets are code points into the document text, so rules never need to
care which newline style a file uses.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache, wraps
from typing import NamedTuple, Protocol, TypeVar

from . import rx
from .model import Span
from .native import SPEEDUPS

_T = TypeVar("_T")
_B = TypeVar("_B")
_A = TypeVar("_A")
_R = TypeVar("_R")
_R_co = TypeVar("_R_co", covariant=True)

_LINE_RE = rx.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")

# Characters that count as white space at a line's end or in a blank line:
# str.isspace() plus the zero-width ones extractors leave behind.
WS_CHARS = (
    "\t\v\f \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)


class Line(NamedTuple):
    """One line: ``start`` .. ``end`` is the content, ``end`` .. ``stop`` the terminator.

    A named tuple: immutable, and built at C speed by ``split`` (one per line
    per fix pass; a dataclass's ``__init__`` cost a third of the split).
    """

    index: int  # type: ignore[assignment]  # shadows tuple.index, on purpose
    start: int
    end: int
    stop: int
    text: str
    blank: bool  # only white space (WS_CHARS) or empty; computed once by split()

    @property
    def full(self) -> Span:
        return Span(self.start, self.stop)

    @property
    def terminated(self) -> bool:
        return self.stop > self.end


_new = tuple.__new__


def _split_py(text: str) -> list[Line]:
    out: list[Line] = []
    app = out.append
    if "\r" not in text:  # the common case: str.split is C speed
        pos = 0
        parts = text.split("\n")
        last = len(parts) - 1
        for i, body in enumerate(parts):
            end = pos + len(body)
            if i == last:
                if body:
                    app(_new(Line, (i, pos, end, end, body, not body.strip(WS_CHARS))))
                break
            app(_new(Line, (i, pos, end, end + 1, body, not body.strip(WS_CHARS))))
            pos = end + 1
        return out
    for i, m in enumerate(_LINE_RE.finditer(text)):
        if m.start() == len(text):
            break
        body = m.group().rstrip("\r\n")
        app(Line(i, m.start(), m.start() + len(body), m.end(), body,
                 not body.strip(WS_CHARS)))
    return out


# The compiled twins, unless built with another WS_CHARS (its blank test would differ).
_C = SPEEDUPS if SPEEDUPS is not None and SPEEDUPS.WS_CHARS == WS_CHARS else None


# The last split made: the next text is most often the same document after a fix pass,
# whose unchanged lines the compiled split takes from it (equal values, and their strs
# keep their cached hashes for the per-line caches).
_last: list[list[Line]] = [[]]


def _split(text: str) -> list[Line]:
    if _C is None:
        return _split_py(text)
    lines: list[Line] = _C.split_lines(text, Line, _last[0])
    _last[0] = lines
    return lines


def by_identity(size: int) -> Callable[[Callable[[_A], _R]], Callable[[_A], _R]]:
    """Remember a one-argument function's results for its last ``size`` arguments,
    told apart by identity (``is``): the rules of one pass ask about the same text
    or layout object, and hashing either would cost a pass over it. The cache holds
    its arguments, so an id is never reused while it is remembered."""
    def wrap(func: Callable[[_A], _R]) -> Callable[[_A], _R]:
        cache: list[tuple[_A, _R]] = []  # most recent first

        @wraps(func)
        def remembered(arg: _A) -> _R:
            for seen, result in cache:
                if seen is arg:
                    return result
            result = func(arg)
            cache.insert(0, (arg, result))
            del cache[size:]
            return result
        return remembered
    return wrap


# Every rule splits the same text; the engine runs them one after the other,
# so remembering the last few texts splits each text once.
_split_once = by_identity(4)(_split)


def split(text: str) -> list[Line]:
    """Split ``text`` into lines; a final terminator does not start a new line.

    The list is a fresh copy each call (the Line values are shared and must
    not be changed).
    """
    return list(_split_once(text))


def newline_counts(text: str) -> tuple[int, int, int]:
    """How many LF, CRLF and lone CR line endings the text has."""
    crlf = text.count("\r\n")
    return text.count("\n") - crlf, crlf, text.count("\r") - crlf


def newline_style(text: str) -> str:
    """``lf``, ``crlf``, ``cr``, ``mixed`` or ``none`` (the provenance decoding fact)."""
    kinds = [name for name, n in zip(("lf", "crlf", "cr"), newline_counts(text), strict=True)
             if n]
    return kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none")


def newline_of(text: str) -> str:
    """The newline the text mostly uses (``\\n`` when it has none)."""
    lf, crlf, cr = newline_counts(text)
    best = max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


_QUOTE_PAIRS = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'),
                ("\u2013", "-"), ("\u2014", "-"), ("\u00a0", " "))


def _normalise_py(line: str) -> str:
    """Compare key for a line: NFKC, case-folded, quotes unified, spaces collapsed."""
    if line.isascii():  # NFKC and the quote table change nothing in ASCII
        return " ".join(line.lower().split()).strip(WS_CHARS)
    s = unicodedata.normalize("NFKC", line)
    for ch, to in _QUOTE_PAIRS:  # str.translate looks up every character in a dict
        if ch in s:
            s = s.replace(ch, to)
    # split() splits on the same characters as \s; the ends are stripped anyway
    return " ".join(s.casefold().split()).strip(WS_CHARS)


class LineTest(Protocol[_R_co]):
    """A cached test of a line's text (``cached_line_test``)."""

    def __call__(self, text: str, /) -> _R_co: ...

    def cache_clear(self) -> None: ...


def cached_line_test(name: str, pure: Callable[[str], _R],
                     compiled: Callable[[str], object] | None) -> LineTest[_R]:
    """``pure``, cached for the last 65,536 line texts (lines come back in every fix
    pass and across rules), named ``name`` in ``pure``'s module and documented by it.

    When ``compiled``, its C twin, is given, the cache is C too (``_speedups.memo``:
    a dict, no recency list, emptied when full; the results are the same) and calls
    ``compiled``: a line it has not seen yet then costs no Python frame.
    """
    if compiled is None or _C is None:
        found: LineTest[_R] = lru_cache(maxsize=1 << 16)(pure)
    else:  # the compiled twin gives what ``pure`` gives (tests/test_native.py)
        found = _C.memo(compiled, 1 << 16)
    found.__module__, found.__doc__ = pure.__module__, pure.__doc__
    found.__name__ = found.__qualname__ = name  # type: ignore[attr-defined]
    return found


normalise = cached_line_test("normalise", _normalise_py, None if _C is None else _C.normalise)


def map_texts(lines: Sequence[Line], func: Callable[..., _T], blank: _B,
              *extra: object) -> list[_T | _B]:
    """``[blank if ln.blank else func(ln.text, *extra) for ln in lines]``, in C when built."""
    if _C is None:
        return [blank if ln.blank else func(ln.text, *extra) for ln in lines]
    out: list[_T | _B] = _C.map_texts(lines, func, blank, *extra)
    return out


def contains_any(text: str, needles: tuple[str, ...]) -> bool:
    """``any(needle in text for needle in needles)``, in C when built: a cheap
    test for a few words before a costly pattern (a regex alternation of the
    words is much slower, trying each at almost every position)."""
    if _C is None:
        return _contains_any_py(text, needles)
    found: bool = _C.contains_any(text, needles)
    return found


def _contains_any_py(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)


def labelled(lines: Sequence[Line], mark: str = ":", within: int = 48) -> list[int]:
    """Indices of the lines with a label: the first ``mark`` (one character) among the
    first ``within`` characters, and not first (``ln.text.find(mark, 0, within) > 0``).

    Few lines qualify; looking for them in C spares label rules a Python loop
    over every line.
    """
    if _C is None:
        return _labelled_py(lines, mark, within)
    found: list[int] = _C.labelled(lines, mark, within)
    return found


def _labelled_py(lines: Sequence[Line], mark: str, within: int) -> list[int]:
    return [i for i, ln in enumerate(lines) if ln.text.find(mark, 0, within) > 0]


@lru_cache(maxsize=4)
def line_keys(text: str) -> tuple[str, ...]:
    """``normalise`` of each line of ``text`` ("" for blank lines), once per text."""
    return tuple(map_texts(split(text), normalise, ""))


def block_span(lines: Sequence[Line], first: int, last: int) -> Span:
    """Span deleting lines ``first..last`` so that paragraph spacing survives.

    When the block starts the document or follows a blank line, the blank
    lines after it go too; otherwise only the block's own lines go.
    """
    stop = lines[last].stop
    if first == 0 or lines[first - 1].blank:
        j = last + 1
        while j < len(lines) and lines[j].blank:
            stop = lines[j].stop
            j += 1
    return Span(lines[first].start, stop)



def drop_cap(lines: Sequence[Line], i: int) -> bool:
    """Whether line ``i`` is a drop cap: a single capital letter followed at once by a
    line that starts in lower case ("C" / "ycle From ..."), the first letter of a word."""
    if not 0 <= i < len(lines) - 1:
        return False
    this = lines[i].text.strip()
    return len(this) == 1 and this.isupper() and lines[i + 1].text[:1].islower()


def in_sentence(lines: Sequence[Line], i: int) -> bool:
    """Whether line ``i`` is a piece of a sentence, not a line of its own.

    Hard-wrapped prose (plain-text articles, e-mails, Markdown) breaks a sentence
    anywhere, so one line may hold a word or two that a line rule takes for a button
    or a menu item ("...and the" / "next" / "batch is added..."): a line of one or
    two words after a line of four words or more that does not end a sentence or
    clause, and before a line of three words or more that starts in lower case, is
    prose (shorter neighbours are a menu's items: "manage my account" / "Subscribe" /
    "home delivery"). So is a ``drop_cap``.
    """
    if not 0 < i < len(lines) - 1:
        return drop_cap(lines, i)
    this, after = lines[i].text.strip(), lines[i + 1].text
    if not this or not this[0].isalnum() or len(this.split()) > 2:
        return False
    if drop_cap(lines, i):
        return True
    before = lines[i - 1].text.rstrip()
    return (before[-1:].isalnum() or before.endswith(",")) and len(before.split()) >= 4 \
        and after.lstrip()[:1].islower() and len(after.split()) >= 3


def _joined(above: str, below: str) -> bool:
    """Whether line text ``below`` goes on with the sentence of the line right above it:
    ``above`` ends in a joiner (",", ";", "(") or ``below`` starts with punctuation that
    goes on with a sentence or in lower case. (Strips only when an end is white space:
    called for every pair of menu-like lines, most of which end in a letter.)"""
    last = above[-1:]
    if last and last in WS_CHARS:
        last = above.rstrip(WS_CHARS)[-1:]
    first = below[:1]
    if first and first in WS_CHARS:
        first = below.lstrip(WS_CHARS)[:1]
    return bool(last) and bool(first) and (
        last in ",;(" or first in ",.;:)!?" or first.islower())


def joins_above(lines: Sequence[Line], j: int, memo: dict[int, bool]) -> bool:
    """Whether line ``j`` goes on with the line right above it (``_joined``; False for the
    first line and past the last), kept in ``memo``: each pair is asked for twice, by the
    line above and by the line below."""
    found = memo.get(j)
    if found is None:
        found = memo[j] = 0 < j < len(lines) and _joined(lines[j - 1].text, lines[j].text)
    return found


def link_pieces(lines: Sequence[Line], i: int, memo: dict[int, bool] | None = None) -> range:
    """The lines around line ``i`` that read as one piece of text: each goes on with the
    one right above it (``_joined``; no blank line between; ``memo``: see ``joins_above``).

    A full-page text dump puts every link on a line of its own, so a sentence naming
    people or places splits into short lines and separators ("Thanks to" / "Ann Lee" /
    ", " / "Bo Park" / ", and the team."), each of which looks like a menu item.
    """
    memo = {} if memo is None else memo
    lo = hi = i
    while joins_above(lines, lo, memo):
        lo -= 1
    while joins_above(lines, hi + 1, memo):
        hi += 1
    return range(lo, hi + 1)

