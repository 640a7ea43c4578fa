"""Peak memory of cleaning one document, against its size: the basis of the
``max-document-bytes`` default (README "Safety").

Each size runs ``provlint fix --out`` on one generated document of prose
lines with residue (trailing blanks, widget lines) in a fresh process and
reads the child's peak RSS; the interpreter's own baseline (``--version``)
is subtracted. Prints bytes in, peak MB, and the ratio per byte.

    python bench/hostile_memory.py                 # 1, 2 and 4 MiB
    python bench/hostile_memory.py --mib 1 4 16
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["the", "minister", "said", "on", "tuesday", "that", "new", "rules", "would", "take",
         "effect", "next", "spring", "after", "a", "long", "consultation", "with", "unions",
         "employers", "and", "regional", "governments"]


def document(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
        if rng.random() < 0.05:
            line += "   "
        if rng.random() < 0.02:
            line = "Live now\nPlaying for 1:23"
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """(peak RSS in MB, wall seconds) of one child process."""
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024, time.monotonic() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=float, nargs="+", default=[1, 2, 4])
    ns = ap.parse_args()
    base, _ = peak_rss_mb([sys.executable, "-m", "provlint", "--version"])
    print(f"baseline (provlint --version): {base:.0f} MB peak RSS")
    print(f"{'input MiB':>9}  {'peak MB':>8}  {'above base':>10}  {'x input':>7}  {'seconds':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for mib in ns.mib:
            size = int(mib * (1 << 20))
            doc = Path(tmp, "doc.txt")
            doc.write_text(document(size), encoding="utf-8")
            peak, secs = peak_rss_mb([sys.executable, "-m", "provlint", "fix", "--isolated",
                                      "--max-document-bytes", str(size * 2),
                                      "--out", str(Path(tmp, "out")), str(doc)])
            above = peak - base
            print(f"{mib:>9g}  {peak:>8.0f}  {above:>10.0f}  {above / (size / 1e6):>7.1f}"
                  f"  {secs:>7.1f}")


if __name__ == "__main__":
    main()
