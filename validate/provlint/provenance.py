"""Provenance records: one JSONL line per document per run.

A record holds what came in (digest, size, decoding facts), what went out,
which tool and resolved rule set did it, and every applied edit with the
text it removed, so ``restore_bytes(output, record)`` rebuilds the input
byte for byte. The shape follows ANCHORS.md §4.1 (``provlint.provenance/v1``).

Each edit carries two coordinate systems: ``in_span``/``out_span`` in code
points of the decoded text (readable), and ``in_bytes``/``out_bytes`` in
bytes of the encoded file of that pass, BOM included (``byte_offsets``).
With the byte spans and the removed bytes (``removed_b64`` when the removed
text holds undecodable bytes, else ``removed`` encoded in the input's
encoding) any consumer can undo the edits on the cleaned file's bytes
without decoding anything; ``restore_bytes`` does exactly that.
"""

from __future__ import annotations

import bisect
import functools
import os
import sys
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from datetime import UTC, datetime
from typing import Any

from . import __version__, rx
from .dists import installed_version
from .errors import IntegrityError
from .io import BOMS, encode, sha256
from .model import AppliedEdit, CleanResult, Decoding, Finding
from .native import SPEEDUPS as _C
from .record import dataclass
from .record import set_field as _set
from .ruleset import Settings

SCHEMA = "provlint.provenance/v1"
OFFSETS = "unicode-code-points-of-decoded-input"
BYTE_OFFSETS = "bytes-of-encoded-file-including-bom"
TEXT_MODES = ("full", "hash", "none")
_EMPTY_SHA = sha256(b"")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def command_line() -> list[str]:
    """This process's arguments with the program named ``provlint``: where it is installed
    (``/home/<user>/.cache/pre-commit/<repo>/py_env-.../bin/provlint``, or the package's
    ``__main__.py`` under ``python -m``) says nothing of the run, and a ledger committed
    to a repository would carry each machine's user name and folders."""
    return ["provlint", *sys.argv[1:]]


@dataclass(frozen=True)
class RunInfo:
    """Identity of one provlint run, shared by all its records."""

    mode: str
    argv: Sequence[str] = field(default_factory=command_line)
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: str = field(default_factory=now)

    def __init__(self, mode: str, argv: Sequence[str] | None = None, id: str | None = None,
                 started: str | None = None) -> None:
        _set(self, "mode", mode)
        _set(self, "argv", command_line() if argv is None else argv)
        _set(self, "id", str(uuid.uuid4()) if id is None else id)
        _set(self, "started", now() if started is None else started)


# A record keeps the run's first arguments: a pre-commit or xargs run hands provlint
# thousands of paths, and each record carrying all of them made the ledger grow with
# the square of the run. The run log's start event (``ledger.RunLog``) keeps them all.
ARGV_IN_RECORD = 64


def run_fields(run: RunInfo) -> dict[str, Any]:
    """The ``run`` part of a document's record: the run's identity, the time it is made,
    and at most ``ARGV_IN_RECORD`` arguments (``argv_omitted``: how many more there were)."""
    argv = run.argv
    fields: dict[str, Any] = {"id": run.id, "started": run.started, "finished": now(),
                              "mode": run.mode, "argv": list(argv[:ARGV_IN_RECORD])}
    if len(argv) > ARGV_IN_RECORD:
        fields["argv_omitted"] = len(argv) - ARGV_IN_RECORD
    return fields


@functools.cache
def _installed_deps() -> tuple[tuple[str, str], ...]:
    out = {}
    for name in ("ftfy",):
        version = installed_version(name)  # not importlib.metadata: ~25 ms of every fix
        if version is not None:
            out[name] = version
    return tuple(out.items())


def _deps() -> dict[str, str]:
    """Versions of the fixer dependencies (looked up once per process)."""
    return dict(_installed_deps())


_SURROGATE_RE = rx.compile("[\ud800-\udfff]")


def has_surrogates(s: str) -> bool:
    """True when ``s`` holds lone surrogates (undecodable bytes kept by surrogateescape)."""
    return not s.isascii() and _SURROGATE_RE.search(s) is not None  # ~10x a per-char any()


def printable(s: str) -> str:
    """``s`` with lone surrogates shown as U+FFFD: valid Unicode for any JSON reader."""
    if not has_surrogates(s):
        return s
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in s)


def tool_info(settings: Settings) -> dict[str, Any]:
    """The ``tool`` section: provlint version, rule set identity and digest, deps."""
    return {"name": "provlint", "version": __version__,
            "ruleset": {"id": settings.ruleset_id, "version": settings.ruleset_version,
                        "digest": settings.digest},
            "deps": _deps()}


def _body(decoding: Decoding) -> Decoding:
    return Decoding(decoding.encoding, False, decoding.newline, decoding.errors)


def _pass_order(applied: Sequence[AppliedEdit]) -> list[list[int]]:
    """The indices of ``applied``, pass by pass, each pass's edits in text order."""
    order = None if _C is None else _C.pass_order(applied)  # None: not all plain ints
    return _pass_order_py(applied) if order is None else order


def _pass_order_py(applied: Sequence[AppliedEdit]) -> list[list[int]]:
    """``_pass_order``: a stable sort by (pass, start, end), split where the pass changes."""
    keys = [(a.pass_no, a.span.start, a.span.end) for a in applied]
    order = sorted(range(len(keys)), key=keys.__getitem__)  # the engine's order: one C pass
    passes = [keys[i][0] for i in order]
    return [order[bisect.bisect_left(passes, p):bisect.bisect_right(passes, p)]
            for p in sorted(set(passes))]


def _after_pass_py(text: str, applied: Sequence[AppliedEdit], todo: list[int]) -> str:
    """The text a pass's edits (``todo``, in text order) made of ``text``. The C twin,
    ``_speedups.after_pass``, joins the same pieces without a Python step per edit."""
    parts: list[str] = []
    pos = 0
    for i in todo:
        a = applied[i]
        parts += (text[pos:a.span.start], a.after)
        pos = a.span.end
    parts.append(text[pos:])
    return "".join(parts)


_after_pass = _after_pass_py if _C is None else _C.after_pass


def edit_records(original: str, applied: Sequence[AppliedEdit], decoding: Decoding,
                 text_mode: str = "full") -> list[dict[str, Any]]:
    """Each applied edit (same order) as a JSON-ready dict (see the module docstring).

    One walk over each pass's text gives the byte spans (``_pass_records``).
    """
    wide = decoding.encoding.startswith("utf-16")  # spans counted in code points first
    single = wide or decoding.encoding == "cp1252"  # one byte per code point (cp1252)
    body = _body(decoding)
    base = len(BOMS[decoding.encoding]) if decoding.bom and not wide else 0
    records: list[dict[str, Any]] = [{}] * len(applied)
    fill = _pass_records if decoding.encoding in ("utf-8", "cp1252") else _pass_records_py

    def nbytes(piece: str) -> int:
        return len(encode(piece, body))

    def texts(before: str, after: str) -> dict[str, str]:
        return _texts(before, after, body, text_mode)

    text = original
    passes = _pass_order(applied)
    for n, todo in enumerate(passes, 1):
        one_byte = single or text.isascii()  # then every piece's bytes are its code points
        fill(records, applied, todo, text, one_byte, single, base, text_mode == "full",
             nbytes, texts)
        if n < len(passes) or wide:
            after = _after_pass(text, applied, todo)
            if wide:
                _utf16_spans([records[i] for i in todo], text, after, len(BOMS[body.encoding]))
            text = after
    return records


def _utf16_spans(records: list[dict[str, Any]], before: str, after: str, bom: int) -> None:
    """Turn one pass's spans, counted in code points, into UTF-16 byte offsets:
    two bytes a code unit (a code point above U+FFFF takes two), after the BOM."""
    def offsets(text: str) -> Callable[[int], int]:
        astral = [i for i, ch in enumerate(text) if ch > "\uffff"] if not text.isascii() else []
        return lambda cp: bom + 2 * (cp + bisect.bisect_left(astral, cp))

    at_in, at_out = offsets(before), offsets(after)
    for rec in records:
        rec["in_bytes"] = [at_in(c) for c in rec["in_bytes"]]
        rec["out_bytes"] = [at_out(c) for c in rec["out_bytes"]]


def _pass_records_py(records: list[dict[str, Any]], applied: Sequence[AppliedEdit],
                     todo: list[int], text: str, one_byte: bool, single: bool, base: int,
                     plain: bool, nbytes: Callable[[str], int],
                     texts: Callable[[str, str], dict[str, str]]) -> None:
    """``records[i]`` for each edit ``applied[i]`` of one pass (``todo``: in text order).

    An edit starts where the one before it ended plus the bytes of the text
    between them (their code points when ``one_byte``: the pass's text is ASCII
    or the encoding takes one byte per code point, ``single``), and the bytes
    before and after the pass differ by the edits so far (``delta``). ``base``
    is the BOM's bytes, ``nbytes`` a piece's encoded size, ``texts`` an edit's
    removed and inserted text when ``plain`` (full text) and ASCII do not say it.
    The C twin, ``_speedups.pass_records``, counts UTF-8 bytes itself (only
    pieces with lone surrogates go to ``nbytes``), so it serves UTF-8 and cp1252.
    """
    pos, at, delta = 0, base, 0
    for i in todo:
        a = applied[i]
        before, after, start = a.before, a.after, a.span.start
        if one_byte:
            at += start - pos  # the bytes of the text between this edit and the last
            nb = len(before)
        else:
            gap = text[pos:start]
            at += len(gap) if gap.isascii() else nbytes(gap)
            nb = len(before) if before.isascii() else nbytes(before)
        na = len(after) if single or after.isascii() else nbytes(after)
        rec = records[i] = {
            "rule": a.code,
            "pass": a.pass_no,
            "op": "delete" if not after else ("insert" if not before else "replace"),
            "in_span": [start, a.span.end],
            "out_span": [a.out_start, a.out_start + len(after)],
            "fix": a.applicability._value_,  # ``.value``, without the enum property's call
            "in_bytes": [at, at + nb],
            "out_bytes": [at + delta, at + delta + na],
        }
        if plain and before.isascii() and after.isascii():  # most edits
            rec["removed"], rec["inserted"] = before, after
        else:
            rec.update(texts(before, after))
        at += nb
        delta += na - nb
        pos = a.span.end


_pass_records = _pass_records_py if _C is None else _C.pass_records


def _texts(before: str, after: str, body: Decoding, text_mode: str) -> dict[str, str]:
    """An edit's removed text (or its digest: ``text_mode``) and inserted text."""
    rec: dict[str, str] = {}
    if text_mode == "full" or not before:
        if before.isascii():  # most removed text: nothing to check for undecodable bytes
            rec["removed"] = before
        else:
            rec["removed"] = printable(before)
            if has_surrogates(before):  # the removed bytes only when the text cannot hold them
                import base64  # only for bytes that are not text: not on every run

                rec["removed_b64"] = base64.b64encode(encode(before, body)).decode("ascii")
    elif text_mode == "hash":
        rec["removed_sha256"] = (_short_sha256(before, body.encoding, body.errors)
                                 if len(before) <= _SHORT else sha256(encode(before, body)))
    rec["inserted"] = after if after.isascii() else printable(after)
    return rec


_SHORT = 64  # removed pieces up to this many characters have their digests kept


@functools.lru_cache(maxsize=1024)
def _short_sha256(before: str, encoding: str, errors: str) -> str:
    """The digest of a short removed piece in the file's encoding (a body: no BOM).

    Most removed text is one of a few short pieces (a space, a blank line, a
    tab), whose hashing is nearly all set-up, so their digests are kept; longer
    pieces (a repeated block can be megabytes) are hashed each time, so the
    cache never holds more than 1024 short strings.
    """
    return sha256(before.encode(encoding, errors))


def finding_record(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "name": f.name, "line": f.line, "col": f.col,
            "span": [f.span.start, f.span.end], "severity": f.severity.label,
            "message": printable(f.message)}


def check_text_mode(text_mode: str) -> None:
    """Raise ValueError unless ``text_mode`` is one of ``TEXT_MODES``."""
    if text_mode not in TEXT_MODES:
        raise ValueError(f"provenance text mode must be one of {TEXT_MODES}, not {text_mode!r}")


def build_record(
    result: CleanResult,
    settings: Settings,
    run: RunInfo,
    output: bytes,
    *,
    output_path: str | None = None,
    text_mode: str = "full",
) -> dict[str, Any]:
    """The provenance record of one cleaned document.

    ``output_path`` is the document's path under an output folder (its
    ``rel``); writers replace ``output.path`` with where the file really went.
    """
    check_text_mode(text_mode)
    doc = result.document
    d = doc.decoding
    return {
        "schema": SCHEMA,
        "doc": {"id": doc.id, "path": doc.path, "rel": output_path},
        "source": dict(doc.source) or {"path": doc.path},
        "input": {"digest": doc.input_sha256, "bytes": doc.input_bytes, "encoding": d.encoding,
                  "bom": d.bom, "newline": d.newline, "errors": d.errors},
        "output": {"digest": sha256(output), "bytes": len(output), "path": output_path},
        "tool": tool_info(settings),
        "run": run_fields(run),
        "offsets": OFFSETS,
        "byte_offsets": BYTE_OFFSETS,
        "text": text_mode,
        "passes": result.passes,
        "edits": edit_records(doc.text, result.applied, d, text_mode),
        "metadata": dict(result.metadata),
        "unfixed": [finding_record(f) for f in result.remaining],
    }


def needs_full_text(record: Mapping[str, Any]) -> str | None:
    """Why this record cannot be restored (it lacks removed text), or None."""
    if all("removed" in e or "removed_b64" in e or e.get("removed_sha256") == _EMPTY_SHA
           for e in record.get("edits", ())):
        return None
    mode = record.get("text", "?")
    return (f"{record['doc']['id']}: cannot restore: the ledger was written with "
            f"--provenance-text={mode}, which keeps {'only hashes of' if mode == 'hash' else 'no'}"
            f" removed text; restore needs --provenance-text=full (the default)")


def removed_bytes(edit: Mapping[str, Any], encoding: str) -> bytes:
    """The bytes an edit removed, in the input's encoding."""
    if "removed_b64" in edit:
        import base64

        return base64.b64decode(edit["removed_b64"], validate=True)
    if "removed" in edit:
        return str(edit["removed"]).encode(encoding)
    if edit.get("removed_sha256") == _EMPTY_SHA:
        return b""
    raise IntegrityError("an edit without its removed text")


def _undo_pass(data: bytes, edits: Sequence[Mapping[str, Any]], encoding: str) -> bytes:
    parts: list[bytes] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e["out_bytes"][0], e["in_bytes"][0])):
        start, end = int(e["out_bytes"][0]), int(e["out_bytes"][1])
        if not pos <= start <= end <= len(data):
            raise IntegrityError(f"edit byte span {[start, end]} does not fit the cleaned bytes")
        parts += [data[pos:start], removed_bytes(e, encoding)]
        pos = end
    parts.append(data[pos:])
    return b"".join(parts)


def restore_bytes(output: bytes, record: Mapping[str, Any]) -> bytes:
    """Rebuild the input bytes from the cleaned bytes and the record; verify the digest.

    Works on bytes only: each pass's edits, newest pass first, put their
    removed bytes back at their ``out_bytes`` span.
    """
    why = needs_full_text(record)
    if why:
        raise IntegrityError(why)
    encoding = str(record["input"]["encoding"])
    edits = record["edits"]
    if any("out_bytes" not in e for e in edits):
        raise IntegrityError(f"{record['doc']['id']}: record has no byte spans "
                             f"(written by an older provlint); cannot restore")
    raw = output
    for pass_no in sorted({int(e["pass"]) for e in edits}, reverse=True):
        raw = _undo_pass(raw, [e for e in edits if int(e["pass"]) == pass_no], encoding)
    if sha256(raw) != record["input"]["digest"]:
        raise IntegrityError(f"{record['doc']['id']}: restored bytes do not match the "
                             f"recorded input digest {record['input']['digest']}")
    return raw


def file_path(section: Mapping[str, Any]) -> str | None:
    """A record section's ``path``, exact even for names with undecodable bytes."""
    if "path_b64" in section:
        import base64

        return os.fsdecode(base64.b64decode(section["path_b64"]))
    path = section.get("path")
    return None if path is None else str(path)


def __getattr__(name: str) -> Any:
    """``Ledger`` and ``read_ledger`` moved to ``provlint.ledger``; still importable here."""
    if name in ("Ledger", "read_ledger", "RunLog"):
        from . import ledger

        return getattr(ledger, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
