"""The optional compiled helpers (``provlint._speedups``, C), or None.

The extension is built by ``pip install`` (``setup.py``; a failed build
leaves it out and warns). Each of its functions has a pure-Python twin
that is the specification; ``tests/test_native.py`` asserts both give
the same results. ``SPEEDUPS`` is None, and the pure code runs, when:

- ``PROVLINT_PURE`` is set to anything but "" or "0";
- the extension is not built (a plain checkout, an unsupported platform);
- it is stale: ``_speedups.c`` beside it is newer than the built module (an
  edited or freshly checked-out source not rebuilt yet; rebuild with
  ``pip install -e .`` or ``python setup.py build_ext --inplace``), which
  also warns, so a developer is not measuring or testing old code silently.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType


def _load() -> ModuleType | None:
    if os.environ.get("PROVLINT_PURE", "") not in ("", "0"):
        return None
    try:
        from . import _speedups
    except ImportError:
        return None
    if stale(_speedups):
        sys.stderr.write("provlint: the compiled helpers are older than _speedups.c and are"
                         " not used; rebuild: pip install -e . (or python setup.py"
                         " build_ext --inplace)\n")
        return None
    return _speedups


def stale(mod: ModuleType) -> bool:
    """True when the C source next to the built module ``mod`` is newer than it."""
    built = mod.__file__ or ""
    source = os.path.join(os.path.dirname(built), "_speedups.c")
    try:
        return os.stat(source).st_mtime > os.stat(built).st_mtime
    except OSError:  # an installed wheel ships no source
        return False


SPEEDUPS = _load()
