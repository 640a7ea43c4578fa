"""ruff's terminal conventions in ``provlint check`` and ``provlint fix``, with ruff's
meaning and exit status."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from provlint.cli import cli

from .test_cli import QUOTED_BLOCK, _in_tmp  # noqa: F401 (a fixture)

TEXT = "tail  \nend \n\n\n"  # PL001 twice and PL003: safe fixes
FIXED = "tail\nend\n"


@pytest.fixture(autouse=True)
def _a_txt(tmp_path: Path) -> None:  # in test_cli's folder and configuration (_in_tmp)
    (tmp_path / "a.txt").write_text(TEXT)


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args], input=input, catch_exceptions=False)


@pytest.mark.parametrize("args", [["--select", ""], ["--select", "PL001,"],
                                  ["--ignore", "PL001,,PL003"], ["--extend-select", ""]])
@pytest.mark.parametrize("command", ["check", "fix"])
def test_an_empty_rule_selector_is_a_usage_error_as_in_ruff(command: str,
                                                           args: list[str]) -> None:
    # `--select ''` used to run the configured rules, as if the option were not given
    res = run(command, *args, "a.txt")
    assert res.exit_code == 2
    assert f"empty rule selector in {args[0]}" in res.stderr
    assert Path("a.txt").read_text() == TEXT
