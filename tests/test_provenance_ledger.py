"""Ledger append safety: concurrent writers, SIGKILL mid-run, torn lines."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from provlint.ledger import read_lines, runs_path
from provlint.verify import verify_ledger

WRITER = """
import sys
from pathlib import Path
from provlint.ledger import Ledger
tag, n = sys.argv[1], int(sys.argv[2])
with Ledger(Path(sys.argv[3])) as led:
    for i in range(n):
        led.write({"tag": tag, "i": i, "pad": tag * (50_000 + i)})
"""


def test_two_processes_never_interleave_half_lines(tmp_path: Path) -> None:
    ledger = tmp_path / "provenance.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, tag, "150", str(ledger)])
             for tag in "ab"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    lines = ledger.read_bytes().split(b"\n")
    assert lines[-1] == b""
    rows = [json.loads(line) for line in lines[:-1]]
    for tag in "ab":
        mine = [r for r in rows if r["tag"] == tag]
        assert [r["i"] for r in mine] == list(range(150))
        assert all(r["pad"] == tag * (50_000 + r["i"]) for r in mine)


def _corpus(root: Path, n: int) -> None:
    for i in range(n):
        d = root / f"d{i // 500:02d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{i:05d}.txt").write_bytes(
            f"Title {i}  \r\n\r\n\r\n\r\nBody text {i}\u00a0 here.\r\nShare this\r\n".encode())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent / "validate")
    return env


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie nobody has reaped)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def test_sigkill_mid_run_leaves_only_complete_verifiable_lines(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus", 3000)
    out = tmp_path / "rep"
    ledger = out / "provenance.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "provlint", "report", "--isolated", "--no-html", "--out", str(out),
         str(tmp_path / "corpus")], cwd=tmp_path, env=_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if ledger.is_file() and ledger.read_bytes().count(b"\n") >= 300:
            break
        time.sleep(0.02)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert workers  # a pool ran (--jobs defaults to every core)
    deadline = time.monotonic() + 20
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers))  # the workers did not outlive the killed run
    data = ledger.read_bytes()
    assert data.endswith(b"\n")
    got = read_lines(ledger)
    assert not got.damaged and not got.torn_tail
    records = [rec for _, rec in got.items]
    assert 300 <= len(records) < 3000
    for rec in records:
        cleaned = out / rec["output"]["path"]
        assert "sha256:" + hashlib.sha256(cleaned.read_bytes()).hexdigest() == \
            rec["output"]["digest"]
    v = verify_ledger(ledger)
    assert {p.kind for p in v.problems} == {"missing"}
    assert len(v.problems) == 3000 - len(records)
    assert v.intact == v.restored == len(records)
    events = [ev["event"] for _, ev in read_lines(runs_path(ledger)).items]
    assert events[0] == "start" and "end" not in events


def test_two_report_runs_into_one_folder(tmp_path: Path) -> None:
    _corpus(tmp_path / "c1", 40)
    _corpus(tmp_path / "c2", 40)
    out = tmp_path / "rep"
    procs = [subprocess.Popen([sys.executable, "-m", "provlint", "report", "--isolated",
                               "--no-html", "--out", str(out), str(tmp_path / c)],
                              cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL)
             for c in ("c1", "c2")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    got = read_lines(out / "provenance.jsonl")
    assert not got.damaged and not got.torn_tail and len(got.items) == 80
    runs = read_lines(runs_path(out / "provenance.jsonl"))
    assert sorted(ev["event"] for _, ev in runs.items) == ["end", "end", "plan", "plan",
                                                           "start", "start"]


def test_a_run_over_many_paths_keeps_them_once_not_in_every_record(tmp_path: Path) -> None:
    """Each record names the run's first arguments and how many more there were; the
    run log's start event has them all (a ledger of N files no longer grows with N**2)."""
    from provlint.provenance import ARGV_IN_RECORD

    _corpus(tmp_path / "c", 100)
    paths = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "c").rglob("*.txt"))
    ledger = tmp_path / "ledger.jsonl"
    argv = ["fix", "--isolated", "--out", "cleaned", "--ledger", str(ledger), *paths]
    subprocess.run([sys.executable, "-m", "provlint", *argv], cwd=tmp_path, env=_env(),
                   stdout=subprocess.DEVNULL, timeout=120, check=False)
    records = [rec for _, rec in read_lines(ledger).items]
    assert len(records) == len(paths)
    for rec in records:
        assert len(rec["run"]["argv"]) == ARGV_IN_RECORD
        assert rec["run"]["argv_omitted"] == len(argv) + 1 - ARGV_IN_RECORD  # + the program
    start = next(ev for _, ev in read_lines(runs_path(ledger)).items if ev["event"] == "start")
    assert start["run"]["argv"][-len(paths):] == paths
    # the program by its name, not where it is installed (python -m: .../provlint/__main__.py)
    assert start["run"]["argv"][:2] == records[0]["run"]["argv"][:2] == ["provlint", "fix"]
