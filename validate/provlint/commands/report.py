"""``provlint report``: a corpus run that writes cleaned text, the provenance
ledger, the validated findings and documents tables, summary.md and
report.html under an output folder (default ``seeds/`` -> ``reports/``),
applies the corpus gate (``[tool.provlint.gate]``), and prints a summary.

Exit status: 0, or 1 when a gate threshold failed, or 2 on error (a report
table breaking its pandera schema is an internal error). pandas and pandera
are imported only inside the command body, so ``check`` never loads them.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..atomic import sweep_temps
from ..baseline import Baseline
from ..cli import Abort, cli, run_guarded, selection_options, setup
from ..corpus import corpus_include, corpus_options, line_limit, plan_from
from ..io import DEFAULT_MAX_DOCUMENT_BYTES, parse_size
from ..ledger import RunLog
from ..output import safe_text
from ..provenance import RunInfo
from ..registry import load
from ..report import ROW_FORMATTERS, omitted_note, parse_report_specs, result_limits
from ..runner import Options
from ..safepath import refuse_overwrite
from .check import FORCE_EXCLUDE, sources_of


def require_report_extra() -> None:
    """Report tables need pandas and pandera, an optional extra (so the pre-commit
    hook installs light): say how to get them instead of crashing."""
    from importlib.util import find_spec

    missing = [m for m in ("pandas", "pandera") if find_spec(m) is None]
    if missing:
        raise Abort(f"provlint report needs {' and '.join(missing)}: "
                    "pip install 'provlint[report]' (or pip install -e '.[report]' in a checkout)")


@cli.command()
# readable=False: a file we may not read is a finding (PL901) and the run goes on, as in
# check; click's check made it a usage error with nothing reported
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports",
              show_default=True, help="Output folder.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes.")
@click.option("--provenance-text", type=click.Choice(["full", "hash", "none"]), default=None)
@click.option("--include", multiple=True)
@click.option("--exclude", multiple=True)
@FORCE_EXCLUDE
@click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH",
              help="Also write the findings table as sarif, junit, github or gitlab.")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Mark findings recorded in this baseline as suppressed.")
@click.option("--no-html", is_flag=True, help="Skip report.html.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when a gate threshold fails.")
@click.option("--max-document-bytes", default=None, metavar="SIZE",
              help="Report larger documents (PL905) instead of reading them "
                   f"(default {DEFAULT_MAX_DOCUMENT_BYTES >> 20}MiB).")
@corpus_options
@selection_options
def report(paths: tuple[str, ...], out_dir: str, unsafe_fixes: bool,
           provenance_text: str | None, include: tuple[str, ...], exclude: tuple[str, ...],
           force_exclude: bool | None, reports: tuple[str, ...], baseline: str | None,
           no_html: bool, exit_zero: bool, max_document_bytes: str | None, **kw: Any) -> None:
    """Clean a corpus (default seeds/) into OUT (default reports/) with provenance."""

    def body() -> int:
        require_report_extra()
        from ..corpusrun import corpus_run  # worker pools: report only
        from ..parallel import Context
        from ..report.corpus import Collector, write_report  # pandas: report only
        from ..report.gate import parse as parse_gate

        plan = plan_from(kw)
        st = setup(**kw)
        extra = parse_report_specs(reports, list(ROW_FORMATTERS))
        limits = result_limits(st.config)
        parse_gate(st.config.get("gate") or {})  # a bad gate key stops the run before it starts
        out = Path(out_dir)
        run = RunInfo(mode="report")
        limit = parse_size(max_document_bytes or st.config.get("max-document-bytes",
                                                                DEFAULT_MAX_DOCUMENT_BYTES))
        plan = replace(plan, spec=replace(plan.spec, max_line_bytes=line_limit(limit)))
        opts = Options(fix=True, unsafe=unsafe_fixes or st.settings.unsafe_fixes,
                       text_mode=provenance_text or str(st.config.get("provenance-text", "full")),
                       debug=st.debug, max_document_bytes=limit)
        bl_path = baseline or st.config.get("baseline")
        known = Baseline.read(Path(bl_path)).entries if bl_path else {}
        collector = Collector(load(), run.id, frozenset(known),
                              fixes=any(fmt == "sarif" for fmt, _ in extra))
        sources = list(sources_of(st, paths or ["seeds"],  # before the ledger starts
                                  corpus_include(include, st.config), exclude, out,
                                  force_exclude, records=True))
        refuse_overwrite((s.path, out / "clean" / s.rel) for s in sources)
        swept = sweep_temps(out / "clean") + sweep_temps(out, recursive=False)
        if swept:  # a live run's files are locked, and stay
            click.echo(safe_text(f"note: removed {swept} temporary file"
                                 f"{'s' if swept != 1 else ''} that an interrupted run "
                                 f"left in {out}"), err=True)
        ctx = Context(st.settings, opts, run, plan.spec, out / "provenance.jsonl",
                      summarise=collector.summarise)  # the workers make the table rows
        with RunLog(out / "provenance.jsonl", run, st.settings, unsafe=opts.unsafe,
                    text_mode=opts.text_mode) as ledger:
            for o in corpus_run(sources, ctx, plan, out, ledger):  # writes clean/ + ledger
                collector.add(o)
        result = write_report(out, collector, started=run.started,
                              gate_config=st.config.get("gate"), extra=extra, html=not no_html,
                              limits=limits)
        for (fmt, path), omitted in result.left_out.items():
            click.echo(omitted_note(fmt, path, omitted, limits[fmt]), err=True)
        text = (out / "summary.md").read_text(encoding="utf-8")
        click.echo(safe_text(text))
        click.echo(f"Wrote {out}/clean/, {out}/provenance.jsonl and "
                   f"{', '.join(p.name for p in result.written)}")
        return 0 if exit_zero or not result.gate else 1

    sys.exit(run_guarded(body, kw["debug"]))
