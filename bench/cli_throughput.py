"""Throughput (MB/s) of `provlint check` and `provlint fix` on a few hundred MB of files.

bench/throughput.py compares provlint's engine with its peers on an in-memory
corpus; this script measures what a user runs: the commands on files.

The corpus is built in a temporary folder by repeating the seeds and the dev
split's raw extractor outputs (../shared/eval/dev/raw, read only) until it
reaches ``--size`` MB; each repetition goes into its own sub-folder. Then:

- engine: in this process, ``runner.process`` on every file (read, decode,
  check or clean + provenance record), so no start-up and no output cost;
- cli: ``provlint check DIR`` / ``provlint fix --out OUT DIR`` as a real
  process on the whole folder (start-up, discovery, output, writes);
  ``cli-fix-jN`` / ``report-jN`` pin ``--jobs N`` (``report`` without the HTML
  page), and a pair of N = 1 and 2 prints the 1 -> 2 process scaling.

MB are 10**6 bytes of input. The default rule set, no configuration file.

    python bench/cli_throughput.py                    # ~300 MB, every mode
    python bench/cli_throughput.py --size 50 --modes engine-check,cli-check
    python bench/cli_throughput.py --size 50 --modes cli-fix-j1,cli-fix-j2,report-j1,report-j2
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from provlint.discovery import discover
from provlint.provenance import RunInfo
from provlint.ruleset import resolve
from provlint.runner import Options, process

ROOT = Path(__file__).resolve().parents[1]
DEV_RAW = ROOT.parent / "shared" / "eval" / "dev" / "raw"
MODES = ("engine-check", "engine-fix", "cli-check", "cli-fix", "cli-fix-j1", "cli-fix-j2",
         "report-j1", "report-j2")
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",
                                                        "PROVLINT_OUTPUT_FORMAT")}


def source_files(dev_raw: Path) -> list[Path]:
    files = sorted((ROOT / "seeds").glob("*.txt"))
    if dev_raw.is_dir():
        files += sorted(dev_raw.glob("*.txt"))
    else:
        print(f"note: {dev_raw} not found; repeating the seeds only", file=sys.stderr)
    return files


def build_corpus(dest: Path, size_bytes: int, files: list[Path]) -> tuple[int, int]:
    """Copy ``files`` round after round into dest/rNNN/ until ``size_bytes``."""
    blobs = [(p.name, p.read_bytes()) for p in files]
    total = count = 0
    while total < size_bytes:
        name, data = blobs[count % len(blobs)]
        folder = dest / f"r{count // len(blobs):03d}"
        if count % len(blobs) == 0:
            folder.mkdir(parents=True)
        (folder / name).write_bytes(data)
        total += len(data)
        count += 1
    return count, total


def engine(corpus: Path, fix: bool) -> None:
    settings = resolve("default")
    opts = Options(fix=fix)
    run = RunInfo(mode="fix" if fix else "check")
    for source in discover([str(corpus)]):
        process(source, settings, opts, run)


def cli(args: list[str], cwd: Path) -> None:
    exe = Path(sysconfig.get_path("scripts")) / "provlint"
    cmd = [str(exe) if exe.exists() else "provlint", *args]
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")


def timed(fn: Callable[[], None]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the child processes (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    fn()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=300, help="corpus size in MB (default 300)")
    ap.add_argument("--modes", default=",".join(MODES), help=f"comma-separated: {MODES}")
    ap.add_argument("--dev-raw", type=Path, default=DEV_RAW)
    ap.add_argument("--keep", type=Path, default=None,
                    help="build the corpus here and keep it (default: a temporary folder)")
    args = ap.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = sorted(set(modes) - set(MODES))
    if unknown:
        ap.error(f"unknown mode(s) {unknown}")
    with tempfile.TemporaryDirectory(prefix="provlint-bench-") as tmp:
        work = args.keep or Path(tmp)
        corpus = work / "corpus"
        files, size = build_corpus(corpus, int(args.size * 1e6), source_files(args.dev_raw))
        print(f"corpus: {files} files, {size / 1e6:.1f} MB ({len(source_files(args.dev_raw))} "
              f"distinct texts repeated); {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
        jobs: dict[str, Callable[[], None]] = {
            "engine-check": lambda: engine(corpus, fix=False),
            "engine-fix": lambda: engine(corpus, fix=True),
            "cli-check": lambda: cli(["check", "--isolated", "--output-format", "concise",
                                      "corpus"], work),
            "cli-fix": lambda: cli(["fix", "--isolated", "--out", "cleaned", "corpus"], work),
        }
        for n in (1, 2):
            jobs[f"cli-fix-j{n}"] = fixed_jobs(["fix", "--isolated", "--exit-zero", "--out"], n,
                                               work)
            jobs[f"report-j{n}"] = fixed_jobs(["report", "--isolated", "--exit-zero", "--no-html",
                                               "--out"], n, work)
        print(f"{'mode':<14} {'seconds':>9} {'MB/s':>8} {'files/s':>9} {'child CPU s':>12}")
        took: dict[str, float] = {}
        for mode in modes:
            secs, cpu = timed(jobs[mode])
            took[mode] = secs
            print(f"{mode:<14} {secs:>9.1f} {size / 1e6 / secs:>8.2f} {files / secs:>9.0f} "
                  f"{cpu if mode.startswith(('cli', 'report')) else float('nan'):>12.1f}",
                  flush=True)
        for name in ("cli-fix", "report"):
            if f"{name}-j1" in took and f"{name}-j2" in took:
                print(f"{name}: --jobs 1 -> 2 scaling "
                      f"{took[f'{name}-j1'] / took[f'{name}-j2']:.2f}x (wall time)")


def fixed_jobs(head: list[str], n: int, work: Path) -> Callable[[], None]:
    """``provlint <head> OUT --jobs n corpus`` into a fresh output folder."""
    def run() -> None:
        out = work / f"out-{head[0]}-j{n}"
        shutil.rmtree(out, ignore_errors=True)
        cli([*head, str(out), "--jobs", str(n), "corpus"], work)
        shutil.rmtree(out, ignore_errors=True)
    return run


if __name__ == "__main__":
    main()
