"""``check --statistics``: a count per rule in place of the findings, as in ruff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from provlint.cli import cli

from .test_cli import QUOTED_BLOCK

TEXT = QUOTED_BLOCK + "tail  \nend \n"  # PL001 twice (a safe fix), PL302 (only unsafe)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVLINT_OUTPUT_FORMAT", raising=False)
    (tmp_path / "provlint.toml").write_text('select = ["PL001", "PL302"]\n')
    (tmp_path / "a.txt").write_text(TEXT)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", "--statistics", *args, "a.txt"],
                              catch_exceptions=False)


def test_counts_replace_the_findings_and_marks_match_the_finding_lines() -> None:
    res = run()
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [
        "     2  PL001  [*]  trailing-whitespace",
        "     1  PL302  [-]  repeated-block",
        "Found 3 findings.",
        "[*] 2 fixable with `provlint fix`.",
        "[-] 1 more fixable with `provlint fix --unsafe-fixes`.",
    ]


def test_json_statistics_are_one_json_document_and_files_still_get_findings() -> None:
    res = run("--output-format", "json", "--report", "junit=j.xml")
    assert json.loads(res.stdout) == [
        {"code": "PL001", "name": "trailing-whitespace", "count": 2, "fixable": True,
         "fix": "safe"},
        {"code": "PL302", "name": "repeated-block", "count": 1, "fixable": False,
         "fix": "unsafe"},
    ]
    assert Path("j.xml").read_text().count("<testcase") == 3
    res = run("--output-format", "json", "-o", "f.json")
    assert len(json.loads(Path("f.json").read_text())) == 3
    assert [s["count"] for s in json.loads(res.stdout)] == [2, 1]
