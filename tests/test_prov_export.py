"""``provlint export-prov``: W3C PROV that the ``prov`` package reads back."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import prov
import pytest
from click.testing import CliRunner
from prov.model import ProvDerivation, ProvDocument

from provlint.cli import cli
from provlint.ledger import read_ledger

DOCS = {"a.txt": b"One  \n\n\n\nTwo\n", "b.txt": b"\xef\xbb\xbfBOM\r\n\r\n\r\n\r\nx\r\n",
        "c.txt": b"Already clean.\n"}


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("c").mkdir()
    for name, data in DOCS.items():
        Path("c", name).write_bytes(data)
    (Path("c") / "a.meta.json").write_text(json.dumps({"url": "https://example.com/a"}))
    assert CliRunner().invoke(cli, ["fix", "--isolated", "--out", "o", "c"]).exit_code == 1
    return Path("o/provenance.jsonl")


def test_prov_json_reads_back_with_one_derivation_per_document(ledger: Path) -> None:
    res = CliRunner().invoke(cli, ["export-prov", "--ledger", str(ledger), "-o", "run.json"])
    assert res.exit_code == 0, res.output
    doc = prov.read("run.json", format="json")
    assert isinstance(doc, ProvDocument)
    records = read_ledger(ledger)
    derivations = [r for r in doc.get_records() if isinstance(r, ProvDerivation)]
    assert len(records) == len(DOCS)
    changed = [r for r in records if r["output"]["digest"] != r["input"]["digest"]]
    assert len(derivations) == len(changed) == len(DOCS) - 1  # c.txt was already clean
    pairs = {(str(d.formal_attributes[0][1]), str(d.formal_attributes[1][1]))
             for d in derivations}
    assert pairs == {(f"sha256:{r['output']['digest'][7:]}", f"sha256:{r['input']['digest'][7:]}")
                     for r in changed}
    text = Path("run.json").read_text()
    data = json.loads(text)
    assert set(data) >= {"entity", "activity", "agent", "used", "wasGeneratedBy",
                         "wasDerivedFrom", "wasAssociatedWith"}
    assert len(data["activity"]) == 1 and len(data["used"]) == len(DOCS)
    agent = next(iter(data["agent"].values()))
    assert agent["provlint:version"] == records[0]["tool"]["version"]
    raw_a = data["entity"][f"sha256:{records[0]['input']['digest'][7:]}"]
    assert raw_a["provlint:url"] == "https://example.com/a"


def test_prov_n_output(ledger: Path) -> None:
    res = CliRunner().invoke(cli, ["export-prov", "--ledger", str(ledger), "--format", "prov-n"])
    assert res.exit_code == 0, res.output
    n = len(DOCS) - 1  # c.txt, already clean, is only used
    assert res.stdout.startswith("document") and res.stdout.count("wasDerivedFrom(") == n
    again = ProvDocument.deserialize(io.StringIO(
        CliRunner().invoke(cli, ["export-prov", "--ledger", str(ledger)]).stdout), format="json")
    assert len([r for r in again.get_records() if isinstance(r, ProvDerivation)]) == n


def test_content_named_entities_keep_prov_constraints(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged documents, two documents cleaned to the same text and a dirty document
    whose clean text is another document's input: no entity derived from itself, none
    generated twice, none generated (at the run's end) after the run used it."""
    monkeypatch.chdir(tmp_path)
    Path("c").mkdir()
    docs = {"clean.txt": b"Clean.\n", "dirty.txt": b"Clean.   \n", "e1.txt": b"Same.  \n",
            "e2.txt": b"Same.\t\n", "x.txt": b"Other.  \n"}
    for name, data in docs.items():
        Path("c", name).write_bytes(data)
    assert CliRunner().invoke(cli, ["fix", "--isolated", "--out", "o", "c"]).exit_code == 1
    res = CliRunner().invoke(cli, ["export-prov", "--ledger", "o/provenance.jsonl"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    derived = [(d["prov:generatedEntity"], d["prov:usedEntity"])
               for d in data["wasDerivedFrom"].values()]
    assert len(derived) == 4 and all(new != old for new, old in derived)
    generated = [g["prov:entity"] for g in data["wasGeneratedBy"].values()]
    used = {u["prov:entity"] for u in data["used"].values()}
    assert len(data["used"]) == 5
    assert len(generated) == len(set(generated)) == 2  # "Same." once, "Other." once
    assert not used & set(generated)  # "Clean.\n" existed before: used, never generated


def test_prov_is_not_imported_on_the_check_path() -> None:
    code = ("import sys; from provlint.cli import main\n"
            "try:\n    main(['check', '--isolated', '-'])\nexcept SystemExit:\n    pass\n"
            "print('prov' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], input=b"text\n", capture_output=True,
                         check=True).stdout
    assert out.strip().endswith(b"False")


@pytest.mark.parametrize(("edit", "says"), [
    (lambda r: r.__setitem__("input", None), "provenance.jsonl:1: not a usable record"),
    (lambda r: r["run"].__setitem__("started", "yesterday"), "a record is damaged"),
    (lambda r: r["input"].__setitem__("bytes", "many"), "a record is damaged")])
def test_a_hand_edited_record_is_a_clear_error_not_a_crash(ledger: Path, edit: Any,
                                                            says: str) -> None:
    """It was 'internal error: TypeError ...' (or KeyError, ValueError)."""
    lines = ledger.read_text().splitlines()
    rec = json.loads(lines[0])
    edit(rec)
    ledger.write_text("\n".join([json.dumps(rec), *lines[1:]]) + "\n")
    res = CliRunner().invoke(cli, ["export-prov", "--ledger", str(ledger)])
    assert res.exit_code == 2 and says in res.stderr and "internal error" not in res.stderr
