"""Markdown files and the line tests rules share: which paths are Markdown, a code
fence line, a table's delimiter row, a thematic break or a blockquote's ``>`` line.
The block scanner that keeps Markdown structure from fixes is ``mdblocks``
(imported only when a Markdown file has hits).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import rx

MARKDOWN_EXTS = ("md", "markdown")

FENCE_RE = rx.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)

# A Markdown table's delimiter row. Possessive quantifiers: each part stops where the next
# must start (white space, "|", ":", "-" are told apart), so giving characters back never
# helps; without them a long line of white space cost a quadratic search (6 ms a line).
TABLE_RULE_RE = rx.compile(
    r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*+\|?\s*+$")

# A thematic break ("***", "- - -", "___") or a blockquote's empty line (">").
STRUCTURE_RE = rx.compile(r"^ {0,3}(?:([-*_])(?:[ \t]*\1){2,}|>(?:[ \t]*>)*)[ \t]*$")


def is_markdown(path: str | None, exts: Sequence[str] = MARKDOWN_EXTS) -> bool:
    """True when ``path`` ends in one of ``exts`` (compared without case or dot)."""
    low = (path or "").lower()
    return any(low.endswith("." + e.lower().lstrip(".")) for e in exts)


def fence_line(text: str) -> bool:
    """True when ``text`` (one line, no terminator) opens or closes a fenced block."""
    m = FENCE_RE.match(text)
    return m is not None and not (m.group(1)[0] == "`" and "`" in m.group(2))


def closes_fence(opening: str, fence: str, rest: str) -> bool:
    """Whether a fence line ``fence`` + ``rest`` closes a block opened by ``opening``."""
    return fence[0] == opening[0] and len(fence) >= len(opening) and not rest.strip()
