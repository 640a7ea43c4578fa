"""``provlint restore``: rebuild original inputs from cleaned files + ledger."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..atomic import write_atomic
from ..cli import cli, run_guarded
from ..errors import IntegrityError, ProvlintError
from ..io import sha256
from ..ledger import check_ledger, cleaned_file, document_records, read_lines
from ..output import safe_text
from ..provenance import needs_full_text, restore_bytes
from ..safepath import NameMap, inside, safe_relpath
from ..verify import record_bytes


def record_history(ledger: Path, malformed: list[str] | None = None,
                   ) -> dict[tuple[Path, str], list[dict[str, Any]]]:
    """Every record per cleaned file, or per record of a JSONL/Parquet shard (key
    ``""`` for a whole file; records of stdout runs have none), oldest first. A line
    that is not a usable record is left out and described in ``malformed``."""
    check_ledger(ledger)
    out: dict[tuple[Path, str], list[dict[str, Any]]] = {}
    records, bad = document_records(read_lines(ledger))
    if malformed is not None:
        malformed += [f"{ledger.name}:{no}: damaged record, left out: {why}" for no, why in bad]
    for _, rec in records:
        path = cleaned_file(rec, ledger)
        if path is not None:
            key = path.resolve(), str(rec["output"].get("record", {}).get("key", ""))
            out.setdefault(key, []).append(rec)
    return out


def restore_chain(data: bytes, history: list[dict[str, Any]]) -> tuple[bytes, str | None]:
    """The original of ``data`` (the cleaned bytes the newest record wrote): each
    record's edits undone, newest first, then those of every older record that
    wrote exactly the bytes so far (a file fixed in place by several runs, each
    cleaning the previous run's output); the chain stops at the first record
    whose output is not the text in hand (the file was changed in between).

    It also stops at an older record that keeps no removed text (written with
    ``--provenance-text`` hash or none): the bytes are then the input of the run
    after it, and the second value says why they go no further (None: they are
    the original)."""
    newest, *older = reversed(history)
    raw = restore_bytes(data, newest)
    for rec in older:
        if rec["output"]["digest"] != sha256(raw):
            break
        if needs_full_text(rec) is not None:
            return raw, (f"restored only as far as run {rec['run']['id']} left it: that run "
                         f"was recorded with --provenance-text={rec.get('text', '?')}, which does "
                         f"not keep the removed text, so the bytes before it cannot be rebuilt")
        raw = restore_bytes(raw, rec)
    return raw, None


def _wanted(path: Path, selected: list[Path]) -> bool:
    return not selected or any(path == s or s in path.parents for s in selected)


def restored_name(rec: dict[str, Any]) -> str:
    """Where a document goes under --out: its path relative to the input folder; a
    JSONL/Parquet record's text goes to ``<shard>.records/<record key>.txt``."""
    rel = str(rec["doc"].get("rel") or str(rec["output"]["path"]).removeprefix("clean/"))
    if "record" in rec["output"]:
        return f"{rel}.records/{safe_relpath(str(rec['output']['record']['key']))}.txt"
    return rel


@cli.command()
@click.argument("clean_paths", nargs=-1, type=click.Path())
@click.option("--ledger", type=click.Path(dir_okay=False), required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True)
def restore(clean_paths: tuple[str, ...], ledger: str, out_dir: str) -> None:
    """Rebuild every original input byte for byte from the cleaned files (or only
    CLEAN_PATHS: files or folders) into OUT, checking each against its recorded
    input sha256, back through every earlier run that cleaned the same file. Needs
    a ledger written with --provenance-text=full (the default); an earlier run
    recorded without it stops the way back there (exit 1, saying so).
    """

    def body() -> int:
        led = Path(ledger)
        selected = [Path(p).resolve() for p in clean_paths]
        malformed: list[str] = []
        histories = record_history(led, malformed)
        for line in malformed:
            click.echo(safe_text(line), err=True)
        failed, done, partly = len(malformed), 0, 0
        names, ids = NameMap(), set()  # x.txt from two input folders: two restored files
        for (cleaned, key), history in histories.items():
            if not _wanted(cleaned, selected):
                continue
            rec = history[-1]
            doc_id = rec["doc"]["id"]
            try:
                why = needs_full_text(rec)
                if why:
                    raise IntegrityError(why)
                data = record_bytes(rec, cleaned) if key else cleaned.read_bytes()
                if sha256(data) != rec["output"]["digest"]:
                    raise IntegrityError(f"{doc_id}: {cleaned} changed since the run "
                                         f"(sha256 differs from the record)")
                raw, short = restore_chain(data, history)
                name = restored_name(rec)
                inside(Path(out_dir), name)  # refuse a recorded name that leaves --out
                ident = str(doc_id) if str(doc_id) not in ids else f"{doc_id}\0{cleaned}#{key}"
                ids.add(ident)  # the id as fix --out keyed it: the same ~tag as its output
                write_atomic(inside(Path(out_dir), names.claim(name, ident)), raw)
                if short is not None:
                    click.echo(safe_text(f"{doc_id}: {short}"), err=True)
                    partly += 1
            except (OSError, ProvlintError, ValueError) as exc:
                msg = str(exc) if isinstance(exc, IntegrityError) else f"cannot restore: {exc}"
                click.echo(safe_text(msg if msg.startswith(f"{doc_id}: ") else f"{doc_id}: {msg}"),
                           err=True)
                failed += 1
                continue
            done += 1
        only = f" ({partly} only partly: see above)" if partly else ""
        click.echo(f"Restored {done} document{'s' if done != 1 else ''}{only}; {failed} failed.")
        return int(failed > 0 or partly > 0)

    sys.exit(run_guarded(body))
