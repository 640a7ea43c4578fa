"""In-place fixing never replaces a symlink, never writes outside the inputs,
rewrites hard-linked files in their own inode, and keeps mode and owner.

Policy (README "Safety"): a symlink is fixed *through* its target when the
target lies inside a folder given on the command line (or the folder of a
file given); any other symlink is neither read nor written and gets PL906.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from types import SimpleNamespace

from provlint.atomic import write_atomic


def test_symlink_inside_the_tree_is_fixed_through_its_target(h: SimpleNamespace) -> None:
    target = h.write("tree/real.txt", h.DIRTY)
    os.symlink("real.txt", "tree/link.txt")
    res = h.run("fix", "--isolated", "tree/link.txt")
    assert res.exit_code == 1, res.output
    assert os.path.islink("tree/link.txt") and os.readlink("tree/link.txt") == "real.txt"
    assert target.read_text() == h.CLEAN


def test_symlink_in_a_walked_folder_stays_a_symlink(h: SimpleNamespace) -> None:
    h.write("tree/real.txt", h.DIRTY)
    os.symlink("real.txt", "tree/alias.txt")
    res = h.run("fix", "--isolated", "tree")
    assert res.exit_code == 1
    assert os.path.islink("tree/alias.txt")
    assert Path("tree/real.txt").read_text() == h.CLEAN


def test_symlink_to_outside_is_skipped_with_a_finding(h: SimpleNamespace) -> None:
    outside = h.write("elsewhere/secret.txt", h.DIRTY)
    h.write("tree/ok.txt", h.DIRTY)
    os.symlink(os.path.abspath(outside), "tree/leak.txt")
    before = outside.stat()
    res = h.run("fix", "--isolated", "tree")
    assert res.exit_code == 1
    assert "PL906" in res.output and "tree/leak.txt" in res.output
    assert outside.read_text() == h.DIRTY and outside.stat().st_mtime_ns == before.st_mtime_ns
    assert os.path.islink("tree/leak.txt")
    assert Path("tree/ok.txt").read_text() == h.CLEAN  # the run went on
    # check mode does not read it either: its only finding is PL906
    h.write("tree/ok.txt", h.DIRTY)
    res = h.run("check", "--isolated", "--output-format", "json", "tree")
    found = json.loads(res.output)
    assert [f["code"] for f in found if f["path"] == "tree/leak.txt"] == ["PL906"]
    assert {f["code"] for f in found if f["path"] == "tree/ok.txt"} >= {"PL001", "PL003"}


def test_explicit_symlink_argument_to_outside_is_skipped(h: SimpleNamespace) -> None:
    outside = h.write("elsewhere/secret.txt", h.DIRTY)
    Path("repo").mkdir()
    os.symlink("../elsewhere/secret.txt", "repo/notes.txt")
    res = h.run("fix", "--isolated", "repo/notes.txt")
    assert res.exit_code == 1 and "PL906" in res.output
    assert outside.read_text() == h.DIRTY


def test_hard_links_all_see_the_fix_in_the_same_inode(h: SimpleNamespace) -> None:
    a = h.write("tree/a.txt", h.DIRTY)
    os.link(a, "tree/b.txt")
    os.link(a, "elsewhere-b.txt")
    inode = a.stat().st_ino
    res = h.run("fix", "--isolated", "tree/a.txt")
    assert res.exit_code == 1
    for p in (a, Path("tree/b.txt"), Path("elsewhere-b.txt")):
        assert p.read_text() == h.CLEAN
        assert p.stat().st_ino == inode and p.stat().st_nlink == 3


def test_mode_and_ownership_are_kept(h: SimpleNamespace) -> None:
    a = h.write("tree/a.txt", h.DIRTY)
    os.chmod(a, 0o640 | stat.S_ISGID)
    os.chown(a, 1234, 5678)  # the tests run as root; elsewhere chown is skipped
    res = h.run("fix", "--isolated", "tree")
    assert res.exit_code == 1
    st = a.stat()
    assert a.read_text() == h.CLEAN
    assert stat.S_IMODE(st.st_mode) == 0o640 | stat.S_ISGID
    assert (st.st_uid, st.st_gid) == (1234, 5678)


def test_new_output_files_get_the_umask_mode_not_0600(h: SimpleNamespace) -> None:
    h.write("tree/a.txt", h.DIRTY)
    old = os.umask(0o022)
    try:
        res = h.run("fix", "--isolated", "--out", "out", "tree")
    finally:
        os.umask(old)
    assert res.exit_code == 1
    assert stat.S_IMODE(Path("out/a.txt").stat().st_mode) == 0o644


def test_no_temporary_files_are_left_behind(h: SimpleNamespace) -> None:
    h.write("tree/a.txt", h.DIRTY)
    h.write("tree/b.txt", "clean\n")
    h.run("fix", "--isolated", "tree")
    assert sorted(p.name for p in Path("tree").iterdir()) == ["a.txt", "b.txt"]


def test_write_atomic_in_place_on_a_symlink_writes_the_target(
    h: SimpleNamespace, tmp_path: Path
) -> None:
    real = h.write(tmp_path / "real.txt", "old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, b"new\n", like=link)
    assert link.is_symlink() and real.read_bytes() == b"new\n"


def test_write_atomic_into_an_output_folder_replaces_a_planted_link(
    h: SimpleNamespace, tmp_path: Path
) -> None:
    victim = h.write(tmp_path / "victim.txt", "precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").symlink_to(victim)
    write_atomic(out / "a.txt", b"cleaned\n")  # not in place: the link is replaced
    assert victim.read_text() == "precious\n"
    assert not (out / "a.txt").is_symlink() and (out / "a.txt").read_text() == "cleaned\n"
