"""Markdown structure that cleaning leaves alone.

Extractors that write Markdown (html2text, trafilatura's Markdown output) and the
people who keep notes next to a corpus put code in fenced blocks; a hook that
fixes ``*.md`` files must not edit inside them. A fence line has up to three
spaces of indent and three or more backticks or tildes (CommonMark); the block runs
to a closing fence of the same character, at least as long, with nothing after it
but white space, or to the end of the text when it is never closed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import rx

MARKDOWN_EXTS = ("md", "markdown")

_FENCE_RE = rx.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)


def is_markdown(path: str | None, exts: Sequence[str] = MARKDOWN_EXTS) -> bool:
    """True when ``path`` ends in one of ``exts`` (compared without case or dot)."""
    low = (path or "").lower()
    return any(low.endswith("." + e.lower().lstrip(".")) for e in exts)


def fence_line(text: str) -> bool:
    """True when ``text`` (one line, no terminator) opens or closes a fenced block."""
    m = _FENCE_RE.match(text)
    return m is not None and not (m.group(1)[0] == "`" and "`" in m.group(2))


def fenced_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each fenced code block, fence lines included."""
    if "```" not in text and "~~~" not in text:
        return []
    blocks: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    for m in _FENCE_RE.finditer(text):
        fence, rest = m.group(1), m.group(2)
        if opened is None:
            if fence[0] == "`" and "`" in rest:  # an inline code span, not a fence
                continue
            opened = (m.start(), fence)
        elif (fence[0] == opened[1][0] and len(fence) >= len(opened[1])
              and not rest.strip()):
            blocks.append((opened[0], m.end()))
            opened = None
    if opened is not None:
        blocks.append((opened[0], len(text)))
    return blocks


def outside(blocks: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when the span ``start``..``end`` touches none of the ``blocks``
    (a span ending where a block starts, or starting where one ends, is outside)."""
    return all(end <= s or start >= e for s, e in blocks)
