"""What ``--resume`` knows of an earlier run into the same output folder.

A document is skipped when the ledger has a record of it (the same path,
input digest and resolved configuration digest) and the rows journal next to
the ledger (``report/journal.py``) has its table rows. Its cleaned text is
rebuilt by replaying the record's edits, checked against the recorded output
digest; its rows are read back (``Outcome.resumed``), so the report tables are
those of a run that was never interrupted. A record without saved rows (the
run was killed between the two lines, or the ledger is older than the
journal) runs again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .engine import replay
from .io import Source, encode, sha256
from .model import AppliedEdit, Decoding, Document, Span
from .runner import Outcome, Resumed

Key = tuple[str, str, str]  # (document path, input digest, resolved configuration digest)


def key_of(doc: Document, config_digest: str) -> Key:
    """Which document, text and configuration a record (and its rows) is of."""
    return doc.path or "", doc.input_sha256 or "", config_digest


def _whole_lines(path: Path, key: Callable[[Any], Key]) -> Iterator[tuple[Key, int, Any]]:
    """(key, offset, object) of each whole JSON line of ``path`` whose key can be read
    (a torn or damaged line is left out: its document runs again)."""
    if not path.is_file():
        return
    with open(path, "rb") as fh:
        offset = 0
        for line in fh:
            if line.endswith(b"\n"):
                try:
                    item = json.loads(line)
                    found = key(item)
                except (ValueError, KeyError, TypeError, IndexError):
                    found = None
                if found is not None:
                    yield found, offset, item
            offset += len(line)


def ledger_index(ledger: Path) -> dict[Key, int]:
    """key -> offset of its last record in ``ledger``."""
    return {k: offset for k, offset, _ in _whole_lines(ledger, lambda rec: (
        rec["doc"]["path"], rec["input"]["digest"], rec["tool"]["ruleset"]["digest"]))}


def rows_index(journal: Path) -> dict[Key, tuple[int, bool]]:
    """key -> (offset of its last line in the rows ``journal``, whether it has fix regions)."""
    return {k: (offset, bool(item["fixes"])) for k, offset, item in _whole_lines(
        journal, lambda item: (str(item["key"][0]), str(item["key"][1]), str(item["key"][2])))}


def resume_index(ledger: Path, fixes: bool = False) -> dict[Key, tuple[int, int]]:
    """key -> (ledger offset, rows journal offset) of each document ``--resume`` can
    skip: its last record, and its rows (with fix regions when ``fixes``)."""
    from .report.journal import journal_path

    rows = rows_index(journal_path(ledger))
    return {key: (offset, rows[key][0]) for key, offset in ledger_index(ledger).items()
            if key in rows and (rows[key][1] or not fixes)}


def replayed(source: Source, doc: Document, ledger: Path, offsets: tuple[int, int]
             ) -> Outcome | None:
    """The outcome of a skipped document from its ledger record and rows journal line
    at ``offsets``: its cleaned bytes rebuilt from the recorded edits (None: they do
    not give the recorded output digest, and the document runs again)."""
    from .report.journal import journal_path, read

    with open(ledger, "rb") as fh:
        fh.seek(offsets[0])
        record = json.loads(fh.readline())
    applied = [AppliedEdit(e["rule"], int(e["pass"]), Span(*e["in_span"]), "",
                           e["inserted"], int(e["out_span"][0])) for e in record["edits"]]
    inp = record["input"]
    cleaned = replay(doc.text, applied)
    out = encode(cleaned, Decoding(inp["encoding"], bool(inp["bom"]), inp["newline"],
                                   inp.get("errors", "strict")))
    if sha256(out) != record["output"]["digest"]:
        return None
    return Outcome(source, doc, [], None, out, None,
                   resumed=Resumed(read(journal_path(ledger), offsets[1]), record["edits"],
                                   cleaned))


def rows_line(o: Outcome, config_digest: str, fixes: bool) -> bytes | None:
    """``o``'s table rows (``o.summary``, with fix regions when ``fixes``) as a rows
    journal line; None when it has no record (nothing for ``--resume`` to skip)."""
    if o.summary is None or o.document is None or (o.line is None and o.record is None):
        return None
    from .report.journal import dump

    rows, document, _ = o.summary
    return dump(key_of(o.document, config_digest), rows, document, fixes)
