"""Corpus inputs (JSONL plain/gz/zst, Parquet): cleaned outputs in the same
format, fields kept, provenance ``source``, and memory that does not grow
with the corpus."""

from __future__ import annotations

import gzip
import json
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from click.testing import CliRunner

from provlint.cli import cli
from provlint.corpus import format_of
from provlint.ledger import read_ledger


def dirty(i: int) -> str:
    return f"Headline number {i}  \nBody text of the article.   \n\n\n\nLast line.\n\n\n"


def clean(i: int) -> str:
    return f"Headline number {i}\nBody text of the article.\n\nLast line.\n"


def _rows(n: int) -> list[dict[str, object]]:
    return [{"url": f"https://example.org/{i}", "id": f"doc-{i}", "text": dirty(i),
             "lang": "en"} for i in range(n)]


def _report(*args: str) -> None:
    res = CliRunner().invoke(cli, ["report", "--isolated", "--no-html", "--exit-zero", *args])
    assert res.exit_code == 0, res.output


def _jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdDecompressor().stream_reader(data).read()
    return [json.loads(line) for line in data.decode().splitlines()]


def test_format_by_extension_or_flag() -> None:
    assert [format_of(p) for p in ("a.jsonl", "a.JSONL.gz", "a.jsonl.zst", "a.parquet",
                                   "a.txt", "a.json")] == [
        "jsonl", "jsonl", "jsonl", "parquet", "text", "text"]
    assert format_of("a.txt", "jsonl") == "jsonl"


@pytest.mark.parametrize("name", ["c.jsonl", "c.jsonl.gz", "c.jsonl.zst"])
def test_jsonl_cleaned_in_same_format(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    _jsonl(src, _rows(3))
    _report(str(src), "--out", str(tmp_path / "out"), "--jobs", "1")
    rows = _read_jsonl(tmp_path / "out" / "clean" / name)
    assert [r["text"] for r in rows] == [clean(i) for i in range(3)]
    assert [list(r) for r in rows] == [["url", "id", "text", "lang"]] * 3  # order kept
    assert rows[1]["url"] == "https://example.org/1"
    recs = read_ledger(tmp_path / "out" / "provenance.jsonl")
    assert [r["doc"]["id"] for r in recs] == ["doc-0", "doc-1", "doc-2"]
    assert recs[0]["source"] == {"url": "https://example.org/0", "lang": "en"}
    assert recs[2]["output"]["path"] == f"clean/{name}"
    assert {e["rule"] for e in recs[0]["edits"]} >= {"PL001", "PL003", "PL005"}


def test_jsonl_fields_and_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text(json.dumps({"body": "A line.  \n", "key": 7}) + "\n"
                   + "not json\n" + json.dumps({"key": 8, "other": 1}) + "\n")
    _report(str(src), "--out", str(tmp_path / "out"), "--text-field", "body",
            "--id-field", "key")
    lines = (tmp_path / "out" / "clean" / "c.jsonl").read_text().splitlines()
    assert [json.loads(ln) for ln in (lines[0], lines[2])] == [
        {"body": "A line.\n", "key": 7}, {"key": 8, "other": 1}]
    assert lines[1] == "not json"  # passed through, as the README says
    recs = read_ledger(tmp_path / "out" / "provenance.jsonl")
    assert [r["doc"]["id"] for r in recs] == ["7"]
    findings = (tmp_path / "out" / "findings.jsonl").read_text()
    assert "line 2 of" in findings and "has no 'body' field" in findings


@pytest.mark.parametrize("name", ["cut.jsonl.gz", "cut.jsonl.zst", "plain.jsonl.gz"])
def test_a_shard_that_ends_early_is_a_finding_not_a_crash(tmp_path: Path, name: str) -> None:
    # a truncated download, or a .gz that is not gzip: the records before the damage are
    # cleaned, the shard gets a PL901 saying where reading stopped, the run goes on
    src = tmp_path / "in"
    src.mkdir()
    _jsonl(src / "whole.jsonl", _rows(2))
    data = "".join(json.dumps(r) + "\n" for r in _rows(40)).encode()
    if name.startswith("plain"):
        cut = data
    else:
        packed = (gzip.compress(data) if name.endswith(".gz")
                  else zstandard.ZstdCompressor().compress(data))
        cut = packed[:len(packed) // 2]
    (src / name).write_bytes(cut)
    _report(str(src), "--out", str(tmp_path / "out"), "--jobs", "1", "--include", "*.jsonl*")
    out = tmp_path / "out" / "clean" / name
    data = out.read_bytes() if out.exists() else b""
    data = (gzip.decompress(data) if name.endswith(".gz") else
            zstandard.ZstdDecompressor().stream_reader(data).read())
    kept = [json.loads(ln) for ln in data.decode().splitlines() if ln]  # then a blank line
    assert [r["text"] for r in kept] == [clean(i) for i in range(len(kept))]
    assert len(kept) < 40
    findings = [json.loads(ln) for ln in
                (tmp_path / "out" / "findings.jsonl").read_text().splitlines()]
    (broken,) = [f for f in findings if f["code"] == "PL901"]
    assert f"cannot be read past line {len(kept)}" in broken["message"]
    assert len(_read_jsonl(tmp_path / "out" / "clean" / "whole.jsonl")) == 2


def damaged_parquet(folder: Path, rows: list[dict[str, object]]) -> None:
    """Three shards of ``rows`` that pyarrow cannot read whole: cut.parquet (the first
    half of the file: no footer), text.parquet (not Parquet at all) and torn.parquet
    (rows in row groups of 10, the third one's text column overwritten)."""
    whole = folder / "torn.parquet"
    pq.write_table(pa.Table.from_pylist(rows), whole, row_group_size=10)
    data = bytearray(whole.read_bytes())
    (folder / "cut.parquet").write_bytes(data[:len(data) // 2])
    (folder / "text.parquet").write_text('{"text": "a JSON line"}\n')
    column = pq.ParquetFile(whole).metadata.row_group(2).column(2)
    start = column.dictionary_page_offset or column.data_page_offset
    data[start:start + column.total_compressed_size] = b"\xff" * column.total_compressed_size
    whole.write_bytes(data)


def test_a_parquet_shard_it_cannot_read_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    # one that does not open (cut short, not Parquet) gets a PL901 and no output; one
    # whose third row group is damaged keeps the 20 rows before it, in the output and
    # the ledger alike, and a PL901 saying where reading stopped; the run goes on
    src = tmp_path / "in"
    src.mkdir()
    pq.write_table(pa.Table.from_pylist(_rows(2)), src / "whole.parquet")
    damaged_parquet(src, _rows(40))
    _report(str(src), "--out", str(tmp_path / "out"), "--jobs", "1", "--batch-size", "3")
    out = tmp_path / "out" / "clean"
    assert sorted(p.name for p in out.iterdir()) == ["torn.parquet", "whole.parquet"]
    assert pq.read_table(out / "whole.parquet").num_rows == 2
    kept = pq.read_table(out / "torn.parquet")
    assert kept.schema == pq.read_schema(src / "torn.parquet")
    assert [r["text"] for r in kept.to_pylist()] == [clean(i) for i in range(20)]
    recs = read_ledger(tmp_path / "out" / "provenance.jsonl")
    assert sorted(r["doc"]["id"] for r in recs if "torn" in r["doc"]["path"]) == sorted(
        f"doc-{i}" for i in range(20))
    findings = [json.loads(ln) for ln in
                (tmp_path / "out" / "findings.jsonl").read_text().splitlines()]
    broken = {f["path"]: f["message"] for f in findings if f["code"] == "PL901"}
    assert sorted(broken) == [f"{src}/{n}.parquet#{r}"
                              for n, r in (("cut", 1), ("text", 1), ("torn", 21))]
    for name in ("cut", "text"):
        assert "cannot be opened as Parquet (ArrowInvalid: " in broken[f"{src}/{name}.parquet#1"]
    assert "cannot be read past record 20 (row group 3 of 4: " in broken[f"{src}/torn.parquet#21"]


def test_forced_input_format(tmp_path: Path) -> None:
    src = tmp_path / "dump.txt"
    _jsonl(src, _rows(2))
    _report(str(src), "--out", str(tmp_path / "out"), "--input-format", "jsonl")
    assert [r["text"] for r in _read_jsonl(tmp_path / "out" / "clean" / "dump.txt")] == [
        clean(0), clean(1)]


@pytest.mark.parametrize("name", ["c.jsonl.gz", "c.parquet"])
def test_a_cleaned_shard_gets_the_umask_mode_or_keeps_its_own(
        tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Like every other output: not the 0600 of the temporary file it is written to."""
    rows = _rows(2)
    if name.endswith(".parquet"):
        pq.write_table(pa.Table.from_pylist(rows), tmp_path / name)
    else:
        _jsonl(tmp_path / name, rows)
    monkeypatch.setattr("provlint.atomic._UMASK", 0o027)  # read once, when provlint starts
    _report(str(tmp_path / name), "--out", str(tmp_path / "out"))
    shard = tmp_path / "out" / "clean" / name
    assert stat.S_IMODE(shard.stat().st_mode) == 0o640
    shard.chmod(0o604)
    _report(str(tmp_path / name), "--out", str(tmp_path / "out"))
    assert stat.S_IMODE(shard.stat().st_mode) == 0o604


def test_parquet_round_trip(tmp_path: Path) -> None:
    rows = _rows(7)
    table = pa.Table.from_pylist(rows)
    pq.write_table(table, tmp_path / "c.parquet", row_group_size=3)
    _report(str(tmp_path / "c.parquet"), "--out", str(tmp_path / "out"), "--batch-size", "2")
    out = pq.read_table(tmp_path / "out" / "clean" / "c.parquet")
    assert out.schema == table.schema
    got = out.to_pylist()
    assert [r["text"] for r in got] == [clean(i) for i in range(7)]
    assert [r["url"] for r in got] == [r["url"] for r in rows]
    recs = read_ledger(tmp_path / "out" / "provenance.jsonl")
    assert [r["doc"]["id"] for r in recs] == [f"doc-{i}" for i in range(7)]


_PEAK = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    from provlint.corpus import Plan, RecordSpec
    from provlint.discovery import discover
    from provlint.ledger import RunLog
    from provlint.corpusrun import corpus_run
    from provlint.parallel import Context
    from provlint.provenance import RunInfo
    from provlint.ruleset import resolve
    from provlint.runner import Options

    settings, run, out = resolve("default"), RunInfo(mode="report"), Path(sys.argv[2])
    spec = RecordSpec(batch_size=2)
    ctx = Context(settings, Options(fix=True), run, spec, out / "provenance.jsonl")
    with RunLog(out / "provenance.jsonl", run, settings) as ledger:
        for _ in corpus_run(discover([sys.argv[1]]), ctx, Plan(jobs=1, spec=spec), out, ledger):
            pass
    # this process's own peak (VmHWM): ru_maxrss keeps the pytest parent's peak across
    # fork and exec, which hid any growth below it
    status = Path("/proc/self/status")
    peak = [ln.split()[1] for ln in status.read_text().splitlines() if ln.startswith("VmHWM:")]
    print(peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""")


def _peak_kib(corpus: Path, out: Path) -> int:
    res = subprocess.run([sys.executable, "-c", _PEAK, str(corpus), str(out)],
                         capture_output=True, text=True, check=True)
    return int(res.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_memory_does_not_grow_with_the_corpus(tmp_path: Path, fmt: str) -> None:
    """Peak RSS of a streamed run (read, clean, write shard + ledger) over
    20x the batch size vs 80x: flat, not proportional to the input. (It measured
    the parent's peak and passed with every task of the corpus held at once.)
    Parquet row groups of 16 rows: larger than the batch of 2."""
    body = "".join(f"Sentence {j} says " + "something else again " * 97 + "end.\n"
                   for j in range(32))  # 64 KiB in 32 distinct prose lines

    def corpus(n: int) -> Path:
        path = tmp_path / f"c{n}.{fmt}"
        rows = ({"id": i, "text": f"Doc {i}  \n" + body} for i in range(n))
        if fmt == "parquet":
            pq.write_table(pa.Table.from_pylist(list(rows)), path, row_group_size=16)
            return path
        with open(path, "w") as fh:
            for row in rows:
                fh.write(json.dumps(row) + "\n")
        return path

    small = _peak_kib(corpus(40), tmp_path / "o1")  # 20 batches of 2: 2.5 MiB
    large = _peak_kib(corpus(160), tmp_path / "o2")  # 80 batches: 10 MiB
    if fmt == "jsonl":
        assert (tmp_path / "o2" / "clean" / "c160.jsonl").stat().st_size > 10 << 20
    else:
        assert pq.read_table(tmp_path / "o2" / "clean" / "c160.parquet").num_rows == 160
    assert len(read_ledger(tmp_path / "o2" / "provenance.jsonl")) == 160
    grown_mib = (large - small) / 1024
    # pyarrow's allocator and thread pool move a Parquet run's peak by a few MiB from
    # run to run; holding the corpus (read whole, never flushed) adds 30-60 MiB
    limit = 1.5 if fmt == "jsonl" else 6
    assert grown_mib < limit, f"peak RSS grew {grown_mib:.1f} MiB for 7.5 MiB more input"


def test_records_keep_an_empty_record_a_leading_bom_and_a_lone_surrogate(
        tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    src.write_bytes(b'{"id": "a", "text": "Body.  \\n"}\n{}\n'
                    b'{"id": "b", "text": "\\ufeffHas a BOM.  \\n"}\n'
                    b'{"id": "c", "text": "lone \\ud800 here  \\n", "k\\udfff": 1}\n')
    _report(str(src), "--out", str(tmp_path / "out"), "--jobs", "1")
    out = (tmp_path / "out" / "clean" / "c.jsonl").read_bytes()
    assert out.decode("utf-8").splitlines() == [  # valid UTF-8, one record per line
        '{"id": "a", "text": "Body.\\n"}', "{}",
        '{"id": "b", "text": "\ufeffHas a BOM.\\n"}',
        '{"id": "c", "text": "lone \\ud800 here\\n", "k\\udfff": 1}']
    res = CliRunner().invoke(cli, ["verify", "--ledger", str(tmp_path / "out" /
                                                             "provenance.jsonl"), "--replay"])
    assert res.exit_code == 0 and "3 intact" in res.output, res.output


def test_a_record_it_cannot_clean_is_said_to_pass_through(tmp_path: Path) -> None:
    """A binary or oversized record's finding said 'nothing written', but its
    shard's output keeps it unchanged (as it does a record with no text)."""
    src = tmp_path / "c.jsonl"
    rows = [{"id": "nul", "text": "a\x00b  \n"}, {"id": "big", "text": "x  \n" * 300}]
    _jsonl(src, rows)
    _report(str(src), "--out", str(tmp_path / "out"), "--max-document-bytes", "1k")
    assert _read_jsonl(tmp_path / "out" / "clean" / "c.jsonl") == rows
    messages = [json.loads(ln)["message"] for ln in
                (tmp_path / "out" / "findings.jsonl").read_text().splitlines()]
    assert len(messages) == 2 and all(m.endswith(", passed through unchanged")
                                      for m in messages), messages


def empty_shards(folder: Path) -> None:
    """An empty JSONL shard, an empty gzip one, and a Parquet shard with no row."""
    folder.mkdir()
    (folder / "e.jsonl").write_bytes(b"")
    (folder / "e.jsonl.gz").write_bytes(gzip.compress(b""))
    pq.write_table(pa.table({"id": pa.array([], pa.string()),
                             "text": pa.array([], pa.string())}), folder / "e.parquet")
    _jsonl(folder / "full.jsonl", _rows(1))


def assert_empty_outputs(clean: Path) -> None:
    assert sorted(p.name for p in clean.iterdir()) == [
        "e.jsonl", "e.jsonl.gz", "e.parquet", "full.jsonl"]
    assert (clean / "e.jsonl").read_bytes() == b""
    assert gzip.decompress((clean / "e.jsonl.gz").read_bytes()) == b""
    assert pq.read_table(clean / "e.parquet").schema.names == ["id", "text"]


def test_a_shard_without_records_gets_an_empty_output_shard(tmp_path: Path) -> None:
    """A shard that holds no record got no output at all: the output folder did not
    mirror the corpus (ShardWriter was opened by a shard's first document)."""
    empty_shards(tmp_path / "src")
    _report(str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert_empty_outputs(tmp_path / "out" / "clean")
