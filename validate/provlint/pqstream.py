"""Reading Parquet shards (pyarrow is imported only when one is read): records one
row group after another, and a file that is damaged or is not Parquet told apart
from the end of the shard. A string that is not valid UTF-8 (a writer that did not
check) is read as its bytes and written back as them (``parquet_table``)."""

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


def parquet_writer(sink: IO[bytes], path: Path) -> Any:
    """A Parquet writer to ``sink`` for a cleaned copy of the shard at ``path``: its
    Arrow schema, each column compressed as in its first row group (zstd stays
    zstd); None when ``path`` cannot be opened as Parquet."""
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as pf:
            schema, meta = pf.schema_arrow, pf.metadata
            group = meta.row_group(0) if meta.num_row_groups else None
    except _arrow_errors():
        return None
    codecs = {} if group is None else {
        group.column(i).path_in_schema: _CODECS.get(group.column(i).compression, "snappy")
        for i in range(group.num_columns)}
    return pq.ParquetWriter(sink, schema, compression=codecs or "snappy")


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


def parquet_table(rows: Sequence[Mapping[str, Any]], schema: Any) -> Any:
    """``rows`` as a table of ``schema``; a string field read as bytes (not UTF-8)
    is written back as those bytes, unchanged."""
    import pyarrow as pa

    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except pa.ArrowInvalid:  # bytes where a string goes: build the binary twin, view back
        twin = pa.Table.from_pylist(rows, schema=pa.schema(
            [_bytes_field(f) for f in schema], metadata=schema.metadata))
    return pa.Table.from_arrays([pa.chunked_array([c.view(f.type) for c in col.chunks], f.type)
                                 for col, f in zip(twin.columns, schema, strict=True)],
                                schema=schema)


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
