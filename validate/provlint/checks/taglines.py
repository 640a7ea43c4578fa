"""PL405: the page's tags and categories printed as a line, lifted into provenance."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import rx
from ..lines import block_span, split
from ..model import Document, Edit, Fix, Hit
from ..registry import rule
from .scan import labels_with

_SENTENCE_END_RE = rx.compile(r"[.!?]\s")
_TERM_SPLIT_RE = rx.compile(r"[,|;]")
_TAGS_RE = rx.compile(
    r"^[\s*_#>\-•]*(?P<label>tags|tagged(?:\s+with)?|filed\s+under|categories|posted\s+in"
    r"|schlagwörter|étiquettes|etiquetas)[\s*_]*:[\s*_|]*(?P<rest>[^\s.!?].*?)[\s*_|]*$",
    re.IGNORECASE,
)
# every label holds one of these (the ASCII part of "étiquettes", "schlagwörter"); the label
# and the decoration before it hold no colon, so it is before the line's first colon
_TAG_WORDS = ("tag", "filed", "categories", "posted", "schlagw", "tiquettes", "etiquetas")


@rule(code="PL405", name="tag-line", fix="always")
def tag_line(doc: Document, *, max_words: int = 30) -> Iterator[Hit]:
    """A line listing the page's tags or categories ("Tags: Health, Fitness").

    Why: blog and news templates print the post's taxonomy as a line of
    its own ("Tags: ...", "Filed under: ...", "Posted in: ...",
    "Schlagwörter: ..."); it is metadata, not article text. The terms are
    lifted into the provenance record (``tags``). Only a line of at most
    ``max_words`` words that starts with the label and a colon and holds
    no sentence break matches; "Tags are cheap, the vendor said." stays.
    Fix safety: safe, the terms are kept in the provenance metadata.

    Bad: "The council met.\\n\\nTags: Budget, City council, Taxes\\n"
    Good: "The council met.\\n\\nTags: the council voted on them. They cost little.\\n"
    """
    lines = split(doc.text)
    for i in labels_with(doc.text, lines, _TAG_WORDS):
        ln = lines[i]
        if ln.blank or len(ln.text.split()) > max_words:
            continue
        m = _TAGS_RE.match(ln.text)
        if m is None or _SENTENCE_END_RE.search(m["rest"]):
            continue
        terms = [t.strip(" *_") for t in _TERM_SPLIT_RE.split(m["rest"]) if t.strip(" *_")]
        span = block_span(lines, i, i)
        yield Hit(ln.full, f"tag line '{ln.text.strip()[:60]}' lifted into metadata",
                  Fix("Lift the tags into metadata and delete the line", (Edit(span),)),
                  {"tags": ", ".join(terms)})
