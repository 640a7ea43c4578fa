"""The phrase index shared by the data rules (``patterns``), and its probes.

Each text's lines are keyed once (``phrase_key``) for every data rule: the
index keeps where each key, and each key's first word, that some rule has
asked for occurs, and answers for each rule whether it can hit at all
(``guard``), so a rule with no candidate line costs one list look-up.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any

from .. import rx
from ..lines import Line, by_identity, cached_line_test, labelled, normalise, split
from ..model import Document, Hit
from ..native import SPEEDUPS as _C

# Widget lines often carry a clock or counter ("Playing for 1:23"), and
# promos a trailing ellipsis or colon; these are dropped before the lookup
# (white space, digits and these characters, from the end of the key).
_TAIL_CHARS = frozenset(":.,;!?…·|/()[]-")


# Markdown and list decoration in front of a line ("  * ", "## ", "**", "> ", "» ").
_HEAD_RE = rx.compile(r"^[\s#>*_+•·▪»›|\[(-]+")
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
        self.known = _generation  # before the tables: they hold at least what this says
        probes = tuple(_PROBES)  # at least as many as ``known`` dates
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
        # A probe is live when a word of its own is in its table. From a generation's
        # second index on, the few words in the tables are looked up among the probes'
        # words (``_probes_of``); the first index (a commit hook's one file) has each
        # probe look through its table, as inverting every probe's words costs more.
        of_word = _probes_of(self.known, probes)
        if of_word is None:
            labels: Collection[str] = (_label_keys(self.lines)
                                       if any(t == LABELS for t, _ in probes) else ())
            tables = (self.where, self.firsts, labels)
            self.live = [not words.isdisjoint(tables[table]) for table, words in probes]
            return
        labels = _label_keys(self.lines) if of_word[LABELS] else ()
        live = [False] * len(probes)
        for table, words in zip(of_word, (self.where, self.firsts, labels), strict=True):
            if table:
                for word in words:
                    for p in table.get(word, ()):
                        live[p] = True
        self.live = live


# ``_probes_of``'s last generation, and its answer once asked twice
_OF_WORD: tuple[int, list[dict[str, list[int]]] | None] = (-1, None)


def _probes_of(known: int, probes: tuple[tuple[int, frozenset[str]], ...],
               ) -> list[dict[str, list[int]]] | None:
    """For each table (``KEYS``, ``FIRSTS``, ``LABELS``): word -> the places in ``probes``
    (all the probes asked by generation ``known``) of the probes looking it up there;
    None the first time ``known`` asks (see ``_Index``)."""
    global _OF_WORD
    seen, of_word = _OF_WORD
    if seen != known:
        _OF_WORD = known, None
        return None
    if of_word is None:
        of_word = [{}, {}, {}]
        for p, (table, words) in enumerate(probes):
            for word in words:
                of_word[table].setdefault(word, []).append(p)
        _OF_WORD = known, of_word
    return of_word


def _label_keys(lines: list[Line]) -> set[str]:
    """The phrase keys of the lines' labels, as ``check_label_line`` finds them."""
    return {_label_key(lines[i].text) for i in labelled(lines, ":", 48)}


def _label_key_py(line: str) -> str:
    """The phrase key of a labelled line's label: its text before the first ":" in
    its first 48 characters."""
    return phrase_key(line[:line.find(":", 0, 48)])


# cached per line text (the label's slice is a new string, hashed again in every pass),
# in the C cache when built: a miss calls the pure key, itself cached
_label_key = cached_line_test("_label_key", _label_key_py, _label_key_py)


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
    while index.known != _generation:
        _built.cache_clear()
        index = _built(text)
    _LAST = index
    return index


# phrase -> (its key, the key's first word) for the data rules' phrases, filled by
# the registry from the start-up cache so a hook does not re-key ~1,200 phrases each run
_KNOWN: dict[str, tuple[str, str]] = {}
KEY_SOURCES = (__file__, sys.modules[normalise.__module__].__file__ or "")  # what keys depend on


def phrase_entries(phrases: Iterable[str]) -> list[list[str]]:
    """The distinct phrases, their keys and the keys' first words (``""`` for an empty
    key), as three lists in step: in the start-up cache, plain lists of strings load
    in about half the time a mapping of phrase to pair does."""
    distinct = list(dict.fromkeys(phrases))
    entries = [_entry(phrase) or ("", "") for phrase in distinct]
    return [distinct, [key for key, _ in entries], [first for _, first in entries]]


def remember(entries: Sequence[Sequence[str]]) -> None:
    """Use these keys (from ``phrase_entries``) instead of computing them again."""
    phrases, keys, firsts = entries
    _KNOWN.update(zip(phrases, zip(keys, firsts, strict=True), strict=True))


def _entry_of(token: str) -> tuple[str, str]:
    known = _KNOWN.get(token)
    return known if known is not None else _entry(token) or ("", "")


# Every key, and every first word, some data rule has looked up: what an index keeps.
# They only grow; ``_generation`` counts the times they (or ``_PROBES``) grew, so an
# index made at an older generation lacks something (``_Index.known``). A rule must ask
# for its keys (``_keyset``, ``_first_words``) before it asks for the text's index.
_WANTED: tuple[set[str], set[str]] = (set(), set())
_generation = 0


def _grew() -> None:
    global _generation
    _generation += 1


def _want(words: frozenset[str], which: int) -> frozenset[str]:
    wanted = _WANTED[which]
    if not words <= wanted:
        wanted.update(words)
        _grew()
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


# --- the nothing-to-do path ---------------------------------------------------
# A data rule hits only on a line whose key (first word, label key) is among its
# phrases' keys (first words). Each text's index answers that question for every data
# rule at once (``_Index.live``), so on the common text with no candidate line a rule
# returns at once, without its generator, its lookups and its index look-up.

KEYS, FIRSTS, LABELS = 0, 1, 2  # the index table a probe's words are looked up in
# every probe asked for, in order, each answered by every index: (table, words), where
# the rule can hit only if one of the words is in that table
_PROBES: list[tuple[int, frozenset[str]]] = []


def _probe(table: int, tokens: list[str]) -> int:
    """The place in ``_Index.live`` of the question "can a rule with these phrases,
    looked up in ``table``, hit?" (its words are wanted before any index is built with it)."""
    phrases = tuple(tokens)
    keys = _keyset(phrases)  # the full check asks for these too: wanted before the index
    words = _first_words(phrases) if table == FIRSTS else keys
    probe = (table, words)
    if probe not in _PROBES:
        _PROBES.append(probe)
        _grew()
    return _PROBES.index(probe)


_NOTHING: Iterator[Hit] = iter(())  # spent: yields nothing, however often it is returned
Check = Callable[..., Iterator[Hit]]


def guarded(check: Check, table: int, spec: Mapping[str, Any]) -> Check:
    """``check(doc, spec, **options)`` as a rule's function, skipped (nothing yielded)
    when no line of the text has a key of ``options["tokens"]`` in ``table``."""
    asked: list[Any] = [None, 0]  # the phrase list last called with, and its probe

    def run(doc: Document, **options: Any) -> Iterator[Hit]:
        tokens = options["tokens"]
        if tokens is not asked[0]:  # a rule set's list is the same object every call
            asked[:] = tokens, _probe(table, tokens)
        index = _LAST
        if index is None or index.text is not doc.text or index.known != _generation:
            index = _index(doc.text)
        if not index.live[asked[1]]:
            return _NOTHING  # no line the rule could hit: the full check finds nothing
        return check(doc, spec, **options)

    # the same question asked for the engine, which then skips the call (``rulerun._Guard``)
    run.guard = _live, partial(_probe_of_options, table)  # type: ignore[attr-defined]
    return run


def _live(text: str) -> list[bool]:
    """For each probe asked so far (``_probe``), whether a rule asking it can hit ``text``."""
    return _index(text).live


def _probe_of_options(table: int, options: Mapping[str, Any]) -> int:
    """The probe a ``guarded`` rule called with ``options`` asks."""
    return _probe(table, options["tokens"])
