"""Finding the input files: the paths named, folders walked with the include and
exclude globs, and each path a run cannot read or must not follow named as a finding
(PL901, PL906) instead of stopping the run (split from ``io``, which reads and writes
them).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path

from .errors import InputError
from .excludes import excluded, force_excluded, normal_globs, under_root
from .io import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, Source, input_finding
from .model import Finding


def _link_problem(f: Path, doc_id: str, roots: Sequence[str]) -> Finding | None:
    """PL906 when ``f`` is a symlink whose target lies outside every input root."""
    if not os.path.islink(f):
        return None
    target = os.path.realpath(f)
    if any(target == r or target.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
        return None
    return input_finding(doc_id, "PL906", "symlink-outside-inputs",
                         f"symlink to {target}, outside the paths given; not read, not written")


def _display(path: Path) -> str:
    # abspath, not resolve: a symlink is shown under its own name, not its target's
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(
    paths: Sequence[str],
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = (),
    skip: Path | None = None,
    root: str | None = None,
    force_exclude: bool = False,
) -> Iterator[Source]:
    """Expand files and folders (recursively, sorted) into sources.

    A path that does not exist is a source carrying a PL901 problem (as ruff's
    E902: the run goes on, the exit code says it); files named explicitly are
    taken whatever their extension, and a file met twice (named twice, or named
    and inside a folder given) is taken once. A symlink is followed only when its
    target lies inside a folder given (or the folder of a file given);
    otherwise its source carries a PL906 problem and is neither read nor written.
    ``skip`` is a folder never walked into: the run's output folder, so that
    ``--out`` inside an input folder does not make the outputs inputs next time.

    ``exclude`` globs are matched against a folder's contents relative to the
    folder given and, when the folder lies inside ``root`` (the configuration's
    folder), relative to ``root`` too, so ``notes/*.md`` means the project's
    notes from any working directory. With ``force_exclude`` a file or folder
    named explicitly that they cover (``force_excluded``) is skipped silently,
    as pre-commit needs: it names every staged file.
    """
    excl = normal_globs((*DEFAULT_EXCLUDE, *exclude), root or os.curdir)
    skipped = os.path.realpath(skip) if skip is not None else None
    seen: set[str] = set()
    roots = [os.path.realpath(r if os.path.isdir(r) else os.path.dirname(os.path.abspath(r)))
             for r in paths if os.path.lexists(r)]
    for raw in paths:
        p = Path(raw)
        why = _lstat_error(raw)  # a typo (or a folder we may not enter) is reported
        missing = why is not None  # even where excluded
        if force_exclude and not missing and force_excluded(raw, excl, root or os.curdir):
            continue
        if not os.path.isdir(raw):  # Path.is_dir raises for a file in a folder we may not enter
            if _first(p, seen):
                shown = _display(p)
                yield Source(p, shown, p.name if p.is_absolute() or ".." in p.parts
                             else p.as_posix(), _missing(shown, why) if why is not None
                             else _link_problem(p, shown, roots))
            continue
        if skipped is not None and os.path.realpath(p) == skipped:
            raise InputError(f"the output folder {skip} is the input folder {raw}: "
                             "choose another output folder")
        top = under_root(p, root) if root is not None else None
        prefix = "" if top in (None, ".") else f"{top}/"  # root-relative names differ
        unread: list[OSError] = []
        for dirpath, dirnames, filenames in _walk(p, unread):
            for exc in unread:  # a folder that cannot be listed: PL901, not a silent skip
                d = Path(os.fsdecode(exc.filename))
                yield Source(d, _display(d), d.relative_to(p).as_posix(),
                             _missing(_display(d), exc.strerror or str(exc), "folder"))
            unread.clear()
            base = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not excluded(
                                     (base / d).relative_to(p).as_posix(), excl, prefix)
                                 and (skipped is None or os.path.realpath(base / d) != skipped))
            for name in sorted(filenames):
                f = base / name
                rel = f.relative_to(p).as_posix()
                if (excluded(rel, excl, prefix) or not any(fnmatch(name, g) for g in include)
                        or not _first(f, seen)):
                    continue
                shown = _display(f)
                yield Source(f, shown, rel, _link_problem(f, shown, roots))


def _missing(doc_id: str, why: str = os.strerror(errno.ENOENT), what: str = "file") -> Finding:
    """PL901 for a path given that does not exist (or cannot be looked at: ``why``),
    or a folder that cannot be listed (``what``)."""
    return input_finding(doc_id, "PL901", "unreadable-file", f"cannot read {what}: {why}")


def _lstat_error(path: str) -> str | None:
    """Why ``path`` cannot be looked at (no such file, a folder on the way we may not
    enter), or None."""
    try:
        os.lstat(path)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _walk(top: Path, errors: list[OSError]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top)``, keeping in ``errors`` the folders it could not list (os.walk skips
    them silently); a last empty step lets the caller report the last of them."""
    yield from os.walk(top, onerror=errors.append)
    yield str(top), [], []


def _first(path: Path, seen: set[str]) -> bool:
    """True the first time ``path`` (as an absolute, normalised path) is met."""
    key = os.path.abspath(path)
    if key in seen:
        return False
    seen.add(key)
    return True
