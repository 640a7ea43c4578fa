"""The findings and documents tables as pandera-validated DataFrames.

Every file ``provlint report`` writes is rendered from these two frames
after validation. A frame that fails its schema is a bug in provlint, not
in the corpus: ``validate`` raises ``SchemaViolation`` (exit 2) naming each
failing column, check and row, from pandera's lazy failure cases.

Only report code imports this module; ``check`` and ``fix`` never do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..errors import ProvlintError
from ..registry import Rule
from ..runner import Outcome
from .rows import FAMILY_NAMES, Row, outcome_rows

HEX64 = r"^[0-9a-f]{64}$"
SHA = r"^sha256:[0-9a-f]{64}$"


class SchemaViolation(ProvlintError):
    """A report table broke its schema: a provlint bug (exit 2)."""


# The schemas are DataFrameSchema objects, not DataFrameModel classes: building a
# model's schema makes pandera import dask.dataframe (~0.5 s on every report run).
def _col(dtype: Any, *checks: pa.Check, nullable: bool = False,
         unique: bool = False) -> pa.Column:
    return pa.Column(dtype, list(checks), nullable=nullable, unique=unique)


def _count() -> pa.Column:
    return _col(int, pa.Check.ge(0))


def _share() -> pa.Column:
    return _col(float, pa.Check.ge(0.0), pa.Check.le(1.0))


FindingsFrame = pa.DataFrameSchema(
    {
        "run_id": _col(str),
        "doc_id": _col(str),
        "path": _col(str, pa.Check.str_length(min_value=1)),
        "code": _col(str, pa.Check.str_matches(r"^PL\d{3}$")),
        "name": _col(str, pa.Check.str_matches(r"^[a-z][a-z0-9-]*$")),
        "family": _col(str, pa.Check.isin(list(FAMILY_NAMES))),
        "severity": _col(str, pa.Check.isin(["info", "warning", "error"])),
        "line": _col(int, pa.Check.ge(1)),
        "col": _col(int, pa.Check.ge(1)),
        "end_line": _col(int, pa.Check.ge(1)),
        "end_col": _col(int, pa.Check.ge(1)),
        "start": _count(),
        "end": _count(),
        "message": _col(str, pa.Check.str_length(min_value=1)),
        "matched": _col(str),
        "fixable": _col(bool),
        "fixed": _col(bool),
        "baseline_suppressed": _col(bool),
        "occurrence": _count(),
        "fingerprint": _col(str, pa.Check.str_matches(HEX64), unique=True),
    },
    checks=[
        pa.Check(lambda df: (df["end"] >= df["start"]) & (df["end_line"] >= df["line"]),
                 name="ordered",
                 error="end must not precede start; end_line must not precede line"),
        pa.Check(lambda df: df["fixable"] | ~df["fixed"], name="fixed_needs_fix",
                 error="a finding can only be fixed when it is fixable"),
    ],
    strict=True, coerce=True, name="FindingsFrame", description="One row per finding.",
)

DocumentsFrame = pa.DataFrameSchema(
    {
        "run_id": _col(str),
        "doc_id": _col(str),  # a corpus may repeat ids across shards: (doc_id, path) is the key
        "path": _col(str),
        "readable": _col(bool),
        "changed": _col(bool),
        "input_bytes": _col(pd.Int64Dtype(), pa.Check.ge(0), nullable=True),
        "output_bytes": _col(pd.Int64Dtype(), pa.Check.ge(0), nullable=True),
        "input_sha256": _col(str, pa.Check.str_matches(SHA), nullable=True),
        "output_sha256": _col(str, pa.Check.str_matches(SHA), nullable=True),
        "findings": _count(),
        **{f"findings_{name}": _count() for name in FAMILY_NAMES},
        "fixed": _count(),
        "edits": _count(),
        "lines_in": _count(),
        "lines_out": _count(),
        "lines_removed": _count(),
        "chars_in": _count(),
        "chars_out": _count(),
        "chars_removed": _count(),
        "chars_removed_share": _share(),
        "no_terminal_punct_share": _share(),
        "dup_line_share": _share(),
        "short_line_share": _share(),
        "published": _col(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}"), nullable=True),
        "metadata": _col(str, pa.Check.str_startswith("{")),
    },
    checks=[pa.Check(lambda df: df["fixed"] <= df["findings"], name="fixed_le_found",
                     error="fixed findings cannot outnumber findings")],
    strict=True, coerce=True, unique=["doc_id", "path"], name="DocumentsFrame",
    description="One row per document: sizes, digests, findings per family, quality signals.",
)


def describe(err: pa.errors.SchemaErrors, table: str, ids: pd.Series | None = None,
             limit: int = 8) -> str:
    """A readable account of every failed check: column, check and row labels."""
    cases = err.failure_cases
    lines = [f"internal error: the {table} table broke its schema (a provlint bug):"]
    for (column, check), group in cases.groupby(
            [cases["column"].fillna("<frame>"), cases["check"].astype(str)], sort=True):
        idx = [i for i in group["index"].tolist() if i is not None and not pd.isna(i)]
        rows = sorted({int(i) for i in idx})
        values = [repr(v) for v in group["failure_case"].head(3).tolist()]
        where = f"rows {rows[:limit]}{' ...' if len(rows) > limit else ''}" if rows else "table"
        who = ""
        if ids is not None and rows:
            who = " docs " + ", ".join(str(ids.iloc[i]) for i in rows[:3] if i < len(ids))
        lines.append(f"  column {column!r} failed {check}: {where}{who}; "
                     f"values {', '.join(values)}")
    return "\n".join(lines)


def unchecked(model: pa.DataFrameSchema, rows: list[Row]) -> pd.DataFrame:
    """A frame with exactly the model's columns from rows (other keys are dropped);
    not validated yet."""
    cols = list(model.columns)
    df = pd.DataFrame(rows, columns=cols)
    return df.astype({c: "object" for c in cols}) if not rows else df


def checked(model: pa.DataFrameSchema, df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` validated lazily against ``model``; a failure is a SchemaViolation."""
    try:
        return model.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        ids = df["doc_id"] if "doc_id" in df.columns else None
        raise SchemaViolation(describe(err, table, ids)) from None


def validate(model: pa.DataFrameSchema, rows: list[Row], table: str) -> pd.DataFrame:
    """Build a frame with the model's columns from rows and validate it lazily."""
    return checked(model, unchecked(model, rows), table)


class Batches:
    """Rows of one table gathered into DataFrames ``size`` rows at a time, so a
    long run holds compact columns instead of one dict per row; ``frame()`` is
    the whole table, validated, as if built from every row at once."""

    def __init__(self, model: pa.DataFrameSchema, table: str, size: int = 8192) -> None:
        self.model, self.table, self.size = model, table, size
        self.rows: list[Row] = []
        self.parts: list[pd.DataFrame] = []

    def __len__(self) -> int:
        return len(self.rows) + sum(len(p) for p in self.parts)

    def extend(self, rows: list[Row]) -> None:
        self.rows += rows
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.parts.append(unchecked(self.model, self.rows))
            self.rows = []

    def frame(self) -> pd.DataFrame:
        """The validated table; the batches are handed over (emptied)."""
        self.flush()
        parts, self.parts = self.parts, []
        if not parts:
            return checked(self.model, unchecked(self.model, []), self.table)
        df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        del parts
        return checked(self.model, df, self.table)


def findings_frame(rows: list[Row]) -> pd.DataFrame:
    """The validated findings table."""
    return validate(FindingsFrame, rows, "findings")


def documents_frame(rows: list[Row]) -> pd.DataFrame:
    """The validated documents table."""
    return validate(DocumentsFrame, rows, "documents")


def frames(outcomes: Iterable[Outcome], rules: Mapping[str, Rule], *, run_id: str,
           suppressed: Iterable[tuple[str, str, str, int]] = ()) -> tuple[pd.DataFrame,
                                                                         pd.DataFrame]:
    """(findings, documents) frames of a run, both validated."""
    f_rows, d_rows = outcome_rows(outcomes, rules, run_id=run_id, suppressed=suppressed)
    return findings_frame(f_rows), documents_frame(d_rows)


def rule_counts(findings: pd.DataFrame) -> list[tuple[str, str, int, int]]:
    """(code, name, fixed, total) per rule, sorted by code."""
    if findings.empty:
        return []
    g = findings.groupby(["code", "name"], sort=True)["fixed"].agg(["sum", "count"])
    return [(str(code), str(name), int(fixed), int(total))
            for code, name, fixed, total in g.reset_index().itertuples(index=False)]
