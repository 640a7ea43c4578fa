"""Each machine format, read back by a consumer-side validator or parser:
SARIF against the OASIS 2.1.0 schema (plus GitHub's required properties),
JUnit with an XML parser, GitHub workflow commands with the runner's
escaping rules, GitLab Code Quality as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from provlint.baseline import fingerprint, key_of
from provlint.output import safe_text
from provlint.report.ci import found_text, github_line, render_github, render_junit
from provlint.report.rows import Row

from .conftest import DATA, Run

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def sarif_of(run: Run, *args: str) -> dict[str, Any]:
    result = run("check", *args, "--output-format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 1, result.output
    return json.loads(Path("out.sarif").read_text(encoding="utf-8"))


def test_sarif_is_valid_against_the_oasis_schema_and_github_requirements(
        run: Run, corpus: Path) -> None:
    log = sarif_of(run, str(corpus))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["version"] == "2.1.0" and log["$schema"]
    (sarif_run,) = log["runs"]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    rules = sarif_run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    results = sarif_run["results"]
    assert len(results) >= 8 and sorted(set(ids)) == ids
    assert {r["ruleId"] for r in results} == set(ids)  # every rule used, and only those
    for r in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            assert r[key]["text"].strip(), (r["id"], key)
        assert r["name"]
    for res in results:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in {"note", "warning", "error"} and res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].startswith("docs/")
        region = loc["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        assert res["partialFingerprints"]["primaryLocationLineHash"]
    with_fixes = [res for res in results if "fixes" in res]
    assert with_fixes  # fixable findings carry their fix (validated above with the rest)
    for res in with_fixes:
        (fix,) = res["fixes"]
        assert fix["properties"]["applicability"] in {"safe", "unsafe"}
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"] == \
            res["locations"][0]["physicalLocation"]["artifactLocation"]
        for rep in change["replacements"]:  # line/column, like the locations
            assert set(rep["deletedRegion"]) == {"startLine", "startColumn", "endLine",
                                                 "endColumn"}
            assert "text" in rep["insertedContent"]


def test_sarif_from_the_report_command_has_valid_fixes(run: Run, corpus: Path) -> None:
    result = run("report", str(corpus), "--isolated", "--out", "rep", "--no-html",
                 "--report", "sarif=rep.sarif")
    assert result.exit_code == 0, result.output
    log = json.loads(Path("rep.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    fixes = [f for r in log["runs"][0]["results"] for f in r.get("fixes", [])]
    assert len(fixes) >= 5
    assert not (Path("rep") / "findings.csv").read_text(encoding="utf-8").count("deletedRegion")


def test_sarif_schema_check_is_not_blind(run: Run, corpus: Path) -> None:
    log = sarif_of(run, str(corpus))
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_sarif_columns_count_code_points_and_fingerprints_ignore_lines(run: Run) -> None:
    Path("a.txt").write_text("Intro line.\n\U0001f600 x  \nEnd.\n", encoding="utf-8")
    first = sarif_of(run, "a.txt")["runs"][0]["results"]
    (ws,) = [r for r in first if r["ruleId"] == "PL001"]
    region = ws["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, 4, 6)
    Path("a.txt").write_text("New lead.\n\nIntro line.\n\U0001f600 x  \nEnd.\n", encoding="utf-8")
    (moved,) = [r for r in sarif_of(run, "a.txt")["runs"][0]["results"] if r["ruleId"] == "PL001"]
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert moved["partialFingerprints"] == ws["partialFingerprints"]


def test_sarif_uri_keeps_a_backslash_in_a_file_name(run: Run) -> None:
    # a backslash is an ordinary character in a POSIX file name (and in a corpus document
    # id); read as a separator, the URI named another file, in a folder that may exist
    Path("docs").mkdir()
    Path("docs/a\\b.txt").write_text("x  \n", encoding="utf-8")
    (res,) = sarif_of(run, "docs")["runs"][0]["results"]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/a%5Cb.txt"


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_whole_line_findings_end_on_their_own_line(run: Run, nl: str) -> None:
    # a finding of a whole line ends after its line break, at column 1 of the next
    # line; CI services read that end line as covered: GitHub shows a code-scanning
    # alert on a pull request only when all its lines are in the diff (so a boilerplate
    # line a pull request added was never shown), and the last line's end named a line
    # past the end of the file
    Path("docs").mkdir()
    Path("docs/a.txt").write_bytes(nl.join(["A first line of the article text.", "Advertisement",
                                            "More text of the article follows.",
                                            "Advertisement", ""]).encode())
    Path("docs/b.txt").write_bytes(nl.join(["Some text of another article.", "", "", "", ""])
                                   .encode())
    lines = {"docs/a.txt": 4, "docs/b.txt": 4}
    log = sarif_of(run, "docs")
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    regions = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"]):
               r["locations"][0]["physicalLocation"]["region"] for r in log["runs"][0]["results"]}
    for line in (2, 4):
        ad = regions["PL206", "docs/a.txt", line]
        assert (ad["endLine"], ad["endColumn"], ad["snippet"]["text"]) == (
            line, 14, "Advertisement")
    blank = regions["PL003", "docs/b.txt", 2]  # the blank lines 2-4 at the end
    assert (blank["endLine"], blank["endColumn"]) == (4, 1)
    for (_, uri, _), reg in regions.items():
        assert reg["startLine"] <= reg["endLine"] <= lines[uri]
    gh = run("check", "docs", "--output-format", "github").output.splitlines()
    ads = [props for cmd, props, _ in map(parse_command, gh) if "PL206" in props["title"]]
    assert [(p["line"], p["endLine"], p["endColumn"]) for p in ads] == [
        ("2", "2", "14"), ("4", "4", "14")]
    run("check", "docs", "--output-format", "gitlab", "-o", "gl.json")
    items = json.loads(Path("gl.json").read_text(encoding="utf-8"))
    assert [it["location"]["lines"] for it in items if it["check_name"] == "PL206"] == [
        {"begin": 2, "end": 2}, {"begin": 4, "end": 4}]
    assert all(it["location"]["lines"]["end"] <= lines[it["location"]["path"]] for it in items)


def _row(**kw: Any) -> Row:
    base: Row = {"path": "docs/a.txt", "code": "PL001", "name": "trailing-whitespace",
                 "severity": "warning", "line": 3, "col": 5, "end_line": 3, "end_col": 7,
                 "message": "trailing whitespace", "matched": "  ", "fixable": True,
                 "fixed": False, "baseline_suppressed": False, "occurrence": 0,
                 "fingerprint": "0" * 64}
    base.update(kw)
    return base


def _junit_counts_add_up(root: ET.Element) -> dict[str, int]:
    """Every suite's counts are those of its testcases and the top counts their sums;
    returns the top counts."""
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        got = {"tests": len(cases),
               **{k: sum(1 for c in cases if c.find(tag) is not None)
                  for k, tag in (("failures", "failure"), ("errors", "error"),
                                 ("skipped", "skipped"))}}
        assert {k: int(suite.get(k, "-1")) for k in got} == got, suite.get("name")
        for k in total:
            total[k] += got[k]
    assert {k: int(root.get(k, "-1")) for k in total} == total
    # readers take every time as a number (dorny/test-reporter showed NaN without one)
    timed = [root, *root.iter("testsuite"), *root.iter("testcase")]
    assert all(float(e.get("time", "nan")) >= 0 for e in timed)
    return total


def test_junit_parses_and_classname_name_pairs_are_unique(run: Run, corpus: Path) -> None:
    result = run("check", str(corpus), "--output-format", "junit")
    root = ET.fromstring(result.output)
    cases = root.findall("./testsuite/testcase")
    pairs = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(pairs) >= 8 and len(set(pairs)) == len(pairs)
    for case in cases:
        failure = case.find("failure")
        if failure is None:
            continue
        assert failure.text and failure.get("message")
        assert failure.text.startswith(f"{case.get('classname')}:")


def test_junit_names_stay_when_an_edit_moves_the_findings(run: Run) -> None:
    # GitLab tells a merge request's new test failures from old ones by (classname,
    # name): with the line in the name, a line inserted at the top made every finding
    # below it a "new failure" (and its old self a fixed one)
    body = "Advertisement\nA line of the article.  \nAdvertisement\nThe end of it.\n"

    def cases() -> dict[str, str]:
        root = ET.fromstring(run("check", "a.txt", "--output-format", "junit").output)
        return {c.get("name", ""): c.get("line", "") for c in root.iter("testcase")}

    Path("a.txt").write_text(body, encoding="utf-8")
    before = cases()
    assert len(before) == 3  # the two identical lines are two tests
    Path("a.txt").write_text("A new first line.\n\n" + body + "Advertisement\n",
                             encoding="utf-8")
    after = cases()
    assert set(before) < set(after) and len(after) == 4  # only the added finding is new
    assert all(int(after[name]) == int(line) + 2 for name, line in before.items())


def test_junit_lists_every_checked_file_and_clean_files_pass(run: Run, corpus: Path) -> None:
    (corpus / "tidy.txt").write_text("Another tidy story.\n\nThe end.\n", encoding="utf-8")
    files = sorted(p.as_posix() for p in corpus.glob("*.txt"))
    found = json.loads(run("check", str(corpus), "--output-format", "json").output)
    dirty = sorted({f["path"] for f in found})
    clean = sorted(set(files) - set(dirty))
    assert clean == ["docs/clean.txt", "docs/tidy.txt"] and len(dirty) == len(files) - 2

    result = run("check", str(corpus), "--output-format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.output)
    totals = _junit_counts_add_up(root)
    assert sorted(s.get("name", "") for s in root.findall("testsuite")) == files
    assert totals == {"tests": len(found) + len(clean), "failures": len(found), "errors": 0,
                      "skipped": 0}
    for path in clean:
        (suite,) = root.findall(f"./testsuite[@name='{path}']")
        (case,) = suite.findall("testcase")
        assert case.get("classname") == path and len(case) == 0  # passed: no child

    run("check", str(corpus / "clean.txt"), "--output-format", "junit", "-o", "one.xml")
    only = ET.parse("one.xml").getroot()
    assert _junit_counts_add_up(only) == {"tests": 1, "failures": 0, "errors": 0, "skipped": 0}


def test_junit_from_the_report_command_counts_clean_documents(run: Run, corpus: Path) -> None:
    result = run("report", str(corpus), "--isolated", "--out", "rep", "--no-html",
                 "--report", "junit=rep.xml")
    assert result.exit_code == 0, result.output
    root = ET.parse("rep.xml").getroot()
    totals = _junit_counts_add_up(root)
    names = sorted(s.get("name", "") for s in root.findall("testsuite"))
    assert names == sorted(p.as_posix() for p in corpus.glob("*.txt"))
    assert totals["tests"] - totals["failures"] - totals["errors"] - totals["skipped"] >= 1


def test_junit_same_rule_same_place_and_illegal_characters() -> None:
    import io

    rows = [_row(), _row(end_col=9, message="bad \x0b char \x1b[31m"),
            _row(path="docs/b.txt", baseline_suppressed=True),
            _row(path="docs/c.txt", code="PL901", name="unreadable-file", line=1, col=1)]
    out = io.StringIO()
    render_junit(rows, {}, out, checked=["docs/a.txt", "docs/b.txt", "docs/c.txt", "docs/d.txt"])
    root = ET.fromstring(out.getvalue())  # would raise on a raw \x0b
    names = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(set(names)) == len(names) == 5
    assert _junit_counts_add_up(root) == {"tests": 5, "failures": 2, "errors": 1, "skipped": 1}
    assert "\\x0b" in out.getvalue()


def test_junit_with_nothing_checked_is_one_passing_case() -> None:
    import io

    out = io.StringIO()
    render_junit([], {}, out)
    root = ET.fromstring(out.getvalue())
    assert _junit_counts_add_up(root) == {"tests": 1, "failures": 0, "errors": 0, "skipped": 0}


def unescape_property(s: str) -> str:
    """What the Actions runner does with a property value."""
    for enc, dec in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        s = s.replace(enc, dec)
    return s


def unescape_data(s: str) -> str:
    for enc, dec in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        s = s.replace(enc, dec)
    return s


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command the way the runner does: ``::cmd k=v,k=v::data``."""
    assert line.startswith("::") and "\n" not in line and "\r" not in line
    head, sep, data = line[2:].partition("::")
    assert sep
    cmd, _, props = head.partition(" ")
    pairs = dict(p.split("=", 1) for p in props.split(",")) if props else {}
    return cmd, {k: unescape_property(v) for k, v in pairs.items()}, unescape_data(data)


def test_github_escaping_round_trips_hostile_text() -> None:
    path = "docs/we,ird:na%25me\n.txt"
    message = "50% off::now\r\nsecond line, with: colons %0A"
    cmd, props, data = parse_command(github_line(_row(path=path, message=message,
                                                      severity="info")))
    assert cmd == "notice"
    assert props["file"] == path and props["line"] == "3" and props["endColumn"] == "7"
    assert props["title"] == "provlint (PL001 trailing-whitespace)"
    assert data == f"{path}:3:5: PL001 {message}"


def test_github_says_when_a_step_has_more_annotations_than_github_shows() -> None:
    # GitHub shows 10 errors, 10 warnings and 10 notices of a step and drops the rest
    # silently: a CI user saw 10 warnings and thought that was all
    import io

    def lines(rows: list[Row]) -> list[tuple[str, dict[str, str], str]]:
        out = io.StringIO()
        render_github(rows, {}, out)
        return [parse_command(ln) for ln in out.getvalue().splitlines()]

    ten = [_row(line=i) for i in range(1, 11)] + [_row(severity="error")]
    assert [cmd for cmd, _, _ in lines(ten)] == ["warning"] * 10 + ["error"]  # all shown
    many = [*ten, _row(line=11), _row(line=12, baseline_suppressed=True)]
    (cmd, props, data), *rest = lines(many)
    assert (cmd, props) == ("notice", {"title": "provlint"})
    assert data.startswith("12 findings (1 error, 11 warnings): GitHub shows the first 10 ")
    assert [c for c, _, _ in rest] == ["warning"] * 10 + ["error", "warning"]


def test_github_output_from_the_cli(run: Run, corpus: Path) -> None:
    result = run("check", str(corpus), "--output-format", "github")
    head, *lines = result.output.splitlines()
    assert len(lines) >= 11 and parse_command(head)[1] == {"title": "provlint"}  # > 10 shown
    for line in lines:
        cmd, props, data = parse_command(line)
        assert cmd in {"notice", "warning", "error"}
        assert Path(props["file"]).exists() and data.startswith(props["file"])


def test_gitlab_code_quality_shape(run: Run, corpus: Path) -> None:
    run("check", str(corpus), "--output-format", "gitlab", "-o", "gl.json")
    raw = Path("gl.json").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    items = json.loads(raw)
    assert len(items) >= 8
    for it in items:
        assert it["description"] and it["check_name"].startswith("PL")
        assert it["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert it["location"]["path"].startswith("docs/")
        assert it["location"]["lines"]["begin"] >= 1
    assert len({it["fingerprint"] for it in items}) == len(items)


def test_gitlab_paths_and_fingerprints_are_from_the_project_root(
        run: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GitLab links a finding to its file, and tells new findings from old, only by a path
    # from the repository's root: a job that names files by $CI_PROJECT_DIR/... or runs
    # in a subfolder must report what a job run from the root reports
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))
    run("check", "docs", "--output-format", "gitlab", "-o", "root.json")
    from_root = json.loads(Path("root.json").read_text(encoding="utf-8"))
    assert from_root and all(it["location"]["path"].startswith("docs/") for it in from_root)
    monkeypatch.chdir(corpus)
    others = sorted(p.name for p in Path(".").glob("*.txt") if p.name != "noisy.txt")
    run("check", str(tmp_path / "docs" / "noisy.txt"), *others, "--output-format", "gitlab",
        "-o", str(tmp_path / "sub.json"))
    from_sub = json.loads((tmp_path / "sub.json").read_text(encoding="utf-8"))
    key = lambda it: (it["location"]["path"], it["fingerprint"])  # noqa: E731
    assert sorted(map(key, from_sub)) == sorted(map(key, from_root))
    monkeypatch.delenv("CI_PROJECT_DIR")  # outside GitLab: paths as the terminal shows them
    run("check", "../docs/noisy.txt", "--output-format", "gitlab", "-o", str(tmp_path / "p.json"))
    plain = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert {it["location"]["path"] for it in plain} == {"noisy.txt"}


def test_fingerprints_of_escaped_text_are_the_same_from_a_subfolder(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a finding of a control character holds its text escaped (\\x0c) in the report rows;
    # re-hashed from that text for the project-root path, its fingerprint differed
    # between a job run at the root and one run in a subfolder
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))
    Path("docs").mkdir()
    Path("docs/a.txt").write_text("Some text\x0c here.\nA literal \\x0c and a real\x0b.\n",
                                  encoding="utf-8")

    def fingerprints(*args: str) -> list[tuple[str, str, str]]:
        result = run("check", "--isolated", *args, "--output-format", "gitlab")
        return sorted((it["check_name"], it["location"]["path"], it["fingerprint"])
                      for it in json.loads(result.output))

    from_root = fingerprints("docs")
    assert len([f for f in from_root if f[0] == "PL103"]) == 2
    monkeypatch.chdir("docs")
    assert fingerprints("a.txt") == from_root

    # the row's own fingerprint tells an escape from the same characters in the text
    for raw in ("x\x0cy\u202e\r", "a literal \\x0c"):
        fp = fingerprint(key_of("docs/a.txt", "PL103", raw, 0))
        row = _row(code="PL103", matched=safe_text(raw), fingerprint=fp)
        assert found_text(row) == raw


def test_github_and_sarif_paths_are_from_the_workspace_root(
        run: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GitHub attaches an annotation or a code-scanning alert to a file only by its path
    # from the repository's root: a step that runs in a subfolder must report what a step
    # run from the root reports, or every annotation lands nowhere
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))

    def both(*args: str) -> tuple[list[str], list[tuple[str, str, str]]]:
        gh = run("check", *args, "--output-format", "github").output.splitlines()
        log = sarif_of(run, *args)
        jsonschema.Draft4Validator(SCHEMA).validate(log)
        results = log["runs"][0]["results"]
        uris = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["partialFingerprints"]["provlint/v1"],
                 r.get("fixes", [{}])[0].get("artifactChanges", [{}])[0]
                 .get("artifactLocation", {}).get("uri", ""))
                for r in results]
        return sorted(gh), sorted(uris)

    from_root = both("docs")
    assert all(parse_command(ln)[1]["file"].startswith("docs/") for ln in from_root[0]
               if "title=provlint::" not in ln)  # but the note on GitHub's 10 shown
    assert all(u.startswith("docs/") and f in ("", u) for u, _, f in from_root[1])
    monkeypatch.chdir(corpus)
    assert both(".") == from_root
    monkeypatch.delenv("GITHUB_WORKSPACE")  # outside GitHub: paths as the terminal shows them
    plain = run("check", "noisy.txt", "--output-format", "github").output.splitlines()
    assert {parse_command(ln)[1]["file"] for ln in plain} == {"noisy.txt"}


@pytest.mark.parametrize("variable", ["CI_PROJECT_DIR", "GITHUB_WORKSPACE"])
def test_junit_paths_are_from_the_project_root(
        run: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        variable: str) -> None:
    # GitLab links a testcase's file into the repository and compares a merge request's
    # tests with the target branch's by (classname, name): a job run in a subfolder must
    # name the files as a job run from the root does, clean (passing) files included
    monkeypatch.setenv(variable, str(tmp_path))

    def cases(*args: str) -> list[tuple[str, str, str]]:
        root = ET.fromstring(run("check", *args, "--output-format", "junit").output)
        return sorted((s.get("name", ""), c.get("classname", ""), c.get("file", ""))
                      for s in root.findall("testsuite") for c in s.findall("testcase"))

    from_root = cases("docs")
    assert from_root and all(n.startswith("docs/") and n == c == f for n, c, f in from_root)
    monkeypatch.chdir(corpus)
    assert cases(".") == from_root
    monkeypatch.delenv(variable)  # outside CI: paths as the terminal shows them
    assert {n for n, _, _ in cases("clean.txt")} == {"clean.txt"}


def test_several_formats_in_one_run(run: Run, corpus: Path) -> None:
    result = run("check", str(corpus), "--output-format", "concise", "--report",
                 "sarif=a.sarif", "--report", "junit=a.xml", "--report", "json=a.json")
    assert result.exit_code == 1 and "PL201" in result.output
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(Path("a.sarif").read_text()))
    ET.parse("a.xml")
    assert len(json.loads(Path("a.json").read_text())) >= 8
    bad = run("check", str(corpus), "--report", "pdf=x.pdf")
    assert bad.exit_code == 2 and "FORMAT=PATH" in bad.output


def test_machine_formats_on_the_check_path_do_not_import_pandas(tmp_path: Path,
                                                                corpus: Path) -> None:
    code = ("import sys\nfrom provlint.cli import main\ntry:\n"
            "    main(['check', 'docs', '--output-format', 'sarif', '-o', 'x.sarif',"
            " '--report', 'junit=x.xml', '--report', 'gitlab=x.json',"
            " '--report', 'github=x.txt'])\n"
            "except SystemExit as e:\n    code = e.code\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pandas', 'pandera', 'numpy', 'pyarrow'))\nprint(code, heavy)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    assert proc.stdout.strip() == "1 []", proc.stdout + proc.stderr
    assert Path("x.sarif").stat().st_size > 0 and Path("x.json").stat().st_size > 0
