"""ruff's terminal conventions in ``provlint check`` and ``provlint fix``: ``-q/--quiet``,
``-s/--silent``, ``--fix-only``, ``--show-fixes``, ``--no-fix``, ``--no-unsafe-fixes``,
and an empty rule selector, each with ruff's meaning and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from provlint.cli import cli

from .test_cli import QUOTED_BLOCK, _in_tmp  # noqa: F401 (a fixture)

TEXT = "tail  \nend \n\n\n"  # PL001 twice and PL003: safe fixes
FIXED = "tail\nend\n"


@pytest.fixture(autouse=True)
def _a_txt(tmp_path: Path) -> None:  # in test_cli's folder and configuration (_in_tmp)
    (tmp_path / "a.txt").write_text(TEXT)


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args], input=input, catch_exceptions=False)


@pytest.mark.parametrize("args", [["--select", ""], ["--select", "PL001,"],
                                  ["--ignore", "PL001,,PL003"], ["--extend-select", ""]])
@pytest.mark.parametrize("command", ["check", "fix"])
def test_an_empty_rule_selector_is_a_usage_error_as_in_ruff(command: str,
                                                           args: list[str]) -> None:
    # `--select ''` used to run the configured rules, as if the option were not given
    res = run(command, *args, "a.txt")
    assert res.exit_code == 2
    assert f"empty rule selector in {args[0]}" in res.stderr
    assert Path("a.txt").read_text() == TEXT


def test_quiet_prints_the_findings_and_no_summary() -> None:
    full = run("check", "a.txt").stdout.splitlines()
    assert full[-2:] == ["Found 3 findings.", "[*] 3 fixable with `provlint fix`."]
    res = run("check", "-q", "a.txt")
    assert res.exit_code == 1
    assert res.stdout.splitlines() == full[:-2] and res.stderr == ""
    res = run("check", "--quiet", "--statistics", "a.txt")
    assert res.stdout.splitlines() == ["     2  PL001  [*]  trailing-whitespace",
                                       "     1  PL003  [*]  trailing-blank-lines"]
    Path("b.txt").write_text("Clean.\n")
    assert (run("check", "-q", "b.txt").stdout, run("check", "-q", "b.txt").exit_code) == ("", 0)
    res = run("fix", "-q", "a.txt")
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", "")  # no "Fixing", no "Fixed"
    assert Path("a.txt").read_text() == FIXED


@pytest.mark.parametrize("fmt", ["full", "json", "sarif"])
def test_silent_prints_nothing_and_exits_as_usual(fmt: str) -> None:
    res = run("check", "-s", "--output-format", fmt, "a.txt")
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", "")
    res = run("check", "--silent", "--output-format", fmt, "-o", "out", "a.txt")
    assert (res.exit_code, res.stdout) == (1, "")
    assert Path("out").read_text()  # a file asked for is written all the same
    res = run("fix", "-s", "a.txt")
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", "")
    assert Path("a.txt").read_text() == FIXED
    assert run("check", "-s", "a.txt").exit_code == 0


def test_silent_still_prints_statistics_and_diffs_as_ruff_does() -> None:
    res = run("check", "-s", "--statistics", "--output-format", "json", "a.txt")
    assert res.exit_code == 1
    assert [s["count"] for s in json.loads(res.stdout)] == [2, 1]
    res = run("fix", "-s", "--diff", "a.txt")
    assert res.exit_code == 1 and res.stdout.startswith("--- a/a.txt\n") and res.stderr == ""


def test_silent_fix_from_stdin_still_writes_the_text() -> None:
    res = run("fix", "-s", "-", input="mixed\r\n" + TEXT)  # PL006 (no fix) remains
    assert (res.exit_code, res.stdout_bytes, res.stderr) == (1, b"mixed\r\n" + FIXED.encode(), "")


def test_quiet_and_silent_together_are_a_usage_error() -> None:
    res = run("check", "-q", "-s", "a.txt")
    assert res.exit_code == 2 and "--quiet and --silent" in res.stderr


def test_fix_only_fixes_and_neither_reports_nor_fails_on_what_remains() -> None:
    Path("a.txt").write_bytes(b"mixed\r\n" + TEXT.encode())  # PL006 has no fix
    res = run("check", "--fix-only", "a.txt")
    assert res.exit_code == 1  # a file changed: a pre-commit hook must fail
    assert res.stdout == "" and "remain" not in res.stderr
    assert Path("a.txt").read_bytes() == b"mixed\r\n" + FIXED.encode()
    assert run("check", "a.txt").exit_code == 1  # PL006 is still there
    res = run("check", "--fix-only", "a.txt")
    assert (res.exit_code, res.stdout) == (0, "")  # nothing to fix: 0, whatever remains
    assert run("check", "--fix-only", "--output-format", "json", "a.txt").stdout == ""


def test_show_fixes_lists_the_edits_per_file_and_rule() -> None:
    Path("b.txt").write_text("x  \n")
    Path("c.txt").write_text("Clean.\n")
    res = run("check", "--fix", "--show-fixes", "c.txt", "b.txt", "a.txt")
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    start = lines.index("Applied 4 edits:")
    assert lines[start:start + 6] == ["Applied 4 edits:", "- a.txt:",
                                      "    2 \u00d7 PL001 (trailing-whitespace)",
                                      "    1 \u00d7 PL003 (trailing-blank-lines)",
                                      "- b.txt:", "    1 \u00d7 PL001 (trailing-whitespace)"]
    Path("a.txt").write_text(TEXT)
    Path("d").mkdir()
    res = run("fix", "--show-fixes", "--out", "d", "--jobs", "2", "a.txt")
    assert "    2 \u00d7 PL001 (trailing-whitespace)" in res.stderr.splitlines()
    assert "Applied" not in run("fix", "--show-fixes", "-s", "a.txt").stderr
    assert "Applied" not in run("check", "--show-fixes", "a.txt").stderr  # nothing fixed


def test_no_fix_undoes_an_earlier_fix_as_in_ruff() -> None:
    res = run("check", "--fix", "--no-fix", "a.txt")
    assert res.exit_code == 1 and Path("a.txt").read_text() == TEXT
    assert run("check", "--no-fix", "--fix", "a.txt").exit_code == 1
    assert Path("a.txt").read_text() == FIXED


def test_no_unsafe_fixes_overrides_the_configuration() -> None:
    Path("provlint.toml").write_text('select = ["PL302"]\nunsafe-fixes = true\n')
    Path("q.txt").write_text(QUOTED_BLOCK)
    assert run("fix", "--no-unsafe-fixes", "q.txt").exit_code == 1  # PL302 remains
    assert Path("q.txt").read_text() == QUOTED_BLOCK
    assert run("fix", "q.txt").exit_code == 1
    assert Path("q.txt").read_text() != QUOTED_BLOCK  # the configuration's unsafe fix


@pytest.mark.parametrize("paths", [[], ["a.txt"]])
def test_stdin_filename_reads_stdin_with_or_without_dash_as_in_ruff(paths: list[str]) -> None:
    # without '-', it checked the working folder and `fix --stdin-filename x.txt` (an
    # editor's call) rewrote every file below it, stdin unread
    res = run("fix", "--stdin-filename", "x.txt", *paths, input="typed  \n")
    assert (res.exit_code, res.stdout) == (1, "typed\n")
    assert Path("a.txt").read_text() == TEXT
    assert ("warning: ignoring a.txt in favour of stdin (--stdin-filename)" in res.stderr
            ) == bool(paths)
    res = run("check", "--stdin-filename", "x.txt", *paths, input="typed  \n")
    assert res.stdout.startswith("x.txt:1:6: PL001") and "a.txt" not in res.stdout


def test_show_files_lists_what_a_run_would_read_as_ruff_does() -> None:
    for name in ("sub/b.txt", "sub/deep/c.md", "vendor/v.txt", "sub/skip.html"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(TEXT)
    res = run("check", "--show-files", "--exclude", "vendor", ".", "gone.txt")
    assert res.exit_code == 0 and res.stderr == ""
    assert res.stdout.splitlines() == [
        "a.txt", "gone.txt  (PL901 cannot read file: No such file or directory)",
        "sub/b.txt", "sub/deep/c.md"]
    assert Path("a.txt").read_text() == TEXT
    res = run("check", "--show-files", "--force-exclude", "--exclude", "sub", "sub/b.txt")
    assert (res.exit_code, res.stdout) == (0, "")


def test_ruffs_short_exit_zero_and_the_output_file_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # `-e` (ruff's short --exit-zero) was a usage error; RUFF_OUTPUT_FILE had no twin
    assert run("check", "-e", "a.txt").exit_code == 0
    monkeypatch.setenv("PROVLINT_OUTPUT_FILE", "found.txt")
    res = run("check", "a.txt")
    assert res.exit_code == 1 and "a.txt:1:5: PL001" in Path("found.txt").read_text()
    assert "PL001" not in res.stdout


def test_extend_exclude_is_taken_as_in_ruff() -> None:
    # provlint's --exclude adds to the configured globs, which is ruff's --extend-exclude:
    # that name was a usage error
    Path("skip").mkdir()
    Path("skip/b.txt").write_text(TEXT)
    res = run("check", "--show-files", "--extend-exclude", "skip", ".")
    assert (res.exit_code, res.stdout) == (0, "a.txt\n")
