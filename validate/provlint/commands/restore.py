"""``provlint restore``: rebuild original inputs from cleaned text + ledger."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..cli import Abort, cli, run_guarded
from ..errors import IntegrityError
from ..io import write_atomic
from ..provenance import read_ledger, restore_bytes


def latest_records(ledger: Path) -> dict[str, dict[str, Any]]:
    """The newest record per document id."""
    if not ledger.is_file():
        raise Abort(f"ledger not found: {ledger}")
    out: dict[str, dict[str, Any]] = {}
    for rec in read_ledger(ledger):
        out[rec["doc"]["id"]] = rec
    return out


@cli.command()
@click.argument("clean_paths", nargs=-1, type=click.Path())
@click.option("--ledger", type=click.Path(dir_okay=False), required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True)
def restore(clean_paths: tuple[str, ...], ledger: str, out_dir: str) -> None:
    """Rebuild every original input byte for byte from the cleaned files."""

    def body() -> int:
        led = Path(ledger)
        records = latest_records(led)
        wanted = {Path(p).resolve() for p in clean_paths}
        failed = done = 0
        for doc_id, rec in records.items():
            rel = rec["output"]["path"]
            cleaned = led.parent / rel
            if wanted and cleaned.resolve() not in wanted:
                continue
            try:
                raw = restore_bytes(cleaned.read_bytes(), rec)
            except (OSError, IntegrityError) as exc:
                click.echo(f"{doc_id}: cannot restore: {exc}", err=True)
                failed += 1
                continue
            write_atomic(Path(out_dir) / rel.removeprefix("clean/"), raw)
            done += 1
        click.echo(f"Restored {done} document{'s' if done != 1 else ''}; {failed} failed.")
        return int(failed > 0)

    sys.exit(run_guarded(body))
