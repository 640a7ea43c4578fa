"""Writing files atomically: outputs, rewrites in place, cache entries.

A file is written to a private temporary file in its folder, then renamed
over its name, so a reader sees the old text or the new, never part of
either. Reading takes a shared advisory lock (``locked``) so that a rewrite
of a hard-linked file in place, which cannot rename, waits for its readers.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextlib.contextmanager
def locked(fd: int, shared: bool) -> Iterator[None]:
    """An advisory whole-file lock: readers share, an in-place writer is alone."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


_TEMP_FLAGS = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def _flock(fd: int, flags: str) -> bool:
    """``flock(fd, LOCK_<flags> | LOCK_NB)``: False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, so nothing is swept
        return False
    try:
        fcntl.flock(fd, getattr(fcntl, f"LOCK_{flags}") | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def temp_file(folder: Path, prefix: str, suffix: str = ".tmp") -> tuple[int, str]:
    """A new empty private (0600) file in ``folder``, open for writing, and its path:
    what ``tempfile.mkstemp`` gives, without importing tempfile (with shutil, bz2,
    lzma and random it is ~5 ms of every fix run's start-up).

    The file is locked (``flock``, exclusive) from its first byte: its writer keeps
    the descriptor open until the file is renamed into place, and the lock goes with
    the process, so ``sweep_temps`` can tell a live run's file from one that a killed
    run left."""
    for _ in range(100):
        name = os.path.abspath(os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}"))
        try:
            fd = os.open(name, _TEMP_FLAGS, 0o600)
        except FileExistsError:
            continue
        _flock(fd, "EX")
        return fd, name
    raise FileExistsError(f"no free temporary file name in {folder}")


_HEX = frozenset("0123456789abcdef")
_YOUNG = 60.0  # seconds: an empty temporary file younger than this may not be locked yet


def sweep_temps(folder: Path, recursive: bool = True) -> int:
    """Delete the temporary files (``temp_file``'s names) that killed runs left in
    ``folder``; return how many. A file whose lock is held belongs to a live run and
    stays; so does an empty one made in the last minute (its writer may be between
    creating and locking it: it writes only once it holds the lock)."""
    removed = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        if not recursive:
            dirnames.clear()
        for name in filenames:
            if _temp_name(name):
                removed += _sweep_one(os.path.join(dirpath, name))
    return removed


def _temp_name(name: str) -> bool:
    """Whether ``name`` is one ``temp_file`` gives: ``.<prefix><12 hex digits>.tmp``."""
    return (len(name) >= 17 and name.startswith(".") and name.endswith(".tmp")
            and _HEX.issuperset(name[-16:-4]))


def _sweep_one(path: str) -> int:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:  # renamed into place, removed, or a symlink: not ours to sweep
        return 0
    try:
        st = os.fstat(fd)
        if (not stat.S_ISREG(st.st_mode) or not _flock(fd, "EX")
                or (st.st_size == 0 and time.time() - st.st_mtime < _YOUNG)):
            return 0
        os.unlink(path)  # under the lock: no writer owns it
        return 1
    except OSError:
        return 0
    finally:
        os.close(fd)


def output_mode(path: Path) -> int:
    """The mode a file written to ``path`` through a temporary file should get:
    the existing file's, else the umask's for a new file (not mkstemp's 0600)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def write_atomic(path: Path, data: bytes | Iterable[bytes], like: Path | None = None) -> None:
    """Write ``data`` (bytes, or chunks of bytes written one at a time so the whole
    file need not be in memory) to ``path`` via a temp file and an atomic rename.

    ``like=path`` means "rewrite this file in place": a symlink is written
    through to its target (never replaced by a regular file), and a file with
    several hard links is rewritten in its own inode under an exclusive lock,
    so every link sees the new text. Mode and ownership of ``like`` are kept;
    a new file gets the usual umask mode (not mkstemp's 0600).
    """
    chunks = (data,) if isinstance(data, bytes) else data
    in_place = like is not None and os.path.abspath(like) == os.path.abspath(path)
    if in_place:
        path = like = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    ref = like if like is not None else path
    try:
        st = None if ref.is_symlink() else ref.stat()  # in place, ``ref`` is resolved
    except FileNotFoundError:
        st = None
    if in_place and st is not None and st.st_nlink > 1:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "wb") as fh, locked(fd, shared=False):
            for chunk in chunks:
                fh.write(chunk)
            fh.truncate()
            fh.flush()
            os.fsync(fd)
        return
    fd, tmp = temp_file(path.parent, ".provlint-")
    try:
        with os.fdopen(fd, "wb") as fh:  # open (and locked) until it is renamed
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
            os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_UMASK)
            if st is not None and hasattr(os, "chown"):
                with contextlib.suppress(PermissionError):
                    os.chown(tmp, st.st_uid, st.st_gid)
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_named(path: Path, data: bytes) -> None:
    """Write ``data`` to a file the user named (``--write-baseline``, ``export-prov -o``):
    atomically, through a symlink to its target (``write_atomic`` in place), and into a
    device, FIFO or socket as it is (``/dev/stdout``, ``/dev/null``, a pipe), which a
    rename would replace with a regular file: as root, the system's own device."""
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        special = False
    if special and not os.path.isdir(path):
        with open(path, "wb") as fh:
            fh.write(data)
        return
    write_atomic(path, data, like=path)
