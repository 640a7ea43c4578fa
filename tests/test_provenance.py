"""Provenance records: byte-exact restore for any input, self-sufficient JSON, sidecars."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint.discovery import discover
from provlint.engine import clean
from provlint.io import document_from_bytes, encode, sha256
from provlint.ledger import dump_line
from provlint.provenance import RunInfo, build_record, restore_bytes
from provlint.ruleset import resolve
from provlint.runner import Options, process
from provlint.sidecar import source_fields

DEFAULT = resolve("default")
RUN = RunInfo(mode="test", argv=[])

# Pieces that make the default rules fire: whitespace runs, blank-line runs, NBSP, CR/CRLF,
# repeated lines, a dateline and a player widget, mixed with arbitrary text.
FRAGMENTS = st.sampled_from([
    "  ", "\t", "\n", "\n\n\n\n", "\r\n", "\r", "\u00a0", "\u200b", "\ufeff", " \n",
    "Watch: Player loaded\n", "Publish Date: 10 September 2022\n", "Share this\n",
    "Same line\nSame line\nSame line\n", "Caf\u00e9 ", "\U0001f600",
])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=25).map("".join)
BYTES = st.one_of(
    st.binary(max_size=300),
    st.lists(st.one_of(FRAGMENTS.map(lambda s: s.encode("utf-8")),
                       st.binary(max_size=4)), max_size=25).map(b"".join),
)


def record_for(data: bytes, text_mode: str = "full") -> tuple[bytes, dict[str, object]] | None:
    """Clean ``data`` and return (output bytes, the record as a reader sees it)."""
    read = document_from_bytes("t.txt", data)
    if read.document is None:
        return None
    out = clean(read.document, DEFAULT)
    output = encode(out.text, read.document.decoding)
    rec = build_record(out, DEFAULT, RUN, output, output_path="t.txt", text_mode=text_mode)
    return output, json.loads(dump_line(rec))


def undo_without_provlint(output: bytes, rec: dict[str, object]) -> bytes:
    """The README's restore algorithm, written against the JSON alone."""
    edits = rec["edits"]
    assert isinstance(edits, list)
    data = output
    for p in sorted({e["pass"] for e in edits}, reverse=True):
        parts, pos = [], 0
        for e in sorted((e for e in edits if e["pass"] == p),
                        key=lambda e: (e["out_bytes"][0], e["in_bytes"][0])):
            removed = (base64.b64decode(e["removed_b64"]) if "removed_b64" in e
                       else e["removed"].encode(rec["input"]["encoding"]))  # type: ignore[index]
            parts += [data[pos:e["out_bytes"][0]], removed]
            pos = e["out_bytes"][1]
        data = b"".join([*parts, data[pos:]])
    return data


def _no_lone_surrogates(obj: object) -> bool:
    if isinstance(obj, str):
        return not any("\ud800" <= c <= "\udfff" for c in obj)
    if isinstance(obj, dict):
        return all(_no_lone_surrogates(v) for v in obj.values())
    if isinstance(obj, list):
        return all(_no_lone_surrogates(v) for v in obj)
    return True


@given(st.one_of(BYTES, TEXTS.map(lambda s: s.encode("utf-8", "surrogatepass"))))
@example(b"\xef\xbb\xbfBOM text  \r\n\r\n\r\n\r\nend\r\n")
@example(b"old Mac  \r\r\r\rlines \r")
@example(b"Caf\xe9 cp1252 \x93quoted\x94  \n\n\n\n")
@example(b"broken \xff\xfe  \n\n\n\nbytes \xc3\xa9\xc3  \n")
@example("nbsp\u00a0\u00a0 \n\n\n\nend".encode())
def test_restore_of_fix_is_the_input_for_any_bytes(data: bytes) -> None:
    got = record_for(data)
    if got is None:
        assert b"\x00" in data
        return
    output, rec = got
    assert restore_bytes(output, rec) == data
    assert undo_without_provlint(output, rec) == data
    assert _no_lone_surrogates(rec)


@given(TEXTS)
def test_restore_of_fix_is_the_input_for_any_text(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    got = record_for(data)
    if got is None:
        return
    output, rec = got
    assert restore_bytes(output, rec) == data


def test_byte_spans_point_at_the_changed_bytes() -> None:
    data = "\ufeffé  \r\n\r\n\r\n\r\nñ\u00a0 \r\n".encode()
    got = record_for(data)
    assert got is not None
    output, rec = got
    assert rec["byte_offsets"] == "bytes-of-encoded-file-including-bom"
    edits = rec["edits"]
    assert isinstance(edits, list) and edits
    for e in edits:
        if e["pass"] == 1:
            s, t = e["in_bytes"]
            assert data[s:t] == e["removed"].encode()
    last = max(e["pass"] for e in edits)
    for e in edits:
        if e["pass"] == last:
            s, t = e["out_bytes"]
            assert output[s:t] == e["inserted"].encode()


def test_undecodable_removed_bytes_travel_as_base64() -> None:
    data = b"\xc3\xa9 x\xff\t \n\n\n\n\xff\n"  # valid UTF-8 plus a stray byte
    read = document_from_bytes("t.txt", data)
    assert read.document is not None and read.document.decoding.errors == "surrogateescape"
    got = record_for(data)
    assert got is not None
    output, rec = got
    with_b64 = [e for e in rec["edits"] if "removed_b64" in e]  # type: ignore[union-attr]
    assert with_b64, rec["edits"]
    assert all("\ufffd" in e["removed"] for e in with_b64)
    assert b"\xff" in base64.b64decode(with_b64[0]["removed_b64"])
    dump_line(rec).decode("utf-8")  # strict: valid UTF-8, hence no lone surrogates
    assert restore_bytes(output, rec) == data


def test_hash_mode_keeps_only_digests_of_removed_bytes() -> None:
    data = "Caf\u00e9  \n\n\n\nend\n".encode("cp1252")
    got = record_for(data, "hash")
    assert got is not None
    _, rec = got
    edits = rec["edits"]
    assert isinstance(edits, list) and edits
    assert all("removed" not in e for e in edits if e["op"] != "insert")
    first = min(edits, key=lambda e: e["in_bytes"][0])
    s, t = first["in_bytes"]
    assert first["removed_sha256"] == "sha256:" + hashlib.sha256(data[s:t]).hexdigest()


@given(BYTES)
@example("Caf\u00e9\u00a0au\u00a0lait \n".encode())
@example("Caf\u00e9\u00a0au\u00a0lait \n".encode("cp1252"))
def test_hash_mode_digests_are_the_removed_input_bytes(data: bytes) -> None:
    """Each removed piece's digest is that of the input bytes it spans, though digests
    are memoised per piece across documents of different encodings."""
    got = record_for(data, "hash")
    if got is None:
        return
    _, rec = got
    for e in rec["edits"]:  # type: ignore[union-attr]
        if e["pass"] == 1 and "removed_sha256" in e:  # pass 1: spans of the input file
            s, t = e["in_bytes"]
            assert e["removed_sha256"] == "sha256:" + hashlib.sha256(data[s:t]).hexdigest()


def test_hash_mode_keeps_digests_of_short_pieces_only() -> None:
    """A long removed piece (a repeated block) is hashed, not kept in the digest cache."""
    from provlint.provenance import _short_sha256

    block = "Council approves the budget\nBy A. Writer in Geneva, for the wire service\n"
    data = (f"{block}\nMinisters met in Geneva on Monday to discuss it, officials said.\n\n"
            f"{block}\nThe end of the report, a spokesman said.\n").encode()
    _short_sha256.cache_clear()
    got = record_for(data, "hash")
    assert got is not None
    pieces = [e for e in got[1]["edits"] if e["pass"] == 1]  # type: ignore[union-attr]
    long_ones = [e for e in pieces if e["in_bytes"][1] - e["in_bytes"][0] > 64]
    assert long_ones  # the repeated block
    for e in long_ones:
        s, t = e["in_bytes"]
        assert e["removed_sha256"] == "sha256:" + hashlib.sha256(data[s:t]).hexdigest()
    assert _short_sha256.cache_info().currsize == len(pieces) - len(long_ones)


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


META = {"url": "https://example.com/a", "publisher": "Example News",
        "retrieved_at": "2025-01-01T12:00:00Z", "licence": "CC-BY-4.0",
        "extractor": {"name": "trafilatura", "version": "2.0.0"}, "extra": [1, "two"]}


def _record_of(path: Path) -> tuple[dict[str, object] | None, list[str]]:
    src = next(discover([str(path)]))
    o = process(src, DEFAULT, Options(fix=True), RUN)
    return o.record, [f.code for f in o.findings]


def test_sidecar_fields_go_into_the_record_unchanged(tmp_path: Path) -> None:
    doc = _write(tmp_path / "a.txt", "Body  \n")
    _write(tmp_path / "a.meta.json", json.dumps(META))
    rec, codes = _record_of(doc)
    assert rec is not None and "PL909" not in codes
    assert rec["source"] == {"path": rec["doc"]["path"], **META}  # type: ignore[index]
    # NAME.EXT.meta.json wins over NAME.meta.json
    _write(tmp_path / "a.txt.meta.json", json.dumps({"url": "https://example.com/b"}))
    rec, _ = _record_of(doc)
    assert rec is not None and rec["source"]["url"] == "https://example.com/b"  # type: ignore[index]


def test_without_sidecar_the_source_is_the_path(tmp_path: Path) -> None:
    rec, _ = _record_of(_write(tmp_path / "b.txt", "Body\n"))
    assert rec is not None and rec["source"] == {"path": rec["doc"]["path"]}  # type: ignore[index]


def test_a_bad_sidecar_is_pl909_and_ignored(tmp_path: Path) -> None:
    doc = _write(tmp_path / "c.txt", "Body\n")
    for bad in ('{"url": 42}', "[1, 2]", "{not json", '{"extractor": {"name": 3}}'):
        _write(tmp_path / "c.meta.json", bad)
        rec, codes = _record_of(doc)
        assert "PL909" in codes, bad
        assert rec is not None and set(rec["source"]) == {"path"}  # type: ignore[arg-type]


def test_a_sidecar_json_that_is_not_strict_json_or_too_deep_is_pl909(tmp_path: Path) -> None:
    """NaN/Infinity went into the record as they are, so the ledger line was no longer JSON
    (jq and JSON.parse reject it); a sidecar nested thousands deep raised RecursionError,
    which stopped the whole run as an internal error (exit 2) before the other files."""
    doc = _write(tmp_path / "e.txt", "Body  \n")
    for bad in ('{"url": "u", "score": NaN}', '{"x": [Infinity]}', '{"x": -Infinity}',
                '{"x": ' + "[" * 100_000 + "]" * 100_000 + "}"):
        _write(tmp_path / "e.meta.json", bad)
        rec, codes = _record_of(doc)
        assert "PL909" in codes, bad[:40]
        assert rec is not None and set(rec["source"]) == {"path"}  # type: ignore[arg-type]
        json.loads(dump_line(rec), parse_constant=lambda c: pytest.fail(c))


def test_sidecars_are_never_documents(tmp_path: Path) -> None:
    _write(tmp_path / "d.txt", "Body\n")
    _write(tmp_path / "d.meta.json", json.dumps(META))
    _write(tmp_path / "d.txt.meta.json", json.dumps(META))
    found = [s.rel for s in discover([str(tmp_path)], include=("*",))]
    assert found == ["d.txt"]


def test_source_fields_of_a_jsonl_row_picks_known_keys_unchanged() -> None:
    row = {"id": "x", "text": "Body", **META}
    assert source_fields(row) == {k: v for k, v in META.items() if k != "extra"}
    assert sha256(b"") == "sha256:" + hashlib.sha256(b"").hexdigest()


def test_a_run_without_a_ledger_builds_no_records_and_cleans_the_same(tmp_path: Path) -> None:
    """``Options(records=False)`` (check and fix without a ledger): the same output and
    findings, no record, and a bad text mode is still an error."""
    src = next(discover([str(_write(tmp_path / "a.txt", "Body  \n\n\n\nMore text.\t\n"))]))
    kept = process(src, DEFAULT, Options(fix=True), RUN)
    bare = process(src, DEFAULT, Options(fix=True, records=False), RUN)
    assert kept.record is not None and bare.record is None
    assert bare.output == kept.output != src.path.read_bytes()
    assert bare.findings == kept.findings and bare.edits == kept.edits > 0
    for records in (True, False):
        with pytest.raises(ValueError, match="provenance text mode"):
            process(src, DEFAULT, Options(fix=True, text_mode="bogus", records=records), RUN)
