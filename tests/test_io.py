"""Decoding policy and its stability under fixes.

``decode(encode(t)) == t`` must hold for every text provlint writes: the
policy picks UTF-8, cp1252 or UTF-8 with surrogateescape from the bytes, so
an edit that joins two cp1252 bytes into a valid UTF-8 sequence would make a
second run read a different text. The engine refuses such an edit
(``io.reads_back``); restore stays byte-exact either way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint.io import Source, decode, document_from_bytes, encode, reads_back
from provlint.model import Decoding
from provlint.provenance import RunInfo, restore_bytes
from provlint.ruleset import resolve
from provlint.runner import Options, Outcome, process_read

RUN = RunInfo(mode="test", argv=["test"])
SETS = {"default": resolve("default"), "aggressive": resolve("aggressive")}
CP1252 = Decoding("cp1252")
# Every byte cp1252 maps, except NUL (binary); rule-triggering fragments besides.
CP1252_BYTES = [bytes([b]) for b in range(1, 256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)]
FRAGMENTS = [b"  \n", b"\n\n\n", b"\r\n", b"\x01", b"\x1b", b"\xd6", b"\x91", b"\xa0",
             b"Share\n", b"Advertisement\n", b"Caf\xe9 ", b"\x93quoted\x94", b"\xef\xbb\xbf",
             b"\xc3", b"\xa9", b"Live now\n", b"word. "]
LEGACY = st.lists(st.sampled_from(CP1252_BYTES + FRAGMENTS), max_size=40).map(b"".join)


def fix(data: bytes, rule_set: str = "default") -> Outcome:
    src = Source(Path("t.txt"), "t.txt", "t.txt")
    return process_read(src, document_from_bytes("t.txt", data, "t.txt"), SETS[rule_set],
                        Options(fix=True, unsafe=True), RUN)


def test_reads_back_catches_each_way_the_policy_can_flip() -> None:
    assert reads_back("Caf\u00e9 \u201cq\u201d", CP1252)
    assert not reads_back("\u00d6\u2018", CP1252)  # d6 91: valid UTF-8 for U+0591
    assert not reads_back("\u00c3\u00a9", CP1252)  # c3 a9: UTF-8 for é
    assert reads_back("plain ascii", CP1252)  # reads back as UTF-8: the same text
    broken = Decoding("utf-8", errors="surrogateescape")
    assert reads_back("\udcff x \u00e9", broken)
    assert not reads_back("\udcc3\udca9", broken)  # the two bytes now form é
    assert not reads_back(" \udcff", broken)  # no multi-byte UTF-8 left: read as cp1252
    assert not reads_back("\ufeffword", Decoding())  # would be taken for a BOM
    assert reads_back("\ufeffword", Decoding(bom=True))
    assert not reads_back("a\x00b", Decoding())  # binary


def test_cp1252_edit_that_would_decode_as_utf8_is_refused() -> None:
    """Found by the fuzz test: removing the control character between Ö and ‘
    left d6 91, which the next run read as UTF-8 U+0591."""
    data = b"\xd6\x01\x91"
    first = fix(data)
    assert first.document is not None and first.document.decoding.encoding == "cp1252"
    assert first.output is not None and first.record is not None
    again = document_from_bytes("t.txt", first.output).document
    assert again is not None and first.result is not None
    assert again.text == first.result.text and again.decoding.encoding == "cp1252"
    assert "PL103" in {f.code for f in first.findings}  # the refused fix's finding stays
    assert fix(first.output).output == first.output
    assert restore_bytes(first.output, first.record) == data


def test_other_edits_of_the_same_document_still_apply() -> None:
    data = b"\xd6\x01\x91 text  \n\n\n\n"
    first = fix(data)
    assert first.output == b"\xd6\x01\x91 text\n"
    assert first.record is not None and restore_bytes(first.output, first.record) == data


@given(LEGACY, st.sampled_from(sorted(SETS)))
@example(b"\xd6\x01\x91", "default")
@example(b"\xc3\x01\xa9  \n\n\n", "aggressive")
@example(b"\xe9\xa0 \xd6\x01\x91", "default")
def test_fix_is_idempotent_across_rereads(data: bytes, rule_set: str) -> None:
    first = fix(data, rule_set)
    if first.document is None:
        return
    assert first.output is not None and first.record is not None and first.result is not None
    text, _ = decode(first.output)
    assert text == first.result.text  # the next run reads what this one wrote
    second = fix(first.output, rule_set)
    assert second.output == first.output and second.result is not None
    assert not second.result.applied
    assert restore_bytes(first.output, first.record) == data


@given(LEGACY.filter(lambda b: decode(b)[1].encoding == "cp1252"))
def test_cp1252_inputs_keep_their_text_through_fix(data: bytes) -> None:
    first = fix(data, "aggressive")
    assert first.output is not None and first.result is not None
    assert decode(first.output)[0] == first.result.text
    assert fix(first.output, "aggressive").output == first.output


@given(st.binary(max_size=200))
def test_encode_decode_round_trip(data: bytes) -> None:
    text, how = decode(data)
    assert encode(text, how) == data
    assert reads_back(text, how) or b"\x00" in data


def test_sha256_is_the_same_before_and_after_the_openssl_switch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A process hashes with the built-in SHA-256 until its budget is spent, then with
    OpenSSL's; the digests do not depend on which one ran."""
    import hashlib

    from provlint import io

    monkeypatch.setattr(io, "_builtin_left", 10)
    monkeypatch.setattr(io, "_openssl", None)
    want = {d: "sha256:" + hashlib.sha256(d).hexdigest() for d in (b"", b"abcd", b"x" * 9)}
    assert io.sha256(b"abcd") == want[b"abcd"] and io._builtin_left == 6  # built-in
    assert io.sha256(b"x" * 9) == want[b"x" * 9] and io._openssl is not None  # over: OpenSSL
    assert io.sha256(b"") == want[b""] and io._builtin_left == -1  # and from then on


UTF16_TEXT = st.lists(st.sampled_from(["Body text.", "  ", "\n", "\r\n", "\n\n\n", "ü", "😀",
                                       "Share on Facebook\n", "Advertisement\n", "\u4e2d"]),
                      max_size=30).map("".join)


@given(UTF16_TEXT, st.sampled_from(["utf-16-le", "utf-16-be"]))
@example("A  \n\n\n\nShare on Facebook\n😀 end  \n\n", "utf-16-le")
def test_utf16_with_a_bom_is_cleaned_in_utf16_and_restored_exactly(text: str,
                                                                    enc: str) -> None:
    """It was PL902 (binary: its NUL bytes), so a corpus lost every UTF-16 file."""
    data = (b"\xff\xfe" if enc == "utf-16-le" else b"\xfe\xff") + ("x" + text).encode(enc)
    first = fix(data)
    assert first.result is not None and first.output is not None and first.record is not None
    assert first.document is not None and first.document.decoding == Decoding(
        enc, True, first.document.decoding.newline)
    assert first.output[:2] == data[:2] and first.output[2:].decode(enc) == first.result.text
    assert restore_bytes(first.output, first.record) == data
    for e in first.record["edits"]:  # byte spans name the removed text in the input
        if e["pass"] == 1:
            assert data[e["in_bytes"][0]:e["in_bytes"][1]].decode(enc) == e["removed"]
    assert fix(first.output).output == first.output  # idempotent, and still UTF-16
    assert [f.code for f in first.findings if f.code.startswith("PL90")] == ["PL903"]


@pytest.mark.parametrize("data", [
    b"\xff\xfe" + "odd length".encode("utf-16-le") + b"x",
    "UTF-32 text".encode("utf-32"),  # its BOM starts like UTF-16's
    "no BOM".encode("utf-16-le"),
    b"\xff\xfe" + "a\x00b".encode("utf-16-le"),  # NUL inside the text
])
def test_what_only_looks_like_utf16_stays_binary(data: bytes) -> None:
    assert [f.code for f in fix(data).findings] == ["PL902"]
    assert encode(*decode(data)) == data


def test_bytes_without_nul_keep_their_reading_after_a_utf16_bom() -> None:
    data = b"\xff\xfeHello cp1252 text.\n"  # 'ÿþ' then text: no NUL, so not UTF-16
    assert decode(data)[1].encoding == "cp1252"
