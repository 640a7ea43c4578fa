"""The provenance ledger on disk: append-safe JSONL, run manifests, readers.

Two files live side by side:

- ``provenance.jsonl``: one ``provlint.provenance/v1`` record per document
  per run (see ``provenance.py``).
- ``provenance.runs.jsonl`` (the *run manifest*, ``runs_path(ledger)``): one
  ``provlint.run/v1`` line per run event: ``start`` (tool, rule set digest,
  the resolved configuration, unsafe flag, text mode), ``plan`` (the ids of
  documents the run is about to process, in chunks), ``skip`` (a planned
  document that gets no record: binary, unreadable, too large) and ``end``.
  A run killed midway has no ``end``, and ``plan`` minus records minus skips
  names the documents it never finished.

Both are written by ``Ledger``: each line is one ``write()`` on an
``O_APPEND`` descriptor under an exclusive ``flock``, so concurrent runs
never interleave half lines. A line torn by a crash (no final newline) is
ignored by the readers and closed off by the next writer, so it can never
glue onto a later record. Lines are UTF-8 JSON holding valid Unicode only:
undecodable bytes travel as base64 (``removed_b64``, ``path_b64``).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import InputError
from .native import SPEEDUPS as _C
from .provenance import RunInfo, file_path, has_surrogates, now, printable, tool_info
from .ruleset import Settings

RUN_SCHEMA = "provlint.run/v1"
PLAN_CHUNK = 1000


def runs_path(ledger: Path) -> Path:
    """The run manifest that goes with a ledger: ``X.jsonl`` -> ``X.runs.jsonl``."""
    return ledger.with_name(ledger.name.removesuffix(".jsonl") + ".runs.jsonl")


def json_safe(obj: Any) -> Any:
    """``obj`` with every lone surrogate (in a value or a key: a record's field
    name may hold one) replaced by U+FFFD; a ``path`` holding undecodable bytes
    also keeps its exact bytes as ``path_b64``."""
    if isinstance(obj, str):
        return printable(obj)
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    if isinstance(obj, Mapping):
        out = {json_safe(k): json_safe(v) for k, v in obj.items()}
        path = obj.get("path")
        if isinstance(path, str) and has_surrogates(path):
            out["path_b64"] = base64.b64encode(os.fsencode(path)).decode("ascii")
        return out
    return obj


# json.dumps with options makes a JSONEncoder per call: one serves every line
_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _json_bytes_py(obj: object, encode: Callable[[object], str]) -> bytes:
    """``encode(obj)`` in UTF-8 (UnicodeEncodeError for a lone surrogate). The C twin,
    ``_speedups.json_bytes``, writes the usual record values itself (~4x faster: the
    standard encoder makes a new str per key and number) and hands others to ``encode``;
    it gives the same bytes only for ``_ENCODE``, whose options it writes."""
    return encode(obj).encode("utf-8")


_json_bytes = _json_bytes_py if _C is None else _C.json_bytes


def dump_line(record: Mapping[str, Any]) -> bytes:
    """One ledger line: UTF-8 JSON of valid Unicode, newline-terminated.

    A record is a tree of fresh dicts and lists (never a cycle), so the encoder's
    cycle check (an id per container into a dict: ~11% of encoding) is left out.
    """
    try:
        data = _json_bytes(record, _ENCODE)
    except UnicodeEncodeError:
        data = json.dumps(json_safe(record), ensure_ascii=False).encode("utf-8")
    return data + b"\n"


@contextlib.contextmanager
def _exclusive(fd: int) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


class Ledger:
    """Append-only JSONL writer: each record is one write() of one whole line
    under an exclusive lock, so concurrent runs never interleave half lines."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        with _exclusive(self._fd):
            size = os.fstat(self._fd).st_size
            if size and os.pread(self._fd, 1, size - 1) != b"\n":
                os.write(self._fd, b"\n")  # close off a line torn by a killed run

    def write(self, record: Mapping[str, Any]) -> None:
        self.write_line(dump_line(record))

    def write_line(self, line: bytes) -> None:
        """Append one line already made by ``dump_line`` (a worker may make it)."""
        view = memoryview(line)
        with _exclusive(self._fd):
            while view:
                n = os.write(self._fd, view)
                view = view[n:]

    def close(self) -> None:
        if self._fd < 0:
            return
        os.fsync(self._fd)
        os.close(self._fd)
        self._fd = -1

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def relative_to_ledger(target: Path, ledger: Path) -> str:
    """How a record names an output file: relative to the ledger's folder."""
    return Path(os.path.relpath(os.path.abspath(target),
                                os.path.abspath(ledger.parent))).as_posix()


def _root(root: str) -> str:
    """The folder per-file-ignores globs are relative to, as the start line keeps it:
    relative to the working directory, as the records' ``doc.path`` are ("": none)."""
    return Path(os.path.relpath(root)).as_posix() if root else ""


class RunLog:
    """All ledger writes of one run: ``start`` on entry, then ``plan``,
    ``record`` and ``skip`` as the run goes, ``end`` on a normal exit (or
    ``end`` with status ``failed`` when the run raised).

    A ``lazy`` log (fixing in place) opens its files and writes ``start`` only at
    its first event: a run that rewrites no file leaves both files as they were, so
    a ledger tracked in git is not changed by a pre-commit hook that fixed nothing."""

    def __init__(self, ledger: Path, run: RunInfo, settings: Settings, *,
                 unsafe: bool = False, text_mode: str = "full", lazy: bool = False) -> None:
        self.ledger_path = ledger
        self.run = run
        self.counts = {"planned": 0, "records": 0, "skipped": 0}
        self._planned: set[str] = set()
        self._files: tuple[Ledger, Ledger] | None = None
        self._start = {"run": {"id": run.id, "started": run.started, "mode": run.mode,
                               "argv": list(run.argv)},
                       "tool": tool_info(settings),
                       "config": {"resolved": settings.resolved, "unsafe_fixes": unsafe,
                                  "provenance_text": text_mode,
                                  "root": _root(settings.root)}}
        if not lazy:
            self._opened()

    def _opened(self) -> tuple[Ledger, Ledger]:
        """The ledger and the run manifest, opened (and ``start`` written) on first use."""
        if self._files is None:
            self._files = Ledger(self.ledger_path), Ledger(runs_path(self.ledger_path))
            self._event("start", **self._start)
        return self._files

    @property
    def records(self) -> Ledger:
        """The ledger of document records (opened, and ``start`` written, if not yet)."""
        return self._opened()[0]

    @property
    def runs(self) -> Ledger:
        """The run manifest (opened, and ``start`` written, if not yet)."""
        return self._opened()[1]

    def _event(self, event: str, **fields: Any) -> None:
        fields.setdefault("run", {"id": self.run.id})
        self.runs.write({"schema": RUN_SCHEMA, "event": event, **fields})

    def plan(self, doc_ids: Iterable[str]) -> None:
        """Declare documents this run will process (call before processing them;
        an id already planned in this run is not written again)."""
        chunk: list[str] = []
        for doc_id in doc_ids:
            if doc_id in self._planned:
                continue
            self._planned.add(doc_id)
            chunk.append(doc_id)
            if len(chunk) == PLAN_CHUNK:
                self._event("plan", docs=chunk)
                self.counts["planned"] += len(chunk)
                chunk = []
        if chunk:
            self._event("plan", docs=chunk)
            self.counts["planned"] += len(chunk)

    def record(self, record: dict[str, Any], written_to: Path | None) -> None:
        """Append a document record; ``output.path`` becomes ``written_to``
        relative to the ledger's folder (None: the output went to stdout)."""
        record["output"]["path"] = (None if written_to is None
                                    else relative_to_ledger(written_to, self.ledger_path))
        self.record_line(dump_line(record))

    def record_line(self, line: bytes) -> None:
        """Append a document record serialised elsewhere (``dump_line`` of a record
        whose ``output.path`` is already relative to this ledger's folder)."""
        self.records.write_line(line)
        self.counts["records"] += 1

    def skip(self, doc_id: str, reason: str) -> None:
        """A planned document that gets no record (unreadable, binary, ...)."""
        self._event("skip", doc={"id": doc_id}, reason=reason)
        self.counts["skipped"] += 1

    def close(self, status: str = "complete") -> None:
        """Write ``end`` and close the files (a lazy log that never started writes nothing)."""
        if self._files is None:
            return
        self._event("end", run={"id": self.run.id, "finished": now()}, status=status,
                    counts=dict(self.counts))
        for log in self._files:
            log.close()

    def __enter__(self) -> RunLog:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.close("interrupted" if issubclass(kind, KeyboardInterrupt) else "failed")


@dataclass
class Lines:
    """What a reader found in a JSONL file."""

    items: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line no, object)
    damaged: list[int] = field(default_factory=list)  # complete lines that do not parse
    torn_tail: bool = False  # the last line has no newline (a writer was killed)


def read_lines(path: Path) -> Lines:
    """Every complete, parseable line of a JSONL file (a torn last line is ignored)."""
    out = Lines()
    if not path.is_file():
        return out
    data = path.read_bytes()
    lines = data.split(b"\n")
    out.torn_tail = bool(lines[-1].strip())
    for no, line in enumerate(lines[:-1], 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            out.damaged.append(no)
            continue
        if isinstance(obj, dict):
            out.items.append((no, obj))
        else:
            out.damaged.append(no)
    return out


def check_ledger(path: Path) -> None:
    """Raise InputError unless ``path`` is a provenance ledger: a file that exists
    and whose first line (when it has one that parses) is a document record. The
    run manifest next to it, or findings.jsonl, would otherwise audit as "0
    problems": nothing checked, and a CI step that passes."""
    if not path.is_file():
        raise InputError(f"ledger not found: {path}")
    with open(path, "rb") as fh:
        first = fh.readline()
    try:
        head = json.loads(first) if first.endswith(b"\n") else None
    except ValueError:
        return  # a damaged line: the audit names it
    if isinstance(head, dict) and "doc" not in head:
        what = head.get("schema") or "not provenance records"
        sibling = (path.with_name(path.name.removesuffix(".runs.jsonl") + ".jsonl")
                   if str(what) == RUN_SCHEMA else None)
        raise InputError(f"{path} is not a provenance ledger ({what})"
                         + (f"; its ledger is {sibling}" if sibling else ""))


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _span_ok(v: object) -> bool:
    return (isinstance(v, list) and len(v) == 2 and all(map(_is_int, v))
            and 0 <= v[0] <= v[1])


def _edit_problem(i: int, e: object, full: bool) -> str | None:
    if not isinstance(e, dict):
        return f"edit {i} is not an object"
    if not _is_int(e.get("pass")) or not _span_ok(e.get("out_bytes")) or (
            "in_bytes" in e and not _span_ok(e["in_bytes"])):
        return f"edit {i} has no whole pass number or byte spans"
    if any(k in e and not isinstance(e[k], str) for k in ("removed", "removed_b64")):
        return f"edit {i}: removed text is not a string"
    if full and "removed" not in e and "removed_b64" not in e:
        return f"edit {i} keeps no removed text, though the record says text=full"
    return None


def _path_problem(name: str, sec: Mapping[str, Any]) -> str | None:
    if not isinstance(sec.get("path"), str | None):
        return f"{name}.path is not a string"
    try:
        path = file_path(sec)
    except (TypeError, ValueError):
        return f"{name}.path_b64 is not base64"
    return f"{name}.path holds a NUL" if path is not None and "\0" in path else None


def _encoding_problem(enc: object) -> str | None:
    import codecs

    try:
        ok = isinstance(enc, str) and codecs.lookup(enc)._is_text_encoding
    except (LookupError, ValueError):  # ValueError: a lone surrogate in the name
        ok = False
    return None if ok else f"input.encoding {str(enc)[:40]!r} is not a text encoding"


def record_problem(rec: Mapping[str, Any]) -> str | None:
    """Why a ledger line that claims to be a document record cannot be used to check or
    restore a document (a field missing or of the wrong type: a hand-edited or damaged
    ledger), or None. Whether the values are true is for the digests to say."""
    doc, inp, out, run = (rec.get(k) for k in ("doc", "input", "output", "run"))
    if not all(isinstance(v, dict) for v in (doc, inp, out, run, rec.get("tool"))):
        return "doc, input, output, run or tool is not an object"
    assert isinstance(doc, dict) and isinstance(inp, dict) and isinstance(out, dict)
    assert isinstance(run, dict)
    if "id" not in doc or "id" not in run:
        return "doc.id or run.id is missing"
    ruleset = rec["tool"].get("ruleset")
    if not (isinstance(ruleset, dict) and isinstance(ruleset.get("digest"), str)
            and "id" in ruleset):
        return "tool.ruleset is not a rule set with an id and a digest"
    if not (isinstance(inp.get("digest"), str) and isinstance(out.get("digest"), str)):
        return "input.digest or output.digest is not a string"
    where = out.get("record")
    if where is not None and not (isinstance(where, dict) and all(
            isinstance(where.get(k), str) for k in ("key", "format", "text_field", "id_field"))):
        return "output.record is not a record location"
    edits = rec.get("edits")
    if not isinstance(edits, list):
        return "edits is not a list"
    full = rec.get("text") == "full"
    return (_encoding_problem(inp.get("encoding")) or _path_problem("doc", doc)
            or _path_problem("output", out)
            or next((why for i, e in enumerate(edits) if (why := _edit_problem(i, e, full))),
                    None))


def document_records(lines: Lines) -> tuple[list[tuple[int, dict[str, Any]]],
                                            list[tuple[int, str]]]:
    """A ledger's document records by line number, and ``(line number, why)`` for each
    line that claims to be one (it has ``doc``) but cannot be used (``record_problem``)."""
    good: list[tuple[int, dict[str, Any]]] = []
    bad: list[tuple[int, str]] = []
    for no, rec in lines.items:
        if "doc" in rec:
            why = record_problem(rec)
            if why is None:
                good.append((no, rec))
            else:
                bad.append((no, why))
    return good, bad


def read_ledger(path: Path) -> list[dict[str, Any]]:
    """All complete document records of a ledger (a torn last line is ignored)."""
    return [rec for _, rec in read_lines(path).items if "doc" in rec]


def cleaned_file(record: Mapping[str, Any], ledger: Path) -> Path | None:
    """Where a record's cleaned file is (None: it went to stdout)."""
    rel = file_path(record["output"])
    return None if rel is None else ledger.parent / rel


def skip_reason(findings: Iterable[Any]) -> str:
    """Why a document got no record, from its input findings (``PL902 binary-file``)."""
    return "; ".join(f"{f.code} {f.name}" for f in findings) or "no output"
