"""PL5xx: document quality, scored per document (reports only, no fixes).

The numbers come from ``provlint.quality.signals``, which the report's
documents table uses too.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Document, Hit, Span
from ..quality import signals
from ..registry import rule


@rule(code="PL501", name="too-short", fix="never", severity="info")
def too_short(doc: Document, *, min_words: int = 50) -> Iterator[Hit]:
    """The document has fewer than ``min_words`` words.

    Why: an extraction that kept only a headline, a teaser or an error page
    is too short to be an article; it usually means the extractor missed
    the body.
    Fix safety: no fix: report only.

    Bad: "Headline\\n\\nOne short line.\\n"
    Good: "Headline\\n\\n" "The council met on Monday and approved the budget for next year after a
    debate of four hours. The mayor said the bridge would be repaired first, then the school, and
    that taxes would not rise. The opposition voted against the plan, saying the costs were too
    low and would grow. A final vote is due next month, when the council meets again.\\n"
    """
    sig = signals(doc.text)
    if sig.words < min_words:
        yield Hit(Span(0, 0), f"only {sig.words} words (at least {min_words} expected)")


@rule(code="PL502", name="truncated-ending", fix="never", severity="info")
def truncated_ending(doc: Document) -> Iterator[Hit]:
    """The last paragraph stops without sentence punctuation.

    Why: a body cut off by a paywall, a "read more" link or a size limit
    ends in the middle of a sentence.
    Fix safety: no fix: report only.

    Bad: "The council met on Monday and said that the budget would be\\n"
    Good: "The council met on Monday and said that the budget would pass.\\n"
    """
    if signals(doc.text).truncated:
        end = len(doc.text.rstrip())
        yield Hit(Span(end, end), "the last paragraph ends without sentence punctuation")


@rule(code="PL503", name="low-prose-share", fix="never", severity="info")
def low_prose_share(doc: Document, *, min_share: float = 0.2, min_lines: int = 10) -> Iterator[
    Hit
]:
    """Fewer than ``min_share`` of the lines read as prose.

    Why: a text made mostly of short lines (menus, lists of links, table
    cells) is a page dump or a listing, not an article. Texts with fewer
    than ``min_lines`` lines are not judged.
    Fix safety: no fix: report only.

    Bad: "Home\\nNews\\nSport\\nWeather\\nContact\\nAbout\\nJobs\\nShop\\nHelp\\nLogin\\n"
    Good: "The council met on Monday and approved the budget for next year.\\n"
    """
    sig = signals(doc.text)
    if sig.lines >= min_lines and sig.prose_share < min_share:
        yield Hit(Span(0, 0), f"{sig.prose_share:.0%} of {sig.lines} lines are prose "
                              f"(at least {min_share:.0%} expected)")


@rule(code="PL504", name="high-duplicate-share", fix="never", severity="info")
def high_duplicate_share(doc: Document, *, max_share: float = 0.3, min_lines: int = 10) -> Iterator[
    Hit
]:
    """More than ``max_share`` of the lines repeat an earlier line.

    Why: a text whose lines repeat a lot is a template, a feed or an
    extraction that walked the page twice. Texts with fewer than
    ``min_lines`` lines are not judged.
    Fix safety: no fix: report only.

    Bad: "Menu\\nNews\\nMenu\\nNews\\nMenu\\nNews\\nMenu\\nNews\\nMenu\\nNews\\n"
    Good: "The council met on Monday.\\nThe budget passed.\\n"
    """
    sig = signals(doc.text)
    if sig.lines >= min_lines and sig.duplicate_share > max_share:
        yield Hit(Span(0, 0), f"{sig.duplicate_share:.0%} of {sig.lines} lines repeat an "
                              f"earlier line (at most {max_share:.0%} expected)")
