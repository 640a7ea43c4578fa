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


@pytest.mark.parametrize("paths", [["d/a.txt", "d/a.txt"], ["d", "d/a.txt"],
                                   ["d/a.txt", "./d/../d/a.txt"]])
def test_a_file_met_twice_is_checked_and_recorded_once(paths: list[str]) -> None:
    res = run("check", "--output-format", "json", *paths)
    assert [f["code"] for f in json.loads(res.stdout)] == ["PL001", "PL005"]
    assert run("fix", "--out", "o", *paths).exit_code == 1
    assert len(records("o/provenance.jsonl")) == 1
    assert sorted(p.name for p in Path("o").rglob("*.txt")) == ["a.txt"]
