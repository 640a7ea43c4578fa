"""JUnit XML, GitHub Actions workflow commands and GitLab Code Quality JSON.

Each renderer is ``render(rows, rules, out)`` over findings-table rows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import TextIO

from ..registry import Rule
from .rows import Row

# Characters XML 1.0 cannot carry at all, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(s: str) -> str:
    """Text an XML 1.0 parser accepts: illegal characters shown as ``\\xNN`` escapes."""
    return _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", s)


def _where(row: Row) -> str:
    return f"{row['path']}:{row['line']}:{row['col']}"


def render_junit(rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO) -> None:
    """One testsuite per file, one testcase per finding; (classname, name) pairs are unique
    because GitLab drops repeated pairs."""
    import xml.etree.ElementTree as ET  # only here: keeps it off `provlint check`'s start-up

    failures = sum(1 for r in rows if not r.get("baseline_suppressed"))
    top = ET.Element("testsuites", name="provlint", tests=str(max(1, len(rows))),
                     failures=str(failures), errors="0", skipped=str(len(rows) - failures))
    if not rows:
        suite = ET.SubElement(top, "testsuite", name="provlint", tests="1", failures="0",
                              errors="0", skipped="0")
        ET.SubElement(suite, "testcase", classname="provlint", name="no findings")
    ordered = sorted(rows, key=lambda r: (str(r["path"]), int(r["line"]), int(r["col"]),
                                          str(r["code"])))
    for path, group in groupby(ordered, key=lambda r: str(r["path"])):
        items = list(group)
        bad = sum(1 for r in items if not r.get("baseline_suppressed"))
        suite = ET.SubElement(top, "testsuite", name=xml_safe(path), tests=str(len(items)),
                              failures=str(bad), errors="0", skipped=str(len(items) - bad))
        seen: Counter[str] = Counter()
        for r in items:
            name = f"{r['code']} {r['name']} @ {r['line']}:{r['col']}"
            seen[name] += 1
            if seen[name] > 1:
                name += f" #{seen[name]}"
            case = ET.SubElement(suite, "testcase", classname=xml_safe(path),
                                 name=xml_safe(name), file=xml_safe(path), line=str(r["line"]))
            message = xml_safe(str(r["message"]))
            if r.get("baseline_suppressed"):
                ET.SubElement(case, "skipped", message="in the provlint baseline")
                continue
            fail = ET.SubElement(case, "failure", message=message, type=str(r["severity"]))
            fail.text = xml_safe(f"{_where(r)}: {r['code']} {r['message']}")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(top, encoding="unicode"))
    out.write("\n")


GITHUB_LEVELS = {"info": "notice", "warning": "warning", "error": "error"}


def escape_data(s: str) -> str:
    """Escape a workflow-command message (after ``::``)."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """Escape a workflow-command property value (``file=``, ``title=`` ...)."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github_line(row: Row) -> str:
    """One ``::warning file=...::message`` annotation."""
    props = {
        "file": str(row["path"]),
        "line": str(row["line"]),
        "col": str(row["col"]),
        "endLine": str(row["end_line"]),
        "endColumn": str(row["end_col"]),
        "title": f"provlint ({row['code']} {row['name']})",
    }
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    body = f"{_where(row)}: {row['code']} {row['message']}"
    return f"::{GITHUB_LEVELS[str(row['severity'])]} {head}::{escape_data(body)}"


def render_github(rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO) -> None:
    for r in rows:
        if not r.get("baseline_suppressed"):
            out.write(github_line(r) + "\n")


GITLAB_SEVERITIES = {"info": "info", "warning": "minor", "error": "major"}


def render_gitlab(rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO) -> None:
    """GitLab Code Quality: description, check_name, fingerprint, severity, location."""
    items = [{
        "type": "issue",
        "description": f"{r['code']} {r['message']}",
        "check_name": r["code"],
        "fingerprint": r["fingerprint"],
        "severity": GITLAB_SEVERITIES[str(r["severity"])],
        "categories": ["Style"],
        "location": {"path": str(r["path"]),
                     "lines": {"begin": int(r["line"]), "end": int(r["end_line"])}},
    } for r in rows if not r.get("baseline_suppressed")]
    json.dump(items, out, indent=2, ensure_ascii=True)
    out.write("\n")
