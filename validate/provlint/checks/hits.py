"""Many hits at once, for the rules that make most of them.

A clean makes thousands of hits per megabyte, mostly trailing white space (PL001)
and blank-line runs (PL005), each one a Span, an Edit, a Fix and a Hit whose fix
replaces the hit's own span. ``fixed_hits`` makes a whole rule's hits in one call
(in C when built: no Python frame per object).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import EMPTY, Applicability, Edit, Fix, Hit, Span
from ..native import SPEEDUPS

# What the C builder makes, and the defaults it fills in (it checks each type's slots).
_TYPES = (Span, Edit, Fix, Hit, Applicability.SAFE, EMPTY)


def fixed_hits(found: Sequence[tuple[int, ...]], prefix: str, suffix: str, title: str,
               replacement: str = "") -> list[Hit]:
    """A hit for each ``(start, end)`` or ``(start, end, n)`` of ``found``: its span is
    ``start..end``, its message ``prefix + str(n) + suffix`` (``n`` is ``end - start``
    when not given), and its safe fix ``title`` replaces that span with ``replacement``."""
    if SPEEDUPS is None:
        return fixed_hits_py(found, prefix, suffix, title, replacement)
    made: list[Hit] = SPEEDUPS.fixed_hits(found, prefix, suffix, title, replacement, _TYPES)
    return made


def fixed_hits_py(found: Sequence[tuple[int, ...]], prefix: str, suffix: str, title: str,
                  replacement: str = "") -> list[Hit]:
    """``fixed_hits`` in Python (the specification of the C builder)."""
    out = []
    for item in found:
        start, end = item[0], item[1]
        n = item[2] if len(item) > 2 else end - start
        span = Span(start, end)
        out.append(Hit(span, f"{prefix}{n}{suffix}", Fix(title, (Edit(span, replacement),))))
    return out
