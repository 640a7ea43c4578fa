"""Running the per-document work over a corpus: in-process, in local worker
processes (``--jobs N``) or as Dask tasks (``--engine dask``).

Every engine calls the same pure function, ``work(task, ctx)``, and hands
back ``(task, outcome)`` pairs in input order, so the ledger, the outputs
and the report tables are the same whichever engine ran (only timestamps
differ). ``corpusrun.corpus_run`` ties it together for ``provlint report``.
The Dask engine lives in ``dask_engine.py``, imported only when
``--engine dask`` is chosen. Resume (``--resume``): see ``corpusrun.py``.
"""

from __future__ import annotations

import copyreg
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .atomic import write_atomic
from .corpus import RecordSpec, Task, source_fields
from .io import PASSED, ReadResult, document_from_bytes, read_document
from .registry import Rule, load
from .resume import Key, key_of, replayed, rows_line
from .ruleset import Settings
from .runner import Options, Outcome, fewer_collections, process, process_read
from .safepath import inside

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .provenance import RunInfo


# Settings hold Rule objects whose functions may be closures (data rules);
# they travel to workers by code and are looked up in the worker's registry.
def _rule_by_code(code: str) -> Rule:
    return load()[code]


def _reduce_rule(r: Rule) -> tuple[Any, tuple[str]]:
    return _rule_by_code, (r.code,)


def _proxy(d: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(d)


def _reduce_proxy(m: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    # not MappingProxyType itself: pickle finds a class by name, and builtins has no
    # ``mappingproxy``, so a resumed document (which keeps its read-only source
    # fields) could not come back from a worker
    return _proxy, (dict(m),)


copyreg.pickle(Rule, _reduce_rule)
copyreg.pickle(MappingProxyType, _reduce_proxy)


@dataclass(frozen=True)
class Outputs:
    """Where the per-document work puts its results, so that workers, not the
    parent, do it: a text document's cleaned bytes go to ``root / shard.rel``
    (atomic and fsync'd, on a writer thread while the next document is
    cleaned), and each record becomes its ledger line (``Outcome.line``). The
    parent appends the lines in input order, after the chunk's writes are done.
    """

    root: Path
    ledger: Path | None = None  # record output paths are relative to its folder
    renamed: Mapping[str, str] = field(default_factory=dict)  # safe rel -> original rel
    keep_records: bool = True  # False: only the line comes back (the parent needs no dict)
    keep_texts: bool = True  # False: the outcome comes back without its texts


@dataclass(frozen=True)
class Context:
    """What every document of a run shares (sent once to each worker)."""

    settings: Settings
    opts: Options
    run: RunInfo
    spec: RecordSpec = field(default_factory=RecordSpec)
    ledger: Path | None = None  # read by resume
    # resume: key -> (offset of its ledger record, offset of its rows journal line)
    done: Mapping[Key, tuple[int, int]] = field(default_factory=dict)
    outputs: Outputs | None = None  # set: the per-document work writes outputs and lines
    summarise: Callable[[Outcome], Any] | None = None  # run in the worker: ``Outcome.summary``


def cores() -> int:
    """Usable cores (the affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def work(task: Task, ctx: Context) -> tuple[Outcome, bool]:
    """The per-document work of every engine: (outcome, resumed from the ledger)."""
    if task.problem is not None:
        return Outcome(task.source, None, [task.problem]), False
    if task.data is None and not ctx.done:
        return process(task.source, ctx.settings, ctx.opts, ctx.run), False
    if task.data is None:
        src = task.source
        read = (ReadResult(None, [src.problem]) if src.problem is not None
                else read_document(src.path, src.id, ctx.opts.max_document_bytes))
    else:
        read = document_from_bytes(task.source.id, task.data, task.path or task.shard.id,
                                   ctx.opts.max_document_bytes, PASSED)
        if read.document is not None:
            read = replace(read, document=replace(read.document,
                                                  source=source_fields(task, ctx.spec)))
    doc = read.document
    if doc is not None and ctx.done:
        offsets = ctx.done.get(key_of(doc, ctx.settings.digest))
        if offsets is not None and ctx.ledger is not None:
            o = replayed(task.source, doc, ctx.ledger, offsets)
            if o is not None:
                return o, True
    return process_read(task.source, read, ctx.settings, ctx.opts, ctx.run), False


def fixes_on(ctx: Context) -> bool:
    """Whether the run's table rows carry fix regions (its summariser's, for SARIF)."""
    return bool(getattr(ctx.summarise, "fixes", False))


def describe(task: Task, record: dict[str, Any], spec: RecordSpec,
             renamed: Mapping[str, str]) -> None:
    """What a record says about its output beyond ``build_record``: the input's
    original name when its output was renamed, and where a corpus record is."""
    if task.shard.rel in renamed:  # the ledger keeps the map
        record["output"]["mapped_from"] = renamed[task.shard.rel]
    if task.fmt != "text":  # where verify finds the record
        record["output"]["record"] = {
            "format": task.fmt, "key": task.path.split("#", 1)[-1],
            "text_field": spec.text_field, "id_field": spec.id_field}


def _finish(task: Task, o: Outcome, resumed: bool, ctx: Context,
            out: Outputs) -> tuple[Path, bytes] | None:
    """Serialise ``o``'s record into ``o.line``; the (path, bytes) to write, if any."""
    target = inside(out.root, task.shard.rel)
    if o.record is not None and out.ledger is not None:
        from .ledger import dump_line, relative_to_ledger

        describe(task, o.record, ctx.spec, out.renamed)
        o.record["output"]["path"] = relative_to_ledger(target, out.ledger)
        o.line = dump_line(o.record)
        if not out.keep_records:
            o.record = None
    if task.fmt != "text" or o.output is None or (resumed and target.exists()):
        return None
    return target, o.output


def run_chunk(tasks: list[Task], ctx: Context) -> list[tuple[Outcome, bool]]:
    """``work`` over ``tasks``; with ``ctx.outputs``, also each output written and
    each record serialised; with ``ctx.summarise``, each outcome summarised.
    Returns once every write is on disk (fsync'd), so a ledger line is never
    appended before its output file exists."""
    out = ctx.outputs
    if out is None and ctx.summarise is None:
        with fewer_collections():
            return [work(t, ctx) for t in tasks]
    from concurrent.futures import ThreadPoolExecutor  # fsync waits overlap the rules

    done: list[tuple[Outcome, bool]] = []
    with fewer_collections(), ThreadPoolExecutor(2, thread_name_prefix="provlint-write") as pool:
        writes = []
        for t in tasks:
            o, resumed = work(t, ctx)
            todo = None if out is None else _finish(t, o, resumed, ctx, out)
            if todo is not None:
                writes.append(pool.submit(write_atomic, *todo))
            if ctx.summarise is not None:
                o.summary = ctx.summarise(o)
                if out is not None and out.ledger is not None:
                    o.rows_line = rows_line(o, ctx.settings.digest, fixes_on(ctx))
            if out is not None and not out.keep_texts and o.line is not None:
                o = o.without_texts()  # pickled back to the parent: counts, not texts
            done.append((o, resumed))
        for w in writes:
            w.result()  # a failed write fails the chunk
    return done


# ---- local engine -------------------------------------------------------

_CTX: Context | None = None


def _init(ctx: Context) -> None:
    global _CTX
    _CTX = ctx
    import threading

    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True,
                     name="provlint-parent-watch").start()


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """End this worker once the run that started it is gone (killed, or out of memory).

    A pool worker waits on a pipe whose other end its siblings also hold, so
    the parent's death alone never wakes it: without this, a killed
    ``provlint report --jobs N`` leaves N workers behind for good. The worker
    is reparented when its parent dies, which is what this watches for.
    """
    import time

    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _work_chunk(tasks: list[Task]) -> list[tuple[Outcome, bool]]:
    assert _CTX is not None
    return run_chunk(tasks, _CTX)


def run_local(tasks: Iterable[Task], ctx: Context, jobs: int = 0, *, chunk: int = 16,
              min_parallel: int = 32) -> Iterator[tuple[Task, Outcome, bool]]:
    """``work`` over ``tasks`` in input order, in ``jobs`` processes (0 = all cores).

    At most ``2 * jobs`` chunks are in flight, so memory is bounded by the
    chunk size, not the corpus. Fewer than ``min_parallel`` tasks (or one
    job) run in this process: no pool start-up for a handful of files.
    """
    jobs = jobs or cores()
    it = iter(tasks)
    head = [] if jobs <= 1 else list(itertools.islice(it, max(min_parallel, 1)))
    if jobs <= 1 or len(head) < min_parallel:
        for batch in batched(itertools.chain(head, it), chunk):
            for t, (o, resumed) in zip(batch, run_chunk(batch, ctx), strict=True):
                yield t, o, resumed
        return
    from concurrent.futures import ProcessPoolExecutor  # not on the pre-commit path

    chunks = batched(itertools.chain(head, it), chunk)
    pending: deque[tuple[list[Task], Future[list[tuple[Outcome, bool]]]]] = deque()
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(ctx,)) as pool:
        for batch in chunks:
            pending.append((batch, pool.submit(_work_chunk, batch)))
            if len(pending) >= 2 * jobs:
                yield from _drain(pending.popleft())
        while pending:
            yield from _drain(pending.popleft())


def local_outcomes(tasks: Iterable[Task], settings: Settings, opts: Options, run: RunInfo,
                   jobs: int, outputs: Outputs | None = None) -> Iterator[Outcome]:
    """``process`` over text-file tasks in ``jobs`` processes, in input order
    (with ``outputs``: each output written and each record serialised there)."""
    ctx = Context(settings, opts, run, outputs=outputs)
    for _, o, _ in run_local(tasks, ctx, jobs):
        yield o


def _drain(item: tuple[list[Task], Future[list[tuple[Outcome, bool]]]]
           ) -> Iterator[tuple[Task, Outcome, bool]]:
    batch, fut = item
    for t, (o, resumed) in zip(batch, fut.result(), strict=True):
        yield t, o, resumed


def batched(it: Iterable[Task], n: int) -> Iterator[list[Task]]:
    """``it`` in lists of ``n`` tasks (the last one shorter)."""
    it = iter(it)
    while batch := list(itertools.islice(it, n)):
        yield batch
