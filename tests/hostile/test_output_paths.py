"""Output paths never leave the output folder, and two inputs never share one.

``safepath`` maps any id or file name to a relative, portable name;
``fix --out`` (and the corpus readers) use it and record the mapping in
the ledger whenever a name had to change.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint.errors import InputError
from provlint.safepath import MAX_COMPONENT_BYTES, MAX_PATH_BYTES, NameMap, inside, safe_relpath

HOSTILE = {
    "../../x": "x",
    "/etc/passwd": "etc/passwd",
    "C:\\Windows\\system32\\x.txt": "Windows/system32/x.txt",
    "c:relative.txt": "relative.txt",
    "\\\\server\\share\\doc": "server/share/doc",
    "a\x00b.txt": "a_b.txt",
    "line\nbreak\r.txt": "line_break_.txt",
    "CON.txt": "_CON.txt",
    "lpt1": "_lpt1",
    "a/./b/../c": "a/b/c",
    "..": "_",
    "": "_",
    "trailing. ": "trailing",
    'q"u<o>t|e?*.txt': "q_u_o_t_e__.txt",
    "caf\udce9.txt": "caf_.txt",  # an undecodable byte kept by surrogateescape
}


@pytest.mark.parametrize(("raw", "safe"), sorted(HOSTILE.items()))
def test_hostile_names_map_to_safe_relative_names(raw: str, safe: str) -> None:
    assert safe_relpath(raw) == safe


def test_long_names_are_shortened_with_a_hash_keeping_the_suffix() -> None:
    a, b = safe_relpath("a" * 300 + ".txt"), safe_relpath("a" * 301 + ".txt")
    assert a != b and a.endswith(".txt") and b.endswith(".txt")
    assert len(a.encode()) <= MAX_COMPONENT_BYTES
    deep = safe_relpath("d/" * 5000 + "x.txt")
    assert len(deep.encode()) <= MAX_PATH_BYTES


def _portable_key(rel: str) -> str:
    return unicodedata.normalize("NFC", rel).casefold()


@given(st.lists(st.text(max_size=60) | st.sampled_from(sorted(HOSTILE)), max_size=25))
def test_any_ids_get_distinct_safe_names_inside_the_folder(raws: list[str]) -> None:
    names = NameMap(reserved=["provenance.jsonl"])
    got = {raw: names.claim(raw) for raw in raws}
    assert {raw: names.claim(raw) for raw in raws} == got  # stable
    files = {_portable_key(n) for n in got.values()}
    assert len(files) == len(got)  # distinct even on case-insensitive file systems
    assert "provenance.jsonl" not in files
    base = Path("/srv/out")
    for name in got.values():
        parts = name.split("/")
        assert not name.startswith("/") and "\\" not in name and "\x00" not in name
        assert all(p not in ("", ".", "..") and ":" not in p for p in parts)
        assert os.path.normpath(base / name).startswith(str(base) + "/")
        # no output file is also used as a folder of another output
        assert all(_portable_key("/".join(parts[:i])) not in files for i in range(1, len(parts)))


def test_fix_out_keeps_colliding_names_apart_and_records_the_mapping(h: SimpleNamespace) -> None:
    h.write("t1/ab:c.txt", h.DIRTY)        # ":" is unsafe on Windows -> ab_c.txt
    h.write("t1/ab_c.txt", "second\n")    # ... which is this file's own name
    h.write("t1/AB_C.TXT", "third\n")     # the same name on macOS and Windows
    h.write("t1/x.txt", "from t1\n")
    h.write("t2/x.txt", "from t2\n")      # the same relative path in a second folder
    h.write("t1/provenance.jsonl", "not the ledger\n")  # a corpus file by name: PL908
    res = h.run("fix", "--isolated", "--include", "*.txt", "--include", "*.TXT",
                "--include", "*.jsonl", "--out", "out", "t1", "t2")
    assert res.exit_code == 1, res.output
    assert "t1/provenance.jsonl:1:1: PL908" in res.output  # not read, so never a rival
    ledger = h.ledger_lines(Path("out/provenance.jsonl"))  # still the ledger, whole
    assert len(ledger) == 5
    texts = {str(r["doc"]["id"]): Path("out", r["output"]["path"]).read_text()  # type: ignore[index]
             for r in ledger}
    assert texts == {"t1/ab:c.txt": h.CLEAN, "t1/ab_c.txt": "second\n", "t1/AB_C.TXT": "third\n",
                     "t1/x.txt": "from t1\n", "t2/x.txt": "from t2\n"}
    names = [str(r["output"]["path"]).casefold() for r in ledger]  # type: ignore[index]
    assert len(set(names)) == 5
    mapped = {str(r["output"]["mapped_from"]): str(r["output"]["path"])  # type: ignore[index]
              for r in ledger if "mapped_from" in r["output"]}  # type: ignore[operator]
    assert "ab:c.txt" in mapped
    assert sum(k.startswith("x") for k in mapped) == 1 and "x.txt" in mapped


def test_a_symlinked_folder_planted_in_the_output_is_refused(h: SimpleNamespace) -> None:
    h.write("tree/sub/a.txt", h.DIRTY)
    Path("out").mkdir()
    Path("victim").mkdir()
    os.symlink(os.path.abspath("victim"), "out/sub")
    res = h.run("fix", "--isolated", "--out", "out", "tree")
    assert res.exit_code == 2
    assert "outside" in res.output and not any(Path("victim").iterdir())


def test_inside_refuses_escapes(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    assert inside(tmp_path / "out", "a/b.txt") == tmp_path / "out" / "a" / "b.txt"
    with pytest.raises(InputError):
        inside(tmp_path / "out", "../x")


def test_report_names_jsonl_ids_and_shards_safely(h: SimpleNamespace) -> None:
    ids = ["../../escape", "/etc/passwd", "C:\\x", "a\x00b", "con"]
    for folder in ("t1", "t2"):  # the same shard name under two input folders
        # (ids stay unique across the run: the documents table requires it)
        h.write(f"{folder}/docs.jsonl", "".join(
            json.dumps({"id": i + ("" if folder == "t1" else "/2"),
                        "text": f"{folder} {h.DIRTY}"}) + "\n" for i in ids))
    h.write("t1/a:b.txt", h.DIRTY)
    res = h.run("report", "--isolated", "--no-html", "--jobs", "1", "--out", "rep", "t1", "t2")
    assert res.exit_code in (0, 1), res.output
    files = sorted(p.relative_to("rep").as_posix() for p in Path("rep").rglob("*") if p.is_file())
    assert not Path("escape").exists() and not Path("../escape").exists()
    shards = [f for f in files if f.startswith("clean/docs")]
    assert len(shards) == 2  # two folders' docs.jsonl kept apart
    texts = sorted(json.loads(line)["text"] for s in shards
                   for line in Path("rep", s).read_text().splitlines())
    assert texts == sorted([f"t1 {h.CLEAN}"] * 5 + [f"t2 {h.CLEAN}"] * 5)
    ledger = h.ledger_lines(Path("rep/provenance.jsonl"))
    assert {r["doc"]["id"] for r in ledger} >= set(ids)  # type: ignore[index]
    mapped = {r["output"].get("mapped_from") for r in ledger}  # type: ignore[union-attr]
    assert {"docs.jsonl", "a:b.txt"} <= mapped


def test_restore_refuses_ledger_paths_that_leave_its_folder(h: SimpleNamespace) -> None:
    h.write("tree/a.txt", h.DIRTY)
    assert h.run("fix", "--isolated", "--out", "out", "tree").exit_code == 1
    ledger = Path("out/provenance.jsonl")
    records = h.ledger_lines(ledger)
    for r in records:  # a tampered ledger: the restored name climbs out of --out
        r["doc"]["rel"] = "../../evil.txt"  # type: ignore[index]
    ledger.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")
    res = h.run("restore", "--ledger", str(ledger), "--out", "back/inner")
    assert res.exit_code == 1 and "outside" in res.output
    assert not Path("evil.txt").exists() and not Path("back/evil.txt").exists()
