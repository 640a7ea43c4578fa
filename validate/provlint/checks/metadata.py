"""PL4xx: page metadata printed into the text, lifted into provenance."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain

from .. import rx
from ..dates import parse_date
from ..lines import block_span, split
from ..model import Document, Edit, Fix, Hit, Span
from ..registry import rule
from .counters import short_digit_lines
from .prose import Layout, layout, nav_line, prose_bounds
from .scan import candidates

_LABEL_RE = rx.compile(
    r"^\s*(?P<label>publish(?:ed)?\s+(?:date|on)|date\s+published|published|first\s+published"
    r"(?:\s+on)?|posted(?:\s+on)?|last\s+updated(?:\s+on)?|updated(?:\s+on)?|last\s+modified"
    r"|modified(?:\s+on)?)\s*[:\-–]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# every label holds one of these ("updated" holds "date"): lines without one are passed over
_LABEL_WORDS = ("publish", "date", "posted", "modified")


@rule(code="PL401", name="dateline-label", fix="always")
def dateline_label(doc: Document, *, remove: bool = True) -> Iterator[Hit]:
    """A "Publish Date" / "Published" / "Updated" label with its date.

    Why: the page's date widget is printed as lines of its own ("Publish
    Date" then "Sat, 10 Sep 2022, 1:23pm"); it is metadata, not article
    text. The date is lifted into the provenance record (``published`` or
    ``updated``, ISO 8601) and the lines are removed (set ``remove = false``
    to keep them). Only a line that is the label and a date and nothing
    else matches; a date inside a sentence is never touched.
    Fix safety: safe, the value is kept in the provenance metadata.

    Bad: "Headline\\n\\nPublish Date\\nSat, 10 Sep 2022, 1:23pm\\n\\nBody.\\n"
    Good: "Headline\\n\\nThe report was published on 10 Sep 2022, he said.\\n"
    """
    lines = split(doc.text)
    after = 0  # lines before this were lifted with a label above them
    for i in candidates(doc.text, lines, _LABEL_WORDS):
        m = _LABEL_RE.match(lines[i].text) if i >= after else None
        if m is None:
            continue
        last = i
        iso = parse_date(m["rest"]) if m["rest"].strip() else None
        if iso is None and not m["rest"].strip() and i + 1 < len(lines):
            iso = parse_date(lines[i + 1].text)
            last = i + 1
        if iso is None:
            continue
        label = m["label"].lower()
        key = "updated" if ("updated" in label or "modified" in label) else "published"
        span = block_span(lines, i, last)
        fix = Fix("Lift the date into metadata and delete the lines", (Edit(span),))
        yield Hit(Span(lines[i].start, lines[last].stop),
                  f"dateline '{m['label']}' ({key} {iso}) lifted into metadata",
                  fix if remove else None, {key: iso})
        after = last + 1


# --- PL402: byline lines ---------------------------------------------------

_BY_RE = rx.compile(
    r"^[\s*_>]*(?P<label>by|written\s+by|words\s+by|story\s+by|posted\s+by|von|par|por|door)"
    r"[\s*_]*:?[\s*_]+(?P<rest>\S.*?)[\s*_]*$",
    re.IGNORECASE,
)
_LABEL_ONLY_RE = rx.compile(
    r"^[\s*_>]*(?:(?:article\s+)?(?:written|reviewed|posted|edited)\s+by|(?:medically\s+)?reviewed"
    r"\s+by|fact[\s-]checked\s+by|author(?:ed)?\s+by)[\s*_]*:?[\s*_]*$",
    re.IGNORECASE,
)
_BY_WORDS = ("by", "von", "par", "por", "door")  # one is in every label of the two above
_NAME_SPLIT_RE = rx.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b)\s*")
_OUTLET_SPLIT_RE = rx.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_PARTICLES = frozenset({"de", "da", "di", "du", "del", "der", "den", "van", "von", "la", "le",
                        "bin", "al", "dos", "das"})
# capitalised words that make "By ..." a heading or a phrase, not a name
_NOT_NAME_WORDS = (
    "the a an this that these those our your my his her their its all any each every some "
    "no only one two three far way hand default design nature chance accident appointment "
    "request invitation numbers number night day week month year date region country state "
    "city category type size price topic industry name age gender use case car train bus air "
    "plane boat sea land foot bike road rail mail email phone post")
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def _name(part: str) -> bool:
    """1-4 capitalised words (initials and name particles allowed)."""
    words = part.split()
    if not 1 <= len(words) <= 4 or words[-1].lower() in _PARTICLES:
        return False
    for k, w in enumerate(words):
        if w.lower() in _NOT_NAMES:
            return False
        if k and w in _PARTICLES:
            continue
        if not w[0].isupper() or not all(c.isalpha() or c in "'’.-" for c in w):
            return False
    return True


def _byline(rest: str) -> tuple[list[str], str | None, str | None] | None:
    """Split "Jane Doe and John Roe | Reuters" into names, outlet and date."""
    parts = _OUTLET_SPLIT_RE.split(rest.strip(" *_"))
    if len(parts) > 2:
        return None
    names = [n for n in _NAME_SPLIT_RE.split(parts[0]) if n]
    if not names or len(names) > 4 or not all(_name(n) for n in names):
        return None
    if sum(len(n.split()) for n in names) < 2:
        return None  # "By Reuters", "By Design": one word is not enough to tell
    outlet = iso = None
    if len(parts) == 2:
        iso = parse_date(parts[1])
        if iso is None:
            if not _name(parts[1]):
                return None
            outlet = parts[1].strip()
    return names, outlet, iso


@rule(code="PL402", name="byline", fix="always")
def byline(doc: Document, *, remove: bool = True) -> Iterator[Hit]:
    """A byline line ("By Jane Doe", "By Jane Doe and John Roe | Reuters").

    Why: the author line printed above or below the article is metadata,
    not article text. Only a line before the article's first prose line or
    after its last (see ``prose``) that is a
    byline label ("By", "Written by", "Von", "Par", "Por") followed by one
    to four capitalised names, optionally an outlet or a date after a bar
    or dash, and nothing else matches; the names are lifted into the
    provenance record (``byline``). A bare label line ("Written by") with
    the names on the next line is lifted the same way; a bare label outside
    the prose without names is removed alone. Headings such as
    "By The Numbers" or "By Car" are not names and stay.
    Fix safety: safe, the names are kept in the provenance metadata.

    Bad: "Budget passed\\n\\nBy Jane Doe and John Roe | Reuters\\n\\n" "The council met on
    Monday and approved the budget for next year.\\n"
    Good: "The council met.\\n\\nBy the numbers, the budget grew by a tenth, he said.\\n"
    """
    lay = layout(doc.text)
    lines = lay.lines
    lo, hi = prose_bounds(lay)
    # the lines before and after the article's prose that hold a label's word
    # (every label holds one); lines up to the last one lifted are passed over
    ends = ((0, lo), (hi + 1, len(lines))) if lo <= hi else ((0, len(lines)),)
    after = 0
    for i in chain.from_iterable(candidates(doc.text, lines, _BY_WORDS, True, a, b)
                                 for a, b in ends):
        if i < after:
            continue
        text, last = lines[i].text, i
        m = _BY_RE.match(text)
        found = _byline(m["rest"]) if m else None
        bare = found is None and _LABEL_ONLY_RE.match(text) is not None
        if bare:
            j = i + 1
            while j < len(lines) and lines[j].blank:
                j += 1
            if j < len(lines) and not lo <= j <= hi:
                found = _byline(lines[j].text)
                last = j if found else i
        if found is None and not bare:
            continue
        meta: dict[str, str] = {}
        if found:
            names, outlet, iso = found
            meta["byline"] = ", ".join(names)
            if outlet:
                meta["outlet"] = outlet
            if iso:
                meta["published"] = iso
        span = block_span(lines, i, last)
        fix = Fix("Lift the byline into metadata and delete the line", (Edit(span),))
        msg = (f"byline ({meta['byline']}) lifted into metadata" if found
               else f"byline label without names: '{text.strip()}'")
        yield Hit(Span(lines[i].start, lines[last].stop), msg, fix if remove else None, meta)
        after = last + 1


# --- PL403: reading-time lines ---------------------------------------------

_READ_RE = rx.compile(
    r"^[\s\-–•·*|/_]*(?:(?P<n>\d{1,3})(?:\s*[–-]\s*\d{1,3})?\s*)?"
    r"(?:(?:min|mins|minutes?|minuten|minutos|minuti|minuty)\.?\s+"
    r"(?:read|reading(?:\s+time)?|de\s+lecture|de\s+lectura|de\s+leitura|di\s+lettura|lesezeit"
    r"|leestijd|czytania)"
    r"|(?:reading\s+time|lesezeit|lesedauer|temps\s+de\s+lecture|tiempo\s+de\s+lectura"
    r"|tempo\s+de\s+leitura|leestijd)\s*:?\s*(?P<m>\d{1,3})\s*(?:min|mins|minutes?|minuten"
    r"|minutos?|minuti)\.?)"
    r"[\s|·•_*]*$",
    re.IGNORECASE,
)


@rule(code="PL403", name="reading-time", fix="always")
def reading_time(doc: Document) -> Iterator[Hit]:
    """A line that only states the reading time ("6 min read", "Lesezeit: 4 Min.").

    Why: the page's reading-time badge is printed as a line of its own; it
    is page chrome, not article text. The minutes are kept in the
    provenance record (``reading_time``). Only a line that is the badge
    and nothing else matches; "It takes five minutes to read the form"
    stays.
    Fix safety: safe, the line has no words besides the badge.

    Bad: "Council approves budget\\n\\n6 min read\\n\\nThe council met on Monday.\\n"
    Good: "The guide is a 6 min read, the editors promise, and it is free.\\n"
    """
    lines = split(doc.text)
    for i in candidates(doc.text, lines, ("min",)):  # every badge says "min..."
        ln = lines[i]
        if ln.blank or len(ln.text) > 60:
            continue
        m = _READ_RE.match(ln.text)
        if m is None:
            continue
        minutes = m["n"] or m["m"]
        meta = {"reading_time": f"{minutes} min"} if minutes else {}
        span = block_span(lines, i, i)
        yield Hit(ln.full, f"reading time '{ln.text.strip()}'",
                  Fix("Delete the reading-time line", (Edit(span),)), meta)


# --- PL404: a date alone at the head ----------------------------------------

# every date parse_date accepts has a four-digit year: a cheap test before parsing
_YEAR_RE = rx.compile(r"(?:19|20)\d\d")


@lru_cache(maxsize=1 << 16)
def _date_of(text: str) -> str | None:
    """``parse_date`` of a line's text stripped of decoration (cached: PL404 and PL406
    ask about the same short lines in every fix pass, most of them no date)."""
    if _YEAR_RE.search(text) is None:
        return None  # every date parse_date accepts has a year
    return parse_date(text.strip(" *_|#>"))


def _neighbour(lay: Layout, i: int, step: int) -> int:
    """The index of the nearest non-blank line on one side of ``i`` (-1 at the edge)."""
    j = i + step
    while 0 <= j < len(lay.lines) and lay.shapes[j] is None:
        j += step
    return j if 0 <= j < len(lay.lines) else -1


def _between_nav(lay: Layout, i: int) -> bool:
    """True when the nearest non-blank lines on both sides of ``i`` are menu-like.

    The date then separates two short lines (a section label and a short
    title); deleting it would join them into one navigation run for PL210.
    """
    near = (_neighbour(lay, i, -1), _neighbour(lay, i, 1))
    return all(j >= 0 and nav_line(lay.lines[j].text) for j in near)


@rule(code="PL404", name="head-date", fix="always")
def head_date(doc: Document, *, max_line: int = 15) -> Iterator[Hit]:
    """A line that is only a date, before the article's prose ("December 15, 2025").

    Why: the publication date printed between the headline and the body is
    metadata. It is lifted into the provenance record (``date``) and the
    line removed. Only a line within the first ``max_line`` lines, before
    the article's first prose line, whose whole text is a date (and time)
    matches;
    dates inside sentences and date headings inside the article (a
    timeline's entries) stay, and so does a date between two menu-like
    lines (deleting it would join them into one navigation run).
    Fix safety: safe, the date is kept in the provenance metadata.

    Bad: "Budget passed\\n\\nDecember 15, 2025\\n\\n" "The council met on Monday and
    approved the budget for next year.\\n"
    Good: "Budget passed\\n\\nOn December 15, 2025 the council met and approved it.\\n"
    """
    lay = layout(doc.text)
    lines = lay.lines
    stop = min(len(lines), max_line, prose_bounds(lay)[0] if lay.first >= 0 else 0)
    # a short line with a year has a digit: the shared scan of such lines (PL217, PL406)
    for i in short_digit_lines(lines, 60):
        ln = lines[i]
        if i >= stop:
            break
        iso = _date_of(ln.text)
        if iso is None or _between_nav(lay, i):
            continue
        if i and (m := _LABEL_RE.match(lines[i - 1].text)) and not m["rest"].strip():
            continue  # "Published" above it: PL401 lifts the pair
        if _LABEL_RE.match(ln.text):
            continue  # "Updated 3:27 am, Nov 20, 2019": PL401's, lifted as "updated", not "date"
        span = block_span(lines, i, i)
        yield Hit(ln.full, f"date line '{ln.text.strip()}' ({iso}) lifted into metadata",
                  Fix("Lift the date into metadata and delete the line", (Edit(span),)),
                  {"date": iso})


# --- PL406: a date alone inside or after the article ----------------------

_JOINER_END_RE = rx.compile(r"(?:\b(?:of|on|since|until|from|to|by|and|or|between|as of)|,)\s*$",
                            re.IGNORECASE)


def _date_in_context(lay: Layout, i: int) -> bool:
    """True when the date line reads as part of the article, not a stamp."""
    b, a = _neighbour(lay, i, -1), _neighbour(lay, i, 1)
    if b >= 0:
        before = lay.lines[b].text
        head = before.lstrip()
        if head[:1] in "—–" or "(@" in before:
            return True  # an embedded post's attribution line, then its date
        label = _LABEL_RE.match(before)
        if _JOINER_END_RE.search(before) or (label and not label["rest"].strip()):
            return True  # "Data as of" + date, or PL401's label + date pair
    if a >= 0:
        first = lay.lines[a].text.lstrip()[:1]
        if first.islower() or (first and first in ".,;:)"):
            return True  # the sentence goes on after the date
    return a >= 0 and b >= 0 and _prose(lay, a) and _prose(lay, b)


def _prose(lay: Layout, i: int) -> bool:
    s = lay.shapes[i]
    return s is not None and s.prose


@rule(code="PL406", name="date-line", fix="always")
def date_line(doc: Document) -> Iterator[Hit]:
    """A line that is only a date, from the article's first prose line on ("March 14, 2024").

    Why: teaser lists, comment threads and "updated" stamps print dates as
    lines of their own between headlines and names; the article's own date
    is at its head (PL404). A line whose whole text is a date (and time)
    matches, unless it reads as part of the article: between two prose
    paragraphs (a dated entry), after an embedded post's "— Name (@handle)"
    line, after a line ending in "as of", "since", "on" or a comma, or
    before a line that goes on in lower case or with punctuation.
    Fix safety: safe: the whole line must be a date; the removed text is
    kept in the edit record.

    Bad: "The council met on Monday and voted on the budget for next year.\\n\\n"
    "More news\\n\\nBudget approved\\n\\nMarch 14, 2024\\n"
    Good: "The council met on Monday and voted on the budget for next year.\\n\\n"
    "March 14, 2024\\n\\nThe council met again and passed the budget in the end.\\n"
    """
    lay = layout(doc.text)
    if lay.first < 0:
        return
    lines = lay.lines
    found = short_digit_lines(lines, 60)  # a date line is short and has a year
    for i in found[bisect_left(found, prose_bounds(lay)[0]):]:
        ln = lines[i]
        iso = _date_of(ln.text)
        if iso is None or _date_in_context(lay, i):
            continue
        span = block_span(lines, i, i)
        yield Hit(ln.full, f"date line '{ln.text.strip()}' ({iso})",
                  Fix("Delete the date line", (Edit(span),)))
