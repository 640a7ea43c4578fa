"""``provlint report``: a corpus run that writes cleaned text, the provenance
ledger and the findings under an output folder (default ``seeds/`` ->
``reports/``), and prints a readable summary."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from ..cli import cli, run_guarded, selection_options, setup
from ..io import write_atomic
from ..output import finding_dict, safe_text
from ..provenance import Ledger, RunInfo
from ..registry import load
from ..runner import Options, Outcome, process
from .check import sources_of


def summary_markdown(outcomes: list[Outcome], run: RunInfo) -> str:
    rules = load()
    counts = Counter(f.code for o in outcomes for f in o.findings)
    fixed = Counter(a.code for o in outcomes if o.result for a in o.result.applied)
    raw = sum(o.document.input_bytes or 0 for o in outcomes if o.document)
    out = sum(len(o.output) for o in outcomes if o.output is not None)
    lines = [
        "# provlint report", "",
        f"- run: `{run.id}` ({run.started})",
        f"- documents: {len(outcomes)} ({sum(o.readable for o in outcomes)} readable, "
        f"{sum(o.changed for o in outcomes)} changed)",
        f"- bytes in/out: {raw} / {out} ({(raw - out) / raw * 100 if raw else 0:.1f}% removed)",
        "", "| code | name | edits applied | findings left |", "|---|---|---|---|",
    ]
    for code in sorted(set(counts) | set(fixed)):
        name = rules[code].name if code in rules else ""
        lines.append(f"| {code} | {name} | {fixed[code]} | {counts[code]} |")
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports",
              show_default=True, help="Output folder.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes.")
@click.option("--provenance-text", type=click.Choice(["full", "hash", "none"]), default=None)
@click.option("--include", multiple=True)
@click.option("--exclude", multiple=True)
@selection_options
def report(paths: tuple[str, ...], out_dir: str, unsafe_fixes: bool,
           provenance_text: str | None, include: tuple[str, ...], exclude: tuple[str, ...],
           **kw: Any) -> None:
    """Clean a corpus (default seeds/) into OUT (default reports/) with provenance."""

    def body() -> int:
        st = setup(**kw)
        out = Path(out_dir)
        run = RunInfo(mode="report")
        opts = Options(fix=True, unsafe=unsafe_fixes,
                       text_mode=provenance_text or str(st.config.get("provenance-text", "full")),
                       debug=st.debug)
        outcomes: list[Outcome] = []
        with Ledger(out / "provenance.jsonl") as ledger, \
                open(out / "findings.jsonl", "w", encoding="utf-8") as fh:
            for src in sources_of(paths or ["seeds"], st.config, include, exclude):
                o = process(src, st.settings, opts, run)
                outcomes.append(o)
                if o.output is not None and o.record is not None:
                    rel = f"clean/{src.rel}"
                    write_atomic(out / rel, o.output)
                    o.record["output"]["path"] = rel
                    ledger.write(o.record)
                for f in o.findings:
                    fh.write(json.dumps(finding_dict(f, load())) + "\n")
        text = summary_markdown(outcomes, run)
        write_atomic(out / "summary.md", text.encode("utf-8"))
        click.echo(safe_text(text))
        click.echo(f"Wrote {out}/clean/, {out}/provenance.jsonl, {out}/findings.jsonl, "
                   f"{out}/summary.md")
        return 0

    sys.exit(run_guarded(body, kw["debug"]))
