"""Reading documents losslessly and writing outputs atomically.

Decoding policy: UTF-8 (a UTF-8 BOM is remembered and stripped); otherwise
cp1252 when the bytes hold no valid multi-byte UTF-8 sequence and every
byte maps; otherwise UTF-8 with ``surrogateescape``, which keeps each broken
byte as a lone surrogate. ``encode(decode(b)) == b`` for every input.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from .errors import InputError
from .model import Decoding, Document, Finding, Severity, Span

BOM = b"\xef\xbb\xbf"
DEFAULT_INCLUDE = ("*.txt", "*.md")
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
                   ".provlint_cache", ".tox", ".mypy_cache", ".ruff_cache")
_MULTIBYTE_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, n in (("lf", lf), ("crlf", crlf), ("cr", cr)) if n]
    return kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none")


def decode(data: bytes) -> tuple[str, Decoding]:
    """Bytes to text, losslessly; see the module docstring for the policy."""
    bom = data.startswith(BOM)
    body = data[len(BOM):] if bom else data
    try:
        text = body.decode("utf-8")
        return text, Decoding("utf-8", bom, newline_style(text), "strict")
    except UnicodeDecodeError:
        pass
    if not bom and not _MULTIBYTE_RE.search(body):
        try:
            text = body.decode("cp1252")
            return text, Decoding("cp1252", False, newline_style(text), "strict")
        except UnicodeDecodeError:
            pass
    text = body.decode("utf-8", "surrogateescape")
    return text, Decoding("utf-8", bom, newline_style(text), "surrogateescape")


def encode(text: str, decoding: Decoding) -> bytes:
    """Text back to bytes exactly as ``decode`` read them."""
    data = text.encode(decoding.encoding, decoding.errors)
    return BOM + data if decoding.bom else data


def input_finding(doc_id: str, code: str, name: str, message: str,
                  severity: Severity = Severity.ERROR) -> Finding:
    """A file-level finding (no position in the text)."""
    return Finding(code, name, doc_id, Span(0, 0), 1, 1, 1, 1, message, severity, path=doc_id)


@dataclass(frozen=True)
class ReadResult:
    """A decoded document (or None when it cannot be used) and input findings."""

    document: Document | None
    problems: list[Finding] = field(default_factory=list)


def document_from_bytes(doc_id: str, data: bytes, path: str | None = None) -> ReadResult:
    """Decode bytes into a Document; binary data is a finding, not a document."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return ReadResult(None, [input_finding(
            doc_id, "PL902", "binary-file",
            f"binary file (NUL byte at offset {nul}); not checked, nothing written",
        )])
    text, decoding = decode(data)
    doc = Document(doc_id, text, path or doc_id, decoding, sha256(data), len(data))
    problems = []
    if decoding.encoding != "utf-8" or decoding.errors != "strict":
        bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
        how = (f"decoded as {decoding.encoding}" if decoding.encoding != "utf-8"
               else f"{bad} undecodable byte{'s' if bad != 1 else ''} kept as-is")
        problems.append(input_finding(doc_id, "PL903", "not-utf8",
                                      f"not valid UTF-8: {how}", Severity.WARNING))
    return ReadResult(doc, problems)


def read_document(path: Path, doc_id: str) -> ReadResult:
    """Read one file; an OS error becomes a PL901 finding."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return ReadResult(None, [input_finding(doc_id, "PL901", "unreadable-file",
                                               f"cannot read file: {reason}")])
    return document_from_bytes(doc_id, data, doc_id)


@dataclass(frozen=True)
class Source:
    """One input file: where it is, its display id, its path under an output dir."""

    path: Path
    id: str
    rel: str


def _display(path: Path) -> str:
    # abspath, not resolve: a symlink is shown under its own name, not its target's
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _excluded(rel: str, exclude: Sequence[str]) -> bool:
    parts = rel.split("/")
    return any(fnmatch(rel, pat) or any(fnmatch(p, pat) for p in parts) for pat in exclude)


def discover(
    paths: Sequence[str],
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = (),
) -> Iterator[Source]:
    """Expand files and folders (recursively, sorted) into sources.

    A path that does not exist is a usage error; files named explicitly are
    taken whatever their extension.
    """
    excl = (*DEFAULT_EXCLUDE, *exclude)
    for raw in paths:  # every path first, so a typo fails before any file is written
        if not os.path.lexists(raw):
            raise InputError(f"path does not exist: {raw}")
    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            yield Source(p, _display(p), p.name if p.is_absolute() or ".." in p.parts
                         else p.as_posix())
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            base = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames
                                 if not _excluded((base / d).relative_to(p).as_posix(), excl))
            for name in sorted(filenames):
                f = base / name
                rel = f.relative_to(p).as_posix()
                if _excluded(rel, excl) or not any(fnmatch(name, g) for g in include):
                    continue
                yield Source(f, _display(f), rel)


def write_atomic(path: Path, data: bytes, like: Path | None = None) -> None:
    """Write ``data`` to ``path`` via a temp file and rename (mode of ``like`` kept).

    A file with several hard links is rewritten in place instead, so every
    link sees the new text.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    ref = like if like is not None else path
    try:
        st = ref.stat()
    except FileNotFoundError:
        st = None
    if like is not None and st is not None and st.st_nlink > 1 and like == path:
        with open(path, "r+b") as fh:
            fh.write(data)
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown"):
                with contextlib.suppress(PermissionError):
                    os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
