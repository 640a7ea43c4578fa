"""Fixtures for the hostile-input tests: a temporary working folder, the CLI
in-process, the CLI as a real subprocess, and a test-only rule pack.

Every test runs in its own temporary folder (the working directory is changed
there), so no configuration of this repository is picked up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result

from provlint.cli import cli

# Residue the default rule set removes with safe fixes: trailing white space and
# blank lines at the end (whitespace rules only, so boilerplate rules can evolve).
DIRTY = "The council met on Tuesday.  \nIt approved the budget.\t\n\n\n"
CLEAN = "The council met on Tuesday.\nIt approved the budget.\n"

# A test-only rule pack, installed on PYTHONPATH with a dist-info folder so the
# real entry-point loader finds it: PL597 runs a user pattern from its
# options through safe_regex; PL598 crashes on documents containing "BOOM";
# PL596 puts each line holding "ECHO" into a finding message, verbatim.
PACK = '''
from provlint.model import Hit, Span
from provlint.registry import rule
from provlint.safe_regex import compile_pattern


@rule(code="PL597", name="custom-pattern")
def custom_pattern(doc, *, pattern: str = "^$"):
    """A user-supplied pattern.

    Why: test pack.
    Fix safety: no fix.

    Bad: "x"
    Good: "y"
    """
    for m in compile_pattern(pattern, rule="PL597 custom-pattern").finditer(doc.text):
        yield Hit(Span(m.start(), m.end()), "pattern matched")


@rule(code="PL596", name="echo-line")
def echo_line(doc):
    """Echoes each line holding ECHO in its message (hostile text reaches reports).

    Why: test pack.
    Fix safety: no fix.

    Bad: "ECHO"
    Good: "quiet"
    """
    pos = 0
    for line in doc.text.splitlines(keepends=True):
        if "ECHO" in line:
            yield Hit(Span(pos, pos + len(line)), "echo: " + line)
        pos += len(line)


@rule(code="PL598", name="crashes-on-boom")
def crashes_on_boom(doc):
    """Crashes on BOOM.

    Why: test pack.
    Fix safety: no fix.

    Bad: "BOOM"
    Good: "calm"
    """
    if "BOOM" in doc.text:
        raise ZeroDivisionError("the test rule exploded")
    yield from ()
'''


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVLINT_OUTPUT_FORMAT", raising=False)


def run(*args: str, input: bytes | str | None = None) -> Result:
    """The CLI in-process (``--isolated`` is the caller's choice)."""
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def write(path: str | Path, data: bytes | str) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def ledger_lines(path: Path) -> list[dict[str, object]]:
    """Every line of a ledger, which must each be one complete JSON record."""
    raw = path.read_bytes()
    assert raw.endswith(b"\n") or not raw
    return [json.loads(line) for line in raw.decode("ascii").splitlines()]


Spawn = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the test rule pack as an installed distribution."""
    site = tmp_path_factory.mktemp("site")
    (site / "hostile_pack.py").write_text(textwrap.dedent(PACK), encoding="utf-8")
    info = site / "hostile_pack-0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hostile-pack\nVersion: 0.0\n")
    (info / "entry_points.txt").write_text("[provlint.checks]\nhostile = hostile_pack\n")
    return site


@pytest.fixture
def spawn(pack_dir: Path) -> Spawn:
    """Run ``python -m provlint ARGS`` as a real process (with the test pack)."""

    def go(*args: str, timeout: float = 60, env: dict[str, str] | None = None,
           preexec: Callable[[], None] | None = None,
           stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        full = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(pack_dir), *filter(None, [os.environ.get("PYTHONPATH")])])}
        full.pop("PROVLINT_OUTPUT_FORMAT", None)
        full.update(env or {})
        return subprocess.run([sys.executable, "-m", "provlint", *args], capture_output=True,
                              text=True, timeout=timeout, env=full, preexec_fn=preexec,
                              input=stdin, check=False)

    return go


def popen(args: Sequence[str], pack: Path | None = None) -> subprocess.Popen[str]:
    """Start ``python -m provlint ARGS`` without waiting."""
    env = dict(os.environ)
    env.pop("PROVLINT_OUTPUT_FORMAT", None)
    return subprocess.Popen([sys.executable, "-m", "provlint", *args], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


@pytest.fixture
def h() -> SimpleNamespace:
    """The helpers above, for test modules (importlib mode cannot import conftest)."""
    return SimpleNamespace(DIRTY=DIRTY, CLEAN=CLEAN, run=run, write=write,
                           ledger_lines=ledger_lines, popen=popen)
