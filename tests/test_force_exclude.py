"""``--force-exclude``: the configured exclusions also cover paths named explicitly.

pre-commit names every staged file on the command line, so without it a
project's ``exclude`` (a vendored folder, a hand-written README) would not keep
the hooks off those files. As in ruff, the globs are matched against the path
relative to the configuration's folder, and an excluded file is skipped
silently.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from provlint.cli import cli
from provlint.discovery import discover
from provlint.excludes import force_excluded

DIRTY = "Title  \nBody.\n"  # PL001 on line 1 (a .txt file: no Markdown hard break)
EXCLUDE = ["vendor", "README.txt", "notes/*.txt"]


@pytest.fixture(autouse=True)
def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVLINT_OUTPUT_FORMAT", raising=False)
    for name in ("vendor/lib/x.txt", "README.txt", "notes/a.txt", "notes/deep/b.txt", "ok.txt"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(DIRTY)
    Path("pyproject.toml").write_text(f"[tool.provlint]\nexclude = {json.dumps(EXCLUDE)}\n")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def paths(*args: str) -> list[str]:
    res = run("check", "--output-format", "json", *args)
    assert res.exit_code in (0, 1), res.output
    return sorted({f["path"] for f in json.loads(res.stdout)})


STAGED = ["vendor/lib/x.txt", "README.txt", "notes/a.txt", "notes/deep/b.txt", "ok.txt"]


def test_force_excluded_matches_each_part_relative_to_the_root(tmp_path: Path) -> None:
    root = str(tmp_path)
    assert force_excluded("vendor/lib/x.txt", EXCLUDE, root)  # a folder's name
    assert force_excluded("vendor", EXCLUDE, root)  # the folder itself
    assert force_excluded("README.txt", EXCLUDE, root)  # a file's name
    assert force_excluded("notes/a.txt", EXCLUDE, root)  # a glob with a folder in it
    assert force_excluded(str(tmp_path / "notes" / "a.txt"), EXCLUDE, root)  # absolute
    assert force_excluded("notes/deep/b.txt", EXCLUDE, root)  # fnmatch's * crosses '/'
    assert not force_excluded("ok.txt", EXCLUDE, root)
    assert not force_excluded(".", EXCLUDE, root)  # the root is never excluded by its name
    assert not force_excluded("a.txt", ["notes/*.txt"], str(tmp_path / "elsewhere"))


def test_force_excluded_is_anchored_at_the_root_not_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path / "notes")
    assert force_excluded("a.txt", EXCLUDE, str(tmp_path))  # notes/a.txt from the root
    # "deep/*.txt" names <root>/deep/, not the working directory's deep/
    assert not force_excluded("deep/b.txt", ["deep/*.txt"], str(tmp_path))
    # a path outside the root is matched as given, part by part
    assert force_excluded("../vendor/lib/x.txt", ["vendor"], str(tmp_path / "notes"))


def test_discover_skips_excluded_paths_named_explicitly_only_when_forced(
        tmp_path: Path) -> None:
    plain = [s.rel for s in discover([*STAGED, "notes"], exclude=EXCLUDE)]
    assert plain == STAGED  # named files are taken, as before; notes/ adds none
    forced = [s.rel for s in discover(["vendor", "notes", *STAGED], exclude=EXCLUDE,
                                      root=str(tmp_path), force_exclude=True)]
    assert forced == ["ok.txt"]  # vendor/ named is skipped whole


def test_discover_still_reports_a_missing_path_that_would_be_excluded(
        tmp_path: Path) -> None:
    found = list(discover(["vendor/nope.txt"], exclude=EXCLUDE, root=str(tmp_path),
                          force_exclude=True))
    assert [(s.id, s.problem and s.problem.code) for s in found] == [
        ("vendor/nope.txt", "PL901")]


def test_check_applies_the_configured_exclude_to_named_files_with_the_flag() -> None:
    assert paths(*STAGED) == sorted(STAGED)
    assert paths("--force-exclude", *STAGED) == ["ok.txt"]
    res = run("check", "--force-exclude", "README.txt", "vendor/lib/x.txt")
    assert res.exit_code == 0 and res.stdout == "All checks passed!\n"


def test_the_configuration_key_turns_it_on_and_the_flag_wins() -> None:
    Path("pyproject.toml").write_text(
        f"[tool.provlint]\nexclude = {json.dumps(EXCLUDE)}\nforce-exclude = true\n")
    assert paths(*STAGED) == ["ok.txt"]
    assert paths("--no-force-exclude", *STAGED) == sorted(STAGED)


def test_extend_exclude_and_the_exclude_flag_are_forced_too() -> None:
    Path("pyproject.toml").write_text('[tool.provlint]\nextend-exclude = ["ok.txt"]\n')
    assert paths("--force-exclude", "--exclude", "notes", *STAGED) == [
        "README.txt", "vendor/lib/x.txt"]


def test_from_a_subfolder_the_globs_stay_relative_to_the_configuration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path / "notes")
    assert paths("a.txt", "deep/b.txt") == ["a.txt", "deep/b.txt"]
    assert paths("--force-exclude", "a.txt", "deep/b.txt", "../ok.txt") == ["../ok.txt"]


def test_fix_leaves_excluded_named_files_untouched() -> None:
    res = run("fix", "--force-exclude", *STAGED)
    assert res.exit_code == 1, res.output
    assert Path("ok.txt").read_text() == "Title\nBody.\n"
    for name in STAGED[:-1]:
        assert Path(name).read_text() == DIRTY, name
    assert "Fixed 1 file " in res.stderr


def test_a_walked_folder_matches_the_globs_from_the_root_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only with the flag: inside a folder walked from the working directory,
    ``notes/*.txt`` names the project's notes, as a folder walk from the root does."""
    root = str(tmp_path)
    assert [s.rel for s in discover(["notes"], exclude=EXCLUDE)] == ["a.txt", "deep/b.txt"]
    assert [s.rel for s in discover(["notes"], exclude=EXCLUDE, root=root)] == []
    assert [s.rel for s in discover(["."], exclude=EXCLUDE, root=root)] == ["ok.txt"]
    monkeypatch.chdir(tmp_path / "notes")
    assert [s.rel for s in discover(["."], exclude=EXCLUDE, root=root)] == []
    assert paths(".") == []  # the CLI passes the configuration's folder
    assert [s.rel for s in discover(["deep"], exclude=["deep/*.txt"], root=root)] == [
        "b.txt"]  # "deep/*.txt" is <root>/deep/, not notes/deep/


def test_stdin_named_as_an_excluded_file_is_skipped_with_the_flag() -> None:
    """As ruff does for an editor piping an excluded file: no findings, and fix
    gives the text back unchanged."""
    name = ["--stdin-filename", "notes/a.txt", "-"]
    plain = CliRunner().invoke(cli, ["check", *name], input=DIRTY)
    assert plain.exit_code == 1 and "notes/a.txt:1:6: PL001" in plain.stdout
    forced = CliRunner().invoke(cli, ["check", "--force-exclude", *name], input=DIRTY)
    assert forced.exit_code == 0 and forced.stdout == "All checks passed!\n"
    fixed = CliRunner().invoke(cli, ["fix", "--force-exclude", *name], input=DIRTY)
    assert fixed.exit_code == 0 and fixed.stdout == DIRTY
    assert CliRunner().invoke(cli, ["fix", *name], input=DIRTY).stdout == "Title\nBody.\n"
    kept = CliRunner().invoke(cli, ["check", "--force-exclude", "--stdin-filename", "ok.txt",
                                    "-"], input=DIRTY)
    assert kept.exit_code == 1 and "ok.txt:1:6: PL001" in kept.stdout


@pytest.mark.parametrize("glob", ["notes/", "./notes", "./notes/", "{root}/notes"])
def test_a_trailing_slash_dot_slash_or_absolute_glob_excludes_as_in_ruff(
        tmp_path: Path, glob: str) -> None:
    # these matched no path (paths are relative, without a trailing slash), so
    # `--exclude notes/` excluded nothing; ruff 0.17.6 excludes the folder for each
    Path("pyproject.toml").unlink()
    glob = glob.format(root=tmp_path)
    assert paths("--exclude", glob, ".") == ["README.txt", "ok.txt", "vendor/lib/x.txt"]
    assert paths("--force-exclude", "--exclude", glob, *STAGED) == [
        "README.txt", "ok.txt", "vendor/lib/x.txt"]
