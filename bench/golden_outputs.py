"""Freeze what ``clean`` does, so speed work can prove it changed nothing.

Runs ``engine.clean`` with the default and the aggressive rule set over the
dev split's raw extractions (``../shared/eval/dev/raw``), the seeds, and
CRLF / CR / markdown-named variants of a slice of the dev texts (so the
other newline styles and PL001's Markdown branch are exercised too), and
keeps one digest per (rule set, document) of the cleaned text, the applied
edits, the first-pass and remaining findings (code, span, position,
message, fix), the lifted metadata and the pass count.

``--records`` adds what ``clean`` does not cover: the per-document work of
``fix --out`` (``runner.process_read``: reading, output bytes, the
provenance record as its ledger line with the run's times masked) with
every ``--provenance-text`` mode, on the same texts plus cp1252, invalid
UTF-8 and BOM variants of every 25th dev text.

    python bench/golden_outputs.py --write /tmp/golden.json   # before a change
    python bench/golden_outputs.py --check /tmp/golden.json   # after: exit 1 on any difference
    python bench/golden_outputs.py --records --write F        # also every ledger line
    python bench/golden_outputs.py --time                     # CPU MB/s of clean, per rule set
    python bench/golden_outputs.py --scaling                  # CPU time, 1 vs 2 processes

The digests stay outside the repository (they are derived from the eval
set, which is never copied in). ``--time`` measures CPU time
(``time.process_time``), best of ``--repeat`` runs, so a shared machine
moves it less than wall time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

from provlint.engine import clean
from provlint.io import document_from_bytes
from provlint.model import CleanResult, Document, Finding
from provlint.ruleset import Layer, Settings, resolve

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "eval" / "dev" / "raw"
RULE_SETS = ("default", "aggressive")


def inputs(raw: Path, encodings: bool = False) -> list[tuple[str, bytes]]:
    """(name, bytes) of the dev texts, the seeds, newline / extension variants of
    every tenth dev text and, with ``encodings``, cp1252 / invalid / BOM variants
    of every 25th."""
    files = sorted(raw.glob("*.txt"))
    if not files:
        sys.exit(f"no .txt files in {raw}")
    out: list[tuple[str, bytes]] = []
    seen = 0  # inputs before this file, not counting encoding variants
    for i, p in enumerate([*files, *sorted((ROOT / "seeds").glob("*.txt"))]):
        data = p.read_bytes()
        out.append((p.name, data))
        if p.parent == raw and seen % 10 == 0:
            out += [(p.stem + ".crlf.txt", data.replace(b"\n", b"\r\n")),
                    (p.stem + ".cr.txt", data.replace(b"\n", b"\r")),
                    (p.stem + ".md", data)]
            seen += 3
        seen += 1
        if encodings and p.parent == raw and i % 25 == 0:
            legacy = data.decode("utf-8", "replace").encode("cp1252", "replace")
            out += [(p.stem + ".1252.txt", legacy),
                    (p.stem + ".bad.txt", b"\xff\xfe \x81" + data[:3000] + b"\xc3"),
                    (p.stem + ".bom.txt", b"\xef\xbb\xbf" + data)]
    return out


def corpus(raw: Path) -> list[Document]:
    """The decodable documents of ``inputs(raw)``."""
    docs = (document_from_bytes(name, blob, name).document for name, blob in inputs(raw))
    return [d for d in docs if d is not None]


def _finding(f: Finding) -> list[object]:
    fix = None if f.fix is None else [f.fix.title, f.fix.applicability.value,
                                      [[e.span.start, e.span.end, e.replacement]
                                       for e in f.fix.edits]]
    return [f.code, f.name, f.span.start, f.span.end, f.line, f.col, f.end_line, f.end_col,
            f.message, f.severity.value, f.matched, fix]


def digest(res: CleanResult) -> str:
    """One hash over everything clean() reports."""
    payload = {
        "text": res.text,
        "applied": [[a.code, a.pass_no, a.span.start, a.span.end, a.before, a.after,
                     a.out_start, a.applicability.value] for a in res.applied],
        "remaining": [_finding(f) for f in res.remaining],
        "first": [_finding(f) for f in res.findings],
        "metadata": sorted(res.metadata.items()),
        "passes": res.passes,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
    return hashlib.sha256(blob).hexdigest()


def _run(settings: Settings, docs: list[Document]) -> list[CleanResult]:
    unsafe = settings.unsafe_fixes
    return [clean(d, settings, unsafe=unsafe) for d in docs]


def settings_of(name: str, ignore: list[str]) -> Settings:
    return resolve(name, cli=Layer(ignore=tuple(ignore)) if ignore else None)


def digests(docs: list[Document], ignore: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in RULE_SETS:
        settings = settings_of(name, ignore)
        for doc, res in zip(docs, _run(settings, docs), strict=True):
            out[f"{name}:{doc.id}"] = digest(res)
    return out


_FINISHED = re.compile(rb'"finished": "[^"]*"')


def record_digests(raw: Path, ignore: list[str]) -> dict[str, str]:
    """One hash per (rule set, provenance-text mode, input) over the output bytes,
    the remaining findings and the ledger line ``fix --out`` writes."""
    from provlint.io import Source
    from provlint.ledger import dump_line
    from provlint.provenance import RunInfo
    from provlint.runner import Options, process_read

    run = RunInfo(mode="golden", id="golden", started="-", argv=["golden"])
    blobs = inputs(raw, encodings=True)
    out: dict[str, str] = {}
    for name in RULE_SETS:
        settings = settings_of(name, ignore)
        for mode in ("full", "hash", "none"):
            opts = Options(fix=True, unsafe=settings.unsafe_fixes, text_mode=mode)
            for doc_id, data in blobs:
                o = process_read(Source(Path(doc_id), doc_id, doc_id),
                                 document_from_bytes(doc_id, data, doc_id), settings, opts, run)
                h = hashlib.sha256(o.output or b"-")
                h.update(json.dumps([_finding(f) for f in o.findings], ensure_ascii=False)
                         .encode("utf-8", "surrogatepass"))
                if o.record is not None:
                    h.update(_FINISHED.sub(b"-", dump_line(o.record)))
                out[f"record:{name}:{mode}:{doc_id}"] = h.hexdigest()
    return out


def timing(docs: list[Document], repeat: int, ignore: list[str]) -> None:
    mb = sum(len(d.text.encode("utf-8", "surrogatepass")) for d in docs) / 1e6
    for name in RULE_SETS:
        settings = settings_of(name, ignore)
        best = float("inf")
        for _ in range(repeat):
            t0 = time.process_time()
            _run(settings, docs)
            best = min(best, time.process_time() - t0)
        print(f"{name:11s} {mb:6.1f} MB  best CPU {best:6.2f} s  {mb / best:6.2f} MB/s per core")


_FORKED: list[Document] = []  # the corpus, inherited by forked workers (not pickled)


def _half_cpu(args: tuple[str, list[str], int, int]) -> float:
    name, ignore, start, step = args
    settings = settings_of(name, ignore)
    t0 = time.process_time()
    _run(settings, _FORKED[start::step])
    return time.process_time() - t0


def scaling(docs: list[Document], ignore: list[str]) -> None:
    """CPU seconds of one process on all documents vs the busier of two on halves.

    On a machine shared with other jobs wall time measures the load; CPU time
    measures what splitting the work costs (start-up, contention for memory).
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    _FORKED[:] = docs
    for name in RULE_SETS:
        with ctx.Pool(1) as pool:
            one = pool.map(_half_cpu, [(name, ignore, 0, 1)])[0]
        with ctx.Pool(2) as pool:
            t0 = time.perf_counter()
            two = pool.map(_half_cpu, [(name, ignore, k, 2) for k in (0, 1)], chunksize=1)
            wall = time.perf_counter() - t0
        print(f"{name:11s} 1 process {one:6.2f} s CPU; 2 processes {two[0]:6.2f} + {two[1]:6.2f}"
              f" s CPU ({wall:.2f} s wall): CPU scaling {one / max(two):.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", type=Path, default=RAW)
    ap.add_argument("--write", type=Path, help="store the digests here")
    ap.add_argument("--check", type=Path, help="compare with digests stored by --write")
    ap.add_argument("--time", action="store_true", help="print CPU MB/s per rule set")
    ap.add_argument("--scaling", action="store_true",
                    help="CPU time of 1 process vs 2 (fork, halves of the corpus)")
    ap.add_argument("--records", action="store_true",
                    help="also digest each document's output bytes and ledger line")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ignore", action="append", default=[],
                    help="leave out a rule (one that is still changing), repeatable")
    args = ap.parse_args()
    docs = corpus(args.raw)
    if args.time:
        timing(docs, args.repeat, args.ignore)
    if args.scaling:
        scaling(docs, args.ignore)
    if args.write or args.check:
        got = digests(docs, args.ignore)
        if args.records:
            got.update(record_digests(args.raw, args.ignore))
    if args.write:
        args.write.write_text(json.dumps(got, indent=0, sort_keys=True))
        print(f"wrote {len(got)} digests to {args.write}")
    if args.check:
        want = json.loads(args.check.read_text())
        bad = sorted(k for k in want.keys() | got.keys() if want.get(k) != got.get(k))
        for k in bad[:20]:
            print("DIFFERS", k)
        print(f"{len(got) - len(bad)} of {len(got)} digests identical, {len(bad)} differ")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
