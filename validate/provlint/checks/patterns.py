"""Check kinds for data rules (``rules/phrases/*.toml``), vale-style.

A data rule names a *kind* implemented here and supplies its phrases and
options; a user adds a publisher's widget text without touching Python.
Phrases are matched as whole normalised lines through a set lookup, so the
cost per line is one hash, however long the list grows.

Kinds:

- ``line``: a line that is exactly one of the phrases.
- ``line-cluster``: at least ``min_cluster`` phrase lines in a row (blank
  lines between them allowed); a lone phrase line inside prose is left alone.
- ``line-prefix``: a short line that starts with one of the phrases (whole
  words): copyright footers, "Share on ..." buttons.
- ``label-line``: a line that is one of the phrases as a label, a colon and a
  short headline with no sentence break ("Related: Council to vote on
  budget", "**Read also:** ..."): teaser links set into the article.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache, partial
from types import MappingProxyType
from typing import Any

from .. import rx
from ..errors import ConfigError
from ..lines import Line, block_span, by_identity, cached_line_test, labelled, normalise, split
from ..model import Applicability, Document, Edit, Fix, Hit, Severity
from ..native import SPEEDUPS as _C
from ..registry import CODE_RE, NAME_RE, Rule

# Widget lines often carry a clock or counter ("Playing for 1:23"), and
# promos a trailing ellipsis or colon; these are dropped before the lookup
# (white space, digits and these characters, from the end of the key).
_TAIL_CHARS = frozenset(":.,;!?…·|/()[]-")


# Markdown and list decoration in front of a line ("  * ", "## ", "**", "> ", "» ").
_HEAD_RE = rx.compile(r"^[\s#>*_+•·▪»›|\[(-]+")
_WORDS_RE = rx.compile(r"\S+")
_LINK_RE = rx.compile(r"\]\([^)\s]*\)")  # Markdown link target: "[Share](https://...)"


@lru_cache(maxsize=1 << 16)
def phrase_key(line: str) -> str:
    """The lookup key of a line: normalised, decoration, clocks and tail punctuation dropped."""
    key = normalise(line)
    if "](" in key:
        key = _LINK_RE.sub("", key)
    return _trim_key(key) if _C is None else str(_C.trim_key(key))


def _trim_key(key: str) -> str:
    """``phrase_key``'s tail and head trimming (``_speedups.trim_key`` is its compiled twin)."""
    # drop the tail (white space, digits, _TAIL_CHARS) by walking back: cheaper
    # than a $-anchored regex sub, which tries every position
    end = len(key)
    while end and ((c := key[end - 1]) in _TAIL_CHARS or c.isspace() or c.isdecimal()):
        end -= 1
    key = key[:end]
    m = _HEAD_RE.match(key)
    return (key[m.end():] if m else key).rstrip("*_]) ")


class _Index:
    """One text's lines and where each wanted lookup key occurs, built once for all data rules.

    Only the keys and first words some data rule has asked for (``_WANTED``)
    are kept: most lines match no phrase, and a rule's lookup then touches
    only the few lines that can match.
    """

    __slots__ = ("firsts", "known", "lines", "live", "text", "where")

    def __init__(self, text: str) -> None:
        self.known = _known()  # before the tables: they hold at least what this says
        probes = tuple(_PROBES)  # as many as ``known`` counts
        self.text = text
        self.lines = split(text)
        # key of a line of <= 200 chars -> lines; first word (lines of <= 400 chars) -> lines
        self.where: dict[str, list[int]]
        self.firsts: dict[str, list[int]]
        wanted, wanted_firsts = _WANTED
        if _C is None:
            self.where, self.firsts = _index_lines(self.lines, wanted, wanted_firsts)
        else:
            self.where, self.firsts = _C.index_lines(self.lines, _entry, _KEY_LEN, _MAX_LEN,
                                                     wanted, wanted_firsts)
        # for each probe (a data rule's question, see ``_probe``): can the rule hit here?
        labels = _label_keys(self.lines) if any(t == _LABELS for t, _ in probes) else {}
        tables = (self.where, self.firsts, labels)
        self.live = [not words.isdisjoint(tables[table]) for table, words in probes]


def _label_keys(lines: list[Line]) -> set[str]:
    """The phrase keys of the lines' labels, as ``check_label_line`` finds them."""
    return {phrase_key(lines[i].text[:lines[i].text.find(":", 0, 48)])
            for i in labelled(lines, ":", 48)}


_KEY_LEN, _MAX_LEN = 200, 400


def _index_lines(lines: list[Line], wanted: Container[str] | None = None,
                 wanted_firsts: Container[str] | None = None,
                 ) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """``_Index``'s tables, keeping only keys in ``wanted`` and first words in
    ``wanted_firsts`` (all of them when None); ``_speedups.index_lines`` is its
    compiled twin."""
    where: defaultdict[str, list[int]] = defaultdict(list)
    firsts: defaultdict[str, list[int]] = defaultdict(list)
    for ln in lines:
        if ln.blank or len(ln.text) > _MAX_LEN:
            continue
        entry = _entry(ln.text)
        if entry is None:  # no phrase has an empty key; no words either
            continue
        key, first = entry
        if len(ln.text) <= _KEY_LEN and (wanted is None or key in wanted):
            where[key].append(ln.index)
        if wanted_firsts is None or first in wanted_firsts:
            firsts[first].append(ln.index)
    return where, firsts


def _entry_py(line: str) -> tuple[str, str] | None:
    """A line's lookup key and the key's first word (None for an empty key)."""
    key = phrase_key(line)
    # the key starts with a non-space (see _HEAD_RE): its first \S+ word
    return (key, key.split(None, 1)[0]) if key else None


# ``_entry_py``, cached per line: every line of every pass asks. The compiled twin
# (normalise, then the rest of the key and the first word, in one C call) spares the
# index two Python frames for each line it has not seen yet.
_entry = cached_line_test("_entry", _entry_py,
                          None if _C is None else partial(_C.phrase_entry, normalise))


_LAST: _Index | None = None  # the index last asked for


@lru_cache(maxsize=4)
def _built(text: str) -> _Index:
    return _Index(text)


def _index(text: str) -> _Index:
    """The text's index, built again when rules have asked for more keys since."""
    global _LAST
    index = _built(text)
    while index.known != _known():
        _built.cache_clear()
        index = _built(text)
    _LAST = index
    return index


# phrase -> (its key, the key's first word) for the data rules' phrases, filled by
# the registry from the start-up cache so a hook does not re-key ~1,200 phrases each run
_KNOWN: dict[str, tuple[str, str]] = {}
KEY_SOURCES = (__file__, sys.modules[normalise.__module__].__file__ or "")  # what keys depend on


def phrase_entries(phrases: Iterable[str]) -> dict[str, list[str]]:
    """``[key, first word of the key]`` of each phrase (``["", ""]`` for an empty key)."""
    return {phrase: list(_entry(phrase) or ("", "")) for phrase in phrases}


def remember(entries: Mapping[str, Sequence[str]]) -> None:
    """Use these keys (from ``phrase_entries``) instead of computing them again."""
    _KNOWN.update((phrase, (e[0], e[1])) for phrase, e in entries.items())


def _entry_of(token: str) -> tuple[str, str]:
    known = _KNOWN.get(token)
    return known if known is not None else _entry(token) or ("", "")


# Every key, and every first word, some data rule has looked up: what an index keeps.
# They only grow, so their sizes tell whether an index is older than some key; a
# rule must ask for its keys (``_keyset``, ``_first_words``) before it asks for the
# text's index.
_WANTED: tuple[set[str], set[str]] = (set(), set())


def _known() -> tuple[int, int, int]:
    return len(_WANTED[0]), len(_WANTED[1]), len(_PROBES)


def _want(words: frozenset[str], which: int) -> frozenset[str]:
    _WANTED[which].update(words)
    return words


@lru_cache(maxsize=64)
def _keyset(tokens: tuple[str, ...]) -> frozenset[str]:
    return _want(frozenset(k for k, _ in map(_entry_of, tokens) if k), 0)


@lru_cache(maxsize=64)
def _first_words(tokens: tuple[str, ...]) -> frozenset[str]:
    return _want(frozenset(first for k, first in map(_entry_of, tokens) if k), 1)


@by_identity(32)
def _keys_of(tokens: list[str]) -> frozenset[str]:
    """``_keyset`` of a data rule's phrase list, told apart by the list's identity: a
    rule gets its options' list on every call (never changed after load), and
    hashing its phrases for ``_keyset``'s cache would cost more than this lookup."""
    return _keyset(tuple(tokens))


def _matching(doc: Document, tokens: list[str]) -> tuple[list[Line], list[int]]:
    """The lines, and the indices (ascending) of those that are one of the phrases."""
    keys = _keys_of(tokens)  # before the index: see _WANTED
    index = _index(doc.text)
    where = index.where
    found = [i for k in keys.intersection(where) for i in where[k]]
    found.sort()
    return index.lines, found


def _fix(title: str, lines: list[Line], first: int, last: int, app: Applicability) -> Fix:
    return Fix(title, (Edit(block_span(lines, first, last)),), app)


def check_line(doc: Document, spec: Mapping[str, Any], *, tokens: list[str]) -> Iterator[Hit]:
    """Kind ``line``: each line that is exactly one of the phrases."""
    lines, found = _matching(doc, tokens)
    if not found:
        return
    app = Applicability(spec.get("applicability", "safe"))
    for i in found:
        msg = str(spec["message"]).format(match=lines[i].text.strip())
        yield Hit(lines[i].full, msg, _fix(spec.get("fix_title", "Delete the line"),
                                          lines, i, i, app))


def check_line_cluster(
    doc: Document, spec: Mapping[str, Any], *, tokens: list[str], min_cluster: int = 2
) -> Iterator[Hit]:
    """Kind ``line-cluster``: runs of at least ``min_cluster`` phrase lines."""
    lines, found = _matching(doc, tokens)
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
        if len(members) >= min_cluster:
            first, last = members[0], members[-1]
            shown = ", ".join(repr(lines[k].text.strip()) for k in members[:3])
            more = f" and {len(members) - 3} more" if len(members) > 3 else ""
            msg = str(spec["message"]).format(match=f"{shown}{more}", count=len(members))
            span = block_span(lines, first, last)
            yield Hit(span, msg, Fix(spec.get("fix_title", "Delete the widget lines"),
                                     (Edit(span),), app))
        after = members[-1] + 1


def check_line_prefix(
    doc: Document, spec: Mapping[str, Any], *, tokens: list[str], max_words: int = 12
) -> Iterator[Hit]:
    """Kind ``line-prefix``: a short line (at most ``max_words`` words) that
    starts with one of the phrases, whole words only ("© 2024 Acme Inc.").

    The first one to eight words of each line are looked up in a set, so
    the cost does not grow with the list.
    """
    keys = _keys_of(tokens)
    starts = _first_words(tuple(tokens))  # both before the index: see _WANTED
    app = Applicability(spec.get("applicability", "safe"))
    index = _index(doc.text)
    lines, firsts = index.lines, index.firsts
    # only lines whose first word starts some phrase can match
    candidates = [i for w in starts.intersection(firsts) for i in firsts[w]]
    candidates.sort()
    for i in candidates:
        ln = lines[i]
        words = _WORDS_RE.findall(phrase_key(ln.text))
        if not words or len(words) > max_words:
            continue
        if any(" ".join(words[:n]) in keys for n in range(1, min(len(words), 8) + 1)):
            msg = str(spec["message"]).format(match=ln.text.strip()[:60])
            yield Hit(ln.full, msg, _fix(spec.get("fix_title", "Delete the line"),
                                         lines, i, i, app))


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


# --- the nothing-to-do path ---------------------------------------------------
# A data rule hits only on a line whose key (first word, label key) is among its
# phrases' keys (first words). Each text's index answers that question for every data
# rule at once (``_Index.live``), so on the common text with no candidate line a rule
# returns at once, without its generator, its lookups and its index look-up.

_KEYS, _FIRSTS, _LABELS = 0, 1, 2  # the index table a probe's words are looked up in
_TABLE = {"line": _KEYS, "line-cluster": _KEYS, "line-prefix": _FIRSTS, "label-line": _LABELS}
# every probe asked for, in order, each answered by every index: (table, words), where
# the rule can hit only if one of the words is in that table
_PROBES: list[tuple[int, frozenset[str]]] = []


def _probe(kind: str, tokens: list[str]) -> int:
    """The place in ``_Index.live`` of the question "can a ``kind`` rule with these
    phrases hit?" (its words are wanted before any index is built with it)."""
    table, phrases = _TABLE[kind], tuple(tokens)
    keys = _keyset(phrases)  # the full check asks for these too: wanted before the index
    words = _first_words(phrases) if table == _FIRSTS else keys
    probe = (table, words)
    if probe not in _PROBES:
        _PROBES.append(probe)
    return _PROBES.index(probe)


_NOTHING: Iterator[Hit] = iter(())  # spent: yields nothing, however often it is returned


def _bind(kind: str, spec: Mapping[str, Any]) -> Callable[..., Iterator[Hit]]:
    check = KINDS[kind]
    asked: list[Any] = [None, 0]  # the phrase list last called with, and its probe

    def run(doc: Document, **options: Any) -> Iterator[Hit]:
        tokens = options["tokens"]
        if tokens is not asked[0]:  # a rule set's list is the same object every call
            asked[:] = tokens, _probe(kind, tokens)
        index = _LAST
        if index is None or index.text is not doc.text or index.known != _known():
            index = _index(doc.text)
        if not index.live[asked[1]]:
            return _NOTHING  # no line the rule could hit: the full check finds nothing
        return check(doc, spec, **options)

    return run


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
        func=_bind(str(spec["kind"]), MappingProxyType(dict(spec))),
        severity=severity,
        fix="always",
        options=MappingProxyType(options),
        origin=origin,
    )
