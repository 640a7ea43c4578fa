"""Exclusion globs: which paths a run leaves alone.

Globs (``exclude``, ``extend-exclude``, ``--exclude``) are matched with
``fnmatch`` against a path and each of its parts, so ``vendor`` names every
folder of that name and ``notes/*.md`` a path. As in ruff, paths are taken
relative to the configuration's folder (the project root).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from fnmatch import fnmatch
from pathlib import Path
from typing import Any


def exclusions(config: Mapping[str, Any], exclude: Sequence[str],
               force_exclude: bool | None) -> tuple[tuple[str, ...], bool]:
    """A run's exclusion globs (``exclude``, ``extend-exclude``, ``--exclude``) and
    whether they cover paths named explicitly (``--force-exclude``/``--no-force-exclude``;
    None: the ``force-exclude`` key decides)."""
    globs = (*config.get("exclude", ()), *config.get("extend-exclude", ()), *exclude)
    force = bool(config.get("force-exclude", False)) if force_exclude is None else force_exclude
    return globs, force


def normal_globs(globs: Sequence[str], root: str) -> tuple[str, ...]:
    """``globs`` as ruff reads them: a trailing slash (``sub/``) or a leading ``./`` adds
    nothing, and an absolute glob inside ``root`` is relative to it. (They matched no
    path, which are relative, so ``--exclude sub/`` excluded nothing.)"""
    out = []
    for glob in globs:
        if os.path.isabs(glob) and (rel := under_root(glob, root)) is not None:
            glob = rel
        while glob.startswith("./"):
            glob = glob[2:]
        out.append(glob.rstrip("/") or glob)
    return tuple(out)


def excluded(rel: str, exclude: Sequence[str], prefix: str = "") -> bool:
    """Whether a glob matches ``rel`` or one of its parts; with ``prefix`` (the
    walked folder's path from the root, ``notes/``) also ``prefix + rel``."""
    parts = rel.split("/")
    return (any(fnmatch(rel, pat) or any(fnmatch(p, pat) for p in parts) for pat in exclude)
            or (bool(prefix) and any(fnmatch(prefix + rel, pat) for pat in exclude)))


def under_root(path: str | Path, root: str) -> str | None:
    """``path`` relative to ``root`` (posix, ``.`` for the root itself), or None
    when it lies outside."""
    try:
        rel = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return Path(rel).as_posix()


def force_excluded(path: str, exclude: Sequence[str], root: str) -> bool:
    """Whether ``exclude`` covers a path named on the command line (``--force-exclude``).

    As ruff does, the globs are matched against the path relative to ``root``
    (the configuration's folder), whole and part by part, the way a folder's
    contents are matched: ``vendor`` covers ``vendor/x.txt``, ``notes/*.md``
    covers ``notes/a.md`` from any working directory. A path outside ``root``
    is matched as given.
    """
    exclude = normal_globs(exclude, root)
    rel = under_root(path, root)
    if rel == ".":
        return False  # the root itself: its own name is not part of the project's paths
    return excluded(rel if rel is not None else Path(os.path.normpath(path)).as_posix(),
                     exclude)
