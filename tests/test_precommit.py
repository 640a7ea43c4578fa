"""Real pre-commit runs this repository's published hooks (.pre-commit-hooks.yaml).

The current working tree is copied into a temporary git repository and
committed; a second temporary repository names it in .pre-commit-config.yaml
by path and commit. pre-commit then does what it does for any user: clones
the hook repository, builds a virtualenv (``language: python``) and
pip-installs provlint into it (a real, non-editable install: the rule data
must ship in the package), then runs the hooks. PRE_COMMIT_HOME is a
temporary folder, so nothing is shared with the user's cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from provlint.registry import load

ROOT = Path(__file__).resolve().parents[1]
WIDGET = str(load()["PL201"].example("Bad"))  # a media-player widget cluster (data rule)
DIRTY = WIDGET + "The story begins here.   \nIt ends here.\n\n\n"
CLEAN = "Headline\nThe story begins here.\nIt ends here.\n"


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                           *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


def working_tree_files() -> list[str]:
    """Tracked and untracked-but-not-ignored files of this checkout."""
    out = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return sorted({f for f in out.split("\0") if f and os.path.lexists(ROOT / f)})


def snapshot(dest: Path) -> str:
    """Copy the working tree into a fresh git repository and commit it; return the sha."""
    for rel in working_tree_files():
        src, dst = ROOT / rel, dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dst.symlink_to(os.readlink(src))  # validate/provlint/rules -> ../../rules
        elif src.is_file():
            shutil.copy2(src, dst)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD").strip()


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # no PYTHONPATH: a developer's (pointing at a source tree) would make the hook import that
    # tree instead of the package pip installed into the hook's environment
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PRE_COMMIT_COLOR": "never", "SKIP": ""}
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """The hook repository (a snapshot of this tree), its commit, and a PRE_COMMIT_HOME
    shared by this module's tests: pre-commit builds the hooks' environment once."""
    root = tmp_path_factory.mktemp("published")
    hooks = root / "hooks"
    hooks.mkdir()
    return hooks, snapshot(hooks), root / "home"


def hook_config(hooks: Path, rev: str, fix_args: str = "") -> str:
    return (f"repos:\n- repo: {hooks}\n  rev: {rev}\n  hooks:\n"
            f"  - id: provlint-fix\n{fix_args}  - id: provlint\n")


def test_published_hooks_fail_fix_then_pass(tmp_path: Path,
                                            published: tuple[Path, str, Path]) -> None:
    hooks, rev, home = published
    repo = tmp_path / "project"
    repo.mkdir()
    (repo / ".pre-commit-config.yaml").write_text(hook_config(hooks, rev))
    (repo / "story.txt").write_bytes(DIRTY.encode())
    (repo / "notes.md").write_bytes(b"Hard break  \nnext line \n")
    (repo / "script.py").write_bytes(b"x = 1   \n")  # not *.txt/*.md: the hooks skip it
    # excluded by the project's configuration: staged, so pre-commit names them, yet untouched
    (repo / "pyproject.toml").write_text('[tool.provlint]\nexclude = ["vendor", "README.md"]\n')
    (repo / "vendor").mkdir()
    excluded = {repo / "vendor" / "x.txt": DIRTY.encode(), repo / "README.md": b"Title \n\n\n\n"}
    for path, data in excluded.items():
        path.write_bytes(data)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "dirty files")

    check_only = pre_commit(repo, home, "run", "provlint", "--all-files")
    out = check_only.stdout
    assert check_only.returncode == 1, out + check_only.stderr
    assert "story.txt:1:1: PL201" in out  # the phrase-list rule shipped with the package
    assert (repo / "story.txt").read_bytes() == DIRTY.encode()  # the check hook never writes
    assert "vendor" not in out and "README" not in out

    first = pre_commit(repo, home, "run", "--all-files")
    out = first.stdout
    assert first.returncode == 1, out + first.stderr
    assert "files were modified by this hook" in out
    assert (repo / "story.txt").read_text() == CLEAN
    assert (repo / "notes.md").read_bytes() == b"Hard break  \nnext line\n"
    assert (repo / "script.py").read_bytes() == b"x = 1   \n"
    assert "vendor" not in out and "README" not in out
    for path, data in excluded.items():
        assert path.read_bytes() == data, path

    second = pre_commit(repo, home, "run", "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr
    for path, data in excluded.items():
        assert path.read_bytes() == data, path
    # the installed package runs its compiled helpers quietly: no C source is shipped beside
    # the built module, whose install-time mtimes would make it look stale (a warning on
    # every commit, and pure Python)
    for run in (check_only, first, second):
        assert "compiled helpers" not in run.stdout + run.stderr
    passed = [ln for ln in second.stdout.splitlines() if ln.endswith("Passed")]
    assert [ln.split(".")[0] for ln in passed] == [
        "provlint fix", "provlint (extracted-text residue)"]


def test_a_tracked_ledger_changes_only_when_the_hook_rewrites_a_file(
        tmp_path: Path, published: tuple[Path, str, Path]) -> None:
    """The fix hook with ``--ledger`` appended a record of every file named, and a
    start, plan and end line to the manifest, on every run: with the ledger tracked in
    git, pre-commit saw a modified file after every run ("files were modified by this
    hook") and no commit could pass. A run that rewrites nothing leaves both as they were."""
    hooks, rev, home = published
    repo = tmp_path / "project"
    repo.mkdir()
    (repo / ".pre-commit-config.yaml").write_text(
        hook_config(hooks, rev, "    args: [--ledger, provenance.jsonl]\n"))
    (repo / "story.txt").write_bytes(DIRTY.encode())
    (repo / "clean.txt").write_bytes(CLEAN.encode())
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a dirty file")

    first = pre_commit(repo, home, "run", "--all-files")
    assert first.returncode == 1 and "files were modified" in first.stdout, first.stdout
    assert (repo / "story.txt").read_text() == CLEAN
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "fixed, with its ledger")
    ledger = {name: (repo / name).read_bytes()
              for name in ("provenance.jsonl", "provenance.runs.jsonl")}
    assert ledger["provenance.jsonl"].count(b"\n") == 1  # story.txt only: clean.txt kept as is
    for _ in range(2):
        again = pre_commit(repo, home, "run", "--all-files")
        assert again.returncode == 0, again.stdout + again.stderr
        assert {name: (repo / name).read_bytes() for name in ledger} == ledger
    assert git(repo, "status", "--porcelain") == ""


def readme_nested_hooks() -> str:
    """The hooks the README gives for a folder with its own configuration."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("list the hook twice:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    return block


def test_the_readme_hooks_for_a_nested_configuration(
        tmp_path: Path, published: tuple[Path, str, Path]) -> None:
    """The README told pre-commit users with a nested configuration to add a second hook
    with ``files: ^that/folder/``: that replaces the hook's own ``\\.(txt|md)$``, so every
    text file below the folder (a conf.py) was named to provlint fix and rewritten."""
    hooks, rev, home = published
    repo = tmp_path / "project"
    (repo / "docs").mkdir(parents=True)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks}\n  rev: {rev}\n  hooks:\n{readme_nested_hooks()}")
    (repo / "docs" / "provlint.toml").write_text('ignore = ["PL001"]\n')
    files = {"top.txt": b"Top  x \n\n\n\nend\n", "docs/a.txt": b"Doc  x \n\n\n\nend\n",
             "docs/conf.py": b"x = 1   \n\n\n\ny = 2\n"}
    for name, data in files.items():
        (repo / name).write_bytes(data)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    res = pre_commit(repo, home, "run", "--all-files")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "is not used for" not in res.stdout  # each file with its own configuration
    assert (repo / "top.txt").read_bytes() == b"Top  x\n\nend\n"  # the default rules
    assert (repo / "docs/a.txt").read_bytes() == b"Doc  x \n\nend\n"  # docs/: PL001 ignored
    assert (repo / "docs/conf.py").read_bytes() == files["docs/conf.py"]  # not a text file
