"""PL2xx rules written in Python: residue told by shape and place.

The phrase-list rules of this family are data (``rules/phrases/*.toml``);
the rules here look at the document's layout instead (see ``prose``): the
main prose block, and the short lines around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .. import rx
from ..lines import Line, block_span, drop_cap
from ..markdown import STRUCTURE_RE as _MD_STRUCTURE_RE
from ..markdown import TABLE_RULE_RE as _TABLE_RULE_RE
from ..markdown import fence_line, is_markdown
from ..model import Applicability, Document, Edit, Fix, Hit, Span
from ..native import SPEEDUPS as _C
from ..registry import rule
from .credits import credit_lines
from .headmatter import headlines, lead_words, next_text, split_sentences, standout, title
from .hits import fixed_hits
from .prose import Layout, Shape, layout, prose_bounds
from .scan import candidates


def _runs(lay: Layout, lo: int, hi: int, max_words: int) -> list[list[int]]:
    """Runs of nav-like lines in ``lines[lo:hi]`` (blank lines inside a run allowed).

    ``_speedups.nav_runs`` is the compiled twin of ``_runs_py`` (a loop over
    every line outside the article, in every fix pass).
    """
    if _C is not None:
        runs: list[list[int]] = _C.nav_runs(lay.shapes, lo, hi, max_words)
        return runs
    return list(_runs_py(lay.shapes, lo, hi, max_words))


def _runs_py(shapes: tuple[Shape | None, ...], lo: int, hi: int,
             max_words: int) -> Iterator[list[int]]:
    i = lo
    while i < hi:
        s = shapes[i]
        if s is None or not s.nav(max_words):
            i += 1
            continue
        members = [i]
        j = i + 1
        while j < hi:
            t = shapes[j]
            if t is not None:
                if not t.nav(max_words):
                    break
                members.append(j)
            j += 1
        yield members
        i = j


def _split_at(run: list[int], keep: set[int]) -> list[list[int]]:
    """The parts of ``run`` between the lines of ``keep`` (which are left out)."""
    parts: list[list[int]] = [[]]
    for k in run:
        if k in keep:
            parts.append([])
        else:
            parts[-1].append(k)
    return parts


def _touches_edge(lay: Layout, members: list[int]) -> bool:
    before = all(s is None for s in lay.shapes[: members[0]])
    after = all(s is None for s in lay.shapes[members[-1] + 1 :])
    return before or after


@rule(code="PL210", name="edge-navigation", fix="always")
def edge_navigation(
    doc: Document, *, min_run: int = 2, min_edge_run: int = 2, max_words: int = 12
) -> Iterator[Hit]:
    """Runs of short menu-like lines before or after the article's prose.

    Why: full-page extractors print the site's menus, breadcrumbs, tag
    clouds and footer links as short lines of their own ("Home", "World",
    "Contact us"), above and below the article. The article is found as the
    block of lines with the most prose (sentences with terminal
    punctuation), grown over adjacent list items and table rows; outside
    it, a run of at least ``min_run`` lines of at most ``max_words`` words
    that start with a capital (or an uncased script), without sentence
    punctuation, digits (in lines of five words or fewer), list or heading
    markup is navigation
    (``min_edge_run`` when the run touches the start or end of the text).
    A single short line between paragraphs is a subheading and stays, as
    does anything inside the prose block, and the likely headlines (the
    last line of three words or more before the prose, the longest, and
    a line of the menu lines nearest the article far longer than the rest,
    or sharing most of its words with the article's first sentences, there or
    right above a likely headline), and a
    drop cap (a capital letter alone, the rest of its word on the next line).
    So does a sentence a page's links split into short lines: pieces that go
    on one from another (a piece ending in a comma, the next starting with
    punctuation or in lower case) and together end a sentence ("Thanks to" /
    "Ann Lee" / "," / "Bo Park" / ", and the whole team.").
    A text without a single prose line (a recipe, a list, a poem of short
    lines) has no article edges, and nothing in it is navigation.
    Fix safety: safe: deleted lines are short, outside the prose block and
    in a run of menu-like lines.

    Bad: "Home\\nWorld\\nPolitics\\nSport\\n\\n" "Ministers met in Geneva on Monday to discuss
    the report, officials said.\\n"
    Good: "Live\\nCouncil votes on new city budget\\nPosted on March 30, 2015 by Admin\\n"
    "Comments\\n\\nMinisters met in Geneva on Monday to discuss the report, officials said.\\n"
    "\\nThe ministers thanked\\nAnn Lee\\n,\\nBo Park\\n, and the whole team.\\n"
    """
    lay = layout(doc.text)
    # the block's prose lines, shared with the byline and date rules of the pass
    prose_lo, prose_hi = prose_bounds(lay)
    if lay.first < 0 or prose_lo > prose_hi:
        return iter(())  # no sentence anywhere: a list, a poem, a recipe has no edges to trim
    heads = headlines(lay)
    keep = set(heads)
    shortest = min(min_run, min_edge_run)  # a shorter run holds no part long enough

    def deleted(run: list[int]) -> list[list[int]]:
        parts = [run] if keep.isdisjoint(run) else _split_at(run, keep)
        return [part for part in parts if part and (len(part) >= min_run or (
            len(part) >= min_edge_run and _touches_edge(lay, part)))]

    found: list[tuple[Span, str]] = []
    for lo, hi in ((0, lay.first), (lay.last + 1, len(lay.lines))):
        runs = [run for run in _runs(lay, lo, hi, max_words) if len(run) >= shortest]
        # a drop cap is the first letter of the word on the next line: never a menu item
        keep.update(k for run in runs for k in run if drop_cap(lay.lines, k))
        keep.update(split_sentences(lay, runs))
        if lo == 0 and runs:
            # the headline among the menu lines nearest the article, or right above a
            # likely headline (a deck): see standout, title
            parts = [part for run in runs for part in deleted(run)]
            keep.update(k for part in parts[-1:] if (k := standout(lay, part)) >= 0)
            lead = lead_words(lay, prose_lo, prose_hi)
            near = [part for part in parts
                    if part is parts[-1] or next_text(lay, part[-1]) in heads]
            keep.update(k for part in near if (k := title(lay, part, lead)) >= 0)
        for run in runs:
            for part in deleted(run):
                shown = ", ".join(repr(lay.lines[k].text.strip()[:30]) for k in part[:3])
                more = f" and {len(part) - 3} more" if len(part) > 3 else ""
                found.append((block_span(lay.lines, part[0], part[-1]), shown + more))
    return iter(fixed_hits(found, "navigation lines outside the article: ", "",
                           "Delete the navigation lines"))


_SYMBOL = Shape._fields.index("symbol")


def _shape_true(shapes: tuple[Shape | None, ...], field: int) -> list[int]:
    """The indices of the (non-blank) lines whose shape has ``field`` set."""
    if _C is not None:
        found: list[int] = _C.shape_true(shapes, field)
        return found
    return _shape_true_py(shapes, field)


def _shape_true_py(shapes: tuple[Shape | None, ...], field: int) -> list[int]:
    """``_speedups.shape_true``'s pure twin."""
    return [i for i, s in enumerate(shapes) if s is not None and s[field]]


@rule(code="PL211", name="symbol-only-line", fix="always")
def symbol_only_line(
    doc: Document, *, markdown_ext: list[str] = ["md", "markdown"]  # noqa: B006
) -> Iterator[Hit]:
    """A line made only of symbols and punctuation ("|", "»", "•", "* * *").

    Why: separators of menus and breadcrumbs, icon fonts and list bullets
    whose text went elsewhere survive as lines without a single letter or
    digit. Structure is kept: a Markdown table's delimiter row ("|---|---|"),
    a code fence ("```", "~~~") in any file, and in files ending in one of
    ``markdown_ext`` a thematic break ("***", "* * *", "---"), a
    blockquote's empty line (">") or a hard line break ("\\\\" alone on a
    line inside a paragraph); so is the punctuation between the pieces of a
    sentence a page's links split into lines (see PL210: "Ann Lee" / "," /
    "Bo Park" / ", and the whole team.").
    Fix safety: safe: a line without letters or digits carries no words.

    Bad: "Home\\n»\\nWorld\\n\\nThe minister said.\\n"
    Good: "The minister said: \\"No.\\"\\n\\n| a | b |\\n|---|---|\\n\\n```\\nx = 1\\n```\\n"
    "\\nShe thanked\\nAnn Lee\\n,\\nBo Park\\n, and the whole team.\\n"
    """
    lay = layout(doc.text)
    lines = lay.lines
    md = is_markdown(doc.path or doc.id, markdown_ext)
    symbols = _shape_true(lay.shapes, _SYMBOL)  # the shapes hold prose.symbol_only
    punctuation = split_sentences(lay, [symbols]) if symbols else set()
    found = [(block_span(lines, i, i), repr(lines[i].text.strip()[:20]))
             for i in symbols
             if not _TABLE_RULE_RE.match(lines[i].text) and not fence_line(lines[i].text)
             and i not in punctuation
             and not (md and (_MD_STRUCTURE_RE.match(lines[i].text) or _hard_break(lines, i)))]
    return iter(fixed_hits(found, "line without letters or digits: ", "", "Delete the line"))


def _hard_break(lines: Sequence[Line], i: int) -> bool:
    """Whether line ``i`` is only a backslash with more of its paragraph after it: a
    Markdown hard line break, which deleting would join the lines around it."""
    return (lines[i].text.strip() == "\\" and i + 1 < len(lines)
            and not lines[i + 1].blank)


@rule(code="PL212", name="media-credit", fix="always")
def media_credit(doc: Document, *, max_words: int = 40) -> Iterator[Hit]:
    """A photo, video or illustration credit, alone or ending a caption.

    Why: image captions and credits ("Photo / AP", "(Reuters)", "Getty
    Images", "Illustration: J. Doe", "Photo courtesy of NASA") are printed as
    lines of their own, or end a caption line; they describe the page's
    media, not the article. A courtesy credit counts only as a whole line
    naming the lender in at most eight words ("Courtesy of the council, the
    park reopened." is a sentence).
    Only lines of at most ``max_words`` words are considered, and a media
    word counts only where it starts the credit: capitalised, or at the
    start of the line, after a bracket, a bar or a sentence's end
    ("accepting credit/debit cards", "voice and video: ..." are article text).
    Fix safety: unsafe: a caption often repeats the article's facts and
    some captions are the article's own text; review before deleting.

    Bad: "The minister spoke in Geneva.\\n\\nThe minister in Geneva. Photo / AP\\n\\n"
    "The probe reached Mars.\\n\\nPhoto courtesy of NASA\\n"
    Good: "The minister spoke in Geneva.\\n\\nReuters reported the meeting first.\\n\\n"
    "The service accepts credit/debit cards and PayPal.\\n\\n"
    "Courtesy of the council, the park reopened.\\n"
    """
    lay = layout(doc.text)
    found = [(block_span(lay.lines, i, i), repr(lay.lines[i].text.strip()[:60]))
             for i in credit_lines(doc.text)
             if (s := lay.shapes[i]) is not None and s.words <= max_words]
    return iter(fixed_hits(found, "media credit line: ", "", "Delete the credit line",
                           applicability=Applicability.UNSAFE))


_PROMPT_RE = rx.compile(
    r"^[\s*_#>\-•]*(?:(?:subscribe|sign\s+up|get|join)\b[^.!?\n]{0,70}\bnewsletters?\b[^.!?\n]{0,40}"
    r"|(?:jetzt\s+)?(?:zum\s+)?newsletter\s+(?:abonnieren|anmelden)"
    r"|abonnez-vous\s+à\s+(?:notre|la)\s+newsletter|inscrivez-vous\s+à\s+(?:notre|la)\s+newsletter"
    r"|suscr[ií]bete\s+a\s+(?:nuestro|nuestra|la)\s+(?:boletín|newsletter)"
    r"|iscriviti\s+alla\s+(?:nostra\s+)?newsletter)[.!]?[\s*_]*$",
    re.IGNORECASE,
)
# "Sign up to our newsletter to get the day's top stories in your inbox.": one
# sentence that starts with a sign-up verb and says where the letter goes
_INVITE_RE = rx.compile(
    r"^[\s*_#>\-•]*(?:subscribe|sign\s+up|get|join|stay|never\s+miss|don['’]t\s+miss|want)\b"
    r"[^.!?]*\b(?:newsletters?|inbox)\b[^.!?]*[.!?]?[\s*_]*$",
    re.IGNORECASE,
)
# an invitation addresses the reader
_READER_RE = rx.compile(r"\b(?:our|your|you)\b", re.IGNORECASE)
# "Daily Briefing Newsletter": one to four capitalised words naming the letter
_NAMED_RE = rx.compile(r"^[\s*_#>]*(?:[A-Z][\w'’&.-]*\s+){1,4}(?:E-?)?[Nn]ewsletters?[\s*_]*$")


@rule(code="PL215", name="newsletter-prompt-line", fix="always")
def newsletter_prompt_line(
    doc: Document, *, max_words: int = 16, max_invite_words: int = 32
) -> Iterator[Hit]:
    """A short line that promotes a named newsletter ("Get our daily Entertainment newsletter").

    Why: sign-up boxes name their newsletter ("Subscribe to the Morning
    Review newsletter", "Daily Briefing Newsletter"), so no phrase list can
    hold them all. A line of at most ``max_words`` words matches when it is
    a sign-up verb ("Subscribe", "Sign up", "Get", "Join", "Newsletter
    abonnieren", "Abonnez-vous") ending in a clause about a newsletter with
    no sentence break, or one to four capitalised words followed by
    "Newsletter" and nothing else, or (up to ``max_invite_words`` words) one
    sentence that starts with a sign-up verb, names a newsletter or an inbox
    and addresses the reader ("Get the day's top headlines delivered to your
    inbox"; "Get this: the newsletter reached ten thousand inboxes." stays).
    A sentence that mentions a newsletter ("She started a newsletter in
    2019.") does not start with a sign-up verb and stays.
    Fix safety: safe: the whole line must be the prompt; long lines and
    lines with a sentence break inside are never touched.

    Bad: "The council met.\\n\\nSubscribe to the Morning Review newsletter\\n"
    Good: "The council met.\\n\\nShe started the Morning Review newsletter in 2019.\\n"
    """
    lay = layout(doc.text)
    # every prompt names the letter: only lines with one of these words are looked at
    for i in candidates(doc.text, lay.lines, ("newsletter", "boletín", "inbox")):
        ln = lay.lines[i]
        s = lay.shapes[i]
        if s is None or s.words > max_invite_words:
            continue
        lower = ln.text.lower()
        if "newsletter" not in lower and "boletín" not in lower and "inbox" not in lower:
            continue
        short = s.words <= max_words
        if ((short and (_PROMPT_RE.match(ln.text) or _NAMED_RE.match(ln.text)))
                or (_INVITE_RE.match(ln.text) and _READER_RE.search(ln.text))):
            span = block_span(lay.lines, i, i)
            yield Hit(span, f"newsletter prompt: {ln.text.strip()[:60]!r}",
                      Fix("Delete the prompt line", (Edit(span),)))
