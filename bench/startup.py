"""Start-to-exit wall time of the pre-commit path on one small file.

Compares ``provlint check FILE`` with pre-commit-hooks' ``trailing-whitespace-fixer
FILE`` (what a repository would otherwise run for the same job) and a bare
``python -c pass`` (the floor every Python hook pays). Each command runs
``--runs`` times after ``--warmup`` untimed runs; the file is rewritten before
every run (outside the timing) so a fixer always sees the same input. Console
scripts are called by their real path next to this interpreter, not through a
version-manager shim, which would add its own start-up.

    python bench/startup.py                 # 30 runs each, a seed as the file
    python bench/startup.py --runs 50 --file some.txt
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "seeds" / "001_37c17d20fe168d34.txt"
# As on a user's machine: bytecode is cached (the warm-up runs write it), so a
# PYTHONDONTWRITEBYTECODE in this shell does not turn every run into a compile.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def script(name: str) -> str:
    """The console script installed for this interpreter (not a shim on PATH)."""
    path = Path(sysconfig.get_path("scripts")) / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed (pip install -e '.[test]')")
    return found


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_runs(cmd: list[str], target: Path, data: bytes, runs: int, warmup: int,
              cwd: Path) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) milliseconds of each timed run of ``cmd``.

    CPU time hardly moves when other work shares the machine; wall time does.
    """
    wall, cpu = [], []
    for i in range(warmup + runs):
        target.write_bytes(data)
        c0, start = _cpu(), time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=ENV, check=False)
        elapsed, used = (time.perf_counter() - start) * 1000, (_cpu() - c0) * 1000
        if i >= warmup:
            wall.append(elapsed)
            cpu.append(used)
    return wall, cpu


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE, help="the small input file")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args(argv)
    data = args.file.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        target = cwd / "story.txt"
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "trailing-whitespace-fixer FILE": [script("trailing-whitespace-fixer"), "story.txt"],
            "provlint check FILE": [script("provlint"), "check", "--isolated", "story.txt"],
            "provlint fix FILE": [script("provlint"), "fix", "--isolated", "story.txt"],
        }
        print(f"file: {args.file} ({len(data)} bytes); {args.runs} runs after {args.warmup} "
              f"warm-up; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
        print(f"{'command':<34} {'median ms':>10} {'min ms':>8} {'p90 ms':>8} {'CPU ms':>8}")
        for name, cmd in commands.items():
            wall, cpu = time_runs(cmd, target, data, args.runs, args.warmup, cwd)
            t = sorted(wall)
            p90 = t[min(len(t) - 1, int(len(t) * 0.9))]
            print(f"{name:<34} {statistics.median(t):>10.1f} {t[0]:>8.1f} {p90:>8.1f} "
                  f"{statistics.median(cpu):>8.1f}")


if __name__ == "__main__":
    main()
