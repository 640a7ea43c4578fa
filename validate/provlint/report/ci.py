"""JUnit XML, GitHub Actions workflow commands and GitLab Code Quality JSON.

Each renderer is ``render(rows, rules, out)`` over findings-table rows; JUnit
also takes the paths of every checked file, so files without findings count as
passed tests.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from ..baseline import fingerprint, key_of
from ..registry import Rule
from .cap import (
    DEFAULT_MAX_RESULTS,
    LEFT_OUT_CHECK,
    LEFT_OUT_FINGERPRINT,
    PASSED_RANK,
    finding_key,
    keep_first,
    left_out_suite,
    left_out_text,
)
from .rows import Row

# Characters XML 1.0 cannot carry at all, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(s: str) -> str:
    """Text an XML 1.0 parser accepts: illegal characters shown as ``\\xNN`` escapes."""
    return _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", s)


def _where(row: Row) -> str:
    return f"{row['path']}:{row['line']}:{row['col']}"


_BREAK = re.compile(r"\r\n|\r|\n")
_BREAK_OR_CR = re.compile(r"\r\n|\r|\n|\\r")  # a text of lone CRs: ``safe_text`` wrote \\r


def without_break(matched: str) -> str:
    """``matched`` without the line break it ends with (a lone CR is there as ``\\r``,
    the escape ``safe_text`` gives it)."""
    for end in ("\r\n", "\n", "\\r"):
        if matched.endswith(end):
            return matched[:-len(end)]
    return matched


def region(row: Row) -> tuple[int, int, int, int]:
    """(line, column, end line, end column) of a finding as a CI service should mark it.

    A finding of whole lines ends after the last one's line break, at column 1 of the
    next line (one past the file's last line when it ends the file). A CI service reads
    the end line as a line the finding covers: GitHub shows a code-scanning alert on a
    pull request only when every line of it is in the diff, so a boilerplate line the
    pull request added was never shown (the line after it was not changed), and
    annotations and Code Quality marked one line too many. Such a region ends on the
    line of the break instead, after its last character (a region of only a line
    break keeps one column). Columns are exact unless the last of several lines holds
    characters ``safe_text`` escaped in ``matched`` (then a few columns long, on the
    right line).
    """
    line, col, end_line, end_col = (int(row[k]) for k in ("line", "col", "end_line", "end_col"))
    if end_col != 1 or end_line <= line:
        return line, col, end_line, end_col
    matched = str(row["matched"])
    if end_line - 1 == line:  # one line and its break: the size in code points is exact
        size = int(row["end"]) - int(row["start"])
        return line, col, line, col + max(1, size - (2 if matched.endswith("\r\n") else 1))
    breaks = _BREAK_OR_CR if matched.endswith("\\r") else _BREAK
    last = breaks.split(without_break(matched))[-1]
    return line, col, end_line - 1, len(last) + 1


# Findings that mean the file was not (fully) checked: JUnit <error>, not <failure>.
NOT_CHECKED = frozenset({"PL901", "PL902", "PL904", "PL905", "PL906"})
PASSED_NAME = "provlint: no findings"


def _not_checked(row: Row) -> bool:
    """Whether a finding means its file was not (fully) checked."""
    return row["code"] in NOT_CHECKED


def _outcome(row: Row) -> str:
    """The JUnit count a finding's testcase falls under."""
    if row.get("baseline_suppressed"):
        return "skipped"
    return "errors" if _not_checked(row) else "failures"


# Every testsuite(s) and testcase has a time (provlint does not time them: 0 seconds).
# Readers take it as a number: dorny/test-reporter showed "NaNms" for each test without
# one, and the Ant JUnit schema requires it on a testsuite.
NO_TIME = "0"


def _count(element: Any, counts: Counter[str]) -> None:
    """Set tests/failures/errors/skipped (and time) on a testsuite(s) element from its
    cases."""
    element.set("tests", str(sum(counts.values())))
    for key in ("failures", "errors", "skipped"):
        element.set(key, str(counts[key]))
    element.set("time", NO_TIME)


def render_junit(rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO, *,
                 checked: Sequence[str] = (), max_results: int = DEFAULT_MAX_RESULTS) -> int:
    """One testsuite per file, one testcase per finding, and one passing testcase for
    each file in ``checked`` without findings (so a dashboard counts passes too).

    A finding on a file provlint could not check (unreadable, binary, too large,
    a crashed rule) is an ``<error>``, other findings ``<failure>``s, baselined
    ones ``<skipped>``. (classname, name) pairs are unique because GitLab drops
    repeated pairs, and a name never holds a position: GitLab tells a merge request's
    new failures from old ones by (classname, name), so a name with the line in it
    turned every finding below an inserted line into a new failure. A finding's name
    is its rule and the start of its fingerprint (as in SARIF and Code Quality: the
    matched text and its occurrence, never the line). Every count attribute is the
    sum of its testcases. Suites
    are written one at a time (a corpus's whole tree ran to hundreds of MB).
    File paths are from the project's root (``CI_PROJECT_DIR``, else
    ``GITHUB_WORKSPACE``: see ``project_paths``), as in the other CI formats: GitLab
    links a testcase's ``file`` into the repository and compares a merge request's
    tests with the target branch's by name, so a job run in a subfolder must
    name ``docs/a.txt`` as every other job does.

    At most ``max_results`` testcases (0: all) are written, then one more that says
    how many were left out (see ``cap``); returns how many were.
    """
    import xml.etree.ElementTree as ET  # only here: keeps it off `provlint check`'s start-up

    root = os.environ.get("CI_PROJECT_DIR") or os.environ.get("GITHUB_WORKSPACE")
    rel = project_paths(root)
    by_path: dict[str, list[Row]] = {rel(p): [] for p in checked}
    for r in rebased(rows, root, rel):  # one lookup per path for both
        by_path.setdefault(str(r["path"]), []).append(r)
    if not by_path:  # nothing checked at all: one passing case, never an empty report
        by_path["provlint"] = []
    cases: list[tuple[str, Row | None]] = []
    for path, items in by_path.items():
        cases += [(path, f) for f in items] if items else [(path, None)]
    kept, left = keep_first(cases, max_results, _case_key)
    if left:
        by_path = {}
        for path, finding in kept:
            items = by_path.setdefault(path, [])
            if finding is not None:
                items.append(finding)
    totals: Counter[str] = Counter()
    for items in by_path.values():
        totals.update(Counter(_outcome(r) for r in items) if items else {"passed": 1})
    last = None
    if left:
        kinds = Counter(_outcome(f) if f is not None else "passed" for _, f in left)
        last, kind = left_out_suite(ET, kinds, len(cases), max_results)
        totals[kind] += 1
    top = ET.Element("testsuites", name="provlint")
    _count(top, totals)
    top.text = "\0"  # the children go where this marker is
    head, tail = ET.tostring(top, encoding="unicode").split("\0")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + head)
    for path in sorted(by_path):
        out.write(ET.tostring(_suite(ET, path, by_path.pop(path)), encoding="unicode"))
    if last is not None:
        out.write(ET.tostring(last, encoding="unicode"))
    out.write(tail + "\n")
    return len(left)


def _case_key(case: tuple[str, Row | None]) -> tuple[int, str, int, int, str]:
    """The order in which a capped report keeps testcases: a finding's ``finding_key``;
    a clean file's passing testcase last."""
    path, r = case
    return (PASSED_RANK, path, 0, 0, "") if r is None else finding_key(r, _not_checked(r))


FINGERPRINT_SHOWN = 12  # hex digits of a finding's fingerprint in its testcase name


def _suite(ET: Any, path: str, items: list[Row]) -> Any:
    """The testsuite element of one file."""
    items.sort(key=lambda r: (int(r["line"]), int(r["col"]), str(r["code"])))
    suite = ET.Element("testsuite", name=xml_safe(path))
    if not items:
        ET.SubElement(suite, "testcase", classname=xml_safe(path), name=PASSED_NAME,
                      file=xml_safe(path), time=NO_TIME)
    seen: Counter[str] = Counter()
    for r in items:
        name = f"{r['code']} {r['name']} [{str(r['fingerprint'])[:FINGERPRINT_SHOWN]}]"
        seen[name] += 1
        if seen[name] > 1:
            name += f" #{seen[name]}"
        case = ET.SubElement(suite, "testcase", classname=xml_safe(path),
                             name=xml_safe(name), file=xml_safe(path), line=str(r["line"]),
                             time=NO_TIME)
        kind = _outcome(r)
        if kind == "skipped":
            ET.SubElement(case, "skipped", message="in the provlint baseline")
            continue
        tag = ET.SubElement(case, "error" if kind == "errors" else "failure",
                            message=xml_safe(str(r["message"])), type=str(r["severity"]))
        tag.text = xml_safe(f"{_where(r)}: {r['code']} {r['message']}")
    _count(suite, Counter(_outcome(r) for r in items) if items else Counter({"passed": 1}))
    return suite


GITHUB_LEVELS = {"info": "notice", "warning": "warning", "error": "error"}


def escape_data(s: str) -> str:
    """Escape a workflow-command message (after ``::``)."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """Escape a workflow-command property value (``file=``, ``title=`` ...)."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github_line(row: Row) -> str:
    """One ``::warning file=...::message`` annotation."""
    line, col, end_line, end_col = region(row)
    props = {
        "file": str(row["path"]),
        "line": str(line),
        "col": str(col),
        "endLine": str(end_line),
        "endColumn": str(end_col),
        "title": f"provlint ({row['code']} {row['name']})",
    }
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    body = f"{_where(row)}: {row['code']} {row['message']}"
    return f"::{GITHUB_LEVELS[str(row['severity'])]} {head}::{escape_data(body)}"


GITHUB_SHOWN = 10  # annotations of each kind GitHub shows for one step (and 50 per job)


def render_github(rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO) -> None:
    """Workflow-command annotations. GitHub attaches one to a file only by its path from
    the repository's root (``GITHUB_WORKSPACE``; see ``project_paths``), so a step that
    runs in a subfolder still annotates the right file.

    GitHub shows only the first ``GITHUB_SHOWN`` errors, warnings and notices of a step
    and drops the rest without a word, so when a kind has more, a notice first says how
    many there are and that the step's log lists them all."""
    shown = [r for r in rebased(rows, os.environ.get("GITHUB_WORKSPACE"))
             if not r.get("baseline_suppressed")]
    kinds = Counter(GITHUB_LEVELS[str(r["severity"])] for r in shown)
    if any(n > GITHUB_SHOWN for n in kinds.values()):
        counts = ", ".join(f"{kinds[k]} {k}{'s' if kinds[k] != 1 else ''}"
                           for k in ("error", "warning", "notice") if kinds[k])
        out.write(f"::notice title=provlint::{len(shown)} findings ({counts}): GitHub "
                  f"shows the first {GITHUB_SHOWN} annotations of each kind in a step; this "
                  "step's log lists every one\n")
    for r in shown:
        out.write(github_line(r) + "\n")


GITLAB_SEVERITIES = {"info": "info", "warning": "minor", "error": "major"}


def project_paths(root: str | None) -> Callable[[str], str]:
    """A function giving each file path relative to the project folder ``root``
    (GitLab's ``CI_PROJECT_DIR``, GitHub's ``GITHUB_WORKSPACE``): Code Quality,
    annotations and code scanning link a finding to its file only by a path from the
    repository's root, so ``$CI_PROJECT_DIR/docs/a.txt``, or
    ``../docs/a.txt`` from a job that ran in a subfolder, must become ``docs/a.txt``.
    A path that is not an existing file (a corpus document id) or lies outside
    ``root``, and every path when ``root`` is unset, is kept as it is."""
    if not root:
        return lambda path: path
    top = os.path.realpath(root)
    seen: dict[str, str] = {}

    def rel(path: str) -> str:
        if path not in seen:
            seen[path] = path
            if os.path.isfile(path):
                full = os.path.realpath(os.path.dirname(os.path.abspath(path)))
                if full == top or full.startswith(top.rstrip(os.sep) + os.sep):
                    inside = os.path.relpath(os.path.join(full, os.path.basename(path)), top)
                    seen[path] = inside.replace(os.sep, "/")
        return seen[path]
    return rel


def rebased(rows: Sequence[Row], root: str | None,
            rel: Callable[[str], str] | None = None) -> Sequence[Row]:
    """``rows`` with each file's path from the project folder ``root`` (``project_paths``,
    or ``rel``, one the caller made for ``root`` and shares, so a path is looked up on
    disk once; ``rows`` as they are when ``root`` is unset). A finding whose path changes
    gets the fingerprint it has when provlint runs from ``root``, however the job named
    the file, so a CI service tells its new findings from old ones by the same key."""
    if not root:
        return rows
    rel = rel or project_paths(root)
    out = []
    for r in rows:
        path = rel(str(r["path"]))
        if path != r["path"]:
            r = {**r, "path": path, "fingerprint": fingerprint(
                key_of(path, str(r["code"]), found_text(r), int(r["occurrence"])))}
        out.append(r)
    return out


# The escapes safe_text writes for a control character, a bidirectional override, a
# lone CR and an undecodable byte (a lone surrogate): \xNN, \uNNNN, \r.
_ESCAPED = re.compile(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|(r))")


def found_text(row: Row) -> str:
    """The text a finding matched, as its fingerprint hashed it. A row holds it made
    printable (``safe_text``), which hashes to another fingerprint: a finding of a
    control character got one fingerprint from a job run at the project's root and
    another from a job in a subfolder. The escapes are read back when the row's own
    fingerprint proves that text right (a document can hold a literal ``\\x0c`` too)."""
    matched = str(row["matched"])
    if "\\" not in matched:
        return matched
    raw = _ESCAPED.sub(lambda m: "\r" if m.group(3) else chr(int(m.group(1) or m.group(2), 16)),
                       matched)
    key = key_of(str(row["path"]), str(row["code"]), raw, int(row["occurrence"]))
    return raw if raw != matched and fingerprint(key) == row["fingerprint"] else matched


def _gitlab_item(r: Row) -> dict[str, Any]:
    """One Code Quality issue."""
    begin, _, end, _ = region(r)
    return {
        "type": "issue",
        "description": f"{r['code']} {r['message']}",
        "check_name": r["code"],
        "fingerprint": r["fingerprint"],
        "severity": GITLAB_SEVERITIES[str(r["severity"])],
        "categories": ["Style"],
        "location": {"path": r["path"], "lines": {"begin": begin, "end": end}},
    }


def _gitlab_left_out(left: Sequence[Row], total: int, limit: int) -> dict[str, Any]:
    """The last issue of a capped report: how many were left out, at the first of them
    (the most severe) and with the highest severity among them."""
    first = min(left, key=lambda r: finding_key(r, _not_checked(r)))
    return {**_gitlab_item(first),
            "description": left_out_text(len(left), total, "findings", limit,
                                         "gitlab-max-results"),
            "check_name": LEFT_OUT_CHECK, "fingerprint": LEFT_OUT_FINGERPRINT}


def render_gitlab(rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO, *,
                  max_results: int = DEFAULT_MAX_RESULTS) -> int:
    """GitLab Code Quality: description, check_name, fingerprint, severity, location
    (paths from the project's root, ``CI_PROJECT_DIR``: see ``project_paths``).

    At most ``max_results`` issues (0: all), then one more that says how many were
    left out (see ``cap``); returns how many were."""
    shown = [r for r in rebased(rows, os.environ.get("CI_PROJECT_DIR"))
             if not r.get("baseline_suppressed")]
    kept, left = keep_first(shown, max_results, lambda r: finding_key(r, _not_checked(r)))
    items = [_gitlab_item(r) for r in kept]
    if left:
        items.append(_gitlab_left_out(left, len(shown), max_results))
    json.dump(items, out, indent=2, ensure_ascii=True)
    out.write("\n")
    return len(left)
