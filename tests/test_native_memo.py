"""``_speedups.memo``, the C cache of ``lines.cached_line_test``, gives what the cached
function gives (its pure twin is ``functools.lru_cache``: the results, not the eviction
order, are the specification)."""

from __future__ import annotations

import gc
import importlib
import pickle
import weakref
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint import lines
from provlint.checks import prose


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


@given(st.lists(st.text(max_size=12), max_size=40), st.integers(1, 6))
def test_a_memo_gives_the_function_s_results_and_calls_it_once_per_new_argument(
        c: ModuleType, texts: list[str], size: int) -> None:
    calls: list[str] = []

    def func(text: str) -> tuple[str, int]:
        calls.append(text)
        return text.upper(), len(text)

    memo = c.memo(func, size)
    held: set[str] = set()
    for text in texts + texts:
        assert memo(text) == func(text)
        calls.pop()  # the check's own call
        if text in held:
            assert not calls  # remembered: no call
        else:
            assert calls == [text]
            if len(held) >= size:
                held.clear()  # full: everything is forgotten at once
            held.add(text)
        calls.clear()
        assert memo.cache_len() == len(held)
    memo.cache_clear()
    assert memo.cache_len() == 0


def test_a_memo_does_not_remember_errors_and_checks_its_arguments(c: ModuleType) -> None:
    seen: list[str] = []

    def fail_once(text: str) -> str:
        seen.append(text)
        if len(seen) == 1:
            raise ValueError(text)
        return text

    memo = c.memo(fail_once, 4)
    with pytest.raises(ValueError):
        memo("a")
    assert memo("a") == "a" and memo("a") == "a" and seen == ["a", "a"]
    with pytest.raises(TypeError):
        memo("a", "b")
    with pytest.raises(TypeError):
        memo(text="a")
    with pytest.raises(ValueError):
        c.memo(fail_once, 0)
    with pytest.raises(ValueError):
        c.memo(None, 4)
    assert memo.__wrapped__ is fail_once


def test_a_memo_holding_itself_is_collected(c: ModuleType) -> None:
    class Box:
        pass

    box = Box()
    # a cycle: the box holds the memo, which holds the function, which holds the box
    box.memo = c.memo(lambda text, held=box: held, 4)  # type: ignore[attr-defined]
    box.memo("x")  # type: ignore[attr-defined]
    gone = weakref.ref(box)
    del box
    gc.collect()
    assert gone() is None


def test_the_line_tests_are_named_and_documented_as_their_pure_functions() -> None:
    for found, pure, name in ((lines.normalise, lines._normalise_py, "normalise"),
                              (prose.shape, prose._shape_py, "shape"),
                              (prose.credit_like, prose._credit_like_py, "credit_like")):
        assert found.__name__ == found.__qualname__ == name
        assert found.__doc__ == pure.__doc__ and found.__module__ == pure.__module__
        found.cache_clear()
        assert found("Photo: AP") == found("Photo: AP")


def test_a_line_test_pickles_by_reference() -> None:
    assert pickle.loads(pickle.dumps(prose.shape)) is prose.shape
