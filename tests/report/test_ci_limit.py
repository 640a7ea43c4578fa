"""JUnit and GitLab Code Quality reports stay within what GitLab accepts
(``junit-max-results``, ``gitlab-max-results``): a capped report keeps the same
findings every run (errors first, then by severity, path and line), ends with one
item saying how many it left out, and parses; nothing else about the run changes."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from provlint.report import DEFAULT_MAX_RESULTS, omitted_note, result_limits
from provlint.report.cap import (
    LEFT_OUT_CHECK,
    LEFT_OUT_FINGERPRINT,
    LEFT_OUT_NAME,
    finding_key,
    keep_first,
)
from provlint.report.ci import render_gitlab, render_junit
from provlint.report.rows import Row

from .conftest import CLEAN, NOISY, Run
from .test_formats import _junit_counts_add_up, _row

SEVERITIES = ("info", "warning", "error")


def _rows(n: int = 60) -> list[Row]:
    """``n`` findings over six files, of every severity, two unreadable files (PL901,
    an error whatever its severity) and a few baselined findings."""
    rows = []
    for i in range(n):
        path = f"docs/f{i % 6}.txt"
        rows.append(_row(path=path, line=i + 1, severity=SEVERITIES[i * 7 % 3],
                         baseline_suppressed=i % 11 == 5, fingerprint=f"{i:012x}" + "0" * 52))
    rows += [_row(path=f"docs/u{k}.txt", code="PL901", name="unreadable-file", line=1,
                  severity="info", fingerprint=f"{900 + k:012x}" + "0" * 52) for k in range(2)]
    return rows


CHECKED = [f"docs/f{i}.txt" for i in range(6)] + [f"docs/clean{i}.txt" for i in range(4)]


def _junit(rows: list[Row], limit: int) -> tuple[str, int]:
    out = io.StringIO()
    left = render_junit(rows, {}, out, checked=CHECKED, max_results=limit)
    return out.getvalue(), left


def _case_id(case: ET.Element) -> tuple[str, str]:
    return str(case.get("classname")), str(case.get("name"))


def test_a_capped_junit_keeps_errors_then_the_most_severe_and_says_what_it_left_out() -> None:
    rows = _rows()
    full, none_left = _junit(rows, 0)
    assert none_left == 0
    everything = ET.fromstring(full)
    total = len(list(everything.iter("testcase")))
    assert total == len(rows) + 4  # every finding and the four clean files

    limit = 17
    capped, left = _junit(rows, limit)
    root = ET.fromstring(capped)  # a real parse of what GitLab reads
    counts = _junit_counts_add_up(root)  # every count is still the sum of its testcases
    cases = list(root.iter("testcase"))
    assert len(cases) == limit + 1 and left == total - limit
    *kept, last_suite = root.findall("testsuite")
    assert last_suite.get("name") == LEFT_OUT_NAME  # the final item
    (note,) = last_suite.findall("testcase")
    failure = note.find("failure")
    assert failure is not None and failure.get("message") == failure.text
    assert f"{left} of {total} testcases left out" in str(failure.text)
    assert "junit-max-results = 17" in str(failure.text)
    assert counts["failures"] + counts["errors"] + counts["skipped"] == limit + 1

    # which: both unreadable files' errors, then the errors, then warnings, by place
    wanted = sorted((r for r in rows if not r["baseline_suppressed"]),
                    key=lambda r: finding_key(r, r["code"] == "PL901"))[:limit]
    got = [c for c in cases if c is not note]
    assert sorted((c.get("classname"), int(str(c.get("line")))) for c in got) == sorted(
        (r["path"], r["line"]) for r in wanted)
    assert sum(c.find("error") is not None for c in got) == 2
    # each kept testcase is the very one of the uncapped report (GitLab compares names)
    uncapped = {_case_id(c): ET.tostring(c) for c in everything.iter("testcase")}
    assert all(uncapped[_case_id(c)] == ET.tostring(c) for c in got)
    ids = [_case_id(c) for c in cases]
    assert len(set(ids)) == len(ids)
    # the suites of the kept findings keep their path order
    names = [s.get("name") for s in kept]
    assert names == sorted(names)


def test_the_left_out_testcase_keeps_its_name_and_fails_only_for_failures() -> None:
    rows = _rows()
    a, _ = _junit(rows, 10)
    b, _ = _junit(rows, 20)
    name = [_case_id(ET.fromstring(x).findall("testsuite")[-1][0]) for x in (a, b)]
    assert name[0] == name[1] == ("provlint", LEFT_OUT_NAME)  # no count: not a "new" failure
    # only clean files left out: nothing that failed is missing, so it is skipped
    failing = len(rows) - sum(r["baseline_suppressed"] for r in rows)
    only_passes, left = _junit([r for r in rows if not r["baseline_suppressed"]], failing)
    assert left == 4
    note = ET.fromstring(only_passes).findall("testsuite")[-1][0]
    assert note.find("failure") is None and note.find("skipped") is not None
    assert "4 passing files" in str(note.find("skipped").get("message"))  # type: ignore[union-attr]
    _junit_counts_add_up(ET.fromstring(only_passes))


@pytest.mark.parametrize("limit", [0, len(_rows()) + 4, DEFAULT_MAX_RESULTS])
def test_junit_under_its_limit_is_the_whole_report(limit: int) -> None:
    rows = _rows()
    assert _junit(rows, limit) == _junit(rows, 0)
    assert LEFT_OUT_NAME not in _junit(rows, limit)[0]


def _gitlab(rows: list[Row], limit: int) -> tuple[list[dict[str, Any]], int]:
    out = io.StringIO()
    left = render_gitlab(rows, {}, out, max_results=limit)
    return json.loads(out.getvalue()), left


def test_a_capped_code_quality_report_keeps_the_most_severe_in_order() -> None:
    rows = _rows()
    shown = [r for r in rows if not r["baseline_suppressed"]]
    everything, none_left = _gitlab(rows, 0)
    assert none_left == 0 and len(everything) == len(shown)
    limit = 9
    items, left = _gitlab(rows, limit)
    assert len(items) == limit + 1 and left == len(shown) - limit
    *kept, note = items
    assert note["check_name"] == LEFT_OUT_CHECK and note["fingerprint"] == LEFT_OUT_FINGERPRINT
    assert f"{left} of {len(shown)} findings left out" in note["description"]
    assert "gitlab-max-results = 9" in note["description"]
    wanted = sorted(shown, key=lambda r: finding_key(r, r["code"] == "PL901"))
    assert [it["fingerprint"] for it in kept] == [
        r["fingerprint"] for r in shown if r in wanted[:limit]]  # in their own order
    first_left = wanted[limit]  # the note points at the most severe finding left out
    assert note["location"]["path"] == first_left["path"]
    assert note["severity"] == {"error": "major", "warning": "minor"}[first_left["severity"]]
    assert all(it in everything for it in kept)  # kept issues are unchanged
    fingerprints = [it["fingerprint"] for it in items]
    assert len(set(fingerprints)) == len(fingerprints)
    assert _gitlab(rows, 4)[0][-1]["fingerprint"] == note["fingerprint"]  # a stable identity
    assert _gitlab(rows, len(shown)) == (everything, 0)


def test_keep_first_keeps_the_order_of_its_items() -> None:
    items = [5, 1, 4, 2, 3]
    assert keep_first(items, 3, lambda x: x) == ([1, 2, 3], [5, 4])
    assert keep_first(items, 0, lambda x: x) == (items, [])
    assert keep_first(items, 5, lambda x: x) == (items, [])


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """A corpus with more findings than a small cap, and two clean files."""
    docs = tmp_path / "many"
    docs.mkdir()
    for i in range(8):
        (docs / f"n{i}.txt").write_text(NOISY, encoding="utf-8")
    for i in range(2):
        (docs / f"c{i}.txt").write_text(CLEAN, encoding="utf-8")
    return Path("many")


def test_check_caps_junit_and_gitlab_and_the_verdict_stays(run: Run, many: Path) -> None:
    full = run("check", str(many), "--output-format", "junit", "-o", "all.xml",
               "--report", "gitlab=all.json", "--config", "junit-max-results = 0",
               "--config", "gitlab-max-results = 0")
    assert full.exit_code == 1 and full.stderr == ""
    default = run("check", str(many), "--output-format", "junit", "-o", "default.xml",
                  "--report", "gitlab=default.json")
    assert default.exit_code == 1 and default.stderr == ""  # the default leaves it whole
    assert Path("default.xml").read_bytes() == Path("all.xml").read_bytes()
    assert Path("default.json").read_bytes() == Path("all.json").read_bytes()
    capped = run("check", str(many), "--output-format", "junit", "-o", "cap.xml",
                 "--report", "gitlab=cap.json", "--config", "junit-max-results = 5",
                 "--config", "gitlab-max-results = 3")
    assert capped.exit_code == full.exit_code
    root = ET.parse("cap.xml").getroot()
    _junit_counts_add_up(root)
    assert len(list(root.iter("testcase"))) == 6
    issues = json.loads(Path("cap.json").read_text(encoding="utf-8"))
    assert len(issues) == 4 and issues[-1]["check_name"] == LEFT_OUT_CHECK
    total = len(json.loads(Path("all.json").read_text(encoding="utf-8")))
    assert omitted_note("gitlab", "cap.json", total - 3, 3) in capped.stderr
    assert "junit cap.xml keeps the 5" in capped.stderr
    # stdout too, and --exit-zero still decides the exit code alone
    out = run("check", str(many), "--output-format", "gitlab", "--exit-zero",
              "--config", "gitlab-max-results = 2")
    assert out.exit_code == 0 and len(json.loads(out.stdout)) == 3


def test_a_baselined_run_keeps_its_verdict_under_the_cap(run: Run, many: Path) -> None:
    run("check", str(many), "--write-baseline", "base.json")
    (many / "n0.txt").write_text(NOISY + "New trailing text  \n", encoding="utf-8")
    plain = run("check", str(many), "--baseline", "base.json", "--output-format", "gitlab")
    new = json.loads(plain.stdout)
    assert 1 < len(new) < 5  # only the new findings, far fewer than the baselined ones

    def capped(limit: int) -> Any:
        result = run("check", str(many), "--baseline", "base.json", "--output-format",
                     "gitlab", "--config", f"gitlab-max-results = {limit}")
        assert result.exit_code == plain.exit_code == 1
        assert "suppressed by the baseline" in result.stderr
        return json.loads(result.stdout)

    assert capped(len(new)) == new  # the baselined findings do not count against the cap
    assert len(capped(1)) == 2


def test_the_report_command_caps_junit_and_gitlab(run: Run, many: Path) -> None:
    result = run("report", str(many), "--out", "r", "--no-html", "--report", "junit=r.xml",
                 "--report", "gitlab=r.json", "--config", "junit-max-results = 4",
                 "--config", "gitlab-max-results = 4")
    root = ET.parse("r.xml").getroot()
    _junit_counts_add_up(root)
    assert root.findall("testsuite")[-1].get("name") == LEFT_OUT_NAME
    assert len(list(root.iter("testcase"))) == 5
    assert len(json.loads(Path("r.json").read_text(encoding="utf-8"))) == 5
    assert "junit r.xml keeps the 4" in result.stderr and "gitlab r.json" in result.stderr


@pytest.mark.parametrize("key", ["junit-max-results", "gitlab-max-results"])
def test_a_bad_limit_stops_the_run_before_anything_is_written(run: Run, many: Path,
                                                              key: str) -> None:
    fmt = key.partition("-")[0]
    for bad in ("-1", '"many"', "true", "2.5"):
        result = run("check", str(many), "--config", f"{key} = {bad}",
                     "--output-format", fmt, "-o", "bad.out")
        assert result.exit_code == 2, (bad, result.output)
        assert key in result.stderr
        assert not Path("bad.out").exists()


def test_the_default_limits() -> None:
    assert result_limits({}) == {"sarif": 25_000, "junit": 25_000, "gitlab": 25_000}
    assert result_limits({"junit-max-results": 0})["junit"] == 0
