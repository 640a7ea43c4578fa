"""Local worker processes (--jobs) give the same outputs and ledger as one
process; --resume skips what the ledger already holds; progress on a tty."""

from __future__ import annotations

import csv
import gc
import io
import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from provlint.cli import cli
from provlint.ledger import read_ledger, read_lines, runs_path
from provlint.progress import Progress
from provlint.runner import fewer_collections

VOLATILE = ("run",)  # run id, timestamps and argv differ between runs


def make_corpus(root: Path, n: int = 48) -> Path:
    """``n`` small dirty text files plus a JSONL shard of ``n`` records."""
    src = root / "corpus"
    (src / "sub").mkdir(parents=True)
    rows = []
    for i in range(n):
        text = (f"Headline {i}  \n\nListen live\nUp next\n\nBody of article {i} is here.\n"
                f"Body of article {i} is here.\n\n\n\nEnd {i}.")
        (src / ("sub" if i % 3 else "") / f"d{i:03}.txt").write_text(text)
        rows.append({"id": f"r{i}", "text": text.upper(), "site": f"s{i % 4}"})
    (src / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return src


def report(src: Path, out: Path, *args: str) -> None:
    res = CliRunner().invoke(cli, ["report", str(src), "--out", str(out), "--isolated",
                                   "--no-html", "--exit-zero", *args])
    assert res.exit_code == 0, res.output


def stable(ledger: Path) -> list[dict[str, Any]]:
    return [{k: v for k, v in rec.items() if k not in VOLATILE} for rec in read_ledger(ledger)]


def table(path: Path) -> list[dict[str, str]]:
    """A report CSV without its run id column."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [{k: v for k, v in row.items() if k != "run_id"} for row in csv.DictReader(fh)]


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_jobs_match_one_process(tmp_path: Path) -> None:
    src = make_corpus(tmp_path)
    report(src, tmp_path / "one", "--jobs", "1")
    report(src, tmp_path / "two", "--jobs", "2")
    one, two = stable(tmp_path / "one" / "provenance.jsonl"), stable(
        tmp_path / "two" / "provenance.jsonl")
    assert len(one) == 96 and one == two
    assert files(tmp_path / "one" / "clean") == files(tmp_path / "two" / "clean")
    assert table(tmp_path / "one" / "findings.csv") == table(tmp_path / "two" / "findings.csv")
    assert table(tmp_path / "one" / "documents.csv") == table(
        tmp_path / "two" / "documents.csv")
    events = [e for _, e in read_lines(runs_path(tmp_path / "two" / "provenance.jsonl")).items]
    planned = [d for e in events if e["event"] == "plan" for d in e["docs"]]
    assert sorted(planned) == sorted(r["doc"]["id"] for r in read_ledger(
        tmp_path / "two" / "provenance.jsonl"))  # each document planned once
    cleaned = (tmp_path / "two" / "clean" / "sub" / "d001.txt").read_text()
    assert cleaned == "Headline 1\n\nBody of article 1 is here.\n\nEnd 1.\n"


def test_resume_skips_documents_in_the_ledger(tmp_path: Path) -> None:
    src = make_corpus(tmp_path, n=6)
    out = tmp_path / "out"
    report(src, out, "--jobs", "1")
    first = files(out / "clean")
    (src / "d000.txt").write_text("Changed text.  \n")
    (out / "clean" / "sub" / "d001.txt").unlink()  # lost output: rebuilt from the ledger
    report(src, out, "--jobs", "1", "--resume")
    recs = read_ledger(out / "provenance.jsonl")
    assert len(recs) == 12 + 1  # only the changed document got a new record
    assert recs[-1]["doc"]["id"].endswith("d000.txt")
    assert files(out / "clean") == {**first, "d000.txt": b"Changed text.\n"}
    events = [e for _, e in read_lines(runs_path(out / "provenance.jsonl")).items]
    skips = [e for e in events if e["event"] == "skip"]
    assert len(skips) == 11 and {e["reason"] for e in skips} == {
        "already in the ledger (--resume)"}
    # a different configuration is a different digest: nothing is skipped
    report(src, out, "--jobs", "1", "--resume", "--ignore", "PL201")
    assert len(read_ledger(out / "provenance.jsonl")) == 13 + 12


def test_resume_in_worker_processes_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    """Resumed documents come back from the workers (it crashed with a PicklingError)."""
    src = make_corpus(tmp_path, n=40)
    report(src, tmp_path / "full", "--jobs", "2")
    out = tmp_path / "out"
    report(src, out, "--jobs", "2")
    ledger = out / "provenance.jsonl"  # as if killed after the first 30 documents:
    ledger.write_text("".join(ledger.read_text().splitlines(keepends=True)[:30]))
    shutil.rmtree(out / "clean" / "sub")
    report(src, out, "--jobs", "2", "--resume")
    assert files(out / "clean") == files(tmp_path / "full" / "clean")
    assert sorted(r["doc"]["path"] for r in read_ledger(out / "provenance.jsonl")) == sorted(
        r["doc"]["path"] for r in read_ledger(tmp_path / "full" / "provenance.jsonl"))


def test_resume_records_a_copy_of_a_recorded_text_under_its_own_path(tmp_path: Path) -> None:
    """Web corpora repeat texts: a killed run that recorded a text under one id must
    not make --resume skip the same text under another id or in another shard
    (that document would never get a record, so verify and restore could not see it)."""
    src = make_corpus(tmp_path, n=4)
    (src / "copy.jsonl").write_text((src / "records.jsonl").read_text().replace('"r', '"c'))
    (src / "sub" / "again.txt").write_text((src / "d000.txt").read_text())
    out, full = tmp_path / "out", tmp_path / "full"
    report(src, full, "--jobs", "1")
    report(src / "records.jsonl", out, "--jobs", "1")  # as if killed after the first shard
    report(src / "d000.txt", out, "--jobs", "1")
    report(src, out, "--jobs", "1", "--resume")
    paths = sorted(r["doc"]["path"] for r in read_ledger(out / "provenance.jsonl"))
    assert paths == sorted(r["doc"]["path"] for r in read_ledger(full / "provenance.jsonl"))
    assert len(paths) == 4 + 4 + 4 + 1  # records, their copies, the texts, again.txt


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_only() -> None:
    tty = _Tty()
    p = Progress(4_000_000, tty, every=0)
    for _ in range(3):
        p.update(1_000_000)
    p.close()
    last = tty.getvalue().split("\r")[-1]
    assert "3 docs" in last and "3.0 MB" in last and "MB/s" in last and "ETA" in last
    quiet = io.StringIO()
    q = Progress(None, quiet, every=0)
    q.update(10)
    q.close()
    assert quiet.getvalue() == ""


def test_fix_out_jobs_match_one_process(tmp_path: Path) -> None:
    src = make_corpus(tmp_path, n=40)
    (src / "records.jsonl").unlink()
    for jobs in ("1", "2"):
        res = CliRunner().invoke(cli, ["fix", str(src), "--out", str(tmp_path / jobs),
                                       "--isolated", "--exit-zero", "--jobs", jobs])
        assert res.exit_code == 0, res.output
    assert stable(tmp_path / "1" / "provenance.jsonl") == stable(
        tmp_path / "2" / "provenance.jsonl")
    one, two = files(tmp_path / "1"), files(tmp_path / "2")
    assert len(one) >= 40 and {k: v for k, v in one.items() if "provenance" not in k} == {
        k: v for k, v in two.items() if "provenance" not in k}


def test_fix_out_workers_send_back_counts_not_texts(tmp_path: Path) -> None:
    """With the outputs written by the workers, an outcome comes back without its
    texts, and still says whether the document changed and how many edits it took."""
    from provlint.io import Source
    from provlint.provenance import RunInfo
    from provlint.ruleset import resolve
    from provlint.runner import Options, Outcome, process

    src = tmp_path / "a.txt"
    src.write_text("Body text of the article.   \n\n\n\nMore.\n", encoding="utf-8")
    settings = resolve("default")
    o = process(Source(src, "a.txt", "a.txt"), settings, Options(fix=True), RunInfo(mode="fix"))
    o.line = b"{}\n"
    slim = o.without_texts()
    assert isinstance(slim, Outcome) and slim.document is None and slim.result is None
    assert slim.output is None and slim.changed and slim.edits == o.edits > 0
    assert not slim.skipped and slim.findings == o.findings and slim.line == o.line
    unread = Outcome(o.source, None, [])
    assert unread.without_texts() is unread and unread.skipped


def test_fewer_collections_is_scoped_to_its_block() -> None:
    before = gc.get_threshold()
    with fewer_collections(12_345):
        assert gc.get_threshold() == (12_345, *before[1:])
    assert gc.get_threshold() == before
    try:
        with fewer_collections(54_321):
            raise KeyError("a document failed")
    except KeyError:
        pass
    assert gc.get_threshold() == before
