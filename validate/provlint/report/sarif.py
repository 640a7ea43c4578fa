"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).

Every property GitHub lists as required is filled in and non-empty; the
driver lists each rule the results use. Columns count Unicode code points
(``columnKind`` says so) and fingerprints hash the matched text, never the
line number, so an alert survives edits above it.

A fixable result carries its fix (``fixes``): one replacement per edit, each
``deletedRegion`` given by line/column like the result's location (SARIF
counts columns in ``columnKind`` units but does not tie ``charOffset`` to
them, so offsets are left out) and ``insertedContent``. The fix's
``properties.applicability`` is ``safe`` (``provlint fix`` applies it) or
``unsafe`` (only with ``--unsafe-fixes``).

GitHub rejects an upload whose run holds more than 25,000 results, so a log keeps
at most ``max_results`` (the ``sarif-max-results`` setting; 0 keeps all): the most
severe first, in their own order. A log that leaves results out says how many, in
the run's ``invocations`` (a tool notification) and ``properties``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any, TextIO
from urllib.parse import quote

from .. import __version__
from ..registry import Rule
from .cap import SEVERITY_RANK, keep_first
from .ci import rebased, region, without_break
from .rows import FixDetail, Row

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"info": "note", "warning": "warning", "error": "error"}
SNIPPET_MAX = 1000
GITHUB_MAX_RESULTS = 25_000  # GitHub code scanning rejects a run with more results


def kept_rows(rows: Sequence[Row], max_results: int) -> Sequence[Row]:
    """The rows a log of at most ``max_results`` results holds (all when 0): errors
    before warnings before notes, each kept in the order of ``rows``."""
    if not max_results or len(rows) <= max_results:
        return rows
    return keep_first(rows, max_results, lambda r: SEVERITY_RANK[str(r["severity"])])[0]


def artifact_uri(path: str) -> str:
    """A repository-relative URI (``file:///`` only for paths outside the tree).

    ``path`` is already POSIX (``/`` between parts), so a backslash is part of a name (a
    legal file name character, or an escape in a shown path) and is percent-encoded,
    never taken for a separator (``a\\b.txt`` is not ``a/b.txt``)."""
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(path.removeprefix("./"), safe="/")


def _text(value: str, fallback: str) -> dict[str, str]:
    value = " ".join(value.split())
    return {"text": (value or fallback)[:1024]}


def descriptor(code: str, name: str, rule: Rule | None) -> dict[str, Any]:
    """The reportingDescriptor of one rule."""
    summary = rule.summary if rule else ""
    why = rule.section("Why") if rule else ""
    safety = rule.section("Fix safety") if rule else ""
    help_text = " ".join(x for x in (
        why, f"Fix safety: {safety}" if safety else "",
        f"Run `provlint rule {code}` for examples; `provlint fix` applies the safe fixes and "
        "records every removed span in the provenance ledger.") if x)
    family = rule.family if rule else "other"
    return {
        "id": code,
        "name": name,
        "shortDescription": _text(summary, name),
        "fullDescription": _text(" ".join(x for x in (summary, why) if x), name),
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS[rule.severity.label] if rule else "warning"},
        "properties": {"tags": [family], "precision": "high"},
    }


def _line_hash(row: Row) -> str:
    """GitHub's primaryLocationLineHash, from content: rule + matched text + occurrence."""
    h = hashlib.sha256(f"{row['code']}\0{row['matched']}".encode()).hexdigest()[:16]
    return f"{h}:{int(row['occurrence']) + 1}"


def sarif_fix(row: Row, detail: FixDetail) -> dict[str, Any]:
    """A SARIF ``fix`` object for one finding's fix."""
    applicability, title, edits = detail
    how = ("applied by `provlint fix`" if applicability == "safe"
           else "unsafe: applied only by `provlint fix --unsafe-fixes`")
    return {
        "description": {"text": f"{title or row['name']} ({how})"},
        "artifactChanges": [{
            "artifactLocation": {"uri": artifact_uri(str(row["path"]))},
            "replacements": [{
                "deletedRegion": {"startLine": sl, "startColumn": sc,
                                  "endLine": el, "endColumn": ec},
                "insertedContent": {"text": inserted},
            } for sl, sc, el, ec, inserted in edits],
        }],
        "properties": {"applicability": applicability, "safe": applicability == "safe"},
    }


def result(row: Row, index: int) -> dict[str, Any]:
    """One SARIF result."""
    line, col, end_line, end_col = region(row)
    where: dict[str, Any] = {"startLine": line, "startColumn": col,
                             "endLine": end_line, "endColumn": end_col}
    if row["matched"]:  # the text of the region: without a line break it ends before
        snippet = str(row["matched"])
        snippet = without_break(snippet) if end_line < int(row["end_line"]) else snippet
        where["snippet"] = {"text": snippet[:SNIPPET_MAX]}
    out: dict[str, Any] = {
        "ruleId": row["code"],
        "ruleIndex": index,
        "level": LEVELS[row["severity"]],
        "message": {"text": row["message"] or row["name"]},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(str(row["path"]))},
            "region": where,
        }}],
        "partialFingerprints": {"primaryLocationLineHash": _line_hash(row),
                                "provlint/v1": row["fingerprint"]},
    }
    if row.get("fix") is not None:
        out["fixes"] = [sarif_fix(row, row["fix"])]
    if row.get("baseline_suppressed"):
        out["suppressions"] = [{"kind": "external", "justification": "provlint baseline"}]
    return out


def _frame(rows: Sequence[Row], rules: Mapping[str, Rule],
           omitted: int = 0) -> tuple[dict[str, Any], dict[str, int]]:
    """The log without results, and each rule's index in the driver; ``omitted``: how
    many results the log leaves out (``kept_rows``)."""
    # a rule's own name, not "rule-crashed" (the name of its findings on a document
    # where it crashed), which sorts first and named the rule of every alert it raised
    names: dict[str, str] = {}
    for code, name in sorted({(r["code"], r["name"]) for r in rows}):
        names.setdefault(code, rules[code].name if code in rules else name)
    driver = {
        "name": "provlint",
        "semanticVersion": __version__,
        "version": __version__,
        "rules": [descriptor(code, name, rules.get(code)) for code, name in names.items()],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
    }
    if omitted:
        total = len(rows) + omitted
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [{
            "level": "warning",
            "descriptor": {"id": "sarif-max-results"},
            "message": {"text": f"{omitted} of {total} results left out: the log keeps the "
                                f"{len(rows)} most severe (sarif-max-results; 0 keeps all)"},
        }]}]
        run["properties"] = {"totalResults": total, "omittedResults": omitted}
    run["results"] = []
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return log, {code: i for i, code in enumerate(names)}


def _from_workspace(rows: Sequence[Row]) -> Sequence[Row]:
    """GitHub code scanning resolves a relative URI from the repository's root
    (``GITHUB_WORKSPACE``), so paths are made relative to it (``ci.rebased``): a
    job that runs in a subfolder still gets its alerts on the right files."""
    return rebased(rows, os.environ.get("GITHUB_WORKSPACE"))


def sarif_log(rows: Sequence[Row], rules: Mapping[str, Rule],
              max_results: int = GITHUB_MAX_RESULTS) -> dict[str, Any]:
    """The whole SARIF log as a dict (at most ``max_results`` results, see ``kept_rows``)."""
    kept = kept_rows(_from_workspace(rows), max_results)
    log, index = _frame(kept, rules, len(rows) - len(kept))
    log["runs"][0]["results"] = [result(r, index[r["code"]]) for r in kept]
    return log


_RESULTS = '"results": []'
_ITEM_INDENT = " " * 8  # log > runs > run > results: each result four levels deep


def render_sarif(rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO,
                 max_results: int = GITHUB_MAX_RESULTS) -> int:
    """The log as ``json.dump(sarif_log(...), indent=2)`` writes it, one result at a
    time (a corpus's results with their fixes would be hundreds of MB as one dict);
    how many results it left out."""
    kept = kept_rows(_from_workspace(rows), max_results)
    omitted = len(rows) - len(kept)
    rows = kept
    log, index = _frame(rows, rules, omitted)
    head, tail = json.dumps(log, indent=2, ensure_ascii=True).split(_RESULTS)
    if not rows:
        out.write(head + _RESULTS + tail + "\n")
        return omitted
    out.write(head + '"results": [')
    for i, r in enumerate(rows):
        item = json.dumps(result(r, index[r["code"]]), indent=2, ensure_ascii=True)
        out.write(("," if i else "") + "\n" + _ITEM_INDENT
                  + item.replace("\n", "\n" + _ITEM_INDENT))
    out.write("\n" + _ITEM_INDENT[:-2] + "]" + tail + "\n")
    return omitted
