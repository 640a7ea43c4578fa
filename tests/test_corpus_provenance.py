"""JSONL corpora through report, verify and restore: repeated ids, per-record audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from provlint.cli import cli

TEXTS = ["Hello there.\n\n\n", "Other text.  \n", "Live now\nStart time\n\nBody text.\n"]


@pytest.fixture()
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for shard in ("a.jsonl", "b.jsonl"):  # the same ids in both shards, and twice in each
        rows = [{"id": "1", "text": t, "url": f"https://x/{i}"} for i, t in enumerate(TEXTS)]
        Path(shard).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = CliRunner().invoke(cli, ["report", "--isolated", "--jobs", "1", "--out", "out",
                                   "a.jsonl", "b.jsonl"])
    assert res.exit_code == 0, res.output
    return tmp_path


def test_repeated_ids_get_distinct_documents(corpus: Path) -> None:
    import pandas as pd

    docs = pd.read_csv(corpus / "out" / "documents.csv", dtype={"doc_id": str})
    assert len(docs) == 6 and docs["path"].is_unique
    assert set(docs["doc_id"]) == {"1"}


def test_verify_checks_each_record_and_names_a_tampered_one(corpus: Path) -> None:
    res = CliRunner().invoke(cli, ["verify", "--ledger", "out/provenance.jsonl", "--replay"])
    assert res.exit_code == 0, res.output
    assert "6 intact" in res.output and "6 replayed" in res.output
    shard = corpus / "out" / "clean" / "b.jsonl"
    shard.write_text(shard.read_text(encoding="utf-8").replace("Other text.", "Other texT."),
                     encoding="utf-8")
    res = CliRunner().invoke(cli, ["verify", "--ledger", "out/provenance.jsonl"])
    assert res.exit_code == 1
    assert res.output.count("tampered") == 1 and "b.jsonl" in res.output


def test_restore_rebuilds_every_record_text(corpus: Path) -> None:
    res = CliRunner().invoke(cli, ["restore", "--ledger", "out/provenance.jsonl",
                                   "--out", "back"])
    assert res.exit_code == 0, res.output
    for shard in ("a.jsonl", "b.jsonl"):
        got = sorted((corpus / "back" / f"{shard}.records").iterdir())
        assert [p.name for p in got] == ["1.txt", "1@2.txt", "1@3.txt"]
        assert [p.read_text(encoding="utf-8") for p in got] == TEXTS


def test_lines_that_are_no_record_keep_every_row_number(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Record keys of id-less or repeated-id records are row numbers, which verify
    and restore look up in the cleaned shard: blank lines, lines that are not JSON
    objects and lines too long to read must not shift the rows after them."""
    monkeypatch.chdir(tmp_path)
    lines = [json.dumps({"text": TEXTS[0]}), "", "not json", "[1, 2]",
             json.dumps({"id": "x", "text": TEXTS[1]}), json.dumps({"id": "x", "text": TEXTS[2]}),
             json.dumps({"text": "y" * 100_000}), json.dumps({"text": TEXTS[1]})]
    Path("s.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["report", "--isolated", "--out", "out", "--no-html",
                                   "--max-document-bytes", "1k", "s.jsonl"])
    assert res.exit_code == 0, res.output
    out = (tmp_path / "out" / "clean" / "s.jsonl").read_text(encoding="utf-8").split("\n")
    assert out[1:4] == ["", "not json", "[1, 2]"] and len(out) == len(lines) + 1
    assert out[6] == ""  # the line too long to read (PL905) keeps its row, empty
    keys = [json.loads(ln)["output"]["record"]["key"]
            for ln in Path("out/provenance.jsonl").read_text().splitlines()]
    assert keys == ["1", "x", "x@6", "8"]
    res = CliRunner().invoke(cli, ["verify", "--ledger", "out/provenance.jsonl", "--replay"])
    assert res.exit_code == 0 and "4 intact" in res.output, res.output
    res = CliRunner().invoke(cli, ["restore", "--ledger", "out/provenance.jsonl", "--out", "b"])
    assert res.exit_code == 0, res.output
    assert [p.name for p in sorted(Path("b/s.jsonl.records").iterdir())] == [
        "1.txt", "8.txt", "x.txt", "x@6.txt"]


@pytest.mark.parametrize("rows,code", [
    ([{"id": "x", "text": "y" * 300}, {"id": "x", "text": "z" * 300}], "PL905"),
    ([{"id": "x", "text": 3}, {"id": "x"}], "PL901"),
    ([{"id": "x", "text": "a\0b"}, {"id": "x", "text": "c\0d"}], "PL902"),
])
def test_input_findings_of_records_sharing_an_id_are_distinct_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[dict[str, object]],
        code: str) -> None:
    """Two records with one id that both cannot be read broke the findings table's
    unique fingerprints (exit 2 after the whole run): their findings now carry the
    record's path, as a rule's finding does."""
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    Path("s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = CliRunner().invoke(cli, ["report", "--isolated", "--out", "out", "--no-html",
                                   "--max-document-bytes", "100", "s.jsonl"])
    assert res.exit_code == 0, res.output
    found = pd.read_csv("out/findings.csv", dtype={"doc_id": str})
    assert list(found["code"]) == [code, code] and list(found["doc_id"]) == ["x", "x"]
    assert list(found["path"]) == ["s.jsonl#x", "s.jsonl#x@2"]
    docs = pd.read_csv("out/documents.csv", dtype={"doc_id": str})
    assert list(docs["path"]) == ["s.jsonl#x", "s.jsonl#x@2"]


@pytest.mark.parametrize("mode", ["hash", "none"])
def test_replay_reads_a_record_from_its_input_shard(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    mode: str) -> None:
    """With a ledger that cannot restore, verify --replay looked for a file named
    '<shard>#<id>' and called every cleaned record not reproducible."""
    monkeypatch.chdir(tmp_path)
    Path("a.jsonl").write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n"
                                       for i, t in enumerate(TEXTS)), encoding="utf-8")
    res = CliRunner().invoke(cli, ["report", "--isolated", "--jobs", "1", "--no-html",
                                   "--provenance-text", mode, "--out", "out", "a.jsonl"])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["verify", "--ledger", "out/provenance.jsonl", "--replay"])
    assert res.exit_code == 0 and "3 replayed; 0 problems" in res.output, res.output
    Path("a.jsonl").write_text(json.dumps({"id": "0", "text": "changed"}) + "\n")
    res = CliRunner().invoke(cli, ["verify", "--ledger", "out/provenance.jsonl", "--replay"])
    assert res.exit_code == 0 and "3 documents not replayed (0, ...)" in res.output, res.output
    assert "0 replayed (3 could not be); 0 problems" in res.output  # not "not-reproducible"
