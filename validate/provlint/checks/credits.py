"""The caption and credit lines of a text, found from the text as a whole (no rules here).

PL212 and PL303 look at the lines ``prose.credit_like`` holds for, and at the
whole-line courtesy credits ("Photo courtesy of X", ``_COURTESY_RE``). Asking it
about every line costs a cache look-up per line and, for each line not seen
yet, a search for each of its hint words. ``credit_like`` can only hold for a
line holding one of its hint words (all ASCII but "©") or whose last word is
an agency's name, and the folded text (``scan.lowered``) shows where those
are: one pass over it finds the few lines worth asking about (the C twin folds
the text as it goes: no rule needs the folded text as a str any more).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .. import rx
from ..lines import Line, split
from ..native import SPEEDUPS as _C
from .prose import _AGENCIES, _CREDIT_HINTS, credit_like
from .scan import lines_with, lowered

_HINTS = tuple(h for h in _CREDIT_HINTS if h.isascii())
_MARKS = tuple(h for h in _CREDIT_HINTS if not h.isascii())  # "©": only itself lowers to it
_AGENCY_WORDS = tuple(sorted(_AGENCIES))
# white space in a folded text: the ASCII characters str.split() splits at, and "?"
# (which stands for every character outside ASCII, white space among them)
_BREAKS = "?\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
# "Photo courtesy of Noble Desktop", "Courtesy of brand": a whole line, capitalised,
# naming who lent the picture in at most eight words with no sentence break or
# comma after it ("Courtesy of the council, the park reopened." is a sentence)
_COURTESY_RE = rx.compile(
    r"^[\s*_>(\[]*(?:(?:Photo|Image|Picture|Video|Illustration|Graphic)s?\s+[Cc]|C)ourtesy"
    r"\s+of:?\s+[^\s.,;!?:()\[\]]+(?:\s+[^\s.,;!?:()\[\]]+){0,7}[\s.*_)\]]*$")


@lru_cache(maxsize=16)
def credit_lines(text: str) -> tuple[int, ...]:
    """Ascending indices of the non-blank lines of ``text`` that ``credit_like`` holds for,
    or that are a courtesy credit (``_COURTESY_RE``, which only a line holding the hint
    "courtesy" can match), with ``credit_like`` asked only about the candidate
    lines (remembered for the last few texts: PL212 and PL303 share it)."""
    lines = split(text)
    return tuple(i for i in _candidates(text, lines)
                 if not lines[i].blank and (credit_like(lines[i].text)
                                            or _COURTESY_RE.match(lines[i].text) is not None))


def _candidates(text: str, lines: Sequence[Line]) -> Sequence[int]:
    """Ascending indices of the ``lines`` of ``text`` that ``credit_like`` may hold for:
    every line ``_lines_py`` gives, and those holding "©" (every line when the text
    cannot be folded)."""
    found = _lines(text, lines)
    if found is None:
        return range(len(lines))
    marked = lines_with(text, lines, _MARKS, fold=False)
    return sorted({*found, *marked}) if marked else found


def _lines(text: str, lines: Sequence[Line]) -> list[int] | None:
    if _C is None:
        return _lines_py(text, lines, _HINTS, _AGENCY_WORDS)
    found: list[int] | None = _C.credit_candidates(text, lines, _HINTS, _AGENCY_WORDS)
    return found


def _lines_py(text: str, lines: Sequence[Line], hints: tuple[str, ...],
              agencies: tuple[str, ...]) -> list[int] | None:
    """The ``lines`` whose content in the folded ``text`` (``scan.lowered``) holds one of
    ``hints`` or ends in one of ``agencies``: its last word once the breaks and " )]."
    ending it are gone, less the "(" and "/" starting it; None when the text cannot be
    folded. ``_speedups.credit_candidates`` is the compiled twin: it folds the text
    itself and makes one pass for all the hints. Every line whose ``lower()`` holds a
    hint, and every line ``prose._agency_tail`` holds for, is among them."""
    hay = lowered(text)
    if hay is None:
        return None
    found = []
    for i, ln in enumerate(lines):
        body = hay[ln.start:ln.end]
        tail = body.rstrip(_BREAKS + ")].")
        word = tail[max(map(tail.rfind, _BREAKS)) + 1:].lstrip("(/")
        if word in agencies or any(h in body for h in hints):
            found.append(i)
    return found
