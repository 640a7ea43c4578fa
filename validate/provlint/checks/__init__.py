"""Built-in rules. Importing this package registers them: this is the only
place the family modules are imported (see registry.load)."""

from __future__ import annotations

from .. import sidecar  # noqa: F401  (declares PL909 bad-sidecar)
from . import (
    boilerplate,
    counters,
    docquality,
    duplication,
    encoding,
    inputs,
    learned,
    metadata,
    repeats,
    taglines,
    whitespace,
)

__all__ = [
    "boilerplate", "counters", "docquality", "duplication", "encoding", "inputs", "learned",
    "metadata", "repeats", "taglines", "whitespace",
]
