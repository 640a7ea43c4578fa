"""How JUnit and GitLab Code Quality reports stay within what GitLab accepts.

A corpus's findings made a JUnit file of 35 MB (GitLab parses none over 30 MB,
and since 17.6 none of more than 250,000 XML elements) and a Code Quality file
of 40 MB (GitLab's merge request widget failed to load one of 25 MB). So, as a
SARIF log keeps at most ``sarif-max-results`` results, a JUnit report keeps at
most ``junit-max-results`` testcases and a Code Quality report at most
``gitlab-max-results`` issues (0 keeps all), chosen the same way every run:
findings provlint could not check a file for first, then by severity (errors,
warnings, notes), baselined ones and clean files last; ties by path, line,
column and rule. One more item, last, says how many were left out: it keeps the
same name and fingerprint from run to run, so GitLab does not take a changed
count for a new failure. Nothing else changes: the exit code and the baseline
still count every finding.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .rows import Row

# over the dev set: 9.6 MB of JUnit (50,327 elements), 10.7 MB of Code Quality
DEFAULT_MAX_RESULTS = 25_000
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
NOT_CHECKED_RANK = -1  # a file provlint could not (fully) check: its finding first
BASELINED_RANK = len(SEVERITY_RANK)
PASSED_RANK = BASELINED_RANK + 1  # a clean file's passing testcase: last
LEFT_OUT_NAME = "provlint: findings left out of this report"
LEFT_OUT_CHECK = "provlint-left-out"
LEFT_OUT_FINGERPRINT = hashlib.sha256(b"provlint\0" + LEFT_OUT_CHECK.encode()).hexdigest()
ORDER = "errors first, then by severity, path and line"

T = TypeVar("T")


def rank(row: Row, not_checked: bool) -> int:
    """Where a finding comes in a capped report (lower first): ``not_checked`` when
    it means provlint could not check its file."""
    if row.get("baseline_suppressed"):
        return BASELINED_RANK
    return NOT_CHECKED_RANK if not_checked else SEVERITY_RANK[str(row["severity"])]


def finding_key(row: Row, not_checked: bool) -> tuple[int, str, int, int, str]:
    """The order in which a capped report keeps findings (``rank``, then place)."""
    return (rank(row, not_checked), str(row["path"]), int(row["line"]), int(row["col"]),
            str(row["code"]))


def keep_first(items: Sequence[T], limit: int,
               key: Callable[[T], Any]) -> tuple[list[T], list[T]]:
    """(kept, left out): the first ``limit`` of ``items`` by ``key`` and the rest,
    each in the order of ``items``; everything is kept when ``limit`` is 0 or not
    exceeded."""
    if not limit or len(items) <= limit:
        return list(items), []
    order = sorted(range(len(items)), key=lambda i: key(items[i]))
    kept = frozenset(order[:limit])
    return ([x for i, x in enumerate(items) if i in kept],
            [x for i, x in enumerate(items) if i not in kept])


def left_out_text(left: int, total: int, what: str, limit: int, key: str,
                  detail: str = "") -> str:
    """The message of the item that says what a capped report left out."""
    return (f"{left} of {total} {what} left out{f' ({detail})' if detail else ''}: this "
            f"report keeps {limit}, {ORDER} ({key} = {limit}; 0 keeps all). The exit "
            "code counts every finding, and the json output lists them all.")


_KINDS = {"failures": "failure", "errors": "error", "skipped": "skipped",
          "passed": "passing file"}


def left_out_suite(ET: Any, kinds: Counter[str], total: int, limit: int) -> tuple[Any, str]:
    """The last testsuite of a capped JUnit report, and the count its one testcase falls
    under: that testcase says how many testcases of each kind (``kinds``: failures,
    errors, skipped, passed) were left out, and fails when any of them failed."""
    detail = ", ".join(f"{kinds[k]} {v}{'s' if kinds[k] != 1 and k != 'skipped' else ''}"
                       for k, v in _KINDS.items() if kinds[k])
    text = left_out_text(sum(kinds.values()), total, "testcases", limit, "junit-max-results",
                         detail)
    kind = "failures" if kinds["failures"] or kinds["errors"] else "skipped"
    suite = ET.Element("testsuite", name=LEFT_OUT_NAME, tests="1",
                       failures=str(int(kind == "failures")), errors="0",
                       skipped=str(int(kind == "skipped")), time="0")
    case = ET.SubElement(suite, "testcase", classname="provlint", name=LEFT_OUT_NAME,
                         time="0")
    if kind == "failures":
        ET.SubElement(case, "failure", message=text, type="left-out").text = text
    else:
        ET.SubElement(case, "skipped", message=text)
    return suite, kind
