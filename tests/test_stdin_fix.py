"""``provlint fix -`` as an editor filter: stdout is always the text (cleaned, or
as it came when it cannot be cleaned), the findings left go to stderr."""

from __future__ import annotations

from click.testing import CliRunner, Result

from provlint.cli import cli


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
