"""PL217: counter badges printed as lines ("34 Comments", "Image 2 of 5")."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

from .. import rx
from ..lines import Line, block_span, by_identity
from ..model import Document, Edit, Fix, Hit
from ..native import SPEEDUPS as _C
from ..registry import rule
from .prose import layout

_NOUNS = (
    r"comments?|replies|reply|responses?|shares?|likes?|views?|reactions?|retweets?|reposts?"
    r"|kommentare?|commentaires?|comentarios?|commenti|comentários?|reacties|komentarz[ey]?"
    r"|комментари[йяев]"
)
_COUNTER_RE = rx.compile(
    r"^[\s•*\-]*(?:\d[\d.,]*\s*[km]?\s+(?:" + _NOUNS + r")"
    r"|\d+\s+(?:of|/)\s+\d+\s+comments?)[\s*_]*$"
    r"|^[\s(\[*_]*(?:image|photo|picture|slide|foto|bild|imagen|immagine|gallery)\s+\d{1,3}\s*"
    r"(?:of|/|von|de|di|sur|van|из)\s*/?\s*\d{1,3}[\s)\]*_]*$"
)  # matched against the lowercased line: no re.IGNORECASE on the alternation
# "(48)": a sidebar's archive or category count split from its label
_PAREN_COUNT_RE = rx.compile(r"^\s*\(\d[\d,.]*\)\s*$")
_DIGIT_RE = rx.compile(r"\d")  # every badge has a number: a cheap test first
_BADGE, _PAREN = 2, 1
_MAX_BADGE = 48  # characters


def short_lines(lines: Sequence[Line], max_len: int, digit: bool) -> list[int]:
    """The indices of the non-blank ``lines`` of at most ``max_len`` characters (with
    ``digit``: that hold a digit, as ``\\d`` matches one), found in one C loop when built.

    Badges and date lines are short and hold a number: the rules test only these.
    """
    if _C is not None:
        found: list[int] = _C.short_lines(lines, max_len, digit)
        return found
    return short_lines_py(lines, max_len, digit)


_SHARED_LEN = 60  # the longest line a caller of ``short_digit_lines`` asks about


@by_identity(4)
def _short_digit_lines(lines: Sequence[Line]) -> list[int]:
    return short_lines(lines, _SHARED_LEN, True)


def short_digit_lines(lines: Sequence[Line], max_len: int) -> list[int]:
    """``short_lines(lines, max_len, True)`` for ``max_len`` up to 60, from one scan of
    the lines shared by the rules of a pass (PL217 and PL406 ask about the layout's
    lines; the scan is the cost, the few lines it finds are filtered here)."""
    if max_len > _SHARED_LEN:
        return short_lines(lines, max_len, True)
    found = _short_digit_lines(lines)
    return found[:] if max_len == _SHARED_LEN else [
        i for i in found if len(lines[i].text) <= max_len]


def short_lines_py(lines: Sequence[Line], max_len: int, digit: bool) -> list[int]:
    """``_speedups.short_lines``'s pure twin."""
    return [i for i, ln in enumerate(lines) if not ln.blank and len(ln.text) <= max_len
            and (not digit or _DIGIT_RE.search(ln.text) is not None)]


@lru_cache(maxsize=1 << 16)
def _badge(text: str) -> int:
    """``_BADGE`` for a counter line, ``_PAREN`` for a bare "(48)" (a badge outside
    the article's prose block), else 0 (cached: lines come back in every fix pass)."""
    if len(text) > _MAX_BADGE or _DIGIT_RE.search(text) is None:
        return 0
    if _COUNTER_RE.match(text.lower()):
        return _BADGE
    return _PAREN if _PAREN_COUNT_RE.match(text) else 0


@rule(code="PL217", name="counter-badge", fix="always")
def counter_badge(doc: Document) -> Iterator[Hit]:
    """A line that is only a counter badge ("34 Comments", "1.2K shares", "Image 2 of 5").

    Why: comment, share and like counters and a gallery's "Image 2 of 5"
    are printed by widgets next to the article; extractors keep them as
    lines of their own. Only a line that is a number and one counter noun
    ("comments", "likes", "shares", "views", "Kommentare", ...), or a
    gallery position ("Photo 3 of 12", "Bild 1 von 5"), and nothing else
    matches; "34 comments were sent to the council." stays.
    Fix safety: safe: the whole line must be the badge.

    Bad: "The council met on Monday.\\n\\n34 Comments\\n"
    Good: "The council met on Monday.\\n\\n34 comments were sent to the council by Friday.\\n"
    """
    lay = layout(doc.text)
    lines = lay.lines
    # every badge is a short digit line; _badge passes over those longer than a badge,
    # so the shared list serves as it is (no filtering copy of it in every pass)
    for i in short_digit_lines(lines, _SHARED_LEN):
        ln = lines[i]
        badge = _badge(ln.text)
        if badge == _BADGE or (badge and not lay.inside(i)):
            span = block_span(lines, i, i)
            yield Hit(ln.full, f"counter badge '{ln.text.strip()}'",
                      Fix("Delete the counter line", (Edit(span),)))
