"""Configuration through the command line: where it is found, what it can say,
and that command-line flags win over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from provlint.cli import cli

# PL001 on line 1, PL005 (three blank lines) before line 5, PL003 at the end
TEXT = "Title  \n\n\n\nBody.\n\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVLINT_OUTPUT_FORMAT", raising=False)
    Path("a.txt").write_text(TEXT)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def codes(*args: str) -> list[str]:
    res = run("check", "--output-format", "json", *args)
    assert res.exit_code in (0, 1), res.output
    return [f["code"] for f in json.loads(res.stdout)]


def by_path(*args: str) -> dict[str, list[str]]:
    res = run("check", "--output-format", "json", *args)
    out: dict[str, list[str]] = {}
    for f in json.loads(res.stdout):
        out.setdefault(f["path"], []).append(f["code"])
    return out


def test_defaults_without_configuration() -> None:
    assert codes("a.txt") == ["PL001", "PL005", "PL003"]


def test_pyproject_tool_provlint_is_read() -> None:
    Path("pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.provlint]\n'
                                      'ignore = ["PL001"]\n')
    assert codes("a.txt") == ["PL005", "PL003"]


def test_provlint_toml_is_read_and_found_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("provlint.toml").write_text('select = ["PL001"]\n')
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert codes("../../a.txt") == ["PL001"]


def test_provlint_toml_beats_pyproject_in_the_same_folder() -> None:
    Path("pyproject.toml").write_text('[tool.provlint]\nselect = ["PL003"]\n')
    Path("provlint.toml").write_text('select = ["PL005"]\n')
    assert codes("a.txt") == ["PL005"]


def test_a_pyproject_without_the_table_does_not_stop_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("provlint.toml").write_text('ignore = ["PL003"]\n')
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "pyproject.toml").write_text('[project]\nname = "pkg"\n')
    monkeypatch.chdir(tmp_path / "pkg")
    assert codes("../a.txt") == ["PL001", "PL005"]


def test_an_empty_tool_provlint_table_stops_the_search_as_in_ruff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subproject's empty [tool.provlint] (the defaults, please) was taken for no table:
    the search went on upwards and the parent's configuration applied to it, and a run
    from above named no unused configuration for its files."""
    Path("provlint.toml").write_text('ignore = ["PL003"]\n')
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "pyproject.toml").write_text('[project]\nname = "pkg"\n\n[tool.provlint]\n')
    (tmp_path / "pkg" / "b.txt").write_text(TEXT)
    res = run("check", "--output-format", "json", "pkg/b.txt")
    assert "pkg/pyproject.toml is not used for pkg/b.txt" in res.stderr
    monkeypatch.chdir(tmp_path / "pkg")
    assert codes("b.txt") == ["PL001", "PL005", "PL003"]


def test_cli_select_and_ignore_win_over_the_file() -> None:
    Path("provlint.toml").write_text('select = ["PL003"]\nignore = ["PL001"]\n')
    assert codes("a.txt") == ["PL003"]
    assert codes("--select", "PL001,PL005", "a.txt") == ["PL001", "PL005"]
    assert codes("--extend-select", "PL005", "a.txt") == ["PL005", "PL003"]
    assert codes("--ignore", "PL003", "a.txt") == []


def test_config_file_and_inline_config_win_over_the_found_file() -> None:
    Path("provlint.toml").write_text('ignore = ["PL001"]\n')
    Path("other.toml").write_text('ignore = ["PL003"]\n')
    assert codes("--config", "other.toml", "a.txt") == ["PL001", "PL005"]
    assert codes("--config", 'ignore = ["PL005"]', "a.txt") == ["PL001", "PL003"]
    Path("alt").mkdir()
    Path("alt/pyproject.toml").write_text('[tool.provlint]\nselect = ["PL005"]\n')
    assert codes("--config", "alt/pyproject.toml", "a.txt") == ["PL005"]


def test_a_config_file_replaces_the_found_one_as_in_ruff() -> None:
    # ruff's docs: "those settings are used for all analyzed files"; a key set only in the
    # nearest file (select here) must not leak into a run given another file
    Path("provlint.toml").write_text('select = ["PL003"]\n')
    Path("other.toml").write_text('ignore = ["PL001"]\n')
    assert codes("--config", "other.toml", "a.txt") == ["PL005", "PL003"]
    # inline KEY = VALUE wins over the file, before or after it
    assert codes("--config", 'ignore = ["PL005"]', "--config", "other.toml",
                 "a.txt") == ["PL001", "PL003"]
    res = run("check", "--config", "other.toml", "--config", "provlint.toml", "a.txt")
    assert res.exit_code == 2 and "one configuration file at most" in res.stderr


def test_isolated_ignores_configuration_files() -> None:
    Path("provlint.toml").write_text('select = ["PL003"]\n')
    assert codes("--isolated", "a.txt") == ["PL001", "PL005", "PL003"]


def test_per_file_ignores() -> None:
    Path("notes").mkdir()
    Path("notes/n.txt").write_text(TEXT)
    Path("b.md").write_text(TEXT)
    Path("provlint.toml").write_text(
        '[per-file-ignores]\n"*.md" = ["PL001"]\n"notes/*" = ["PL0"]\n')
    assert by_path(".") == {"a.txt": ["PL001", "PL005", "PL003"], "b.md": ["PL005", "PL003"]}


def test_per_file_ignores_are_relative_to_the_configuration_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in ruff: run from a subfolder (an editor, a user in notes/), the project's
    "notes/*" still names notes/n.txt."""
    Path("notes").mkdir()
    Path("notes/n.txt").write_text(TEXT)
    Path("provlint.toml").write_text('[per-file-ignores]\n"notes/*" = ["PL001"]\n')
    monkeypatch.chdir(tmp_path / "notes")
    assert by_path(".") == by_path("n.txt") == {"n.txt": ["PL005", "PL003"]}
    assert by_path("../a.txt") == {"../a.txt": ["PL001", "PL005", "PL003"]}


def test_rule_options_from_the_file_and_inline() -> None:
    assert "PL005" in codes("a.txt")
    assert codes("--config", "options.too-many-blank-lines.max_blank_lines = 3",
                 "a.txt") == ["PL001", "PL003"]
    Path("provlint.toml").write_text("[options.PL005]\nmax_blank_lines = 3\n")
    assert codes("a.txt") == ["PL001", "PL003"]
    assert codes("--config", "options.PL005.max_blank_lines = 2", "a.txt") == [
        "PL001", "PL005", "PL003"]
    # and fix honours the option
    assert run("fix", "a.txt").exit_code == 1
    assert Path("a.txt").read_text() == "Title\n\n\n\nBody.\n"


def test_rule_set_from_the_file_and_the_flag() -> None:
    Path("mine.toml").write_text('id = "mine"\nextends = "default"\nignore = ["PL3", "PL001"]\n')
    Path("only-blank.toml").write_text('id = "blank"\nselect = ["PL003"]\n')
    Path("provlint.toml").write_text('rule-set = "mine.toml"\n')
    assert codes("a.txt") == ["PL005", "PL003"]
    assert codes("--rule-set", "only-blank.toml", "a.txt") == ["PL003"]
    # the rule set id is recorded in the provenance ledger
    run("fix", "--out", "out", "a.txt")
    record = json.loads(Path("out/provenance.jsonl").read_text())
    assert record["tool"]["ruleset"]["id"] == "mine"


def test_severity_and_fail_on_decide_the_exit_code() -> None:
    Path("b.txt").write_text("Body \n")
    Path("provlint.toml").write_text('fail-on = "error"\n')
    res = run("check", "b.txt")
    assert "PL001" in res.stdout and res.exit_code == 0
    Path("provlint.toml").write_text('fail-on = "error"\n[severity]\nPL001 = "error"\n')
    assert run("check", "b.txt").exit_code == 1
    assert run("check", "--fail-on", "info", "b.txt").exit_code == 1


def test_output_format_from_the_file() -> None:
    Path("provlint.toml").write_text('output-format = "concise"\n')
    res = run("check", "a.txt")
    assert res.stdout.splitlines()[0] == "a.txt:1:6: PL001 trailing white space (2 chars)"
    assert "Found" not in res.stdout


def test_include_and_exclude_from_the_file() -> None:
    Path("d/skip").mkdir(parents=True)
    for name in ("d/x.txt", "d/y.rst", "d/skip/z.rst"):
        Path(name).write_text("x \n")
    Path("provlint.toml").write_text('include = ["*.rst"]\nexclude = ["skip"]\n')
    assert list(by_path("d")) == ["d/y.rst"]


@pytest.mark.parametrize("item,why", [
    ('provenance-text = "bogus"', "provenance-text must be one of full, hash, none"),
    ("per-file-ignores = 3", "per-file-ignores must be a table"),
    ('per-file-ignores = {"*.txt" = "PL001"}', "per-file-ignores must be a table"),
    ("exclude = 5", "exclude must be a list of strings"),
    ('force-exclude = "yes"', "force-exclude must be true or false"),
    ('include = "*.txt"', "include must be a list of strings"),
    ("options = 3", "options must be a table of rule tables"),
    ("severity = 3", "severity must be a table"),
    ("gate = 3", "gate must be a table"),
    ("baseline = 3", "baseline must be a file name"),
    ("max-document-bytes = true", "max-document-bytes must be a size"),
    ('output-format = "bogus"', "unknown output format 'bogus'"),
])
@pytest.mark.parametrize("out", [True, False])
def test_a_wrong_config_value_stops_the_run_before_anything_is_written(
        item: str, why: str, out: bool) -> None:
    res = run("fix", *(["--out", "o"] if out else []), "--config", item, "a.txt")
    assert res.exit_code == 2 and why in res.output
    assert "internal error" not in res.output
    assert Path("a.txt").read_text() == TEXT and not Path("o").exists()


def test_a_nearer_configuration_that_a_run_leaves_unused_is_named_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one run reads one configuration (from the working directory): a subfolder's own
    # file is not used for the files in it, and saying nothing let fix remove what that
    # file told provlint to leave alone
    Path("pyproject.toml").write_text('[tool.provlint]\nignore = ["PL005"]\n')
    sub = Path("sub", "deep")
    sub.mkdir(parents=True)
    Path("sub", "provlint.toml").write_text('ignore = ["PL001"]\n')
    Path("sub", "pyproject.toml").write_text('[project]\nname = "x"\n')  # no [tool.provlint]
    for p in (Path("sub", "b.txt"), sub / "c.txt", Path("other", "d.txt")):
        p.parent.mkdir(exist_ok=True)
        p.write_text(TEXT)
    res = run("check", "--output-format", "concise", ".")
    assert "sub/b.txt:1:6: PL001" in res.stdout  # unchanged: the run's configuration
    assert res.stderr.splitlines() == [
        "warning: sub/provlint.toml is not used for sub/b.txt (a run reads one configuration, "
        "found from the working directory: pyproject.toml); run provlint in sub/ or pass "
        "--config sub/provlint.toml"]
    for quiet in (["--isolated"], ["--config", "sub/provlint.toml"]):
        assert run("check", *quiet, ".").stderr == ""  # a configuration chosen on purpose
    Path("other", "pyproject.toml").write_text("[project\n")  # another project's, broken:
    assert run("check", "other").exit_code == 1  # looking for configurations must not stop
    monkeypatch.chdir(tmp_path / "sub")
    # an inline --config still reads the one found; a file outside its folder is named
    res = run("check", "--config", "fail-on = 'info'", "b.txt", "../a.txt", "../other")
    top = (tmp_path / "pyproject.toml").resolve().as_posix()
    assert res.stderr.splitlines() == [
        f"warning: {top} is not used for ../a.txt (a run reads one configuration, found from "
        f"the working directory: provlint.toml); run provlint in {top[:-14]} or pass "
        f"--config {top}"]  # once, though ../other/d.txt has it too


def test_text_on_stdin_named_into_a_folder_with_its_own_configuration_is_warned_about(
) -> None:
    """An editor lints its buffer as ``- --stdin-filename sub/b.txt``: the same file named
    on the command line was warned about, the buffer silently checked without sub's file."""
    Path("sub").mkdir()
    Path("sub", "provlint.toml").write_text('ignore = ["PL001"]\n')
    res = CliRunner().invoke(cli, ["check", "--stdin-filename", "sub/b.txt", "-"], input=TEXT)
    assert res.stderr.startswith("warning: sub/provlint.toml is not used for sub/b.txt"), \
        res.output
    assert "sub/b.txt:1:6: PL001" in res.stdout
    res = CliRunner().invoke(cli, ["check", "--stdin-filename", "b.txt", "-"], input=TEXT)
    assert "warning" not in res.stderr  # the run's own configuration's folder
    for flag in ("-q", "-s"):  # quiet, as for a file named on the command line
        res = CliRunner().invoke(cli, ["check", flag, "--stdin-filename", "sub/b.txt", "-"],
                                 input=TEXT)
        assert "warning" not in res.stderr, (flag, res.stderr)


def test_file_names_in_configuration_and_rule_sets_are_from_their_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as in ruff: `rule-set = "rs/mine.toml"` in the project's pyproject.toml, and a rule
    # set's `extends = "../base.toml"`, name the same files from any working directory
    # (they were taken from the working directory: exit 2, rule set not found)
    Path("rs", "more").mkdir(parents=True)
    Path("rs", "base.toml").write_text('id = "base"\nextends = "default"\nignore = ["PL003"]\n')
    Path("rs", "more", "mine.toml").write_text('id = "mine"\nextends = "../base.toml"\n'
                                               'ignore = ["PL005"]\n')
    Path("pyproject.toml").write_text('[tool.provlint]\nrule-set = "rs/more/mine.toml"\n')
    Path("docs").mkdir()
    Path("docs", "b.txt").write_text(TEXT)
    assert codes("a.txt") == ["PL001"]
    monkeypatch.chdir(tmp_path / "docs")
    assert codes("b.txt") == ["PL001"]
    assert codes("--rule-set", "../rs/more/mine.toml", "--isolated", "b.txt") == ["PL001"]
    Path("own.toml").write_text('rule-set = "../rs/base.toml"\n')  # --config FILE: the same
    monkeypatch.chdir(tmp_path)
    assert codes("--config", "docs/own.toml", "a.txt") == ["PL001", "PL005"]
