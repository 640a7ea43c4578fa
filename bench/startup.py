"""Start-to-exit wall time of the pre-commit path on one small file.

Compares ``provlint check FILE`` with pre-commit-hooks' ``trailing-whitespace-fixer
FILE`` (what a repository would otherwise run for the same job) and a bare
``python -c pass`` (the floor every Python hook pays). The commands take turns,
``--runs`` rounds after ``--warmup`` untimed ones, so a change in the machine's
load hits all of them alike; the file is rewritten before every run (outside
the timing) so a fixer always sees the same input. Console
scripts are called by their real path next to this interpreter, not through a
version-manager shim, which would add its own start-up. provlint runs as a hook
does, with its start-up cache (.provlint_cache/, filled by the warm-up runs) in
the working folder; ``--no-cache`` shows the cold start.

    python bench/startup.py                 # 30 runs each, a seed as the file
    python bench/startup.py --runs 50 --file some.txt
    python bench/startup.py --no-pth-code   # as on a machine without import hooks in .pth

``--no-pth-code`` runs every command with ``python -S`` and the folders that
site-packages and its ``.pth`` files name on PYTHONPATH, leaving out the code
lines of ``.pth`` files (a sandbox or IDE hook that imports something in
every Python process would otherwise be part of every figure). A PYTHONPATH
set in this shell stays first, as it would without ``-S``, so
``PYTHONPATH=$PWD/validate python bench/startup.py --no-pth-code`` times the
provlint of this checkout rather than the installed one.
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
ENV = {k: v for k, v in os.environ.items()
       if k not in ("PYTHONDONTWRITEBYTECODE", "PROVLINT_NO_CACHE", "PROVLINT_CACHE_DIR")}


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


def without_pth_code(cmd: list[str]) -> tuple[list[str], dict[str, str]]:
    """``cmd`` under ``python -S`` with site-packages and the .pth folders on PYTHONPATH."""
    site = Path(sysconfig.get_path("purelib"))
    folders = [p for p in ENV.get("PYTHONPATH", "").split(os.pathsep) if p]
    folders.append(str(site))
    for pth in sorted(site.glob("*.pth")):
        for line in pth.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith(("#", "import ", "import\t")):
                folders.append(str((site / line.strip()).resolve()))
    argv = cmd[1:] if cmd[0] == sys.executable else cmd
    return [sys.executable, "-S", *argv], {**ENV, "PYTHONPATH": os.pathsep.join(folders)}


def time_runs(commands: dict[str, tuple[list[str], dict[str, str]]], target: Path, data: bytes,
              runs: int, warmup: int, cwd: Path) -> dict[str, tuple[list[float], list[float]]]:
    """Wall-clock and CPU (user + system) milliseconds of each timed run of each command.

    CPU time moves less than wall time when other work shares the machine.
    """
    out: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
    for i in range(warmup + runs):
        for name, (cmd, env) in commands.items():
            target.write_bytes(data)
            c0, start = _cpu(), time.perf_counter()
            subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=env, check=False)
            elapsed, used = (time.perf_counter() - start) * 1000, (_cpu() - c0) * 1000
            if i >= warmup:
                out[name][0].append(elapsed)
                out[name][1].append(used)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE, help="the small input file")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--no-pth-code", action="store_true",
                    help="python -S with the .pth folders on PYTHONPATH, without .pth code lines")
    args = ap.parse_args(argv)
    data = args.file.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        target = cwd / "story.txt"
        plain = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "trailing-whitespace-fixer FILE": [script("trailing-whitespace-fixer"), "story.txt"],
            "provlint check FILE": [script("provlint"), "check", "--isolated", "story.txt"],
            "provlint check --no-cache FILE": [script("provlint"), "check", "--isolated",
                                               "--no-cache", "story.txt"],
            "provlint fix FILE": [script("provlint"), "fix", "--isolated", "story.txt"],
        }
        commands = {name: without_pth_code(cmd) if args.no_pth_code else (cmd, ENV)
                    for name, cmd in plain.items()}
        print(f"file: {args.file} ({len(data)} bytes); {args.runs} runs after {args.warmup} "
              f"warm-up; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}"
              + ("; python -S without .pth code" if args.no_pth_code else ""))
        print(f"{'command':<34} {'median ms':>10} {'min ms':>8} {'p90 ms':>8} {'CPU ms':>8}")
        medians = {}
        for name, (wall, cpu) in time_runs(commands, target, data, args.runs, args.warmup,
                                           cwd).items():
            t = sorted(wall)
            p90 = t[min(len(t) - 1, int(len(t) * 0.9))]
            medians[name] = statistics.median(t)
            print(f"{name:<34} {medians[name]:>10.1f} {t[0]:>8.1f} {p90:>8.1f} "
                  f"{statistics.median(cpu):>8.1f}")
        check = medians["provlint check FILE"]
        print(f"provlint check / trailing-whitespace-fixer: "
              f"{check / medians['trailing-whitespace-fixer FILE']:.2f}x "
              f"(the issue's 60 ms / 22 ms: {60 / 22:.2f}x); provlint check / bare python: "
              f"{check / medians['python -c pass']:.2f}x (60 / 9: {60 / 9:.2f}x)")


if __name__ == "__main__":
    main()
