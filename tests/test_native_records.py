"""The C writer of ledger lines (``_speedups.json_bytes``) against its pure twin.

Every ledger line must be the same bytes on both paths: the JSON of any value
the C code writes itself or hands back to the standard encoder, and whole
records of cleaned documents in every encoding and ``--provenance-text`` mode.
"""

from __future__ import annotations

import enum
import importlib
import json
import os
import sys
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import ledger
from provlint.engine import clean
from provlint.io import document_from_bytes, encode
from provlint.ledger import _ENCODE, _json_bytes_py, json_safe
from provlint.provenance import TEXT_MODES, RunInfo, build_record
from provlint.ruleset import resolve

DEFAULT = resolve("default")
RUN = RunInfo(mode="test", argv=[], id="run", started="then")


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


class Level(enum.IntEnum):
    LOW = 1


class Tag(str):
    """A str subclass: the standard encoder writes it as a str."""


# Text with what JSON escapes (quotes, backslashes, every control character), 0x7f,
# Latin-1, the BMP, non-BMP characters and lone surrogates (undecodable bytes).
CHARS = st.one_of(st.characters(max_codepoint=0x7f), st.characters(),
                  st.sampled_from(['"', "\\", "\x00", "\x1f", "\x7f", "\u2028", "\ud800",
                                   "\udcff", "\U0001f600"]))
TEXT = st.lists(CHARS, max_size=12).map("".join)
SCALARS = st.one_of(
    TEXT, TEXT.map(Tag), st.integers(), st.integers(min_value=2**63 - 2, max_value=2**70),
    st.integers(max_value=-(2**63) + 2, min_value=-(2**70)), st.booleans(), st.none(),
    st.floats(allow_nan=True), st.just(Level.LOW),
)
KEYS = st.one_of(TEXT, TEXT.map(Tag), st.integers(), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.lists(inner, max_size=4).map(tuple),
                            st.dictionaries(TEXT, inner, max_size=5),
                            st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=30,
)


def _outcome(func: object, *args: object) -> bytes | str:
    """The bytes ``func(*args)`` gives, or the name of the error it raises."""
    assert callable(func)
    try:
        data = func(*args)
    except (UnicodeEncodeError, TypeError, ValueError) as exc:
        return type(exc).__name__
    assert isinstance(data, bytes)
    return data


@given(VALUES)
@example({"a": [1, -1, 0, 2**63, -(2**63)], "b": "\x08\x0c\n\r\t\x01\"\\"})
@example({"s": "\ud800"})
@example({1: "int key", "x": 1.5})
def test_any_value_gives_the_same_json_bytes(c: ModuleType, value: object) -> None:
    assert _outcome(c.json_bytes, value, _ENCODE) == _outcome(_json_bytes_py, value, _ENCODE)


# Long strings of plain text with what JSON escapes here and there: the C writer passes
# over 8 bytes at a time when none of them needs escaping.
PLAIN = st.characters(min_codepoint=0x20, max_codepoint=0x7e, exclude_characters='"\\')
LONG_TEXT = st.lists(st.one_of(PLAIN, PLAIN, PLAIN, CHARS), max_size=80).map("".join)


@given(st.lists(LONG_TEXT, max_size=4))
@example(["x" * 7 + "\n" + "y" * 8 + '"' + "\u00e9" * 9 + "\x1f\\"])
@example(["\x7f" * 8 + "\x20" * 8 + "\x1f" * 8 + "\x21" * 8 + "\x5b\x5d" * 4])
@example(["".join(map(chr, range(0x80))) * 2, "\n" * 9, "a\n\n \n\t\n"])  # every ASCII byte
def test_long_strings_give_the_same_json_bytes(c: ModuleType, value: list[str]) -> None:
    assert _outcome(c.json_bytes, value, _ENCODE) == _outcome(_json_bytes_py, value, _ENCODE)


# Dict keys from a small pool, so the same key objects come back again and again: the C
# writer keeps the text of short ASCII keys it has written (``"key": ``) and copies it.
KEY_POOL = ["rule", "in_span", "x" * 24, "y" * 25, "a\"b", "t\tab", "caf\u00e9", "", "\x1f",
            "\U0001f600", "z" * 23 + "\n"]
POOLED_KEYS = st.sampled_from(KEY_POOL)
POOLED_DICTS = st.lists(st.dictionaries(POOLED_KEYS, st.integers() | LONG_TEXT, max_size=6),
                        max_size=8)


@given(POOLED_DICTS)
@example([{k: 1 for k in KEY_POOL}] * 3)
def test_repeated_keys_give_the_same_json_bytes(c: ModuleType, value: list[object]) -> None:
    for _ in range(2):  # the second time every key can come from what the first one kept
        assert _outcome(c.json_bytes, value, _ENCODE) == _outcome(_json_bytes_py, value, _ENCODE)


# Values from a small pool of interned strings (a rule code, ``op``, ``fix``): the C
# writer keeps the quoted text of short interned ASCII values it has written and copies it;
# the same texts as fresh (not interned) objects, and what must be escaped, go the long way.
VALUE_POOL = [sys.intern(v) for v in ("PL101", "delete", "safe", "x" * 24, "y" * 25, "a\"b",
                                      "t\tab", "caf\u00e9", "", "\x1f", "\U0001f600")]
POOLED_VALUES = st.sampled_from(VALUE_POOL) | st.sampled_from(VALUE_POOL).map(
    lambda v: "".join(list(v)))
POOLED_RECORDS = st.lists(st.dictionaries(POOLED_KEYS, POOLED_VALUES | st.lists(POOLED_VALUES,
                                                                                max_size=3),
                                          max_size=6), max_size=8)


@given(POOLED_RECORDS)
@example([{"rule": v, "in_span": [v, v]} for v in VALUE_POOL] * 2)
def test_repeated_values_give_the_same_json_bytes(c: ModuleType, value: list[object]) -> None:
    for _ in range(2):  # the second time every value can come from what the first one kept
        assert _outcome(c.json_bytes, value, _ENCODE) == _outcome(_json_bytes_py, value, _ENCODE)


def test_values_json_cannot_write_raise_as_the_encoder_does(c: ModuleType) -> None:
    for bad in ({"x": object()}, [{(1, 2): 1}], {"x": {1, 2}}):
        with pytest.raises(TypeError):
            c.json_bytes(bad, _ENCODE)
        with pytest.raises(TypeError):
            _json_bytes_py(bad, _ENCODE)
    with pytest.raises(TypeError):
        c.json_bytes({"x": 1.5}, lambda o: 1)
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(RecursionError):
        c.json_bytes(deep, _ENCODE)


# Pieces the default rules edit, in every kind of text the decoder gives: ASCII,
# Latin-1 (cp1252 when the bytes are not UTF-8), non-BMP, undecodable bytes.
PIECES = st.sampled_from([
    b"  ", b"\t", b"\n", b"\n\n\n\n", b"\r\n", b"\r", b"\xc2\xa0", b"\xe2\x80\x8b", b"\xef\xbb\xbf",
    b" \n", b"Share this\n", b"Same line\nSame line\nSame line\n", b"Caf\xc3\xa9 ",
    b"\xf0\x9f\x98\x80", b"Caf\xe9 \x93quoted\x94 ", b"\xff\xfe", b"\x81\x8d", b'"\\q"',
    b"Watch: Player loaded\n", b"Publish Date: 10 September 2022\n",
])
DOCS = st.lists(st.one_of(PIECES, st.binary(max_size=4)), max_size=30).map(b"".join)


@given(DOCS, st.sampled_from(TEXT_MODES))
@example(b"Caf\xe9  \x93x\x94 \n\n\n\n\nend  \n", "full")  # cp1252, several passes
@example(b"\xff\xfe  a\x00", "hash")
@example("\U0001f600  \u00a0x\n\n\n\nSame line\nSame line\n".encode(), "none")
@example(b"ok \xed\xa0\x80  \n\n\n\n", "full")  # undecodable bytes kept as lone surrogates
def test_records_of_any_document_give_the_same_ledger_line(c: ModuleType, data: bytes,
                                                           mode: str) -> None:
    read = document_from_bytes("t.txt", data)
    if read.document is None:
        return
    out = clean(read.document, DEFAULT)
    record = build_record(out, DEFAULT, RUN, encode(out.text, read.document.decoding),
                          output_path="t.txt", text_mode=mode)
    line = ledger.dump_line(record)
    try:
        pure = _json_bytes_py(record, _ENCODE)
    except UnicodeEncodeError:
        pure = json.dumps(json_safe(record), ensure_ascii=False).encode("utf-8")
    assert line == pure + b"\n"
    assert json.loads(line) == json.loads(pure)


def test_the_ledger_uses_the_c_writer_unless_pure_is_forced(c: ModuleType) -> None:
    if os.environ.get("PROVLINT_PURE", "") in ("", "0"):
        assert ledger._json_bytes is c.json_bytes
    else:
        assert ledger._json_bytes is _json_bytes_py
