"""The Dask engine (``--engine dask``): the per-document work of ``parallel.work``
as Dask tasks over shards, each writing its own outputs; the caller writes the
ledger in input order, as for the local engine. Dask is imported only here.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .corpus import Task, shard_tasks
from .corpusrun import Sink
from .io import Source
from .parallel import Context, cores, work
from .runner import Outcome


def _dask_shard(shard: Source, fmt: str, ctx: Context, out: str
                ) -> list[tuple[Task, Outcome, bool]]:
    """One Dask task: every document of one shard; writes the shard's outputs."""
    sink = Sink(Path(out), ctx, None)
    done = []
    try:
        for t in shard_tasks(shard, fmt, ctx.spec):
            o, resumed = work(t, ctx)
            sink.add(t, o, resumed)
            light = replace(t, data=None, record={})  # the text travels once, in o
            done.append((light, o, resumed))
    except BaseException:
        sink.close(ok=False)
        raise
    sink.close()
    if not done:
        sink.empty(shard, fmt)
    return done


def _client(distributed: Any, scheduler: str | None, cluster: Any) -> Any:
    """A Dask client of ``scheduler`` (or of the local ``cluster``). A scheduler
    address that is malformed or does not answer is the user's to fix: a
    configuration error (exit 2) that names it, not an internal error."""
    try:
        return distributed.Client(scheduler or cluster)
    except (OSError, ValueError, TypeError) as exc:  # asyncio's TimeoutError is an OSError
        if cluster is not None:
            cluster.close()
            raise
        from .errors import ConfigError

        raise ConfigError(f"--scheduler {scheduler}: cannot connect to a Dask scheduler "
                          f"there ({exc})") from None


def run_dask(shards: Sequence[tuple[Source, str]], ctx: Context, out: Path,
             scheduler: str | None, group: int = 64) -> Iterator[tuple[Task, Outcome, bool]]:
    """Every shard as a Dask task (``dask.bag``); results come back in input order.

    Record shards are one task each; text files go in groups of ``group``.
    ``scheduler`` is a ``tcp://`` address, or None for a local cluster.
    """
    try:  # typed Any: Dask ships no annotations mypy can use
        db: Any = importlib.import_module("dask.bag")
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        from .errors import ConfigError

        raise ConfigError("--engine dask needs Dask: pip install 'provlint[dask]'") from None
    parts: list[list[tuple[Source, str]]] = []
    for fmt, items in itertools.groupby(shards, key=lambda s: s[1] == "text"):
        items_l = list(items)
        size = group if fmt else 1
        parts.extend(items_l[i:i + size] for i in range(0, len(items_l), size))
    cluster = None if scheduler else distributed.LocalCluster(
        n_workers=min(cores(), 4), processes=True, threads_per_worker=1, dashboard_address=None)
    with _client(distributed, scheduler, cluster) as client:
        try:
            bag = db.from_sequence(parts, npartitions=max(1, len(parts)))
            results = bag.map(lambda part: [r for s, f in part
                                            for r in _dask_shard(s, f, ctx, str(out))])
            futures = client.compute(results.to_delayed())
            for fut in futures:
                for part in fut.result():
                    yield from part
                fut.release()
        finally:
            if cluster is not None:
                cluster.close()
