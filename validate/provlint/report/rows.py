"""Plain-dict rows of the findings and documents tables (no pandas).

These builders are the single definition of each table's columns. The
``report`` command turns the rows into DataFrames and validates them with
pandera (``frames.py``) before any renderer runs; ``check`` renders its
machine formats straight from the same rows, so the pre-commit path never
imports pandas. Strings are made printable (undecodable bytes become
``\\udcXX`` escapes) because CSV, Parquet and XML cannot carry lone
surrogates; keys and fingerprints are computed on the raw values first.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..baseline import Key, fingerprint, keys
from ..lines import normalise, split
from ..model import Finding
from ..output import position, safe_text
from ..registry import FAMILIES, Rule
from ..runner import Outcome

Row = dict[str, Any]

FAMILY_NAMES = (*FAMILIES.values(), "other")
TERMINAL = frozenset(".!?…。！？\"'”’»)]")
SHORT_WORDS = 4  # a line with fewer words than this is "short"
_NEWLINE = re.compile(r"\r\n|\r|\n")


# One replacement of a fix: (start line, start column, end line, end column, inserted
# text); 1-based, end column exclusive, columns in code points (SARIF's
# unicodeCodePoints column kind, the same as every finding location).
Replacement = tuple[int, int, int, int, str]
# What a renderer needs of a fix: (applicability, title, replacements).
FixDetail = tuple[str, str, tuple[Replacement, ...]]


class Positions:
    """1-based (line, column) of code-point offsets in one text.

    Lines end at CR LF, CR or LF, as the engine counts them. An offset at the
    very end of a text that ends with a newline is placed after that newline on
    the last line (SARIF 2.1.0, 3.30.2), not on a line the text does not have.
    """

    def __init__(self, text: str) -> None:
        self.size = len(text)
        self.starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        if line > 0 and offset == self.size == self.starts[line]:
            line -= 1
        return line + 1, offset - self.starts[line] + 1


def fix_details(findings: Iterable[Finding], text: str) -> dict[Finding, FixDetail]:
    """Each fixable finding's fix with the region of every edit in ``text`` (the
    text the findings' spans point into), for renderers that show fixes."""
    out: dict[Finding, FixDetail] = {}
    where: Positions | None = None
    for f in findings:
        if f.fix is None:
            continue
        where = where or Positions(text)
        edits = tuple((*where.at(e.span.start), *where.at(e.span.end), safe_text(e.replacement))
                      for e in sorted(f.fix.edits, key=lambda e: (e.span.start, e.span.end)))
        out[f] = (f.fix.applicability.value, safe_text(f.fix.title), edits)
    return out


def finding_row(f: Finding, rules: Mapping[str, Rule], *, run_id: str, key: Key,
                fixed: bool = False, suppressed: bool = False,
                fix: FixDetail | None = None) -> Row:
    """One row of the findings table; ``fix`` (only for renderers that show fixes,
    never a table column) is the finding's fix with regions."""
    r = rules.get(f.code)
    row: Row = {
        "run_id": run_id,
        "doc_id": safe_text(f.doc_id),
        "path": safe_text(f.path or f.doc_id),
        "code": f.code,
        "name": f.name,
        "family": r.family if r else FAMILIES.get(f.code[:3], "other"),
        "severity": f.severity.label,
        **position(f),
        "message": safe_text(f.message),
        "matched": safe_text(f.matched),
        "fixable": f.fix is not None,
        "fixed": fixed,
        "baseline_suppressed": suppressed,
        "occurrence": key[3],
        "fingerprint": fingerprint(key),
    }
    if fix is not None:
        row["fix"] = fix
    return row


# Columns whose values repeat across rows (a corpus has ~20x more findings than
# distinct messages): rows share one string object per value.
SHARED = ("doc_id", "path", "severity", "message", "matched")


def finding_rows(findings: Sequence[Finding], rules: Mapping[str, Rule], *, run_id: str = "",
                 fixed: Sequence[bool] | None = None, suppressed: Iterable[Key] = (),
                 fixes: Mapping[Finding, FixDetail] | None = None) -> list[Row]:
    """Rows for a list of findings; ``suppressed`` holds baselined keys. A finding
    in ``fixes`` (see ``fix_details``) gets its fix in its row. Repeated values
    (``SHARED``) are one string object for all the rows."""
    known = set(suppressed)
    flags = fixed if fixed is not None else [False] * len(findings)
    table: dict[str, str] = {}
    rows = []
    for f, k, x in zip(findings, keys(findings), flags, strict=True):
        row = finding_row(f, rules, run_id=run_id, key=k, fixed=x, suppressed=k in known,
                          fix=fixes.get(f) if fixes else None)
        for col in SHARED:
            row[col] = table.setdefault(row[col], row[col])
        rows.append(row)
    return rows


def found_in_input(o: Outcome) -> list[tuple[Finding, bool]]:
    """What a run found in a document's input, each with whether its fix was applied.

    A check run reports its findings as they are. A fix run reports the input
    problems plus the first pass's findings (positions in the input text). A
    fixable finding counts as fixed when every edit of its fix was applied in
    pass 1, or when no finding of the same rule on the same text remains (its
    fix ran in a later pass, or another fix removed its text first).
    """
    if o.result is None:
        return [(f, False) for f in o.findings]
    problems = o.findings[: len(o.findings) - len(o.result.remaining)]
    done = {(a.code, a.span.start, a.span.end) for a in o.result.applied if a.pass_no == 1}
    left = Counter((f.code, f.matched) for f in o.result.remaining)
    out = [(f, False) for f in problems]
    for f in o.result.findings:
        fixed = f.fix is not None and all((f.code, e.span.start, e.span.end) in done
                                          for e in f.fix.edits)
        if not fixed and left[(f.code, f.matched)] > 0:
            left[(f.code, f.matched)] -= 1
        else:
            fixed = f.fix is not None
        out.append((f, fixed))
    return out


def line_count(text: str) -> int:
    """Lines in ``text`` as ``lines.split`` counts them (a final terminator ends the last)."""
    n = len(_NEWLINE.findall(text))
    return n + 1 if text and text[-1] not in "\r\n" else n


def quality(text: str) -> dict[str, float]:
    """Per-document quality signals over the non-blank lines of ``text``."""
    lines = [s for s in (ln.text.strip() for ln in split(text) if not ln.blank) if s]
    n = len(lines)
    if n == 0:
        return {"no_terminal_punct_share": 0.0, "dup_line_share": 0.0, "short_line_share": 0.0}
    unique = len({normalise(x) for x in lines})
    return {
        "no_terminal_punct_share": sum(1 for x in lines if x[-1] not in TERMINAL) / n,
        "dup_line_share": (n - unique) / n,
        "short_line_share": sum(1 for x in lines if len(x.split()) < SHORT_WORDS) / n,
    }


def document_row(o: Outcome, found: Sequence[tuple[Finding, bool]], *, run_id: str,
                 rules: Mapping[str, Rule]) -> Row:
    """One row of the documents table (quality measured on the output text)."""
    doc = o.document
    fam = Counter(rules[f.code].family if f.code in rules else "other" for f, _ in found)
    before = doc.text if doc is not None else ""
    after = o.result.text if o.result is not None else before
    removed = sum(len(a.before) for a in o.result.applied) if o.result is not None else 0
    lines_in, lines_out = line_count(before), line_count(after)
    metadata = dict(o.result.metadata) if o.result is not None else {}
    out_bytes = len(o.output) if o.output is not None else (
        doc.input_bytes if doc is not None else None)
    row: Row = {
        "run_id": run_id,
        "doc_id": safe_text(o.source.id),
        "path": safe_text(doc.path if doc is not None and doc.path else next(  # unread: the
            (f.path for f, _ in found if f.path), o.source.id)),  # path its finding names
        "readable": doc is not None,
        "changed": o.changed,
        "input_bytes": doc.input_bytes if doc is not None else None,
        "output_bytes": out_bytes,
        "input_sha256": doc.input_sha256 if doc is not None else None,
        "output_sha256": (o.record or {}).get("output", {}).get("digest") or (
            doc.input_sha256 if doc is not None else None),
        "findings": len(found),
        **{f"findings_{name}": fam[name] for name in FAMILY_NAMES},
        "fixed": sum(1 for _, x in found if x),
        "edits": len(o.result.applied) if o.result is not None else 0,
        "lines_in": lines_in,
        "lines_out": lines_out,
        "lines_removed": max(0, lines_in - lines_out),
        "chars_in": len(before),
        "chars_out": len(after),
        "chars_removed": removed,
        "chars_removed_share": removed / len(before) if before else 0.0,
        **quality(after),
        "published": safe_text(metadata["published"]) if "published" in metadata else None,
        "metadata": safe_text(json.dumps(metadata, sort_keys=True, ensure_ascii=False)),
    }
    return row


def outcome_rows(outcomes: Iterable[Outcome], rules: Mapping[str, Rule], *, run_id: str,
                 suppressed: Iterable[Key] = ()) -> tuple[list[Row], list[Row]]:
    """(findings rows, documents rows) for a run's outcomes."""
    known = set(suppressed)
    findings: list[Row] = []
    documents: list[Row] = []
    for o in outcomes:
        found = found_in_input(o)
        findings += finding_rows([f for f, _ in found], rules, run_id=run_id,
                                 fixed=[x for _, x in found], suppressed=known)
        documents.append(document_row(o, found, run_id=run_id, rules=rules))
    return findings, documents
