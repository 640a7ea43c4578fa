"""PL217: counter badges printed as lines ("34 Comments", "Image 2 of 5")."""

from __future__ import annotations

from collections.abc import Iterator

from .. import rx
from ..lines import block_span
from ..model import Document, Edit, Fix, Hit
from ..registry import rule
from .prose import layout

_NOUNS = (
    r"comments?|replies|reply|responses?|shares?|likes?|views?|reactions?|retweets?|reposts?"
    r"|kommentare?|commentaires?|comentarios?|commenti|comentários?|reacties|komentarz[ey]?"
    r"|комментари[йяев]"
)
_COUNTER_RE = rx.compile(
    r"^[\s•*\-]*(?:\d[\d.,]*\s*[km]?\s+(?:" + _NOUNS + r")"
    r"|\d+\s+(?:of|/)\s+\d+\s+comments?)[\s*_]*$"
    r"|^[\s(\[*_]*(?:image|photo|picture|slide|foto|bild|imagen|immagine|gallery)\s+\d{1,3}\s*"
    r"(?:of|/|von|de|di|sur|van|из)\s*/?\s*\d{1,3}[\s)\]*_]*$"
)  # matched against the lowercased line: no re.IGNORECASE on the alternation
# "(48)": a sidebar's archive or category count split from its label
_PAREN_COUNT_RE = rx.compile(r"^\s*\(\d[\d,.]*\)\s*$")
_DIGIT_RE = rx.compile(r"\d")  # every badge has a number: a cheap test first


@rule(code="PL217", name="counter-badge", fix="always")
def counter_badge(doc: Document) -> Iterator[Hit]:
    """A line that is only a counter badge ("34 Comments", "1.2K shares", "Image 2 of 5").

    Why: comment, share and like counters and a gallery's "Image 2 of 5"
    are printed by widgets next to the article; extractors keep them as
    lines of their own. Only a line that is a number and one counter noun
    ("comments", "likes", "shares", "views", "Kommentare", ...), or a
    gallery position ("Photo 3 of 12", "Bild 1 von 5"), and nothing else
    matches; "34 comments were sent to the council." stays.
    Fix safety: safe: the whole line must be the badge.

    Bad: "The council met on Monday.\\n\\n34 Comments\\n"
    Good: "The council met on Monday.\\n\\n34 comments were sent to the council by Friday.\\n"
    """
    lay = layout(doc.text)
    lines = lay.lines
    for i, ln in enumerate(lines):
        if ln.blank or len(ln.text) > 48 or _DIGIT_RE.search(ln.text) is None:
            continue
        sidebar_count = _PAREN_COUNT_RE.match(ln.text) is not None and not lay.inside(i)
        if sidebar_count or _COUNTER_RE.match(ln.text.lower()):
            span = block_span(lines, i, i)
            yield Hit(ln.full, f"counter badge '{ln.text.strip()}'",
                      Fix("Delete the counter line", (Edit(span),)))
