"""Terminal and JSON renderers for ``provlint check``.

These stay free of pandas so the pre-commit path starts fast. Each renderer
is ``render(findings, rules, stream, fixed_count)``; FORMATTERS maps the
``--output-format`` names to them (flake8's report-plugin table).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from .model import Finding
from .registry import Rule

Renderer = Callable[[Sequence[Finding], Mapping[str, Rule], TextIO], None]


def finding_dict(f: Finding, rules: Mapping[str, Rule]) -> dict[str, Any]:
    """The machine-readable form of one finding (json, json-lines)."""
    r = rules.get(f.code)
    return {
        "code": f.code,
        "name": f.name,
        "family": r.family if r else f.family,
        "path": f.path or f.doc_id,
        "line": f.line,
        "col": f.col,
        "end_line": f.end_line,
        "end_col": f.end_col,
        "start": f.span.start,
        "end": f.span.end,
        "severity": f.severity.label,
        "message": f.message,
        "fixable": f.fix is not None,
        "fix": None if f.fix is None else {
            "title": f.fix.title,
            "applicability": f.fix.applicability.value,
            "edits": [{"start": e.span.start, "end": e.span.end, "content": e.replacement}
                      for e in f.fix.edits],
        },
    }


def safe_text(s: str) -> str:
    """Text any terminal can print: undecodable bytes shown as escapes."""
    return s.encode("utf-8", "backslashreplace").decode("utf-8")


def _line(f: Finding) -> str:
    mark = " [*]" if f.fix is not None and f.fix.applicability.value == "safe" else (
        " [-]" if f.fix is not None else "")
    return safe_text(f"{f.path or f.doc_id}:{f.line}:{f.col}: {f.code}{mark} {f.message}")


def summary_lines(findings: Sequence[Finding]) -> list[str]:
    if not findings:
        return ["All checks passed!"]
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability.value == "safe")
    unsafe = sum(1 for f in findings if f.fix is not None) - safe
    n = len(findings)
    out = [f"Found {n} finding{'s' if n != 1 else ''}."]
    if safe:
        out.append(f"[*] {safe} fixable with `provlint fix`.")
    if unsafe:
        out.append(f"[-] {unsafe} more fixable with `provlint fix --unsafe-fixes`.")
    return out


def render_full(findings: Sequence[Finding], rules: Mapping[str, Rule], out: TextIO) -> None:
    for f in findings:
        out.write(_line(f) + "\n")
    for line in summary_lines(findings):
        out.write(line + "\n")


def render_concise(findings: Sequence[Finding], rules: Mapping[str, Rule], out: TextIO) -> None:
    for f in findings:
        out.write(safe_text(f"{f.path or f.doc_id}:{f.line}:{f.col}: {f.code} {f.message}\n"))


def render_json(findings: Sequence[Finding], rules: Mapping[str, Rule], out: TextIO) -> None:
    json.dump([finding_dict(f, rules) for f in findings], out, indent=2, ensure_ascii=True)
    out.write("\n")


def render_json_lines(findings: Sequence[Finding], rules: Mapping[str, Rule],
                      out: TextIO) -> None:
    for f in findings:
        out.write(json.dumps(finding_dict(f, rules), ensure_ascii=True) + "\n")


def render_statistics(findings: Sequence[Finding], rules: Mapping[str, Rule], out: TextIO) -> None:
    counts = Counter(f.code for f in findings)
    fixable = {f.code for f in findings if f.fix is not None}
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name = rules[code].name if code in rules else ""
        out.write(f"{n:>6}  {code}  {'[*]' if code in fixable else '   '}  {name}\n")


FORMATTERS: dict[str, Renderer] = {
    "full": render_full,
    "concise": render_concise,
    "json": render_json,
    "json-lines": render_json_lines,
}
