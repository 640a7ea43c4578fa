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
from .cap import DEFAULT_MAX_RESULTS
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


# The setting that caps each format's results (0: no cap; see ``cap`` and ``sarif``).
LIMIT_KEYS = {"sarif": "sarif-max-results", "junit": "junit-max-results",
              "gitlab": "gitlab-max-results"}
# Why a format is capped, as stderr says it.
_LIMIT_REASONS = {
    "sarif": f"GitHub code scanning rejects a run of more than {GITHUB_MAX_RESULTS}",
    "junit": "GitLab rejects a JUnit report over 30 MB or 250,000 XML elements",
    "gitlab": "GitLab's merge request widget fails to load a Code Quality report of "
              "about 25 MB",
}
Limits = Mapping[str, int]


def render_rows(fmt: str, rows: Sequence[Row], rules: Mapping[str, Rule], out: TextIO,
                checked: Sequence[str] = (), limits: Limits | None = None) -> int:
    """Render ``rows`` in a machine format; ``checked`` (the paths of every checked
    document) gives JUnit a passing testcase for each file without findings. ``limits``
    (``result_limits``; the defaults when None) caps SARIF, JUnit and GitLab. Returns how
    many findings (or, in JUnit, testcases) were left out."""
    limit = (limits or {}).get(fmt, DEFAULT_MAX_RESULTS)
    if fmt == "junit":
        return render_junit(rows, rules, out, checked=checked, max_results=limit)
    if fmt == "sarif":
        return render_sarif(rows, rules, out, limit)
    if fmt == "gitlab":
        return render_gitlab(rows, rules, out, max_results=limit)
    ROW_FORMATTERS[fmt](rows, rules, out)
    return 0


def write_row_report(fmt: str, rows: Sequence[Row], rules: Mapping[str, Rule],
                     path: str, checked: Sequence[str] = (),
                     limits: Limits | None = None) -> int:
    """Render ``rows`` in a machine format into ``path`` (UTF-8, no BOM); how many
    rows were left out (``render_rows``). Missing parent folders are made (as ruff's
    --output-file does)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        return render_rows(fmt, rows, rules, fh, checked, limits)


def result_limits(config: Mapping[str, object]) -> dict[str, int]:
    """Each capped format's limit from its setting (``LIMIT_KEYS``): a whole number, 0
    for no limit (default ``DEFAULT_MAX_RESULTS``); anything else is a configuration
    error."""
    limits = {}
    for fmt, key in LIMIT_KEYS.items():
        value = config.get(key, DEFAULT_MAX_RESULTS)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{key} = {value!r}: expected a whole number >= 0 "
                              "(0 keeps every result)")
        limits[fmt] = value
    return limits


def omitted_note(fmt: str, path: str | None, omitted: int, limit: int) -> str:
    """What stderr says when a report left rows out."""
    what = "testcases" if fmt == "junit" else "results"
    return (f"provlint: {fmt} {path or 'output'} keeps the {limit} most severe {what} and "
            f"leaves out {omitted} ({_LIMIT_REASONS[fmt]}); set {LIMIT_KEYS[fmt]} = 0 to "
            "keep all")


__all__ = ["DEFAULT_MAX_RESULTS", "GITHUB_MAX_RESULTS", "LIMIT_KEYS", "ROW_FORMATTERS",
           "Limits", "Row", "RowRenderer", "omitted_note", "parse_report_specs", "render_rows",
           "result_limits", "write_row_report"]
