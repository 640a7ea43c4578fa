"""The report run's outputs, built from outcomes one at a time.

``Collector`` keeps only table rows (findings in compact DataFrame
batches) and the before/after views of the documents that lost most text,
never the outcomes themselves, so a caller can stream a corpus through it.
``write_report`` validates both tables with pandera, applies the corpus
gate, and writes findings/documents (CSV, Parquet when pyarrow is
installed, JSON lines), summary.md, report.html and any extra machine
formats. Nothing is written when a table breaks its schema.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ..atomic import write_atomic
from ..baseline import Key, fingerprint
from ..registry import Rule
from ..runner import Outcome, Resumed
from . import Limits, journal, write_row_report
from .frames import Batches, FindingsFrame, documents_frame, rule_counts
from .gate import GateFailure, evaluate
from .html import Candidate, DocView, TopViews, candidate, render_html, view_of
from .rows import (
    SHARED,
    FixDetail,
    Row,
    document_row,
    finding_rows,
    fix_details,
    found_in_input,
)

Summary = tuple[list[Row], Row, Candidate | None]  # finding rows, document row, view


@dataclass(frozen=True)
class Summariser:
    """The per-document half of ``Collector``: an outcome's rows and view.

    Picklable, so the worker that cleaned a document makes its rows
    (``Outcome.summary``) and the parent only appends them.
    """

    rules: Mapping[str, Rule]
    run_id: str
    suppressed: frozenset[Key] = frozenset()
    fixes: bool = False  # rows carry each fix's regions (for SARIF)

    def __call__(self, o: Outcome) -> Summary:
        if o.resumed is not None:
            return self.restored(o, o.resumed)
        found = found_in_input(o)  # spans into the input text
        fixes = (fix_details([f for f, _ in found], o.document.text)
                 if self.fixes and o.document is not None else None)
        rows = finding_rows([f for f, _ in found], self.rules, run_id=self.run_id,
                            fixed=[x for _, x in found], suppressed=self.suppressed,
                            fixes=fixes)
        return rows, document_row(o, found, run_id=self.run_id, rules=self.rules), candidate(o)

    @cached_property
    def suppressed_fingerprints(self) -> frozenset[str]:
        """The ``fingerprint`` column value of each baselined key."""
        return frozenset(fingerprint(k) for k in self.suppressed)

    def restored(self, o: Outcome, saved: Resumed) -> Summary:
        """The summary of a document ``--resume`` skipped, from its rows journal line."""
        rows, doc = journal.restore(saved.rows, run_id=self.run_id, fixes=self.fixes,
                                    suppressed=self.suppressed_fingerprints)
        view = (view_of(o.source.id, o.document.text, saved.text, saved.edits,
                        doc["chars_removed"])
                if o.document is not None and saved.edits else None)
        return rows, doc, view


@dataclass
class Collector:
    """Accumulates the rows of a run, one outcome at a time.

    Finding rows go into DataFrame batches as they come (``Batches``); only
    the fixes (when a SARIF output wants them), the documents' rows and the
    shown before/after views stay as Python objects.
    """

    rules: Mapping[str, Rule]
    run_id: str
    suppressed: frozenset[Key] = frozenset()
    fixes: bool = False  # keep each fix's regions (for SARIF); the tables never hold them
    findings: Batches = field(default_factory=lambda: Batches(FindingsFrame, "findings"))
    fix_details: list[FixDetail | None] = field(default_factory=list)  # per finding row
    documents: list[Row] = field(default_factory=list)
    views: TopViews = field(default_factory=TopViews)

    @cached_property
    def summarise(self) -> Summariser:
        """What the workers run on each outcome (see ``parallel.Context.summarise``);
        one object, so what it caches (``suppressed_fingerprints``) is made once."""
        return Summariser(self.rules, self.run_id, self.suppressed, self.fixes)

    def add(self, o: Outcome) -> None:
        """Add one outcome, using the rows its worker made when there are some."""
        rows, doc, view = o.summary if o.summary is not None else self.summarise(o)
        if self.fixes:
            self.fix_details += [r.pop("fix", None) for r in rows]
        self.findings.extend(rows)
        self.documents.append(doc)
        self.views.push(view)

    def rows(self, findings: pd.DataFrame) -> list[Row]:
        """The findings table's rows as dicts, with their fixes (for the row renderers)."""
        cols = [str(c) for c in findings.columns]
        table: dict[Any, Any] = {}
        values = [[table.setdefault(v, v) for v in findings[c].tolist()] if c in SHARED
                  else findings[c].tolist() for c in cols]
        rows: list[Row] = [dict(zip(cols, vals, strict=True)) for vals in zip(*values, strict=True)]
        if self.fixes:
            for row, fix in zip(rows, self.fix_details, strict=True):
                if fix is not None:
                    row["fix"] = fix
        return rows


@dataclass(frozen=True)
class Report:
    """What a report run produced: the validated tables and the gate's verdict."""

    findings: pd.DataFrame
    documents: pd.DataFrame
    gate: list[GateFailure] | None
    written: list[Path]
    # (format, path) of a capped SARIF, JUnit or Code Quality file -> rows left out
    left_out: dict[tuple[str, str], int] = field(default_factory=dict)


def summary_markdown(findings: pd.DataFrame, documents: pd.DataFrame, *, run_id: str,
                     started: str, gate: Sequence[GateFailure] | None) -> str:
    """The corpus summary printed to the terminal and written as summary.md."""
    n_in = int(documents["input_bytes"].fillna(0).sum())
    n_out = int(documents["output_bytes"].fillna(0).sum())
    lines = [
        "# provlint report", "",
        f"- run: `{run_id}` ({started})",
        f"- documents: {len(documents)} ({int(documents['readable'].sum())} readable, "
        f"{int(documents['changed'].sum())} changed)",
        f"- bytes in/out: {n_in} / {n_out} "
        f"({(n_in - n_out) / n_in * 100 if n_in else 0:.1f}% removed)",
        f"- findings: {len(findings)} ({int(findings['fixed'].sum())} fixed)",
        f"- gate: {'not configured' if gate is None else ('passed' if not gate else 'FAILED')}",
        "", "| code | name | fixed | left |", "|---|---|---|---|",
    ]
    for code, name, fixed, total in rule_counts(findings):
        lines.append(f"| {code} | {name} | {fixed} | {total - fixed} |")
    for failure in gate or ():
        lines += ["", "```", failure.describe(), "```"]
    return "\n".join(lines) + "\n"


# Rows rendered at a time: a table is written in slices, never held whole as text
# (pandas' whole-table to_csv/to_json of the dev split's findings peaked at ~250 MB).
CHUNK_ROWS = 8192


def _csv(df: pd.DataFrame) -> Iterator[bytes]:
    """The table as CSV (UTF-8, undecodable characters as backslash escapes), in slices."""
    for i in range(0, max(len(df), 1), CHUNK_ROWS):
        part = df.iloc[i:i + CHUNK_ROWS].to_csv(index=False, header=i == 0, lineterminator="\n")
        yield part.encode("utf-8", "backslashreplace")


def _json_lines(df: pd.DataFrame) -> Iterator[bytes]:
    """One JSON object (ASCII) per row, in slices."""
    for i in range(0, len(df), CHUNK_ROWS):
        text = df.iloc[i:i + CHUNK_ROWS].to_json(orient="records", lines=True, force_ascii=True)
        yield (text if text.endswith("\n") else text + "\n").encode("ascii")


def write_report(out: Path, collector: Collector, *, started: str,
                 gate_config: Mapping[str, Any] | None = None,
                 extra: Sequence[tuple[str, str]] = (), html: bool = True,
                 limits: Limits | None = None) -> Report:
    """Validate, gate and write every report file under ``out`` (the collector's
    finding batches are handed over to the validated frame); SARIF, JUnit and GitLab
    files are capped by ``limits`` (``render_rows``; ``Report.left_out`` says how many
    rows each left out)."""
    findings = collector.findings.frame()
    documents = documents_frame(collector.documents)
    gate = evaluate(documents, gate_config) if gate_config else None
    written: list[Path] = []

    def put(name: str, data: bytes | Iterable[bytes]) -> None:
        write_atomic(out / name, data)
        written.append(out / name)

    put("findings.csv", _csv(findings))
    put("documents.csv", _csv(documents))
    put("findings.jsonl", _json_lines(findings))
    if importlib.util.find_spec("pyarrow") is not None:
        for name, df in (("findings", findings), ("documents", documents)):
            df.to_parquet(out / f"{name}.parquet", index=False)
            written.append(out / f"{name}.parquet")
    text = summary_markdown(findings, documents, run_id=collector.run_id, started=started,
                            gate=gate)
    put("summary.md", text.encode("utf-8"))
    if html:
        views: list[DocView] = collector.views.views()
        page = render_html(findings, documents, views, run_id=collector.run_id, started=started,
                           gate=gate)
        put("report.html", page.encode("utf-8"))
    rows = collector.rows(findings) if extra else []  # validated: rendered from the frame
    left_out: dict[tuple[str, str], int] = {}
    for fmt, path in extra:
        omitted = write_row_report(fmt, rows, collector.rules, path,
                                   [str(d["path"]) for d in collector.documents], limits)
        if omitted:
            left_out[fmt, path] = omitted
        written.append(Path(path))
    return Report(findings, documents, gate, written, left_out)
