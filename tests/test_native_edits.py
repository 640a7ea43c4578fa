"""The compiled edit records of one pass (``_speedups_edits.c``) give exactly what their
pure twin (``provenance._pass_records_py``) gives: the same dicts, keys in the same order,
the same errors."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import provenance
from provlint.io import encode
from provlint.model import Applicability, AppliedEdit, Decoding, Span
from provlint.provenance import TEXT_MODES, _body, _texts


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


# ASCII, Latin-1, the BMP, non-BMP and lone surrogates (only \udc80-\udcff encode, and
# only with surrogateescape): every size of code point UTF-8 has, and pieces it refuses
PIECE = st.lists(st.sampled_from(["a", " ", "\n", "é", "\u00a0", "\u2019", "\u4e2d",
                                  "\U0001f600", "\udc80", "\udcff", "\ud800"]),
                 max_size=5).map("".join)
DECODINGS = st.sampled_from([Decoding("utf-8"), Decoding("utf-8", bom=True),
                             Decoding("utf-8", errors="surrogateescape"),
                             Decoding("utf-8", True, "lf", "surrogateescape"),
                             Decoding("cp1252")])


@st.composite
def passes(draw: st.DrawFn) -> tuple[str, list[AppliedEdit]]:
    """A text and one pass's edits on it, in text order; spans may run past the text."""
    text = draw(st.lists(PIECE, max_size=8).map("".join))
    edits, pos = [], 0
    for _ in range(draw(st.integers(0, 6))):
        start = pos + draw(st.integers(0, 4))
        end = start + draw(st.integers(0, 3))
        before = text[start:end] if draw(st.booleans()) else draw(PIECE)
        after = draw(PIECE)
        app = draw(st.sampled_from(list(Applicability)))
        edits.append(AppliedEdit(draw(st.sampled_from(["PL001", "PL005"])), 1,
                                 Span(start, end), before, after, start, app))
        pos = end
    return text, edits


def _outcome(fill: Callable[..., None], text: str, edits: list[AppliedEdit],
             decoding: Decoding, mode: str) -> list[tuple[str, Any]] | str:
    """The records ``fill`` makes (each as its items, so key order counts), or the
    name of the error it raises."""
    body = _body(decoding)
    records: list[dict[str, Any]] = [{}] * len(edits)
    single = decoding.encoding == "cp1252"
    try:
        fill(records, edits, list(range(len(edits))), text, single or text.isascii(), single,
             3 if decoding.bom else 0, mode == "full", lambda s: len(encode(s, body)),
             lambda b, a: _texts(b, a, body, mode))
    except (UnicodeEncodeError, TypeError) as exc:
        return type(exc).__name__
    return [list(r.items()) for r in records]  # type: ignore[misc]


@given(passes(), DECODINGS, st.sampled_from(TEXT_MODES))
@example(("caf\u00e9 \U0001f600  x\n", [AppliedEdit("PL001", 1, Span(7, 9), "  ", "", 7)]),
         Decoding("utf-8", True), "full")
@example(("a\udc80 b ", [AppliedEdit("PL001", 1, Span(4, 5), " ", "\udcff", 4)]),
         Decoding("utf-8", errors="surrogateescape"), "hash")
def test_pass_records_of_any_pass(c: ModuleType, case: tuple[str, list[AppliedEdit]],
                                  decoding: Decoding, mode: str) -> None:
    text, edits = case
    assert (_outcome(c.pass_records, text, edits, decoding, mode)
            == _outcome(provenance._pass_records_py, text, edits, decoding, mode))


def test_pass_records_refuses_what_is_not_an_edit(c: ModuleType) -> None:
    bad = AppliedEdit("PL001", 1, Span(0, 1), b"x", "", 0)  # type: ignore[arg-type]
    assert _outcome(c.pass_records, "x", [bad], Decoding("utf-8"), "full") == "TypeError"
    with pytest.raises(IndexError):
        c.pass_records([{}], [bad], [1], "x", True, False, 0, True, len, dict)
    with pytest.raises(AttributeError):
        c.pass_records([{}], [object()], [0], "x", True, False, 0, True, len, dict)


def test_edit_records_use_the_c_twin_for_utf8_and_cp1252(c: ModuleType,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def spy(*args: object) -> None:
        seen.append(args[3])
        provenance._pass_records_py(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(provenance, "_pass_records", spy)
    edits = (AppliedEdit("PL001", 1, Span(1, 2), " ", "", 1),
             AppliedEdit("PL005", 2, Span(0, 1), "a", "b", 0))
    for decoding in (Decoding("utf-8"), Decoding("cp1252"), Decoding("latin-1")):
        seen.clear()
        records = provenance.edit_records("a ", edits, decoding)
        assert [r["pass"] for r in records] == [1, 2]
        assert seen == ([] if decoding.encoding == "latin-1" else ["a ", "a"])


_EDIT = st.builds(lambda p, s, n: AppliedEdit("PL001", p, Span(s, s + n), "", "x", s),
                  st.integers(1, 3), st.integers(0, 5), st.integers(0, 2))


@given(st.lists(_EDIT, max_size=12), st.booleans())
def test_pass_order_of_any_edits(c: ModuleType, edits: list[AppliedEdit],
                                 in_order: bool) -> None:
    if in_order:  # as the engine makes them
        edits.sort(key=lambda a: (a.pass_no, a.span.start, a.span.end))
    assert c.pass_order(edits) == provenance._pass_order_py(edits)
    assert c.pass_order(tuple(edits)) == provenance._pass_order_py(edits)


def test_pass_order_leaves_other_numbers_to_the_pure_code(c: ModuleType) -> None:
    edits = [AppliedEdit("PL001", 1, Span(0, 2**70), "", "", 0)]
    assert c.pass_order(edits) is None
    assert provenance._pass_order(edits) == [[0]]
    with pytest.raises(AttributeError):
        c.pass_order([object()])


@given(passes(), st.data())
@example(("caf\u00e9 x\n", [AppliedEdit("PL001", 1, Span(5, 6), "x", "\U0001f600", 5)]),
         None)
def test_after_pass_of_any_pass(c: ModuleType, case: tuple[str, list[AppliedEdit]],
                                data: st.DataObject | None) -> None:
    text, edits = case
    todo = list(range(len(edits)))
    if data is not None and data.draw(st.booleans()):  # any order: slices past each other
        todo = data.draw(st.permutations(todo))
    made = c.after_pass(text, edits, todo)
    assert made == provenance._after_pass_py(text, edits, todo)
    assert made.isascii() == provenance._after_pass_py(text, edits, todo).isascii()


def test_after_pass_refuses_what_is_not_an_edit(c: ModuleType) -> None:
    edit = AppliedEdit("PL001", 1, Span(0, 1), "x", "", 0)
    with pytest.raises(IndexError):
        c.after_pass("x", [edit], [1])
    with pytest.raises(TypeError):
        c.after_pass("x", [AppliedEdit("PL001", 1, Span(0, 1), "x", b"", 0)], [0])  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        c.after_pass("x", [object()], [0])
