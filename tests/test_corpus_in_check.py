"""``check`` and ``fix`` given a corpus file (JSONL, gzip/zstd JSONL, Parquet): PL908,
the file neither read nor written, the run goes on (``report`` reads such files)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from click.testing import CliRunner, Result

from provlint.cli import cli

DIRTY = "Headline  \nLive now\nBody of the article.   \n\n\n\n\nEnd.\n"
ROWS = [{"id": "a", "text": DIRTY}, {"id": "a", "text": DIRTY}]


def _jsonl() -> bytes:
    # two identical records: as one text, a fix would delete the second as a repeated line
    return b"".join(json.dumps(r).encode() + b"\n\n\n\n" for r in ROWS)


def _parquet(path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(ROWS), path)


WRITERS = {
    "c.jsonl": lambda p: p.write_bytes(_jsonl()),
    "c.jsonl.gz": lambda p: p.write_bytes(gzip.compress(_jsonl())),
    "C.JSONL.ZST": lambda p: p.write_bytes(zstandard.ZstdCompressor().compress(_jsonl())),
    "c.parquet": _parquet,
}


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["--isolated" if a == "@" else a for a in args],
                              input=input, catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    monkeypatch.chdir(tmp_path)
    for name, write in WRITERS.items():
        write(tmp_path / name)
    (tmp_path / "story.txt").write_text(DIRTY, encoding="utf-8")
    return {name: (tmp_path / name).read_bytes() for name in (*WRITERS, "story.txt")}


def _codes(res: Result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in json.loads(res.stdout):
        out.setdefault(f["path"], []).append(f["code"])
    return out


def test_check_reports_each_corpus_file_and_checks_the_rest(corpus: dict[str, bytes]) -> None:
    res = run("check", "@", "--output-format", "json", *corpus)
    assert res.exit_code == 1
    codes = _codes(res)
    assert {name: codes[name] for name in WRITERS} == {name: ["PL908"] for name in WRITERS}
    assert "PL001" in codes["story.txt"] and "PL908" not in codes["story.txt"]
    found = json.loads(res.stdout)
    assert {f["severity"] for f in found if f["code"] == "PL908"} == {"error"}
    assert all("provlint report" in f["message"] for f in found if f["code"] == "PL908")


def test_fix_in_place_leaves_corpus_files_untouched(corpus: dict[str, bytes]) -> None:
    res = run("fix", "@", *corpus)
    assert res.exit_code == 1
    assert "PL908" in res.stdout
    for name in WRITERS:
        assert Path(name).read_bytes() == corpus[name], name
    assert Path("story.txt").read_bytes() != corpus["story.txt"]  # the run went on


def test_fix_out_writes_nothing_for_corpus_files(corpus: dict[str, bytes]) -> None:
    res = run("fix", "@", "--out", "out", *corpus)
    assert res.exit_code == 1
    written = sorted(p.name for p in Path("out").iterdir())
    assert not set(written) & {n.lower() for n in WRITERS}
    assert "story.txt" in written
    for name in WRITERS:
        assert Path(name).read_bytes() == corpus[name]


def test_folder_discovery_with_a_corpus_glob(corpus: dict[str, bytes]) -> None:
    Path("d").mkdir()
    Path("d/x.jsonl").write_bytes(corpus["c.jsonl"])
    res = run("check", "@", "--include", "*.jsonl", "--output-format", "json", "d")
    assert _codes(res) == {"d/x.jsonl": ["PL908"]}


def test_stdin_checks_a_corpus_file_as_text(corpus: dict[str, bytes]) -> None:
    """The documented way to lint such a file as plain text anyway."""
    res = run("check", "@", "--output-format", "json", "-", input=corpus["c.jsonl"])
    assert "PL908" not in res.stdout
    assert "PL005" in {f["code"] for f in json.loads(res.stdout)}
