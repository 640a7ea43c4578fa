"""The baseline: known findings are suppressed by content, not by line number."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from provlint.baseline import Baseline, keys
from provlint.model import Finding, Severity, Span

from .conftest import NOISY, Run


def test_baseline_survives_lines_inserted_above_and_new_findings_fail(run: Run) -> None:
    Path("a.txt").write_text(NOISY, encoding="utf-8")
    wrote = run("check", "a.txt", "--write-baseline", "base.json")
    assert wrote.exit_code == 0, wrote.output
    entries = json.loads(Path("base.json").read_text())["findings"]
    assert {e["code"] for e in entries} == {"PL001", "PL003", "PL301"}
    assert all("line" in e and len(e["matched_sha256"]) == 64 for e in entries)

    Path("a.txt").write_text("Editor's note added later.\n\n" + NOISY, encoding="utf-8")
    plain = run("check", "a.txt")
    assert plain.exit_code == 1 and "a.txt:3:25: PL001" in plain.output  # it moved down
    known = run("check", "a.txt", "--baseline", "base.json")
    assert known.exit_code == 0, known.output
    assert "All checks passed!" in known.output

    Path("a.txt").write_text("Late addition   \n" + NOISY, encoding="utf-8")
    new = run("check", "a.txt", "--baseline", "base.json")
    assert new.exit_code == 1
    assert "a.txt:1:14: PL001" in new.output and "a.txt:2:" not in new.output


def test_a_second_copy_of_known_text_is_a_new_occurrence(run: Run) -> None:
    Path("a.txt").write_text("One.  \nTwo.\n", encoding="utf-8")
    run("check", "a.txt", "--write-baseline", "base.json")
    Path("a.txt").write_text("One.  \nTwo.  \n", encoding="utf-8")
    again = run("check", "a.txt", "--baseline", "base.json", "--output-format", "concise")
    assert again.exit_code == 1
    found = [ln for ln in again.output.splitlines() if ln.startswith("a.txt:")]
    assert len(found) == 1 and found[0].startswith("a.txt:2:5: PL001")


def test_stale_entries_are_reported(run: Run) -> None:
    Path("a.txt").write_text(NOISY, encoding="utf-8")
    Path("b.txt").write_text("Fine.\n", encoding="utf-8")
    run("check", "a.txt", "--write-baseline", "base.json")
    Path("a.txt").write_text(NOISY.replace("  \n", "\n", 1), encoding="utf-8")
    result = run("check", "a.txt", "b.txt", "--baseline", "base.json")
    assert result.exit_code == 0
    stale = [ln for ln in result.output.splitlines() if ln.startswith("stale baseline entry")]
    assert len(stale) == 1 and "a.txt: PL001" in stale[0]
    only_b = run("check", "b.txt", "--baseline", "base.json")  # a.txt not checked: not stale
    assert "stale" not in only_b.output


def test_unreadable_baseline_is_a_usage_error(run: Run) -> None:
    Path("a.txt").write_text("Fine.\n", encoding="utf-8")
    assert run("check", "a.txt", "--baseline", "missing.json").exit_code == 2
    Path("bad.json").write_text('{"schema": "other"}')
    result = run("check", "a.txt", "--baseline", "bad.json")
    assert result.exit_code == 2 and "provlint.baseline/v1" in result.output


def _f(start: int, matched: str, path: str = "p.txt", code: str = "PL001") -> Finding:
    return Finding(code, "x", path, Span(start, start + len(matched)), start + 1, 1,
                   start + 1, 2, "m", Severity.WARNING, path=path, matched=matched)


def test_keys_number_occurrences_by_position_whatever_the_input_order() -> None:
    a, b, c = _f(10, "  "), _f(50, "  "), _f(30, "\t")
    ka = keys([a, b, c])
    kb = keys([c, b, a])
    assert [k[3] for k in ka] == [0, 1, 0]
    assert ka == [kb[2], kb[1], kb[0]]
    assert keys([_f(10, "  ", path="q.txt")])[0][0] == "q.txt"
    round_trip = Baseline.from_findings([a, b, c])
    assert set(round_trip.entries) == set(ka)


def test_a_baseline_holds_paths_from_its_own_folder(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # written from the repository's root, read by a job in a subfolder or one naming the
    # files by absolute path (and met through the configuration's `baseline` key, which
    # is from the configuration's folder): the same findings are known. Before, paths were
    # from the working directory of each run, so every finding was new (or, through the
    # key, the baseline was not found at all: exit 2)
    Path("docs").mkdir()
    Path("docs", "a.txt").write_text(NOISY, encoding="utf-8")
    Path("b.txt").write_text("Top.  \n", encoding="utf-8")
    assert run("check", ".", "--write-baseline", "base.json").exit_code == 0
    data = json.loads(Path("base.json").read_text())
    assert {e["path"] for e in data["findings"]} == {"docs/a.txt", "b.txt"}
    assert data["paths"] == "from the baseline's folder"
    Path("pyproject.toml").write_text('[tool.provlint]\nbaseline = "base.json"\n')
    assert run("check", ".").exit_code == 0
    monkeypatch.chdir("docs")
    known = run("check", ".", "../b.txt", str(tmp_path / "b.txt"))
    assert known.exit_code == 0, known.output
    assert "suppressed by the baseline ../base.json" in known.stderr
    Path("a.txt").write_text("New.     \n" + NOISY, encoding="utf-8")
    new = run("check", "--output-format", "concise", ".")
    assert new.exit_code == 1 and new.stdout.splitlines()[0].startswith("a.txt:1:5: PL001")
    assert len(new.stdout.splitlines()) == 1  # only the new one
    monkeypatch.chdir(tmp_path.parent)
    named = run("check", str(tmp_path / "b.txt"), "--baseline", str(tmp_path / "base.json"))
    assert named.exit_code == 0, named.output


def test_a_baseline_written_before_keeps_its_paths_from_the_working_directory(
        run: Run) -> None:
    # without the "paths" key (an older provlint wrote it) entries are from the working
    # directory the baseline was written in, wherever the file is kept
    Path("sub").mkdir()
    Path("a.txt").write_text("Top.  \n", encoding="utf-8")
    run("check", "a.txt", "--write-baseline", "cwd.json")
    data = json.loads(Path("cwd.json").read_text())
    del data["paths"]
    Path("sub", "old.json").write_text(json.dumps(data))
    assert run("check", "a.txt", "--baseline", "sub/old.json").exit_code == 0
    assert run("check", "a.txt", "--baseline", "cwd.json").exit_code == 0


def test_write_baseline_writes_into_a_pipe_and_through_a_symlink(run: Run) -> None:
    # the baseline went to a temporary file renamed over the name given: a FIFO (or, as
    # root, /dev/null or /dev/stdout) was replaced by a regular file, and a symlink to
    # the shared baseline by a private copy
    Path("a.txt").write_text("Top.  \n", encoding="utf-8")
    os.mkfifo("pipe")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(Path("pipe").read_bytes()), daemon=True)
    reader.start()
    res = run("check", "a.txt", "--write-baseline", "pipe")
    reader.join(timeout=10)
    assert res.exit_code == 0 and "Wrote 1 finding to the baseline pipe." in res.stderr
    assert Path("pipe").is_fifo()
    assert json.loads(got[0])["findings"][0]["path"] == "a.txt"
    Path("shared").mkdir()
    Path("link.json").symlink_to("shared/base.json")
    assert run("check", "a.txt", "--write-baseline", "link.json").exit_code == 0
    assert Path("link.json").is_symlink() and Path("shared", "base.json").is_file()
    assert run("check", "a.txt", "--baseline", "link.json").exit_code == 0
