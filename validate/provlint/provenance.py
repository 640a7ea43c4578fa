"""Provenance records: one JSONL line per document per run.

A record holds what came in (digest, size, decoding facts), what went out,
which tool and resolved rule set did it, and every applied edit with the
text it removed, so ``restore_bytes(output, record)`` rebuilds the input
byte for byte. The shape follows ANCHORS.md §4.1 (``provlint.provenance/v1``).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .engine import restore
from .errors import IntegrityError
from .io import encode, sha256
from .model import Applicability, AppliedEdit, CleanResult, Decoding, Finding, Span
from .ruleset import Settings

SCHEMA = "provlint.provenance/v1"
OFFSETS = "unicode-code-points-of-decoded-input"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class RunInfo:
    """Identity of one provlint run, shared by all its records."""

    mode: str
    argv: Sequence[str] = field(default_factory=lambda: list(sys.argv))
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: str = field(default_factory=now)


@functools.cache
def _installed_deps() -> tuple[tuple[str, str], ...]:
    from importlib import metadata as importlib_metadata  # slow to import; fix path only

    out = {}
    for name in ("ftfy",):
        with contextlib.suppress(importlib_metadata.PackageNotFoundError):
            out[name] = importlib_metadata.version(name)
    return tuple(out.items())


def _deps() -> dict[str, str]:
    """Versions of the fixer dependencies (looked up once per process)."""
    return dict(_installed_deps())


def _has_surrogates(s: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in s)


def edit_record(a: AppliedEdit, decoding: Decoding, text_mode: str = "full") -> dict[str, Any]:
    """One applied edit as a JSON-ready dict."""
    op = "delete" if not a.after else ("insert" if not a.before else "replace")
    rec: dict[str, Any] = {
        "rule": a.code,
        "pass": a.pass_no,
        "op": op,
        "in_span": [a.span.start, a.span.end],
        "out_span": [a.out_start, a.out_start + len(a.after)],
        "fix": a.applicability.value,
    }
    if text_mode == "full":
        rec["removed"] = a.before
        if _has_surrogates(a.before):
            rec["removed_b64"] = base64.b64encode(encode(a.before, Decoding(
                decoding.encoding, False, decoding.newline, "surrogateescape"))).decode()
    elif text_mode == "hash":
        rec["removed_sha256"] = sha256(a.before.encode("utf-8", "surrogatepass"))
    rec["inserted"] = a.after
    return rec


def finding_record(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "name": f.name, "line": f.line, "col": f.col,
            "span": [f.span.start, f.span.end], "severity": f.severity.label,
            "message": f.message}


def build_record(
    result: CleanResult,
    settings: Settings,
    run: RunInfo,
    output: bytes,
    *,
    output_path: str | None = None,
    text_mode: str = "full",
) -> dict[str, Any]:
    """The provenance record of one cleaned document."""
    doc = result.document
    d = doc.decoding
    return {
        "schema": SCHEMA,
        "doc": {"id": doc.id, "path": doc.path},
        "source": dict(doc.source),
        "input": {"digest": doc.input_sha256, "bytes": doc.input_bytes, "encoding": d.encoding,
                  "bom": d.bom, "newline": d.newline, "errors": d.errors},
        "output": {"digest": sha256(output), "bytes": len(output), "path": output_path},
        "tool": {"name": "provlint", "version": __version__,
                 "ruleset": {"id": settings.ruleset_id, "version": settings.ruleset_version,
                             "digest": settings.digest},
                 "deps": _deps()},
        "run": {"id": run.id, "started": run.started, "finished": now(), "mode": run.mode,
                "argv": list(run.argv)},
        "offsets": OFFSETS,
        "text": text_mode,
        "passes": result.passes,
        "edits": [edit_record(a, d, text_mode) for a in result.applied],
        "metadata": dict(result.metadata),
        "unfixed": [finding_record(f) for f in result.remaining],
    }


def applied_from(record: Mapping[str, Any]) -> list[AppliedEdit]:
    """The record's edits as AppliedEdit values (needs removed text)."""
    out = []
    for e in record["edits"]:
        if "removed" not in e:
            raise IntegrityError(
                f"{record['doc']['id']}: the ledger was written with "
                f"--provenance-text={record.get('text', '?')}; restore needs 'full'"
            )
        out.append(AppliedEdit(e["rule"], int(e["pass"]), Span(*e["in_span"]), e["removed"],
                               e["inserted"], int(e["out_span"][0]),
                               Applicability(e.get("fix", "safe"))))
    return out


def decoding_of(record: Mapping[str, Any]) -> Decoding:
    i = record["input"]
    return Decoding(i["encoding"], bool(i["bom"]), i["newline"], i.get("errors", "strict"))


def restore_bytes(output: bytes, record: Mapping[str, Any]) -> bytes:
    """Rebuild the input bytes from the cleaned bytes and the record; verify the digest."""
    d = decoding_of(record)
    body = output[3:] if d.bom and output.startswith(b"\xef\xbb\xbf") else output
    cleaned = body.decode(d.encoding, d.errors)
    raw = encode(restore(cleaned, applied_from(record)), d)
    if sha256(raw) != record["input"]["digest"]:
        raise IntegrityError(f"{record['doc']['id']}: restored bytes do not match the "
                             f"recorded input digest {record['input']['digest']}")
    return raw


class Ledger:
    """Append-only JSONL writer: each record is one write() of one whole line
    under an exclusive lock, so concurrent runs never interleave half lines."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, record: Mapping[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=True, sort_keys=False) + "\n").encode("ascii")
        try:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - not POSIX
            fcntl = None  # type: ignore[assignment]
        try:
            view = memoryview(line)
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
        finally:
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_ledger(path: Path) -> list[dict[str, Any]]:
    """All complete records of a ledger (a torn last line is ignored)."""
    out = []
    with open(path, encoding="ascii") as fh:
        for line in fh:
            if not line.endswith("\n"):
                break
            out.append(json.loads(line))
    return out
