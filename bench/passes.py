"""Where later fix passes spend their time, and whether their hits are local.

``engine.clean`` re-runs every rule over the whole text after each pass's
edits. This script runs ``clean`` on the dev split's raw texts with every
rule timed on its own (CPU time) and, for each pass after the first, sorts
each rule's hits into:

- *carried*: a hit of the previous pass, moved by the edits in between
  (same span after the shift, same message, same fix);
- *new* / *gone*: a hit that appears, or one not fixed that disappears
  (often because another rule's edit removed its lines); *near* when it is
  within ``--near`` lines of the lines an edit of the previous pass covered.

A rule whose new and gone hits are all near edits could, in principle, reuse
its previous results away from the changed lines; one with far ones cannot
(its hits depend on the whole text: the prose block, repeats, the head).
The first rule to ask for a text's lines, phrase index or layout pays for
building them; ``shared`` is that cost, timed once per pass.

    python bench/passes.py              # the whole dev split, default rules
    python bench/passes.py --mb 3 --rules aggressive
"""

from __future__ import annotations

import argparse
import bisect
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from provlint import engine, rulerun
from provlint.checks import phrase_index
from provlint.checks.prose import layout
from provlint.io import document_from_bytes
from provlint.lines import line_keys, split
from provlint.model import AppliedEdit, Document
from provlint.ruleset import resolve

RAW = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev" / "raw"
HitKey = tuple[int, int, str]  # start, end, message
# the per-text structures several rules share (the phrase index is private to the data rules)
SHARED = [f for f in (split, getattr(phrase_index, "_index", None), layout, line_keys)
          if f is not None]


class Tally:
    """CPU seconds and hit classes per rule and pass group."""

    def __init__(self) -> None:
        self.cpu: defaultdict[tuple[str, str], float] = defaultdict(float)  # (code, first|later)
        self.kinds: Counter[tuple[str, str]] = Counter()  # (code, carried | new-near | ...)
        self.passes: Counter[int] = Counter()


def _shift(edits: list[AppliedEdit]) -> Any:
    """Map a position of the text before ``edits`` to the text after (None inside an edit)."""
    ends = [(a.span.start, a.span.end, len(a.after) - len(a.before)) for a in edits]
    ends.sort()
    starts = [e[0] for e in ends]
    deltas = [0]
    for _, _, d in ends:
        deltas.append(deltas[-1] + d)

    def move(pos: int) -> int | None:
        i = bisect.bisect_right(starts, pos)  # edits starting at or before pos
        if i and ends[i - 1][0] < pos < ends[i - 1][1]:
            return None
        if i and ends[i - 1][0] == pos and ends[i - 1][1] > pos:
            i -= 1  # pos is the start of a replaced span: the text before it is unchanged
        return pos + deltas[i]

    return move


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


def _near(text: str, pos: int, marks: list[tuple[int, int]], lines: int) -> bool:
    """Whether ``pos`` is within ``lines`` lines of an edit (first to last line it covers)."""
    at = _line_of(text, pos)
    return any(lo - lines <= at <= hi + lines for lo, hi in marks)


def _keys(hits: Iterable[Any]) -> dict[str, set[HitKey]]:
    out: dict[str, set[HitKey]] = defaultdict(set)
    for h in hits:
        out[h[2]].add((h[0], h[1], h[3]))
    return out


def run(docs: list[Document], rule_set: str, near: int) -> Tally:
    settings = resolve(rule_set)
    tally = Tally()
    real_hits = rulerun._hits
    passes: list[tuple[str, list[Any]]] = []  # (text, hits) of each pass of this document

    def timed_hits(doc: Document, active: list[rulerun._Active], debug: bool,
                   lifted: dict[str, str] | None = None) -> list[Any]:
        group = "first" if not passes else "later"
        t0 = time.process_time()
        for build in SHARED:
            build(doc.text)
        tally.cpu[("shared", group)] += time.process_time() - t0
        out: list[Any] = []
        for item in active:
            t0 = time.process_time()
            found = real_hits(doc, [item], debug, lifted)
            tally.cpu[(item[0].rule.code, group)] += time.process_time() - t0
            out += [(*h[:4], len(out) + k, *h[5:]) for k, h in enumerate(found)]
        passes.append((doc.text, out))
        return out

    engine._hits = timed_hits  # type: ignore[attr-defined]  # the name clean calls
    try:
        for doc in docs:
            passes.clear()
            res = engine.clean(doc, settings, unsafe=settings.unsafe_fixes)
            tally.passes[len(passes)] += 1
            for k in range(1, len(passes)):
                _classify(passes[k - 1], passes[k],
                          [a for a in res.applied if a.pass_no == k], near, tally)
    finally:
        engine._hits = real_hits  # type: ignore[attr-defined]
    return tally


def _classify(before: tuple[str, list[Any]], after: tuple[str, list[Any]],
              edits: list[AppliedEdit], near: int, tally: Tally) -> None:
    move = _shift(edits)
    fixed: dict[str, list[tuple[int, int]]] = defaultdict(list)  # spans each rule edited
    for a in edits:
        fixed[a.code].append((a.span.start, a.span.end))
    old_text, new_text = before[0], after[0]
    old_marks = [(_line_of(old_text, a.span.start), _line_of(old_text, a.span.end))
                 for a in edits]
    new_marks = [(_line_of(new_text, a.out_start), _line_of(new_text, a.out_start + len(a.after)))
                 for a in edits]
    old, new = _keys(before[1]), _keys(after[1])
    for code in old.keys() | new.keys():
        moved = set()
        for start, end, msg in old.get(code, ()):
            if any(s <= end and start <= e for s, e in fixed.get(code, ())):
                continue  # its fix was applied
            s, e = move(start), move(end)
            if s is not None and e is not None and (s, e, msg) in new.get(code, ()):
                moved.add((s, e, msg))
                continue
            where = "near" if _near(old_text, start, old_marks, near) else "far"
            tally.kinds[(code, f"gone-{where}")] += 1
        for start, end, msg in new.get(code, ()):
            if (start, end, msg) in moved:
                tally.kinds[(code, "carried")] += 1
            else:
                where = "near" if _near(new_text, start, new_marks, near) else "far"
                tally.kinds[(code, f"new-{where}")] += 1


def report(tally: Tally) -> None:
    total = sum(tally.cpu.values())
    later = sum(v for (_, g), v in tally.cpu.items() if g == "later")
    print(f"passes per document: {dict(sorted(tally.passes.items()))}")
    print(f"rule CPU {total:.2f} s; later passes {later:.2f} s ({100 * later / total:.0f}%)")
    kinds = ("carried", "new-near", "new-far", "gone-near", "gone-far")
    print(f"{'rule':8s} {'first s':>8s} {'later s':>8s} " + " ".join(f"{k:>9s}" for k in kinds))
    codes = sorted({c for c, _ in tally.cpu}, key=lambda c: -tally.cpu[(c, "later")])
    for code in codes:
        row = " ".join(f"{tally.kinds[(code, k)]:9d}" for k in kinds)
        first, later = tally.cpu[(code, "first")], tally.cpu[(code, "later")]
        print(f"{code:8s} {first:8.3f} {later:8.3f} {row}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", type=Path, default=RAW)
    ap.add_argument("--mb", type=float, default=0, help="stop after this many MB (0: all)")
    ap.add_argument("--rules", default="default", help="rule set (default, aggressive)")
    ap.add_argument("--near", type=int, default=2, help="lines from an edit that count as near")
    args = ap.parse_args()
    docs: list[Document] = []
    total = 0
    for p in sorted(args.raw.glob("*.txt")):
        data = p.read_bytes()
        doc = document_from_bytes(p.name, data, p.name).document
        if doc is not None:
            docs.append(doc)
            total += len(data)
        if args.mb and total >= args.mb * 1e6:
            break
    print(f"{len(docs)} documents, {total / 1e6:.1f} MB, rule set {args.rules}")
    report(run(docs, args.rules, args.near))


if __name__ == "__main__":
    main()
