"""Where ``provlint check`` puts its findings: the output formats, ``-o``,
``--report FORMAT=PATH`` files, ``--statistics``, and baselines.

On the pre-commit path, so the same import budget holds as for
``provlint.commands.check``: the CI row formats' renderers and the baseline
code are imported only when a run asks for them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..cli import Abort
from ..model import Finding, Severity
from ..output import FORMATTERS, count, render_full, render_statistics, safe_text
from ..registry import load

if TYPE_CHECKING:
    from ..io import Source
    from ..report.rows import FixDetail
    from ..ruleset import Settings
    from ..runner import Outcome
    from .check import Tally

# The formats provlint.report renders from findings-table rows (its ROW_FORMATTERS;
# tests/test_budget.py keeps the two in step). Named here so that checking a
# format does not import the renderers.
ROW_FORMATS = ("sarif", "junit", "github", "gitlab")
OUTPUT_FORMATS = (*FORMATTERS, *ROW_FORMATS)


QUIET, SILENT = 1, 2  # the verbosity levels of -q/--quiet and -s/--silent (0: neither)


def note(message: str, verbosity: int) -> None:
    """An informational line on stderr (a summary, a warning), left out under -q and
    -s as in ruff. Errors are always printed (click.echo), and so is whatever the exit
    status alone could not tell."""
    if verbosity < QUIET:
        click.echo(safe_text(message), err=True)


def fail_level(config: dict[str, Any]) -> Severity:
    """The lowest severity that fails the run (``fail-on``): a bad one is exit 2."""
    try:
        return Severity.parse(str(config.get("fail-on", "info")))
    except ValueError as exc:
        raise Abort(str(exc)) from None


def list_files(sources: Iterable[Source]) -> int:
    """``--show-files``: each file a run would read, in path order (as findings are
    sorted), with the problem that keeps it from being read; exit status 0."""
    for s in sorted(sources, key=lambda s: s.id.split("/")):
        why = f"  ({s.problem.code} {s.problem.message})" if s.problem is not None else ""
        click.echo(safe_text(s.id + why, one_line=True))
    return 0


def check_output_format(fmt: str) -> None:
    """Stop (exit 2) on an unknown output format: called before a run writes anything."""
    if fmt not in OUTPUT_FORMATS:
        raise Abort(f"unknown output format {fmt!r} (known: {', '.join(OUTPUT_FORMATS)})")


def report_findings(findings: list[Finding], fmt: str, output_file: str | None,
                    statistics: bool, reports: Sequence[str] = (),
                    tallies: Sequence[Tally] = (),
                    limits: Mapping[str, int] | None = None, verbosity: int = 0) -> None:
    """Render findings to stdout (or ``output_file``) and to each ``--report FORMAT=PATH``.

    SARIF, JUnit, GitHub and GitLab render from findings-table rows built
    without pandas (the report command renders the same rows after pandera).
    ``tallies`` are the documents checked: JUnit counts the clean ones, and
    SARIF shows the fixes whose regions they kept. ``limits`` (the validated
    ``*-max-results`` settings, ``report.result_limits``; the defaults when None) cap
    SARIF, JUnit and GitLab reports (stderr says what each left out). Under ``--quiet``
    the findings come without the summary lines; ``--silent`` leaves stdout to
    ``--statistics`` (``-o`` and ``--report`` files are written all the same: a file
    asked for is not a log).
    """
    rules = load()
    check_output_format(fmt)
    # --statistics puts the counts on stdout in place of the findings (-o and --report
    # files still get the findings), so the JSON formats stay one JSON document
    stdout_free = statistics or verbosity >= SILENT
    targets = [] if stdout_free and not output_file else [(fmt, output_file)]
    if reports or fmt in ROW_FORMATS:
        from ..report import (
            DEFAULT_MAX_RESULTS,
            omitted_note,
            parse_report_specs,
            render_rows,
            write_row_report,
        )
        from ..report.rows import finding_rows

        targets += parse_report_specs(reports, OUTPUT_FORMATS)
    fixes = {f: d for t in tallies for f, d in (t.fixes or {}).items()}
    rows = (finding_rows(findings, rules, fixes=fixes)
            if any(f in ROW_FORMATS for f, _ in targets) else [])
    checked = [safe_text(t.source_id) for t in tallies]
    for name, path in targets:
        if name in ROW_FORMATS:
            omitted = (write_row_report(name, rows, rules, path, checked, limits) if path
                       else render_rows(name, rows, rules, sys.stdout, checked, limits))
            if omitted:
                limit = (limits or {}).get(name, DEFAULT_MAX_RESULTS)
                note(omitted_note(name, path, omitted, limit), verbosity)
        elif path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)  # as ruff's --output-file
            with open(path, "w", encoding="utf-8") as fh:
                FORMATTERS[name](findings, rules, fh)
        elif name == "full" and verbosity:
            render_full(findings, rules, sys.stdout, summary=False)
        else:
            FORMATTERS[name](findings, rules, sys.stdout)
    if statistics:  # printed even under --silent, as in ruff: it is what was asked for
        render_statistics(findings, rules, sys.stdout, fmt, summary=not verbosity)


def apply_baseline(path: Path, findings: list[Finding], outcomes: list[Tally],
                   verbosity: int = 0) -> list[Finding]:
    """Drop baselined findings; tell stderr how many, and which entries are stale."""
    from ..baseline import Baseline

    applied = Baseline.read(path).apply(findings, paths=[o.source_id for o in outcomes])
    if applied.suppressed:
        note(f"{len(applied.suppressed)} finding(s) suppressed by the baseline {path}.",
             verbosity)
    for e in applied.stale:
        note(f"stale baseline entry: {e.key[0]}: {e.key[1]} (was line {e.line}: "
             f"{e.message}); refresh with --write-baseline {path}", verbosity)
    return applied.kept


def show_fixes(tallies: Sequence[Tally], verbosity: int) -> None:
    """``--show-fixes``: the edits applied, per file (in path order) and rule, on stderr
    (stdout may be the fixed text) as ruff enumerates them; not under ``--silent``."""
    fixed = sorted((t for t in tallies if t.fixed and not t.unwritten),
                   key=lambda t: t.source_id.split("/"))
    if verbosity >= SILENT or not fixed:
        return
    rules = load()
    total = sum(n for t in fixed for n in (t.fixed or {}).values())
    lines = ["", f"Applied {count(total, 'edit')}:"]
    for t in fixed:
        lines.append(f"- {t.source_id}:")
        lines += [f"    {n} \u00d7 {code} ({rules[code].name if code in rules else code})"
                  for code, n in sorted((t.fixed or {}).items())]
    click.echo("\n".join(safe_text(line, one_line=True) for line in lines), err=True)


def fixed_per_rule(o: Outcome, show: bool) -> Mapping[str, int] | None:
    """The edits applied to ``o`` per rule, when ``show`` (--show-fixes) asks."""
    if not show or o.result is None or not o.changed:
        return None
    from collections import Counter

    return Counter(a.code for a in o.result.applied)


def fix_regions(o: Outcome) -> Mapping[Finding, FixDetail] | None:
    """The fix regions of ``o``'s findings, in the text their spans point into."""
    if o.document is None:
        return None
    from ..report.rows import fix_details

    return fix_details(o.findings, o.result.text if o.result is not None else o.document.text)


def as_read(o: Outcome, settings: Settings) -> list[Finding]:
    """The findings of a document that fixing in place could not write: it is as it was
    read, so its findings are the read's problems and every rule's findings on the text
    (``o.findings`` are what the fixed text would have had)."""
    from ..engine import check

    assert o.result is not None and o.document is not None
    read = [f for f in o.findings if f not in o.result.remaining]
    return read + check(o.document, settings)
