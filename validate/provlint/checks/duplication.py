"""PL3xx: text the extractor emitted more than once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import compress

from ..lines import Line, block_span, by_identity, line_keys, split
from ..model import Applicability, Document, Edit, Fix, Hit, Span
from ..native import SPEEDUPS as _C
from ..registry import rule
from .prose import Layout, layout


@rule(code="PL301", name="repeated-line", fix="always")
def repeated_line(doc: Document, *, min_chars: int = 20) -> Iterator[Hit]:
    """A line repeated right after itself (blank lines between allowed).

    Why: captions arrive twice (the figcaption and the image's alt text),
    and so do teasers; the repeat inflates the text and skews duplicate
    statistics. Lines shorter than ``min_chars`` ("Yes.", "Pros") are left
    alone, since short repeats are often deliberate.
    Fix safety: safe, the first copy stays, so no text is lost.

    Bad: "Photo: Reuters/J. Doe, in Geneva\\nPhoto: Reuters/J. Doe, in Geneva\\n"
    Good: "Photo: Reuters/J. Doe, in Geneva\\n\\nThe minister said.\\n"
    """
    lines = split(doc.text)
    for i in _adjacent(lines, line_keys(doc.text), min_chars):
        yield Hit(lines[i].full, f"repeats the line before it ({len(lines[i].text)} chars)",
                  Fix("Delete the repeat", (Edit(block_span(lines, i, i)),)))


def _adjacent(lines: list[Line], keys: tuple[str, ...], min_chars: int) -> list[int]:
    """The lines of text whose key, at least ``min_chars`` long, is the key of the line
    of text before them (in C when built: one pass over the lines)."""
    if _C is None:
        return _adjacent_py(lines, keys, min_chars)
    found: list[int] = _C.adjacent_repeats(lines, keys, min_chars)
    return found


def _adjacent_py(lines: list[Line], keys: tuple[str, ...], min_chars: int) -> list[int]:
    # A hit's key (min_chars long, so not empty) occurs twice: only lines with a
    # repeated key are looked at, each compared with the line of text before it.
    # (A third copy is compared with the second, which equals the first.)
    at = (compress(range(len(keys)), map(_repeated(keys).__contains__, keys)) if min_chars > 0
          else range(len(keys)))
    out = []
    for i in at:
        key = keys[i]
        if lines[i].blank or len(key) < min_chars:
            continue
        prev = i - 1
        while prev >= 0 and lines[prev].blank:
            prev -= 1
        if prev >= 0 and keys[prev] == key:
            out.append(i)
    return out


@by_identity(4)
def _repeated(keys: tuple[str, ...]) -> frozenset[str]:
    """The keys with text that occur more than once (once per pass; in C when built)."""
    if _C is None:
        return _repeated_py(keys)
    found: frozenset[str] = _C.repeated_keys(keys)
    return found


def _repeated_py(keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for k, n in Counter(keys).items() if n > 1 and k)


def _block_at(keys: Sequence[str], i: int, j: int) -> int:
    """Length of the run of equal keys at j and i, not reaching into i's copy."""
    k = 0
    while i + k < len(keys) and j + k < i and keys[j + k] == keys[i + k]:
        k += 1
    while k and not keys[i + k - 1]:
        k -= 1  # a block ends on a line with text
    return k


def _edge_copy(lay: Layout, keys: Sequence[str], origin: int, first: int, last: int) -> bool:
    """The repeat belongs to the page's head or tail matter, not the article.

    True when the first copy starts before the main prose block (a headline
    block printed twice) or the second copy lies wholly outside it (menus
    printed in the header and again in the footer). Blocks repeated inside
    the article (a training plan's weeks, a table's rows) are left to review,
    and so is a copy past the block's last prose line of a block the article
    itself prints twice or more: the plan's last day, after its last sentence.
    """
    if lay.first < 0:
        return True  # no article prose to protect: a page of short lines
    if origin < lay.first or last < lay.first:
        return True
    return first > lay.last and (origin > lay.last or _copies_inside(lay, keys, first, last) < 2)


def _copies_inside(lay: Layout, keys: Sequence[str], first: int, last: int) -> int:
    """How many times the lines with text of ``keys[first..last]`` occur, in order and
    next to each other (blank lines aside), among the main prose block's lines."""
    block = [k for k in keys[first : last + 1] if k]
    body = [k for k in keys[lay.first : lay.last + 1] if k]
    size = len(block)
    return sum(1 for s in range(len(body) - size + 1)
               if body[s] == block[0] and body[s : s + size] == block)


@rule(code="PL302", name="repeated-block", fix="always")
def repeated_block(
    doc: Document, *, min_lines: int = 2, min_chars: int = 30, max_safe_words: int = 30,
    fix_inside: bool = True,
) -> Iterator[Hit]:
    """A block of lines (such as headline + dateline) emitted a second time.

    Why: extractors that walk both a page's header and its article element
    print the headline block twice. Blocks are compared line by line after
    white space and case are normalised; the first copy is kept.
    Fix safety: safe when the repeat is head or tail matter (the first copy
    precedes the article's prose block, or the second copy lies outside it)
    and every line of the block is short (at most ``max_safe_words`` words:
    headlines, datelines, captions, menus). A block with a prose paragraph
    gets an unsafe fix, since an article may repeat itself on purpose; short
    lines repeated inside the article (a training plan's weeks, a table's
    rows) are reported without a fix, and so are prose blocks inside the
    article when ``fix_inside`` is false (the aggressive rule set's choice).

    Bad: "Big news in Geneva\\nBy A. Writer, AP\\n\\nBody.\\n\\n" "Big news in Geneva\\nBy A.
    Writer, AP\\n"
    Good: "Big news in Geneva\\nBy A. Writer, AP\\n\\nBody: big news in Geneva.\\n"
    """
    keys = line_keys(doc.text)
    found = _blocks(keys, min_lines, min_chars)
    if not found:
        return
    lay = layout(doc.text)
    lines = lay.lines
    for i, last, origin in found:
        texts = [k for k in keys[i : last + 1] if k]
        longest = max(len(t.split()) for t in texts)
        edge = _edge_copy(lay, keys, origin, i, last)
        short = longest <= max_safe_words
        span = Span(lines[i].start, lines[last].stop)
        fix: Fix | None = Fix("Delete the second copy", (Edit(block_span(lines, i, last)),),
                              Applicability.SAFE if edge and short else Applicability.UNSAFE)
        if not edge and (short or not fix_inside):
            fix = None  # short lines repeated inside the article: a plan, a table
        yield Hit(span, f"repeats a block of {len(texts)} lines seen earlier", fix)


def _blocks(keys: tuple[str, ...], min_lines: int,
            min_chars: int) -> list[tuple[int, int, int]]:
    """(first, last, origin) of each repeated block PL302 reports: its lines and the
    first line of the earlier copy it repeats. In C when built, which finds the repeated
    keys itself (a flag per line, no set of them made and looked up line by line)."""
    if _C is None:
        repeated = _repeated(keys)  # a repeated block needs a repeated line
        return _blocks_py(keys, repeated, min_lines, min_chars) if repeated else []
    found: list[tuple[int, int, int]] = _C.repeated_blocks(keys, None, min_lines, min_chars)
    return found


def _blocks_py(keys: tuple[str, ...], repeated: frozenset[str], min_lines: int,
               min_chars: int) -> list[tuple[int, int, int]]:
    out = []
    # A block starts on a line whose key occurs again, and only such lines'
    # places are ever looked up: the others are passed over at C speed.
    seen: dict[str, list[int]] = {}
    after = 0  # lines before this are inside a block already reported
    for i in compress(range(len(keys)), map(repeated.__contains__, keys)):
        if i < after:
            continue
        key = keys[i]
        best = origin = 0
        if earlier := seen.get(key, [])[-8:]:
            best, origin = 1, earlier[0]  # every earlier copy matches this line
            # A longer block (it ends on a line with text) needs the copy to match
            # up to this line's next line with text, which most short repeats
            # ("Share") fail: only the copies that pass are measured.
            gap = 1
            while i + gap < len(keys) and not keys[i + gap]:
                gap += 1
            if i + gap < len(keys):
                next_key = keys[i + gap]
                for j in earlier:
                    if (j + gap < i and keys[j + gap] == next_key
                            and not any(keys[j + 1 : j + gap])):
                        size = _block_at(keys, i, j)
                        if size > best:  # ties keep the first copy
                            best, origin = size, j
        # a block of fewer than min_lines lines has fewer lines of text: not listed
        texts = [k for k in keys[i : i + best] if k] if best >= min_lines else []
        if len(texts) >= min_lines and sum(map(len, texts)) >= min_chars:
            out.append((i, i + best - 1, origin))
            after = i + best
            continue
        seen.setdefault(key, []).append(i)
    return out
