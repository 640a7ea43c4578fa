"""``provlint verify``: audit a ledger (see ``provlint.verify``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import cli, run_guarded
from ..ledger import check_ledger
from ..output import safe_text
from ..verify import verify_ledger


@cli.command()
@click.option("--ledger", type=click.Path(dir_okay=False), default="reports/provenance.jsonl",
              show_default=True, help="The provenance ledger to audit.")
@click.option("--replay", is_flag=True,
              help="Also clean each input again with the recorded configuration and compare.")
def verify(ledger: str, replay: bool) -> None:
    """Check that cleaned files match their records, restore to their inputs and
    (--replay) come out the same when cleaned again. Exit 1 naming each
    tampered, missing, unrestorable or non-reproducible document.

    Restoring needs a ledger written with --provenance-text=full (the default);
    with hash or none, restore is skipped and a note says so.
    """

    def body() -> int:
        path = Path(ledger)
        check_ledger(path)
        v = verify_ledger(path, replay=replay)
        for note in v.notes:
            click.echo(safe_text(f"note: {note}"), err=True)
        for p in v.problems:
            click.echo(safe_text(p.describe()))
        replayed = (f", {v.replayed} replayed" + (f" ({len(v.unproven)} could not be)"
                                                  if v.unproven else "")) if replay else ""
        click.echo(f"Checked {v.checked} cleaned files: {v.intact} intact, {v.restored} "
                   f"restored{replayed}; {len(v.problems)} problem"
                   f"{'s' if len(v.problems) != 1 else ''}.", err=True)
        return 0 if v.ok else 1

    sys.exit(run_guarded(body))
