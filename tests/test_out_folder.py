"""Where outputs go: an --out folder never replaces an input, never becomes an
input of the next run, and a file met twice is one document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from provlint.cli import cli

RAW = b"Body  \n\n\n\nEnd.\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVLINT_OUTPUT_FORMAT", raising=False)
    (tmp_path / "provlint.toml").write_text('select = ["PL0"]\n')
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_bytes(RAW)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def records(ledger: str) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in Path(ledger).read_text().splitlines()]


@pytest.mark.parametrize("args", [["--out", "d", "d"], ["--out", "d/", "ABS"],
                                  ["--out", ".", "d/a.txt"]])
def test_fix_out_refuses_to_write_over_its_inputs(args: list[str]) -> None:
    # an absolute path's output name is its file name: d/a.txt again
    res = run("fix", *(str(Path("d/a.txt").resolve()) if a == "ABS" else a for a in args))
    assert res.exit_code == 2 and "choose" in res.stderr, res.output
    assert Path("d/a.txt").read_bytes() == RAW
    assert not Path("d/provenance.jsonl").exists() and not Path("provenance.jsonl").exists()


def test_an_out_folder_inside_the_input_folder_is_not_read_again() -> None:
    for _ in range(2):
        assert run("fix", "--out", "d/clean", "d").exit_code == 1
    assert sorted(p.relative_to("d").as_posix() for p in Path("d").rglob("*.txt")) == [
        "a.txt", "clean/a.txt"]
    assert [r["doc"] for r in records("d/clean/provenance.jsonl")] == [  # type: ignore[index]
        {"id": "d/a.txt", "path": "d/a.txt", "rel": "a.txt"}] * 2
    assert Path("d/clean/a.txt").read_bytes() == b"Body\n\nEnd.\n"


MISSING = "nope.txt:1:1: PL901 cannot read file: No such file or directory"


def test_a_missing_path_is_a_finding_and_the_run_goes_on() -> None:
    # as ruff's E902: exit 1, the other inputs still checked or fixed
    res = run("check", "nope.txt", "d")
    assert res.exit_code == 1 and MISSING in res.stdout, res.output
    assert "d/a.txt:1:5: PL001" in res.stdout
    res = run("fix", "--out", "o", "d", "nope.txt")
    assert res.exit_code == 1 and MISSING in res.stdout, res.output
    assert Path("o/a.txt").read_bytes() == b"Body\n\nEnd.\n"
    assert [r["doc"]["id"] for r in records("o/provenance.jsonl")] == [  # type: ignore[index]
        "d/a.txt"]
    res = run("fix", "nope.txt", "d/a.txt")
    assert res.exit_code == 1 and MISSING in res.stdout, res.output
    assert Path("d/a.txt").read_bytes() == b"Body\n\nEnd.\n"


def test_report_neither_reads_nor_writes_a_shard_it_must_not_read() -> None:
    # a missing shard, and one behind a symlink leading out of the inputs: one
    # finding each, no output shard (the link's records were read and written)
    Path("outside").mkdir()
    Path("outside/x.jsonl").write_text('{"text": "private  "}\n')
    Path("d/link.jsonl").symlink_to(Path("outside/x.jsonl").resolve())
    res = run("report", "--out", "r", "--isolated", "--no-html", "d", "d/gone.jsonl")
    assert res.exit_code in (0, 1), res.output
    assert "| PL901 | unreadable-file | 0 | 1 |" in res.stdout
    assert "| PL906 | symlink-outside-inputs | 0 | 1 |" in res.stdout
    assert sorted(p.name for p in Path("r/clean").iterdir()) == ["a.txt"]


@pytest.mark.parametrize("paths", [["d/a.txt", "d/a.txt"], ["d", "d/a.txt"],
                                   ["d/a.txt", "./d/../d/a.txt"]])
def test_a_file_met_twice_is_checked_and_recorded_once(paths: list[str]) -> None:
    res = run("check", "--output-format", "json", *paths)
    assert [f["code"] for f in json.loads(res.stdout)] == ["PL001", "PL005"]
    assert run("fix", "--out", "o", *paths).exit_code == 1
    assert len(records("o/provenance.jsonl")) == 1
    assert sorted(p.name for p in Path("o").rglob("*.txt")) == ["a.txt"]


def test_report_refuses_its_input_folder_as_output_and_skips_its_output_inside() -> None:
    res = run("report", "d", "--out", "d", "--no-html")
    assert res.exit_code == 2 and "is the input folder" in res.stderr
    assert sorted(p.name for p in Path("d").iterdir()) == ["a.txt"]
    Path("d/clean").mkdir()
    Path("d/clean/b.txt").write_bytes(RAW)
    res = run("report", "d/clean", "--out", "d")  # b.txt would be its own output
    assert res.exit_code == 2, res.output
    Path("d/clean/b.txt").unlink()
    Path("d/clean").rmdir()
    for _ in range(2):  # the second run sees neither clean/ nor the ledger as inputs
        res = run("report", "d", "--out", "d/r", "--no-html")
        assert res.exit_code == 0, res.output
    assert sorted(p.relative_to("d/r/clean").as_posix()
                  for p in Path("d/r/clean").rglob("*") if p.is_file()) == ["a.txt"]


def test_a_file_that_cannot_be_written_in_place_is_named_and_the_run_goes_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only or immutable file was an 'internal error' that stopped the run."""
    import provlint.commands.check as check_cmd

    real = check_cmd.write_atomic

    def refuse(path: Path, data: bytes, like: Path | None = None) -> None:
        if path.name == "a.txt":
            raise PermissionError(1, "Operation not permitted")
        real(path, data, like=like)

    monkeypatch.setattr(check_cmd, "write_atomic", refuse)
    Path("d/b.txt").write_bytes(RAW)
    res = run("fix", "--ledger", "L.jsonl", "d")
    assert res.exit_code == 2 and "internal error" not in res.output
    assert "cannot write d/a.txt: Operation not permitted; left as it was" in res.stderr
    assert Path("d/a.txt").read_bytes() == RAW and Path("d/b.txt").read_bytes() != RAW
    # a.txt is as read, so its findings are those of the text read (they were those of
    # the text it could not write: none), and its edits are not counted
    assert [ln.split()[:2] for ln in res.stdout.splitlines()[:2]] == [
        ["d/a.txt:1:5:", "PL001"], ["d/a.txt:3:1:", "PL005"]]
    assert "Fixed 1 file (2 edits); 2 findings remain." in res.stderr
    assert [r["doc"]["id"] for r in records("L.jsonl")] == ["d/b.txt"]  # type: ignore[index]


def test_report_files_go_into_new_folders() -> None:
    """As ruff's --output-file: a missing folder was an internal error (for report,
    after the whole corpus had been cleaned)."""
    res = run("check", "d/a.txt", "--output-format", "json", "-o", "out/a/f.json",
              "--report", "sarif=out/b/f.sarif")
    assert res.exit_code == 1, res.output
    assert len(json.loads(Path("out/a/f.json").read_text())) == 2
    assert json.loads(Path("out/b/f.sarif").read_text())["version"] == "2.1.0"
    res = run("report", "d", "--out", "r", "--no-html", "--report", "junit=out/c/j.xml")
    assert res.exit_code == 0, res.output
    assert Path("out/c/j.xml").read_text().count("<testcase") == 2


def test_an_output_folder_it_cannot_write_in_is_a_clear_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only or immutable OUT/clean stopped report with 'internal error:
    PermissionError ... (rerun with --debug)', naming a temporary file."""
    import provlint.atomic as atomic

    def refuse(folder: Path, prefix: str, suffix: str = ".tmp") -> tuple[int, str]:
        raise PermissionError(1, "Operation not permitted",
                              str(Path(folder) / f"{prefix}0123456789ab{suffix}"))

    monkeypatch.setattr(atomic, "temp_file", refuse)
    res = run("report", "d", "--out", "r", "--no-html", "--jobs", "1")
    assert res.exit_code == 2 and "internal error" not in res.output, res.output
    assert "cannot write in r/clean: Operation not permitted" in res.stderr
