"""``provlint restore``: every original back byte for byte, or a clear reason why not."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from provlint.cli import cli

INPUTS = {
    "crlf.txt": b"Windows  \r\n\r\n\r\n\r\nline\r\n",
    "cr.txt": b"Old Mac  \r\r\r\rline\r",
    "bom.txt": b"\xef\xbb\xbfWith BOM  \n\n\n\nend\n",
    "nbsp.txt": "no\u00a0break\u00a0 \n\n\n\nend\n".encode(),
    "cp1252.txt": b"Caf\xe9 \x93quoted\x94  \n\n\n\nend\n",
    "broken.txt": b"\xc3\xa9 stray \xff byte  \n\n\n\n\xfe\n",
    "sub/mixed.md": b"a  \r\nb \n\n\n\nc\r",
    "sub/clean.txt": b"Nothing to do.\n",
}


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    for name, data in INPUTS.items():
        Path("corpus", name).parent.mkdir(parents=True, exist_ok=True)
        Path("corpus", name).write_bytes(data)
    return CliRunner()


def _report(runner: CliRunner, *extra: str) -> None:
    res = runner.invoke(cli, ["report", "--isolated", "--no-html", "--out", "rep", *extra,
                              "corpus"])
    assert res.exit_code == 0, res.output


def test_restore_rebuilds_every_input_byte_for_byte(run: CliRunner) -> None:
    _report(run)
    assert Path("rep/clean/crlf.txt").read_bytes() != INPUTS["crlf.txt"]
    res = run.invoke(cli, ["restore", "--ledger", "rep/provenance.jsonl", "--out", "back"])
    assert res.exit_code == 0, res.output
    assert f"Restored {len(INPUTS)} documents; 0 failed." in res.stdout
    for name, data in INPUTS.items():
        assert Path("back", name).read_bytes() == data, name


def test_restore_only_the_named_files_or_folders(run: CliRunner) -> None:
    _report(run)
    res = run.invoke(cli, ["restore", "--ledger", "rep/provenance.jsonl", "--out", "back",
                           "rep/clean/cr.txt", "rep/clean/sub"])
    assert res.exit_code == 0, res.output
    got = sorted(p.relative_to("back").as_posix() for p in Path("back").rglob("*") if p.is_file())
    assert got == ["cr.txt", "sub/clean.txt", "sub/mixed.md"]


def test_restore_names_a_changed_cleaned_file_and_goes_on(run: CliRunner) -> None:
    _report(run)
    Path("rep/clean/bom.txt").write_bytes(b"edited by hand\n")
    res = run.invoke(cli, ["restore", "--ledger", "rep/provenance.jsonl", "--out", "back"])
    assert res.exit_code == 1
    assert "corpus/bom.txt:" in res.stderr and "changed since the run" in res.stderr
    assert f"Restored {len(INPUTS) - 1} documents; 1 failed." in res.stdout
    assert not Path("back/bom.txt").exists()


@pytest.mark.parametrize("mode", ["hash", "none"])
def test_restore_explains_it_needs_full_text(run: CliRunner, mode: str) -> None:
    _report(run, "--provenance-text", mode)
    res = run.invoke(cli, ["restore", "--ledger", "rep/provenance.jsonl", "--out", "back"])
    assert res.exit_code == 1
    assert f"written with --provenance-text={mode}" in res.stderr
    assert "restore needs --provenance-text=full" in res.stderr
    # a document nothing was removed from restores anyway
    assert Path("back/sub/clean.txt").read_bytes() == INPUTS["sub/clean.txt"]


def test_restore_after_fix_out_and_missing_ledger(run: CliRunner) -> None:
    assert run.invoke(cli, ["fix", "--isolated", "--out", "o", "corpus"]).exit_code == 1
    res = run.invoke(cli, ["restore", "--ledger", "o/provenance.jsonl", "--out", "back"])
    assert res.exit_code == 0, res.output
    for name, data in INPUTS.items():
        assert hashlib.sha256(Path("back", name).read_bytes()).digest() == \
            hashlib.sha256(data).digest()
    res = run.invoke(cli, ["restore", "--ledger", "nope.jsonl", "--out", "back"])
    assert res.exit_code == 2 and "ledger not found" in res.stderr


def test_restore_goes_back_through_every_in_place_run_to_the_original(run: CliRunner) -> None:
    """A file fixed in place again and again with one ledger (a commit hook): the
    newest record's input is the previous run's output; restore follows the chain."""
    args = ["--isolated", "--ledger", "L.jsonl", "corpus"]
    assert run.invoke(cli, ["fix", *args]).exit_code == 1  # (PL006, PL903 remain)
    written = [Path(name).read_bytes() for name in ("L.jsonl", "L.runs.jsonl")]
    for command in (["fix", *args], ["check", "--fix", *args]):  # nothing left to rewrite:
        assert run.invoke(cli, command).exit_code == 1  # the ledger is left as it was
        assert [Path(name).read_bytes() for name in ("L.jsonl", "L.runs.jsonl")] == written
    # check alone fixes nothing: it wrote a start, a plan, a "skip" per file (its findings
    # as the reason) and an end line to the manifest on every run
    Path("corpus/crlf.txt").write_bytes(b"Dirty again \r\n")
    assert run.invoke(cli, ["check", *args]).exit_code == 1
    assert [Path(name).read_bytes() for name in ("L.jsonl", "L.runs.jsonl")] == written
    Path("corpus/crlf.txt").write_bytes(b"Edited by hand \r\n")  # a new original for it
    assert run.invoke(cli, ["fix", *args]).exit_code == 1
    ids = [json.loads(line)["doc"]["id"] for line in Path("L.jsonl").read_text().splitlines()]
    assert sorted(ids) == sorted([f"corpus/{name}" for name in INPUTS if name != "sub/clean.txt"]
                                 + ["corpus/crlf.txt"])  # rewritten files only
    res = run.invoke(cli, ["restore", "--ledger", "L.jsonl", "--out", "back"])
    assert res.exit_code == 0, res.output
    for name, data in INPUTS.items():
        want = b"Edited by hand \r\n" if name == "crlf.txt" else data
        if name == "sub/clean.txt":  # never rewritten: its original is the file itself
            assert not Path("back", name).exists()
        else:
            assert Path("back", name).read_bytes() == want, name


def test_restore_goes_back_as_far_as_an_older_run_without_removed_text(run: CliRunner) -> None:
    """A file fixed in place by a --provenance-text=hash run, then by a full one: the
    newest run's input can be rebuilt, the hash run's cannot. restore failed the
    document outright and wrote nothing; it writes what it can rebuild and says where
    the way back stops (exit 1: not the original)."""
    Path("x.txt").write_bytes(b"Story   \ntext\n\n\n\n")
    first = ["fix", "--isolated", "--ignore", "PL001", "--provenance-text", "hash"]
    assert run.invoke(cli, [*first, "--ledger", "L.jsonl", "x.txt"]).exit_code == 1
    assert Path("x.txt").read_bytes() == b"Story   \ntext\n"  # blank lines gone, spaces kept
    assert run.invoke(cli, ["fix", "--isolated", "--ledger", "L.jsonl", "x.txt"]).exit_code == 1
    assert Path("x.txt").read_bytes() == b"Story\ntext\n"
    res = run.invoke(cli, ["restore", "--ledger", "L.jsonl", "--out", "back"])
    assert res.exit_code == 1, res.output
    assert Path("back/x.txt").read_bytes() == b"Story   \ntext\n"
    first_run = json.loads(Path("L.jsonl").read_text().splitlines()[0])["run"]["id"]
    assert f"x.txt: restored only as far as run {first_run} left it" in res.stderr
    assert "--provenance-text=hash" in res.stderr
    assert "Restored 1 document (1 only partly: see above); 0 failed." in res.stdout


def test_two_inputs_with_one_relative_path_are_both_restored(run: CliRunner) -> None:
    """x.txt from two input folders was restored to DIR/x.txt twice: the second
    overwrote the first, and restore said it had restored both."""
    for folder, text in (("one", b"First  \n\n\n\n"), ("two", b"Second  \n\n\n\n")):
        Path(folder).mkdir()
        Path(folder, "x.txt").write_bytes(text)
    assert run.invoke(cli, ["fix", "--isolated", "--out", "o", "one", "two"]).exit_code == 1
    res = run.invoke(cli, ["restore", "--ledger", "o/provenance.jsonl", "--out", "back"])
    assert res.exit_code == 0 and "Restored 2 documents; 0 failed." in res.stdout
    assert sorted(p.name for p in Path("back").iterdir()) == sorted(
        p.name for p in Path("o").glob("x*.txt"))  # the names fix --out gave the copies
    assert sorted(p.read_bytes() for p in Path("back").iterdir()) == [b"First  \n\n\n\n",
                                                                     b"Second  \n\n\n\n"]
