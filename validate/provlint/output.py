"""Terminal and JSON renderers for ``provlint check``.

These stay free of pandas so the pre-commit path starts fast. Each renderer
is ``render(findings, rules, stream, fixed_count)``; FORMATTERS maps the
``--output-format`` names to them (flake8's report-plugin table).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from . import rx
from .model import Finding
from .registry import Rule

Renderer = Callable[[Sequence[Finding], Mapping[str, Rule], TextIO], None]


def position(f: Finding) -> dict[str, int]:
    """Where a finding is: 1-based line/column range and code-point offsets."""
    return {"line": f.line, "col": f.col, "end_line": f.end_line, "end_col": f.end_col,
            "start": f.span.start, "end": f.span.end}


def finding_dict(f: Finding, rules: Mapping[str, Rule]) -> dict[str, Any]:
    """The machine-readable form of one finding (json, json-lines)."""
    r = rules.get(f.code)
    return {
        "code": f.code,
        "name": f.name,
        "family": r.family if r else f.family,
        "path": f.path or f.doc_id,
        **position(f),
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


# Control characters (terminal escape sequences, backspace, a lone CR that
# overwrites the line) and bidirectional overrides ("Trojan source") would let
# a document rewrite what the terminal shows; they are printed as escapes.
_CONTROL_RE = rx.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
                         r"|\r(?!\n)")
_LINE_BREAK_RE = rx.compile(r"[\r\n\t\x85\u2028\u2029]")


def _escape(m: re.Match[str]) -> str:
    return m.group(0).encode("unicode_escape").decode("ascii")


def safe_text(s: str, *, one_line: bool = False) -> str:
    """Text any terminal can print: undecodable bytes and control characters
    shown as escapes; ``one_line`` escapes line breaks and tabs too."""
    if s.isprintable():  # the common case: every character escaped below is unprintable
        return s
    return _escaped(s, one_line)


def _escaped(s: str, one_line: bool) -> str:
    s = _CONTROL_RE.sub(_escape, s.encode("utf-8", "backslashreplace").decode("utf-8"))
    return _LINE_BREAK_RE.sub(_escape, s) if one_line else s


def _mark(f: Finding) -> str:
    """``[*]`` for a safe fix, ``[-]`` for one that needs --unsafe-fixes, else ``""``."""
    if f.fix is None:
        return ""
    return "[*]" if f.fix.applicability.value == "safe" else "[-]"


def _line(f: Finding) -> str:
    mark = _mark(f)
    return safe_text(f"{f.path or f.doc_id}:{f.line}:{f.col}: {f.code}{' ' if mark else ''}"
                     f"{mark} {f.message}", one_line=True)


def count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


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


def render_full(findings: Sequence[Finding], rules: Mapping[str, Rule], out: TextIO,
                summary: bool = True) -> None:
    """A line per finding (``path:line:col: code [*] message``), then, unless not
    ``summary`` (``--quiet``), the count and what is fixable."""
    for f in findings:
        out.write(_line(f) + "\n")
    for line in summary_lines(findings) if summary else ():
        out.write(line + "\n")


def render_concise(findings: Sequence[Finding], rules: Mapping[str, Rule], out: TextIO) -> None:
    for f in findings:
        out.write(safe_text(f"{f.path or f.doc_id}:{f.line}:{f.col}: {f.code} {f.message}",
                            one_line=True) + "\n")


def _json_dicts(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> list[dict[str, Any]]:
    """The findings as JSON objects any strict reader takes: an undecodable byte (a lone
    surrogate, which json writes as an escape serde_json and I-JSON readers refuse) shows
    as U+FFFD, and a ``path`` holding one keeps its exact bytes as ``path_b64``, as the
    ledger writes them (``ledger.json_safe``: loaded only for the json formats)."""
    from .ledger import json_safe

    return [json_safe(finding_dict(f, rules)) for f in findings]


def render_json(findings: Sequence[Finding], rules: Mapping[str, Rule], out: TextIO) -> None:
    import json  # only the json formats need it

    json.dump(_json_dicts(findings, rules), out, indent=2, ensure_ascii=True)
    out.write("\n")


def render_json_lines(findings: Sequence[Finding], rules: Mapping[str, Rule],
                      out: TextIO) -> None:
    import json

    for d in _json_dicts(findings, rules):
        out.write(json.dumps(d, ensure_ascii=True) + "\n")


def render_statistics(findings: Sequence[Finding], rules: Mapping[str, Rule], out: TextIO,
                      fmt: str = "full", summary: bool = True) -> None:
    """``--statistics``: a count per rule instead of the findings, as ruff prints it
    (``count  code  mark  name``, then, unless not ``summary``, the summary lines;
    JSON for the JSON formats).
    A rule's mark is the best fix among its findings: ``[*]`` safe, ``[-]`` unsafe."""
    counts = Counter(f.code for f in findings)
    marks: dict[str, str] = {}
    for f in findings:
        marks[f.code] = max(marks.get(f.code, ""), _mark(f), key=("", "[-]", "[*]").index)
    stats = [(code, n, rules[code].name if code in rules else "", marks[code])
             for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if fmt in ("json", "json-lines"):
        import json

        json.dump([{"code": c, "name": name, "count": n, "fixable": mark == "[*]",
                    "fix": {"[*]": "safe", "[-]": "unsafe"}.get(mark)}
                   for c, n, name, mark in stats], out, indent=2)
        out.write("\n")
        return
    for code, n, name, mark in stats:
        out.write(safe_text(f"{n:>6}  {code}  {mark or '   '}  {name}", one_line=True) + "\n")
    for line in summary_lines(findings) if summary else ():
        out.write(line + "\n")


def _patch_lines(text: str) -> list[str]:
    """``text`` cut after each newline only, as patch and git apply read a file
    (``splitlines`` also cuts at form feeds and U+2028, which would start a new
    diff line inside a line of the file)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _diff_name(name: str, side: str) -> str:
    """``side/name`` as git writes it in a ``---``/``+++`` line: quoted, with C escapes,
    when the name has a quote, a backslash or a control character; followed by a tab
    when it has a space (patch reads a name up to a tab). ``name`` is a path as the
    file system gave it (undecodable bytes as surrogates); the result holds its bytes
    one character per byte (latin-1)."""
    raw = f"{side}/{name}".encode("utf-8", "surrogateescape")
    if any(b < 0x20 or b in b'"\\\x7f' for b in raw):
        named = {ord("\t"): "\\t", ord("\n"): "\\n", ord('"'): '\\"', ord("\\"): "\\\\"}
        return '"' + "".join(named.get(b) or (f"\\{b:03o}" if b < 0x20 or b == 0x7f else chr(b))
                             for b in raw) + '"'
    return raw.decode("latin-1") + ("\t" if b" " in raw else "")


def unified_diff(name: str, before: bytes, after: bytes) -> bytes:
    """The unified diff (``a/name``, ``b/name``) that patch and git apply take from the
    bytes ``before`` to the bytes ``after``: the lines as they are in the files (any
    encoding, CRs, control characters), so it is not for a terminal (``diff_for_tty``)."""
    import difflib  # only --diff needs it

    # one character per byte: the diff cuts lines at b"\n" only, whatever the encoding
    a, b = (_patch_lines(data.decode("latin-1")) for data in (before, after))
    # a last line without a newline gets the marker patch and git apply expect; without
    # it the next line of the diff would be glued on and the diff would not apply
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in difflib.unified_diff(a, b, _diff_name(name, "a"),
                                                    _diff_name(name, "b"))).encode("latin-1")


def diff_for_tty(diff: bytes) -> str:
    """A diff as a terminal may show it: UTF-8 where it decodes, and undecodable
    bytes and control characters as escapes (such a diff no longer applies)."""
    return safe_text(diff.decode("utf-8", "backslashreplace"))


def print_diff(diff: bytes) -> None:
    """A diff to stdout: its bytes for a pipe or a file (patch, git apply), escaped
    for a terminal (a document must not drive the terminal)."""
    sys.stdout.flush()
    if sys.stdout.isatty():
        sys.stdout.write(diff_for_tty(diff))
    else:
        sys.stdout.buffer.write(diff)


FORMATTERS: dict[str, Renderer] = {
    "full": render_full,
    "concise": render_concise,
    "json": render_json,
    "json-lines": render_json_lines,
}
