"""Auditing a ledger: are the cleaned files intact, restorable and reproducible?

``verify_ledger`` checks the newest record of every cleaned file:

1. the file exists and still has the recorded sha256 (else *tampered* or
   *missing*);
2. undoing the recorded edits rebuilds bytes with the recorded input sha256
   (else *not-restorable*; skipped with a note when the ledger was written
   with ``--provenance-text`` other than ``full``);
3. with ``replay``: cleaning the input again with the recorded configuration
   gives the recorded output (else *not-reproducible*). The input is the
   file at ``doc.path`` when it still has the recorded digest, else the
   restored bytes; when neither is there (a file fixed in place with
   ``--provenance-text`` hash or none: its input is gone and the record cannot
   rebuild it) the replay cannot be proven either way, and a note says so
   (``Verdict.unproven``). The configuration is the resolved selection and options
   from the run manifest's ``start`` line; without one, the rule set is
   resolved as it is today and a note says whether its digest differs.

From the run manifest it also names every document a run planned but never
recorded or skipped, unless a later run recorded it (*missing*): what a run
killed midway leaves behind.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .engine import clean
from .errors import ConvergenceError, ProvlintError
from .io import document_from_bytes, encode, sha256
from .ledger import Lines, cleaned_file, document_records, read_lines, runs_path
from .model import Severity
from .provenance import file_path, needs_full_text, restore_bytes
from .registry import load
from .ruleset import ActiveRule, Settings, resolve


@dataclass(frozen=True)
class Problem:
    """One reason the ledger does not hold: which document, what kind, details."""

    doc_id: str
    kind: str  # tampered | missing | not-restorable | not-reproducible | damaged
    message: str

    def describe(self) -> str:
        return f"{self.doc_id}: {self.kind}: {self.message}"


@dataclass
class Verdict:
    """Everything ``verify_ledger`` found."""

    checked: int = 0
    intact: int = 0
    restored: int = 0
    replayed: int = 0
    unproven: list[str] = field(default_factory=list)  # ids of documents not replayed: no input
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Run:
    order: int
    start: dict[str, Any] | None = None
    planned: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    ended: bool = False


def settings_from_resolved(resolved: Mapping[str, Any], root: str = "") -> Settings:
    """Settings rebuilt from a recorded resolved configuration (``Settings.resolved``);
    ``root``: the folder its per-file-ignores globs are relative to (the start line's
    ``config.root``, relative to the working directory of the run)."""
    rules = load()
    active = []
    for code, spec in sorted(resolved["rules"].items()):
        if code not in rules:
            raise ProvlintError(f"rule {code} of the recorded configuration no longer exists")
        active.append(ActiveRule(rules[code], dict(spec["options"]),
                                 Severity.parse(spec["severity"]), bool(spec["fixable"])))
    rs = resolved["ruleset"]
    return Settings(str(rs["id"]), str(rs["version"]), tuple(active),
                    tuple((str(p), frozenset(c)) for p, c in resolved["per_file_ignores"]),
                    dict(resolved), root=os.path.abspath(root) if root else "")


def _runs(lines: Lines) -> dict[str, _Run]:
    """The manifest's runs by id; a line of the wrong shape (edited by hand) is damaged."""
    runs: dict[str, _Run] = {}
    for no, ev in lines.items:
        run_obj, kind = ev.get("run"), ev.get("event")
        docs, doc = ev.get("docs", []), ev.get("doc")
        if not isinstance(run_obj, dict) or (kind == "plan" and not isinstance(docs, list)) or (
                kind == "skip" and not isinstance(doc, dict)):
            lines.damaged.append(no)
            continue
        run = runs.setdefault(str(run_obj.get("id")), _Run(no))
        if kind == "start":
            run.start = ev
        elif kind == "plan":
            run.planned += [str(d) for d in docs]
        elif kind == "skip":
            run.done.add(str(doc.get("id")))  # type: ignore[union-attr]
        elif kind == "end":
            run.ended = True
    return runs


NO_INPUT = "input not available (not at doc.path with the recorded digest, not restorable)"


class _Replayer:
    """Replays records with their run's recorded configuration (cached per run)."""

    def __init__(self, runs: Mapping[str, _Run], verdict: Verdict) -> None:
        self.runs = runs
        self.verdict = verdict
        self.cache: dict[str, tuple[Settings, bool] | str] = {}

    def _settings(self, rec: Mapping[str, Any]) -> tuple[Settings, bool] | str:
        run_id = str(rec["run"]["id"])
        if run_id in self.cache:
            return self.cache[run_id]
        recorded = rec["tool"]["ruleset"]["digest"]
        start = self.runs[run_id].start if run_id in self.runs else None
        try:
            if start is not None and "config" in start:
                cfg = start["config"]
                root = cfg.get("root")  # none in ledgers before it was kept
                settings = settings_from_resolved(cfg["resolved"],
                                                  root if isinstance(root, str) else "")
                unsafe = bool(cfg.get("unsafe_fixes", False))
                if settings.digest != recorded:
                    self.verdict.notes.append(
                        f"run {run_id}: the manifest's configuration has digest "
                        f"{settings.digest}, the records say {recorded}")
            else:
                settings = resolve(str(rec["tool"]["ruleset"]["id"]))
                unsafe = any(e.get("fix") == "unsafe" for e in rec["edits"])
                same = "the same digest" if settings.digest == recorded else (
                    f"digest {settings.digest}, not the recorded {recorded}")
                self.verdict.notes.append(
                    f"run {run_id}: no run manifest; replaying with rule set "
                    f"{settings.ruleset_id!r} as it resolves today ({same})")
        except ProvlintError as exc:
            self.cache[run_id] = f"cannot rebuild the configuration: {exc}"
            return self.cache[run_id]
        except (LookupError, TypeError, ValueError, AttributeError) as exc:  # edited by hand
            self.cache[run_id] = (f"cannot rebuild the configuration: the run manifest's start "
                                  f"line is damaged ({type(exc).__name__}: {exc})")
            return self.cache[run_id]
        if rec["tool"].get("version") != __version__:
            self.verdict.notes.append(f"run {run_id}: recorded by provlint "
                                      f"{rec['tool'].get('version')}, replayed by {__version__}")
        self.cache[run_id] = (settings, unsafe)
        return self.cache[run_id]

    def replay(self, rec: Mapping[str, Any], restored: bytes | None) -> str | None:
        """None when the replay reproduces the record, else why not."""
        how = self._settings(rec)
        if isinstance(how, str):
            return how
        settings, unsafe = how
        doc_path = file_path(rec["doc"])
        data = restored
        on_disk = input_now(rec, doc_path)
        if on_disk is not None and sha256(on_disk) == rec["input"]["digest"]:
            data = on_disk
        if data is None:
            return NO_INPUT
        doc = document_from_bytes(str(rec["doc"]["id"]), data, doc_path).document
        if doc is None:
            return "the recorded input is no longer readable as text"
        try:
            result = clean(doc, settings, unsafe=unsafe)
            out, edits = encode(result.text, doc.decoding), len(result.applied)
        except ConvergenceError:  # the run wrote it as read, with PL907 (runner._left_as_read)
            out, edits = encode(doc.text, doc.decoding), 0
        except (ProvlintError, UnicodeError) as exc:
            return f"replay failed: {exc}"
        if sha256(out) == rec["output"]["digest"]:
            return None
        return (f"replay gives {sha256(out)} with {edits} edits; recorded "
                f"{rec['output']['digest']} with {len(rec['edits'])} edits")


@lru_cache(maxsize=4)
def _shard_texts(path: Path, stamp: tuple[int, int], fmt: str, text_field: str,
                 id_field: str) -> dict[str, bytes]:
    """The cleaned text of every record of an output shard, by record key
    (``stamp`` = size and mtime, so a rewritten shard is read again)."""
    from .corpus import RecordSpec, shard_tasks
    from .io import Source

    spec = RecordSpec(text_field, id_field)
    shard = Source(path, path.name, path.name)
    return {t.path.split("#", 1)[-1]: t.data for t in shard_tasks(shard, fmt, spec)
            if t.data is not None}


def record_bytes(rec: Mapping[str, Any], path: Path) -> bytes:
    """A JSONL/Parquet document's cleaned text, read from its output shard."""
    where = rec["output"]["record"]
    st = path.stat()
    texts = _shard_texts(path.resolve(), (st.st_size, st.st_mtime_ns), str(where["format"]),
                         str(where["text_field"]), str(where["id_field"]))
    if str(where["key"]) not in texts:
        raise FileNotFoundError(2, f"record {where['key']!r} not in {path.name}")
    return texts[str(where["key"])]


def input_now(rec: Mapping[str, Any], doc_path: str | None) -> bytes | None:
    """The input as it is on disk now, if it is there: the file at ``doc.path``, or
    a record's text in its input shard (a record's ``doc.path`` is ``<shard>#<key>``),
    so a record replays without a ledger that can restore it (hash or none)."""
    if doc_path is None:
        return None
    where = rec["output"].get("record")
    if where is None:
        return Path(doc_path).read_bytes() if Path(doc_path).is_file() else None
    suffix = f"#{where['key']}"
    shard = Path(doc_path.removesuffix(suffix))
    if not doc_path.endswith(suffix) or not shard.is_file():
        return None
    try:
        return record_bytes(rec, shard)
    except (OSError, ValueError):  # not there any more, or no longer a readable shard
        return None


def _check(rec: Mapping[str, Any], ledger: Path, replayer: _Replayer | None,
           verdict: Verdict) -> None:
    doc_id = str(rec["doc"]["id"])
    path = cleaned_file(rec, ledger)
    if path is None:
        verdict.notes.append(f"{doc_id}: output went to stdout; no file to check")
        return
    verdict.checked += 1
    try:
        data = record_bytes(rec, path) if "record" in rec["output"] else path.read_bytes()
    except OSError as exc:
        verdict.problems.append(Problem(doc_id, "missing", f"cleaned file {path}: "
                                        f"{exc.strerror or exc}"))
        return
    if sha256(data) != rec["output"]["digest"]:
        verdict.problems.append(Problem(doc_id, "tampered", f"cleaned file {path} has "
                                        f"{sha256(data)}, recorded {rec['output']['digest']}"))
        return
    verdict.intact += 1
    raw = None
    if needs_full_text(rec) is None:
        try:
            raw = restore_bytes(data, rec)
            verdict.restored += 1
        except (ProvlintError, ValueError) as exc:
            verdict.problems.append(Problem(doc_id, "not-restorable", str(exc)))
    if replayer is not None:
        why = replayer.replay(rec, raw)
        if why is None:
            verdict.replayed += 1
        elif why == NO_INPUT:  # nothing to clean again: neither reproduced nor not
            verdict.unproven.append(doc_id)
        else:
            verdict.problems.append(Problem(doc_id, "not-reproducible", why))


def _missing(runs: Mapping[str, _Run], records: list[tuple[int, dict[str, Any]]],
             verdict: Verdict) -> None:
    for _, rec in records:
        run = runs.get(str(rec["run"]["id"]))
        if run is not None:
            run.done.add(str(rec["doc"]["id"]))
    last_done: dict[str, int] = {}  # each document's latest run (by order) that finished it
    for run in runs.values():
        for d in run.done:
            last_done[d] = max(run.order, last_done.get(d, run.order))
    for run_id, run in sorted(runs.items(), key=lambda kv: kv[1].order):
        gone = [d for d in run.planned
                if d not in run.done and last_done.get(d, -1) <= run.order]
        for doc_id in gone:
            verdict.problems.append(Problem(doc_id, "missing", f"run {run_id} planned it but "
                                            "wrote no record (the run was killed or failed?)"))
        if run.start is not None and not run.ended:
            verdict.notes.append(f"run {run_id} has no end line: it was killed or is running")


def verify_ledger(ledger: Path, *, replay: bool = False) -> Verdict:
    """Check every cleaned file the ledger knows (see the module docstring)."""
    verdict = Verdict()
    lines, manifest = read_lines(ledger), read_lines(runs_path(ledger))
    runs = _runs(manifest)
    for name, got in ((ledger.name, lines), (runs_path(ledger).name, manifest)):
        verdict.problems += [Problem(f"{name}:{no}", "damaged",
                                     "line is not a JSON object of the expected shape")
                             for no in got.damaged]
        if got.torn_tail:
            verdict.notes.append(f"{name}: torn last line ignored (a writer was killed)")
    records, malformed = document_records(lines)
    verdict.problems += [Problem(f"{ledger.name}:{no}", "damaged", f"not a usable record: {why}")
                         for no, why in malformed]
    newest: dict[str, dict[str, Any]] = {}
    for _, rec in records:
        where = cleaned_file(rec, ledger)
        key = str(where.resolve()) if where is not None else f"id:{rec['doc']['id']}"
        if "record" in rec["output"]:  # a shard holds many documents
            key += "#" + str(rec["output"]["record"]["key"])
        newest[key] = rec
    replayer = _Replayer(runs, verdict) if replay else None
    for rec in newest.values():
        _check(rec, ledger, replayer, verdict)
    unrestorable = [why for why in map(needs_full_text, newest.values()) if why]
    if unrestorable:
        n = len(unrestorable)
        verdict.notes.append(f"{n} document{'s' if n != 1 else ''} not restore-checked: "
                             + unrestorable[0].split(": ", 1)[1])
    if verdict.unproven:
        n, first = len(verdict.unproven), verdict.unproven[0]
        verdict.notes.append(
            f"{n} document{'s' if n != 1 else ''} not replayed ({first}{', ...' if n > 1 else ''}"
            f"): the input is neither at doc.path with the recorded digest nor restorable from "
            f"the ledger, so whether cleaning it again gives the recorded output cannot be "
            f"proven (the input was fixed in place or changed since, and the ledger, written "
            f"with --provenance-text hash or none, keeps no copy of it)")
    _missing(runs, records, verdict)
    return verdict
