"""provlint.rx: patterns rebuilt from the start-up cache are the patterns re.compile makes."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provlint import cache, rx

PATTERNS: list[tuple[str | bytes, int]] = [
    (r"^\s*(?P<label>publish(?:ed)?\s+(?:date|on))\s*:?\s*(?P<rest>.*)$", re.IGNORECASE),
    (r"(?x) (?P<n>\d{1,3}) \s* (?:[–-] \s* \d+)?  # a verbose one", 0),
    (r"[\u3040-\u30ff\u4e00-\u9fff]+|\b\w+\b", 0),
    (r"(a)|(b)(?P<c>c)?", re.MULTILINE | re.DOTALL),
    (rb"[\xc2-\xf4][\x80-\xbf]+", 0),
    (r"(?i:Live now)|Start time", 0),
    (r"[^\r\n]*(?:\r\n|\r|\n)?", re.ASCII),
]
SAMPLES = ["Published on: 2024-01-02", "12 – 34", "日本語 text", "abc\nb", "Live NOW",
           "line\r\nnext", "", "PUBLISH DATE 3 May"]


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("PROVLINT_NO_CACHE", raising=False)
    cache.configure(str(tmp_path / "cache"))
    yield tmp_path / "cache"
    cache.configure(enabled=False)
    rx._folder = None


def reload() -> None:
    """A later run: the table is read again from disk."""
    rx.flush()
    rx._folder = None


def same(a: re.Pattern[str] | re.Pattern[bytes], b: re.Pattern[str] | re.Pattern[bytes]) -> None:
    assert a == b  # flags, pattern and the whole compiled code
    assert (a.groups, a.groupindex, a.flags) == (b.groups, b.groupindex, b.flags)


def test_patterns_rebuilt_from_the_cache_equal_re_compile(cached: Path) -> None:
    for pattern, flags in PATTERNS:
        same(rx.compile(pattern, flags), re.compile(pattern, flags))
    reload()
    assert len(rx._current() or {}) == len(PATTERNS)  # all of them were stored
    for pattern, flags in PATTERNS:
        got = rx.compile(pattern, flags)
        same(got, re.compile(pattern, flags))
        for text in SAMPLES:
            subject: str | bytes = text.encode() if isinstance(pattern, bytes) else text
            assert [m.groupdict() | {"": m.span()} for m in got.finditer(subject)] == [  # type: ignore[arg-type]
                m.groupdict() | {"": m.span()}
                for m in re.compile(pattern, flags).finditer(subject)]  # type: ignore[arg-type]
    assert list((cached / "0.1.0").glob("regex-*.marshal"))


def test_an_unreadable_entry_is_a_miss_and_is_replaced(cached: Path) -> None:
    rx.compile(r"a+b", 0)
    reload()
    entry = next((cached / "0.1.0").glob("regex-*.marshal"))
    entry.write_bytes(b"not marshal data")
    rx._folder = None
    same(rx.compile(r"a+b", 0), re.compile(r"a+b"))
    reload()
    assert (r"a+b", 0) in (rx._current() or {})


def test_a_stored_entry_the_engine_refuses_falls_back_to_re(cached: Path) -> None:
    rx.compile(r"x(y)z", 0)
    table = rx._current() or {}
    flags, _code, groups, index, names = table[(r"x(y)z", 0)]
    table[(r"x(y)z", 0)] = (flags, [999999], groups, index, names)  # not engine code
    same(rx.compile(r"x(y)z", 0), re.compile(r"x(y)z"))


def test_without_the_cache_it_is_re_compile_and_writes_nothing(tmp_path: Path) -> None:
    cache.configure(enabled=False)
    rx._folder = None
    assert rx._current() is None
    same(rx.compile(r"(?P<w>\w+)", 0), re.compile(r"(?P<w>\w+)"))
    assert not any(tmp_path.iterdir())


@settings(max_examples=150, deadline=None)
@given(st.from_regex(r"[ab()|*+?.\\dws\[\]^$-]{0,12}", fullmatch=True),
       st.sampled_from([0, re.IGNORECASE, re.MULTILINE | re.DOTALL, re.ASCII]))
def test_any_pattern_re_accepts_round_trips(pattern: str, flags: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "[[" reads as a possible nested set
        try:
            expected = re.compile(pattern, flags)
        except re.error:
            return
        parts = rx._parts(pattern, flags)
    assert parts is not None
    same(rx._build(pattern, parts), expected)


def test_seed_hands_re_the_patterns_an_earlier_run_compiled(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the standard library compiles at import (through re.compile) is learnt at exit
    and put into re's own cache by the next run's ``seed``: re.compile then compiles
    nothing, and returns the pattern it would have made."""
    at_exit: list[object] = []
    monkeypatch.setattr(rx.atexit, "register", at_exit.append)
    monkeypatch.setattr(rx, "_learning", False)
    pattern, flags = r"(?P<seeded>q+)\s*=\s*(\d+|x)", re.IGNORECASE
    re.purge()  # what this process compiled before: more than MAX_SEEDS patterns
    rx.seed()
    assert at_exit == [rx._learn]
    expected = re.compile(pattern, flags)  # as gettext or platform would, at import
    rx._learn()
    rx._folder, rx._learning = None, False  # a later run
    re.purge()

    compile_ = re._compiler.compile  # type: ignore[attr-defined]

    def compiling(p: str, f: int = 0) -> re.Pattern[str]:
        assert p != pattern, "re compiled a seeded pattern"
        return compile_(p, f)  # type: ignore[no-any-return]

    monkeypatch.setattr(re._compiler, "compile", compiling)  # type: ignore[attr-defined]
    rx.seed()
    same(re.compile(pattern, flags), expected)
    assert (pattern, int(flags)) in rx._seeds


def test_a_pattern_that_does_not_rebuild_is_not_seeded_and_not_retried(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rx.atexit, "register", lambda f: None)
    monkeypatch.setattr(rx, "_learning", False)
    tried: list[object] = []

    def wrong_parts(pattern: str, flags: int) -> rx.Parts:
        tried.append(pattern)
        return (flags, [1], 0, {}, (None,))  # not the code re generates

    monkeypatch.setattr(rx, "_parts", wrong_parts)
    rx.seed()
    re.compile(r"never(-seeded)+")
    rx._learn()
    assert "never(-seeded)+" in tried and (r"never(-seeded)+", 0) not in rx._table
    tried.clear()
    rx._folder, rx._learning = None, False
    rx.seed()
    re.compile(r"never(-seeded)+")
    rx._learn()
    assert "never(-seeded)+" not in tried  # listed as tried: no second check
