"""Reading Parquet shards (pyarrow is imported only when one is read): records one
row group after another, and a file that is damaged or is not Parquet told apart
from the end of the shard."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


def _arrow_errors() -> tuple[type[BaseException], ...]:
    """What pyarrow raises on a Parquet file that is damaged or is not Parquet (no
    magic bytes, a footer or page header it cannot decode, a cut file)."""
    import pyarrow as pa

    return (pa.ArrowException, OSError)


def _why(exc: BaseException) -> str:
    """An exception as one line of a finding's message (pyarrow's span lines)."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def parquet_schema(path: Path) -> Any:
    """The Arrow schema of a Parquet file, or None when it cannot be opened as one."""
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as pf:
            return pf.schema_arrow
    except _arrow_errors():
        return None


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
                    for rec in batch.to_pylist():
                        row += 1
                        yield row, rec
            except _arrow_errors() as exc:
                yield row + 1, (f"{name} cannot be read past record {row} (row group "
                                f"{group + 1} of {groups}: {_why(exc)}); the rest of the "
                                "shard is lost")
                return
