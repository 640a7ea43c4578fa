"""PL0xx: white space and line structure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter

from .. import rx
from ..lines import WS_CHARS, Line, newline_counts, newline_of, split
from ..markdown import is_markdown
from ..model import Document, Edit, Fix, Hit, Span
from ..native import SPEEDUPS
from ..registry import rule
from .gates import gated
from .hits import fixed_hits

# The compiled scans, unless built with another WS_CHARS (their white space would differ).
_C = SPEEDUPS if SPEEDUPS is not None and SPEEDUPS.WS_CHARS == WS_CHARS else None


# A line terminator right after a white-space character (CR of a CRLF, or LF).
_WS_EOL_RE = rx.compile(r"[\r\n](?<=[" + re.escape(WS_CHARS) + r"][\r\n])")
# The same for texts without CR: a pattern that starts with a literal lets the
# regex engine jump from newline to newline (~4x faster than the class above).
_WS_LF_RE = rx.compile(r"\n(?<=[" + re.escape(WS_CHARS) + r"]\n)")


_BLANK = itemgetter(5)  # Line.blank
_WS_OR_EOL = frozenset(WS_CHARS + "\r\n")  # a line's last character when it is blank


@lru_cache(maxsize=8)
def _blank_lines_re(count: int) -> re.Pattern[bytes]:
    """Over a text's blank flags (one byte a line, 1 = blank): each maximal run of
    at least ``count`` blank lines with a line of text before and after it."""
    return rx.compile(rb"(?<=\x00)\x01{%d,}(?=\x00)" % max(count, 1))


@rule(code="PL001", name="trailing-whitespace", fix="always")
def trailing_whitespace(
    doc: Document, *, markdown_linebreak_ext: list[str] = ["md", "markdown"]  # noqa: B006
) -> Iterator[Hit]:
    """White space at the end of a line.

    Why: extractors pad lines with spaces, tabs, NBSP and zero-width
    characters; they change digests and n-gram statistics but carry nothing.
    In Markdown files exactly two trailing spaces are a hard line break and
    are kept (as pre-commit's --markdown-linebreak-ext does).
    Fix safety: safe, only white space is removed.

    Bad: "A sentence.  \\t\\nNext line.\\n"
    Good: "A sentence.\\nNext line.\\n"
    """
    text = doc.text
    found = _trailing(text)
    if found and is_markdown(doc.path or doc.id, markdown_linebreak_ext):
        found = _markdown_breaks_kept(text, found)
    return iter(fixed_hits(found, "trailing white space (", " chars)",
                           "Remove trailing white space"))


def _markdown_breaks_kept(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``found`` without the two spaces that end a Markdown line of text (a hard break)."""
    kept = []
    for start, end in found:
        if start > 0 and text[start - 1] not in "\r\n":  # text before it on its line
            tail = text[start:end]
            if tail == "  ":
                continue
            if tail.endswith("  "):  # keep the hard break and drop the rest
                end -= 2
        kept.append((start, end))
    return kept


def _trailing(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of white space that ends a line: before its CR or LF,
    or at the end of the text (in C when built: one pass, no regex)."""
    if _C is None:
        return _trailing_py(text)
    found: list[tuple[int, int]] = _C.trailing_ws(text)
    return found


def _trailing_py(text: str) -> list[tuple[int, int]]:
    # Line ends after white space, found at C speed (the scan jumps from
    # newline to newline); the white space is then walked back from there.
    ends = [m.start() for m in (_WS_EOL_RE if "\r" in text else _WS_LF_RE).finditer(text)]
    if text and text[-1] in WS_CHARS:
        ends.append(len(text))
    out = []
    for end in ends:
        start = end
        while start > 0 and text[start - 1] in WS_CHARS:
            start -= 1
        out.append((start, end))
    return out


def _ends(text: str) -> tuple[bool, bool, bool, bool]:
    """Whether PL002, PL003, PL004 and PL006 can hit ``text``: each one's first test
    (the text's last character, its last line's, its first character, a CR in it)."""
    return (not _terminated(text), _ends_blank(text), text[:1] in _WS_OR_EOL, "\r" in text)


def _terminated(text: str) -> bool:
    """True when ``text`` is empty or ends with a line terminator."""
    return not text or text.endswith(("\n", "\r"))


def _ends_blank(text: str) -> bool:
    """False when the last line of ``text`` has text (most texts), True when it is blank."""
    end = len(text) - (2 if text.endswith("\r\n") else text.endswith(("\n", "\r")))
    return not (end > 0 and text[end - 1] not in _WS_OR_EOL)


@rule(code="PL002", name="missing-final-newline", fix="always")
@gated(_ends, 0)
def missing_final_newline(doc: Document) -> Iterator[Hit]:
    """The text does not end with a newline.

    Why: a file without a final newline breaks line-based tools (wc, cat
    of several files, diff) and is a common sign of a truncated write.
    Fix safety: safe, only a newline in the file's own style is inserted.

    Bad: "Last sentence."
    Good: "Last sentence.\\n"
    """
    text = doc.text
    if _terminated(text) or not text.strip(WS_CHARS + "\r\n"):
        return
    end = len(text)
    # without CR the newline is LF (one scan for CR instead of newline_of's three counts)
    newline = newline_of(text) if "\r" in text else "\n"
    yield Hit(Span(end, end), "no newline at end of file",
              Fix("Add a final newline", (Edit(Span(end, end), newline),)))


@rule(code="PL003", name="trailing-blank-lines", fix="always")
@gated(_ends, 1)
def trailing_blank_lines(doc: Document) -> Iterator[Hit]:
    """Blank lines at the end of the text.

    Why: runs of empty lines after the article are layout residue; they
    change digests and make identical articles look different.
    Fix safety: safe, only blank lines are removed; one newline stays.

    Bad: "Last sentence.\\n\\n\\n\\n"
    Good: "Last sentence.\\n"
    """
    text = doc.text
    if not _ends_blank(text):
        return  # the last line has text (most texts): no need to look at the lines
    lines = split(text)
    i = len(lines)
    while i > 0 and lines[i - 1].blank:
        i -= 1
    if i == len(lines) or i == 0:
        return
    last = lines[i - 1]
    start = last.stop if last.terminated else last.end
    span = Span(start, len(doc.text))
    count = len(lines) - i
    fix = Fix("Remove blank lines at end of file", (Edit(span, "" if last.terminated
                                                         else newline_of(doc.text)),))
    yield Hit(span, f"{count} blank line{'s' if count > 1 else ''} at end of file", fix)


@rule(code="PL004", name="leading-blank-lines", fix="always")
@gated(_ends, 2)
def leading_blank_lines(doc: Document) -> Iterator[Hit]:
    """Blank lines before the first line of text.

    Why: leading empty lines are layout residue from the page above the
    article; they shift every line number and change digests.
    Fix safety: safe, only blank lines are removed.

    Bad: "\\n\\nHeadline\\n"
    Good: "Headline\\n"
    """
    if doc.text[:1] not in _WS_OR_EOL:
        return  # the first line has text, or there is none
    lines = split(doc.text)
    i = 0
    while i < len(lines) and lines[i].blank:
        i += 1
    if i == 0 or i == len(lines):
        return
    span = Span(0, lines[i].start)
    yield Hit(span, f"{i} blank line{'s' if i > 1 else ''} at start of file",
              Fix("Remove leading blank lines", (Edit(span),)))


@rule(code="PL005", name="too-many-blank-lines", fix="always")
def too_many_blank_lines(doc: Document, *, max_blank_lines: int = 1) -> Iterator[Hit]:
    """More consecutive blank lines than ``max_blank_lines`` between paragraphs.

    Why: runs of empty lines come from removed page elements (ads, embeds);
    one blank line is the paragraph separator, more is noise.
    Fix safety: safe, only blank lines beyond the limit are removed.

    Bad: "First paragraph.\\n\\n\\n\\nSecond paragraph.\\n"
    Good: "First paragraph.\\n\\nSecond paragraph.\\n"
    """
    runs = _blank_runs(split(doc.text), max_blank_lines)  # the pass's shared lines
    if not runs:
        return iter(())
    return iter(fixed_hits(runs, "",
                           f" blank lines in a row (at most {max_blank_lines})",
                           "Remove extra blank lines"))


def _blank_runs(lines: list[Line], max_blank: int) -> list[tuple[int, int, int]]:
    """(start, end, count) of each run of more than ``max_blank`` blank lines between two
    lines of text (leading blanks are PL004's, trailing PL003's): ``start..end`` holds
    the run's lines after the first ``max_blank`` (in C when built and max_blank >= 0)."""
    if _C is None or max_blank < 0:
        return _blank_runs_py(lines, max_blank)
    found: list[tuple[int, int, int]] = _C.blank_runs(lines, max_blank)
    return found


def _blank_runs_py(lines: list[Line], max_blank: int) -> list[tuple[int, int, int]]:
    # a regex over one byte a line instead of a loop over the lines
    return [(lines[i + max_blank].start, lines[j].start, j - i)
            for i, j in (m.span() for m in _blank_lines_re(max_blank + 1).finditer(
                bytes(map(_BLANK, lines))))]


@rule(code="PL006", name="mixed-line-endings", fix="never")
@gated(_ends, 3)
def mixed_line_endings(doc: Document) -> Iterator[Hit]:
    """The text mixes line endings (LF, CRLF, CR).

    Why: mixed endings come from concatenated sources; line-based tools see
    different line counts. The file's own style is kept, so this is
    reported, not rewritten.
    Fix safety: no fix; normalise line endings with your editor or VCS.

    Bad: "One line.\\r\\nOther line.\\n"
    Good: "One line.\\nOther line.\\n"
    """
    if "\r" not in doc.text:
        return  # only LF endings (one scan for CR instead of three counts)
    if sum(1 for n in newline_counts(doc.text) if n) > 1:
        yield Hit(Span(0, 0), "mixed line endings (LF, CRLF and/or CR)")
