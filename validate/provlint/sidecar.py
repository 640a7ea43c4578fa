"""Source metadata: where a document came from, kept unchanged in its record.

A text file ``a.txt`` may have a sidecar next to it, ``a.txt.meta.json``
(checked first) or ``a.meta.json``: a JSON object such as::

    {"url": "https://example.com/a", "publisher": "Example News",
     "retrieved_at": "2025-01-01T12:00:00Z", "licence": "CC-BY-4.0",
     "extractor": {"name": "trafilatura", "version": "2.0.0"}}

Every key of the object goes into the record's ``source`` unchanged (plus
``path``, the document's path, unless the sidecar sets it). The known keys
are type-checked; a sidecar that is not valid JSON, not an object, or has a
known key of the wrong type is a PL909 finding and the document gets the
path only. Sidecars end in ``.json``, so folder discovery never takes them
for documents. For JSONL corpora, ``source_fields(row)`` picks the same
keys out of each row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .io import ReadResult, input_finding
from .model import Severity
from .registry import declare

SUFFIX = ".meta.json"
KNOWN: dict[str, tuple[type, ...]] = {
    "url": (str,), "publisher": (str,), "retrieved_at": (str,), "licence": (str,),
    "license": (str,), "extractor": (dict, str), "path": (str,),
}

declare(
    code="PL909",
    name="bad-sidecar",
    doc='''The document's ``NAME.meta.json`` sidecar cannot be used.

    Why: source metadata (url, publisher, retrieved_at, licence, extractor
    name and version) goes into each document's provenance record unchanged;
    a sidecar that is not a JSON object, or whose known fields have the wrong
    type, would record nonsense, so it is reported and the record gets the
    document path only.
    Fix safety: no fix; correct the sidecar file.

    Bad: b'{"url": 42}'
    Good: b'{"url": "https://example.com/a", "extractor": {"name": "x", "version": "2.0"}}'
    ''',
)


class SidecarError(ValueError):
    """A sidecar that cannot be used (the message says why)."""


def sidecar_for(path: Path) -> Path | None:
    """The sidecar of a text file: ``NAME.EXT.meta.json``, else ``NAME.meta.json``."""
    for candidate in (path.with_name(path.name + SUFFIX), path.with_name(path.stem + SUFFIX)):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def _check(obj: Mapping[str, Any]) -> None:
    for key, types in KNOWN.items():
        if key in obj and not isinstance(obj[key], types):
            raise SidecarError(f"{key!r} must be {' or '.join(t.__name__ for t in types)}, "
                               f"not {type(obj[key]).__name__}")
    ext = obj.get("extractor")
    if isinstance(ext, dict) and not all(isinstance(ext.get(k, ""), str)
                                         for k in ("name", "version")):
        raise SidecarError("'extractor' needs string 'name' and 'version'")


def source_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """The source-metadata keys of a mapping (a JSONL row), values unchanged.

    Raises SidecarError when a known key has the wrong type.
    """
    picked = {k: row[k] for k in KNOWN if k in row and k != "path"}
    _check(picked)
    return picked


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def read_sidecar(path: Path) -> dict[str, Any]:
    """A sidecar file's object, unchanged; SidecarError when unusable."""
    import json  # only documents with a sidecar need it

    try:  # NaN and Infinity: Python's reader takes them, JSON has none (the ledger would not
        obj = json.loads(path.read_bytes(), parse_constant=_not_json)  # be JSON any more)
    except OSError as exc:
        raise SidecarError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise SidecarError(f"{path.name} is not valid JSON: {exc}") from exc
    except RecursionError:  # arrays or objects nested thousands deep: not metadata
        raise SidecarError(f"{path.name} is nested too deeply to read") from None
    if not isinstance(obj, dict):
        raise SidecarError(f"{path.name} must hold a JSON object, not {type(obj).__name__}")
    _check(obj)
    return obj


def source_of(text_file: Path, doc_path: str | None) -> tuple[dict[str, Any], str | None]:
    """The ``source`` for a document and, when its sidecar is unusable, why."""
    base: dict[str, Any] = {"path": doc_path}
    side = sidecar_for(text_file)
    if side is None:
        return base, None
    try:
        return {**base, **read_sidecar(side)}, None
    except SidecarError as exc:
        return base, str(exc)


def attach(read: ReadResult, text_file: Path) -> ReadResult:
    """``read`` with the document's ``source`` filled from its sidecar (PL909 if unusable)."""
    doc = read.document
    if doc is None:
        return read
    source, problem = source_of(text_file, doc.path)
    problems = list(read.problems)
    if problem is not None:
        problems.append(input_finding(doc.id, "PL909", "bad-sidecar",
                                      f"sidecar ignored: {problem}", Severity.WARNING))
    return ReadResult(replace(doc, source=source), problems)
