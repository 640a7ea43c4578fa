"""Report tables and the machine formats rendered from them.

Two paths share one set of row-level renderers (``render(rows, rules, out)``):

- ``provlint report`` builds the findings and documents rows, turns them into
  pandera-validated DataFrames (``frames.py``) and renders only once they
  pass, so a schema bug stops the run before any file is written;
- ``provlint check`` (the pre-commit path) renders SARIF, JUnit, GitHub and
  GitLab straight from the same rows, without importing pandas.

This package's ``__init__`` and the renderer modules never import pandas;
only ``frames``, ``gate``, ``corpus`` and ``html`` do, and only report code
imports those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from ..errors import ConfigError
from ..registry import Rule
from .ci import render_github, render_gitlab, render_junit
from .rows import Row
from .sarif import GITHUB_MAX_RESULTS, render_sarif

RowRenderer = Callable[[Sequence[Row], Mapping[str, Rule], TextIO], object]

ROW_FORMATTERS: dict[str, RowRenderer] = {
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "gitlab": render_gitlab,
}


def parse_report_specs(specs: Sequence[str], known: Sequence[str]) -> list[tuple[str, str]]:
    """``FORMAT=PATH`` strings from ``--report`` into pairs; an unknown format is exit 2."""
    out = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        if not sep or not path or fmt not in known:
            raise ConfigError(f"--report {spec!r}: expected FORMAT=PATH with FORMAT one of "
                              f"{', '.join(known)}")
        out.append((fmt, path))
    return out


def render_rows(fmt: str, rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO,
                checked: Sequence[str] = (), sarif_max_results: int = GITHUB_MAX_RESULTS,
                ) -> int:
    """Render ``rows`` in a machine format; ``checked`` (the paths of every checked
    document) gives JUnit a passing testcase for each file without findings. Returns
    how many rows were left out (only SARIF leaves any: ``sarif_max_results``)."""
    if fmt == "junit":
        render_junit(rows, rules, out, checked=checked)
    elif fmt == "sarif":
        return render_sarif(rows, rules, out, sarif_max_results)
    else:
        ROW_FORMATTERS[fmt](rows, rules, out)
    return 0


def write_row_report(fmt: str, rows: Sequence[Row], rules: Mapping[str, Rule],
                     path: str, checked: Sequence[str] = (),
                     sarif_max_results: int = GITHUB_MAX_RESULTS) -> int:
    """Render ``rows`` in a machine format into ``path`` (UTF-8, no BOM); how many
    rows were left out (``render_rows``). Missing parent folders are made (as ruff's
    --output-file does)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        return render_rows(fmt, rows, rules, fh, checked, sarif_max_results)


def sarif_max_results(config: Mapping[str, object]) -> int:
    """The ``sarif-max-results`` setting: a whole number, 0 for no limit (default
    GitHub's 25,000 results per run); anything else is a configuration error."""
    value = config.get("sarif-max-results", GITHUB_MAX_RESULTS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"sarif-max-results = {value!r}: expected a whole number >= 0 "
                          "(0 keeps every result)")
    return value


def omitted_note(fmt: str, path: str | None, omitted: int, limit: int) -> str:
    """What stderr says when a log left rows out."""
    return (f"provlint: {fmt} {path or 'output'} keeps the {limit} most severe results and "
            f"leaves out {omitted} (GitHub code scanning rejects a run of more than "
            f"{GITHUB_MAX_RESULTS}); set sarif-max-results = 0 to keep all")


__all__ = ["GITHUB_MAX_RESULTS", "ROW_FORMATTERS", "Row", "RowRenderer", "omitted_note",
           "parse_report_specs", "render_rows", "sarif_max_results", "write_row_report"]
