"""Train PL220's line classifier (rules/model/line_classifier.json) on the dev labels.

    python bench/train_line_classifier.py                 # cross-validate, then write the model
    python bench/train_line_classifier.py --cv-only       # report only, write nothing
    python bench/train_line_classifier.py --e2e OUTDIR    # also clean each held-out fold with
                                                          # its fold's model into OUTDIR (score it
                                                          # with score.py dev OUTDIR --by extractor)

Reads ``$EVAL_DATA/dev`` (default ../shared/eval/dev beside the repository): raw extractor
output, line labels and per-document facts. Training only: nothing at run time reads the eval data.

Each raw document is first cleaned by the default rule set without PL220 (the text PL220 sees
once the other rules are done); the cleaned lines are matched back to their labelled raw lines.
Features come from ``provlint.checks.learned.features`` (the rule's own definition). Word
features are kept only when they occur on at least ``--min-sites`` websites of the training
fold, so no website's own wording is learnt. Logistic regression (scikit-learn, training only);
cross-validation is grouped by registered domain (GroupKFold), so every score is on websites the
fold's model never saw. The threshold is the lowest probability at which the out-of-fold removal
precision of the classifier's own deletions reaches ``--precision`` on all four extractors (on
the main-content extractors alone it is lower, about 0.87-0.9: a part of that is label noise).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from provlint.checks.learned import features
from provlint.engine import clean
from provlint.io import decode, encode
from provlint.lines import split
from provlint.model import Applicability, Document, Hit
from provlint.registry import RULES_DIR, Rule
from provlint.ruleset import Layer, Settings, resolve

_BESIDE = Path(__file__).resolve().parents[2] / "shared" / "eval"
EVAL = Path(os.environ.get("EVAL_DATA", _BESIDE)) / "dev"
MAIN = ("traf", "resi", "rdbl")
WORD_PREFIXES = ("f:", "l:", "u:")


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def load_rows(base: Settings) -> tuple[list[dict[str, object]], dict[str, str]]:
    """One row per scorable line of each default-cleaned document: features, label, site."""
    docs = {d["doc"]: d for d in map(json.loads, (EVAL / "docs.jsonl").open(encoding="utf-8"))}
    labels: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    with (EVAL / "labels.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            labels[r["doc"]].append((r["line"], r["text"], r["label"]))
    rows: list[dict[str, object]] = []
    for doc_id in sorted(docs):
        text, _ = decode((EVAL / "raw" / f"{doc_id}.txt").read_bytes())
        out = clean(Document(doc_id, text), base).text
        raw = [(_key(t), lab) for _, t, lab in sorted(labels[doc_id])]
        label_of: dict[int, str] = {}
        pos = 0
        for ln in split(out):
            if ln.blank:
                continue
            k = _key(ln.text)
            for j in range(pos, min(len(raw), pos + 400)):
                if raw[j][0] == k:
                    label_of[ln.index], pos = raw[j][1], j + 1
                    break
        ext = doc_id.rsplit("-", 1)[1]
        cand = features(out)
        for i, feats in cand.rows:
            lab = label_of.get(i)
            if lab in ("content", "artifact", "mixed"):
                rows.append({"doc": doc_id, "site": docs[doc_id]["regdom"], "ext": ext,
                             "feats": feats, "label": lab, "text": cand.lay.lines[i].text})
    return rows, {d: docs[d]["regdom"] for d in docs}


def vocabulary(rows: Sequence[dict[str, object]], min_sites: int) -> dict[str, int]:
    """Feature index: all non-word features, word features seen on ``min_sites`` sites."""
    sites: dict[str, set[object]] = defaultdict(set)
    for r in rows:
        for f in r["feats"]:  # type: ignore[attr-defined]
            sites[f].add(r["site"])
    keep = sorted(f for f, s in sites.items()
                  if not f.startswith(WORD_PREFIXES) or len(s) >= min_sites)
    return {f: n for n, f in enumerate(keep)}


def matrix(rows: Sequence[dict[str, object]], vocab: dict[str, int]) -> csr_matrix:
    indptr, indices = [0], []
    for r in rows:
        cols = sorted({vocab[f] for f in r["feats"] if f in vocab})  # type: ignore[attr-defined]
        indices.extend(cols)
        indptr.append(len(indices))
    data = np.ones(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)))


def fit(rows: Sequence[dict[str, object]], c: float, min_sites: int
        ) -> tuple[LogisticRegression, dict[str, int]]:
    vocab = vocabulary(rows, min_sites)
    y = np.array([r["label"] == "artifact" for r in rows], dtype=int)
    model = LogisticRegression(C=c, solver="liblinear", max_iter=2000)
    model.fit(matrix(rows, vocab), y)
    return model, vocab


def export(model: LogisticRegression, vocab: dict[str, int], threshold: float,
           meta: dict[str, object]) -> dict[str, object]:
    coef = model.coef_[0]
    weights = {f: round(float(coef[n]), 4) for f, n in sorted(vocab.items())
               if abs(coef[n]) >= 1e-4}
    return {"kind": "logistic-regression", "bias": round(float(model.intercept_[0]), 4),
            "threshold": threshold, **meta, "weights": weights}


def removal(rows: Sequence[dict[str, object]], probs: np.ndarray, t: float,
            exts: Sequence[str]) -> tuple[int, int]:
    """(artifact lines, content lines) the classifier deletes at threshold t."""
    art = con = 0
    for r, p in zip(rows, probs, strict=True):
        if p >= t and r["ext"] in exts:
            art += r["label"] == "artifact"
            con += r["label"] == "content"
    return art, con


def precision(art: int, con: int) -> float:
    return art / (art + con) if art + con else 1.0


def folds(rows: Sequence[dict[str, object]], k: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    groups = [r["site"] for r in rows]
    yield from GroupKFold(n_splits=k).split(np.zeros(len(rows)), groups=groups)


def _safe(r: Rule) -> Rule:
    """PL220 with its fixes marked safe (to measure it in the default rule set)."""
    def run(doc: Document, **opts: object) -> Iterator[Hit]:
        assert r.func is not None
        for h in r.func(doc, **opts):
            assert h.fix is not None
            yield replace(h, fix=replace(h.fix, applicability=Applicability.SAFE))
    return replace(r, func=run)


def end_to_end(rows: Sequence[dict[str, object]], parts: list[tuple[np.ndarray, np.ndarray]],
               site_of: dict[str, str], args: argparse.Namespace, threshold: float,
               outdir: Path) -> None:
    """Clean every held-out document with its fold's model (default rules + PL220)."""
    outdir.mkdir(parents=True, exist_ok=True)
    all_docs = sorted(p.stem for p in (EVAL / "raw").glob("*.txt"))
    with_rows = {r["site"] for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        for k, (tr, te) in enumerate(parts):
            model, vocab = fit([rows[i] for i in tr], args.c, args.min_sites)
            path = Path(tmp) / f"fold{k}.json"
            path.write_text(json.dumps(export(model, vocab, threshold, {})), encoding="utf-8")
            held = {rows[i]["site"] for i in te}
            opts = {"PL220": {"model": str(path)}}
            settings = resolve(args.rule_set, cli=Layer(options=opts))
            active = replace(settings, active=tuple(
                replace(a, rule=_safe(a.rule)) if a.rule.code == "PL220"
                and args.rule_set == "default" else a for a in settings.active))
            for doc_id in all_docs:
                site = site_of[doc_id]  # a website without scorable lines goes with fold 0
                if site not in held and (site in with_rows or k):
                    continue
                text, decoding = decode((EVAL / "raw" / f"{doc_id}.txt").read_bytes())
                res = clean(Document(doc_id, text, decoding=decoding), active,
                            unsafe=settings.unsafe_fixes)
                (outdir / f"{doc_id}.txt").write_bytes(encode(res.text, decoding))
    for extra in ([], ["--extractors", ",".join(MAIN)]):
        subprocess.run([sys.executable, str(EVAL.parent / "score.py"), "dev", str(outdir),
                        "--by", "extractor", *extra], check=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--c", type=float, default=0.3, help="inverse L2 strength")
    ap.add_argument("--min-sites", type=int, default=5)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--precision", type=float, default=0.955)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--e2e", type=Path, help="write out-of-fold cleaned documents here")
    ap.add_argument("--rule-set", default="default", help="rule set for --e2e")
    ap.add_argument("--threshold", type=float, help="use this threshold instead of choosing")
    args = ap.parse_args()

    base = resolve("default", cli=Layer(ignore=("PL220",)))
    rows, site_of = load_rows(base)
    print(f"{len(rows)} scorable lines; artifacts "
          f"{sum(r['label'] == 'artifact' for r in rows)}")
    parts = list(folds(rows, args.folds))
    oof = np.zeros(len(rows))
    for tr, te in parts:
        model, vocab = fit([rows[i] for i in tr], args.c, args.min_sites)
        oof[te] = model.predict_proba(matrix([rows[i] for i in te], vocab))[:, 1]

    grid = [round(t, 3) for t in np.arange(0.5, 0.9951, 0.005)]
    ok = [t for t in grid if precision(*removal(rows, oof, t, ("bs4", *MAIN))) >= args.precision]
    threshold = args.threshold or (ok[0] if ok else grid[-1])
    print(f"threshold {threshold} (removal precision >= {args.precision} out of fold)")
    print("fold  sites  removed  precision(all)  precision(main)  content lost")
    fold_report = []
    for k, (_, te) in enumerate(parts):
        held = [rows[i] for i in te]
        pa = removal(held, oof[te], threshold, ("bs4", *MAIN))
        pm = removal(held, oof[te], threshold, MAIN)
        sites = len({r["site"] for r in held})
        fold_report.append({"fold": k, "sites": sites, "removed": sum(pa),
                            "precision": round(precision(*pa), 3),
                            "precision_main": round(precision(*pm), 3)})
        print(f"{k:>4} {sites:>6} {sum(pa):>8} {precision(*pa):>15.3f} "
              f"{precision(*pm):>16.3f} {pa[1]:>13}")
    for ext in ("bs4", *MAIN):
        a, c = removal(rows, oof, threshold, (ext,))
        print(f"  {ext}: {a} artifact + {c} content lines removed, precision {precision(a, c):.3f}")

    if args.e2e:
        end_to_end(rows, parts, site_of, args, threshold, args.e2e)
    if args.cv_only:
        return
    model, vocab = fit(rows, args.c, args.min_sites)
    meta = {"trained_on": "dev split (labels.jsonl), default-cleaned text",
            "c": args.c, "min_sites": args.min_sites,
            "cv": {"grouped_by": "regdom", "folds": fold_report}}
    out = RULES_DIR / "model" / "line_classifier.json"
    out.write_text(json.dumps(export(model, vocab, threshold, meta), indent=0,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(vocab)} features)")


if __name__ == "__main__":
    main()
