"""Markdown structure that cleaning leaves alone.

The hooks fix ``*.md`` files: READMEs, data cards and notes kept next to a corpus,
and the output of extractors that write Markdown (html2text, trafilatura). A line
rule that deletes a fence, a table's delimiter row, a heading's underline or a
comment's ``<!--`` changes how the rest of the file renders, so ``protected`` finds
the blocks a fix may not change in part (``rulerun`` drops such hits, but trailing
white space), following CommonMark and the common extensions. Never changed:

- front matter: ``---`` (YAML) or ``+++`` (TOML) on the first line, to its closing line;
- fenced code (``````` or ``~~~``, up to three spaces of indent, in a blockquote too;
  closed by a fence of the same character at least as long, else at the end of the text
  or quote) and ``$$`` math blocks;
- indented code (four spaces or a tab after a blank line, never inside a paragraph);
- HTML blocks: comments, ``<script>``/``<pre>``/``<style>``/``<textarea>``, ``<?``,
  ``<!X``, CDATA (to their end marker) and block tags or a lone tag (to a blank line);
- link reference and footnote definitions (a footnote with its indented lines).

Deleted only whole, if at all (the rest then renders as before):

- tables (a header row, its delimiter row and the rows with ``|`` after them);
- a setext heading: its underline and the line above it;
- a list item with indented lines under it (deleting the item alone re-parents them);
- thematic breaks (``***``, ``- - -``) and a blockquote's empty ``>`` lines;
- a list item with lazy continuation lines (its text wrapped without indent: deleting
  the item's line would join them to the paragraph before).

A one-line list item, an ATX heading or a paragraph's line is text like any other:
a rule may delete it when it is residue.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from . import rx
from .lines import Line, split
from .markdown import FENCE_RE, STRUCTURE_RE, closes_fence

# A table's delimiter row as GFM reads it (a single "-" a cell is enough).
_DELIMITER_RE = rx.compile(r"^\s*+\|?\s*+:?-++:?\s*+(?:\|\s*+:?-++:?\s*+)*+\|?\s*+$")
_SETEXT_RE = rx.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_ITEM_RE = rx.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]{1,4}(?=\S)|[ \t]*$)")
_DEFINITION_RE = rx.compile(r"^ {0,3}\[(\^?)[^\]]+\]:(?:[ \t]*\S|[ \t]*$)")
_ATX_RE = rx.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_QUOTE_RE = rx.compile(r"^(?: {0,3}> ?)+")
# HTML blocks 1-5 (CommonMark 4.6): an opening and the marker that ends the block.
_HTML_ENDS = (
    (rx.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)", re.IGNORECASE),
     rx.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)),
    (rx.compile(r"^ {0,3}<!--"), rx.compile(r"-->")),
    (rx.compile(r"^ {0,3}<\?"), rx.compile(r"\?>")),
    (rx.compile(r"^ {0,3}<![A-Za-z]"), rx.compile(r">")),
    (rx.compile(r"^ {0,3}<!\[CDATA\["), rx.compile(r"\]\]>")),
)
# HTML block 6 (a block-level tag, may interrupt a paragraph) and 7 (any lone complete
# tag, may not); both run to the next blank line.
_HTML_BLOCK_RE = rx.compile(
    r"^ {0,3}</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|"
    r"colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|"
    r"frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|"
    r"nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|"
    r"th|thead|title|tr|track|ul)(?:[\s/>]|$)", re.IGNORECASE)
_HTML_TAG_RE = rx.compile(
    r"^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'"
    r"|[^\s\"'=<>`]+))?)*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$")


def editable(blocks: list[Block], ends: list[int], start: int, end: int) -> bool:
    """True when a fix may change the span ``start``..``end`` of a text whose protected
    ``blocks`` end at ``ends``: it touches none of them (a span ending where a block
    starts, or starting where one ends, does not), or covers whole each one it touches
    that may go whole."""
    k = bisect_right(ends, start)  # the first block ending after start
    while k < len(blocks) and blocks[k][0] < end:
        s, e, whole = blocks[k]
        if not (whole and start <= s and end >= e):
            return False
        k += 1
    return True


# A protected block: (start, end, whole): its offsets (it ends at its last line's end)
# and whether a fix may delete it as a whole (a table, a heading, a list item, a break:
# the rest renders as before) or not at all (code, math, HTML, front matter, a
# definition whose references would dangle).
Block = tuple[int, int, bool]


def protected(text: str) -> list[Block]:
    """The blocks of the Markdown ``text`` that no fix may change in part (see the
    module's docstring), in order."""
    lines = split(text)
    n = len(lines)
    out: list[Block] = []
    i = _front_matter(lines, out)
    para = False  # the line before is a paragraph's (a lazy line may follow it)
    while i < n:
        line = lines[i]
        body = line.text
        if line.blank:
            para = False
            i += 1
            continue
        j, whole = _block_end(lines, i, para)
        if j >= 0:
            out.append((line.start, lines[j].end, whole))
            para = False
            i = j + 1
            continue
        nxt = lines[i + 1].text if i + 1 < n else ""
        if not _ATX_RE.match(body) and (_SETEXT_RE.match(nxt) or _DELIMITER_RE.match(nxt)):
            j = _table_end(lines, i) if "|" in body and _DELIMITER_RE.match(nxt) else i + 1
            out.append((line.start, lines[j].end, True))
            para = False
            i = j + 1
            continue
        m = _ITEM_RE.match(body)
        if m is not None:  # the item's lines are indented to its text (1 past an empty one's)
            empty = m.end() == len(body)
            j = _indented_end(lines, i, len(m[0].rstrip().expandtabs(4)) + 1
                              if empty else len(m[0].expandtabs(4)))
            if not empty or j > i:  # its text may go on in lazy lines
                j = _lazy_end(lines, j)
            if j > i:
                out.append((line.start, lines[j].end, True))
                i = j + 1
                para = True
                continue
        para = not _ATX_RE.match(body)
        i += 1
    return out


def _lazy_end(lines: list[Line], j: int) -> int:
    """The last lazy continuation line after line ``j`` of a list item's paragraph: the
    non-blank lines right after it that start no other block (an item, a heading, a
    break or quote, a fence, HTML); ``j`` when there is none."""
    while j + 1 < len(lines) and not lines[j + 1].blank:
        body = lines[j + 1].text
        if (_ITEM_RE.match(body) or _ATX_RE.match(body) or STRUCTURE_RE.match(body)
                or FENCE_RE.match(body) or body.lstrip(" ").startswith((">", "<"))):
            break
        j += 1
    return j


def _front_matter(lines: list[Line], out: list[Block]) -> int:
    """The index of the first line after the front matter (0 when there is none);
    the front matter's block is appended to ``out``."""
    first = lines[0].text.rstrip() if lines else ""
    if first not in ("---", "+++"):
        return 0
    ends = ("---", "...") if first == "---" else ("+++",)
    for j in range(1, len(lines)):
        if lines[j].text.rstrip() in ends:
            out.append((0, lines[j].end, False))
            return j + 1
    return 0


def _block_end(lines: list[Line], i: int, para: bool) -> tuple[int, bool]:
    """The index of the last line of the verbatim or one-line block starting at line
    ``i`` (code, math, HTML, a definition, a break), or -1 when none starts there, and
    whether a fix may delete the block as a whole (a break or a quote's ``>`` line).
    ``para``: line ``i`` follows a paragraph's line (indented code, a lone HTML tag
    and a link definition cannot interrupt one)."""
    body = lines[i].text
    if body[:1] in " \t" and not para and _indent(body) >= 4:
        return _code_end(lines, i), False
    quoted = body.lstrip(" ").startswith(">")
    m = FENCE_RE.match(_unquote(body) if quoted else body)
    if m is not None and not ((opening := m.group(1))[0] == "`" and "`" in m.group(2)):
        return _fence_end(lines, i, opening, quoted), False
    stripped = body.strip()
    if stripped.startswith("$$") and (stripped == "$$" or stripped.endswith("$$")):
        if len(stripped) >= 4:  # "$$ x $$" on one line
            return i, False
        end = _until(lines, i, lambda t: t.rstrip().endswith("$$"))
        closed = end < len(lines) - 1 or lines[end].text.rstrip().endswith("$$")
        return (end if closed else i), False
    if stripped.startswith("<"):
        for opener, closing in _HTML_ENDS:
            if opener.match(body):
                if closing.search(body, body.index("<") + 2):
                    return i, False
                return _until(lines, i, closing.search), False
        if _HTML_BLOCK_RE.match(body) or (not para and _HTML_TAG_RE.match(body)):
            return _paragraph_end(lines, i), False
    if STRUCTURE_RE.match(body):
        return i, True
    m = _DEFINITION_RE.match(body)
    if m is not None and (m.group(1) or not para):
        return (_indented_end(lines, i, 2) if m.group(1) else i), False
    return -1, False


def _unquote(body: str) -> str:
    """``body`` without its blockquote markers ("> > x" -> "x")."""
    return _QUOTE_RE.sub("", body, count=1)


def _fence_end(lines: list[Line], i: int, opening: str, quoted: bool) -> int:
    """The last line of the fenced block that ``opening`` opens on line ``i``: its closing
    fence, else the last line (of the blockquote, for a fence in one)."""
    for j in range(i + 1, len(lines)):
        body = lines[j].text
        if quoted:
            if not body.lstrip(" ").startswith(">"):
                return j - 1
            body = _unquote(body)
        f = FENCE_RE.match(body)
        if f is not None and closes_fence(opening, f.group(1), f.group(2)):
            return j
    return len(lines) - 1


def _indent(body: str) -> int:
    """The width of the line's leading white space (a tab to the next multiple of 4)."""
    width = 0
    for ch in body:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _until(lines: list[Line], i: int, closes: Callable[[str], object]) -> int:
    """The index of the first line after ``i`` whose text ``closes`` (a predicate),
    or the last line when none does."""
    for j in range(i + 1, len(lines)):
        if closes(lines[j].text):
            return j
    return len(lines) - 1


def _paragraph_end(lines: list[Line], i: int) -> int:
    """The index of the last line before the next blank line after ``i``."""
    j = i
    while j + 1 < len(lines) and not lines[j + 1].blank:
        j += 1
    return j


def _code_end(lines: list[Line], i: int) -> int:
    """The last line of the indented code block starting at ``i``: indented lines and
    the blank lines between them."""
    last = j = i
    while j + 1 < len(lines):
        j += 1
        if lines[j].blank:
            continue
        if _indent(lines[j].text) < 4:
            break
        last = j
    return last


def _table_end(lines: list[Line], i: int) -> int:
    """The last row of the table whose header is line ``i``: its delimiter row and the
    lines with a ``|`` up to a blank line."""
    j = i + 1
    while j + 1 < len(lines) and not lines[j + 1].blank and "|" in lines[j + 1].text:
        j += 1
    return j


def _indented_end(lines: list[Line], i: int, width: int) -> int:
    """The last line indented at least ``width`` under line ``i`` (a list item's or a
    footnote's), blank lines between them included; ``i`` when no line is."""
    last = j = i
    while j + 1 < len(lines):
        j += 1
        if lines[j].blank:
            continue
        if _indent(lines[j].text) < width:
            break
        last = j
    return last
