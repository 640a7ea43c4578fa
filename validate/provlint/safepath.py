"""Safe output paths: hostile ids and sidecar fields never leave the output folder.

A corpus record's id, a sidecar ``path`` field or an odd file name decides
where provlint writes a cleaned copy. Any of them may be hostile or merely
unportable: ``../../x``, ``/etc/passwd``, ``C:\\x``, ``\\\\server\\share``,
NUL and other control bytes, ``CON.txt``, 10,000 characters, or two ids that
differ only in case. ``safe_relpath`` turns any string into a relative POSIX
path that is safe on Linux, macOS and Windows; ``NameMap`` hands out such
names for one output folder so that two ids never share one (the second gets
a ``~<hash>`` suffix); ``inside`` joins a name to the folder and refuses a
result that escapes it, including through a symlink already in the folder.

The caller records ``raw -> safe`` in the ledger whenever the two differ.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from . import rx
from .errors import InputError

MAX_COMPONENT_BYTES = 200  # below every common file system's 255, leaving room for a suffix
MAX_PATH_BYTES = 1024      # well below PATH_MAX (4096) for the output folder's own prefix
MAX_DEPTH = 32

_DRIVE_RE = rx.compile(r"^[A-Za-z]:")
# control characters, Windows-forbidden characters, lone surrogates (undecodable bytes)
_BAD_CHAR_RE = rx.compile(r'[\x00-\x1f\x7f-\x9f<>:"|?*\ud800-\udfff]')
_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{dev}{n}" for dev in ("com", "lpt") for n in "0123456789¹²³"}
)


_DIR = "\0dir"
_RESERVED = "\0reserved"


def _digest(raw: str, n: int = 8) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def _clip(name: str, limit: int, raw: str) -> str:
    """Shorten ``name`` to ``limit`` UTF-8 bytes, keeping its suffix and adding a hash."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 16:
        stem, suffix = name, ""
    tail = f"~{_digest(raw)}" + (f".{suffix}" if suffix else "")
    room = limit - len(tail.encode("utf-8"))
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return cut + tail


def safe_component(part: str) -> str:
    """One path component made safe: no separators, controls, reserved names or dot tricks."""
    name = unicodedata.normalize("NFC", _BAD_CHAR_RE.sub("_", part))
    name = name.rstrip(" .")  # Windows drops trailing dots and spaces
    if not name or set(name) <= {"."}:
        return ""
    if name.split(".", 1)[0].lower().rstrip(" ") in _DEVICES:
        name = "_" + name
    return _clip(name, MAX_COMPONENT_BYTES, part)


def safe_relpath(raw: str) -> str:
    """A relative POSIX path under the output folder for any string.

    Backslashes count as separators; drive letters, UNC and root prefixes,
    ``.`` and ``..`` components are dropped; characters that are unsafe on
    some file system become ``_``. The result is never empty, absolute or
    parent-relative, and at most ``MAX_PATH_BYTES`` long and ``MAX_DEPTH`` deep.
    """
    text = raw.replace("\\", "/")
    text = _DRIVE_RE.sub("", text)
    parts = [p for p in (safe_component(c) for c in text.split("/")) if p]
    if len(parts) > MAX_DEPTH:
        parts = [*parts[: MAX_DEPTH - 1], _clip("_".join(parts[MAX_DEPTH - 1:]),
                                                MAX_COMPONENT_BYTES, raw)]
    rel = "/".join(parts) or "_"
    if len(rel.encode("utf-8")) > MAX_PATH_BYTES:
        rel = _clip(rel.replace("/", "_"), MAX_COMPONENT_BYTES, raw)
    return rel


def _tagged(part: str, raw: str, attempt: int) -> str:
    """``part`` with a tag from ``raw`` before its suffix: ``a.txt`` -> ``a~1f2e3d4c.txt``."""
    tag = _digest(raw) if attempt == 1 else f"{_digest(raw)}-{attempt}"
    stem, dot, suffix = part.rpartition(".")
    if not dot or not stem:
        stem, suffix = part, ""
    return _clip(f"{stem}~{tag}" + (f".{suffix}" if suffix else ""), MAX_COMPONENT_BYTES, raw)


def _key(rel: str) -> str:
    """Names that one file system or another would treat as the same file."""
    return unicodedata.normalize("NFC", rel).casefold()


class NameMap:
    """Unique safe names for one output folder.

    ``claim(raw)`` returns the same name for the same raw string (or key)
    and a different name for every other one, even when ``safe_relpath``
    maps both to one name or they differ only in case or Unicode form
    (which macOS and Windows would merge). Names in ``reserved`` (the
    ledger, the summary) are never handed out.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.mapping: dict[str, str] = {}
        self._owner: dict[str, str] = {}  # name key -> raw id, or _DIR for a folder
        for r in reserved:
            self._take(r, _RESERVED)

    def claim(self, raw: str, key: str | None = None) -> str:
        """The safe relative path for ``raw`` in this folder.

        ``key`` identifies the document when two may share a ``raw`` name
        (``x.txt`` under two input folders); it defaults to ``raw``.
        """
        ident = raw if key is None else key
        if ident in self.mapping:
            return self.mapping[ident]
        base = safe_relpath(raw)
        name, attempt = base, 0
        while not self._free(name):
            attempt += 1
            if attempt > 1000:
                raise InputError(f"cannot find a free output name for {raw!r}")
            parts = base.split("/")
            clash = next((i for i in range(len(parts) - 1)
                          if self._owner.get(_key("/".join(parts[: i + 1])), _DIR) != _DIR),
                         len(parts) - 1)
            parts[clash] = _tagged(parts[clash], ident, attempt)
            name = "/".join(parts)
        self.mapping[ident] = name
        self._take(name, ident)
        return name

    def _take(self, name: str, owner: str) -> None:
        self._owner[_key(name)] = owner
        for p in _prefixes(name):
            self._owner.setdefault(_key(p), _DIR)

    def _free(self, name: str) -> bool:
        """Not yet a file or folder, and no parent of it is already a file."""
        if _key(name) in self._owner:
            return False
        return all(self._owner.get(_key(p), _DIR) == _DIR for p in _prefixes(name))


def _prefixes(rel: str) -> list[str]:
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def inside(base: Path, rel: str) -> Path:
    """``base / rel`` after checking it stays inside ``base``, symlinks resolved.

    ``rel`` should come from ``safe_relpath``/``NameMap``; this is the last
    line of defence against a symlinked folder planted in the output tree.
    """
    root = base.resolve()
    target = base / rel
    parent = Path(os.path.realpath(target.parent))
    if parent != root and root not in parent.parents:
        raise InputError(f"refusing to write {rel!r}: it resolves outside {base}")
    return target


def refuse_overwrite(pairs: Iterable[tuple[Path, Path]]) -> None:
    """Stop (exit 2) before any output would replace its own input: ``(input,
    output)`` pairs, checked before anything is written (``--out`` naming the
    folder the inputs are in, or a folder above them, would otherwise clean the
    originals away)."""
    for source, target in pairs:
        same = os.path.realpath(source) == os.path.realpath(target)
        if same or (os.path.isfile(target) and os.path.samefile(source, target)):
            raise InputError(f"refusing to write {target}: it is the input {source} "
                             "(choose an --out folder that holds no inputs)")
