"""SARIF fixes read back the way a consumer applies them.

A consumer turns each ``deletedRegion`` (line/column, columns in the run's
``columnKind`` units) into offsets, applies whole fixes in result order and
skips one that touches a fix it already took, then checks again until no fix
applies. On a seed document that must give exactly what ``provlint fix``
writes (``--unsafe-fixes`` when the consumer takes unsafe fixes too).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .conftest import DATA, SEEDS, Run

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
NEWLINE = re.compile(r"\r\n|\r|\n")
# CRLF lines, an astral character before a fix, trailing blank lines at the very end
AWKWARD = "Head line\r\n\r\n\U0001f600 caf\u00e9 text   \r\nLast.\r\n\r\n\r\n\r\n"


def sarif(run: Run, path: Path, *extra: str) -> dict[str, Any]:
    result = run("check", "--isolated", *extra, str(path), "--output-format", "sarif",
                 "-o", "f.sarif")
    assert result.exit_code in (0, 1), result.output
    log: dict[str, Any] = json.loads(Path("f.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


def offset(text: str, line: int, column: int) -> int:
    """SARIF 2.1.0 3.30.2: lines end at a newline sequence; a position after a final
    newline is on the last line, never on a line the text does not have."""
    starts = [0, *(m.end() for m in NEWLINE.finditer(text))]
    lines = len(starts) - 1 if text and starts[-1] == len(text) else len(starts)
    assert 1 <= line <= max(lines, 1), (line, lines)
    end = starts[line] if line < len(starts) else len(text)
    assert 1 <= column <= end - starts[line - 1] + 1, (line, column)
    return starts[line - 1] + column - 1


def conflicts(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def apply_fixes(text: str, log: dict[str, Any], unsafe: bool) -> tuple[str, int]:
    """Apply every fix of the log a consumer may take; (new text, fixes applied)."""
    taken: list[tuple[int, int, str]] = []
    applied = 0
    for res in log["runs"][0]["results"]:
        for fix in res.get("fixes", []):
            if not fix["properties"]["safe"] and not unsafe:
                continue
            assert fix["properties"]["applicability"] in {"safe", "unsafe"}
            (change,) = fix["artifactChanges"]
            assert change["artifactLocation"] == \
                res["locations"][0]["physicalLocation"]["artifactLocation"]
            spans = []
            for rep in change["replacements"]:
                region = rep["deletedRegion"]
                assert "charOffset" not in region
                spans.append((offset(text, region["startLine"], region["startColumn"]),
                              offset(text, region["endLine"], region["endColumn"]),
                              rep["insertedContent"]["text"]))
            if any(conflicts(s[:2], t[:2]) for s in spans for t in taken):
                continue
            taken += spans
            applied += 1
    out, pos = [], 0
    for start, end, inserted in sorted(taken):
        out += [text[pos:start], inserted]
        pos = end
    return "".join(out) + text[pos:], applied


def fix_like_a_consumer(run: Run, path: Path, unsafe: bool) -> str:
    for _ in range(10):
        text = path.read_bytes().decode("utf-8")
        new, applied = apply_fixes(text, sarif(run, path), unsafe)
        if not applied:
            return text
        path.write_bytes(new.encode("utf-8"))
    raise AssertionError("fixes did not converge")


def provlint_fix(run: Run, path: Path, *extra: str) -> str:
    result = run("fix", "--isolated", *extra, str(path), "--out", "fixed")
    assert result.exit_code in (0, 1), result.output
    return (Path("fixed") / path).read_bytes().decode("utf-8")


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("name", [*sorted(p.name for p in SEEDS.glob("*.txt")), "awkward.txt"])
def test_applying_sarif_fixes_gives_what_provlint_fix_writes(run: Run, name: str,
                                                             unsafe: bool) -> None:
    src = Path("in") / name
    src.parent.mkdir()
    if name == "awkward.txt":
        src.write_bytes(AWKWARD.encode("utf-8"))
    else:
        shutil.copy(SEEDS / name, src)
    original = src.read_bytes().decode("utf-8")
    expected = provlint_fix(run, src, *(["--unsafe-fixes"] if unsafe else []))
    assert expected != original  # there is something to fix
    work = Path("work") / name
    work.parent.mkdir()
    shutil.copy(src, work)
    assert fix_like_a_consumer(run, work, unsafe) == expected


def test_fixes_carry_their_safety_and_unsafe_ones_are_not_taken_by_default(run: Run) -> None:
    seed = SEEDS / "001_37c17d20fe168d34.txt"
    log = sarif(run, seed)
    fixes = [f for r in log["runs"][0]["results"] for f in r.get("fixes", [])]
    kinds = {f["properties"]["applicability"] for f in fixes}
    assert kinds == {"safe", "unsafe"}
    for f in fixes:
        assert f["properties"]["safe"] is (f["properties"]["applicability"] == "safe")
        assert f["description"]["text"]
        assert ("--unsafe-fixes" in f["description"]["text"]) is (not f["properties"]["safe"])
    text = seed.read_text(encoding="utf-8")
    safe_only, n_safe = apply_fixes(text, log, unsafe=False)
    everything, n_all = apply_fixes(text, log, unsafe=True)
    assert 0 < n_safe < n_all and safe_only != everything
    # exactly the fixable findings have fixes
    found = json.loads(run("check", "--isolated", str(seed), "--output-format", "json").output)
    assert [f["fix"] is not None for f in found] == \
        ["fixes" in r for r in log["runs"][0]["results"]]


def test_fix_regions_use_code_point_columns_and_end_on_the_last_line(run: Run) -> None:
    Path("a.txt").write_bytes(AWKWARD.encode("utf-8"))
    log = sarif(run, Path("a.txt"))
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"
    regions = {r["ruleId"]: r["fixes"][0]["artifactChanges"][0]["replacements"][0]
               ["deletedRegion"] for r in log["runs"][0]["results"] if r.get("fixes")}
    # "😀 café text   ": the spaces are code points 12-14 (UTF-16 units 13-15)
    assert regions["PL001"] == {"startLine": 3, "startColumn": 12, "endLine": 3,
                                "endColumn": 15}
    # the trailing blank lines end after the final CRLF, on the last line (line 7)
    assert regions["PL003"]["endLine"] == 7 and regions["PL003"]["endColumn"] == 3


def test_a_check_run_without_sarif_keeps_rows_free_of_fixes() -> None:
    from provlint.engine import check
    from provlint.model import Document
    from provlint.registry import load
    from provlint.report.rows import finding_rows, fix_details

    doc = Document("d", AWKWARD, "d")
    findings = check(doc)
    plain = finding_rows(findings, load())
    with_fixes = finding_rows(findings, load(), fixes=fix_details(findings, AWKWARD))
    assert all("fix" not in r for r in plain)
    assert sum("fix" in r for r in with_fixes) == sum(f.fix is not None for f in findings) > 0


def test_a_rule_that_crashed_on_one_document_keeps_its_name() -> None:
    # a crash is reported under the rule's code with the name "rule-crashed"; sorting
    # first, that name became the name of the rule behind every alert it raised
    from provlint.registry import load
    from provlint.report.sarif import sarif_log

    base = {"path": "a.txt", "code": "PL001", "severity": "warning", "line": 1, "col": 1,
            "end_line": 1, "end_col": 2, "start": 0, "end": 1, "message": "m",
            "matched": " ", "occurrence": 0, "fingerprint": "0" * 64}
    rows = [{**base, "name": "trailing-whitespace"},
            {**base, "path": "b.txt", "name": "rule-crashed", "severity": "error"},
            {**base, "code": "PL999", "name": "from-a-plugin"}]
    driver = sarif_log(rows, load())["runs"][0]["tool"]["driver"]
    assert [(r["id"], r["name"]) for r in driver["rules"]] == [
        ("PL001", "trailing-whitespace"), ("PL999", "from-a-plugin")]
    assert [r["ruleIndex"] for r in sarif_log(rows, load())["runs"][0]["results"]] == [0, 0, 1]
