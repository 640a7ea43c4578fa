"""The pre-commit path (`provlint check` / `provlint fix`) must not import pandas
or pandera: they cost a large share of a hook's start-up and belong to `report`.

How: the command runs in a fresh interpreter through a tiny driver that calls
the console-script entry point (``provlint.cli.main``) and, at exit, writes
``sorted(sys.modules)`` to a file. That is every module the run loaded,
however it was imported (``-X importtime`` would miss modules loaded through
``importlib.import_module``, which the lazy subcommands use). Timings are
measured in bench/startup.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "pandera", "pyarrow", "numpy", "dask", "distributed")

DRIVER = """
import atexit, os, sys
SITE = sorted(sys.modules)  # what the interpreter and site (.pth hooks) loaded before us
def dump():
    loaded = sorted(sys.modules)  # before json, which the run itself may not need
    import json
    with open(os.environ["PROVLINT_MODULES_OUT"], "w") as fh:
        json.dump({"all": loaded, "site": SITE}, fh)
atexit.register(dump)
if sys.argv[1] == "--import":
    __import__(sys.argv[2])
else:
    from provlint.cli import main
    main(sys.argv[1:])
"""


def loaded_modules(tmp_path: Path, *args: str, since_site: bool = False,
                   cache: bool = False) -> tuple[int, set[str]]:
    """Exit code and the modules loaded by the end of ``provlint *args`` (``since_site``:
    only those loaded after start-up's site hooks, which may import anything; ``cache``:
    with the start-up cache, off in tests otherwise)."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "PROVLINT_MODULES_OUT": str(out)}
    env.pop("PROVLINT_OUTPUT_FORMAT", None)
    if cache:
        env.pop("PROVLINT_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-c", DRIVER, *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)
    assert out.exists(), proc.stderr[-2000:]
    found = json.loads(out.read_text())
    return proc.returncode, set(found["all"]) - (set(found["site"]) if since_site else set())


@pytest.mark.parametrize("command", ["check", "fix"])
def test_check_and_fix_do_not_import_pandas_or_pandera(tmp_path: Path, command: str) -> None:
    (tmp_path / "story.txt").write_text("Headline  \n\nBody text.\n\n\n")
    code, modules = loaded_modules(tmp_path, command, "story.txt")
    assert code == 1  # it really ran: findings (check) or a rewritten file (fix)
    assert "provlint.engine" in modules and "provlint.commands.check" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"`provlint {command}` imported {heavy[:10]}"
    if command == "fix":
        assert (tmp_path / "story.txt").read_text() == "Headline\n\nBody text.\n"


def test_check_does_not_load_the_other_commands(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Clean.\n")
    code, modules = loaded_modules(tmp_path, "check", "story.txt")
    assert code == 0
    loaded = {m for m in modules if m.startswith("provlint.commands.")}
    assert loaded == {"provlint.commands.check", "provlint.commands.findings"}  # its own two


def test_detector_is_not_blind(tmp_path: Path) -> None:
    """The same driver does see pandas when something imports it."""
    code, modules = loaded_modules(tmp_path, "--import", "pandas")
    assert code == 0
    assert {"pandas", "numpy"} <= modules


def test_local_report_does_not_import_dask(tmp_path: Path) -> None:
    """Only --engine dask needs dask; building a pandera DataFrameModel's schema would
    import dask.dataframe (~0.5 s), so the report tables are DataFrameSchema objects."""
    (tmp_path / "story.txt").write_text("Headline  \n\nBody text.\n")
    code, modules = loaded_modules(tmp_path, "report", "--jobs", "1", "--isolated",
                                   "--out", "out", "story.txt")
    assert code == 0 and (tmp_path / "out" / "findings.parquet").exists()
    assert "pandera" in modules
    assert sorted(m for m in modules if m.split(".")[0] in {"dask", "distributed"}) == []


def test_check_names_every_row_format() -> None:
    """check lists the CI row formats by name so that it need not import their renderers."""
    from provlint.commands.findings import ROW_FORMATS
    from provlint.report import ROW_FORMATTERS

    assert tuple(ROW_FORMATTERS) == ROW_FORMATS


def test_plain_check_skips_what_only_some_options_need(tmp_path: Path) -> None:
    """A plain `provlint check FILE` (the commit-hook case) loads no report renderers,
    baseline, ledger, --out name mapping or diff code, no TOML parser (the tables come from
    the start-up cache), no OpenSSL (a small file's digest
    uses the built-in SHA-256), no HTML entity table (the text has no "&") and no
    importlib.metadata (no rule pack is installed)."""
    (tmp_path / "story.txt").write_text("Headline  \n")
    loaded_modules(tmp_path, "check", "story.txt", cache=True)  # fills the cache
    code, modules = loaded_modules(tmp_path, "check", "story.txt", since_site=True, cache=True)
    assert code == 1
    optional = {"provlint.report", "provlint.baseline", "provlint.ledger", "provlint.safepath",
                "difflib", "tempfile", "tomllib", "hashlib", "_hashlib", "html",
                "importlib.metadata"}
    assert optional & modules == set()


def test_fix_in_place_builds_no_provenance_records(tmp_path: Path) -> None:
    """`provlint fix FILE` without a ledger keeps no provenance records (nothing would
    write them), so it never serialises the rule set for a record's digest (json)."""
    for args, builds in ((["story.txt"], False), (["--ledger", "p.jsonl", "story.txt"], True)):
        (tmp_path / "story.txt").write_text("Headline  \n")
        code, modules = loaded_modules(tmp_path, "fix", *args, since_site=True)
        assert code == 1 and (tmp_path / "story.txt").read_text() == "Headline\n"
        assert ("json" in modules) == builds, args


GC_DRIVER = """
import atexit, gc, json, os, sys
def dump():
    with open(os.environ["PROVLINT_MODULES_OUT"], "w") as fh:
        json.dump({"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                   "default": DEFAULT}, fh)
DEFAULT = gc.get_threshold()
atexit.register(dump)
from provlint.__main__ import main
main()
"""


def test_console_script_collects_garbage_again_once_the_rules_are_ready(tmp_path: Path) -> None:
    """The entry point raises the collector threshold for start-up only (provlint.startup):
    by exit the default is back and start-up's objects are frozen."""
    (tmp_path / "story.txt").write_text("Headline  \n")
    out = tmp_path / "modules.json"
    proc = subprocess.run([sys.executable, "-c", GC_DRIVER, "check", "story.txt"], cwd=tmp_path,
                          env={**os.environ, "PROVLINT_MODULES_OUT": str(out)},
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    state = json.loads(out.read_text())
    assert state["threshold"] == state["default"]
    assert state["frozen"] > 1000


def test_startup_pause_and_resume_restore_the_threshold() -> None:
    import gc

    from provlint import startup

    before = gc.get_threshold()
    startup.resume()  # without pause(): nothing to undo, nothing frozen
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    startup.pause()
    try:
        assert gc.get_threshold()[0] > before[0]
    finally:
        startup.resume()
        gc.unfreeze()
    assert gc.get_threshold() == before


@pytest.mark.parametrize("size", [0, 3, 1 << 16, (1 << 16) + 1, 1 << 20])
def test_sha256_matches_hashlib_below_and_above_the_openssl_size(size: int) -> None:
    import hashlib

    from provlint.io import sha256

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert sha256(data) == "sha256:" + hashlib.sha256(data).hexdigest()


def test_fix_writes_without_tempfile(tmp_path: Path) -> None:
    """fix writes through provlint.atomic.temp_file, not tempfile (shutil, bz2, lzma, random)."""
    (tmp_path / "story.txt").write_text("Headline  \n")
    code, modules = loaded_modules(tmp_path, "fix", "story.txt", since_site=True)
    assert code == 1 and (tmp_path / "story.txt").read_text() == "Headline\n"
    assert {"tempfile", "shutil", "random"} & modules == set()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["modules.json", "story.txt"]


def test_temp_file_is_new_private_and_unique(tmp_path: Path) -> None:
    from provlint.atomic import temp_file

    made = [temp_file(tmp_path, ".x-") for _ in range(50)]
    for fd, name in made:
        os.write(fd, b"data")
        os.close(fd)
        assert Path(name).parent == tmp_path and Path(name).name.startswith(".x-")
        assert (os.stat(name).st_mode & 0o777) == 0o600
    assert len({name for _, name in made}) == 50


LEAVE = """
import atexit, sys, threading, time
from provlint import startup
atexit.register(lambda: print("atexit ran", file=sys.stderr))
print("x" * 200_000)  # more than a pipe buffer: it must all be flushed
if sys.argv[1] == "thread":
    threading.Thread(target=lambda: (time.sleep(0.3), print("thread done")), daemon=False).start()
startup.leave(None if sys.argv[2] == "none" else sys.argv[2] if sys.argv[2].isalpha()
              else int(sys.argv[2]))
print("not reached")
"""


@pytest.mark.parametrize(("threads", "code", "status"),
                         [("main", "none", 0), ("main", "1", 1), ("main", "2", 2),
                          ("main", "300", 44), ("main", "bad", 1), ("thread", "1", 1)])
def test_leave_exits_as_sys_exit_would(threads: str, code: str, status: int) -> None:
    proc = subprocess.run([sys.executable, "-c", LEAVE, threads, code], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == status
    lines = proc.stdout.splitlines()
    assert lines[0] == "x" * 200_000 and "not reached" not in proc.stdout
    assert ("thread done" in lines) == (threads == "thread")  # a live thread: normal exit
    assert "atexit ran" in proc.stderr
    assert ("bad" in proc.stderr) == (code == "bad")


def test_check_through_the_console_entry_keeps_exit_codes_and_output(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"s{i}.txt").write_text("Live now\nStart time\n\nBody text.  \n")
    (tmp_path / "clean.txt").write_text("Body text.\n")
    run = [sys.executable, "-m", "provlint", "check", "--output-format", "json"]
    dirty = subprocess.run([*run, *sorted(p.name for p in tmp_path.glob("s*.txt"))],
                           cwd=tmp_path, capture_output=True, text=True, check=False)
    assert dirty.returncode == 1 and len(json.loads(dirty.stdout)) >= 60
    clean = subprocess.run([*run, "clean.txt"], cwd=tmp_path, capture_output=True, text=True,
                           check=False)
    assert clean.returncode == 0 and json.loads(clean.stdout) == []
    fixed = subprocess.run([sys.executable, "-m", "provlint", "fix", "s0.txt"], cwd=tmp_path,
                           capture_output=True, text=True, check=False)
    assert fixed.returncode == 1 and (tmp_path / "s0.txt").read_text() == "Body text.\n"
