"""CPU time per line of the shared per-line helpers, pure Python vs the C extension.

Runs each helper over the lines of the dev split's raw texts (``--texts`` of
them) with the per-line caches emptied first, so every line is computed (a
document's first fix pass), once with provlint's pure-Python code and once
with ``provlint._speedups``, alternating, best of ``--repeat``; prints
microseconds per line and the ratio.

    python bench/native_helpers.py
    python bench/native_helpers.py --texts 600 --repeat 5

Both paths run in this process. A per-line helper is timed as its pure twin
against its C twin, uncached. For the whole-text structures (split, keys,
index, layout) the modules' ``_C`` handle is set to None for the pure runs;
the per-line caches inside them are bound at import (to C when built), so
their "pure" figure still uses the C per-line helpers.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from provlint import lines, native
from provlint.checks import phrase_index, prose

RAW = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "raw"
MODULES = (lines, phrase_index, prose)
CACHED = (phrase_index._entry, phrase_index.phrase_key, lines.normalise, prose.shape,
          prose.credit_like, prose.nav_line, prose.symbol_only)


def _per_line(func: Callable[[str], object], texts: list[str], c: object, repeat: int,
              n_lines: int) -> float:
    for mod in MODULES:
        mod._C = c  # type: ignore[attr-defined]
    best = float("inf")
    for _ in range(repeat):
        for cached in CACHED:
            cached.cache_clear()
        t0 = time.process_time()
        for text in texts:
            func(text)
        best = min(best, time.process_time() - t0)
    return best * 1e6 / n_lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", type=Path, default=RAW)
    ap.add_argument("--texts", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if native.SPEEDUPS is None:
        sys.exit("provlint._speedups is not in use (not built, stale or PROVLINT_PURE set)")
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted(args.raw.glob("*.txt"))[: args.texts]]
    if not texts:
        sys.exit(f"no .txt files in {args.raw}")
    n_lines = sum(len(lines._split_py(t)) for t in texts)

    def each_line(func: Callable[[str], object]) -> Callable[[str], object]:
        return lambda text: [func(ln.text) for ln in lines._split_py(text)]

    c = native.SPEEDUPS
    per_line: list[tuple[str, Callable[[str], object], Callable[[str], object]]] = [
        ("normalise", lines._normalise_py, c.normalise),
        ("phrase entry (key, first word)", phrase_index._entry_py,
         partial(c.phrase_entry, lines.normalise)),
        ("shape", prose._shape_py, partial(c.shape_of, prose.Shape)),
        ("credit_like", prose._credit_like_py,
         partial(c.credit_like, prose._CREDIT_HINTS, prose._AGENCIES, prose._credit_like_py)),
    ]
    helpers: list[tuple[str, Callable[[str], object]]] = [
        ("split", lines._split),
        ("line_keys (split + normalise)", lines.line_keys.__wrapped__),
        ("data-rule index (split + keys)", phrase_index._Index),
        ("layout (split + shapes + block)", prose.layout.__wrapped__),
    ]
    print(f"{len(texts)} texts, {n_lines} lines; CPU us per line, best of {args.repeat}, "
          "caches emptied before each run")
    print(f"{'helper':34s} {'pure':>7s} {'C':>7s}  speed-up")
    for name, pure_func, c_func in per_line:
        pure = _per_line(each_line(pure_func), texts, None, args.repeat, n_lines)
        comp = _per_line(each_line(c_func), texts, c, args.repeat, n_lines)
        print(f"{name:34s} {pure:7.3f} {comp:7.3f}  {pure / comp:5.2f}x")
    for name, func in helpers:
        pure = _per_line(func, texts, None, args.repeat, n_lines)
        comp = _per_line(func, texts, native.SPEEDUPS, args.repeat, n_lines)
        print(f"{name:34s} {pure:7.3f} {comp:7.3f}  {pure / comp:5.2f}x")
    for mod in MODULES:
        mod._C = native.SPEEDUPS  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
