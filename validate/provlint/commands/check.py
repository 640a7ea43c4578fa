"""``provlint check`` and ``provlint fix``: the pre-commit path.

Nothing here may import pandas or pandera (tests/test_budget.py checks it).
Start-up is part of every commit hook's cost, so what only some options need
(baselines, ledgers, --out name mapping, diffs, the CI row formats) is imported
where it is used. What becomes of the findings (formats, --report files,
--statistics, baselines) is in ``provlint.commands.findings``.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from ..atomic import write_atomic, write_named
from ..cli import FORCE_EXCLUDE as FORCE_EXCLUDE  # report.py takes it from here
from ..cli import (
    SETUP_OPTIONS,
    Abort,
    Setup,
    cli,
    common_io_options,
    run_guarded,
    selection_options,
    setup,
    stdin_paths,
)
from ..config import warn_unused
from ..discovery import discover
from ..excludes import exclusions, force_excluded
from ..io import (
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    DEFAULT_MAX_DOCUMENT_BYTES,
    Source,
    corpus_problem,
    document_from_bytes,
    encode,
    parse_size,
    read_limited,
    too_large,
)
from ..model import Finding
from ..output import FORMATTERS, count, print_diff, safe_text, unified_diff
from ..provenance import RunInfo
from ..registry import load
from ..runner import Options, Outcome, process, process_read
from .findings import (
    QUIET,
    SILENT,
    apply_baseline,
    as_read,
    check_output_format,
    fail_level,
    fix_regions,
    fixed_per_rule,
    list_files,
    note,
    report_findings,
)
from .findings import show_fixes as findings_show_fixes

if TYPE_CHECKING:
    from ..ledger import RunLog
    from ..report.rows import FixDetail
    from ..safepath import NameMap


def sources_of(st: Setup, paths: Sequence[str], include: Sequence[str],
               exclude: Sequence[str], out: Path | None = None,
               force_exclude: bool | None = None, records: bool = False,
               verbosity: int = 0) -> Iterator[Source]:
    """The inputs: ``discover`` with the configured globs, relative to the configuration's
    folder, never walking into ``out``; with ``--force-exclude`` (None: the key decides)
    the globs skip paths named too. Unless ``records`` (report's), a corpus file is PL908."""
    inc = tuple(include) or tuple(st.config.get("include", DEFAULT_INCLUDE))
    exc, force = exclusions(st.config, exclude, force_exclude)
    found = discover(paths, inc, exc, skip=out, root=st.settings.root or None,
                     force_exclude=force)
    if st.discovered:  # say which nearer configuration files the run leaves unused
        found = warn_unused(found, st.config_path, lambda text: note(text, verbosity))
    return found if records else map(corpus_problem, found)


def _stdin_excluded(st: Setup, exclude: Sequence[str], force_exclude: bool | None,
                    name: str | None) -> bool:
    """Whether ``--force-exclude`` covers the ``--stdin-filename`` (as in ruff:
    an editor linting an excluded file through stdin gets no findings)."""
    exc, force = exclusions(st.config, exclude, force_exclude)
    return bool(force and name) and force_excluded(
        str(name), (*DEFAULT_EXCLUDE, *exc), st.settings.root or ".")


def _stdin_outcome(st: Setup, opts: Options, run: RunInfo, name: str | None,
                   verbosity: int = 0) -> tuple[Outcome, bytes | None]:
    """The outcome of the text on stdin, and the bytes read (None: too large, unread)."""
    doc_id = name or "-"
    data = read_limited(sys.stdin.buffer, opts.max_document_bytes)
    source = Source(Path(doc_id), doc_id, Path(doc_id).name)
    if name and st.discovered:  # an editor's buffer: named like a file, the same warning
        source = next(warn_unused([source], st.config_path,
                                  lambda text: note(text, verbosity)))
    read = (too_large(doc_id, opts.max_document_bytes + 1, opts.max_document_bytes)
            if data is None else document_from_bytes(doc_id, data, doc_id))
    return process_read(source, read, st.settings, opts, run), data


def _diff(o: Outcome) -> bytes:
    """The diff of ``o``'s input and output bytes (a pipe gets them as they are, for patch)."""
    assert o.result is not None and o.output is not None
    doc = o.result.document
    return unified_diff(o.source.id, encode(doc.text, doc.decoding), o.output)


def _out_outcomes(srcs: Sequence[Source], names: NameMap, st: Setup, opts: Options,
                  run: RunInfo, jobs: int, out_dir: Path, ledger: Path | None,
                  keep_texts: bool) -> Iterator[Outcome]:
    """``fix --out``: every source in ``jobs`` processes, each output written to
    its claimed name under ``out_dir`` by the process that cleaned it."""
    from ..corpus import Task
    from ..parallel import Outputs, local_outcomes  # worker pools: fix --out only

    tasks, renamed = [], {}
    for s in srcs:  # names claimed in input order, before any worker writes
        rel = names.claim(s.rel, s.id)  # inside out_dir, not shared
        if rel != s.rel:
            renamed[rel] = s.rel
        tasks.append(Task(s, replace(s, rel=rel)))
    return local_outcomes(tasks, st.settings, opts, run, jobs,
                          Outputs(out_dir, ledger, renamed, keep_records=False,
                                  keep_texts=keep_texts))


class Tally(NamedTuple):
    """What the run keeps of a document once its output is written: no texts, so a
    run over many files holds only their findings."""

    source_id: str
    findings: list[Finding]
    edits: int
    fixes: Mapping[Finding, FixDetail] | None = None  # fix regions, when SARIF shows them
    unwritten: str = ""  # why fixing in place could not write the file (it is as it was)
    fixed: Mapping[str, int] | None = None  # edits applied per rule, for --show-fixes


def run_files(
    st: Setup, paths: Sequence[str], opts: Options, *, mode: str, write: str, out_dir: Path | None,
    diff: bool, include: Sequence[str], exclude: Sequence[str], stdin_filename: str | None,
    ledger_path: Path | None, fixes: bool = False, force_exclude: bool | None = None,
    show: bool = False, verbosity: int = 0,
) -> tuple[list[Tally], int]:
    """Process every source; write outputs (``write`` = none|inplace|out); count changes.
    With ``fixes``, each tally keeps its findings' fix regions (``rows.fix_details``);
    with ``show``, its edits per rule (``--show-fixes``)."""
    run = RunInfo(mode=mode)
    outcomes: list[Tally] = []
    changed = 0
    srcs: list[Source] = []  # found before the ledger starts: a bad path writes nothing
    if list(paths) != ["-"]:
        srcs = list(sources_of(st, paths or ["."], include, exclude, out_dir, force_exclude,
                               verbosity=verbosity))
        if write == "out" and out_dir is not None and not diff:
            from ..safepath import refuse_overwrite

            refuse_overwrite((s.path, out_dir / s.rel) for s in srcs)
    ledger: RunLog | None = None
    # fixing files in place, the ledger records the files rewritten, each planned just
    # before it is written: a run that rewrites nothing leaves the ledger as it was
    in_place = write == "inplace" and list(paths) != ["-"]
    if ledger_path is not None and not diff and write != "none":  # check alone fixes nothing
        from ..ledger import RunLog

        ledger = RunLog(ledger_path, run, st.settings, unsafe=opts.unsafe,
                        text_mode=opts.text_mode, lazy=in_place)
    if out_dir is not None:
        from ..safepath import NameMap

        names = NameMap(reserved=[ledger_path.name] if ledger_path is not None
                        and ledger_path.parent == out_dir else [])
    stdin_data: bytes | None = None
    try:
        if list(paths) == ["-"] and _stdin_excluded(st, exclude, force_exclude, stdin_filename):
            if write != "none" and not diff:  # fix -: the text goes back out as it came
                while chunk := sys.stdin.buffer.read(1 << 16):  # not shutil: see test_budget
                    sys.stdout.buffer.write(chunk)
            items: Iterator[Outcome] = iter([])
        elif list(paths) == ["-"]:
            o, stdin_data = _stdin_outcome(st, opts, run, stdin_filename, verbosity)
            if ledger is not None:
                ledger.plan([o.source.id])
            items = iter([o])
        else:
            if ledger is not None and not in_place:
                ledger.plan(s.id for s in srcs)
            jobs = int(st.config.get("jobs", 1))  # set by fix --out --jobs
            if write != "out" or out_dir is None or diff:
                items = (process(s, st.settings, opts, run) for s in srcs)
            else:  # the workers write the outputs and serialise the records
                items = _out_outcomes(srcs, names, st, opts, run, jobs, out_dir,
                                      None if ledger is None else ledger_path,
                                  keep_texts=fixes or show)
        for o in items:
            outcomes.append(Tally(o.source.id, o.findings, o.edits,
                                  fix_regions(o) if fixes else None, fixed=fixed_per_rule(o, show)))
            if in_place and not o.changed:
                continue  # nothing to write or record (an unreadable file: a finding)
            if o.skipped:
                if ledger is not None:
                    from ..ledger import skip_reason

                    ledger.skip(o.source.id, skip_reason(o.findings))
                if stdin_data is not None and write != "none" and not diff:
                    sys.stdout.buffer.write(stdin_data)  # fix -: what it cannot read goes
                continue  # back out as it came, or a pipe would replace a text with nothing
            if diff:
                if o.changed:
                    changed += 1
                    print_diff(_diff(o))
                continue
            if list(paths) == ["-"] and write != "none":
                assert o.output is not None  # stdin keeps its texts
                sys.stdout.buffer.write(o.output)
                changed += o.changed
                if ledger is not None and o.record is not None:
                    ledger.record(o.record, None)  # output.path None: it went to stdout
                continue
            if write == "inplace" and o.changed:  # through a symlink, never replacing it
                assert o.output is not None  # in-place fixes keep their texts
                if ledger is not None:
                    ledger.plan([o.source.id])  # a run killed before its record names it
                try:  # the rename would replace a file whose mode says read-only, as
                    if not os.access(o.source.path, os.W_OK):  # ruff's write would not
                        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
                    write_atomic(o.source.path, o.output, like=o.source.path)
                except OSError as exc:  # read-only, immutable, full disk: say so, go on
                    why = f"cannot write {o.source.id}: {exc.strerror or exc}; left as it was"
                    click.echo(safe_text(f"error: {why}"), err=True)
                    outcomes[-1] = outcomes[-1]._replace(  # its findings are as read
                        unwritten=why, edits=0, fixed=None, findings=as_read(o, st.settings))
                    if ledger is not None:
                        ledger.skip(o.source.id, why)
                    continue
                note(f"Fixing {o.source.id}", verbosity)
                changed += 1
            elif write == "out":  # already written, and its record serialised (o.line)
                changed += o.changed
            if ledger is not None and o.line is not None:
                ledger.record_line(o.line)
            elif ledger is not None and o.record is not None:
                ledger.record(o.record, o.source.path if write == "inplace" else None)
    except BaseException as exc:
        if ledger is not None:
            ledger.close("interrupted" if isinstance(exc, KeyboardInterrupt) else "failed")
            ledger = None
        raise
    finally:
        if ledger is not None:
            ledger.close()
    return outcomes, changed


@cli.command()
@common_io_options
@selection_options
@click.option("--fix/--no-fix", "do_fix", default=False,
              help="Fix files in place (same as `provlint fix`); the last one given counts.")
@click.option("--output-format", default=None, envvar="PROVLINT_OUTPUT_FORMAT",
              help="full, concise, json, json-lines, sarif, junit, github, gitlab.")
@click.option("-o", "--output-file", default=None, envvar="PROVLINT_OUTPUT_FILE",
              help="Write findings here, not stdout (env PROVLINT_OUTPUT_FILE).")
@click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH",
              help="Also write findings in FORMAT to PATH; repeatable.")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False), default=None,
              help="Suppress the findings recorded in this baseline file; report stale ones.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
              help="Record the current findings as the baseline in this file; exit 0.")
@click.option("--statistics", is_flag=True,
              help="Print a count per rule instead of the findings.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), default=None,
              help="Lowest severity that makes the exit status 1.")
@click.option("--show-files", is_flag=True, help="List the files a run would read; exit 0.")
def check(paths: tuple[str, ...], do_fix: bool, output_format: str | None,
          output_file: str | None, statistics: bool, fail_on: str | None,
          reports: tuple[str, ...], baseline: str | None, write_baseline: str | None,
          show_files: bool, **kw: Any) -> None:
    """Check PATHS (files, folders, or - for stdin) and report findings."""
    st_args = {k: kw.pop(k) for k in SETUP_OPTIONS}

    def body() -> int:
        st = setup(**st_args)
        if fail_on:
            st.config["fail-on"] = fail_on
        if show_files:  # as ruff's: what discovery (includes, excludes) makes of PATHS
            return list_files(sources_of(st, paths or ["."], kw["include"], kw["exclude"],
                                         force_exclude=kw["force_exclude"]))
        return _run(st, paths, fix=do_fix, out=None, output_format=output_format,
                    output_file=output_file, statistics=statistics, reports=reports,
                    baseline=baseline or st.config.get("baseline"),
                    write_baseline=write_baseline, **kw)

    sys.exit(run_guarded(body, st_args["debug"]))


@cli.command()
@common_io_options
@selection_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write cleaned copies here (same relative paths) plus provenance.jsonl; "
                   "inputs are left untouched.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="With --out: worker processes (0 = every core; a few files run in-process).")
def fix(paths: tuple[str, ...], out_dir: str | None, jobs: int, **kw: Any) -> None:
    """Fix PATHS in place (or into --out DIR). Exit 1 when a file changed."""
    st_args = {k: kw.pop(k) for k in SETUP_OPTIONS}

    def body() -> int:
        st = setup(**st_args)
        st.config["jobs"] = jobs if out_dir else 1
        return _run(st, paths, fix=True, out=out_dir, output_format=None,
                    output_file=None, statistics=False, **kw)

    sys.exit(run_guarded(body, st_args["debug"]))


def _run(st: Setup, paths: tuple[str, ...], *, fix: bool, out: str | None,
         output_format: str | None, output_file: str | None, statistics: bool,
         unsafe_fixes: bool | None, diff: bool, include: tuple[str, ...],
         exclude: tuple[str, ...], force_exclude: bool | None, stdin_filename: str | None,
         exit_zero: bool, ledger: str | None, max_document_bytes: str | None,
         provenance_text: str | None, fix_only: bool, show_fixes: bool, quiet: bool,
         silent: bool, reports: Sequence[str] = (), baseline: str | None = None,
         write_baseline: str | None = None) -> int:
    if quiet and silent:
        raise Abort("--quiet and --silent cannot be used together")
    verbosity = SILENT if silent else QUIET if quiet else 0
    paths = stdin_paths(paths, stdin_filename, lambda text: note(text, verbosity))
    fix = fix or fix_only
    level = fail_level(st.config)  # a bad fail-on is a config error before anything is written
    text_mode = provenance_text or str(st.config.get("provenance-text", "full"))
    unsafe = (bool(st.config.get("unsafe-fixes", False)) or st.settings.unsafe_fixes
              if unsafe_fixes is None else unsafe_fixes)
    limit = parse_size(max_document_bytes or st.config.get("max-document-bytes",
                                                            DEFAULT_MAX_DOCUMENT_BYTES))
    out_dir = Path(out) if out else None
    ledger_path = Path(ledger) if ledger else (out_dir / "provenance.jsonl" if out_dir else None)
    opts = Options(fix=fix or diff, unsafe=unsafe, text_mode=text_mode, debug=st.debug,
                   max_document_bytes=limit, first_findings=False,  # only report reads them
                   records=ledger_path is not None)  # without a ledger nothing keeps them
    write = "none" if not fix else ("out" if out_dir else "inplace")
    fmt = output_format or str(st.config.get("output-format", "full"))
    check_output_format(fmt)  # a fix run would otherwise write its files, then fail
    formats = (fmt, *(spec.partition("=")[0] for spec in reports))
    sarif = "sarif" in formats
    limits = None
    if {"sarif", "junit", "gitlab"} & set(formats):  # a bad *-max-results stops the run
        from ..report import result_limits  # before anything is written

        limits = result_limits(st.config)
    outcomes, changed = run_files(
        st, paths, opts, mode="fix" if fix else "check", write=write, out_dir=out_dir, diff=diff,
        include=include, exclude=exclude, stdin_filename=stdin_filename, ledger_path=ledger_path,
        fixes=sarif and not diff, force_exclude=force_exclude, show=show_fixes and not diff,
        verbosity=verbosity)
    # by path, folder by folder, as ruff sorts (stable: each file keeps its own order)
    findings = sorted((f for o in outcomes for f in o.findings),
                      key=lambda f: (f.path or f.doc_id).split("/"))
    if diff:
        note(f"Would fix {count(changed, 'file')}.", verbosity)
        return 0 if exit_zero else int(changed > 0)
    if write_baseline:
        from ..baseline import Baseline

        where = Path(write_baseline)
        write_named(where, Baseline.from_findings(
            findings, Path(os.path.abspath(where)).parent).dumps().encode())
        note(f"Wrote {count(len(findings), 'finding')} to the baseline {write_baseline}.",
             verbosity)
        return 0
    if baseline:
        findings = apply_baseline(Path(baseline), findings, outcomes, verbosity)
    if fix_only:  # what remains is neither reported nor failed on, as in ruff
        findings = []
    elif paths != ("-",) or not fix:
        report_findings(findings, fmt, output_file, statistics, reports, outcomes,
                        limits, verbosity)
    elif verbosity < SILENT:  # fix -: stdout is the text; what is left goes to stderr, as ruff
        FORMATTERS["concise"](findings, load(), sys.stderr)
    if show_fixes:
        findings_show_fixes(outcomes, verbosity)
    if fix:
        edits = sum(o.edits for o in outcomes)
        left = len(findings)
        note(f"Fixed {count(changed, 'file')} ({count(edits, 'edit')})" + (
            "." if fix_only else
            f"; {count(left, 'finding')} {'remains' if left == 1 else 'remain'}."), verbosity)
    unwritten = sum(1 for t in outcomes if t.unwritten)
    if unwritten:  # an I/O failure is not a finding: exit 2, as ruff ends abnormally
        click.echo(f"error: {count(unwritten, 'file')} could not be "
                   "written (see above)", err=True)
        return 2
    if exit_zero:
        return 0
    failing = any(f.severity >= level for f in findings)
    return int(failing or (fix and changed > 0))
