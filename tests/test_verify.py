"""``verify``: intact, restorable, reproducible; names every tampered or missing document."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from provlint.cli import cli
from provlint.engine import clean
from provlint.io import Source, document_from_bytes, encode
from provlint.ledger import Ledger, RunLog, runs_path
from provlint.provenance import RunInfo, build_record
from provlint.ruleset import resolve
from provlint.runner import Options, process
from provlint.verify import verify_ledger

from .test_provenance import BYTES, TEXTS

DEFAULT = resolve("default")


def clean_into(out: Path, docs: dict[str, bytes], *, plan_extra: tuple[str, ...] = (),
               end: bool = True, text_mode: str = "full") -> Path:
    """Clean ``docs`` (written under out/in) into out/clean with a ledger, like `report`."""
    ledger = out / "provenance.jsonl"
    run = RunInfo(mode="test", argv=[])
    log = RunLog(ledger, run, DEFAULT, text_mode=text_mode)
    log.plan([*(str(out / "in" / n) for n in docs), *plan_extra])
    for name, data in docs.items():
        path = out / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        o = process(Source(path, str(path), name), DEFAULT, Options(fix=True, text_mode=text_mode),
                    run)
        if o.record is None or o.output is None:
            log.skip(str(path), "no output")
            continue
        target = out / "clean" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(o.output)
        log.record(o.record, target)
    if end:
        log.close()
    else:
        log.records.close()
        log.runs.close()
    return ledger


def kinds(ledger: Path, replay: bool = False) -> list[tuple[str, str]]:
    return [(Path(p.doc_id).name, p.kind) for p in verify_ledger(ledger, replay=replay).problems]


@given(st.one_of(BYTES, TEXTS.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_verify_passes_after_fix_and_fails_on_one_flipped_byte(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ledger = clean_into(Path(tmp), {"a.txt": data, "b.txt": b"Other  doc \n\n\n\n"})
        v = verify_ledger(ledger, replay=True)
        assert v.ok, [p.describe() for p in v.problems]
        if b"\x00" in data:
            return
        assert v.replayed == v.restored == 2
        cleaned = Path(tmp, "clean", "a.txt")
        body = bytearray(cleaned.read_bytes() or b"\n")
        body[len(body) // 2] ^= 0x01
        cleaned.write_bytes(bytes(body))
        assert kinds(ledger) == [("a.txt", "tampered")]


def test_missing_cleaned_file_and_damaged_line(tmp_path: Path) -> None:
    ledger = clean_into(tmp_path, {"a.txt": b"a  \n", "b.txt": b"b\n"})
    (tmp_path / "clean" / "b.txt").unlink()
    with open(ledger, "ab") as fh:
        fh.write(b"{not json\n")
    assert sorted(kinds(ledger)) == [("b.txt", "missing"), ("provenance.jsonl:3", "damaged")]


def test_a_killed_run_names_its_unfinished_documents(tmp_path: Path) -> None:
    ledger = clean_into(tmp_path, {"a.txt": b"a  \n"}, plan_extra=("never-1.txt", "never-2.txt"),
                        end=False)
    v = verify_ledger(ledger)
    assert [(p.doc_id, p.kind) for p in v.problems] == [("never-1.txt", "missing"),
                                                        ("never-2.txt", "missing")]
    assert any("no end line" in n for n in v.notes)
    # a later run that records them settles it
    clean_into(tmp_path, {"a.txt": b"a  \n"})
    run = RunInfo(mode="test", argv=[])
    with RunLog(ledger, run, DEFAULT) as log:
        log.plan(["never-1.txt", "never-2.txt"])
        log.skip("never-1.txt", "PL902 binary-file")
        log.skip("never-2.txt", "PL902 binary-file")
    assert verify_ledger(ledger).ok


def test_torn_last_line_is_ignored_and_closed_off_by_the_next_writer(tmp_path: Path) -> None:
    ledger = clean_into(tmp_path, {"a.txt": b"a  \n"})
    with open(ledger, "ab") as fh:
        fh.write(b'{"schema": "provlint.provenance/v1", "doc": {"id": "x"')
    v = verify_ledger(ledger)
    assert v.ok and any("torn last line" in n for n in v.notes)
    with Ledger(ledger) as led:
        led.write({"hello": 1})
    lines = ledger.read_bytes().split(b"\n")
    assert lines[-1] == b"" and json.loads(lines[-2]) == {"hello": 1}
    assert [p.kind for p in verify_ledger(ledger).problems] == ["damaged"]


def test_replay_detects_a_record_the_configuration_does_not_reproduce(tmp_path: Path) -> None:
    ledger = clean_into(tmp_path, {"a.txt": b"a  \n\n\n\nb\n"})
    data = b"x  \n\n\n\ny\n"
    doc = document_from_bytes("odd.txt", data).document
    assert doc is not None
    out = clean(doc, resolve(select=["PL001"]))  # not what the recorded rule set does
    output = encode(out.text, doc.decoding)
    (tmp_path / "clean" / "odd.txt").write_bytes(output)
    rec = build_record(out, DEFAULT, RunInfo(mode="test", argv=[]), output,
                       output_path="clean/odd.txt")
    with Ledger(ledger) as led:
        led.write(rec)
    assert kinds(ledger) == []  # intact and restorable ...
    v = verify_ledger(ledger, replay=True)  # ... but not what the rule set gives
    assert [(p.doc_id, p.kind) for p in v.problems] == [("odd.txt", "not-reproducible")]
    assert any("no run manifest" in n and "same digest" in n for n in v.notes)


def test_replay_uses_the_recorded_configuration(tmp_path: Path) -> None:
    ledger = clean_into(tmp_path, {"a.txt": b"a  \n\n\n\nb\n"})
    start = json.loads(runs_path(ledger).read_text().splitlines()[0])
    assert start["event"] == "start"
    assert start["config"]["resolved"]["rules"]["PL005"]["options"] == {"max_blank_lines": 1}
    assert start["tool"]["ruleset"]["digest"] == DEFAULT.digest
    assert verify_ledger(ledger, replay=True).replayed == 1


def test_hash_mode_ledger_verifies_files_and_says_restore_needs_full(tmp_path: Path) -> None:
    ledger = clean_into(tmp_path, {"a.txt": b"a  \n"}, text_mode="hash")
    v = verify_ledger(ledger, replay=True)
    assert v.ok and v.restored == 0 and v.replayed == 1
    assert any("--provenance-text=full" in n for n in v.notes)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, data in {"c/a.txt": b"One  \r\n\r\n\r\n\r\nTwo\r\n",
                       "c/b.txt": "\ufeffNBSP\u00a0 \n\n\n\nend\n".encode(),
                       "c/bin.txt": b"GIF89a\x00\x01"}.items():
        Path(name).parent.mkdir(exist_ok=True)
        Path(name).write_bytes(data)
    return tmp_path


def test_cli_verify_exit_codes_and_messages(corpus: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["fix", "--isolated", "--out", "out", "c"]).exit_code == 1
    res = runner.invoke(cli, ["verify", "--ledger", "out/provenance.jsonl", "--replay"])
    assert res.exit_code == 0, res.output
    assert "Checked 2 cleaned files: 2 intact, 2 restored, 2 replayed; 0 problems." in res.stderr
    Path("out/b.txt").write_bytes(Path("out/b.txt").read_bytes() + b"x")
    res = runner.invoke(cli, ["verify", "--ledger", "out/provenance.jsonl"])
    assert res.exit_code == 1
    assert res.stdout.startswith("c/b.txt: tampered: cleaned file")
    res = runner.invoke(cli, ["verify", "--ledger", "nowhere.jsonl"])
    assert res.exit_code == 2 and "ledger not found" in res.stderr


def test_in_place_fix_with_a_ledger_verifies(corpus: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["fix", "--isolated", "--ledger", "led/provenance.jsonl", "c"])
    assert res.exit_code == 1
    rec = json.loads(Path("led/provenance.jsonl").read_text().splitlines()[0])
    assert rec["output"]["path"] == "../c/a.txt"
    res = runner.invoke(cli, ["verify", "--ledger", "led/provenance.jsonl", "--replay"])
    assert res.exit_code == 0, res.output


def test_replay_takes_per_file_ignores_from_the_configuration_folder(corpus: Path) -> None:
    """per-file-ignores globs are relative to the configuration's folder; the run manifest
    kept the globs but not that folder, so a run with docs/provlint.toml (pre-commit's
    second hook for a nested configuration) replayed with the globs matching nothing:
    every document they spared was 'not-reproducible'."""
    Path("docs/notes").mkdir(parents=True)
    Path("docs/provlint.toml").write_text('per-file-ignores = { "notes/*.txt" = ["PL001"] }\n')
    Path("docs/notes/n.txt").write_bytes(b"Kept   \n\n\n\n\nend\n")
    runner = CliRunner()
    res = runner.invoke(cli, ["fix", "--config", "docs/provlint.toml", "--ledger", "L.jsonl",
                              "docs/notes/n.txt"])
    assert res.exit_code == 1 and Path("docs/notes/n.txt").read_bytes() == b"Kept   \n\nend\n"
    res = runner.invoke(cli, ["verify", "--ledger", "L.jsonl", "--replay"])
    assert res.exit_code == 0, res.output
    assert "1 replayed; 0 problems" in res.stderr


@pytest.mark.parametrize("mode", ["hash", "none"])
def test_replay_after_an_in_place_fix_without_removed_text_cannot_be_proven(
        corpus: Path, mode: str) -> None:
    """The input of a file fixed in place is gone and a hash/none record cannot rebuild
    it: verify --replay called the file 'not-reproducible' (exit 1), a claim it had no
    evidence for. It is a note, and the summary counts what could not be replayed."""
    runner = CliRunner()
    res = runner.invoke(cli, ["fix", "--isolated", "--provenance-text", mode,
                              "--ledger", "led/provenance.jsonl", "c"])
    assert res.exit_code == 1
    res = runner.invoke(cli, ["verify", "--ledger", "led/provenance.jsonl", "--replay"])
    assert res.exit_code == 0, res.output
    assert "not-reproducible" not in res.output
    assert "2 documents not replayed (c/a.txt, ...)" in res.stderr
    assert "cannot be proven" in res.stderr
    assert "2 intact, 0 restored, 0 replayed (2 could not be); 0 problems." in res.stderr
    Path("c/b.txt").write_bytes(Path("c/b.txt").read_bytes() + b"x")  # still found out
    res = runner.invoke(cli, ["verify", "--ledger", "led/provenance.jsonl", "--replay"])
    assert res.exit_code == 1 and "c/b.txt: tampered" in res.stdout, res.output


@pytest.mark.parametrize("command", [["verify"], ["restore", "--out", "back"],
                                     ["export-prov", "--format", "prov-json"]])
def test_the_run_manifest_or_another_jsonl_is_not_taken_for_a_ledger(
        corpus: Path, command: list[str]) -> None:
    """It audited as 'Checked 0 cleaned files ... 0 problems', exit 0: a CI step that
    passes whatever the cleaned files say."""
    runner = CliRunner()
    assert runner.invoke(cli, ["fix", "--isolated", "--out", "out", "c"]).exit_code == 1
    res = runner.invoke(cli, [*command, "--ledger", "out/provenance.runs.jsonl"])
    assert res.exit_code == 2
    assert "not a provenance ledger (provlint.run/v1); its ledger is out/provenance.jsonl" \
        in res.stderr
    Path("f.jsonl").write_text('{"code": "PL001", "path": "c/a.txt"}\n')
    res = runner.invoke(cli, [*command, "--ledger", "f.jsonl"])
    assert res.exit_code == 2 and "f.jsonl is not a provenance ledger" in res.stderr
    Path("empty.jsonl").write_text("")  # a run with no documents: nothing to say
    assert runner.invoke(cli, [*command, "--ledger", "empty.jsonl"]).exit_code == 0


# Hand edits a realistic user makes: a field deleted, nulled or retyped in an editor.
EDITS = {
    "an edit emptied": lambda r: r["edits"].__setitem__(0, {}),
    "removed text deleted": lambda r: r["edits"][0].pop("removed"),
    "byte span nulled": lambda r: r["edits"][0].__setitem__("out_bytes", None),
    "pass as text": lambda r: r["edits"][0].__setitem__("pass", "one"),
    "edits not a list": lambda r: r.__setitem__("edits", "none"),
    "output not an object": lambda r: r.__setitem__("output", "clean/a.txt"),
    "input emptied": lambda r: r.__setitem__("input", {}),
    "unknown encoding": lambda r: r["input"].__setitem__("encoding", "utf-9"),
    "not a text encoding": lambda r: r["input"].__setitem__("encoding", "rot13"),
    "run nulled": lambda r: r.__setitem__("run", None),
    "rule set nulled": lambda r: r["tool"].__setitem__("ruleset", None),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_hand_edited_record_is_damaged_and_the_others_are_still_checked(
        corpus: Path, edit: str) -> None:
    """verify and restore stopped with 'internal error' (exit 2) and checked nothing; a
    full-text record stripped of its removed text even verified as OK."""
    runner = CliRunner()
    assert runner.invoke(cli, ["fix", "--isolated", "--out", "out", "c"]).exit_code == 1
    ledger = Path("out/provenance.jsonl")
    lines = ledger.read_text().splitlines()
    rec = json.loads(lines[0])
    assert rec["doc"]["id"] == "c/a.txt" and rec["edits"]
    EDITS[edit](rec)
    ledger.write_text("\n".join([json.dumps(rec), *lines[1:]]) + "\n")
    for replay in ([], ["--replay"]):
        res = runner.invoke(cli, ["verify", "--ledger", str(ledger), *replay])
        assert res.exit_code == 1, res.output
        assert res.stdout.startswith("provenance.jsonl:1: damaged: not a usable record: ")
        assert "Checked 1 cleaned files: 1 intact, 1 restored" in res.stderr
    res = runner.invoke(cli, ["restore", "--ledger", str(ledger), "--out", "back"])
    assert res.exit_code == 1 and "provenance.jsonl:1: damaged record, left out: " in res.stderr
    assert "Restored 1 document; 1 failed." in res.stdout
    assert Path("back/b.txt").read_bytes() == Path("c/b.txt").read_bytes()


def test_a_hand_edited_run_manifest_is_damaged_not_a_crash(corpus: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["fix", "--isolated", "--out", "out", "c"]).exit_code == 1
    manifest = Path("out/provenance.runs.jsonl")
    start, *rest = manifest.read_text().splitlines()
    ev = json.loads(start)
    ev["config"]["resolved"]["rules"]["PL001"] = "off"
    manifest.write_text("\n".join([json.dumps(ev), '{"event": "plan", "run": null}', *rest])
                        + "\n")
    res = runner.invoke(cli, ["verify", "--ledger", "out/provenance.jsonl", "--replay"])
    assert res.exit_code == 1, res.output
    assert "provenance.runs.jsonl:2: damaged" in res.stdout
    assert res.stdout.count("not-reproducible: cannot rebuild the configuration: the run "
                            "manifest's start line is damaged") == 2
