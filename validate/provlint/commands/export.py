"""``provlint export-prov``: the ledger as W3C PROV (PROV-JSON or PROV-N)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..atomic import write_named
from ..cli import Abort, cli, run_guarded
from ..ledger import check_ledger, document_records, read_lines


@cli.command("export-prov")
@click.option("--ledger", type=click.Path(dir_okay=False), default="reports/provenance.jsonl",
              show_default=True, help="The provenance ledger to export.")
@click.option("--format", "fmt", type=click.Choice(["prov-json", "prov-n"]),
              default="prov-json", show_default=True)
@click.option("-o", "--output-file", default=None, help="Write here instead of stdout.")
def export_prov(ledger: str, fmt: str, output_file: str | None) -> None:
    """Export every document record as a PROV derivation: raw and cleaned
    documents (entities named by sha256), the run (activity), provlint@version
    (agent) and the rule set (plan). Needs the `prov` package (provlint[prov])."""

    def body() -> int:
        path = Path(ledger)
        check_ledger(path)
        try:
            from ..prov_export import serialize

            records, bad = document_records(read_lines(path))
            if bad:
                raise Abort(f"{path.name}:{bad[0][0]}: not a usable record: {bad[0][1]}"
                            + (f" (and {len(bad) - 1} more lines)" if len(bad) > 1 else ""))
            text = serialize((rec for _, rec in records), fmt)
        except ModuleNotFoundError as exc:
            if exc.name != "prov":
                raise
            raise Abort("export-prov needs the 'prov' package: "
                        "pip install 'provlint[prov]'") from None
        except (LookupError, TypeError, ValueError, AttributeError) as exc:  # edited by hand
            raise Abort(f"{path.name}: a record is damaged ({type(exc).__name__}: {exc})"
                        ) from None
        if output_file:
            write_named(Path(output_file), text.encode("utf-8"))
        else:
            click.echo(text)
        return 0

    sys.exit(run_guarded(body))
