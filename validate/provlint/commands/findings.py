"""Where ``provlint check`` puts its findings: the output formats, ``-o``,
``--report FORMAT=PATH`` files, ``--statistics``, and baselines.

On the pre-commit path, so the same import budget holds as for
``provlint.commands.check``: the CI row formats' renderers and the baseline
code are imported only when a run asks for them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..cli import Abort
from ..model import Finding
from ..output import FORMATTERS, render_statistics, safe_text
from ..registry import load

if TYPE_CHECKING:
    from .check import Tally

# The formats provlint.report renders from findings-table rows (its ROW_FORMATTERS;
# tests/test_budget.py keeps the two in step). Named here so that checking a
# format does not import the renderers.
ROW_FORMATS = ("sarif", "junit", "github", "gitlab")
OUTPUT_FORMATS = (*FORMATTERS, *ROW_FORMATS)


def check_output_format(fmt: str) -> None:
    """Stop (exit 2) on an unknown output format: called before a run writes anything."""
    if fmt not in OUTPUT_FORMATS:
        raise Abort(f"unknown output format {fmt!r} (known: {', '.join(OUTPUT_FORMATS)})")


def report_findings(findings: list[Finding], fmt: str, output_file: str | None,
                    statistics: bool, reports: Sequence[str] = (),
                    tallies: Sequence[Tally] = (), sarif_limit: int | None = None) -> None:
    """Render findings to stdout (or ``output_file``) and to each ``--report FORMAT=PATH``.

    SARIF, JUnit, GitHub and GitLab render from findings-table rows built
    without pandas (the report command renders the same rows after pandera).
    ``tallies`` are the documents checked: JUnit counts the clean ones, and
    SARIF shows the fixes whose regions they kept. ``sarif_limit`` (the validated
    ``sarif-max-results``; GitHub's limit when None) caps a SARIF log (stderr says
    what it left out).
    """
    rules = load()
    check_output_format(fmt)
    # --statistics puts the counts on stdout in place of the findings (-o and --report
    # files still get the findings), so the JSON formats stay one JSON document
    targets = [] if statistics and not output_file else [(fmt, output_file)]
    limit = 0
    if reports or fmt in ROW_FORMATS:
        from ..report import (
            GITHUB_MAX_RESULTS,
            omitted_note,
            parse_report_specs,
            render_rows,
            write_row_report,
        )
        from ..report.rows import finding_rows

        targets += parse_report_specs(reports, OUTPUT_FORMATS)
        limit = GITHUB_MAX_RESULTS if sarif_limit is None else sarif_limit
    fixes = {f: d for t in tallies for f, d in (t.fixes or {}).items()}
    rows = (finding_rows(findings, rules, fixes=fixes)
            if any(f in ROW_FORMATS for f, _ in targets) else [])
    checked = [safe_text(t.source_id) for t in tallies]
    for name, path in targets:
        if name in ROW_FORMATS:
            omitted = (write_row_report(name, rows, rules, path, checked, limit) if path
                       else render_rows(name, rows, rules, sys.stdout, checked, limit))
            if omitted:
                click.echo(omitted_note(name, path, omitted, limit), err=True)
        elif path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)  # as ruff's --output-file
            with open(path, "w", encoding="utf-8") as fh:
                FORMATTERS[name](findings, rules, fh)
        else:
            FORMATTERS[name](findings, rules, sys.stdout)
    if statistics:
        render_statistics(findings, rules, sys.stdout, fmt)


def apply_baseline(path: Path, findings: list[Finding], outcomes: list[Tally]) -> list[Finding]:
    """Drop baselined findings; tell stderr how many, and which entries are stale."""
    from ..baseline import Baseline

    applied = Baseline.read(path).apply(findings, paths=[o.source_id for o in outcomes])
    if applied.suppressed:
        click.echo(f"{len(applied.suppressed)} finding(s) suppressed by the baseline {path}.",
                   err=True)
    for e in applied.stale:
        click.echo(safe_text(f"stale baseline entry: {e.key[0]}: {e.key[1]} (was line {e.line}: "
                             f"{e.message}); refresh with --write-baseline {path}"), err=True)
    return applied.kept
