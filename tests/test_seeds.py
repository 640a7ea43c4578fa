"""Golden test: the seeds come out exactly as DESIGN.md says.

Expected files live in seeds/expected/ (not read by the main job). To refresh them after an
intended change: `provlint fix --out /tmp/o seeds/`, copy /tmp/o/<name>.txt to
seeds/expected/<name>.txt.expected, and review `git diff seeds/expected` by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from provlint.cli import cli
from provlint.provenance import read_ledger, restore_bytes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NAMES = sorted(p.stem for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds-out")
    args = ["fix", "--isolated", "--exclude", "README.md", "--out", str(out), str(SEEDS)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output  # documents changed
    return out


def test_there_are_two_seeds() -> None:
    assert NAMES == ["000_d7b0529b909608eb", "001_37c17d20fe168d34"]


@pytest.mark.parametrize("name", NAMES)
def test_cleaned_text_is_golden(fixed: Path, name: str) -> None:
    expected = (SEEDS / "expected" / f"{name}.txt.expected").read_bytes()
    assert (fixed / f"{name}.txt").read_bytes() == expected


@pytest.mark.parametrize("name", NAMES)
def test_findings_metadata_and_edits_are_golden(fixed: Path, name: str) -> None:
    golden = json.loads((SEEDS / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    res = CliRunner().invoke(cli, ["check", "--isolated", "--output-format", "json",
                                   str(SEEDS / f"{name}.txt")])
    assert res.exit_code == 1
    rows = [{k: r[k] for k in golden["findings"][0]} for r in json.loads(res.output)]
    assert rows == golden["findings"]
    rec = next(r for r in read_ledger(fixed / "provenance.jsonl")
               if r["doc"]["id"].endswith(f"{name}.txt"))
    assert rec["metadata"] == golden["metadata"]
    assert [{"rule": e["rule"], "removed": e["removed"]} for e in rec["edits"]] == golden["edits"]


def test_seed_001_as_design_says(fixed: Path) -> None:
    raw = (SEEDS / "001_37c17d20fe168d34.txt").read_text(encoding="utf-8")
    out = (fixed / "001_37c17d20fe168d34.txt").read_text(encoding="utf-8")
    head = "China shuns co-operation with UN human rights office over critical report"
    for player in ("Live now", "Start time", "Playing for", "End time", "Listen live",
                   "Up next", "Listen live on"):
        assert player + "\n" not in out.splitlines(keepends=True)
    assert out.startswith(head + "\n\n")  # player lines and the blank after them are gone
    assert out.count(head) == 1
    assert "Publish Date" not in out and "1:23pm" not in out
    for caption in ("Chen Xu, China's ambassador in Geneva, makes",
                    "Zumret Dawut, a Uighur from China's western"):
        assert out.count(caption) == 1
    assert "Take your Radio" not in out
    assert out.endswith("successor.\n") and not out.endswith("\n\n")
    # every body paragraph is byte-identical to the input
    body = [p for p in raw.split("\n\n") if len(p) > 120 and "\n" not in p]
    assert body and all(p in out for p in body)
    rec = next(r for r in read_ledger(fixed / "provenance.jsonl")
               if r["doc"]["id"].endswith("001_37c17d20fe168d34.txt"))
    assert rec["metadata"]["published"] == "2022-09-10T13:23:00"


def test_seed_000_only_loses_trailing_blank_lines(fixed: Path) -> None:
    raw = (SEEDS / "000_d7b0529b909608eb.txt").read_bytes()
    out = (fixed / "000_d7b0529b909608eb.txt").read_bytes()
    assert raw.rstrip(b"\n") + b"\n" == out
    assert len(raw) - len(out) == 22


@pytest.mark.parametrize("name", NAMES)
def test_seed_restores_byte_for_byte(fixed: Path, name: str) -> None:
    rec = next(r for r in read_ledger(fixed / "provenance.jsonl")
               if r["doc"]["id"].endswith(f"{name}.txt"))
    raw = restore_bytes((fixed / f"{name}.txt").read_bytes(), rec)
    assert raw == (SEEDS / f"{name}.txt").read_bytes()
