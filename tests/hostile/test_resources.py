"""Bounded resources: oversized inputs are PL905 findings, read never.

provlint takes a file's size from fstat before reading and stops reading at
``max-document-bytes`` + 1 (default 64 MiB) even when the file grows or the
size lies, so a 100 MB line, a 1 GB file or an endless stdin cost nothing.
The subprocess tests run under an address-space limit (RLIMIT_AS) far below
what reading those files would take: a crash there would be MemoryError or
the OS killing the process, not exit status 1.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

import provlint.io
from provlint.errors import ConfigError
from provlint.io import DEFAULT_MAX_DOCUMENT_BYTES, parse_size, read_document, read_limited

MiB = 1 << 20
AS_LIMIT = 192 * MiB  # provlint needs ~60 MB; reading 100 MB needs > 200 MB (MemoryError)


def _cap_memory(limit: int = AS_LIMIT) -> Callable[[], None]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return cap


def test_a_100_mb_single_line_and_a_1_gb_file_are_findings(h: SimpleNamespace,
                                                            spawn: SimpleNamespace) -> None:
    with open("line.txt", "wb") as fh:  # one line, no newline, 100 MiB
        chunk = b"x" * MiB
        for _ in range(100):
            fh.write(chunk)
    with open("huge.txt", "wb") as fh:  # sparse: 1 GiB on paper, nothing on disk
        fh.truncate(1 << 30)
    h.write("small.txt", h.DIRTY)
    start = time.monotonic()
    res = spawn("fix", "--isolated", "line.txt", "huge.txt", "small.txt", preexec=_cap_memory())
    elapsed = time.monotonic() - start
    assert res.returncode == 1, res.stderr
    assert "line.txt:1:1: PL905 document has 104857600 bytes" in res.stdout
    assert "huge.txt:1:1: PL905 document has 1073741824 bytes" in res.stdout
    assert Path("small.txt").read_text() == h.CLEAN  # the run went on
    assert Path("line.txt").stat().st_size == 100 * MiB  # untouched
    assert elapsed < 10
    # the control: with the limit raised above the file, the same cap is too small
    res = spawn("check", "--isolated", "--max-document-bytes", "200MiB", "line.txt",
                preexec=_cap_memory())
    assert res.returncode == 2 and "MemoryError" in res.stderr
    Path("line.txt").unlink()


def test_the_limit_is_configurable_and_the_default_generous(h: SimpleNamespace) -> None:
    assert DEFAULT_MAX_DOCUMENT_BYTES == 16 * MiB  # noqa: SIM300
    h.write("a.txt", "word  \n" * 2000)  # 14,000 bytes
    res = h.run("check", "--isolated", "--max-document-bytes", "10k", "a.txt")
    assert res.exit_code == 1 and "PL905" in res.output and "max-document-bytes=10240" in res.output
    res = h.run("check", "--isolated", "--config", "max-document-bytes = '16KiB'", "a.txt")
    assert "PL905" not in res.output and "PL001" in res.output
    res = h.run("check", "--isolated", "--max-document-bytes", "lots", "a.txt")
    assert res.exit_code == 2 and "not a positive size" in res.output


def test_a_jsonl_gz_bomb_and_a_50_mb_text_field(h: SimpleNamespace,
                                                spawn: SimpleNamespace) -> None:
    # 300 KiB of gzip that expands 1000x into one 300 MiB line, between two
    # ordinary records; and a plain JSONL record whose text field is 50 MB.
    # The report path (pandas, pyarrow) needs ~700 MB of address space, so the
    # cap here is 768 MiB: holding the 300 MiB line and its decoded text would not fit.
    Path("tree").mkdir()
    with gzip.open("tree/bomb.jsonl.gz", "wb", compresslevel=9) as gz:
        gz.write(json.dumps({"id": "before", "text": h.DIRTY}).encode() + b"\n")
        gz.write(b'{"id": "bomb", "text": "')
        chunk = b"a" * MiB
        for _ in range(300):
            gz.write(chunk)
        gz.write(b'"}\n')
        gz.write(json.dumps({"id": "after", "text": h.DIRTY}).encode() + b"\n")
    ratio = 300 * MiB / Path("tree/bomb.jsonl.gz").stat().st_size
    assert ratio > 900
    with open("tree/field.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "big", "text": "b" * (50 * 10**6)}) + "\n")
        fh.write(json.dumps({"id": "small", "text": h.DIRTY}) + "\n")
    start = time.monotonic()
    res = spawn("report", "--isolated", "--no-html", "--jobs", "1", "--out", "rep", "tree",
                preexec=_cap_memory(768 * MiB), timeout=120)
    elapsed = time.monotonic() - start
    assert res.returncode in (0, 1), res.stderr[-2000:]
    found = [json.loads(ln) for ln in Path("rep/findings.jsonl").read_text().splitlines()]
    too_large = {(f.get("doc_id") or f.get("path"), f["code"]) for f in found
                 if f["code"] == "PL905"}
    assert len(too_large) == 2, found
    with gzip.open("rep/clean/bomb.jsonl.gz", "rt") as fh:
        lines = fh.read().split("\n")
    assert lines[1] == ""  # the bomb's line, never read, keeps its row as an empty line
    cleaned = [json.loads(ln) for ln in lines if ln]
    assert [r["text"] for r in cleaned if r["id"] in ("before", "after")] == [h.CLEAN] * 2
    small = [json.loads(ln) for ln in Path("rep/clean/field.jsonl").read_text().splitlines()
             if ln]
    assert [r["text"] for r in small if r["id"] == "small"] == [h.CLEAN]
    assert elapsed < 60
    # the control: with the limit raised, the same cap cannot hold the bomb's line
    Path("tree/field.jsonl").unlink()
    res = spawn("report", "--isolated", "--no-html", "--jobs", "1", "--out", "rep2", "tree",
                "--max-document-bytes", "400MiB", preexec=_cap_memory(768 * MiB), timeout=120)
    assert res.returncode == 2 and "MemoryError" in res.stderr


def test_endless_stdin_is_cut_at_the_limit(h: SimpleNamespace) -> None:
    res = h.run("check", "--isolated", "--max-document-bytes", "1MiB", "-",
                input=b"y" * (3 * MiB))
    assert res.exit_code == 1 and "-:1:1: PL905" in res.output


def test_a_file_that_grows_after_fstat_is_still_cut(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    p = tmp_path / "liar.txt"
    p.write_bytes(b"z" * 5000)
    real = os.fstat

    def small(fd: int) -> os.stat_result:  # the size looked fine when we asked
        st = real(fd)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))

    monkeypatch.setattr(provlint.io.os, "fstat", small)
    got = read_document(p, "liar.txt", max_bytes=1000)
    assert got.document is None and got.problems[0].code == "PL905"


def test_read_limited() -> None:
    assert read_limited(io.BytesIO(b"abc"), 3) == b"abc"
    assert read_limited(io.BytesIO(b"abcd"), 3) is None
    assert read_limited(io.BytesIO(b""), 0) == b""


def test_a_long_line_under_the_limit_is_processed(h: SimpleNamespace) -> None:
    h.write("long.txt", "w" * (256 * 1024) + "  \n\n\n")
    res = h.run("fix", "--isolated", "long.txt")
    assert res.exit_code == 1, res.output
    assert Path("long.txt").read_text() == "w" * (256 * 1024) + "\n"


@pytest.mark.parametrize(("text", "size"), [("1", 1), ("64MiB", 64 * MiB), ("2 GB", 2 << 30),
                                             ("512k", 512 * 1024), (4096, 4096)])
def test_parse_size(text: str | int, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("bad", ["0", "-5", "1.5M", "ten", "", "5X"])
def test_parse_size_rejects(bad: str) -> None:
    with pytest.raises(ConfigError):
        parse_size(bad)
