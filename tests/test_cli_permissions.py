"""Files and folders the user may not read or write: each is named (PL901, or an error
for a write), and the run goes on with the others, as in ruff.

The runs that need a permission to be refused run in a subprocess: as root, through
``setpriv`` with every capability dropped, so file modes bind root as anyone else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_cli import _in_tmp, findings, write  # noqa: F401 (_in_tmp: a fixture)

TRAILING = "text  \n"  # PL001


def _confined(*args: str) -> subprocess.CompletedProcess[str]:
    """``provlint ARGS`` without the power to bypass file modes."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running the tests as root needs util-linux's setpriv"
        prefix = [setpriv, "--bounding-set=-all", "--inh-caps=-all"]
    return subprocess.run([*prefix, sys.executable, "-m", "provlint", *args], text=True,
                          capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"})


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[None]:
    """``ok.txt``; ``noread.txt`` (mode 000); ``shut/`` (mode 000) holding ``in.txt``;
    ``open/`` holding ``b.txt`` and ``shut2/`` (mode 000)."""
    for name in ("ok.txt", "noread.txt", "shut/in.txt", "open/b.txt", "open/shut2/c.txt"):
        write(name, TRAILING)
    modes = [Path("noread.txt"), Path("shut"), Path("open/shut2")]
    for p in modes:
        p.chmod(0)
    yield
    for p in modes:
        (tmp_path / p).chmod(0o755)


def test_a_file_named_that_cannot_be_read_is_pl901_not_a_usage_error(locked: None) -> None:
    # click's Path(readable=True) made this exit 2 having checked nothing, and a file in a
    # folder we may not enter stopped the run (Path.is_dir raises PermissionError)
    res = _confined("check", "ok.txt", "noread.txt", "shut/in.txt")
    assert res.returncode == 1, res.stderr
    assert findings(res.stdout) == [("noread.txt", 1, 1, "PL901"), ("ok.txt", 1, 5, "PL001"),
                                    ("shut/in.txt", 1, 1, "PL901")]
    assert res.stdout.count("cannot read file: Permission denied") == 2


def test_a_folder_that_cannot_be_listed_is_pl901_not_skipped(locked: None) -> None:
    # os.walk skipped it silently: `check open` passed with c.txt never read
    res = _confined("check", "open")
    assert res.returncode == 1, res.stderr
    assert findings(res.stdout) == [("open/b.txt", 1, 5, "PL001"), ("open/shut2", 1, 1, "PL901")]
    assert "open/shut2:1:1: PL901 cannot read folder: Permission denied" in res.stdout
    res = _confined("check", "shut")  # the folder named is the one that cannot be listed
    assert (res.returncode, findings(res.stdout)) == (1, [("shut", 1, 1, "PL901")])
    res = _confined("fix", "open")
    assert res.returncode == 1 and "open/shut2:1:1: PL901" in res.stdout
    assert Path("open/b.txt").read_text() == "text\n"


def test_fix_leaves_a_read_only_file_as_it_is(locked: None) -> None:
    # the atomic rename replaced a file of mode 444 (the folder is writable), where ruff's
    # write, and any editor's, is refused
    write("ro.txt", TRAILING)
    Path("ro.txt").chmod(0o444)
    res = _confined("fix", "ro.txt", "ok.txt")
    assert res.returncode == 2, res.stderr
    assert "error: cannot write ro.txt: Permission denied; left as it was" in res.stderr
    assert findings(res.stdout) == [("ro.txt", 1, 5, "PL001")]
    assert Path("ro.txt").read_text() == TRAILING and Path("ok.txt").read_text() == "text\n"
    assert Path("ro.txt").stat().st_mode & 0o777 == 0o444


def test_report_names_a_file_it_cannot_read_and_goes_on(locked: None) -> None:
    # click's Path(readable=True) made `report ok.txt noread.txt` a usage error (exit 2)
    # with nothing written, where check and fix report PL901 and go on
    res = _confined("report", "--isolated", "--no-html", "--out", "r", "ok.txt", "noread.txt")
    assert res.returncode == 0, res.stderr
    rows = Path("r/findings.jsonl").read_text().splitlines()
    assert sum('"PL901"' in r and '"noread.txt"' in r for r in rows) == 1
    assert Path("r/clean/ok.txt").read_text() == "text\n"
