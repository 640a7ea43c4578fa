"""``provlint fix -`` as an editor filter: stdout is always the text (cleaned, or
as it came when it cannot be cleaned), the findings left go to stderr."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from provlint.cli import cli
from provlint.ledger import read_ledger, runs_path
from provlint.provenance import restore_bytes


def fix(data: bytes, *args: str) -> Result:
    return CliRunner().invoke(cli, ["fix", "--isolated", *args, "-"], input=data,
                              catch_exceptions=False)


def test_a_binary_text_goes_back_out_unchanged_and_says_why_on_stderr() -> None:
    res = fix(b"x\0y  \n")
    assert res.stdout_bytes == b"x\0y  \n" and res.exit_code == 1
    assert "-:1:1: PL902 binary file" in res.stderr


def test_findings_left_after_fixing_are_named_on_stderr_not_stdout() -> None:
    prose = ("The minister said on Tuesday that the new rules would take effect next "
             "spring, after a long consultation that ended without any agreement at all.")
    block = f"{prose}\nReporting by A. Writer\n"
    res = fix(f"{block}\nMiddle.  \n\n{block}".encode(), "--stdin-filename", "s.txt",
              "--select", "PL001,PL302")
    assert res.stdout_bytes == f"{block}\nMiddle.\n\n{block}".encode()
    assert "s.txt:6:1: PL302" in res.stderr and "PL302" not in res.stdout


def test_fix_stdin_with_a_ledger_records_what_it_removed(tmp_path: Path) -> None:
    """The text was cleaned to stdout but no record was written: the removed spans were
    lost, and the run manifest did not even plan the document."""
    data = "Caf\u00e9  \n\n\n\nend\u2028line  ".encode()
    ledger = tmp_path / "provenance.jsonl"
    res = fix(data, "--stdin-filename", "s.txt", "--ledger", str(ledger))
    assert res.exit_code == 1 and res.stdout_bytes != data
    (rec,) = read_ledger(ledger)
    assert rec["doc"]["id"] == "s.txt" and rec["output"]["path"] is None and rec["edits"]
    assert restore_bytes(res.stdout_bytes, rec) == data
    events = [json.loads(ln)["event"] for ln in runs_path(ledger).read_text().splitlines()]
    assert events == ["start", "plan", "end"]
