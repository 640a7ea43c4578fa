"""The Dask engine on a real LocalCluster (2 worker processes) gives the same
cleaned outputs, ledger and report tables as ``--jobs 1``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import dask
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from distributed import LocalCluster

from provlint.cli import cli

from .test_corpus import assert_empty_outputs, damaged_parquet, empty_shards
from .test_parallel import files, make_corpus, report, stable, table


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster:
        yield str(cluster.scheduler_address)


def test_dask_matches_local(tmp_path: Path, scheduler: str) -> None:
    src = make_corpus(tmp_path, n=24)
    rows = [{**json.loads(line), "id": f"p{i}"}
            for i, line in enumerate((src / "records.jsonl").read_text().splitlines())]
    pq.write_table(pa.Table.from_pylist(rows), src / "records.parquet")
    report(src, tmp_path / "local", "--jobs", "1")
    report(src, tmp_path / "dask", "--engine", "dask", "--scheduler", scheduler)
    local, dask = (stable(tmp_path / d / "provenance.jsonl") for d in ("local", "dask"))
    assert len(local) == 72 and local == dask
    assert files(tmp_path / "local" / "clean") == files(tmp_path / "dask" / "clean")
    assert {"records.jsonl", "records.parquet", "d000.txt"} <= set(
        files(tmp_path / "dask" / "clean"))
    for name in ("findings.csv", "documents.csv"):
        assert table(tmp_path / "local" / name) == table(tmp_path / "dask" / name)
    assert (tmp_path / "dask" / "summary.md").read_text().count("| PL") >= 3


def test_damaged_parquet_shards_are_findings_on_both_engines(tmp_path: Path,
                                                              scheduler: str) -> None:
    # a Dask worker reads and writes the shard itself: the same PL901s, the same rows
    # kept from the torn shard, no output for the ones that do not open, the run goes on
    src = make_corpus(tmp_path, n=4)
    rows = [{"id": f"t{i}", "text": f"Row {i}  \n\n\n\nend\n", "n": i} for i in range(40)]
    damaged_parquet(src, rows)
    report(src, tmp_path / "local", "--jobs", "2", "--batch-size", "8")
    report(src, tmp_path / "dask", "--engine", "dask", "--scheduler", scheduler,
           "--batch-size", "8")
    local, dask = (stable(tmp_path / d / "provenance.jsonl") for d in ("local", "dask"))
    assert len(local) == 4 + 4 + 20 and local == dask
    assert files(tmp_path / "local" / "clean") == files(tmp_path / "dask" / "clean")
    assert not {"cut.parquet", "text.parquet"} & set(files(tmp_path / "dask" / "clean"))
    kept = pq.read_table(tmp_path / "dask" / "clean" / "torn.parquet").to_pylist()
    assert [r["text"] for r in kept] == [f"Row {i}\n\nend\n" for i in range(20)]
    for name in ("findings.csv", "documents.csv"):
        assert table(tmp_path / "local" / name) == table(tmp_path / "dask" / name)
    assert sorted(r["path"] for r in table(tmp_path / "dask" / "findings.csv")
                  if r["code"] == "PL901") == [
        f"{src}/{n}.parquet#{r}" for n, r in (("cut", 1), ("text", 1), ("torn", 21))]


@pytest.mark.parametrize("address", ["no-port-here", "tcp://127.0.0.1:1"])
def test_a_scheduler_that_cannot_be_reached_is_a_usage_error(tmp_path: Path,
                                                            address: str) -> None:
    # a typo or a scheduler that is down is the user's to fix: exit 2 naming the address,
    # not an "internal error ... rerun with --debug"
    src = make_corpus(tmp_path, n=2)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        res = CliRunner().invoke(cli, ["report", str(src), "--out", str(tmp_path / "o"),
                                       "--isolated", "--engine", "dask", "--scheduler", address])
    assert res.exit_code == 2, res.output
    assert f"--scheduler {address}: cannot connect" in res.output
    assert "internal error" not in res.output


def test_dask_writes_shards_without_records(tmp_path: Path, scheduler: str) -> None:
    empty_shards(tmp_path / "src")
    report(tmp_path / "src", tmp_path / "out", "--engine", "dask", "--scheduler", scheduler)
    assert_empty_outputs(tmp_path / "out" / "clean")
