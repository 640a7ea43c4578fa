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

# What the C builder makes, and the metadata it fills in (it checks each type's slots).
_TYPES = (Span, Edit, Fix, Hit, EMPTY)

Found = Sequence[tuple[int, int] | tuple[int, int, int | str] | tuple[Span, int | str]]


def fixed_hits(found: Found, prefix: str, suffix: str, title: str, replacement: str = "",
               applicability: Applicability = Applicability.SAFE) -> list[Hit]:
    """A hit for each ``(start, end)``, ``(start, end, middle)`` or ``(span, middle)`` of
    ``found`` (a list): its span is ``span`` or ``Span(start, end)``, its message
    ``prefix + str(middle) + suffix`` (``middle`` is an int or a str; ``end - start``
    when not given), and its fix ``title`` replaces that span with ``replacement``."""
    if SPEEDUPS is None:
        return fixed_hits_py(found, prefix, suffix, title, replacement, applicability)
    made: list[Hit] = SPEEDUPS.fixed_hits(found, prefix, suffix, title, replacement,
                                          applicability, _TYPES)
    return made


def fixed_hits_py(found: Found, prefix: str, suffix: str, title: str, replacement: str = "",
                  applicability: Applicability = Applicability.SAFE) -> list[Hit]:
    """``fixed_hits`` in Python (the specification of the C builder)."""
    out = []
    for item in found:
        if isinstance(item[0], Span):
            span, middle = item
        else:
            span = Span(item[0], item[1])
            middle = item[2] if len(item) > 2 else span.end - span.start
        fix = Fix(title, (Edit(span, replacement),), applicability)
        out.append(Hit(span, f"{prefix}{middle}{suffix}", fix))
    return out
