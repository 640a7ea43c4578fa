"""``provlint fix --diff``: the diff applies with patch and git apply to give the
bytes ``provlint fix`` writes, whatever the files hold (control characters, CR
and CRLF, no final newline, U+2028, cp1252, UTF-16) and however they are named.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from provlint.cli import cli
from provlint.output import diff_for_tty, unified_diff

FILES = {
    "esc.txt": b"Head\x1b[31m  \nline\r\nCR only\rx  \r\n\x0cform  \nend  ",
    "ls.txt": "one\u2028two  \n\x85three  \u2029four  ".encode(),
    "crlf.txt": b"Title  \r\nBody text.  \r\n",
    "cr.txt": b"Title  \rBody text.  \r",
    "cp1252.txt": b"caf\xe9 \x93quoted\x94  \nnext\n",
    "utf16.txt": b"\xff\xfe" + "Head  \r\nline two  \r\n".encode("utf-16-le"),
    "x y.txt": b"spaced  \nname\n",
    'q"uote.txt': b"quoted  \n",
    "tab\tname.txt": b"tabbed  \n",
    "back\\slash.txt": b"slashed  \n",
    "clean.txt": b"Nothing to do.\n",
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PROVLINT_OUTPUT_FORMAT", raising=False)
    root = tmp_path / "work"
    root.mkdir()
    (tmp_path / "provlint.toml").write_text('select = ["PL0", "PL3", "PL9"]\n')
    for name, data in FILES.items():
        (root / name).write_bytes(data)
    (root / b"caf\xe9.txt".decode("utf-8", "surrogateescape")).write_bytes(b"latin name  \n")
    monkeypatch.chdir(root)
    return root


def _diff() -> bytes:
    res = CliRunner().invoke(cli, ["fix", "--diff", "--no-cache", "."], catch_exceptions=False)
    assert res.exit_code == 1, res.output
    return res.stdout_bytes


@pytest.mark.parametrize("tool", [["patch", "-s", "-p1"], ["git", "apply", "-"]])
def test_the_diff_applies_and_gives_what_fix_writes(corpus: Path, tool: list[str]) -> None:
    # the diff used to escape control characters and to be re-encoded as UTF-8, so
    # patch rejected its hunks for every such file (and for cp1252 and UTF-16 ones)
    diff = _diff()
    assert _tree(corpus) == {**FILES, "caf\udce9.txt": b"latin name  \n"}  # --diff writes nothing
    copy = corpus.parent / "copy"
    shutil.copytree(corpus, copy)
    subprocess.run(tool, input=diff, cwd=copy, check=True, capture_output=True)
    res = CliRunner().invoke(cli, ["fix", "--no-cache", "."], catch_exceptions=False)
    assert res.exit_code == 1
    fixed = _tree(corpus)
    assert fixed != {**FILES, "caf\udce9.txt": b"latin name  \n"}
    assert _tree(copy) == fixed


def test_names_are_quoted_or_ended_as_git_writes_them() -> None:
    heads = [unified_diff(name, b"a  \n", b"a\n").split(b"\n")[:2] for name in
             ("x y.txt", 'q"x', "t\tx", "b\\x", "c\x01x", "caf\udce9")]
    assert heads == [[b"--- a/x y.txt\t", b"+++ b/x y.txt\t"],
                     [b'--- "a/q\\"x"', b'+++ "b/q\\"x"'],
                     [b'--- "a/t\\tx"', b'+++ "b/t\\tx"'],
                     [b'--- "a/b\\\\x"', b'+++ "b/b\\\\x"'],
                     [b'--- "a/c\\001x"', b'+++ "b/c\\001x"'],
                     [b"--- a/caf\xe9", b"+++ b/caf\xe9"]]


def test_a_terminal_gets_the_diff_with_escapes() -> None:
    diff = unified_diff("a.txt", b"caf\xe9 \x1b[2J\rx  \n", b"caf\xe9 \x1b[2J\rx\n")
    assert diff_for_tty(diff).split("\n")[3:5] == ["-caf\\xe9 \\x1b[2J\\rx  ",
                                                   "+caf\\xe9 \\x1b[2J\\rx"]
