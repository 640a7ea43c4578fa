"""Check kinds for data rules (``rules/phrases/*.toml``), vale-style.

A data rule names a *kind* implemented here and supplies its phrases and
options; a user adds a publisher's widget text without touching Python.
Phrases are matched as whole normalised lines through a set lookup (the shared
index of ``phrase_index``), so the cost per line is one hash, however long the
list grows.

Kinds:

- ``line``: a line that is exactly one of the phrases.
- ``line-cluster``: at least ``min_cluster`` phrase lines in a row (blank
  lines between them allowed); a lone phrase line inside prose is left alone,
  and so is a run of one phrase counted up ("Line 1", "Line 2": the key drops
  a trailing number, but the lines all differ).
- ``line-prefix``: a short line that starts with one of the phrases (whole
  words): copyright footers, "Share on ..." buttons.
- ``label-line``: a line that is one of the phrases as a label, a colon and a
  short headline with no sentence break ("Related: Council to vote on
  budget", "**Read also:** ..."): teaser links set into the article.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from .. import rx
from ..errors import ConfigError
from ..lines import Line, block_span, by_identity, in_sentence, labelled, normalise
from ..model import Applicability, Document, Edit, Fix, Hit, Severity
from ..registry import CODE_RE, NAME_RE, Rule
from .phrase_index import (
    FIRSTS,
    KEY_SOURCES,
    KEYS,
    LABELS,
    _first_words,
    _index,
    _keys_of,
    guarded,
    phrase_entries,
    phrase_key,
    remember,
)
from .prose import Shape, layout

__all__ = ["KEY_SOURCES", "KINDS", "data_rule", "phrase_entries", "phrase_key", "remember"]

_WORDS_RE = rx.compile(r"\S+")
_NONE: list[str] = []  # no headings (never changed)


def _matching(doc: Document, tokens: list[str],
              headings: list[str]) -> tuple[list[Line], list[int]]:
    """The lines, and the indices (ascending) of those that are one of the phrases
    (a one-word sentence only when a phrase is written with its full stop; one of the
    ``headings`` only when it is not a lone line set between text in the article's
    block, see ``_subheading``; never a piece of a hard-wrapped sentence, see
    ``lines.in_sentence``)."""
    keys = _keys_of(tokens)  # before the index: see phrase_index._WANTED
    index = _index(doc.text)
    where, lines = index.where, index.lines
    dotted = _dotted_keys(tokens)
    found = [i for k in keys.intersection(where) for i in where[k]
             if (" " in k or k in dotted or not _full_stop(lines[i].text))
             and not in_sentence(lines, i)]
    if headings and found:
        heads = _heading_keys(headings)
        if any(phrase_key(lines[i].text) in heads for i in found):
            lay = layout(doc.text)
            found = [i for i in found if phrase_key(lines[i].text) not in heads
                     or not (lay.inside(i) and _subheading(lay.shapes, i))]
    found.sort()
    return lines, found


@by_identity(32)
def _heading_keys(headings: list[str]) -> frozenset[str]:
    return frozenset(phrase_key(t) for t in headings)


def _subheading(shapes: tuple[Shape | None, ...], i: int) -> bool:
    """Whether line ``i`` stands alone between lines of text (three words or more, a
    sentence's end, a list item or table row) that are not menu items:
    inside the article's block, a subheading ("FAQ", "Privacy", "Accessibility" above a
    paragraph about it), not a link of a menu or footer, which sits among others like it."""
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(shapes) and shapes[k] is None:
            k += step
        s = shapes[k] if 0 <= k < len(shapes) else None
        if s is None or s.menu or s.symbol or not (s.terminal or s.structured or s.words >= 3):
            return False  # the edge, a menu item, or a fragment ("food", "jobs", " and")
    return True


@by_identity(32)
def _dotted_keys(tokens: list[str]) -> frozenset[str]:
    """The keys of the phrases written with a full stop at the end ("Ok, got it.")."""
    return frozenset(phrase_key(t) for t in tokens if _full_stop(t))


def _full_stop(text: str) -> bool:
    """True when ``text`` ends in one full stop (not an ellipsis), emphasis aside.

    The lookup key drops tail punctuation, so a one-word sentence ("More.",
    "Next.", a Markdown quote "> More.") would pass for the button or menu
    item; a button's text is not a sentence, so a one-word line with a full
    stop is matched only by a phrase written with one.
    """
    body = text.rstrip(_EMPHASIS)
    return body.endswith(".") and not body.endswith("..")


def _fix(title: str, lines: list[Line], first: int, last: int, app: Applicability) -> Fix:
    return Fix(title, (Edit(block_span(lines, first, last)),), app)


def check_line(doc: Document, spec: Mapping[str, Any], *, tokens: list[str],
               headings: list[str] = _NONE) -> Iterator[Hit]:
    """Kind ``line``: each line that is exactly one of the phrases (``headings``, some of
    them that are also the article's subheadings, only among other menu-like lines)."""
    lines, found = _matching(doc, tokens, headings)
    if not found:
        return
    app = Applicability(spec.get("applicability", "safe"))
    for i in found:
        msg = str(spec["message"]).format(match=lines[i].text.strip())
        yield Hit(lines[i].full, msg, _fix(spec.get("fix_title", "Delete the line"),
                                          lines, i, i, app))


def check_line_cluster(
    doc: Document, spec: Mapping[str, Any], *, tokens: list[str], min_cluster: int = 2,
    headings: list[str] = _NONE,
) -> Iterator[Hit]:
    """Kind ``line-cluster``: runs of at least ``min_cluster`` phrase lines."""
    lines, found = _matching(doc, tokens, headings)
    if not found:
        return
    app = Applicability(spec.get("applicability", "safe"))
    flags = set(found)
    after = 0  # lines before this belong to a run already looked at
    for i in found:
        if i < after:
            continue
        members = [i]
        j = i + 1
        while j < len(lines) and (j in flags or lines[j].blank):
            if j in flags:
                members.append(j)
            j += 1
        if len(members) >= min_cluster and not _numbered(lines, members):
            first, last = members[0], members[-1]
            shown = ", ".join(repr(lines[k].text.strip()) for k in members[:3])
            more = f" and {len(members) - 3} more" if len(members) > 3 else ""
            msg = str(spec["message"]).format(match=f"{shown}{more}", count=len(members))
            span = block_span(lines, first, last)
            yield Hit(span, msg, Fix(spec.get("fix_title", "Delete the widget lines"),
                                     (Edit(span),), app))
        after = members[-1] + 1


def _numbered(lines: list[Line], members: list[int]) -> bool:
    """Whether the run is one phrase counted up ("Line 1", "Line 2", "Line 3": a transit
    list, a poem's lines), not widget residue: every line has the same lookup key
    (which drops a trailing number), every line ends in a digit and no two are the same."""
    texts = {lines[k].text.strip() for k in members}
    return (len(texts) == len(members) and all(t[-1:].isdecimal() for t in texts)
            and len({phrase_key(t) for t in texts}) == 1)


def check_line_prefix(
    doc: Document, spec: Mapping[str, Any], *, tokens: list[str], max_words: int = 12
) -> Iterator[Hit]:
    """Kind ``line-prefix``: a short line (at most ``max_words`` words) that
    starts with one of the phrases, whole words only ("© 2024 Acme Inc.").

    The first one to eight words of each line are looked up in a set, so
    the cost does not grow with the list.
    """
    keys = _keys_of(tokens)
    starts = _first_words(tuple(tokens))  # both before the index: see phrase_index._WANTED
    app = Applicability(spec.get("applicability", "safe"))
    index = _index(doc.text)
    lines, firsts = index.lines, index.firsts
    # only lines whose first word starts some phrase can match
    candidates = [i for w in starts.intersection(firsts) for i in firsts[w]]
    candidates.sort()
    lossy = _lossy_keys(tokens)
    for i in candidates:
        ln = lines[i]
        key = phrase_key(ln.text)
        # "Copyright ©2019 Acme": the sign is a word of its own, however it is spaced
        words = _WORDS_RE.findall(key.replace("©", "© ") if "©" in key else key)
        if not words or len(words) > max_words or in_sentence(lines, i):
            continue
        found = [k for n in range(1, min(len(words), 8) + 1)
                 if (k := " ".join(words[:n])) in keys]
        if any(k not in lossy or _starts_with(ln.text, lossy[k]) for k in found):
            msg = str(spec["message"]).format(match=ln.text.strip()[:60])
            yield Hit(ln.full, msg, _fix(spec.get("fix_title", "Delete the line"),
                                         lines, i, i, app))


@by_identity(32)
def _lossy_keys(tokens: list[str]) -> dict[str, tuple[str, ...]]:
    """Keys that only phrases which lose characters to ``phrase_key`` give, each with
    those phrases normalised: "(c)" keys as "c", so a line "C is the grade..." or a
    drop cap's "C" would pass for a copyright footer; such a key counts only when the
    line starts with one of its phrases as written."""
    plain = {phrase_key(t) for t in tokens if phrase_key(t) == normalise(t)}
    lossy: dict[str, tuple[str, ...]] = {}
    for t in tokens:
        key = phrase_key(t)
        if key and key not in plain:
            lossy[key] = (*lossy.get(key, ()), normalise(t))
    return lossy


def _starts_with(text: str, phrases: tuple[str, ...]) -> bool:
    """True when the normalised ``text`` starts with one of ``phrases``, whole words."""
    line = normalise(text)
    return any(line.startswith(p) and not line[len(p):len(p) + 1].isalnum() for p in phrases)


_SENTENCE_BREAK_RE = rx.compile(r"[.!?]\s+\S")
_EMPHASIS = " \t\u00a0*_"


def check_label_line(
    doc: Document, spec: Mapping[str, Any], *, tokens: list[str], max_words: int = 20
) -> Iterator[Hit]:
    """Kind ``label-line``: a label from the list, a colon, and a short headline.

    The label is the text before the line's first colon (within its first
    48 characters), looked up by its phrase key; what follows must be at
    most ``max_words`` words with no sentence break inside, so a paragraph
    that happens to start with "See also: ..." and goes on is left alone.
    """
    keys = _keys_of(tokens)
    app = Applicability(spec.get("applicability", "safe"))
    lines = _index(doc.text).lines
    for i in labelled(lines, ":", 48):
        ln = lines[i]
        text = ln.text
        colon = text.find(":", 0, 48)
        if phrase_key(text[:colon]) not in keys:
            continue
        rest = text[colon + 1:].strip(_EMPHASIS)
        if not rest or len(rest.split()) > max_words or _SENTENCE_BREAK_RE.search(rest):
            continue
        msg = str(spec["message"]).format(match=text.strip()[:60])
        yield Hit(ln.full, msg, _fix(spec.get("fix_title", "Delete the line"), lines, i, i, app))


KINDS: dict[str, Callable[..., Iterator[Hit]]] = {
    "line": check_line,
    "line-cluster": check_line_cluster,
    "line-prefix": check_line_prefix,
    "label-line": check_label_line,
}
# the index table a kind's phrase keys are looked up in (see ``phrase_index.guarded``)
_TABLE = {"line": KEYS, "line-cluster": KEYS, "line-prefix": FIRSTS, "label-line": LABELS}


_DOC_FIELDS = ("summary", "why", "fix_safety", "bad", "good", "message")


def data_rule(spec: Mapping[str, Any], origin: str) -> Rule:
    """Build a Rule from a data-rule table."""
    missing = [k for k in ("code", "name", "kind", *_DOC_FIELDS) if k not in spec]
    if missing:
        raise ConfigError(f"{origin}: data rule lacks {', '.join(missing)}")
    if not CODE_RE.match(str(spec["code"])) or not NAME_RE.match(str(spec["name"])):
        raise ConfigError(f"{origin}: code must be PL + 3 digits and name kebab-case")
    kind = KINDS.get(str(spec["kind"]))
    if kind is None:
        raise ConfigError(f"{origin}: unknown kind {spec['kind']!r} (known: {sorted(KINDS)})")
    options = dict(spec.get("options", {}))
    if not isinstance(options.get("tokens"), list) or not options["tokens"]:
        raise ConfigError(f"{origin}: options.tokens must be a non-empty list of phrases")
    doc = (
        f"{spec['summary']}\n\nWhy: {spec['why']}\nFix safety: {spec['fix_safety']}\n\n"
        f"Bad: {spec['bad']!r}\nGood: {spec['good']!r}\n\n"
        f"Data rule ({origin}, kind {spec['kind']}); phrases: "
        + "; ".join(map(str, options["tokens"]))
    )
    try:
        severity = Severity.parse(str(spec.get("severity", "warning")))
        Applicability(spec.get("applicability", "safe"))
    except ValueError as exc:
        raise ConfigError(f"{origin}: {exc}") from None
    return Rule(
        code=str(spec["code"]),
        name=str(spec["name"]),
        doc=doc,
        func=guarded(kind, _TABLE[str(spec["kind"])], MappingProxyType(dict(spec))),
        severity=severity,
        fix="always",
        options=MappingProxyType(options),
        origin=origin,
    )
