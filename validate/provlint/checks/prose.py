"""Line shapes shared by the boilerplate and quality checks (no rules here).

Residue is told from article text by *shape and place*, never by site:
article text is a block of prose lines (sentences with terminal
punctuation); navigation, footers and widget chrome are short lines without
sentence punctuation that cluster at the document's edges, outside that
block. The helpers here are pure functions of the text and are cached per
text, since several rules ask the same questions of one document.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial
from typing import NamedTuple

from .. import rx
from ..lines import Line, by_identity, cached_line_test, contains_any, map_texts, split
from ..native import SPEEDUPS as _C
from ..record import dataclass
from ..record import set_field as _set

# Markdown and list decoration that html2text-style extractors add.
_DECOR_RE = rx.compile(r"^\s*(?:#{1,6}\s+|>\s*|[*+\-•·▪◦‣]\s+|\d{1,3}[.)]\s+|[*_]{1,3}(?=\S))")
_LIST_RE = rx.compile(r"^\s*(?:[*+\-•·▪◦‣]\s+|\d{1,3}[.)]\s+\S)")
_WORD_RE = rx.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# Ideographic scripts write without spaces: count their characters instead.
# ``re`` needs about 4 ms to compile a class this wide, a tenth of a commit
# hook's start-up, so it is compiled for the first line holding a character
# at or above its lowest one (U+3040): most texts have none.
_CJK_CLASS = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
_CJK_LOWEST = "\u3040"


@lru_cache(maxsize=1)
def _cjk_re() -> re.Pattern[str]:
    return rx.compile(_CJK_CLASS)

# Plain words separated by single spaces: str.split() counts them exactly.
_SIMPLE_RE = rx.compile(r"[A-Za-z0-9]+(?:[ ,;]+[A-Za-z0-9]+)*[.!?:;,]?")
_TERMINAL = frozenset(".!?…:;\"'”’»)]。！？｡．」』）")
_TRAIL_DECOR = "*_ \t\u00a0"
_OTHER_GAIN = 0.5  # short lines that are not menu-like (cells, fragments) lean to the article
_JOINERS = frozenset(",;(")
_HEADING_RE = rx.compile(r"^\s*(?:#|\*\*|__)")
_ALNUM_RE = rx.compile(r"[^\W_]")  # \w less "_" is exactly str.isalnum()
_ASCII_DIGIT_RE = rx.compile("[0-9]")
_new = tuple.__new__


class Shape(NamedTuple):
    """What a line looks like: word count, sentence ending, list/table markup,
    and the two facts that make a line menu-like (see ``nav_like``).

    A named tuple, made from ``shape_parts``'s tuple at C speed (building a
    frozen dataclass cost more than computing the shape in C). The menu
    facts are computed with the rest, in the same pass over the text: every
    layout asks them of each line that is not prose.
    """

    words: int
    terminal: bool
    listy: bool
    table: bool
    symbol: bool  # no letter or digit at all (``symbol_only``)
    menu: bool  # a menu item's form but for its length (``nav_like``)

    @property
    def prose(self) -> bool:
        """A sentence-like line: enough words and a sentence ending, or long."""
        return (self.words >= 8 and self.terminal) or self.words >= 18

    @property
    def structured(self) -> bool:
        return self.listy or self.table

    def nav(self, max_words: int = 5) -> bool:
        """``nav_like``: a menu-item-like line of at most ``max_words`` words."""
        return self.symbol or (self.menu and self.words <= max_words)


def words_of(text: str) -> int:
    """Words in ``text``; ideographic characters count half a word each."""
    if text.isascii():
        return len(text.split()) if _SIMPLE_RE.fullmatch(text) else len(_WORD_RE.findall(text))
    cjk = len(_cjk_re().findall(text)) if max(text) >= _CJK_LOWEST else 0
    if cjk:
        return len(_WORD_RE.findall(_cjk_re().sub(" ", text))) + (cjk + 1) // 2
    return len(_WORD_RE.findall(text))


def _shape_py(text: str) -> Shape:
    """The shape of one line's text (cached: lines come back in every fix pass)."""
    return _new(Shape, shape_parts(text))


shape = cached_line_test("shape", _shape_py, None if _C is None else partial(_C.shape_of, Shape))


def shape_parts(text: str) -> tuple[int, bool, bool, bool, bool, bool]:
    """``Shape``'s fields for ``text`` (``_speedups.shape_parts`` is its compiled twin)."""
    m = _DECOR_RE.match(text)  # anchored: match, not sub, which would try every position
    body = (text[m.end():] if m else text).rstrip(_TRAIL_DECOR)
    last = body[-1:] if body else ""
    words, terminal = words_of(body), bool(last) and last in _TERMINAL
    listy, table = bool(_LIST_RE.match(text)), text.count("|") >= 2 or "\t" in text.strip()
    return (words, terminal, listy, table, _symbol_only(text),
            _menu_form(text, words, terminal or listy or table))


def _symbol_only(text: str) -> bool:
    s = text.strip()
    if not s or _ALNUM_RE.search(s):
        return False
    return not any(unicodedata.category(c)[0] in "LN" for c in s)


def _menu_form(text: str, words: int, ruled_out: bool) -> bool:
    """The tests of ``nav_like`` but the length: ``ruled_out`` by a sentence ending,
    list or table markup; no heading markup, no sentence joiner at either end, not
    starting lowercase; no digits in five words or fewer."""
    if ruled_out or _HEADING_RE.match(text):
        return False
    bare = text.strip()
    if bare[:1] in _JOINERS or bare[-1:] in _JOINERS:
        return False  # ", Chris Simpkins," is a piece of a sentence split at its links
    first = _ALNUM_RE.search(text)
    if first and first[0].islower():
        return False  # a fragment of a sentence or an attribute list, not a menu item
    # digits mark table cells, prices and dates; a teaser headline may have them
    if words > 5:
        return True
    if text.isascii():
        return not _ASCII_DIGIT_RE.search(text)
    return not any(ch.isdigit() for ch in text)  # isdigit, not \d: superscripts count


@lru_cache(maxsize=1 << 16)
def symbol_only(text: str) -> bool:
    """True for a non-blank line with no letter or digit at all ("|", "»", "* * *")."""
    return shape(text).symbol


@dataclass(frozen=True)
class Layout:
    """A document's lines, their shapes and its main prose block."""

    lines: tuple[Line, ...]
    shapes: tuple[Shape | None, ...]  # None for blank lines
    first: int  # index of the main block's first line (-1 when there is none)
    last: int

    def __init__(self, lines: tuple[Line, ...], shapes: tuple[Shape | None, ...], first: int,
                 last: int) -> None:
        _set(self, "lines", lines)
        _set(self, "shapes", shapes)
        _set(self, "first", first)
        _set(self, "last", last)

    def inside(self, i: int) -> bool:
        return self.first <= i <= self.last


def nav_like(text: str, s: Shape, max_words: int = 5) -> bool:
    """A menu-item-like line: a few words, no sentence ending, no digits.

    List items, table rows and Markdown headings are structure, not
    navigation; digits mark table cells, prices and dates. ``s`` is the
    shape of ``text``, which holds the answer (``Shape.nav``).
    """
    return s.nav(max_words)


@lru_cache(maxsize=1 << 16)
def nav_line(text: str, max_words: int = 5) -> bool:
    """``nav_like`` of a non-blank line with its own shape (cached per line)."""
    return shape(text).nav(max_words)


def _main_block(shapes: list[Shape | None], penalty: float) -> tuple[int, int]:
    """The run of lines with the most prose words net of menu-like lines (Kadane).

    A line gains its words when it is prose, loses ``penalty`` when it is
    menu-like and leans to the article otherwise. ``_speedups.main_block``
    is the compiled twin (a loop over every line of every layout).
    """
    if _C is not None:
        found: tuple[int, int] = _C.main_block(shapes, penalty)
        return found
    return _main_block_py(shapes, penalty)


def _main_block_py(shapes: list[Shape | None], penalty: float) -> tuple[int, int]:
    best, best_span = 0.0, (-1, -1)
    run, start = 0.0, -1
    for i, s in enumerate(shapes):
        if s is None:
            continue
        gain = s.words if s.prose else -penalty if s.nav() else _OTHER_GAIN
        if run <= 0:
            if gain <= 0:
                continue
            run, start = gain, i
        else:
            run += gain
        if run > best:
            best, best_span = run, (start, i)
    return best_span


def _grow(shapes: list[Shape | None], edge: int, step: int) -> int:
    """Move a block edge over adjacent list items and table rows (and prose)."""
    j = edge + step
    while 0 <= j < len(shapes):
        s = shapes[j]
        if s is not None:
            if not (s.structured or s.prose):
                break
            edge = j
        j += step
    return edge


@lru_cache(maxsize=8)
def layout(text: str, penalty: float = 2.0) -> Layout:
    """Shapes and the main prose block of ``text`` (cached: rules share it)."""
    lines = split(text)
    shapes = map_texts(lines, shape, None)
    first, last = _main_block(shapes, penalty)
    if first >= 0:
        first, last = _grow(shapes, first, -1), _grow(shapes, last, 1)
    return Layout(tuple(lines), tuple(shapes), first, last)


# Captions and credits: a media word before a colon, slash or bar, an agency
# name ending the line, or a line starting with "©". Matched on the lowercased
# line, only after a cheap substring test says a hint is there. Three searches,
# not one alternation: sre skips ahead to a possible first character of a
# pattern only when it knows them all, and "^\s*©" hid them (2.5x the cost).
_CREDIT_HINTS = ("photo", "image", "picture", "video", "illustration", "graphic", "foto",
                 "bild", "imagen", "credit", "courtesy", "getty", "shutterstock", "unsplash",
                 "pexels", "istock", "alamy", "wikimedia", "©")
_MEDIA_RE = rx.compile(
    r"(?:photo|photograph|picture|image|video|illustration|graphic|foto|bild|imagen|credit"
    r"|courtesy)s?\s*(?:by|credit)?\s*[:/|©]"
)
_AGENCY_NAMES = ("getty images", "shutterstock", "istock", "alamy", "unsplash", "pexels",
                 "wikimedia commons")
_AGENCY_RE = rx.compile(rf"(?:{'|'.join(_AGENCY_NAMES)})(?:/[\w .]+)?\s*\)?\s*$")
_AGENCIES = frozenset({"ap", "afp", "reuters", "dpa", "epa", "xinhua", "ansa", "efe"})


# Characters outside ASCII that ``str.lower`` leaves as they are and that are
# common in Latin-script text: a line of ASCII and these takes credit_quick.
_PLAIN_MARKS = "\u00a0\u00a9\u2018\u2019\u201c\u201d\u2013\u2014\u2026"


def _credit_like_py(text: str) -> bool:
    """True for a caption or credit line ("Photo / AP", "(Getty Images)", "Image: Reuters")."""
    lower = text.lower()
    if _agency_tail(lower):
        return True
    if not contains_any(lower, _CREDIT_HINTS):
        return False
    return (_media_credit(lower, text) or lower.lstrip().startswith("©")
            or (contains_any(lower, _AGENCY_NAMES) and _AGENCY_RE.search(lower) is not None))


# the characters a ``_MEDIA_RE`` match ends with
_MEDIA_ENDS = ("/", ":", "|", "©")
# A line holding a hint word is a caption by the three searches of ``_credit_like_py`` only
# when it holds one of these too: a character a ``_MEDIA_RE`` match ends with, "©" (a line
# starting with it), or an agency's name (``_AGENCY_RE``).
_DECIDING = (*_MEDIA_ENDS, *_AGENCY_NAMES)


def _media_credit(lower: str, text: str) -> bool:
    """Whether a ``_MEDIA_RE`` match in ``lower`` (``text`` lowercased) starts a caption's
    credit (``_caption_start``), searched only in a line holding one of the characters a
    match ends with: the lines asked about are mostly paragraphs holding a hint word,
    which the regex engine would try at every "p", "i", "v", "g", "f", "b" and "c" (four
    in five have none of the four characters)."""
    if not contains_any(lower, _MEDIA_ENDS):
        return False
    m = _MEDIA_RE.search(lower)
    while m is not None:
        if _caption_start(lower, text, m.start()):
            return True
        m = _MEDIA_RE.search(lower, m.start() + 1)
    return False


# what may come right before a credit's media word in lower case: the line's start, a
# bracket or bar, or a sentence end or separator and a space (decoration aside), then
# perhaps a word of the credit ("Courtesy photo:", "AP photo/", "File photo:")
_CAPTION_HEAD_RE = rx.compile(
    r"(?:^|[(\[|]|[.!?;|\u2013\u2014\u2022\u00b7-]\s)[\W_]*"
    r"(?:(?:courtesy|file|staff|ap|afp|reuters|dpa|epa|xinhua|ansa|efe)\s+)?$")


def _caption_start(lower: str, text: str, at: int) -> bool:
    """Whether the media word at ``at`` starts a credit ("Photo: AP", "(AP Photo/X)",
    "The minister. Photo / AP", "... holidays Credit: Apple"), not a word of a sentence
    or a label ("accepting credit/debit cards", "add images/shapes", "voice and video:",
    "Picture-in-Picture:", "entity_picture:"): a whole word, capitalised or at the
    start of the line or of a part of it."""
    before = lower[at - 1:at]
    if before and (before.isalnum() or before in "-_"):
        return False
    if len(lower) == len(text) and text[at:at + 1].isupper():
        return True
    return _CAPTION_HEAD_RE.search(lower, 0, at) is not None


# when built, most lines (no hint word, or no deciding word) are answered by credit_quick
# in one C pass
credit_like = cached_line_test("credit_like", _credit_like_py, None if _C is None else partial(
    _C.credit_like, _CREDIT_HINTS, _AGENCIES, _DECIDING, _credit_like_py))


def _agency_tail(lower: str) -> bool:
    """An agency's name ends the (lowercased) line, after "/" or "(" or in two words."""
    tail = lower.rstrip(" )].").rsplit(None, 1)[-1:] if lower.strip() else []
    return bool(tail) and tail[0].lstrip("(/") in _AGENCIES and (
        "/" in lower or "(" in lower or len(lower.split()) <= 2)


def _credit_quick_py(text: str) -> bool | None:
    """``_credit_like_py``'s answer from its substring tests, or None when the regexes must
    decide (a hint word and a word of ``_DECIDING`` are there) or ``text`` holds a
    character outside ASCII and ``_PLAIN_MARKS`` (``_speedups.credit_quick`` is its
    compiled twin)."""
    if not text.isascii() and any(c >= "\x80" and c not in _PLAIN_MARKS for c in text):
        return None
    lower = text.lower()
    if _agency_tail(lower):
        return True
    return None if contains_any(lower, _CREDIT_HINTS) and contains_any(lower, _DECIDING) \
        else False


@by_identity(4)
def prose_bounds(lay: Layout) -> tuple[int, int]:
    """First and last prose lines of the main block ((len, -1) without one).

    The block is grown over short non-menu lines next to it, so a byline
    or date line right above the first paragraph is inside it; the head
    and tail matter are the lines before the first and after the last
    prose line. Four rules of a pass ask about the same layout (PL210, PL402,
    PL404, PL406).
    """
    first, last = (_prose_span_py if _C is None else _C.prose_span)(lay.shapes, lay.first, lay.last)
    return (len(lay.lines), -1) if first < 0 else (first, last)


def _prose_span_py(shapes: tuple[Shape | None, ...], lo: int, hi: int) -> tuple[int, int]:
    """The first and last prose lines among ``shapes[lo..hi]`` (both ends inside), or
    (-1, -1) (``_speedups.prose_span`` is its compiled twin)."""
    hi = min(hi, len(shapes) - 1)
    # walked in from both ends: the block's first and last lines are usually prose
    first = next((k for k in range(max(lo, 0), hi + 1)
                  if (s := shapes[k]) is not None and s.prose), -1)
    if first < 0:
        return -1, -1
    last = next(k for k in range(hi, first - 1, -1) if (s := shapes[k]) is not None and s.prose)
    return first, last
