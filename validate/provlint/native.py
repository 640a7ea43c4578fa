"""The optional compiled helpers (``provlint._speedups``, C), or None.

The extension is built by ``pip install`` (``setup.py``; a failed build
leaves it out and warns). Each of its functions has a pure-Python twin
that is the specification; ``tests/test_native.py`` asserts both give
the same results. ``SPEEDUPS`` is None, and the pure code runs, when:

- ``PROVLINT_PURE`` is set to anything but "" or "0";
- the extension is not built (a plain checkout, an unsupported platform);
- it is stale: a C source beside it (``_speedups*.c``, ``.h``) is newer than the built module (an
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
        sys.stderr.write("provlint: the compiled helpers are older than their C source and are"
                         " not used; rebuild: pip install -e . (or python setup.py"
                         " build_ext --inplace)\n")
        return None
    return _speedups


SOURCES = ("_speedups.c", "_speedups.h", "_speedups_shape.c", "_speedups_loops.c",
           "_speedups_credit.c", "_speedups_linetests.c", "_speedups_layout.c",
           "_speedups_whitespace.c", "_speedups_repeats.c", "_speedups_scan.c",
           "_speedups_credit_scan.c", "_speedups_engine.c",
           "_speedups_records.c", "_speedups_hits.c", "_speedups_memo.c",
           "_speedups_edits.c", "_speedups_passtext.c",
           "_speedups_model.c", "_speedups_resplit.c",
           "_speedups_rules.c", "_speedups_fixpass.c")


def stale(mod: ModuleType) -> bool:
    """True when a C source next to the built module ``mod`` is newer than it."""
    built = mod.__file__ or ""
    try:
        when = os.stat(built).st_mtime
    except OSError:
        return False
    for name in SOURCES:
        try:
            if os.stat(os.path.join(os.path.dirname(built), name)).st_mtime > when:
                return True
        except OSError:  # an installed wheel ships no source
            continue
    return False


SPEEDUPS = _load()
