"""Unreadable inputs are findings (PL901); the run goes on and exits 1.

The tests run as root, where chmod 000 does not deny a read, so "permission
denied" is simulated by making ``open`` fail with EACCES for one path; a file
that vanishes or turns into a directory during the run is simulated with a
hook that runs just before each read.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import provlint.io
import provlint.runner
from provlint.io import read_document


def _before_read(monkeypatch: pytest.MonkeyPatch, hook: Callable[[Path], None]) -> None:
    real = provlint.runner.read_document

    def read(path: Path, doc_id: str, *args: Any) -> Any:
        hook(path)
        return real(path, doc_id, *args)

    monkeypatch.setattr(provlint.runner, "read_document", read)


def _codes(output: str, name: str) -> list[str]:
    return [line.split()[1] for line in output.splitlines() if line.startswith(name + ":")]


def _tree(h: SimpleNamespace) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        h.write(f"tree/{name}", h.DIRTY)


def test_file_deleted_during_the_run(h: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(h)
    _before_read(monkeypatch, lambda p: p.unlink() if p.name == "b.txt" else None)
    res = h.run("fix", "--isolated", "tree")
    assert res.exit_code == 1
    assert _codes(res.output, "tree/b.txt") == ["PL901"]
    assert "No such file or directory" in res.output
    assert Path("tree/a.txt").read_text() == h.CLEAN == Path("tree/c.txt").read_text()
    assert not Path("tree/b.txt").exists()  # nothing recreated


def test_file_replaced_by_a_directory(h: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(h)

    def to_dir(p: Path) -> None:
        if p.name == "b.txt":
            p.unlink()
            p.mkdir()

    _before_read(monkeypatch, to_dir)
    res = h.run("check", "--isolated", "tree")
    assert res.exit_code == 1
    assert _codes(res.output, "tree/b.txt") == ["PL901"]
    assert "a directory, not a regular file" in res.output
    assert "PL001" in _codes(res.output, "tree/c.txt")


def test_permission_denied(h: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(h)
    real_open = os.open

    def deny(path: Any, flags: int, *args: Any, **kw: Any) -> int:
        if str(path).endswith("b.txt"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(provlint.io.os, "open", deny)
    res = h.run("fix", "--isolated", "tree")
    assert res.exit_code == 1
    assert _codes(res.output, "tree/b.txt") == ["PL901"] and "Permission denied" in res.output
    assert Path("tree/b.txt").read_text() == h.DIRTY
    assert Path("tree/c.txt").read_text() == h.CLEAN


def test_broken_symlinks_named_or_found(h: SimpleNamespace) -> None:
    _tree(h)
    os.symlink("missing.txt", "tree/dangling.txt")
    res = h.run("check", "--isolated", "tree", "tree/dangling.txt")
    assert res.exit_code == 1
    assert _codes(res.output, "tree/dangling.txt") == ["PL901"]  # walked + named: once


def test_named_pipe_is_a_finding_not_a_hang(h: SimpleNamespace) -> None:
    _tree(h)
    os.mkfifo("tree/pipe.txt")  # nobody ever writes to it: a blocking read would hang
    res = h.run("check", "--isolated", "tree", "tree/pipe.txt")
    assert res.exit_code == 1
    assert _codes(res.output, "tree/pipe.txt") == ["PL901"]  # walked + named: once
    assert "a named pipe, not a regular file" in res.output


def test_character_device_is_refused() -> None:
    got = read_document(Path("/dev/zero"), "/dev/zero")
    assert got.document is None and got.problems[0].code == "PL901"
    assert "character device" in got.problems[0].message


def test_a_missing_path_is_a_finding_naming_it(h: SimpleNamespace) -> None:
    # as ruff's E902: an unreadable input is a finding and the run goes on
    _tree(h)
    res = h.run("fix", "--isolated", "tree", "no/such/file.txt")
    assert res.exit_code == 1
    assert "no/such/file.txt:1:1: PL901 cannot read file: No such file" in res.output
    assert Path("tree/a.txt").read_text() == h.CLEAN


def test_a_folder_that_vanishes_mid_walk(h: SimpleNamespace,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(h)
    h.write("tree/sub/d.txt", h.DIRTY)
    _before_read(monkeypatch, lambda p: shutil.rmtree("tree/sub", ignore_errors=True)
                 if p.name == "a.txt" else None)
    res = h.run("check", "--isolated", "tree")
    assert res.exit_code == 1  # the folder is gone before the walk reaches it: no crash
    assert "internal error" not in res.output
