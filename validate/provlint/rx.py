"""Regular expressions without paying the regex compiler on every start-up.

``re.compile`` parses a pattern and generates its matching code in Python.
For the ~60 patterns one ``provlint check`` uses that is about 13 ms of a
commit hook's run, every run, for patterns that only change with provlint.
``compile`` returns the same ``re.Pattern``. When the CLI's start-up cache is
on (``provlint.cache``), it also keeps each pattern's generated code in
``.provlint_cache`` and, in later runs, hands it straight to the matching
engine's constructor (``_sre.compile``, the call ``re`` itself ends with),
skipping the parser and the code generator.

What keeps this safe: the entry is keyed on the exact Python build
(``sys.version``) and the engine's ``MAGIC`` and ``CODESIZE``; a pattern is
stored only when the one rebuilt from its stored parts compares equal to
``re.compile``'s (``Pattern.__eq__`` compares the flags, the pattern and the
whole generated code); anything unexpected (an unreadable entry, a Python
whose ``re`` internals differ) falls back to ``re.compile``. Library use,
where the cache is never configured, is plain ``re.compile``.

The standard library and click compile patterns of their own at import (gettext's
plural-forms tokenizer alone is ~1 ms; platform, locale, urllib.parse, dataclasses
and click add a dozen more), through ``re.compile``, which first looks in ``re``'s
own cache of compiled patterns. The console script calls ``seed`` before importing
them: it puts the patterns that earlier runs compiled through ``re`` (learnt at exit,
checked the same way) into that cache, so their ``re.compile`` finds them there.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found, unused-ignore]  # re's engine
import atexit
import contextlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, AnyStr

from . import cache

# final flags, code, number of groups - 1, name -> group, group -> name
Parts = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

MAX_ENTRIES = 2000  # phrase files that keep changing must not grow the entry without end
MAX_SEEDS = 200  # patterns put into re's cache at start-up (it holds 512)

_folder: Path | None = None  # the cache folder the table below was read from
_table: dict[tuple[str | bytes, int], Parts] = {}
_seeds: list[tuple[str | bytes, int]] = []  # the table's keys that ``seed`` hands to re
_learning = False  # ``seed`` ran: learn re's new patterns at exit
_save: Callable[[Any], None] | None = None
_dirty = False


def compile(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, from the start-up cache when it holds the pattern."""
    table = _current()
    if table is None:
        return re.compile(pattern, flags)  # noqa: TID251 - the one place that calls it
    parts = table.get((pattern, flags))
    if parts is not None:
        try:
            return _build(pattern, parts)
        except Exception:
            table.pop((pattern, flags), None)
    compiled = re.compile(pattern, flags)  # noqa: TID251
    _remember(table, pattern, flags, compiled)
    return compiled


def _current() -> dict[tuple[str | bytes, int], Parts] | None:
    """The table of the configured cache folder (read on first use), or None when off."""
    global _folder, _table, _save
    where = cache.folder()
    if where is None:
        return None
    if where != _folder:
        found = cache.load_keyed("regex", _key())
        if found is None:
            return None
        value, _save = found
        ok = isinstance(value, tuple) and len(value) == 2
        _table = value[0] if ok and isinstance(value[0], dict) else {}
        _seeds[:] = value[1] if ok and isinstance(value[1], list) else []
        _folder = where
    return _table


def _key() -> list[str]:
    return [sys.version, str(getattr(_sre, "MAGIC", "")), str(getattr(_sre, "CODESIZE", "")),
            "table+seeds"]


def seed() -> None:
    """Put the patterns earlier runs compiled through ``re`` (not ``compile``) into
    ``re``'s cache, and learn this run's new ones at exit (see the module docstring).
    Nothing happens without the start-up cache."""
    global _learning
    table = _current()
    compiled = getattr(re, "_cache", None)
    if table is None or not isinstance(compiled, dict) or _learning:
        return
    for pattern, flags in _seeds:
        parts = table.get((pattern, flags))
        key = (type(pattern), pattern, flags)
        if parts is not None and key not in compiled:
            with contextlib.suppress(Exception):  # not engine code: re compiles it itself
                compiled[key] = _build(pattern, parts)
    _learning = True
    atexit.register(_learn)


def _learn() -> None:
    """At exit: keep the patterns ``re`` compiled in this run that the table lacks (their
    generated code checked against ``re``'s own), then store the table if it grew."""
    global _dirty
    compiled = getattr(re, "_cache", None)
    if _learning and isinstance(compiled, dict) and cache.folder() == _folder:
        if len(_table) >= MAX_ENTRIES:
            _table.clear()
            _seeds.clear()
        known = set(_seeds)  # a pattern whose check failed is listed, not stored: tried once
        found = []
        for key, value in list(compiled.items()):
            if not (isinstance(key, tuple) and len(key) == 3 and isinstance(key[2], int)):
                continue
            _, pattern, flags = key
            if (pattern, flags) in _table or (pattern, flags) in known:
                continue
            parts = _parts(pattern, flags)
            with contextlib.suppress(Exception):
                if parts is not None and _build(pattern, parts) == value:
                    _table[(pattern, flags)] = parts
            found.append((pattern, flags))
        if found:
            if len(_seeds) + len(found) > MAX_SEEDS:  # start the list again
                for key in _seeds:
                    _table.pop(key, None)
                _seeds.clear()
            _seeds.extend(found[:MAX_SEEDS])
            _dirty = True
    flush()


def _build(pattern: AnyStr, parts: Parts) -> re.Pattern[AnyStr]:
    flags, code, groups, groupindex, indexgroup = parts
    built: re.Pattern[AnyStr] = _sre.compile(pattern, flags, code, groups, groupindex,
                                               indexgroup)
    return built


def _parts(pattern: str | bytes, flags: int) -> Parts | None:
    """What ``re`` hands the engine for ``pattern`` (as ``re._compiler.compile`` builds it)."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        code = [int(c) for c in _compiler._code(parsed, flags)]
        state = parsed.state
        groupindex = {str(k): int(v) for k, v in state.groupdict.items()}
        indexgroup: list[str | None] = [None] * state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return int(flags | state.flags), code, int(state.groups) - 1, groupindex, tuple(indexgroup)
    except Exception:
        return None


def _remember(table: dict[tuple[str | bytes, int], Parts], pattern: AnyStr, flags: int,
              compiled: re.Pattern[AnyStr]) -> None:
    global _dirty
    parts = _parts(pattern, flags)
    try:
        same = parts is not None and _build(pattern, parts) == compiled
    except Exception:
        same = False
    if not same or parts is None:
        return
    if len(table) >= MAX_ENTRIES:
        table.clear()
    table[(pattern, int(flags))] = parts
    if not _dirty:
        _dirty = True
        if not _learning:  # else _learn stores it
            atexit.register(flush)


def flush() -> None:
    """Store the table if this run added patterns to it (at exit, once)."""
    global _dirty
    if _dirty and _save is not None and cache.folder() == _folder:  # not if turned off since
        _save((dict(_table), list(_seeds)))
    _dirty = False
