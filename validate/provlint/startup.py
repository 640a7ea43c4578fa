"""A quiet start-up: the cyclic garbage collector waits until the rules are ready.

Start-up (imports, rule registration, rule-set resolution) allocates tens of
thousands of objects that live as long as the process. With the default
threshold the collector scans them about 30 times before the first document
is read and frees nothing: about 5 % of a commit hook's run. The console
script calls ``pause()`` before importing anything heavy; ``provlint.cli.setup``
calls ``resume()`` once the rule set is resolved, which freezes what start-up
built (later collections skip it) and restores the threshold. A command that
never calls ``setup`` still collects, only less often. Nothing changes for
library use or tests, which never call ``pause()``.

At the end, ``leave`` skips the interpreter's teardown (freeing every module
and object one by one, about 1.5 ms of a hook's run) for the commit-hook
commands: it runs the ``atexit`` handlers and flushes the standard streams as
a normal exit would, then ends the process. It does this only when nothing
else can be pending: no other thread alive and no multiprocessing in use.

``defer`` keeps standard-library modules that the commit-hook commands import
through others but never use (``DEFERRED``: ipaddress through pathlib's
urllib.parse; linecache, tokenize and token through inspect; copy through
dataclasses; ~8 M instructions, ~2 ms) from running until code first asks one of
them for an attribute it lacks. The console script defers them for check and fix
only, before anything imports them; those commands run in one thread.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from importlib.machinery import PathFinder, SourceFileLoader, SourcelessFileLoader
from types import ModuleType

_STARTUP_THRESHOLD = 100_000
_saved: tuple[int, int, int] | None = None


def pause() -> None:
    """Raise the first-generation threshold for the rest of start-up."""
    global _saved
    if _saved is None:
        _saved = gc.get_threshold()
        gc.set_threshold(_STARTUP_THRESHOLD, *_saved[1:])


def resume() -> None:
    """End of start-up: freeze its objects and restore the threshold ``pause`` raised."""
    global _saved
    if _saved is not None:
        gc.freeze()
        gc.set_threshold(*_saved)
        _saved = None


FAST_EXIT_COMMANDS = frozenset({"check", "fix"})  # write only through closed atomic files


def leave(code: str | int | None) -> None:
    """End the process with ``code`` as ``sys.exit(code)`` would, without the teardown
    when that is safe (see the module docstring)."""
    import threading

    if threading.active_count() > 1 or "multiprocessing" in sys.modules:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken pipe: the normal exit reports it
        sys.exit(code)
    os._exit(status & 0xFF)  # what the C library's exit() keeps of it


DEFERRED = ("ipaddress", "linecache", "tokenize", "token", "copy")


class _Deferred(ModuleType):
    """A module whose code has not run yet: the first attribute it lacks runs it."""

    def __getattr__(self, name: str) -> object:
        loader = self.__loader__
        self.__class__ = ModuleType  # type: ignore[assignment]  # a plain module from here on
        assert isinstance(loader, SourceFileLoader | SourcelessFileLoader)  # (see defer)
        loader.exec_module(self)
        return getattr(self, name)


def defer(name: str) -> None:
    """Put the module ``name`` in ``sys.modules`` without running its code. ``import
    name`` binds it as usual; ``from name import x``, or any attribute it does not have
    yet, runs the code first. A module that is loaded already, or that is not a plain
    source or bytecode file, is left to the import system."""
    if name in sys.modules:
        return
    spec = PathFinder.find_spec(name)
    if spec is None or not isinstance(spec.loader, SourceFileLoader | SourcelessFileLoader):
        return
    module = _Deferred(name)
    module.__spec__ = spec
    module.__loader__ = spec.loader
    module.__file__ = spec.origin
    module.__cached__ = spec.cached  # type: ignore[attr-defined]
    module.__package__ = spec.parent
    sys.modules[name] = module
