"""Parquet shards (pyarrow is imported only when one is read): records one row group
after another, a file that is damaged or is not Parquet told apart from the end of
the shard, and a string that is not valid UTF-8 (a writer that did not check) read
as its bytes. The cleaned copy is the shard's own Arrow data read again in step
(``ParquetRows``) with only the text column replaced (``with_texts``), so every
other column keeps its type and values exactly."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any


def _arrow_errors(*more: type[BaseException]) -> tuple[type[BaseException], ...]:
    """What pyarrow raises on a Parquet file that is damaged or is not Parquet (no
    magic bytes, a footer or page header it cannot decode, a cut file), and ``more``."""
    import pyarrow as pa

    return (pa.ArrowException, OSError, *more)


def _why(exc: BaseException) -> str:
    """An exception as one line of a finding's message (pyarrow's span lines)."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


# a codec a Parquet footer names -> pyarrow's name for writing it (LZO: none, so the default)
_CODECS = {"UNCOMPRESSED": "none", "SNAPPY": "snappy", "GZIP": "gzip", "BROTLI": "brotli",
           "LZ4": "lz4", "LZ4_RAW": "lz4", "ZSTD": "zstd"}


def parquet_copy(sink: IO[bytes], path: Path, batch_size: int) -> tuple[ParquetRows, Any] | None:
    """The rows of the shard at ``path`` and a writer to ``sink`` for its cleaned copy:
    its schema, each column compressed as in its first row group (zstd stays zstd).
    None when it cannot be opened as Parquet."""
    import pyarrow.parquet as pq

    try:
        rows = ParquetRows(path, batch_size)
    except _arrow_errors():
        return None
    meta = rows.metadata
    group = meta.row_group(0) if meta.num_row_groups else None
    codecs = {} if group is None else {
        group.column(i).path_in_schema: _CODECS.get(group.column(i).compression, "snappy")
        for i in range(group.num_columns)}
    return rows, pq.ParquetWriter(sink, rows.schema, compression=codecs or "snappy")


def _bytes_field(f: Any) -> Any:
    return f.with_type(_bytes_type(f.type))


def _bytes_type(t: Any) -> Any:
    """``t`` with every string type in it (nested too) as its binary twin: the same
    layout, so an array views as the twin without a copy or a UTF-8 check."""
    import pyarrow as pa

    types = pa.types
    if types.is_string(t):
        return pa.binary()
    if types.is_large_string(t):
        return pa.large_binary()
    if types.is_dictionary(t):
        return pa.dictionary(t.index_type, _bytes_type(t.value_type), t.ordered)
    if types.is_map(t):
        return pa.map_(_bytes_field(t.key_field), _bytes_field(t.item_field), t.keys_sorted)
    if types.is_list(t):
        return pa.list_(_bytes_field(t.value_field))
    if types.is_large_list(t):
        return pa.large_list(_bytes_field(t.value_field))
    if types.is_fixed_size_list(t):
        return pa.list_(_bytes_field(t.value_field), t.list_size)
    if types.is_struct(t):
        return pa.struct([_bytes_field(t.field(i)) for i in range(t.num_fields)])
    return t


def _records(batch: Any) -> list[dict[str, Any]]:
    """A record batch's rows as dicts; in a row holding a string that is not UTF-8,
    that field's value is its bytes (the rest of the row as usual)."""
    try:
        return list(batch.to_pylist())
    except UnicodeDecodeError:  # rare: row by row, field by field
        pass
    rows = []
    for i in range(batch.num_rows):
        rec = {}
        for name, col in zip(batch.schema.names, batch.slice(i, 1).columns, strict=True):
            try:
                rec[name] = col.to_pylist()[0]
            except UnicodeDecodeError:
                rec[name] = col.view(_bytes_type(col.type)).to_pylist()[0]
        rows.append(rec)
    return rows


class ParquetRows:
    """The rows of the Parquet shard at ``path`` as Arrow data, taken in order ``n``
    at a time: the writer's own copy of what the reader turned into records, so
    every column but the text is written back as it was read, never through Python
    values (which lose a time's nanoseconds and a string's bad bytes)."""

    def __init__(self, path: Path, batch_size: int) -> None:
        import pyarrow.parquet as pq

        self._pf = pq.ParquetFile(path)
        self.schema, self.metadata = self._pf.schema_arrow, self._pf.metadata
        self._batches = (batch for group in range(self._pf.num_row_groups) for batch in
                         self._pf.iter_batches(batch_size=batch_size, row_groups=[group]))
        self._left: Any = None

    def take(self, n: int) -> Any:
        """The next ``n`` rows as a table (fewer when the shard ends first)."""
        import pyarrow as pa

        parts = []
        while n > 0:
            if self._left is None or not self._left.num_rows:
                self._left = next(self._batches, None)
                if self._left is None:
                    break
            part = self._left.slice(0, n)
            self._left = self._left.slice(part.num_rows)
            parts.append(part)
            n -= part.num_rows
        return pa.Table.from_batches(parts, self.schema)

    def close(self) -> None:
        self._pf.close()


def with_texts(table: Any, name: str, texts: Sequence[str | None]) -> Any:
    """``table`` with row i of its column ``name`` replaced by ``texts[i]`` where that
    is not None (a string column, or a dictionary of strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if all(t is None for t in texts):
        return table
    i = table.schema.get_field_index(name)
    field = table.schema.field(i)
    column = table.column(i).combine_chunks()
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    kind = column.type if pa.types.is_string(column.type) else pa.large_string()
    new = pc.replace_with_mask(column.cast(kind), pa.array([t is not None for t in texts]),
                               pa.array([t for t in texts if t is not None], kind))
    if pa.types.is_dictionary(field.type):
        new = new.dictionary_encode()
    return table.set_column(i, field, new.cast(field.type))


def parquet_records(path: Path, name: str, batch_size: int
                    ) -> Iterator[tuple[int, Mapping[str, Any] | str]]:
    """(row number from 1, record), ``batch_size`` records read at a time. A file
    that cannot be opened as Parquet is one row whose value says why; a row group
    that cannot be read ends the shard with such a row saying where, after the
    records read before it. ``name`` is the shard's name in those messages."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except _arrow_errors() as exc:
        yield 1, f"{name} cannot be opened as Parquet ({_why(exc)}); nothing in it is read"
        return
    row = 0
    with pf:
        groups = pf.num_row_groups
        for group in range(groups):
            try:
                for batch in pf.iter_batches(batch_size=batch_size, row_groups=[group]):
                    for rec in _records(batch):
                        row += 1
                        yield row, rec
            except _arrow_errors(UnicodeDecodeError) as exc:  # a bad string _bytes_type misses
                yield row + 1, (f"{name} cannot be read past record {row} (row group "
                                f"{group + 1} of {groups}: {_why(exc)}); the rest of the "
                                "shard is lost")
                return
