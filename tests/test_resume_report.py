"""A killed ``provlint report`` resumed with ``--resume`` reports what an uninterrupted
run reports: every table, summary.md, report.html, the SARIF/JUnit/GitHub/GitLab
files, the gate's verdict and the exit code (apart from run ids and timestamps),
with the local engine and the Dask engine, over text, JSONL and Parquet inputs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from pandas.testing import assert_frame_equal

from provlint.cli import cli
from provlint.ledger import read_lines, runs_path
from provlint.report.journal import journal_path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FORMATS = ("sarif", "junit", "github", "gitlab")
# boilerplate in most documents: the gate fails, and the exit code says so
GATE = ("--config", "gate.max-share-with-boilerplate = 0.02")


def _texts(n: int) -> list[str]:
    """``n`` different dirty texts cut from the seeds (fixable and unfixable findings,
    blank runs, trailing white space, repeated lines, boilerplate; some left clean)."""
    lines = [ln for seed in sorted(SEEDS.glob("*.txt"))
             for ln in seed.read_text(encoding="utf-8").splitlines()]
    out = []
    for i in range(n):
        start = (i * 7) % len(lines)
        body = lines[start:start + 6 + i % 9] or lines[:5]
        if i % 5 == 0:
            out.append(f"A clean note number {i}.\n")
            continue
        extra = ["Share this", "Listen live", "  ", ""] if i % 2 else ["Read more", "", "", ""]
        out.append("\n".join([f"Headline {i}  ", *body, *extra, body[0], f"End {i}."]) + "\n")
    return out


def make_corpus(root: Path, n: int = 24) -> Path:
    """Text files in two folders, a JSONL shard and a Parquet shard."""
    src = root / "corpus"
    (src / "b").mkdir(parents=True)
    texts = _texts(3 * n)
    for i, text in enumerate(texts[:n]):
        (src / ("b" if i % 2 else "") / f"d{i:03}.txt").write_text(text, encoding="utf-8")
    (src / "records.jsonl").write_text("".join(
        json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts[n:2 * n])))
    pd.DataFrame({"id": [f"p{i}" for i in range(n)], "text": texts[2 * n:]}).to_parquet(
        src / "part.parquet", index=False)
    return src


def _args(src: Path, out: Path, *extra: str) -> list[str]:
    reports = [a for fmt in FORMATS for a in ("--report", f"{fmt}={out}/ci.{fmt}")]
    return ["report", str(src), "--out", str(out), "--isolated", *GATE, *reports, *extra]


def report(src: Path, out: Path, *extra: str) -> int:
    res = CliRunner().invoke(cli, _args(src, out, *extra))
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return res.exit_code


def _run_of(out: Path) -> tuple[str, str]:
    """(id, start time) of the last run into ``out``."""
    starts = [e for _, e in read_lines(runs_path(out / "provenance.jsonl")).items
              if e["event"] == "start"]
    return starts[-1]["run"]["id"], starts[-1]["run"]["started"]


def reported(out: Path) -> dict[str, object]:
    """Every report output of the last run into ``out``, run id and start time masked."""
    run_id, started = _run_of(out)
    got: dict[str, object] = {}
    for name in ("documents.csv", "findings.csv", "findings.jsonl", "summary.md", "report.html",
                 *(f"ci.{fmt}" for fmt in FORMATS)):
        got[name] = (out / name).read_text(encoding="utf-8").replace(
            run_id, "RUN").replace(started, "STARTED")
    for name in ("documents", "findings"):
        got[name] = pd.read_parquet(out / f"{name}.parquet").drop(columns="run_id")
    return got


def assert_same_report(full: Path, resumed: Path) -> None:
    want, got = reported(full), reported(resumed)
    assert set(want) == set(got)
    for name, value in want.items():
        if isinstance(value, pd.DataFrame):
            assert_frame_equal(got[name], value, check_exact=True)  # type: ignore[arg-type]
        else:
            assert got[name] == value, name


def _records(ledger: Path) -> list[bytes]:
    return ledger.read_bytes().splitlines(keepends=True) if ledger.is_file() else []


def interrupt(out: Path, kept: int) -> None:
    """``out`` as a run killed after its ``kept``-th record would leave it: the ledger's
    first ``kept`` records and half a line; in the rows journal (written just before
    each record) one line more and half a line; no end of run, no report files, no
    record shards (they are renamed into place when whole)."""
    ledger = out / "provenance.jsonl"
    for path, keep in ((ledger, kept), (journal_path(ledger), kept + 1)):
        lines = _records(path)
        if lines:
            path.write_bytes(b"".join(lines[:keep]) + lines[keep][: len(lines[keep]) // 2])
    manifest = runs_path(ledger)
    manifest.write_bytes(b"".join(ln for ln in _records(manifest) if b'"end"' not in ln))
    for p in out.iterdir():
        if p.is_file() and p.name.split(".")[0] not in {"provenance"}:
            p.unlink()
    for p in (out / "clean").iterdir():
        if p.suffix in {".jsonl", ".parquet"}:
            p.unlink()


def _skipped(out: Path) -> int:
    events = [e for _, e in read_lines(runs_path(out / "provenance.jsonl")).items]
    last = max(i for i, e in enumerate(events) if e["event"] == "start")
    return sum(1 for e in events[last:] if e["event"] == "skip"
               and e["reason"] == "already in the ledger (--resume)")


@pytest.mark.parametrize("engine", [("--jobs", "1"), ("--jobs", "2")])
def test_resumed_report_equals_an_uninterrupted_one(tmp_path: Path,
                                                    engine: tuple[str, str]) -> None:
    src = make_corpus(tmp_path)
    full, out = tmp_path / "full", tmp_path / "out"
    assert report(src, full, *engine) == 1  # the gate fails
    assert report(src, out, *engine) == 1
    interrupt(out, kept=40)  # all the text files and some records
    assert report(src, out, *engine, "--resume") == 1
    assert _skipped(out) == 40
    assert_same_report(full, out)


def test_resume_with_a_baseline_and_sarif_the_killed_run_did_not_have(tmp_path: Path) -> None:
    """Run-specific parts of a row are the resuming run's: its baseline; rows saved
    without fix regions are not used when this run's SARIF wants them."""
    src = make_corpus(tmp_path, n=8)
    full, out = tmp_path / "full", tmp_path / "out"
    base = tmp_path / "baseline.json"
    res = CliRunner().invoke(cli, ["check", str(src / "d000.txt"), str(src / "b"),
                                   "--isolated", "--write-baseline", str(base)])
    assert base.is_file(), res.output
    code = report(src, full, "--jobs", "1", "--baseline", str(base))
    res = CliRunner().invoke(cli, ["report", str(src), "--out", str(out), "--isolated",
                                   "--no-html", "--exit-zero", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    interrupt(out, kept=12)
    assert report(src, out, "--jobs", "1", "--resume", "--baseline", str(base)) == code
    assert _skipped(out) == 0  # the saved rows have no fix regions: all run again
    full_docs = pd.read_csv(full / "findings.csv")
    assert full_docs["baseline_suppressed"].any()
    assert_same_report(full, out)
    (out / "clean" / "d000.txt").unlink()  # and once more: now every row is saved with fixes
    assert report(src, out, "--jobs", "1", "--resume", "--baseline", str(base)) == code
    assert _skipped(out) == 3 * 8
    assert_same_report(full, out)


def test_resume_with_the_dask_engine(tmp_path: Path) -> None:
    src = make_corpus(tmp_path, n=12)
    full, out = tmp_path / "full", tmp_path / "out"
    assert report(src, full, "--engine", "dask") == 1
    assert report(src, out, "--engine", "dask") == 1
    interrupt(out, kept=20)
    assert report(src, out, "--engine", "dask", "--resume") == 1
    assert _skipped(out) == 20
    assert_same_report(full, out)


def test_resume_after_a_real_kill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kill -9`` of a running report (worker processes), then ``--resume``."""
    monkeypatch.chdir(tmp_path)  # the same command in the same folder: the same document paths
    src = make_corpus(tmp_path, n=600)
    full, out = tmp_path / "full", tmp_path / "out"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent / "validate")
    proc = subprocess.Popen([sys.executable, "-m", "provlint", *_args(src, out, "--jobs", "2")],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    ledger = out / "provenance.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(_records(ledger)) >= 100:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    recorded = len(read_lines(ledger).items)  # whole records (a torn last line runs again)
    assert 100 <= recorded < 1800  # killed mid-run
    assert report(src, out, "--jobs", "2", "--resume") == 1
    assert _skipped(out) == recorded  # every recorded document had its rows saved first
    assert report(src, full, "--jobs", "2") == 1
    assert_same_report(full, out)
