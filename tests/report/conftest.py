"""Shared set-up for the report and CI-gate tests.

Every test runs in its own temporary working directory (no configuration
file of this repository applies) on a small corpus copied from the seeds
plus documents written here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from provlint.cli import cli

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
DATA = REPO / "tests" / "data"

# Residue several rules find: trailing spaces (PL001), a repeated line
# (PL301), trailing blank lines (PL003).
NOISY = ("Storm closes the harbour  \n\nThe harbour closed on Monday after the storm.\n"
         "The harbour closed on Monday after the storm.\n\nShips waited outside.\n\n\n\n")
CLEAN = "A short and tidy story.\n\nIt ends well.\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVLINT_OUTPUT_FORMAT", raising=False)


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return invoke


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """docs/: both seeds, a noisy document and a clean one (relative to the cwd)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, docs / seed.name)
    (docs / "noisy.txt").write_text(NOISY, encoding="utf-8")
    (docs / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return Path("docs")
