"""Corpus throughput: provlint against the cleaners corpus builders use today.

Every tool sees the same in-memory corpus: the dev split's raw extractions
repeated to ``--mb`` megabytes. Figures are MB of input per second per
process, and ratios are against the peers measured in this same run.
Every tool is measured ``--rounds`` times (default 3), the tools taking
turns, and each tool's fastest round is reported: on a shared machine a
slow minute only ever slows a run down, and taking turns gives every tool
the same minutes.

- provlint: the default rule set, safe fixes, a provenance record per
  document (input and output sha256, every edit with its removed text)
  serialised as the ledger line it would write;
- datatrove's ``C4QualityFilter`` with its sentence-count rule off
  (``min_num_sentences=-1``), and its FineWeb chain (GopherRepetition ->
  GopherQuality -> C4 -> FineWebQuality, a document stops at the first
  filter that drops it), on ``--peer-mb`` (the chain is slow);
- dolma's ``c4_v2`` tagger, when dolma is installed;
- scaling from 1 to 2 worker processes (fork, each takes half the corpus);
- ``provlint check`` on one small file vs pre-commit-hooks and bare Python
  (``bench/startup.py --no-pth-code``: without this sandbox's .pth import hooks).

    python bench/throughput.py                       # 200 MB, all peers
    python bench/throughput.py --mb 20 --peer-mb 5   # a quick run
    python bench/throughput.py --write-readme        # also refresh bench/README.md

This is a script that prints a table, not a timed test.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import multiprocessing as mp
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "eval" / "dev" / "raw"

Corpus = list[tuple[str, bytes]]


def load_corpus(raw: Path, mb: float) -> Corpus:
    """The raw files, repeated (with fresh ids) until ``mb`` megabytes."""
    files = [(p.name, p.read_bytes()) for p in sorted(raw.glob("*.txt"))]
    if not files:
        sys.exit(f"no .txt files in {raw}")
    out: Corpus = []
    total, rep = 0, 0
    while total < mb * 1e6:
        for name, data in files:
            out.append((f"r{rep}/{name}", data))
            total += len(data)
            if total >= mb * 1e6:
                break
        rep += 1
    return out


def size(corpus: Corpus) -> int:
    return sum(len(d) for _, d in corpus)


def provlint_worker(corpus: Corpus) -> int:
    """Clean every document with provenance, as ``provlint fix --out`` does (no pass-1
    findings: only ``report`` reads them); returns the ledger bytes (kept honest)."""
    from provlint.io import Source, document_from_bytes
    from provlint.ledger import dump_line
    from provlint.provenance import RunInfo
    from provlint.ruleset import resolve
    from provlint.runner import Options, fewer_collections, process_read

    settings = resolve("default")
    opts, run = Options(fix=True, text_mode="full", first_findings=False), RunInfo(mode="report")
    ledger = 0
    with fewer_collections():  # as a worker's chunk of documents runs
        for name, data in corpus:
            src = Source(Path(name), name, name)
            o = process_read(src, document_from_bytes(name, data, name), settings, opts, run)
            if o.record is not None:
                ledger += len(dump_line(o.record))  # the ledger line a fix worker makes
    return ledger


def timed(func: Callable[[], object]) -> float:
    t = time.perf_counter()
    func()
    return time.perf_counter() - t


def _half(args: tuple[Corpus]) -> int:
    return provlint_worker(args[0])


def provlint_scaling(corpus: Corpus) -> tuple[float, float]:
    """Wall seconds for the corpus in 1 process and in 2 (fork, halves)."""
    halves = (corpus[0::2], corpus[1::2])
    ctx = mp.get_context("fork")
    with ctx.Pool(1) as pool:  # the same start-up cost as the 2-process run
        pool.map(_half, [(halves[0][:1],)])
        one = timed(lambda: pool.map(_half, [(corpus,)]))
    with ctx.Pool(2) as pool:
        pool.map(_half, [(halves[0][:1],), (halves[1][:1],)])
        two = timed(lambda: pool.map(_half, [(h,) for h in halves]))
    return one, two


def datatrove_runs(corpus: Corpus) -> dict[str, float | str]:
    """Seconds for datatrove's C4 filter and FineWeb chain (or why not)."""
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import (
            C4QualityFilter,
            FineWebQualityFilter,
            GopherQualityFilter,
            GopherRepetitionFilter,
        )
    except ImportError as exc:
        return {"error": f"datatrove not installed ({exc})"}
    def fresh() -> list[Document]:  # C4QualityFilter.filter rewrites doc.text in place
        return [Document(text=d.decode("utf-8", "replace"), id=n) for n, d in corpus]

    docs = fresh()
    c4 = C4QualityFilter(min_num_sentences=-1)
    out: dict[str, float | str] = {"c4": timed(lambda: [c4.filter(d) for d in docs])}
    docs = fresh()  # the chain starts from the raw texts, not the ones C4 kept
    chain = [GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter(),
             FineWebQualityFilter()]

    def run_chain() -> None:
        for d in docs:
            for f in chain:
                kept = f.filter(d)
                if kept is False or (isinstance(kept, tuple) and not kept[0]):
                    break

    try:
        out["fineweb"] = timed(run_chain)
    except ImportError as exc:
        out["fineweb_error"] = str(exc)
    return out


def dolma_run(corpus: Corpus, python: str | None = None, raw: Path = RAW,
              mb: float = 0) -> float | str:
    """Seconds for dolma's c4_v2 tagger, or why it could not run.

    dolma pins old versions of numpy, fsspec and boto3 that cannot live in
    provlint's test environment, so it usually has a venv of its own
    (``python -m venv v && v/bin/pip install dolma``): ``--dolma-python
    v/bin/python`` runs the same corpus (``raw`` repeated to ``mb``) there.
    """
    try:
        from dolma.core.data_types import Document as DolmaDoc
        from dolma.core.registry import TaggerRegistry
    except ImportError as exc:
        if python:
            return _dolma_elsewhere(python, raw, mb)
        return (f"dolma not installed ({exc}); give a venv that has it with --dolma-python "
                "(dolma's pins conflict with provlint's test dependencies)")
    tagger = TaggerRegistry.get("c4_v2")()
    docs = [DolmaDoc(source="bench", id=n, text=d.decode("utf-8", "replace"))
            for n, d in corpus]
    return timed(lambda: [tagger.predict(d) for d in docs])


def startup(runs: int) -> str:
    """bench/startup.py's table (provlint check vs trailing-whitespace-fixer vs python)."""
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "startup.py"), "--runs",
                          str(runs), "--no-pth-code"], capture_output=True, text=True,
                         check=False)
    return (res.stdout or res.stderr).strip()


def machine(dolma_python: str | None = None) -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for pkg in ("provlint", "datatrove", "spacy", "dolma", "pre-commit-hooks"):
        try:
            versions.append(f"{pkg} {md.version(pkg)}")
        except md.PackageNotFoundError:
            versions.append(f"{pkg} {_version_in(dolma_python, pkg)}" if pkg == "dolma"
                            and dolma_python else f"{pkg} (not installed)")
    return (f"{model or platform.processor()}, {os.cpu_count()} CPUs, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
            + ", ".join(versions))


def _version_in(python: str, pkg: str) -> str:
    res = subprocess.run([python, "-c", "import importlib.metadata as m, sys; "
                          "print(m.version(sys.argv[1]))", pkg],
                         capture_output=True, text=True, check=False)
    return f"{res.stdout.strip()} (in {Path(python).parent.parent.name})" if res.returncode == 0 \
        else "(not installed)"


def _dolma_elsewhere(python: str, raw: Path, mb: float) -> float | str:
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import throughput as t; "
            "print(t.dolma_run(t.load_corpus(t.Path(sys.argv[2]), float(sys.argv[3]))))")
    res = subprocess.run([python, "-c", code, str(ROOT / "bench"), str(raw), str(mb)],
                         capture_output=True, text=True, check=False)
    out = res.stdout.strip().splitlines()
    try:
        return float(out[-1])
    except (IndexError, ValueError):
        return f"dolma in {python} failed: {(res.stderr or res.stdout).strip()[-300:]}"


def measure_round(corpus: Corpus, small: Corpus, args: argparse.Namespace
                  ) -> dict[str, float | str]:
    """Seconds of every tool, each measured once, one after the other (a round)."""
    one, two = provlint_scaling(corpus)
    out: dict[str, float | str] = {"one": one, "two": two}
    dt = datatrove_runs(corpus)
    out.update({k: v for k, v in dt.items() if k != "fineweb"})
    if "fineweb" in dt:  # the slow chain on the peer subset
        fw = datatrove_runs(small).get("fineweb")
        if fw is not None:
            out["fineweb"] = fw
    out["dolma"] = dolma_run(small, args.dolma_python, args.raw, min(args.peer_mb, args.mb))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=200, help="corpus size in MB (default 200)")
    ap.add_argument("--peer-mb", type=float, default=10,
                    help="corpus size for the slow FineWeb chain and dolma (default 10)")
    ap.add_argument("--raw", type=Path, default=RAW, help="folder of raw .txt extractions")
    ap.add_argument("--startup-runs", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3,
                    help="measure every tool this many times, in turns; report each one's "
                         "fastest (default 3)")
    ap.add_argument("--write-readme", action="store_true", help="refresh bench/README.md")
    ap.add_argument("--dolma-python", default=os.environ.get("PROVLINT_BENCH_DOLMA_PYTHON"),
                    help="a Python whose environment has dolma (default: this one)")
    args = ap.parse_args()

    corpus = load_corpus(args.raw, args.mb)
    small = load_corpus(args.raw, min(args.peer_mb, args.mb))
    mb, small_mb = size(corpus) / 1e6, size(small) / 1e6
    print(f"corpus: {len(corpus)} documents, {mb:.1f} MB (peer subset {small_mb:.1f} MB)",
          flush=True)

    rows: list[tuple[str, str, str]] = []
    runs = [measure_round(corpus, small, args) for _ in range(args.rounds)]
    best = {key: min(r[key] for r in runs) if all(isinstance(r.get(key), float) for r in runs)
            else runs[0].get(key) for key in runs[0]}
    one = min(float(r["one"]) for r in runs)  # provlint always runs: floats
    two = min(float(r["two"]) for r in runs)
    pl = mb / one
    rows.append(("provlint default rules + provenance, 1 process", f"{pl:.2f}", "1.00"))
    rows.append(("provlint, 2 processes (total)", f"{mb / two:.2f}",
                 f"scaling {one / two:.2f}x"))
    c4, fw, dl = best.get("c4"), best.get("fineweb"), best.get("dolma")
    if isinstance(c4, float):
        rows.append(("datatrove C4QualityFilter (sentences off)", f"{mb / c4:.2f}",
                     f"provlint/this {pl / (mb / c4):.2f}"))
    else:
        rows.append(("datatrove C4QualityFilter", "-", str(best.get("error"))))
    if isinstance(fw, float):
        rows.append(("datatrove FineWeb chain (Gopher x2, C4, FineWeb)",
                     f"{small_mb / fw:.3f}", f"provlint/this {pl / (small_mb / fw):.1f}"))
    elif isinstance(c4, float):
        rows.append(("datatrove FineWeb chain", "-", str(best.get("fineweb_error"))))
    if isinstance(dl, float):
        rows.append(("dolma c4_v2 tagger", f"{small_mb / dl:.2f}",
                     f"provlint/this {pl / (small_mb / dl):.2f}"))
    else:
        rows.append(("dolma c4_v2 tagger", "-", str(dl)))

    width = max(len(r[0]) for r in rows)
    table = [f"{'tool':<{width}}  {'MB/s':>8}  ratio", "-" * (width + 30)]
    table += [f"{name:<{width}}  {rate:>8}  {ratio}" for name, rate, ratio in rows]
    text = "\n".join(table)
    print(text, flush=True)
    start = startup(args.startup_runs)
    print(start)
    facts = machine(args.dolma_python)
    print(facts)
    if args.write_readme:
        write_readme(text, start, facts, args, mb)


KEEP_FROM = "## Reading these figures"  # --write-readme rewrites only what comes before


def write_readme(table: str, start: str, facts: str, args: argparse.Namespace,
                 mb: float) -> None:
    cmd = (f"python bench/throughput.py --mb {args.mb:g} --peer-mb {args.peer_mb:g}"
           f" --rounds {args.rounds}") + (
        " --dolma-python DOLMA_VENV/bin/python" if args.dolma_python else "")
    readme = ROOT / "bench" / "README.md"
    start = start.replace(f"{ROOT}/", "")  # no machine paths in the committed README
    old = readme.read_text(encoding="utf-8") if readme.exists() else ""
    keep = old[old.find(KEEP_FROM):] if KEEP_FROM in old else ""  # the hand-written sections
    readme.write_text(
        "# Benchmarks\n\n"
        f"Measured with `{cmd} --write-readme` ({mb:.1f} MB corpus), load average\n"
        f"{os.getloadavg()[0]:.1f} when it ended (2 CPUs: above 1, other jobs share them and\n"
        "absolute figures are lower bounds); the ratios, measured in the same run,\n"
        "are the result.\n\n"
        f"Machine: {facts}\n\n## Throughput (MB of input per second)\n\n```\n{table}\n```\n\n"
        f"## `provlint check` on one small file\n\n```\n{start}\n```\n\n"
        "Targets from the issue: provlint >= 40 MB/s per core, 1 -> 2 processes >= 1.7x, "
        f"check <= 60 ms median.\n{chr(10) + keep if keep else ''}", encoding="utf-8")


if __name__ == "__main__":
    main()
