"""provlint.startup.defer: a deferred module runs its code on first use, once, and is
the same module object before and after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from provlint import startup


@pytest.fixture
def module_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module on sys.path that counts how many times its code ran."""
    name = "provlint_deferred_probe"
    (tmp_path / f"{name}.py").write_text(
        "import builtins\n"
        "builtins.provlint_probe_runs = getattr(builtins, 'provlint_probe_runs', 0) + 1\n"
        "VALUE = 42\n"
        "def twice(x):\n    return 2 * x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    import builtins

    monkeypatch.setattr(builtins, "provlint_probe_runs", 0, raising=False)
    yield name
    sys.modules.pop(name, None)


def runs() -> int:
    import builtins

    return int(getattr(builtins, "provlint_probe_runs", 0))


def test_import_binds_the_module_without_running_it(module_file: str) -> None:
    startup.defer(module_file)
    module = __import__(module_file)
    assert runs() == 0 and module is sys.modules[module_file]
    assert module.__name__ == module_file and module.__spec__.name == module_file
    assert module.VALUE == 42 and runs() == 1  # first attribute it lacks: its code runs
    assert module.twice(3) == 6 and runs() == 1  # once
    assert type(module) is type(sys) and sys.modules[module_file] is module


def test_from_import_runs_it(module_file: str) -> None:
    startup.defer(module_file)
    namespace: dict[str, object] = {}
    exec(f"from {module_file} import twice", namespace)
    assert runs() == 1 and namespace["twice"](4) == 8  # type: ignore[operator]


def test_a_missing_attribute_is_still_an_attribute_error(module_file: str) -> None:
    startup.defer(module_file)
    module = sys.modules[module_file]
    with pytest.raises(AttributeError):
        _ = module.no_such_name
    assert runs() == 1 and module.VALUE == 42


def test_loaded_and_unknown_modules_are_left_alone() -> None:
    loaded = sys.modules["json"] if "json" in sys.modules else __import__("json")
    startup.defer("json")
    assert sys.modules["json"] is loaded
    startup.defer("provlint_no_such_module_anywhere")
    assert "provlint_no_such_module_anywhere" not in sys.modules


DRIVER = """
import atexit, json, os, sys
def dump():
    with open(os.environ["PROVLINT_MODULES_OUT"], "w") as fh:
        json.dump({name: type(sys.modules.get(name)).__name__ for name in DEFERRED
                   if name not in SITE}, fh)
SITE = set(sys.modules)  # a .pth hook of this machine may have loaded some already
from provlint.startup import DEFERRED
atexit.register(dump)
from provlint.__main__ import main
main()
"""


@pytest.mark.parametrize("command", ["check", "fix"])
def test_the_commit_hook_commands_never_run_the_deferred_modules(
        tmp_path: Path, command: str) -> None:
    """Through the console entry point, check and fix (with and without the start-up
    cache) leave every module in startup.DEFERRED unrun (unless the interpreter's site
    hooks loaded it first), and still do their work."""
    out = tmp_path / "modules.json"
    for env_cache in ({"PROVLINT_NO_CACHE": "1"}, {}):
        (tmp_path / "story.txt").write_text("Headline  \n\nBody text.\n")
        env = {k: v for k, v in os.environ.items() if k != "PROVLINT_NO_CACHE"}
        proc = subprocess.run([sys.executable, "-c", DRIVER, command, "story.txt"],
                              cwd=tmp_path, capture_output=True, text=True, check=False,
                              env={**env, **env_cache, "PROVLINT_MODULES_OUT": str(out)})
        assert proc.returncode == 1, proc.stderr
        state = json.loads(out.read_text())
        assert set(state.values()) <= {"_Deferred", "NoneType"}, state
        assert "_Deferred" in state.values()
        if command == "fix":
            assert (tmp_path / "story.txt").read_text() == "Headline\n\nBody text.\n"
        else:
            assert "PL001" in proc.stdout
