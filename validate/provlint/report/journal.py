"""The rows journal: each recorded document's report rows, saved as the run goes.

A ledger record holds what rebuilds a document's cleaned text (its edits), not
what the report tables say of it: the findings of the first pass, which of
them were fixed, the ones left, the quality signals. So ``provlint report``
appends each document's rows to ``X.rows.jsonl`` next to the ledger
``X.jsonl``, one line per document, always before the document's ledger record:
a document with a record has its rows saved, whatever moment a run is killed
at (a torn last line is ignored, and its document runs again). ``--resume``
reads the rows of a skipped document back, so its tables are those of a run
that was never interrupted.

A line is ``{"key": [path, input digest, configuration digest], "fixes": bool,
"columns": [name, ...], "findings": [[value, ...], ...], "fix": [regions or
null, ...], "document": row}``: the rows as ``Summariser`` made them. What
depends on the run rather than the document is set again on the way back: the
run id, and which findings the run's baseline suppresses. Rows made without
fix regions (no SARIF output) cannot serve a run that wants them.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from ..ledger import dump_line

Key = tuple[str, str, str]  # (document path, input digest, resolved configuration digest)
Row = dict[str, Any]


def journal_path(ledger: Path) -> Path:
    """The rows journal that goes with a ledger: ``X.jsonl`` -> ``X.rows.jsonl``."""
    return ledger.with_name(ledger.name.removesuffix(".jsonl") + ".rows.jsonl")


def dump(key: Key, findings: Sequence[Row], document: Row, fixes: bool) -> bytes:
    """One journal line. The finding rows (one ``finding_row`` layout: the same columns
    in the same order, then ``fix`` for a fixable finding when ``fixes``) are stored as
    lists of values under one list of column names: 40% fewer bytes than dicts. Rows
    hold printable text only (``safe_text`` made them)."""
    columns = [c for c in findings[0] if c != "fix"] if findings else []
    values, regions = [], []
    for row in findings:
        vals = list(row.values())
        regions.append(vals.pop() if len(vals) > len(columns) else None)
        values.append(vals)
    return dump_line({"key": list(key), "fixes": fixes, "columns": columns,
                      "findings": values, "fix": regions, "document": document})


def read(path: Path, offset: int) -> bytes:
    """The journal line at ``offset``."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.readline()


def restore(line: bytes, *, run_id: str, suppressed: Collection[str],
            fixes: bool) -> tuple[list[Row], Row]:
    """(finding rows, document row) of a journal line for this run: its run id,
    ``baseline_suppressed`` from the fingerprints of its baseline's keys, and fix
    regions (as tuples, the way ``fix_details`` makes them) only when ``fixes``."""
    item = json.loads(line)
    columns = item["columns"]
    rows: list[Row] = []
    for vals, fix in zip(item["findings"], item["fix"], strict=True):
        row = dict(zip(columns, vals, strict=True))
        row["run_id"] = run_id
        row["baseline_suppressed"] = row["fingerprint"] in suppressed
        if fixes and fix is not None:
            applicability, title, edits = fix
            row["fix"] = (applicability, title, tuple(tuple(e) for e in edits))
        rows.append(row)
    document: Row = item["document"]
    document["run_id"] = run_id
    return rows, document
