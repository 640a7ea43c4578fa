"""Peak memory and wall time of ``provlint report`` on a corpus, A/B between checkouts.

    python bench/report_memory.py ../shared/eval/dev/raw                  # this checkout
    python bench/report_memory.py PATH --tree . --tree ../main --runs 3   # interleaved A/B

Each run is a fresh ``provlint report --isolated --out TMP PATH`` with the
tree's ``validate/`` first on PYTHONPATH; runs of the trees alternate, so
load on a shared machine hits them alike. Peak RSS is what ``/usr/bin/time
-v`` reports: the largest single process (the main one or one worker), from
``getrusage(RUSAGE_CHILDREN)`` of a helper process that runs the command.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs the command and prints its wall time and its peak RSS (KiB) as JSON.
_PROBE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
print(json.dumps({"rc": rc, "wall": wall,
                  "rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def one_run(tree: Path, corpus: str, extra: list[str]) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tree / "validate"))
    with tempfile.TemporaryDirectory(prefix="provlint-mem-") as out:
        cmd = [sys.executable, "-m", "provlint", "report", "--isolated", "--out", out,
               *extra, corpus]
        proc = subprocess.run([sys.executable, "-c", _PROBE, *cmd], env=env,
                              capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(proc.stdout)
    if result["rc"] not in (0, 1):
        raise SystemExit(f"{tree}: provlint report exited {result['rc']}")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--tree", action="append", type=Path, default=[],
                    help="a checkout to measure (repeatable; default: this one)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--extra", action="append", default=[],
                    help="an extra argument for provlint report (repeatable)")
    args = ap.parse_args(argv)
    trees = [t.resolve() for t in args.tree] or [ROOT]
    got: dict[Path, list[dict[str, float]]] = {t: [] for t in trees}
    for i in range(args.runs):
        for tree in trees:
            r = one_run(tree, args.corpus, args.extra)
            got[tree].append(r)
            print(f"run {i + 1} {tree}: {r['wall']:.1f} s, peak RSS {r['rss_kib'] / 1024:.0f} MiB",
                  flush=True)
    print(f"\n{'tree':50s} {'median wall s':>14s} {'peak RSS MiB (max)':>19s}")
    for tree, runs in got.items():
        print(f"{tree!s:50s} {statistics.median(r['wall'] for r in runs):14.1f} "
              f"{max(r['rss_kib'] for r in runs) / 1024:19.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
