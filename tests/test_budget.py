"""The pre-commit path (`provlint check` / `provlint fix`) must not import pandas
or pandera: they cost a large share of a hook's start-up and belong to `report`.

How: the command runs in a fresh interpreter with ``-X importtime``, which
writes one stderr line per module actually imported (``import time: self |
cumulative | name``, indented by depth). The set of names parsed from those
lines is exactly the set of modules the run loaded, whatever imported them
and however lazily. Timings themselves are measured in bench/startup.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "pandera", "pyarrow", "numpy", "dask", "distributed", "prov")


def imported_modules(stderr: str) -> set[str]:
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":  # the header line
                names.add(name)
    return names


def run_importtime(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str],
                                                        set[str]]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "provlint", *args],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    return proc, imported_modules(proc.stderr)


def test_parser_sees_what_was_imported() -> None:
    stderr = ("import time: self [us] | cumulative | imported package\n"
              "import time:       120 |        340 |   pandas.core\n"
              "import time:        90 |        900 | pandas\n"
              "Found 1 finding.\n")
    assert imported_modules(stderr) == {"pandas.core", "pandas"}


@pytest.mark.parametrize("command", ["check", "fix"])
def test_check_and_fix_do_not_import_pandas_or_pandera(tmp_path: Path, command: str) -> None:
    (tmp_path / "story.txt").write_text("Headline  \n\nBody text.\n\n\n")
    proc, modules = run_importtime(tmp_path, command, "story.txt")
    assert proc.returncode == 1, proc.stderr[-2000:]  # it really ran: findings / a fix
    assert "provlint.engine" in modules and "click" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"`provlint {command}` imported {heavy[:10]}"


def test_detector_is_not_blind(tmp_path: Path) -> None:
    """The same parsing sees pandas in real -X importtime output when it is imported."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import pandas"],
                          cwd=tmp_path, capture_output=True, text=True, check=True)
    assert {"pandas", "numpy"} <= imported_modules(proc.stderr)
