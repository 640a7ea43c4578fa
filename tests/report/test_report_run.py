"""`provlint report`: validated tables on disk, the corpus gate, schema bugs exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pytest

import provlint.report.corpus as corpus_mod
from provlint.report.frames import DocumentsFrame, FindingsFrame

from .conftest import DATA, Run


def test_report_writes_validated_tables(run: Run, corpus: Path) -> None:
    result = run("report", str(corpus), "--out", "out", "--report", "sarif=out/f.sarif")
    assert result.exit_code == 0, result.output
    out = Path("out")
    docs = pd.read_csv(out / "documents.csv")
    found = pd.read_csv(out / "findings.csv", keep_default_na=False)
    assert sorted(docs["doc_id"]) == sorted(f"docs/{p.name}" for p in corpus.iterdir())
    DocumentsFrame.validate(pd.read_parquet(out / "documents.parquet"))
    FindingsFrame.validate(pd.read_parquet(out / "findings.parquet"))
    seed = docs.set_index("doc_id").loc["docs/001_37c17d20fe168d34.txt"]
    assert seed["findings_boilerplate"] >= 2 and seed["published"].startswith("2022-09-10")
    assert 0.1 < seed["chars_removed_share"] < 0.3
    clean = docs.set_index("doc_id").loc["docs/clean.txt"]
    assert clean["findings"] == 0 and not clean["changed"]
    assert (docs["findings"].sum(), docs["fixed"].sum()) == (len(found), found["fixed"].sum())
    sarif = json.loads((out / "f.sarif").read_text())
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    assert len(sarif["runs"][0]["results"]) == len(found)
    assert "| PL201 | media-player-widget | 1 | 0 |" in (out / "summary.md").read_text()
    assert "provlint report  [" not in result.output  # no progress bar off a terminal


def _gate(run: Run, corpus: Path, *items: str) -> Any:
    args = [a for item in items for a in ("--config", f"gate.{item}")]
    return run("report", str(corpus), "--out", "out", *args)


def test_gate_fails_with_the_offending_documents_and_passes_when_met(run: Run,
                                                                     corpus: Path) -> None:
    failing = _gate(run, corpus, "max-share-with-boilerplate = 0.02",
                    "max-chars-removed-share = 0.10", "max-mean-short-line-share = 0.05")
    assert failing.exit_code == 1, failing.output
    docs = pd.read_csv("out/documents.csv")
    text = failing.output
    assert "gate max-share-with-boilerplate = 0.02 failed" in text
    assert "gate max-chars-removed-share = 0.1 failed" in text
    over = docs[docs["chars_removed_share"] > 0.10]["doc_id"].tolist()
    assert over and all(f"    {d}: " in text for d in over)
    under = docs[docs["chars_removed_share"] <= 0.10]["doc_id"].tolist()
    section = text.split("gate max-chars-removed-share")[1].split("gate ")[0]
    assert not any(f"    {d}: " in section for d in under)
    assert "FAILED" in Path("out/summary.md").read_text()

    passing = _gate(run, corpus, "max-share-with-boilerplate = 0.5",
                    "max-chars-removed-share = 0.9", "max-mean-dup-line-share = 0.05")
    assert passing.exit_code == 0, passing.output
    assert "gate: passed" in passing.output
    assert _gate(run, corpus, "max-share-with-boilerplate = 0.02").exit_code == 1
    zero = run("report", str(corpus), "--out", "out", "--exit-zero",
               "--config", "gate.max-share-with-boilerplate = 0.02")
    assert zero.exit_code == 0


@pytest.mark.parametrize("item,why", [
    ("max-nonsense = 1", "no numeric documents column 'nonsense'"),
    ("max-share-with-ads = 0.1", "unknown rule family 'ads'"),
    ("max-chars-removed-share = 'lots'", "must be a number"),
])
def test_bad_gate_keys_are_configuration_errors(run: Run, corpus: Path, item: str,
                                                why: str) -> None:
    result = _gate(run, corpus, item)
    assert result.exit_code == 2 and why in result.output
    assert not Path("out").exists()  # found before the run, not after cleaning the corpus


def test_a_schema_violation_is_a_bug_naming_column_and_rows(
        run: Run, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = corpus_mod.document_row

    def broken(*args: Any, **kw: Any) -> dict[str, Any]:
        row = real(*args, **kw)
        if row["doc_id"].endswith("noisy.txt"):
            row["chars_removed_share"] = 1.5
        return row

    monkeypatch.setattr(corpus_mod, "document_row", broken)
    result = run("report", str(corpus), "--out", "out")
    assert result.exit_code == 2
    assert "documents table broke its schema" in result.output
    line = next(ln for ln in result.output.splitlines() if "'chars_removed_share'" in ln)
    assert "rows [3]" in line and "docs/noisy.txt" in line and "1.5" in line
    assert not Path("out/report.html").exists() and not Path("out/documents.csv").exists()


def test_findings_schema_violation_names_the_column(run: Run, corpus: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real = corpus_mod.finding_rows

    def broken(*args: Any, **kw: Any) -> list[dict[str, Any]]:
        return [{**r, "severity": "fatal"} for r in real(*args, **kw)]

    monkeypatch.setattr(corpus_mod, "finding_rows", broken)
    result = run("report", str(corpus), "--out", "out")
    assert result.exit_code == 2
    assert "column 'severity' failed isin" in result.output


def test_gate_lists_a_record_id_with_line_breaks_on_one_line(run: Run) -> None:
    # a JSONL record's id may hold anything: a line break followed by a fence would end
    # summary.md's code block (the rest rendering as Markdown and HTML), and on the
    # terminal it would print lines provlint never wrote
    ids = ["x\n```\n<img src=q onerror=alert(1)>", "two\nlines"]
    Path("in").mkdir()
    Path("in/docs.jsonl").write_text("".join(
        json.dumps({"id": i, "text": "Title\n\nAdvertisement\nA real sentence here.\n"}) + "\n"
        for i in ids), encoding="utf-8")
    result = run("report", "in", "--out", "out", "--config",
                 "gate.max-chars-removed-share = 0.01")
    assert result.exit_code == 1, result.output
    summary = Path("out/summary.md").read_text(encoding="utf-8")
    lines = summary.splitlines()
    block = lines[lines.index("```") + 1:]  # the fenced gate report, to the end
    assert block[-1] == "```" and not any(ln.startswith("```") for ln in block[:-1])
    assert len(block) == 4  # the threshold, one line per document, the closing fence
    assert block[1].startswith("    x\\n```\\n<img src=q onerror=alert(1)>: ")
    assert block[2].startswith("    two\\nlines: ")
    for text in (summary, result.output):
        assert not any(ln.startswith(("<img", "lines", "```\n<")) for ln in text.splitlines())
