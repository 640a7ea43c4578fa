"""Temporary files a killed run leaves in a report's output folder are swept by the
next run into it; a live run's temporary files (locked by their writer) are not."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from provlint.atomic import sweep_temps, temp_file
from provlint.cli import cli

VALIDATE = Path(__file__).resolve().parent.parent / "validate"
KILLED = """
import os, signal, sys
from pathlib import Path
from provlint.atomic import temp_file
fd, name = temp_file(Path(sys.argv[1]), sys.argv[2])
os.write(fd, b"half a shard")
print(name, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_temp(folder: Path, prefix: str) -> Path:
    """A temporary file made by a process that was then killed (``kill -9``)."""
    env = {**os.environ, "PYTHONPATH": str(VALIDATE)}
    proc = subprocess.run([sys.executable, "-c", KILLED, str(folder), prefix], env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    path = Path(proc.stdout.strip())
    assert path.exists()
    return path


def test_only_the_temporary_files_of_dead_runs_are_swept(tmp_path: Path) -> None:
    dead = killed_temp(tmp_path, ".a.jsonl.gz.")
    fd, live = temp_file(tmp_path, ".b.jsonl.gz.")  # a live run's: still open and locked
    os.write(fd, b"being written")
    young = tmp_path / ".c.jsonl.0123456789ab.tmp"  # just made, not yet locked by its writer
    young.touch()
    mine = tmp_path / ".notes.tmp"  # not a name provlint gives
    mine.write_text("keep")
    try:
        assert sweep_temps(tmp_path) == 1
        assert not dead.exists()
        assert Path(live).exists() and young.exists() and mine.exists()
    finally:
        os.close(fd)
    assert sweep_temps(tmp_path) == 1 and not Path(live).exists()  # its writer died


def test_resume_sweeps_what_the_killed_run_left(tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text(json.dumps({"id": "1", "text": "Body.  \n"}) + "\n")
    out = tmp_path / "out"
    (out / "clean").mkdir(parents=True)
    shard = killed_temp(out / "clean", ".c.jsonl.")
    table = killed_temp(out, ".provlint-")
    res = CliRunner().invoke(cli, ["report", "--isolated", "--no-html", "--jobs", "1",
                                   "--resume", "--out", str(out), str(src)])
    assert res.exit_code == 0, res.output
    assert "removed 2 temporary files that an interrupted run left" in res.stderr
    assert not shard.exists() and not table.exists()
    assert sorted(p.name for p in (out / "clean").iterdir()) == ["c.jsonl"]
