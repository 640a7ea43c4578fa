"""Corpus inputs and outputs: text files, JSONL (plain, gzip, zstd) and Parquet.

A corpus run turns every input into a stream of ``Task`` values, one per
document, without holding more than one record batch in memory. A text
file's task only names the file (the worker reads it); a record's task
carries the record's text and its other fields, which become the
document's ``source`` metadata in the provenance record.

Outputs mirror the inputs: a cleaned text file per text file, and for a
record shard a shard of the same format (and compression) whose text field
holds the cleaned text, every other field as it was, in the same order.
zstandard (``.zst``) is optional (``pip install 'provlint[corpus]'``);
pyarrow is needed only for Parquet.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from . import rx
from .atomic import output_mode, temp_file, write_atomic
from .errors import InputError
from .io import (
    DEFAULT_INCLUDE,
    DEFAULT_MAX_DOCUMENT_BYTES,
    Source,
    corpus_format,
    input_finding,
    lines_limited,
)
from .model import Finding
from .pqstream import ParquetRows, parquet_copy, parquet_records, with_texts
from .zstream import ZstdReader, zstd

FORMATS = ("text", "jsonl", "parquet")
RECORD_GLOBS = ("*.jsonl", "*.jsonl.gz", "*.jsonl.zst", "*.parquet")


def format_of(path: Path | str, forced: str | None = None) -> str:
    """``text``, ``jsonl`` or ``parquet``: ``forced`` if given, else by extension."""
    if forced:
        if forced not in FORMATS:
            raise InputError(f"unknown input format {forced!r} (known: {', '.join(FORMATS)})")
        return forced
    return corpus_format(path) or "text"


@dataclass(frozen=True)
class RecordSpec:
    """Where a record keeps its text and id, and how many records to read at once."""

    text_field: str = "text"
    id_field: str = "id"
    batch_size: int = 256
    # a longer JSONL line is PL905, skipped unread (see ``line_limit``)
    max_line_bytes: int = 2 * DEFAULT_MAX_DOCUMENT_BYTES + (1 << 16)


def line_limit(max_document_bytes: int) -> int:
    """The longest JSONL line read for a document limit: JSON escapes and the
    other fields may double a text's size; beyond that the line is PL905."""
    return 2 * max_document_bytes + (1 << 16)


@dataclass(frozen=True)
class Task:
    """One document to process.

    ``data`` is None for a text file (the worker reads ``source.path``);
    for a record it holds the text as UTF-8 and ``record`` the whole record
    with the text value left out (its key kept, so field order survives).
    """

    source: Source
    shard: Source
    fmt: str = "text"
    data: bytes | None = None
    record: Mapping[str, Any] = field(default_factory=dict)
    problem: Finding | None = None
    # a record's document path: ``<shard>#<id>`` (unique, stable); "" for a line that
    # is no record (a record may be ``{}``, so ``record`` cannot tell)
    path: str = ""
    row: int = 0  # a record's row (JSONL: line number) in its shard, from 1
    raw: bytes | None = None  # a JSONL line that is no record, passed through as read


def jsonable(value: Any) -> Any:
    """A JSON-ready copy (Parquet timestamps, decimals and bytes become strings)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return str(value)


def source_fields(task: Task, spec: RecordSpec) -> dict[str, Any]:
    """The record's fields other than text and id (the provenance ``source``)."""
    return {k: jsonable(v) for k, v in task.record.items()
            if k not in (spec.text_field, spec.id_field)}


def open_read(path: Path) -> IO[bytes]:
    """A binary reader that undoes .gz / .zst compression, streaming; a compressed
    file that ends early raises EOFError when the reader gets there."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    if name.endswith(".zst"):
        raw = open(path, "rb")  # noqa: SIM115 - closed with the reader below
        return cast(IO[bytes], io.BufferedReader(ZstdReader(raw)))
    return open(path, "rb")


def _not_text(rec: Mapping[str, Any], name: str) -> str:
    """What a record's text field is when it is no text: missing, null (a Parquet
    column that is there, empty in this row), bytes that are not UTF-8 (a string
    column its writer did not check), or another type."""
    if name not in rec:
        return f"no {name!r} field"
    value = rec[name]
    if value is None:
        return f"a null {name!r} field"
    if isinstance(value, bytes):
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            return f"a {name!r} field that is not valid UTF-8"
    return f"a non-text ({type(value).__name__}) {name!r} field"


def _record_task(shard: Source, fmt: str, row: int, rec: Mapping[str, Any],
                 spec: RecordSpec, seen: set[str]) -> Task:
    """The task of one record; ``seen`` holds the shard's paths so far (a repeated
    id keeps its id, its path gets the row number: ``<shard>#<id>@<row>``)."""
    raw_id = rec.get(spec.id_field)
    doc_id = str(raw_id) if raw_id not in (None, "") else f"{shard.id}#{row}"
    path = f"{shard.id}#{raw_id if raw_id not in (None, '') else row}"
    while path in seen:  # (an id may itself read ``<id>@<row>``: a@3, then a again in row 3)
        path = f"{path}@{row}"
    seen.add(path)
    src = Source(shard.path, doc_id, shard.rel)
    text = rec.get(spec.text_field)
    if not isinstance(text, str):
        record = dict(rec)
        return Task(src, shard, fmt, None, record, input_finding(
            doc_id, "PL901", "unreadable-file", f"record {row} of {shard.id} has "
            f"{_not_text(rec, spec.text_field)}; passed through",
            path=path), path=path, row=row)
    record = {k: (None if k == spec.text_field else v) for k, v in rec.items()}
    return Task(src, shard, fmt, text.encode("utf-8", "surrogatepass"), record, path=path,
                row=row)


Row = tuple[int, Mapping[str, Any] | str | None, bytes | None]


def _read_errors(path: Path) -> tuple[type[BaseException], ...]:
    """What reading a shard raises when its bytes end early or are not what its name
    says (a truncated download, a .gz that is not gzip): I/O, gzip, zlib, zstd."""
    errors: tuple[type[BaseException], ...] = (EOFError, OSError, zlib.error)
    return (*errors, zstd().ZstdError) if path.name.lower().endswith(".zst") else errors


def _jsonl_rows(shard: Source, limit: int) -> Iterator[Row]:
    """(line number, record | why it is none | None when too long, the line if it
    is no record); blank lines are skipped. A shard that cannot be read to its end
    keeps the records read so far and ends with one row saying why (and no line), so
    a truncated shard is a finding of its own, not the end of the run."""
    row = 0
    try:
        with open_read(shard.path) as fh:
            for row, line in enumerate(lines_limited(fh, limit), 1):
                if line is None:  # too long: skipped without being held
                    yield row, None, None
                    continue
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except ValueError as exc:
                    yield row, f"line {row} of {shard.id} is not JSON ({exc})", line
                    continue
                if isinstance(rec, dict):
                    yield row, rec, None
                else:
                    yield row, f"line {row} of {shard.id} is not a JSON object", line
    except _read_errors(shard.path) as exc:
        yield row + 1, (f"{shard.id} cannot be read past line {row} "
                        f"({type(exc).__name__}: {exc}); the rest of the shard is lost"), None


def shard_tasks(shard: Source, fmt: str, spec: RecordSpec) -> Iterator[Task]:
    """The tasks of one input: the file itself, or one per record, streaming."""
    if fmt == "text":
        yield Task(shard, shard)
        return
    if fmt == "parquet":
        rows: Iterator[Row] = ((row, rec, None) for row, rec in
                               parquet_records(shard.path, shard.id, spec.batch_size))
    else:
        rows = _jsonl_rows(shard, spec.max_line_bytes)
    seen: set[str] = set()
    for row, rec, line in rows:
        if rec is None:
            doc_id = f"{shard.id}#{row}"
            yield Task(Source(shard.path, doc_id, shard.rel), shard, fmt, None, {}, input_finding(
                doc_id, "PL905", "document-too-large", f"line {row} of {shard.id} is longer "
                f"than {spec.max_line_bytes} bytes (see max-document-bytes); skipped unread"),
                row=row)
        elif isinstance(rec, str):
            doc_id = f"{shard.id}#{row}"
            yield Task(Source(shard.path, doc_id, shard.rel), shard, fmt, None, {},
                       input_finding(doc_id, "PL901", "unreadable-file",
                                     rec + ("; passed through" if line is not None else "")),
                       row=row, raw=line)
        else:
            yield _record_task(shard, fmt, row, rec, spec, seen)


_SURROGATE_RE = rx.compile("[\ud800-\udfff]")


def json_line(rec: Mapping[str, Any]) -> bytes:
    """``rec`` as one line of UTF-8 JSON. A lone surrogate (JSON may hold ``"\\ud800"``;
    UTF-8 cannot) stays the escape it was read from, so the line is valid UTF-8 and a
    reader gets the same string back."""
    line = json.dumps(rec, ensure_ascii=False)
    if _SURROGATE_RE.search(line):
        line = _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
    return line.encode("utf-8") + b"\n"


class ShardWriter:
    """Writes one shard's cleaned output under ``out_dir`` / ``shard.rel``.

    Text files are written one by one (atomically); record shards go to a
    temporary file renamed into place on ``close``, so a killed run never
    leaves half a shard behind.
    """

    def __init__(self, out_dir: Path, shard: Source, fmt: str, spec: RecordSpec) -> None:
        self.target = out_dir / shard.rel
        self.fmt, self.spec = fmt, spec
        self._source_path = shard.path
        self._texts: list[str | None] = []  # Parquet: each row's cleaned text (None: as read)
        self._row = 0  # the last JSONL line written
        self._fh: IO[bytes] | None = None
        self._raw: IO[bytes] | None = None
        self._tmp: str | None = None
        self._pq: Any = None
        self._src: ParquetRows | None = None  # the input shard's rows, read again in step
        if fmt != "text":
            self.target.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = temp_file(self.target.parent, f".{self.target.name}.")
            self._raw = os.fdopen(fd, "wb")
            if fmt == "jsonl":
                self._fh = self._compressed(self._raw)

    def _compressed(self, raw: IO[bytes]) -> IO[bytes]:
        name = self.target.name.lower()
        if name.endswith(".gz"):  # mtime 0 and no name: the same bytes on every run
            return cast(IO[bytes], gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0))
        if name.endswith(".zst"):
            writer: IO[bytes] = zstd().ZstdCompressor().stream_writer(raw, closefd=False)
            return writer
        return raw

    def add(self, task: Task, text: str | None) -> None:
        """Add one document: ``text`` is the cleaned text (None = pass through)."""
        if self.fmt == "text":
            return  # text outputs are bytes: see add_bytes
        if self._fh is not None:  # JSONL: line n of the output is line n of the input,
            self._fh.write(b"\n" * max(0, task.row - self._row - 1))  # blank lines too,
            self._row = max(self._row, task.row)  # so row-numbered record keys still match
            if not task.path:  # a line that is no record goes through as it was; one
                line = task.raw or b""  # too long to read becomes an empty line
                self._fh.write(line if line.endswith(b"\n") else line + b"\n")
                return
        if not task.path:
            return  # a Parquet row always has its record (and so its path)
        if self._fh is None:  # Parquet: the other columns are copied from the shard itself
            self._texts.append(text if task.data is not None else None)
            if len(self._texts) >= self.spec.batch_size:
                self._flush_parquet()
            return
        rec = dict(task.record)
        if task.data is not None:
            rec[self.spec.text_field] = (text if text is not None else
                                         task.data.decode("utf-8", "surrogatepass"))
        self._fh.write(json_line(rec))

    def add_bytes(self, output: bytes) -> None:
        """A text file's cleaned bytes."""
        write_atomic(self.target, output)

    def _open_parquet(self) -> bool:
        """Open the Parquet writer and the input shard's rows (schema, codecs, rows)."""
        if self._pq is None:
            opened = parquet_copy(cast(IO[bytes], self._raw), self._source_path,
                                  self.spec.batch_size)
            if opened is not None:
                self._src, self._pq = opened
        return self._pq is not None

    def _flush_parquet(self) -> None:
        if not self._texts:
            return
        if not self._open_parquet():  # rows were read from it just now, so it opens
            raise InputError(  # unless it changed under the run
                f"{self._source_path}: its Parquet schema cannot be read again")
        assert self._src is not None
        rows = self._src.take(len(self._texts))
        if rows.num_rows != len(self._texts):
            raise InputError(f"{self._source_path}: the shard changed under the run")
        self._pq.write_table(with_texts(rows, self.spec.text_field, self._texts))
        self._texts = []

    def close(self, ok: bool = True) -> None:
        """Finish the shard (rename into place), or drop it when ``ok`` is False."""
        if self._raw is None:
            return
        try:
            if self.fmt == "parquet" and ok:
                self._flush_parquet()
                # no row: an empty shard still gets a valid file; one that does not
                # open as Parquet gets none (its PL901 says why)
                ok = self._open_parquet()
                if self._pq is not None:
                    self._pq.close()
            if self._fh is not None and self._fh is not self._raw:
                self._fh.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            if ok and self._tmp is not None:  # renamed while open: still locked (sweep_temps)
                os.chmod(self._tmp, output_mode(self.target))
                os.replace(self._tmp, self.target)
        finally:
            if self._src is not None:
                self._src.close()
            self._src = None
            if self._raw is not None:
                self._raw.close()
            self._raw = None
            if self._tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self._tmp)


def input_bytes(shards: Sequence[tuple[Source, str]]) -> int:
    """Total size of the inputs on disk (for progress)."""
    total = 0
    for src, _ in shards:
        with contextlib.suppress(OSError):
            total += src.path.stat().st_size
    return total


@dataclass(frozen=True)
class Plan:
    """How to run a corpus: engine, workers, batch size, input format."""

    jobs: int = 0  # 0 = every core
    engine: str = "local"  # local | dask
    scheduler: str | None = None
    resume: bool = False
    input_format: str | None = None
    spec: RecordSpec = field(default_factory=RecordSpec)
    chunk: int = 16  # documents per task sent to a worker
    min_parallel: int = 32  # fewer documents than this run in-process


def corpus_options(func: Any) -> Any:
    """The click options of a corpus run (``--jobs``, ``--engine``, ``--resume``, ...)."""
    import click

    opts = [
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
                     help="Worker processes (0 = every core)."),
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
                     show_default=True, help="Run in local processes or as Dask tasks."),
        click.option("--scheduler", default=None, metavar="ADDRESS",
                     help="Dask scheduler (tcp://host:8786); default: a local cluster."),
        click.option("--resume", is_flag=True,
                     help="Skip documents whose input and configuration are in the ledger."),
        click.option("--input-format", type=click.Choice(["text", "jsonl", "parquet"]),
                     default=None, help="Input format (default: by file extension)."),
        click.option("--text-field", default="text", show_default=True,
                     help="JSONL/Parquet field holding the text."),
        click.option("--id-field", default="id", show_default=True,
                     help="JSONL/Parquet field holding the document id."),
        click.option("--batch-size", type=click.IntRange(min=1), default=256,
                     show_default=True, help="Records read (and written) at a time."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def plan_from(kw: dict[str, Any]) -> Plan:
    """Pop ``corpus_options`` values out of a command's keyword arguments."""
    spec = RecordSpec(kw.pop("text_field"), kw.pop("id_field"), kw.pop("batch_size"))
    return Plan(jobs=kw.pop("jobs"), engine=kw.pop("engine"), scheduler=kw.pop("scheduler"),
                resume=kw.pop("resume"), input_format=kw.pop("input_format"), spec=spec)


def corpus_include(include: Sequence[str], config: Mapping[str, Any]) -> tuple[str, ...]:
    """File globs for folders: the text globs plus the record formats."""
    return (*(tuple(include) or tuple(config.get("include", DEFAULT_INCLUDE))), *RECORD_GLOBS)
