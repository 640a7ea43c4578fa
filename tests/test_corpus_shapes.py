"""Record shards as real tools write them: Parquet with strings that are not UTF-8,
ids that collide with the row-numbered form of a repeated id. Whatever the shard
holds, the run goes on, every record is in the output as it was (or cleaned), and
the ledger verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from provlint.cli import cli
from provlint.ledger import read_ledger


def _run(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args))
    assert res.exit_code == 0, res.output
    return res.output


def _report(src: Path, out: Path, *args: str) -> list[dict[str, object]]:
    _run("report", "--isolated", "--no-html", "--exit-zero", "--jobs", "1", str(src),
         "--out", str(out), *args)
    return [json.loads(ln) for ln in (out / "findings.jsonl").read_text().splitlines()]


def _not_utf8(values: list[bytes]) -> pa.Array:
    """A string column holding ``values`` unchecked, as a writer that never validates
    its strings leaves it (pyarrow reads it back without complaint)."""
    return pa.array(values, pa.binary()).view(pa.string())


def test_a_parquet_string_that_is_not_utf8_is_kept_byte_for_byte(tmp_path: Path) -> None:
    """Such a shard stopped the whole run with an internal UnicodeDecodeError, before
    any output was written; now its bad bytes go through as they were: a record whose
    text is not UTF-8 is a PL901 passed through, one with a bad other field is cleaned."""
    src = tmp_path / "in"
    src.mkdir()
    meta = pa.StructArray.from_arrays([_not_utf8([b"ok", b"bad \xfe", b"fine"])], ["title"])
    table = pa.table({
        "id": ["a", "b", "c"],
        "text": _not_utf8([b"First.  \n", b"Bad \xff\xfe byte.  \n", b"Third.  \n"]),
        "meta": meta,
        "tags": pa.array([["x"], ["y"], ["z"]], pa.list_(pa.string())),
    })
    pq.write_table(table, src / "bad.parquet")
    pq.write_table(pa.table({"id": ["g"], "text": ["Good.  \n"]}), src / "good.parquet")
    findings = _report(src, tmp_path / "out")
    out = pq.read_table(tmp_path / "out" / "clean" / "bad.parquet")
    assert out.schema == table.schema
    binary = pa.binary()
    assert out["text"].chunk(0).view(binary).to_pylist() == [
        b"First.\n", b"Bad \xff\xfe byte.  \n", b"Third.\n"]
    assert out["meta"].combine_chunks().equals(meta)
    assert out["tags"].equals(table["tags"])
    assert pq.read_table(tmp_path / "out" / "clean" / "good.parquet")["text"].to_pylist() == [
        "Good.\n"]
    (bad,) = [f for f in findings if f["code"] == "PL901"]
    assert bad["path"] == f"{src}/bad.parquet#b"
    assert bad["message"].endswith("has a 'text' field that is not valid UTF-8; passed through")
    recs = read_ledger(tmp_path / "out" / "provenance.jsonl")
    assert sorted(r["doc"]["id"] for r in recs) == ["a", "c", "g"]
    assert "3 intact" in _run("verify", "--ledger", str(tmp_path / "out" / "provenance.jsonl"),
                              "--replay")


def test_a_null_text_is_said_to_be_null_not_missing(tmp_path: Path) -> None:
    """A Parquet text column with a null in one row: the finding said the record had
    no text field, sending the user to look for a column that is there."""
    pq.write_table(pa.table({"id": [1, 2], "text": ["One.\n", None]}), tmp_path / "n.parquet")
    findings = _report(tmp_path / "n.parquet", tmp_path / "out")
    assert [f["message"] for f in findings] == [
        f"record 2 of {tmp_path}/n.parquet has a null 'text' field; passed through"]
    assert pq.read_table(tmp_path / "out" / "clean" / "n.parquet")["text"].to_pylist() == [
        "One.\n", None]


def test_an_id_that_reads_like_a_repeated_ones_key_gets_its_own(tmp_path: Path) -> None:
    """Row 3 repeats the id ``a``, so its key became ``a@3``: the key that row 2's own
    id already had. Two ledger records shared one key, and verify checked one of
    the two documents against the other's record."""
    src = tmp_path / "at.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"Text {n}.  \n"}) + "\n"
                           for n, i in enumerate(["a", "a@3", "a"])))
    _report(src, tmp_path / "out")
    recs = read_ledger(tmp_path / "out" / "provenance.jsonl")
    keys = [r["output"]["record"]["key"] for r in recs]
    assert keys == ["a", "a@3", "a@3@3"]
    assert "3 intact" in _run("verify", "--ledger", str(tmp_path / "out" / "provenance.jsonl"),
                              "--replay")


def _codecs(path: Path) -> list[tuple[str, str]]:
    group = pq.ParquetFile(path).metadata.row_group(0)
    return [(group.column(i).path_in_schema, group.column(i).compression)
            for i in range(group.num_columns)]


def test_a_cleaned_parquet_shard_keeps_its_compression(tmp_path: Path) -> None:
    """The README promises the same format and compression, but every cleaned Parquet
    shard came out snappy: a zstd corpus (polars' default) grew on the way."""
    table = pa.table({"id": ["a", "b"], "text": ["One.  \n", "Two.\n"],
                      "meta": [{"url": "u1", "n": 1}, {"url": "u2", "n": 2}]})
    src = tmp_path / "in"
    src.mkdir()
    pq.write_table(table, src / "z.parquet", compression="zstd")
    pq.write_table(table, src / "mixed.parquet", compression={
        "id": "none", "text": "gzip", "meta.url": "brotli", "meta.n": "zstd"})
    _report(src, tmp_path / "out")
    for name in ("z.parquet", "mixed.parquet"):
        out = tmp_path / "out" / "clean" / name
        assert _codecs(out) == _codecs(src / name)
        assert pq.read_table(out)["text"].to_pylist() == ["One.\n", "Two.\n"]
    assert {c for _, c in _codecs(src / "z.parquet")} == {"ZSTD"}


def test_every_other_parquet_column_is_copied_not_converted(tmp_path: Path) -> None:
    """Columns went through Python values and back: a time64[ns] lost its nanoseconds
    (datetime.time holds microseconds) without a word. Now only the text column is
    rebuilt, whatever the text column's string type; the rest is copied as read."""
    n = 5
    table = pa.table({
        "id": pa.array([f"d{i}" for i in range(n)], pa.large_string()),
        "text": pa.array([f"Line {i % 2}.  \n" for i in range(n)]).dictionary_encode(),
        "at": pa.array([1_000_000_001 + i for i in range(n)], pa.time64("ns")),
        "tags": pa.array([["a", None]] * n, pa.list_(pa.string_view())),
        "meta": pa.array([{"url": f"u{i}", "n": i} for i in range(n)]),
    })
    pq.write_table(table, tmp_path / "t.parquet", row_group_size=2)
    _report(tmp_path / "t.parquet", tmp_path / "out", "--batch-size", "3")
    out = pq.read_table(tmp_path / "out" / "clean" / "t.parquet")
    assert out.schema == table.schema
    for name in ("id", "at", "tags", "meta"):
        assert out[name].equals(table[name]), name
    assert out["text"].to_pylist() == [f"Line {i % 2}.\n" for i in range(n)]
    for text_type in (pa.large_string(), pa.string_view()):
        texts = pa.array([f"Line {i % 2}.  \n" for i in range(n)], text_type)
        pq.write_table(table.set_column(1, pa.field("text", text_type), texts),
                       tmp_path / "v.parquet")
        _report(tmp_path / "v.parquet", tmp_path / "out2")
        out = pq.read_table(tmp_path / "out2" / "clean" / "v.parquet")
        assert out.schema.field("text").type == text_type
        assert out["text"].to_pylist() == [f"Line {i % 2}.\n" for i in range(n)]
