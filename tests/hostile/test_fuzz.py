"""Fuzz: random bytes, random Unicode and random JSONL records through check,
fix, report rendering and restore. Nothing may crash (only findings), and
restore must give back the input byte for byte.

In CI (``CI=true``) each in-process property runs 2,000 examples; locally
200. They call the library (``runner.process_read``, the corpus reader, the
row renderers, ``provenance.restore_bytes``); a few CLI round trips follow.
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provlint.corpus import RecordSpec, shard_tasks
from provlint.io import Source, document_from_bytes
from provlint.output import FORMATTERS
from provlint.parallel import Context, work
from provlint.provenance import RunInfo, restore_bytes
from provlint.registry import load
from provlint.report import ROW_FORMATTERS
from provlint.report.rows import finding_rows
from provlint.ruleset import Settings, resolve
from provlint.runner import Options, Outcome, process_read

EXAMPLES = 2000 if os.environ.get("CI") else 200
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# Fragments that trigger rules (residue, repeats, datelines) mixed with noise
RESIDUE = ["Live now", "Playing for 1:23", "Download our app", "Share", "Advertisement",
           "Headline", "By A. Writer", "GENEVA (Reuters) -", "  ", "\t", "\n", "\r\n", "\r",
           "\n\n\n", "\ufeff", "\u00a0", "\u200b", "<script>", "|", "`", "\x00", "\x1b[2J",
           "\udcff", "é", "€", "😀", "\u202e", "Caf\xe9"]
texts = st.lists(st.sampled_from(RESIDUE) | st.text(max_size=20), max_size=30).map("".join)
RUN = RunInfo(mode="fuzz", argv=["fuzz"])


@lru_cache(maxsize=1)
def _settings() -> Settings:
    return resolve("default")


def _roundtrip(data: bytes) -> Outcome:
    src = Source(Path("fuzz.txt"), "fuzz.txt", "fuzz.txt")
    read = document_from_bytes("fuzz.txt", data, "fuzz.txt")
    checked = process_read(src, read, _settings(), Options(fix=False), RUN)
    fixed = process_read(src, read, _settings(), Options(fix=True, unsafe=True), RUN)
    assert all(f.code != "PL904" for f in checked.findings + fixed.findings), \
        [f.message for f in checked.findings + fixed.findings if f.code == "PL904"]
    if read.document is None:
        assert fixed.output is None and {f.code for f in fixed.findings} <= {"PL902", "PL905"}
        return fixed
    assert fixed.output is not None and fixed.record is not None
    json.dumps(fixed.record, ensure_ascii=True)  # the ledger line can be written
    assert restore_bytes(fixed.output, fixed.record) == data
    # fixing is idempotent whatever the encoding: an edit that would make the output
    # decode differently (b"\xd6\x01\x91" cp1252 -> b"\xd6\x91" UTF-8) is not applied
    again = process_read(src, document_from_bytes("fuzz.txt", fixed.output, "fuzz.txt"),
                         _settings(), Options(fix=True, unsafe=True), RUN)
    assert again.output == fixed.output
    return fixed


def _render(outcomes: list[Outcome]) -> None:
    """Every output format renders the findings and stays well-formed."""
    findings = [f for o in outcomes for f in o.findings]
    rules = load()
    for name, render in FORMATTERS.items():
        buf = io.StringIO()
        render(findings, rules, buf)
        if name == "json":
            json.loads(buf.getvalue())
    rows = finding_rows(findings, rules)
    for name, row_render in ROW_FORMATTERS.items():
        buf = io.StringIO()
        row_render(rows, rules, buf)
        if name in ("sarif", "gitlab"):
            json.loads(buf.getvalue())
        elif name == "junit":
            ET.fromstring(buf.getvalue())


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _render([_roundtrip(data)])


@FUZZ
@given(texts)
def test_random_unicode(text: str) -> None:
    _render([_roundtrip(text.encode("utf-8", "surrogateescape"))])


# flat values are enough to reach every branch of the reader and cheap to draw
json_values = (st.none() | st.booleans() | st.integers() | st.sampled_from(RESIDUE)
               | st.text(max_size=12) | st.lists(st.integers(), max_size=2))
records = st.fixed_dictionaries({}, optional={
    "id": json_values, "text": json_values | st.sampled_from(RESIDUE).map(lambda r: r * 3),
    "url": json_values, "x": json_values})
lines = st.lists(records.map(json.dumps) | st.sampled_from(["", "not json", "[1, 2]", "{"]),
                 max_size=5)


@FUZZ
@given(shard_lines=lines)
def test_random_jsonl_records(tmp_path: Path, shard_lines: list[str]) -> None:
    path = tmp_path / "shard.jsonl"  # one file, rewritten for every example
    path.write_text("\n".join(shard_lines) + "\n", encoding="utf-8")
    shard = Source(path, "shard.jsonl", "shard.jsonl")
    ctx = Context(_settings(), Options(fix=True), RUN, RecordSpec())
    outcomes = []
    for task in shard_tasks(shard, "jsonl", ctx.spec):
        o, _ = work(task, ctx)
        outcomes.append(o)
        assert all(f.code != "PL904" for f in o.findings)
        if o.output is not None and o.record is not None and task.data is not None:
            assert restore_bytes(o.output, o.record) == task.data
    assert len(outcomes) == sum(1 for ln in shard_lines if ln.strip())
    _render(outcomes)


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(max_size=200) | texts.map(lambda t: t.encode("utf-8", "surrogateescape")),
                min_size=1, max_size=6))
def test_cli_round_trip(h: SimpleNamespace, tmp_path_factory: Any, docs: list[bytes]) -> None:
    base = tmp_path_factory.mktemp("cli")
    for i, data in enumerate(docs):
        (base / "in").mkdir(exist_ok=True)
        (base / "in" / f"d{i}.txt").write_bytes(data)
    out, back = base / "out", base / "back"
    for args in (["check", "--isolated", str(base / "in")],
                 ["fix", "--isolated", "--unsafe-fixes", "--out", str(out), str(base / "in")],
                 ["restore", "--ledger", str(out / "provenance.jsonl"), "--out", str(back)]):
        res = h.run(*args)
        assert res.exit_code in (0, 1), (args, res.output)
    for i, data in enumerate(docs):
        restored = back / f"d{i}.txt"
        assert restored.read_bytes() == data if restored.exists() else b"\x00" in data
