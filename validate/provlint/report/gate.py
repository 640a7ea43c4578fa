"""Corpus thresholds: ``[tool.provlint.gate]`` as a pandera schema over the documents table.

Keys name a numeric column of the documents table in kebab case:

- ``max-<column>`` / ``min-<column>``: a bound every document must meet
  (``max-chars-removed-share = 0.30``: no document loses more than 30%);
- ``max-mean-<column>``: a bound on the corpus mean
  (``max-mean-dup-line-share = 0.05``);
- ``max-share-with-<family>``: the largest share of documents with at least
  one finding of that rule family (``max-share-with-boilerplate = 0.02``).

Each failed threshold is reported with its observed value and the documents
that broke it (for aggregate limits: the documents that push it up, worst first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..errors import ConfigError
from ..output import safe_text
from .frames import DocumentsFrame
from .rows import FAMILY_NAMES

SHOW = 20  # offending documents listed per failed threshold


@dataclass(frozen=True)
class Threshold:
    """One parsed gate key."""

    key: str
    kind: str  # max | min | max-mean | max-share-with
    column: str
    limit: float

    def check(self) -> pa.Check:
        # custom checks keep ``name`` in the failure cases (built-in ones do not)
        if self.kind == "max":
            return pa.Check(lambda s: s <= self.limit, name=self.key)
        if self.kind == "min":
            return pa.Check(lambda s: s >= self.limit, name=self.key)
        if self.kind == "max-mean":
            return pa.Check(lambda s: bool(s.mean() <= self.limit) if len(s) else True,
                            name=self.key)
        return pa.Check(lambda s: bool((s > 0).mean() <= self.limit) if len(s) else True,
                        name=self.key)

    def observed(self, df: pd.DataFrame) -> float:
        s = df[self.column]
        if self.kind == "max":
            return float(s.max())
        if self.kind == "min":
            return float(s.min())
        if self.kind == "max-mean":
            return float(s.mean())
        return float((s > 0).mean())

    def offenders(self, df: pd.DataFrame) -> pd.DataFrame:
        s = df[self.column]
        bad = {"max": s > self.limit, "min": s < self.limit, "max-mean": s > self.limit,
               "max-share-with": s > 0}[self.kind]
        return df[bad].sort_values(self.column, ascending=self.kind == "min", kind="stable")


@dataclass(frozen=True)
class GateFailure:
    """A threshold the corpus broke, with the documents that broke it."""

    threshold: Threshold
    observed: float
    documents: list[tuple[str, float]] = field(default_factory=list)
    total: int = 0

    def describe(self) -> str:
        t = self.threshold
        what = {"max": f"largest {t.column}", "min": f"smallest {t.column}",
                "max-mean": f"mean {t.column}",
                "max-share-with": f"share of documents with {t.column[9:]} findings"}[t.kind]
        head = (f"gate {t.key} = {t.limit:g} failed: {what} is "
                f"{self.observed:.4g} ({self.total} document{'s' if self.total != 1 else ''})")
        # one line per document, whatever its id holds: a record id with a line break
        # would start a line of its own (a fake line on the terminal; in summary.md a
        # line of backticks that closes the code block and lets the rest render)
        docs = [f"    {safe_text(doc, one_line=True)}: {value:.4g}"
                for doc, value in self.documents]
        more = [f"    ... and {self.total - len(docs)} more"] if self.total > len(docs) else []
        return "\n".join([head, *docs, *more])


_NUMERIC = {name for name, dtype in DocumentsFrame.dtypes.items()
            if str(dtype) in {"int64", "float64", "Int64"}}


def parse(config: Mapping[str, Any]) -> list[Threshold]:
    """Thresholds from the ``gate`` table; unknown keys or columns are configuration errors."""
    out = []
    for key, value in config.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"gate.{key} must be a number, got {value!r}")
        for kind in ("max-share-with", "max-mean", "max", "min"):
            if key.startswith(kind + "-"):
                rest = key[len(kind) + 1:].replace("-", "_")
                break
        else:
            raise ConfigError(f"gate.{key}: keys start with max-, min-, max-mean- or "
                              f"max-share-with-")
        if kind == "max-share-with":
            if rest not in FAMILY_NAMES:
                raise ConfigError(f"gate.{key}: unknown rule family {rest!r} "
                                  f"(known: {', '.join(FAMILY_NAMES)})")
            column = f"findings_{rest}"
        else:
            column = rest
            if column not in _NUMERIC:
                raise ConfigError(f"gate.{key}: no numeric documents column {column!r} "
                                  f"(known: {', '.join(sorted(_NUMERIC))})")
        out.append(Threshold(key, kind, column, float(value)))
    return out


def schema(thresholds: list[Threshold]) -> pa.DataFrameSchema:
    """The gate as a pandera schema (the documents table itself is validated elsewhere)."""
    checks: dict[str, list[pa.Check]] = {}
    for t in thresholds:
        checks.setdefault(t.column, []).append(t.check())
    return pa.DataFrameSchema({c: pa.Column(checks=cs, nullable=True) for c, cs in checks.items()},
                              strict=False)


def evaluate(documents: pd.DataFrame, config: Mapping[str, Any]) -> list[GateFailure]:
    """Apply the gate to a validated documents frame; an empty list means it passed."""
    thresholds = parse(config)
    if not thresholds or documents.empty:
        return []
    try:
        schema(thresholds).validate(documents, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        failed = set(err.failure_cases["check"].astype(str))
    out = []
    for t in thresholds:
        if t.key not in failed:
            continue
        bad = t.offenders(documents)
        shown = [(str(d), float(v)) for d, v in zip(bad["doc_id"].head(SHOW),
                                                    bad[t.column].head(SHOW), strict=True)]
        out.append(GateFailure(t, t.observed(documents), shown, len(bad)))
    return out
