"""The report run keeps finding rows in DataFrame batches, shares repeated
strings between rows, and writes tables in slices: none of it may change a
byte of what is written."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from provlint.engine import check
from provlint.io import Source, document_from_bytes
from provlint.model import Document
from provlint.provenance import RunInfo
from provlint.registry import load
from provlint.report import render_rows
from provlint.report.corpus import CHUNK_ROWS, Collector, _csv, _json_lines
from provlint.report.frames import Batches, FindingsFrame, findings_frame
from provlint.report.rows import Row, finding_rows, fix_details, found_in_input
from provlint.ruleset import resolve
from provlint.runner import Options, Outcome, process_read

from .conftest import NOISY, SEEDS

TEXTS = [NOISY, "Clean.\n",
         *(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))]


def _rows() -> list[list[Row]]:
    """Finding rows per document, as the report builds them."""
    rules = load()
    out = []
    for i, text in enumerate(TEXTS * 3):
        doc = Document(f"d{i}.txt", text, f"d{i}.txt")
        found = check(doc)
        out.append(finding_rows(found, rules, run_id="r", fixes=fix_details(found, text)))
    return out


def test_batches_build_the_same_frame_as_all_rows_at_once() -> None:
    per_doc = _rows()
    everything = [r for rows in per_doc for r in rows]
    assert len(everything) > 20
    batches = Batches(FindingsFrame, "findings", size=7)
    for rows in per_doc:
        batches.extend(rows)
    assert len(batches) == len(everything) and len(batches.parts) > 1
    got = batches.frame()
    pd.testing.assert_frame_equal(got, findings_frame(everything))
    assert not batches.parts and not batches.rows  # handed over
    empty = Batches(FindingsFrame, "findings").frame()
    pd.testing.assert_frame_equal(empty, findings_frame([]))


def test_rows_share_one_object_per_repeated_value() -> None:
    text = NOISY + "Ships  \nShips  \n"
    rows = finding_rows(check(Document("a.txt", text, "a.txt")), load())
    assert len(rows) > 2
    assert all(r["path"] is rows[0]["path"] and r["doc_id"] is rows[0]["doc_id"] for r in rows)
    same = [r for r in rows if r["message"] == rows[0]["message"]]
    assert all(r["message"] is rows[0]["message"] for r in same)


@pytest.mark.parametrize("n", [0, 1, CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1])
def test_tables_written_in_slices_are_the_whole_table(n: int) -> None:
    df = pd.DataFrame({"a": list(range(n)), "b": [f'x,"{i}"\né😀' for i in range(n)],
                       "c": [i / 3 for i in range(n)]})
    whole_csv = df.to_csv(index=False, lineterminator="\n").encode("utf-8", "backslashreplace")
    assert b"".join(_csv(df)) == whole_csv
    text = df.to_json(orient="records", lines=True, force_ascii=True) if n else ""
    whole_json = (text if text.endswith("\n") or not n else text + "\n").encode("ascii")
    assert b"".join(_json_lines(df)) == whole_json


def test_collector_rows_for_the_machine_formats_equal_the_direct_rows(tmp_path: Path) -> None:
    rules = load()
    settings = resolve("default")
    run = RunInfo(mode="test", argv=["test"])
    collector = Collector(rules, "r", fixes=True)
    collector.findings.size = 5
    direct: list[Row] = []
    for i, text in enumerate(TEXTS):
        name = f"d{i}.txt"
        src = Source(tmp_path / name, name, name)
        o: Outcome = process_read(src, document_from_bytes(name, text.encode(), name), settings,
                                  Options(fix=True), run)
        collector.add(o)
        assert o.document is not None
        found = found_in_input(o)
        direct += finding_rows([f for f, _ in found], rules, run_id="r",
                               fixed=[x for _, x in found],
                               fixes=fix_details([f for f, _ in found], o.document.text))
    rows = collector.rows(collector.findings.frame())
    assert rows == direct
    for fmt in ("sarif", "junit", "github", "gitlab"):
        a, b = io.StringIO(), io.StringIO()
        render_rows(fmt, rows, rules, a)
        render_rows(fmt, direct, rules, b)
        assert a.getvalue() == b.getvalue(), fmt


@pytest.mark.parametrize("count", [0, 1, 5])
def test_sarif_written_result_by_result_is_the_indented_log(count: int) -> None:
    import json

    from provlint.report.sarif import render_sarif, sarif_log

    rows = [r for rows in _rows() for r in rows][:count]
    rules = load()
    out = io.StringIO()
    render_sarif(rows, rules, out)
    assert out.getvalue() == json.dumps(sarif_log(rows, rules), indent=2, ensure_ascii=True) + "\n"
