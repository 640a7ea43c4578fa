"""Per-document work shared by check, fix and report.

``process`` is a pure function of (document bytes, settings, options): it
reads, checks or cleans, and returns an ``Outcome`` with the findings, the
cleaned bytes and the provenance record. Writing files is the caller's job.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import field
from typing import Any, NamedTuple

from .engine import check, clean
from .errors import ConvergenceError
from .io import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    ReadResult,
    Source,
    encode,
    input_finding,
    read_document,
)
from .model import CleanResult, Document, Finding
from .provenance import RunInfo, build_record, check_text_mode
from .record import dataclass
from .record import set_field as _set
from .ruleset import Settings
from .sidecar import attach


@dataclass(frozen=True)
class Options:
    """How a run treats each document."""

    fix: bool = False
    unsafe: bool = False
    text_mode: str = "full"
    debug: bool = False
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    first_findings: bool = True  # keep pass 1's findings (``CleanResult.findings``): report
    records: bool = True  # build each cleaned document's provenance record (``Outcome.record``)

    def __init__(self, fix: bool = False, unsafe: bool = False, text_mode: str = "full",
                 debug: bool = False,
                 max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
                 first_findings: bool = True, records: bool = True) -> None:
        _set(self, "fix", fix)
        _set(self, "unsafe", unsafe)
        _set(self, "text_mode", text_mode)
        _set(self, "debug", debug)
        _set(self, "max_document_bytes", max_document_bytes)
        _set(self, "first_findings", first_findings)
        _set(self, "records", records)


class Resumed(NamedTuple):
    """A document ``--resume`` skips (``parallel.work``), in place of a run of the
    rules: its rows journal line, its recorded edits and its replayed cleaned text."""

    rows: bytes
    edits: list[dict[str, Any]]
    text: str


@dataclass(frozen=False)
class Outcome:
    """What happened to one document."""

    source: Source
    document: Document | None
    findings: list[Finding] = field(default_factory=list)
    result: CleanResult | None = None
    output: bytes | None = None
    record: dict[str, Any] | None = None
    line: bytes | None = None  # the record as a ledger line, when a worker serialised it
    summary: Any = None  # what the run's ``Context.summarise`` made of it in the worker
    # (changed, edits, input bytes) of an output a worker wrote, once the texts are dropped
    written: tuple[bool, int, int] | None = None
    resumed: Resumed | None = None  # --resume: what the run that recorded it saved
    rows_line: bytes | None = None  # ``summary`` as a rows journal line (report/journal.py)

    def __init__(self, source: Source, document: Document | None,
                 findings: list[Finding] | None = None, result: CleanResult | None = None,
                 output: bytes | None = None, record: dict[str, Any] | None = None,
                 line: bytes | None = None, summary: Any = None,
                 written: tuple[bool, int, int] | None = None,
                 resumed: Resumed | None = None, rows_line: bytes | None = None) -> None:
        self.source, self.document = source, document
        self.findings = [] if findings is None else findings
        self.result, self.output, self.record, self.line = result, output, record, line
        self.summary, self.written = summary, written
        self.resumed, self.rows_line = resumed, rows_line

    @property
    def changed(self) -> bool:
        if self.written is not None:
            return self.written[0]
        return self.result is not None and self.result.changed

    @property
    def edits(self) -> int:
        """How many edits the fix applied."""
        if self.written is not None:
            return self.written[1]
        return len(self.result.applied) if self.result is not None else 0

    @property
    def input_bytes(self) -> int:
        """The size of the input document (0 when it could not be read)."""
        if self.written is not None:
            return self.written[2]
        return self.document.input_bytes or 0 if self.document is not None else 0

    @property
    def skipped(self) -> bool:
        """True when the document got no output (unreadable, binary, too large, ...)."""
        return self.written is None and (self.result is None or self.output is None)

    def without_texts(self) -> Outcome:
        """This outcome once its output is written: findings, ledger line and counts, no
        texts (what a worker sends back when the parent needs nothing else)."""
        if self.result is None or self.output is None:
            return self
        return Outcome(self.source, None, self.findings, line=self.line, summary=self.summary,
                       written=(self.changed, self.edits, self.input_bytes),
                       rows_line=self.rows_line)


def process_read(
    source: Source, read: ReadResult, settings: Settings, opts: Options, run: RunInfo
) -> Outcome:
    """Check or clean one already-read document."""
    doc = read.document
    if doc is None:
        return Outcome(source, None, list(read.problems))
    problems = [f for f in read.problems if f.code in {a.rule.code for a in
                                                       settings.for_path(doc.path)}
                ] if read.problems else []
    if not opts.fix:
        return Outcome(source, doc, problems + check(doc, settings, debug=opts.debug))
    try:
        result = clean(doc, settings, unsafe=opts.unsafe, debug=opts.debug,
                       first_findings=opts.first_findings)
    except ConvergenceError as exc:
        result = _left_as_read(doc, settings, opts, str(exc))
    output = encode(result.text, doc.decoding)
    if opts.records:
        record = build_record(result, settings, run, output, output_path=source.rel,
                              text_mode=opts.text_mode)
    else:  # nothing keeps it; a bad text mode is still an error, as when it is built
        check_text_mode(opts.text_mode)
        record = None
    return Outcome(source, doc, problems + list(result.remaining), result, output, record)


def _left_as_read(doc: Document, settings: Settings, opts: Options, why: str) -> CleanResult:
    """The result of a document whose fixes never settle (a rule bug, ``ConvergenceError``):
    no edit, a PL907 finding and the rules' findings on the text as read. The run goes on
    and writes the document unchanged, as for a rule that crashes (PL904)."""
    stuck = input_finding(doc.id, "PL907", "fixes-not-converging",
                          f"{why.removeprefix(doc.id + ': ')}; the document is left as read")
    remaining = (stuck, *check(doc, settings, debug=opts.debug))
    return CleanResult(doc, doc.text, (), remaining, {}, 0,
                       remaining if opts.first_findings else ())


def process(source: Source, settings: Settings, opts: Options, run: RunInfo) -> Outcome:
    """Read, then check or clean, one source file (a source with a problem is not read)."""
    read = (ReadResult(None, [source.problem]) if source.problem is not None
            else read_document(source.path, source.id, opts.max_document_bytes))
    return process_read(source, attach(read, source.path), settings, opts, run)


@contextlib.contextmanager
def fewer_collections(threshold: int = 10_000) -> Iterator[None]:
    """Run a batch of documents with the cyclic garbage collector's youngest generation
    collected every ``threshold`` net allocations of containers instead of every 700.

    Cleaning a document makes tens of thousands of short-lived containers (hits,
    spans, fixes, tuples) that reference counting frees; the collections they
    trigger, and the full ones those escalate to, walk the whole rule set (its
    patterns, tables and models) again and again: ~3% of a fix run's instructions.
    No output depends on when a cycle is collected. The old threshold is back
    when the block ends.
    """
    old = gc.get_threshold()
    gc.set_threshold(threshold, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
