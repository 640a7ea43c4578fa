"""Line structure helpers shared by the checks.

A line is its content plus its terminator (``\\n``, ``\\r\\n`` or ``\\r``);
offsets are code points into the document text, so rules never need to
care which newline style a file uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Span

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")

# Characters that count as white space at a line's end or in a blank line:
# str.isspace() plus the zero-width ones extractors leave behind.
WS_CHARS = (
    "\t\v\f \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)
_WS_SET = frozenset(WS_CHARS)


@dataclass(frozen=True, slots=True)
class Line:
    """One line: ``start`` .. ``end`` is the content, ``end`` .. ``stop`` the terminator."""

    index: int
    start: int
    end: int
    stop: int
    text: str

    @property
    def blank(self) -> bool:
        return all(c in _WS_SET for c in self.text)

    @property
    def full(self) -> Span:
        return Span(self.start, self.stop)

    @property
    def terminated(self) -> bool:
        return self.stop > self.end


def split(text: str) -> list[Line]:
    """Split ``text`` into lines; a final terminator does not start a new line."""
    out: list[Line] = []
    for i, m in enumerate(_LINE_RE.finditer(text)):
        if m.start() == len(text):
            break
        body = m.group().rstrip("\r\n")
        out.append(Line(i, m.start(), m.start() + len(body), m.end(), body))
    return out


def newline_of(text: str) -> str:
    """The newline the text mostly uses (``\\n`` when it has none)."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    best = max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_SPACE_RE = re.compile(r"\s+")


def normalise(line: str) -> str:
    """Compare key for a line: NFKC, case-folded, quotes unified, spaces collapsed."""
    s = unicodedata.normalize("NFKC", line).translate(_QUOTES).casefold()
    return _SPACE_RE.sub(" ", s).strip(WS_CHARS)


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
