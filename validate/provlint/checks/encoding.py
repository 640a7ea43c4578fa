"""PL1xx: encoding and markup residue.

Fixes in this family either delete characters that carry nothing (control
characters, zero-width spaces, a stray BOM) or *replace* text (mojibake,
HTML entities). provlint's global promise is that fixing never inserts text
other than newlines; a replacement breaks that promise, so every replacing
fix here is unsafe (applied only with ``--unsafe-fixes`` or the
``aggressive`` rule set). Restoring stays lossless either way: each applied
edit records the text it replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .. import rx
from ..model import Applicability, Document, Edit, Fix, Hit, Span
from ..native import SPEEDUPS as _C
from ..registry import rule
from .gates import gated

# Sequences UTF-8 text takes on when decoded as Latin-1/cp1252: "Ã©", "â€™", "Â ".
_MOJIBAKE_RE = rx.compile(r"[ÃÂâ][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d"
                          r"\u017e\u0192\u02c6\u02dc\u20ac\u2122]")


def _mojibake_lines(text: str) -> Iterator[Span]:
    start = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if _MOJIBAKE_RE.search(body):
            yield Span(start, start + len(body))
        start += len(line)


def _rare(text: str) -> tuple[bool, ...]:
    """Whether PL101-PL107 can hit ``text``: each one's first test for the characters it
    needs (mojibake's lead letters, U+FFFD, a control, an invisible character, a BOM
    after the start, "&", "<"). All but the control, "&" and "<" are above ASCII."""
    if text.isascii():
        return False, False, has_control(text), False, False, "&" in text, "<" in text
    return (_mojibake_leads(text), "\ufffd" in text, has_control(text), _invisible(text),
            text.find("\ufeff", 1) >= 0, "&" in text, "<" in text)


def _mojibake_leads(text: str) -> bool:
    """True when ``text`` holds a letter every mojibake pair starts with."""
    return "\u00c3" in text or "\u00c2" in text or "\u00e2" in text


@rule(code="PL101", name="mojibake", fix="sometimes")
@gated(_rare, 0)
def mojibake(doc: Document) -> Iterator[Hit]:
    """Text decoded with the wrong encoding ("CafÃ©", "donâ€™t").

    Why: a page served as UTF-8 but read as Latin-1 or cp1252 turns every
    accented letter and curly quote into two or three junk characters. A
    cheap detector looks for the telltale pairs; only lines it flags go to
    ftfy's ``fix_encoding`` (never ``fix_text``, which would also straighten
    quotes and change text that is not broken).
    Fix safety: unsafe: the fix replaces text instead of deleting it, which
    breaks the promise that fixing only removes; the replaced text is kept
    in the provenance record, so restoring is exact.

    Bad: "The cafÃ© opened on Monday.\\n"
    Good: "The café opened on Monday.\\n"
    """
    text = doc.text
    if not _mojibake_leads(text) or not _MOJIBAKE_RE.search(text):
        return  # the substring tests run at memchr speed, the regex at ~150 MB/s
    from ftfy import fix_encoding  # imported only for documents the detector flags

    for span in _mojibake_lines(doc.text):
        before = doc.text[span.start : span.end]
        after = fix_encoding(before)
        if after == before:
            continue
        yield Hit(span, f"mojibake: {before[:40]!r} reads as {after[:40]!r}",
                  Fix("Repair the encoding", (Edit(span, after),), Applicability.UNSAFE))


@rule(code="PL102", name="replacement-character", fix="never")
@gated(_rare, 1)
def replacement_character(doc: Document) -> Iterator[Hit]:
    """U+FFFD, the replacement character: bytes were lost when decoding.

    Why: a decoder that met bytes it could not read wrote U+FFFD in their
    place; the original character is gone and cannot be recovered from the
    text. It is reported so the input can be fetched or decoded again.
    Fix safety: no fix: deleting the mark would hide the loss and could
    join the letters around it.

    Bad: "The caf\\ufffd opened on Monday.\\n"
    Good: "The café opened on Monday.\\n"
    """
    pos = doc.text.find("\ufffd")
    while pos >= 0:
        end = pos
        while end < len(doc.text) and doc.text[end] == "\ufffd":
            end += 1
        yield Hit(Span(pos, end), f"{end - pos} replacement character(s) U+FFFD")
        pos = doc.text.find("\ufffd", end)


def _deletions(text: str, pattern: re.Pattern[str], title: str,
               message: Callable[[str], str]) -> Iterator[Hit]:
    """A safe deleting fix for every match of ``pattern``."""
    for m in pattern.finditer(text):
        span = Span(m.start(), m.end())
        yield Hit(span, message(m[0]), Fix(title, (Edit(span),)))


# C0 controls except tab and newlines, DEL, and C1 controls.
_CONTROL_RE = rx.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
# Every control is below U+0100, so it survives encoding to Latin-1 (characters
# above are dropped); deleting the bytes of every other character leaves the
# controls alone. Both steps run at memcpy-like speed, ~6x the regex's scan.
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL_RE.match(chr(b)))


def has_control(text: str) -> bool:
    """True when ``text`` holds a character ``_CONTROL_RE`` matches (in C when built:
    one pass over the text, where the encoding's error handler is slow on texts with
    characters above U+00FF, such as curly quotes)."""
    if _C is None:
        return _has_control_py(text)
    found: bool = _C.has_control(text)
    return found


def _has_control_py(text: str) -> bool:
    return bool(text.encode("latin-1", "ignore").translate(None, _NOT_CONTROL))


@rule(code="PL103", name="control-character", fix="always")
@gated(_rare, 2)
def control_character(doc: Document) -> Iterator[Hit]:
    """Control characters (U+0000-U+001F except tab and newlines, U+007F-U+009F).

    Why: controls come from binary junk, broken conversions or terminal
    escapes; they are invisible, break JSON and CSV writers and carry no
    text.
    Fix safety: safe: only the control characters are deleted.

    Bad: "The council\\x07 met.\\n"
    Good: "The council met.\\n"
    """
    if not has_control(doc.text):
        return  # the common case, found without the regex's scan
    yield from _deletions(doc.text, _CONTROL_RE, "Delete the control characters",
                          lambda s: "control character(s) "
                          + ", ".join(f"U+{ord(c):04X}" for c in s[:3]))


# Zero-width space, word joiner and soft hyphen. ZWNJ and ZWJ are left alone:
# they are spelling in Persian, Indic scripts and emoji sequences.
_ZERO_WIDTH_RE = rx.compile("[\u200b\u2060\u00ad]+(?=[^\\s\u200b\u2060\u00ad])")


def _invisible(text: str) -> bool:
    """True when ``text`` holds a character ``_ZERO_WIDTH_RE`` deletes."""
    return "\u200b" in text or "\u2060" in text or "\u00ad" in text


@rule(code="PL104", name="zero-width-character", fix="always")
@gated(_rare, 3)
def zero_width_character(doc: Document) -> Iterator[Hit]:
    """Zero-width spaces, word joiners or soft hyphens inside a line.

    Why: invisible characters split words for search and deduplication
    ("in\\u200bfo" is not "info") without showing anywhere. Zero-width
    joiners and non-joiners are kept: they are spelling in Persian, Indic
    scripts and emoji. At the end of a line, PL001 removes them.
    Fix safety: safe: only invisible characters are deleted.

    Bad: "The coun\\u200bcil met.\\n"
    Good: "The council met.\\n"
    """
    text = doc.text
    if not _invisible(text):
        return  # none of the characters: skip the regex scan
    yield from _deletions(text, _ZERO_WIDTH_RE, "Delete the invisible characters",
                          lambda s: f"{len(s)} zero-width character(s) inside the text")


@rule(code="PL105", name="bom-in-text", fix="always")
@gated(_rare, 4)
def bom_in_text(doc: Document) -> Iterator[Hit]:
    """A byte-order mark (U+FEFF) after the start of the text.

    Why: concatenated files carry each file's BOM into the middle of the
    text, where it is an invisible zero-width no-break space. (A BOM at the
    very start is a decoding fact, kept by the reader.)
    Fix safety: safe: the invisible mark is deleted.

    Bad: "First part.\\n\\ufeffSecond part.\\n"
    Good: "First part.\\nSecond part.\\n"
    """
    pos = doc.text.find("\ufeff", 1)
    while pos >= 0:
        span = Span(pos, pos + 1)
        yield Hit(span, "byte-order mark inside the text", Fix("Delete the BOM", (Edit(span),)))
        pos = doc.text.find("\ufeff", pos + 1)


_ENTITY_RE = rx.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


@rule(code="PL106", name="html-entity", fix="sometimes")
@gated(_rare, 5)
def html_entity(doc: Document) -> Iterator[Hit]:
    """An HTML character reference left in the text ("&amp;", "&#8217;", "&nbsp;").

    Why: extractors that skip unescaping print the page's references
    literally. Only references ``html.unescape`` knows are reported.
    Fix safety: unsafe: the fix replaces the reference with its character,
    and a text about HTML may show references on purpose.

    Bad: "Fish &amp; chips cost &pound;5.\\n"
    Good: "Fish & chips cost £5.\\n"
    """
    if "&" not in doc.text:
        return
    import html  # only for texts with "&": keeps html.entities off most runs' start-up

    for m in _ENTITY_RE.finditer(doc.text):
        char = html.unescape(m[0])
        if char == m[0]:
            continue
        span = Span(m.start(), m.end())
        yield Hit(span, f"HTML entity {m[0]} ({char!r})",
                  Fix("Replace the entity with its character", (Edit(span, char),),
                      Applicability.UNSAFE))


_TAG_RE = rx.compile(
    r"</?(?:a|abbr|b|br|div|em|figure|figcaption|h[1-6]|hr|i|img|li|ol|p|picture|section|"
    r"source|span|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul|iframe|script|style|noscript)"
    r"(?:\s[^<>]{0,300})?/?>", re.IGNORECASE)


@rule(code="PL107", name="html-tag", fix="sometimes")
@gated(_rare, 6)
def html_tag(doc: Document) -> Iterator[Hit]:
    """An HTML tag left in the text ("<br>", "<p class=...>", "</div>").

    Why: markup that the extractor did not parse shows up as tags among
    the words. Only common layout and inline tag names are reported.
    Fix safety: unsafe: the tag is deleted, but a tutorial about HTML shows
    tags as its content.

    Bad: "The council met.<br>It will meet again.\\n"
    Good: "The council met. It will meet again.\\n"
    """
    if "<" not in doc.text:
        return
    for m in _TAG_RE.finditer(doc.text):
        span = Span(m.start(), m.end())
        yield Hit(span, f"HTML tag {m[0][:40]!r}",
                  Fix("Delete the tag", (Edit(span),), Applicability.UNSAFE))
