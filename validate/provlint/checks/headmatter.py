"""What PL210 keeps among the menu-like lines around the article: its likely
headlines, and sentences a page's links split into short lines.

Helpers of ``boilerplate.edge_navigation`` (and ``learned``), no rules: each answers
from a ``prose.Layout``.
"""

from __future__ import annotations

from .. import rx
from ..lines import joins_above, link_pieces
from ..native import SPEEDUPS as _C
from .prose import Layout, Shape, words_of


def headlines(lay: Layout) -> set[int]:
    """Likely headline lines before the main block: the last line of three
    words or more, and the longest one."""
    pair: tuple[int, int] = (headline_pair_py(lay.shapes, lay.first) if _C is None
                             else _C.headline_pair(lay.shapes, lay.first))
    return {k for k in pair if k >= 0}


def headline_pair_py(shapes: tuple[Shape | None, ...], first: int) -> tuple[int, int]:
    """The last line of three words or more before ``first`` and the longest (ties: the
    earliest), -1 for none (``_speedups.headline_pair`` is the compiled twin)."""
    last, longest, most = -1, -1, 2
    for k in range(first - 1, -1, -1):
        s = shapes[k]
        if s is None or s.words < 3:
            continue
        if last < 0:
            last = k
        if s.words >= most:  # ties: the earliest
            longest, most = k, s.words
    return last, longest


def standout(lay: Layout, part: list[int], min_words: int = 3, ratio: float = 1.5) -> int:
    """The line of ``part`` that stands out as a headline, or -1: at least ``min_words``
    words and more than ``ratio`` times as many as any other line of the part.

    The headlines of ``headlines`` are found by place in the whole head matter, and a
    byline, a deck or a collapsed menu line after the headline ("Posted on March 30,
    2015 by Admin", "Skip to Content Skip to Navigation") can take both places. Among
    the menu lines nearest the article, menu items are alike in length; a line far
    longer than the rest is the article's title set among them.
    """
    words = sorted(((s.words, k) for k in part if (s := lay.shapes[k]) is not None),
                   reverse=True)
    if len(words) < 2:
        return -1
    (most, k), (second, _) = words[0], words[1]
    return k if most >= min_words and most > ratio * second else -1


_SENTENCE_END = ".!?…"
_CLOSERS = "\"'”’»)]*_ \t\u00a0"


def split_sentences(lay: Layout, runs: list[list[int]]) -> set[int]:
    """The lines of ``runs`` that are pieces of a sentence a page's links split into
    lines (``lines.link_pieces``), with the pieces between them: pieces that hold eight
    words or more and end a sentence ("Thanks to" / "Ann Lee" / ", " / "Bo Park" /
    ", and the team."). Lines without letters or digits at either end are left out, so
    that deleting them (PL211) leaves the answer as it was."""
    found: set[int] = set()
    seen: set[int] = set()
    shapes, lines = lay.shapes, lay.lines
    memo: dict[int, bool] = {}
    for run in runs:
        for k in run:
            if k in seen:
                continue
            if not (joins_above(lines, k, memo) or joins_above(lines, k + 1, memo)):
                continue  # a piece of its own (most menu lines): no sentence split there
            pieces = link_pieces(lines, k, memo)
            seen.update(pieces)
            lo, hi = pieces.start, pieces.stop - 1
            while lo < hi and (s := shapes[lo]) is not None and s.symbol:
                lo += 1
            while hi > lo and (s := shapes[hi]) is not None and s.symbol:
                hi -= 1
            if lo == hi:
                continue
            text = " ".join(lay.lines[j].text.strip() for j in range(lo, hi + 1))
            if text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END and words_of(text) >= 8:
                found.update(range(lo, hi + 1))
    return found


_TITLE_WORD_RE = rx.compile(r"[^\W\d_]{3,}")
# words of three letters or more that say nothing about a topic
_FILLER = frozenset((
    "the", "and", "for", "with", "you", "your", "our", "are", "from", "that", "this", "not",
    "all", "about", "more", "how", "what", "why", "who", "when", "its", "was", "were", "has",
    "have", "had", "into", "than", "then", "them", "they", "their", "there", "these", "those",
    "can", "will", "just", "new"))


def _topic_words(text: str) -> list[str]:
    """The words of ``text`` that may name a topic, lower case, cut to five letters (so
    that "Photography" matches "photographs")."""
    return [w[:5] for w in (m.casefold() for m in _TITLE_WORD_RE.findall(text))
            if w not in _FILLER]


def lead_words(lay: Layout, lo: int, hi: int, lead: int = 3) -> frozenset[str]:
    """``_topic_words`` of the first ``lead`` prose lines of ``lines[lo..hi]``."""
    words: set[str] = set()
    for k in range(lo, hi + 1):
        s = lay.shapes[k]
        if s is not None and s.prose:
            words.update(_topic_words(lay.lines[k].text))
            lead -= 1
            if not lead:
                break
    return frozenset(words)


def title(lay: Layout, part: list[int], lead: frozenset[str], min_words: int = 3) -> int:
    """The line of ``part`` that names the article's topic, or -1: of ``min_words`` words
    or more, at least two and half of its topic words in the article's first prose
    lines (``lead``), the largest share of them.

    A headline no longer than the menu items around it ("Quiet Bridge Repairs" among
    "Talk to Our Team", "Book a Free Call") is told by what it says: the article's
    first sentences speak of its topic, and menus of the site.
    """
    best, share = -1, 0.0
    for k in part:
        s = lay.shapes[k]
        if s is None or s.words < min_words:
            continue
        words = _topic_words(lay.lines[k].text)
        hits = sum(w in lead for w in words)
        if hits >= 2 and hits / len(words) >= 0.5 and hits / len(words) > share:
            best, share = k, hits / len(words)  # ties: the first copy, which PL301 keeps
    return best


def next_text(lay: Layout, k: int) -> int:
    """The first line of text after line ``k`` (-1 for none)."""
    return next((j for j in range(k + 1, len(lay.shapes)) if lay.shapes[j] is not None), -1)
