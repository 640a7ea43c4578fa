"""Reading documents losslessly, and finding them (``discover``).

Decoding policy: UTF-16 when the bytes start with a UTF-16 BOM and hold NUL
bytes (they would be binary otherwise) and decode strictly, without NUL;
otherwise UTF-8 (a UTF-8 BOM is remembered and stripped); otherwise
cp1252 when the bytes hold no valid multi-byte UTF-8 sequence and every
byte maps; otherwise UTF-8 with ``surrogateescape``, which keeps each broken
byte as a lone surrogate. ``encode(decode(b)) == b`` for every input, and
the engine keeps ``decode(encode(t)) == t`` for every text it writes
(``reads_back``).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import field
from pathlib import Path
from typing import IO, Any

from . import rx
from .atomic import locked
from .errors import ConfigError
from .lines import newline_style
from .model import Decoding, Document, Finding, Severity, Span
from .record import dataclass
from .record import set_field as _set

BOM = b"\xef\xbb\xbf"
# the byte-order mark each encoding the reader picks writes (UTF-16 only with one)
BOMS = {"utf-8": BOM, "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
DEFAULT_INCLUDE = ("*.txt", "*.md")
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
                   ".provlint_cache", ".tox", ".mypy_cache", ".ruff_cache",
                   "*.meta.json")  # source-metadata sidecars (provlint.sidecar)
# Record files: each record is a document (provlint.corpus reads them for ``report``).
CORPUS_SUFFIXES = ((".jsonl", "jsonl"), (".jsonl.gz", "jsonl"), (".jsonl.zst", "jsonl"),
                   (".parquet", "parquet"))
_MULTIBYTE_RE = rx.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
# Documents above this many bytes are reported (PL905), not read. Cleaning
# holds about 20x a document's size at peak (text, lines, findings, output;
# bench/hostile_memory.py measures it), so 16 MiB keeps a worker under ~350 MB.
DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
_SIZE_RE = rx.compile(r"^\s*(\d+)\s*([kmgt]?)(i?b?)\s*$", re.IGNORECASE)


def parse_size(value: str | int) -> int:
    """``65536``, ``64k``, ``64MiB``, ``1GB`` -> bytes (k/M/G/T are powers of 1024)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    m = _SIZE_RE.match(str(value))
    if not m or int(m.group(1)) <= 0:
        raise ConfigError(f"max-document-bytes: not a positive size: {value!r} (e.g. 64MiB)")
    return int(m.group(1)) << (10 * " kmgt".index(m.group(2).lower() or " "))


def _builtin_sha256() -> Any:
    for name in ("_sha2", "_sha256"):  # the module's name from Python 3.12 on, and before
        with contextlib.suppress(ImportError, AttributeError):
            return importlib.import_module(name).sha256
    return None


# hashlib's first import initialises OpenSSL (about 3 ms of a commit hook's
# start-up); the interpreter's own SHA-256 gives the same digests but takes
# ~5x longer per byte (26 us vs 5 us for 8 KB). So a process hashes with the
# built-in one until it has hashed about as many bytes as make up for that
# import (~1 MiB: a commit hook never gets there), then with OpenSSL's.
_builtin = _builtin_sha256()
_builtin_left = 1 << 20 if _builtin is not None else -1  # bytes it may still take
_openssl: Callable[[bytes], Any] | None = None


def sha256(data: bytes) -> str:
    """``sha256:<hex digest>`` of ``data``."""
    global _builtin_left, _openssl
    if _builtin_left >= len(data):
        _builtin_left -= len(data)
        return "sha256:" + str(_builtin(data).hexdigest())
    if _openssl is None:
        import hashlib

        _openssl, _builtin_left = hashlib.sha256, -1
    return "sha256:" + _openssl(data).hexdigest()


def _newlines(text: str) -> str:
    """``newline_style(text)``; a text without CR (nearly every one) needs no counting."""
    if "\r" not in text:
        return "lf" if "\n" in text else "none"
    return newline_style(text)


def _utf16(data: bytes) -> tuple[str, Decoding] | None:
    """``data`` as UTF-16 when it starts with a UTF-16 byte-order mark and holds NUL
    bytes (as UTF-16 text with any ASCII does; without them the other readings
    stand, as they always have) and decodes strictly to text without NUL; else None."""
    enc = ("utf-16-le" if data.startswith(b"\xff\xfe") else
           "utf-16-be" if data.startswith(b"\xfe\xff") else None)
    if enc is None or b"\x00" not in data:
        return None
    try:
        text = data[2:].decode(enc)
    except UnicodeDecodeError:  # an odd length, a lone surrogate: not UTF-16 after all
        return None
    if "\x00" in text:  # UTF-32, or binary that starts like UTF-16
        return None
    return text, Decoding(enc, True, _newlines(text), "strict")


def decode(data: bytes) -> tuple[str, Decoding]:
    """Bytes to text, losslessly; see the module docstring for the policy."""
    wide = _utf16(data) if data[:1] in (b"\xff", b"\xfe") else None
    if wide is not None:
        return wide
    bom = data.startswith(BOM)
    body = data[len(BOM):] if bom else data
    try:
        text = body.decode("utf-8")
        return text, Decoding("utf-8", bom, _newlines(text), "strict")
    except UnicodeDecodeError:
        pass
    if not bom and not _MULTIBYTE_RE.search(body):
        try:
            text = body.decode("cp1252")
            return text, Decoding("cp1252", False, _newlines(text), "strict")
        except UnicodeDecodeError:
            pass
    text = body.decode("utf-8", "surrogateescape")
    return text, Decoding("utf-8", bom, _newlines(text), "surrogateescape")


def encode(text: str, decoding: Decoding) -> bytes:
    """Text back to bytes exactly as ``decode`` read them."""
    data = text.encode(decoding.encoding, decoding.errors)
    return BOMS[decoding.encoding] + data if decoding.bom else data


def reads_back(text: str, decoding: Decoding) -> bool:
    """Whether ``text`` written with ``decoding`` is read again as ``text``.

    The decoding policy looks at the bytes, so an edit can change its choice:
    deleting ``\x01`` from cp1252 ``Ö\x01‘`` leaves the bytes ``d6 91``, valid
    UTF-8 for ``\u0591``, and deleting whatever stood before a U+FEFF makes it
    a BOM. The engine applies an edit only when its output still reads back,
    so a second run sees the text the first one wrote (fixing stays
    idempotent); the input bytes are untouched, so restore stays exact.
    """
    if "\x00" in text:  # NUL makes it binary (PL902)
        return False
    if not decoding.bom and text.startswith("\ufeff"):
        return False
    if decoding.encoding == "utf-8" and decoding.errors == "strict":
        return True  # valid UTF-8 decodes as itself
    try:
        data = encode(text, decoding)
    except UnicodeEncodeError:
        return False
    return decode(data)[0] == text


def input_finding(doc_id: str, code: str, name: str, message: str,
                  severity: Severity = Severity.ERROR, path: str | None = None) -> Finding:
    """A file-level finding (no position in the text), reported under ``path``: the
    document's path when it differs from its id (a record: ``<shard>#<id>@<row>``)."""
    return Finding(code, name, doc_id, Span(0, 0), 1, 1, 1, 1, message, severity,
                   path=path or doc_id)


@dataclass(frozen=True)
class ReadResult:
    """A decoded document (or None when it cannot be used) and input findings."""

    document: Document | None
    problems: list[Finding] = field(default_factory=list)

    def __init__(self, document: Document | None, problems: list[Finding] | None = None) -> None:
        _set(self, "document", document)
        _set(self, "problems", [] if problems is None else problems)


NOT_WRITTEN = "nothing written"
PASSED = "passed through unchanged"  # a record's text: its shard's output keeps it


def too_large(doc_id: str, size: int, limit: int, path: str | None = None,
              outcome: str = NOT_WRITTEN) -> ReadResult:
    """The PL905 result for a document over ``--max-document-bytes``; ``outcome``
    says what becomes of it."""
    return ReadResult(None, [input_finding(
        doc_id, "PL905", "document-too-large",
        f"document has {size} bytes or more, above max-document-bytes={limit}; not read, "
        f"{outcome}", path=path,
    )])


def document_from_bytes(doc_id: str, data: bytes, path: str | None = None,
                        max_bytes: int | None = None,
                        outcome: str = NOT_WRITTEN) -> ReadResult:
    """Decode bytes into a Document; binary or oversized data is a finding, not a
    document (``outcome``: what becomes of it, for the finding's message)."""
    if max_bytes is not None and len(data) > max_bytes:
        return too_large(doc_id, len(data), max_bytes, path, outcome)
    nul = data.find(b"\x00")
    if nul >= 0 and (data[:1] not in (b"\xff", b"\xfe") or _utf16(data) is None):
        return ReadResult(None, [input_finding(
            doc_id, "PL902", "binary-file",
            f"binary file (NUL byte at offset {nul}); not checked, {outcome}", path=path,
        )])
    text, decoding = decode(data)
    doc = Document(doc_id, text, path or doc_id, decoding, sha256(data), len(data))
    problems = []
    if decoding.encoding != "utf-8" or decoding.errors != "strict":
        bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
        how = (f"decoded as {decoding.encoding}" if decoding.encoding != "utf-8"
               else f"{bad} undecodable byte{'s' if bad != 1 else ''} kept as-is")
        problems.append(input_finding(doc_id, "PL903", "not-utf8",
                                      f"not valid UTF-8: {how}", Severity.WARNING, path))
    return ReadResult(doc, problems)


def _unreadable(doc_id: str, reason: str) -> ReadResult:
    return ReadResult(None, [input_finding(doc_id, "PL901", "unreadable-file",
                                           f"cannot read file: {reason}")])


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def read_limited(fh: IO[bytes], limit: int) -> bytes | None:
    """At most ``limit`` bytes from ``fh``; None when there are more."""
    chunks: list[bytes] = []
    got = 0
    while got <= limit:
        chunk = fh.read(min(1 << 20, limit + 1 - got))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        got += len(chunk)
    return None


def lines_limited(fh: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """The lines of ``fh``, each at most ``limit`` bytes; None stands for a longer
    line, which is skipped in 1 MiB steps and never held (a 10 GB line of a
    decompression bomb costs ``limit`` bytes of memory)."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while True:
            rest = fh.readline(1 << 20)
            if not rest or rest.endswith(b"\n"):
                break
        yield None


def read_document(path: Path, doc_id: str,
                  max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> ReadResult:
    """Read one regular file of at most ``max_bytes``.

    An OS error, a directory, pipe or device is PL901 and an oversized file
    PL905: findings, never a hang or an exhausted memory. The size is taken
    from ``fstat`` before reading and enforced again while reading (the file
    may grow). Non-blocking open, so a named pipe cannot stall the run.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return _unreadable(doc_id, exc.strerror or type(exc).__name__)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
        os.close(fd)
        if st.st_size > max_bytes and stat.S_ISREG(st.st_mode):
            return too_large(doc_id, st.st_size, max_bytes)
        what = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        return _unreadable(doc_id, f"{what}, not a regular file")
    with os.fdopen(fd, "rb", buffering=0) as fh:
        try:
            with locked(fd, shared=True):
                data = read_limited(fh, max_bytes)
        except OSError as exc:
            return _unreadable(doc_id, exc.strerror or type(exc).__name__)
    if data is None:
        return too_large(doc_id, max_bytes + 1, max_bytes)
    return document_from_bytes(doc_id, data, doc_id)


@dataclass(frozen=True)
class Source:
    """One input file: where it is, its display id, its path under an output dir."""

    path: Path
    id: str
    rel: str
    problem: Finding | None = None  # set when the source must not be read (PL906)

    def __init__(self, path: Path, id: str, rel: str,
                 problem: Finding | None = None) -> None:
        _set(self, "path", path)
        _set(self, "id", id)
        _set(self, "rel", rel)
        _set(self, "problem", problem)


def corpus_format(path: Path | str) -> str | None:
    """``jsonl`` or ``parquet`` when the file name says it holds records, else None."""
    name = str(path).lower()
    return next((fmt for suffix, fmt in CORPUS_SUFFIXES if name.endswith(suffix)), None)


def corpus_problem(source: Source) -> Source:
    """``source``, with a PL908 problem when its name says it holds records: checked
    or fixed as one text, a JSONL or Parquet file would pass (its residue is inside
    string fields) or, fixed in place, have its lines edited as prose."""
    fmt = corpus_format(source.path)
    if fmt is None or source.problem is not None:
        return source
    import shlex  # only for this message: the check path does not load it otherwise
    return Source(source.path, source.id, source.rel, input_finding(
        source.id, "PL908", "corpus-file",
        f"a {fmt} corpus: its records are the documents; not read, nothing written "
        f"(clean it with: provlint report {shlex.quote(str(source.path))})"))
