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
from typing import TextIO

from ..errors import ConfigError
from ..registry import Rule
from .ci import render_github, render_gitlab, render_junit
from .rows import Row
from .sarif import render_sarif

RowRenderer = Callable[[Sequence[Row], Mapping[str, Rule], TextIO], None]

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
                checked: Sequence[str] = ()) -> None:
    """Render ``rows`` in a machine format; ``checked`` (the paths of every checked
    document) gives JUnit a passing testcase for each file without findings."""
    if fmt == "junit":
        render_junit(rows, rules, out, checked=checked)
    else:
        ROW_FORMATTERS[fmt](rows, rules, out)


def write_row_report(fmt: str, rows: Sequence[Row], rules: Mapping[str, Rule],
                     path: str, checked: Sequence[str] = ()) -> None:
    """Render ``rows`` in a machine format into ``path`` (UTF-8, no BOM)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        render_rows(fmt, rows, rules, fh, checked)


__all__ = ["ROW_FORMATTERS", "Row", "RowRenderer", "parse_report_specs", "render_rows",
           "write_row_report"]
