"""Document-quality signals: plain numbers for the PL5xx rules and the report.

``signals(text)`` is a pure function of the (cleaned) text; the report's
documents table calls it on each output, the PL5xx rules on each input.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from .checks.prose import layout
from .lines import normalise
from .record import dataclass
from .record import set_field as _set

_SENTENCE_END = frozenset(".!?…\"'”’»)]。！？｡」』）")


@dataclass(frozen=True)
class Signals:
    """Per-document quality signals."""

    words: int  # words in the text (ideographs count half a word)
    lines: int  # non-blank lines
    prose_share: float  # share of non-blank lines that read as prose
    duplicate_share: float  # share of non-blank lines that repeat an earlier line
    truncated: bool  # the last prose-length line stops without sentence punctuation

    def __init__(self, words: int, lines: int, prose_share: float, duplicate_share: float,
                 truncated: bool) -> None:
        _set(self, "words", words)
        _set(self, "lines", lines)
        _set(self, "prose_share", prose_share)
        _set(self, "duplicate_share", duplicate_share)
        _set(self, "truncated", truncated)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def signals(text: str) -> Signals:
    """Compute the quality signals of one text."""
    lay = layout(text)
    shapes = [s for s in lay.shapes if s is not None]
    keys = [normalise(ln.text)
            for ln, s in zip(lay.lines, lay.shapes, strict=True) if s is not None]
    seen: Counter[str] = Counter()
    repeats = 0
    for k in keys:
        repeats += seen[k] > 0
        seen[k] += 1
    n = len(shapes)
    last = next((ln.text for ln, s in zip(reversed(lay.lines), reversed(lay.shapes), strict=True)
                 if s is not None and s.words >= 8), "")
    tail = last.rstrip(" \t*_")
    return Signals(
        words=sum(s.words for s in shapes),
        lines=n,
        prose_share=sum(s.prose for s in shapes) / n if n else 0.0,
        duplicate_share=repeats / n if n else 0.0,
        truncated=bool(tail) and tail[-1] not in _SENTENCE_END,
    )
