"""Concurrent runs on the same files or into the same folder: every file ends
fully old or fully new, and every ledger line is a whole record.

Why it holds: outputs are written to a temporary file and renamed into
place (hard-linked files are rewritten in place under an exclusive flock that
readers share), and each ledger line is one write() under an flock.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow.parquet as pq

N_FILES = 120


def _texts(i: int) -> tuple[str, str]:
    """Document ``i`` before and after fixing (sizes vary so runs drift apart)."""
    body = "".join(f"Paragraph {k} of story {i} says something new.\n" for k in range(i % 7 * 40))
    return (f"Story {i} begins here.  \n{body}The end.\t\n\n\n",
            f"Story {i} begins here.\n{body}The end.\n")


def _corpus(h: SimpleNamespace, n: int = N_FILES) -> list[Path]:
    return [h.write(f"tree/d{i:03}.txt", _texts(i)[0]) for i in range(n)]


def _whole_lines(path: Path) -> int:
    raw = path.read_bytes()
    assert raw.endswith(b"\n")
    lines = raw.decode("utf-8").splitlines()
    for line in lines:
        json.loads(line)  # a torn or interleaved line would not parse
    return len(lines)


def test_two_fix_processes_on_the_same_files(h: SimpleNamespace) -> None:
    paths = _corpus(h)
    os.link(paths[0], "tree/hardlink-of-d000.txt")
    args = ["fix", "--isolated", "--ledger", "ledger.jsonl", "tree"]
    procs = [h.popen(args), h.popen(args)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for code, err in results:
        assert code in (0, 1), err  # never a crash
    for i, p in enumerate(paths):
        assert p.read_text() == _texts(i)[1]
    assert Path("tree/hardlink-of-d000.txt").read_text() == _texts(0)[1]
    assert os.stat("tree/hardlink-of-d000.txt").st_ino == paths[0].stat().st_ino
    assert _whole_lines(Path("ledger.jsonl")) >= N_FILES  # the first run to reach a file logs it
    assert not [p for p in Path("tree").iterdir() if p.name.startswith(".")]  # no temp files


def test_a_fix_killed_midway_leaves_only_old_or_new_files(h: SimpleNamespace) -> None:
    paths = _corpus(h, 400)
    old = {p: p.read_text() for p in paths}
    proc = h.popen(["fix", "--isolated", "--ledger", "ledger.jsonl", "tree"])
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    new = {i: p.read_text() for i, p in enumerate(paths)}
    for i, p in enumerate(paths):
        assert new[i] in (old[p], _texts(i)[1]), p
    if Path("ledger.jsonl").exists():
        raw = Path("ledger.jsonl").read_bytes()
        complete = raw[: raw.rfind(b"\n") + 1]
        for line in complete.decode().splitlines():
            json.loads(line)


def test_two_report_runs_into_one_folder(h: SimpleNamespace) -> None:
    _corpus(h, 20)
    args = ["report", "--isolated", "--out", "rep", "tree"]
    procs = [h.popen(args), h.popen(args)]
    for p in procs:
        err = p.stderr.read() if p.stderr else ""
        assert p.wait(timeout=180) in (0, 1), err
    rep = Path("rep")
    for i in range(20):
        assert (rep / "clean" / f"d{i:03}.txt").read_text() == _texts(i)[1]
    records = _whole_lines(rep / "provenance.jsonl")
    assert records in (20, 40)  # each run appends its own records, none torn
    assert _whole_lines(rep / "findings.jsonl") > 0
    for name in ("findings", "documents"):
        assert len(pq.read_table(rep / f"{name}.parquet")) == len(pd.read_csv(rep / f"{name}.csv"))
    html = (rep / "report.html").read_text()
    assert html.rstrip().endswith("</html>")
    assert (rep / "summary.md").read_text().startswith("# provlint report")
    assert not [p for p in rep.rglob(".provlint-*")]  # no temporary files left
