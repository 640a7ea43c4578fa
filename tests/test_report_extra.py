"""Without the report extra, `provlint report` says how to install it (exit 2), not a crash."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from click.testing import CliRunner

from provlint.cli import cli


def test_report_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Any) -> None:
    real = importlib.util.find_spec

    def fake(name: str, *args: Any) -> Any:
        return None if name in ("pandas", "pandera") else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", fake)
    (tmp_path / "a.txt").write_text("x  \n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["report", "--isolated", "--out", str(tmp_path / "out"),
                                   str(tmp_path / "a.txt")])
    assert res.exit_code == 2
    assert "pip install 'provlint[report]'" in res.output
    assert not (tmp_path / "out" / "clean").exists()
