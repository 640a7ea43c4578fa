"""Frozen value types that flow between provlint's stages.

Spans are half-open offsets in Unicode code points into the text they were
computed on. Nothing here does I/O.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any

from .native import SPEEDUPS
from .record import dataclass

_EMPTY: Mapping[str, Any] = MappingProxyType({})
EMPTY = _EMPTY  # the metadata of a hit that lifts none (shared: it is read-only)


def _fill_py(obj: object, *values: object) -> None:
    """Set the fields of ``obj``, a frozen value type, to ``values`` in field order, each
    through its slot's own setter (what a frozen dataclass's ``__init__`` does with
    ``object.__setattr__``, without looking each name up on the type)."""
    cls = type(obj)
    setters = _SETTERS.get(cls)
    if setters is None:
        names: tuple[str, ...] = getattr(cls, "__match_args__")  # noqa: B009 - not in object
        setters = _SETTERS[cls] = tuple(getattr(cls, name).__set__ for name in names)
    if len(values) != len(setters):
        raise TypeError(f"fill: {cls!r} has {len(setters)} fields, not {len(values)}")
    for setter, value in zip(setters, values, strict=True):
        setter(obj, value)


_SETTERS: dict[type, tuple[Callable[[object, object], None], ...]] = {}
# One C call per __init__ when built (the types are made thousands of times per document).
_fill: Callable[..., None] = _fill_py if SPEEDUPS is None else SPEEDUPS.fill


class Applicability(enum.Enum):
    """Whether a fix may run by default (safe) or only with --unsafe-fixes."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Severity(enum.IntEnum):
    """Ordered finding severities; the CI gate compares against --fail-on."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r}: use info, warning or error") from None


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range [start, end) of code points."""

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        if not 0 <= start <= end:
            raise ValueError(f"bad span [{start}, {end})")
        _fill(self, start, end)

    def __len__(self) -> int:
        return self.end - self.start

    def conflicts(self, other: Span) -> bool:
        """True when two edits on these spans cannot both apply in one pass.

        Overlap is strict for ranges; an empty span (an insertion) also
        conflicts with any span it touches, so ordering never matters.
        """
        if self.start == self.end or other.start == other.end:
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` with ``replacement`` (empty = deletion)."""

    span: Span
    replacement: str = ""

    def __init__(self, span: Span, replacement: str = "") -> None:
        _fill(self, span, replacement)


@dataclass(frozen=True, slots=True)
class Fix:
    """A set of non-overlapping edits that resolve one finding."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    def __init__(self, title: str, edits: tuple[Edit, ...],
                 applicability: Applicability = Applicability.SAFE) -> None:
        if len(edits) > 1:  # most fixes have one edit: nothing to compare
            ordered = sorted(edits, key=lambda e: (e.span.start, e.span.end))
            for a, b in itertools.pairwise(ordered):
                if a.span.conflicts(b.span):
                    raise ValueError(f"fix {title!r} has overlapping edits")
        _fill(self, title, edits, applicability)

    @property
    def span(self) -> Span:
        return Span(min(e.span.start for e in self.edits), max(e.span.end for e in self.edits))


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule yields: where, why, and optionally how to fix it.

    ``metadata`` carries facts lifted from the text (for example the publish
    date) into the provenance record.
    """

    span: Span
    message: str
    fix: Fix | None = None
    metadata: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def __init__(self, span: Span, message: str, fix: Fix | None = None,
                 metadata: Mapping[str, str] = _EMPTY) -> None:
        _fill(self, span, message, fix, metadata)


@dataclass(frozen=True, slots=True)
class Decoding:
    """How the input bytes became text; needed to rebuild them exactly."""

    encoding: str = "utf-8"  # utf-8 | cp1252 | utf-16-le | utf-16-be (always with a BOM)
    bom: bool = False
    newline: str = "none"  # lf | crlf | cr | mixed | none
    errors: str = "strict"  # strict | surrogateescape

    def __init__(self, encoding: str = "utf-8", bom: bool = False, newline: str = "none",
                 errors: str = "strict") -> None:
        _fill(self, encoding, bom, newline, errors)


_PLAIN_UTF8 = Decoding()  # a document's default decoding (frozen: one instance serves all)


@dataclass(frozen=True, slots=True)
class Document:
    """One input document. Never mutated: cleaning returns a new text."""

    id: str
    text: str
    path: str | None = None
    decoding: Decoding = field(default_factory=Decoding)
    input_sha256: str | None = None
    input_bytes: int | None = None
    source: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __init__(self, id: str, text: str, path: str | None = None,
                 decoding: Decoding = _PLAIN_UTF8, input_sha256: str | None = None,
                 input_bytes: int | None = None, source: Mapping[str, Any] = _EMPTY) -> None:
        _fill(self, id, text, path, decoding, input_sha256, input_bytes, source)


@dataclass(frozen=True, slots=True)
class Finding:
    """A hit turned into a report row by the engine."""

    code: str
    name: str
    doc_id: str
    span: Span
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    severity: Severity
    fix: Fix | None = None
    path: str | None = None
    matched: str = ""

    def __init__(self, code: str, name: str, doc_id: str, span: Span, line: int, col: int,
                 end_line: int, end_col: int, message: str, severity: Severity,
                 fix: Fix | None = None, path: str | None = None, matched: str = "") -> None:
        _fill(self, code, name, doc_id, span, line, col, end_line, end_col, message, severity,
              fix, path, matched)

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    @property
    def family(self) -> str:
        return self.code[:3]


@dataclass(frozen=True, slots=True)
class AppliedEdit:
    """One edit the engine applied: enough to replay it forwards or undo it.

    ``span`` is into the text of pass ``pass_no`` *before* that pass's edits;
    ``out_start`` is where ``after`` begins in that pass's output.
    """

    code: str
    pass_no: int
    span: Span
    before: str
    after: str
    out_start: int
    applicability: Applicability = Applicability.SAFE

    def __init__(self, code: str, pass_no: int, span: Span, before: str, after: str,
                 out_start: int, applicability: Applicability = Applicability.SAFE) -> None:
        _fill(self, code, pass_no, span, before, after, out_start, applicability)


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned text of one document and how it came about."""

    document: Document
    text: str
    applied: tuple[AppliedEdit, ...]
    remaining: tuple[Finding, ...]
    metadata: Mapping[str, str]
    passes: int
    findings: tuple[Finding, ...] = ()

    def __init__(self, document: Document, text: str, applied: tuple[AppliedEdit, ...],
                 remaining: tuple[Finding, ...], metadata: Mapping[str, str], passes: int,
                 findings: tuple[Finding, ...] = ()) -> None:
        _fill(self, document, text, applied, remaining, metadata, passes, findings)

    @property
    def changed(self) -> bool:
        return self.text != self.document.text
