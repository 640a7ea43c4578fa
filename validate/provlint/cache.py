"""An on-disk cache for what start-up derives from provlint's own data files.

Parsing the phrase rules (``rules/phrases/*.toml``) is the largest single step
of a commit hook's start-up after the imports. The CLI keeps the parsed
tables in ``.provlint_cache/<version>/`` (as ruff does with ``.ruff_cache``:
a ``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``), keyed on the tool and
Python versions and each source file's name, size and mtime, so an edited
file is parsed again. ``-n/--no-cache`` (``PROVLINT_NO_CACHE=1``) turns it
off and ``--cache-dir`` (``PROVLINT_CACHE_DIR``) moves it. Library use never
touches the disk unless ``configure`` is called.

Besides the parsed tables it holds the data rules' phrase keys (keyed also on
the source files that compute them) and, through ``load_keyed``, the
compiled code of provlint's regular expressions (``provlint.rx``, keyed on
the Python build).

Entries are ``marshal`` blobs of plain values, written atomically (a
temporary file renamed into place), so concurrent hooks never see half an
entry; anything unreadable is treated as a miss.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__

DEFAULT_DIR = ".provlint_cache"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by provlint.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")

_folder: Path | None = None  # the configured root's folder for this version (see ``folder``)


def configure(cache_dir: str | None = None, enabled: bool = True) -> None:
    """Use ``cache_dir`` (default ``$PROVLINT_CACHE_DIR`` or ``.provlint_cache``),
    or no cache when ``enabled`` is false or ``PROVLINT_NO_CACHE`` is set."""
    global _folder
    off = os.environ.get("PROVLINT_NO_CACHE", "").lower() not in ("", "0", "false", "no")
    if not enabled or off:
        _folder = None
        return
    _folder = Path(cache_dir or os.environ.get("PROVLINT_CACHE_DIR") or DEFAULT_DIR) / __version__


def configure_early(argv: Sequence[str]) -> None:
    """The console script's guess, before any command module is imported, so that the
    patterns those modules compile at import come from the cache too: the default folder,
    unless an argument may turn the cache off or move it (``-n``, ``--no-cache``,
    ``--cache-dir``, or any short-option cluster holding ``n``). The command's own options
    then configure it as usual; a guess that was wrong only costs the cache for this run."""
    for arg in argv:
        if arg == "--":
            break
        if arg.startswith(("--no-cache", "--cache-dir")) or (
                arg.startswith("-") and not arg.startswith("--") and "n" in arg):
            return
    configure()


def folder() -> Path | None:
    """This version's cache folder, or None when caching is off (made once by
    ``configure``: every cached pattern asks for it)."""
    return _folder


def _name(kind: str, sources: Sequence[Path]) -> tuple[str, str]:
    """The entry's file name and the prefix it shares with stale entries for the same
    files: ``<kind>-<which files>-<their sizes and mtimes, tool and Python versions>``."""
    from .io import sha256  # built-in SHA-256 for small inputs (no OpenSSL start-up)

    def h(parts: list[str]) -> str:
        return sha256("\n".join(parts).encode("utf-8", "surrogateescape"))[7:23]

    stamp = [__version__, sys.version]
    for p in sources:
        st = p.stat()
        stamp.append(f"{st.st_size}\0{st.st_mtime_ns}")
    prefix = f"{kind}-{h([str(p.absolute()) for p in sources])}-"
    return f"{prefix}{h(stamp)}.marshal", prefix


def cached(kind: str, sources: Sequence[Path], build: Callable[[], Any]) -> Any:
    """``build()``, or its value from an earlier run with the same ``sources``.

    ``build`` must return plain data ``marshal`` can store (dicts, lists,
    strings, numbers); a value it cannot store is simply not cached.
    """
    where = folder()
    if where is None:
        return build()
    try:
        name, prefix = _name(kind, sources)
    except OSError:  # a source is missing: build() says what is wrong
        return build()
    found = _load(where / name)
    if found is not None:
        return found
    value = build()
    store(where, name, prefix, value)
    return value


def _load(path: Path) -> Any:
    """The value stored at ``path``, or None when it is missing or unreadable."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def load_keyed(kind: str, key: Sequence[str]) -> tuple[Any, Callable[[Any], None]] | None:
    """For entries that are not derived from files: the value stored under ``kind`` and
    ``key`` (None if there is none yet) and a function that stores a new value; None when
    caching is off."""
    where = folder()
    if where is None:
        return None
    import binascii  # built in: usable while provlint.io is still being imported

    prefix = f"{kind}-"
    crc = binascii.crc32(chr(0).join(key).encode("utf-8", "surrogateescape"))
    name = f"{prefix}{crc:08x}.marshal"
    return _load(where / name), lambda value: store(where, name, prefix, value)


def store(where: Path, name: str, prefix: str, value: Any) -> None:
    """Keep ``value`` as ``where/name`` (atomically), replacing older ``prefix*`` entries;
    a value ``marshal`` cannot store, or a folder that cannot be written, is skipped."""
    with contextlib.suppress(OSError, ValueError):
        _store(where, name, prefix, marshal.dumps(value))


def _store(where: Path, name: str, prefix: str, blob: bytes) -> None:
    if not where.is_dir():
        where.mkdir(parents=True, exist_ok=True)
        root = where.parent
        for marker, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# Created by provlint\n*\n")):
            if not (root / marker).exists():
                (root / marker).write_text(text, encoding="utf-8")
    from .atomic import temp_file

    fd, tmp = temp_file(where, f".{prefix}")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, where / name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    # entries for the files before an edit (a listing, not glob: no pattern to compile)
    for old in os.listdir(where):
        if old.startswith(prefix) and old.endswith(".marshal") and old != name:
            with contextlib.suppress(FileNotFoundError):
                (where / old).unlink()
