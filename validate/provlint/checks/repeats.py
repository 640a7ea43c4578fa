"""PL3xx beyond adjacent repeats: captions, headlines and paragraphs printed twice."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress, islice

from ..lines import block_span, line_keys, normalise
from ..model import Applicability, Document, Edit, Fix, Hit
from ..native import SPEEDUPS as _C
from ..registry import rule
from .credits import credit_lines
from .prose import Layout, Shape, credit_like, layout


@rule(code="PL303", name="repeated-caption", fix="always")
def repeated_caption(doc: Document, *, max_words: int = 60) -> Iterator[Hit]:
    """A caption or credit line printed again later in the document.

    Why: a figure's caption is printed with the image and again in a
    gallery, a lightbox or the image's alt text. Only lines that read as a
    caption (a credit such as "Photo / AP" or "(Getty Images)") of at most
    ``max_words`` words are compared; the first copy is kept. Adjacent
    repeats are PL301's.
    Fix safety: safe: the first copy stays, so no text is lost.

    Bad: "A man at the border. Photo / AP\\n\\nThe minister spoke.\\n\\n" "A man at the border.
    Photo / AP\\n"
    Good: "A man at the border. Photo / AP\\n\\nThe minister spoke.\\n"
    """
    lay = layout(doc.text)
    shapes = lay.shapes
    first_seen: dict[str, int] = {}
    for i in credit_lines(doc.text):
        s = shapes[i]
        if s is None or s.words > max_words:
            continue
        j = first_seen.setdefault(normalise(lay.lines[i].text), i)
        if j == i:
            continue
        prev = i - 1  # the line of text before this one
        while prev >= 0 and shapes[prev] is None:
            prev -= 1
        if j != prev:  # adjacent repeats belong to PL301
            span = block_span(lay.lines, i, i)
            yield Hit(span, f"caption repeated from line {j + 1}",
                      Fix("Delete the repeat", (Edit(span),)))


@rule(code="PL304", name="repeated-headline", fix="always")
def repeated_headline(doc: Document, *, max_gap: int = 3) -> Iterator[Hit]:
    """The headline printed again as the first line of the body.

    Why: extractors print the page's title and then the article's own
    heading; when they are the same, the body starts with the headline a
    second time, separated by at most ``max_gap`` short lines (a dateline,
    a byline). Adjacent repeats are PL301's.
    Fix safety: safe: the first copy stays.

    Bad: "Council approves budget\\nBy A. Writer\\n\\n" "Council approves budget\\n\\nThe
    council met.\\n"
    Good: "Council approves budget\\n\\nThe council approved the budget on Monday.\\n"
    """
    lay = layout(doc.text)
    # the first lines of text (a Shape is a non-empty tuple, so true; blank lines have None)
    text_lines = list(islice(compress(range(len(lay.shapes)), lay.shapes), max(3, 2 + max_gap)))
    if len(text_lines) < 3:
        return
    head = text_lines[0]
    key = normalise(lay.lines[head].text)
    hs = lay.shapes[head]
    if hs is None or hs.prose or hs.words < 2:
        return
    if normalise(lay.lines[text_lines[1]].text) == key:
        # repeated at once: a refrain, PL301's business (taking the third copy would
        # make the fourth the next pass's third, one line per pass)
        return
    for i in text_lines[1 : 2 + max_gap]:
        s = lay.shapes[i]
        if s is not None and s.prose:
            return  # the body has begun: a later repeat is not the body's first line
        if i != text_lines[1] and normalise(lay.lines[i].text) == key:
            span = block_span(lay.lines, i, i)
            yield Hit(span, "headline repeated as the first body line",
                      Fix("Delete the repeat", (Edit(span),)))
            return


@rule(code="PL305", name="repeated-paragraph", fix="sometimes")
def repeated_paragraph(doc: Document, *, min_words: int = 20) -> Iterator[Hit]:
    """A long prose paragraph printed again elsewhere in the document.

    Why: a teaser or a pull quote repeats a paragraph of the article, or a
    page is printed twice; the copy skews every count made on the text.
    Adjacent repeats are PL301's. A repeated list item is left alone: a
    schedule, recipe or checklist repeats its steps on purpose ("- Warm up:
    10 minutes of easy jogging ..." on every training day).
    Fix safety: unsafe: articles repeat sentences on purpose (a summary, a
    quote set off again), so the later copy is removed only with
    ``--unsafe-fixes``.

    Bad: "The council approved the budget on Monday after a long debate about the cost of the
    new bridge and the school.\\n\\nOther news.\\n\\nThe council approved the budget on Monday
    after a long debate about the cost of the new bridge and the school.\\n"
    Good: "The council approved the budget on Monday after a long debate about the cost of the
    new bridge and the school.\\n\\nOther news.\\n\\n- Warm up: ten minutes of easy jogging in zone
    two, five minutes of drills and five short strides at a hard effort\\n- Intervals\\n\\n"
    "- Warm up: ten minutes of easy jogging in zone two, five minutes of drills and five short
    strides at a hard effort\\n- Tempo run\\n"
    """
    lay = layout(doc.text)
    keys = line_keys(doc.text)
    # Only the long lines can repeat one another: the rule walks them alone and looks
    # up a long line's neighbours when it repeats (not every line's, up front).
    long = _long_lines(lay.shapes, min_words)
    if len(set(map(keys.__getitem__, long))) == len(long):
        return  # no long line occurs twice (a set of their keys, made at C speed)
    first_seen: dict[str, int] = {}
    for i in long:
        if ((s := lay.shapes[i]) is not None and s.listy) or credit_like(lay.lines[i].text):
            continue
        j = first_seen.setdefault(keys[i], i)
        if j == i:
            continue
        before, around = _neighbours(lay, keys, i)
        # a repeat that shares a neighbour with its first copy is a block: PL302's
        shared = any(x is not None and x == y for x, y in zip(around, _neighbours(lay, keys, j)[1],
                                                              strict=True))
        if j != before and not shared:  # adjacent repeats belong to PL301
            span = block_span(lay.lines, i, i)
            yield Hit(span, f"paragraph repeated from line {j + 1}",
                      Fix("Delete the repeat", (Edit(span),), Applicability.UNSAFE))


def _long_lines(shapes: tuple[Shape | None, ...], min_words: int) -> list[int]:
    """The lines of text with at least ``min_words`` words (in C when built)."""
    if _C is None:
        return _long_lines_py(shapes, min_words)
    found: list[int] = _C.long_lines(shapes, min_words)
    return found


def _long_lines_py(shapes: tuple[Shape | None, ...], min_words: int) -> list[int]:
    return [i for i, s in enumerate(shapes) if s is not None and s.words >= min_words]


def _neighbours(lay: Layout, keys: tuple[str, ...],
                i: int) -> tuple[int | None, tuple[str | None, str | None]]:
    """The line of text before line ``i`` (None at the start) and the keys of the lines
    of text around it (None past either end)."""
    shapes = lay.shapes
    a = i - 1
    while a >= 0 and shapes[a] is None:
        a -= 1
    b = i + 1
    while b < len(shapes) and shapes[b] is None:
        b += 1
    return (a if a >= 0 else None), (keys[a] if a >= 0 else None,
                                     keys[b] if b < len(shapes) else None)
