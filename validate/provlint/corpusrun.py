"""The corpus run of ``provlint report``: reads the inputs (text files, JSONL,
Parquet; see ``corpus.py``), hands them to an engine (``parallel.py``,
``dask_engine.py``), writes the cleaned outputs and the ledger records in input
order (``Sink``), and yields the outcomes for the report to reduce.

Resume: with ``resume`` set, a document whose path, input digest and resolved
configuration digest already have a record in the ledger is not run through
the rules again (the path too: a copy of a recorded text under another id or
in another shard still needs its own record); its cleaned text is rebuilt by
replaying the recorded edits (checked against the recorded output digest),
its table rows are read back from the rows journal (``report/journal.py``), and
no new record is written. A recorded document whose rows are not in the journal
runs again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_atomic
from .corpus import Plan, ShardWriter, Task, format_of, input_bytes, shard_tasks
from .io import Source
from .parallel import Context, Outputs, batched, cores, describe, fixes_on, run_local
from .progress import Progress
from .resume import resume_index, rows_line
from .runner import Outcome
from .safepath import NameMap, inside

if TYPE_CHECKING:
    from .ledger import Ledger, RunLog


# ---- writing ---------------------------------------------------------------


def _rel(shard: Source) -> str:
    return f"clean/{shard.rel}"


class Sink:
    """Writes outputs and ledger records for ``(task, outcome)`` pairs in order."""

    def __init__(self, out: Path, ctx: Context, ledger: RunLog | None, write: bool = True,
                 journal: Ledger | None = None) -> None:
        self.out, self.ctx, self.ledger, self.write = out, ctx, ledger, write
        self.journal = journal  # the rows journal: each record's rows, saved before it
        self._writer: ShardWriter | None = None
        self._shard: Source | None = None
        self.resumed = 0
        self.planned = False  # True when record ids were planned before processing
        self.renamed: Mapping[str, str] = {}  # safe rel -> original rel (see ``describe``)

    def add(self, task: Task, o: Outcome, resumed: bool) -> None:
        if task.fmt != "text" and self.write:
            if self._shard is None or task.shard != self._shard:
                self.close()
                self._writer = ShardWriter(self.out / "clean", task.shard, task.fmt,
                                           self.ctx.spec)
                self._shard = task.shard
            assert self._writer is not None
            # the output bytes, not the cleaned text: they hold what decoding the
            # record's text took away (a leading U+FEFF read as a BOM, a lone
            # surrogate read as three undecodable bytes), so the record keeps it
            text = (o.output.decode("utf-8", "surrogatepass") if o.output is not None else
                    o.result.text if o.result is not None else None)
            self._writer.add(task, text)
        target = self.out / _rel(task.shard)
        if task.fmt == "text" and self.write and self.ctx.outputs is None and (
                o.output is not None and (not resumed or not target.exists())):
            write_atomic(target, o.output)
        self.resumed += resumed
        if self.ledger is None:
            return
        if task.fmt != "text" and not self.planned:
            self.ledger.plan([task.source.id])  # records: planned as they are read
        if self.journal is not None and (o.line is not None or o.record is not None):
            if o.rows_line is None and o.summary is None and self.ctx.summarise is not None:
                o.summary = self.ctx.summarise(o)  # not made in a worker (the Dask engine)
            line = o.rows_line or rows_line(o, self.ctx.settings.digest, fixes_on(self.ctx))
            if line is not None:
                self.journal.write_line(line)  # a document with a record has its rows
        if o.line is not None:
            self.ledger.record_line(o.line)  # serialised (and its output written) by a worker
        elif o.record is not None:
            describe(task, o.record, self.ctx.spec, self.renamed)
            self.ledger.record(o.record, target)
        else:
            self.ledger.skip(task.source.id, "already in the ledger (--resume)" if resumed
                             else "; ".join(f"{f.code} {f.name}" for f in o.findings)
                             or "no output")

    def close(self, ok: bool = True) -> None:
        if self._writer is not None:
            self._writer.close(ok)
        self._writer, self._shard = None, None

    def empty(self, shard: Source, fmt: str) -> None:
        """Write the output of a record shard that holds no record (no document
        opened its writer): an empty shard of its format, so the output folder
        still has a shard for every input shard."""
        if fmt != "text":
            ShardWriter(self.out / "clean", shard, fmt, self.ctx.spec).close()


# ---- the corpus run ------------------------------------------------------------


def _safe_names(sources: Iterable[Source], plan: Plan, clean: Path
                ) -> tuple[list[tuple[Source, str]], dict[str, str]]:
    """Each input's output name under ``clean``: portable, unique (two folders'
    ``x.txt`` do not share one), never outside it; renamed ones map to their
    original relative path. Decided here, before any worker writes."""
    names = NameMap()
    shards, renamed = [], {}
    for s in sources:
        rel = names.claim(s.rel, s.id)
        inside(clean, rel)  # a symlinked folder planted in the output: stop now
        if rel != s.rel:
            renamed[rel] = s.rel
            s = replace(s, rel=rel)
        # a source not to be read (missing, a symlink leading out) is one finding, not a shard
        shards.append((s, "text" if s.problem is not None
                       else format_of(s.path, plan.input_format)))
    return shards, renamed


def _planned(tasks: Iterable[Task], ledger: RunLog | None, n: int) -> Iterator[Task]:
    """``tasks`` unchanged; record ids go into the ledger's plan ``n`` at a time,
    before any of them is processed (text files were planned up front)."""
    for batch in batched(tasks, n):
        if ledger is not None:
            ledger.plan(t.source.id for t in batch if t.fmt != "text")
        yield from batch


def corpus_run(sources: Iterable[Source], ctx: Context, plan: Plan, out: Path,
               ledger: RunLog | None) -> Iterator[Outcome]:
    """Process every source (text file or record shard) into ``out``/clean/,
    record each document in ``ledger``, and yield the outcomes in input order."""
    shards, renamed = _safe_names(sources, plan, out / "clean")
    if ledger is not None:  # run membership first: verify names what a killed run left undone
        ledger.plan(s.id for s, fmt in shards if fmt == "text")
    if plan.resume and ctx.ledger is not None:
        ctx = replace(ctx, done=resume_index(ctx.ledger, fixes_on(ctx)))
    journal = None
    if ledger is not None and ctx.summarise is not None:
        from .ledger import Ledger
        from .report.journal import journal_path

        journal = Ledger(journal_path(ledger.ledger_path))
    texts_only = all(fmt == "text" for _, fmt in shards)

    progress = Progress(input_bytes(shards) if texts_only else None)
    if plan.engine == "dask":
        from .dask_engine import run_dask

        pairs = run_dask(shards, ctx, out, plan.scheduler)
        sink = Sink(out, ctx, ledger, write=False, journal=journal)  # workers wrote outputs
    elif plan.engine == "local":
        tasks = _planned((t for s, fmt in shards for t in shard_tasks(s, fmt, ctx.spec)),
                         ledger, plan.spec.batch_size)
        jobs = plan.jobs or cores()  # about batch_size documents in flight, whatever the jobs
        chunk = max(1, min(plan.chunk, plan.spec.batch_size // (2 * jobs)))
        ctx = replace(ctx, outputs=Outputs(out / "clean", None if ledger is None
                                           else ledger.ledger_path, renamed,
                                           keep_texts=not texts_only))  # shards: parent writes
        pairs = run_local(tasks, ctx, jobs, chunk=chunk, min_parallel=plan.min_parallel)
        sink = Sink(out, ctx, ledger, journal=journal)
        sink.planned = True
    else:
        from .errors import ConfigError

        raise ConfigError(f"unknown engine {plan.engine!r} (local or dask)")
    sink.renamed = renamed
    ok = False
    seen: set[str] = set()  # the shards a document came from
    try:
        for task, o, resumed in pairs:
            sink.add(task, o, resumed)
            seen.add(task.shard.rel)
            progress.update(o.input_bytes)
            yield o
        if sink.write:  # (the Dask engine's workers wrote empty shards themselves)
            for s, fmt in shards:
                if s.rel not in seen:
                    sink.empty(s, fmt)
        ok = True
    finally:
        sink.close(ok)
        if journal is not None:
            journal.close()
        progress.close()

