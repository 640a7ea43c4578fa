"""Baselines: adopt provlint on a corpus without fixing every old finding first.

Text files cannot carry ``noqa`` comments, so known findings live in a JSON
file instead. A finding is keyed on ``(path, rule, sha256 of the matched
text, occurrence index)`` where the occurrence index counts earlier findings
of the same rule with the same matched text in the same file. Line numbers
never enter the key, so inserting or deleting text above a known finding
keeps it known, while a new copy of the same text is a new occurrence and
fails. The same key, hashed, is the fingerprint of SARIF and GitLab reports.

Nothing here imports pandas: baselines are part of the pre-commit path.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import ConfigError
from .model import Finding

SCHEMA = "provlint.baseline/v1"

Key = tuple[str, str, str, int]  # (path, code, matched sha256, occurrence)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def path_of(f: Finding) -> str:
    """The path a finding is reported under (its document id when it has none)."""
    return f.path or f.doc_id


def keys(findings: Sequence[Finding]) -> list[Key]:
    """The position-free key of each finding, in the order given.

    Occurrences are numbered by position within each (path, rule, text)
    group, whatever order ``findings`` come in.
    """
    digests = [_digest(f.matched) for f in findings]
    order = sorted(range(len(findings)),
                   key=lambda i: (path_of(findings[i]), findings[i].span.start,
                                  findings[i].span.end, findings[i].code, i))
    seen: Counter[tuple[str, str, str]] = Counter()
    out: list[Key | None] = [None] * len(findings)
    for i in order:
        group = (path_of(findings[i]), findings[i].code, digests[i])
        out[i] = (*group, seen[group])
        seen[group] += 1
    return [k for k in out if k is not None]


def key_of(path: str, code: str, matched: str, occurrence: int) -> Key:
    """The key of a finding given by its parts (``keys`` numbers the occurrences)."""
    return (path, code, _digest(matched), occurrence)


def fingerprint(key: Key) -> str:
    """A stable hex fingerprint of a finding key (SARIF, GitLab, findings table)."""
    path, code, digest, occurrence = key
    return _digest(f"{path}\0{code}\0{digest}\0{occurrence}")


@dataclass(frozen=True)
class Entry:
    """One baselined finding; ``line`` and ``message`` are informational only."""

    key: Key
    line: int = 0
    message: str = ""


@dataclass(frozen=True)
class Applied:
    """The result of filtering findings through a baseline."""

    kept: list[Finding]
    suppressed: list[Finding]
    stale: list[Entry]


# The value of a baseline's "paths" key when its entries' paths are from its own folder.
# A baseline without it (written before) has paths from the working directory it was
# written in, and is read as it was.
FROM_FOLDER = "from the baseline's folder"


def _from_folder(path: str, folder: Path) -> str:
    """A file's ``path`` (from the working directory) as seen from ``folder``; a
    document id that names no file is kept."""
    if not os.path.lexists(path):
        return path
    return Path(os.path.relpath(os.path.abspath(path), folder)).as_posix()


def _to_here(path: str, folder: Path) -> tuple[str, ...]:
    """A baselined ``path`` from ``folder`` as a run may name it: from the working
    directory (as ``provlint.discovery.discover`` names a file below it), or for a file
    outside it, also by its absolute path; kept when it names no file."""
    full = os.path.abspath(folder / path)
    if os.path.isabs(path) or not os.path.lexists(full):
        return (path,)
    rel = Path(os.path.relpath(full)).as_posix()
    return (rel,) if not rel.startswith("../") else (rel, Path(full).as_posix())


class Baseline:
    """A set of known findings read from (or written to) a JSON file.

    Paths are kept from the baseline file's folder, so a run from another folder
    (a CI job in a subfolder, a configuration's ``baseline`` met from below)
    finds the same entries: ``from_findings(..., folder)`` writes them so and
    ``read`` gives them back as the run names its files."""

    def __init__(self, entries: Iterable[Entry], from_folder: bool = False) -> None:
        self.entries = {e.key: e for e in entries}
        self.from_folder = from_folder

    @classmethod
    def from_findings(cls, findings: Sequence[Finding], folder: Path | None = None) -> Baseline:
        """The baseline of ``findings``; paths from ``folder`` when it is given."""
        return cls((Entry(k if folder is None else (_from_folder(k[0], folder), *k[1:]),
                          f.line, f.message)
                    for k, f in zip(keys(findings), findings, strict=True)),
                   from_folder=folder is not None)

    @classmethod
    def read(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"baseline {path} not found (create it with "
                              f"--write-baseline {path})") from None
        except (OSError, ValueError) as exc:
            raise ConfigError(f"baseline {path}: cannot read: {exc}") from exc
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ConfigError(f"baseline {path}: not a {SCHEMA} file")
        folder = Path(os.path.abspath(path)).parent
        here = ((lambda p: _to_here(p, folder)) if data.get("paths") == FROM_FOLDER
                else lambda p: (p,))
        try:
            return cls(Entry((name, str(e["code"]), str(e["matched_sha256"]),
                              int(e["occurrence"])), int(e.get("line", 0)),
                             str(e.get("message", "")))
                       for e in data["findings"] for name in here(str(e["path"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"baseline {path}: bad entry: {exc!r}") from exc

    def dumps(self) -> str:
        rows = [{"path": p, "code": c, "matched_sha256": d, "occurrence": n,
                 "line": e.line, "message": e.message}
                for (p, c, d, n), e in sorted(self.entries.items())]
        body = {"schema": SCHEMA, "tool": f"provlint {__version__}",
                **({"paths": FROM_FOLDER} if self.from_folder else {}), "findings": rows}
        return json.dumps(body, indent=1, ensure_ascii=True) + "\n"

    def apply(self, findings: Sequence[Finding], paths: Iterable[str] = ()) -> Applied:
        """Split findings into new and known.

        Entries of the checked files (``paths`` plus every file with a finding)
        that no current finding matches are stale: fixed, or the text changed.
        """
        found = keys(findings)
        kept = [f for f, k in zip(findings, found, strict=True) if k not in self.entries]
        suppressed = [f for f, k in zip(findings, found, strict=True) if k in self.entries]
        checked = {*paths, *(path_of(f) for f in findings)}
        present = set(found)
        stale = [e for k, e in sorted(self.entries.items())
                 if k not in present and k[0] in checked]
        return Applied(kept, suppressed, stale)
