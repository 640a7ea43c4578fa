"""The engine: runs rules, turns hits into findings, applies fixes.

Only this module applies edits. Fixes are applied the way ruff does it:
sorted by position, overlapping ones skipped, and the whole rule set re-run
until nothing changes, at most ``MAX_PASSES`` times. Every applied edit keeps
the text it removed, so ``restore(cleaned, applied) == original``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence

from . import rx
from .errors import ConvergenceError
from .io import reads_back
from .model import (
    Applicability,
    AppliedEdit,
    CleanResult,
    Decoding,
    Document,
    Edit,
    Finding,
    Fix,
    Severity,
)
from .native import SPEEDUPS
from .rulerun import RulesArg, _active, _Hit, _hits

MAX_PASSES = 10

_NEWLINE_RE = rx.compile(r"\r\n?|\n")


class _Locator:
    """Maps code-point offsets to 1-based (line, column), any newline style."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def _positions(text: str, hits: list[_Hit]) -> Iterator[tuple[int, int, int, int]]:
    """(line, col, end_line, end_col), 1-based, of each hit, sorted by start.

    Without CR the lines are counted from one hit to the next and a column is
    the distance to the previous LF (``str.count``/``rfind`` run in C, each
    over the stretch between two hits or a hit's own text), instead of
    indexing every line of the text.
    """
    if "\r" in text:
        loc = _Locator(text)
        for h in hits:
            yield (*loc.at(h[0]), *loc.at(h[1]))
        return
    count, rfind = text.count, text.rfind
    line, prev, lf = 1, 0, -1  # lf: the last LF before ``prev`` (-1 on the first line)
    for h in hits:
        start, end = h[0], h[1]
        n = count("\n", prev, start)
        if n:  # each search covers the stretch between two hits: linear in the text
            line += n
            lf = rfind("\n", prev, start)
        prev = start
        col = start - lf
        down = count("\n", start, end) if end > start else 0  # the hit's own text
        yield line, col, line + down, (end - rfind("\n", start, end)) if down else col + end - start


def _findings(doc: Document, hits: list[_Hit]) -> list[Finding]:
    """The sorted ``hits`` as findings (line and column numbers, matched text)."""
    if not hits:
        return []
    text, doc_id, path, decoding = doc.text, doc.id, doc.path, doc.decoding
    found: list[Finding] = []
    for (start, end, code, message, _, ar, hit, crashed), (line, col, end_line, end_col) in zip(
            hits, _positions(text, hits), strict=True):
        found.append(Finding(
            code=code,
            name="rule-crashed" if crashed else ar.rule.name,
            doc_id=doc_id,
            span=hit.span,
            line=line,
            col=col,
            end_line=end_line,
            end_col=end_col,
            message=message,
            severity=Severity.ERROR if crashed else ar.severity,
            fix=hit.fix if ar.fixable and hit.fix is not None
            and _lossless(text, hit.fix, decoding) else None,
            path=path,
            matched=text[start:end],
        ))
    return found


def check(doc: Document, rules: RulesArg = None, *, debug: bool = False) -> list[Finding]:
    """All findings of the active rules on ``doc``, sorted by position."""
    hits = _hits(doc, _active(rules, doc.path), debug)
    hits.sort()
    return _findings(doc, hits)


def _writable(edits: tuple[Edit, ...], decoding: Decoding) -> bool:
    """Whether every inserted text can be written back in the input's encoding
    (a repaired character may not exist in cp1252): if not, the fix is skipped
    and its finding remains. ASCII is in every encoding the reader picks."""
    try:
        for e in edits:
            if not e.replacement.isascii():
                e.replacement.encode(decoding.encoding, decoding.errors)
    except UnicodeEncodeError:
        return False
    return True


def _lossless(text: str, fix: Fix, decoding: Decoding) -> bool:
    """Whether ``fix`` alone can be written in the input's encoding and read back
    as what it wrote (``reads_back``). A fix that cannot is never applied, so its
    finding is not offered as fixable (``check`` would promise what ``fix`` never
    does, and a pre-commit fix hook would fail forever)."""
    if not _writable(fix.edits, decoding):
        return False
    if decoding.encoding == "utf-8" and decoding.errors == "strict" and not any(
            e.span.start == 0 or "\x00" in e.replacement for e in fix.edits):
        return True  # valid UTF-8 stays itself unless a NUL or a leading U+FEFF appears
    return reads_back(_apply(text, [("", fix)], 0, False)[0], decoding)


def _select_fixes(hits: list[_Hit], unsafe: bool,
                  decoding: Decoding) -> tuple[list[tuple[str, Fix]], bool]:
    """The fixes of the sorted ``hits`` to apply, in order, and whether their edits are
    in text order: ``_select_fixes_py``, in C when the compiled helpers are built."""
    if SPEEDUPS is None:
        return _select_fixes_py(hits, unsafe, decoding)
    fixes: list[tuple[str, Fix]]
    fixes, in_order = SPEEDUPS.select_fixes(
        hits, unsafe, Applicability.UNSAFE, lambda edits: _writable(edits, decoding))
    return fixes, in_order


def _select_fixes_py(hits: list[_Hit], unsafe: bool,
                     decoding: Decoding) -> tuple[list[tuple[str, Fix]], bool]:
    """The fixes of the sorted ``hits`` to apply, in order: the first of overlapping ones;
    and whether their edits, fix after fix, are already in text order.

    Nearly every fix is one edit on its hit's span, so the edits come in text order:
    one that starts after ``reach`` (the furthest end accepted so far) collides with
    nothing and goes at the end of ``taken``; only the others are looked up there.
    """
    accepted: list[tuple[str, Fix]] = []
    taken: list[tuple[int, int]] = []  # (start, end) of accepted edits, sorted
    reach = -1
    in_order = True
    for _, _, code, _, _, ar, hit, _ in hits:
        fix = hit.fix
        if fix is None or not ar.fixable or (
                fix.applicability is Applicability.UNSAFE and not unsafe):
            continue
        edits = fix.edits
        for e in edits:
            span = e.span
            if span.start <= reach and _collides(taken, span.start, span.end):
                break
        else:
            if not _writable(edits, decoding):
                continue
            for e in edits:
                span = e.span
                if span.start > reach:
                    taken.append((span.start, span.end))
                    reach = span.end
                else:
                    bisect.insort(taken, (span.start, span.end))
                    reach = max(reach, span.end)
                    in_order = False
            accepted.append((code, fix))
    return accepted, in_order


def _collides(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Same test as Span.conflicts against the neighbours of (start, end)."""
    i = bisect.bisect_left(taken, (start, end))
    for j in range(max(0, i - 2), min(len(taken), i + 2)):
        s, e = taken[j]
        if start == end or s == e:
            if start <= e and s <= end:
                return True
        elif start < e and s < end:
            return True
    return False


def _readable_subset(text: str, fixes: list[tuple[str, Fix]], pass_no: int,
                     decoding: Decoding) -> list[tuple[str, Fix]]:
    """The fixes, in order, that keep the output readable as itself (``reads_back``):
    one that would change how the written bytes decode is skipped, its finding stays.
    Only reached when the whole pass would not read back (rare: legacy encodings)."""
    kept: list[tuple[str, Fix]] = []
    for fix in fixes:
        if reads_back(_apply(text, [*kept, fix], pass_no, False)[0], decoding):
            kept.append(fix)
    return kept


def _apply(text: str, fixes: list[tuple[str, Fix]], pass_no: int,
           in_order: bool) -> tuple[str, list[AppliedEdit]]:
    """The text with the ``fixes`` applied, and each applied edit: ``_apply_py``, in C
    when the compiled helpers are built."""
    if SPEEDUPS is None:
        return _apply_py(text, fixes, pass_no, in_order)
    new: str
    done: list[AppliedEdit]
    new, done = SPEEDUPS.apply_fixes(text, fixes, pass_no, in_order, AppliedEdit)
    return new, done


def _apply_py(text: str, fixes: list[tuple[str, Fix]], pass_no: int,
              in_order: bool) -> tuple[str, list[AppliedEdit]]:
    """The text with the ``fixes`` applied, and each applied edit. ``in_order``: the
    edits, fix after fix, are already in text order (``_select_fixes`` tells)."""
    edits: Iterable[tuple[Edit, str, Applicability]]
    if in_order:
        edits = [(e, code, fix.applicability) for code, fix in fixes for e in fix.edits]
    else:  # accepted edits never share a (start, end): the index keeps the tuples comparable
        edits = [t[3:] for t in sorted((e.span.start, e.span.end, i, e, code, fix.applicability)
                                       for i, (code, fix) in enumerate(fixes)
                                       for e in fix.edits)]
    parts: list[str] = []
    applied: list[AppliedEdit] = []
    pos = delta = 0
    for e, code, app in edits:
        span = e.span
        start, after = span.start, e.replacement
        before = text[start:span.end]
        parts += (text[pos:start], after)
        applied.append(AppliedEdit(code, pass_no, span, before, after, start + delta, app))
        delta += len(after) - len(before)
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts), applied


def _fix_pass(text: str, hits: list[_Hit], unsafe: bool, decoding: Decoding,
              pass_no: int) -> tuple[str, list[AppliedEdit], int]:
    """The text with the fixes of the sorted ``hits`` applied, each applied edit, and how
    many fixes were taken: ``_fix_pass_py``, in C when the compiled helpers are built."""
    if SPEEDUPS is None:
        return _fix_pass_py(text, hits, unsafe, decoding, pass_no)
    done: tuple[str, list[AppliedEdit], int] = SPEEDUPS.fix_pass(
        text, hits, unsafe, Applicability.UNSAFE, lambda edits: _writable(edits, decoding),
        pass_no, AppliedEdit)
    return done


def _fix_pass_py(text: str, hits: list[_Hit], unsafe: bool, decoding: Decoding,
                 pass_no: int) -> tuple[str, list[AppliedEdit], int]:
    """``_select_fixes_py`` then ``_apply_py`` (the text unchanged when no fix is taken).
    The C twin takes each accepted edit straight to its AppliedEdit, without a
    (code, fix) pair per fix or reading the fixes twice."""
    fixes, in_order = _select_fixes_py(hits, unsafe, decoding)
    if not fixes:
        return text, [], 0
    new, done = _apply_py(text, fixes, pass_no, in_order)
    return new, done, len(fixes)


def clean(
    doc: Document, rules: RulesArg = None, *, unsafe: bool = False, debug: bool = False,
    first_findings: bool = True,
) -> CleanResult:
    """Apply every applicable fix until the text is stable.

    ``first_findings=False`` leaves ``CleanResult.findings`` (pass 1's findings,
    what ``report`` counts in the input) empty unless the text needed no fix: a
    fix run reports only the remaining findings, and building a Finding per pass-1
    hit was ~7% of cleaning a document.
    """
    active = _active(rules, doc.path)
    text = doc.text
    applied: list[AppliedEdit] = []
    metadata: dict[str, str] = {}
    first: list[_Hit] = []  # pass 1's sorted hits: its findings, made once the text is stable
    for pass_no in range(1, MAX_PASSES + 1):
        current = doc if pass_no == 1 else Document(
            doc.id, text, doc.path, doc.decoding, doc.input_sha256, doc.input_bytes, doc.source)
        hits = _hits(current, active, debug, metadata if pass_no == 1 else None)
        hits.sort()
        if pass_no == 1 and first_findings:
            first = hits
        new, done, taken = _fix_pass(text, hits, unsafe, doc.decoding, pass_no)
        if taken and not reads_back(new, doc.decoding):  # the bytes would decode differently
            # a fix that cannot read back even alone must not crowd out one it overlaps
            # (deleting U+0085 before the missing final newline kept both out for ever)
            alone = [h for h in hits if h[6].fix is not None
                     and _lossless(text, h[6].fix, doc.decoding)]
            fixes = _readable_subset(text, _select_fixes(alone, unsafe, doc.decoding)[0],
                                     pass_no, doc.decoding)
            new, done = _apply(text, fixes, pass_no, False)
            taken = len(fixes)
        if not taken:  # the text is stable: its findings are what remains
            remaining = tuple(_findings(current, hits))
            found = remaining if pass_no == 1 else tuple(_findings(doc, first))
            return CleanResult(doc, text, tuple(applied), remaining, metadata,
                               pass_no - 1, found)
        text = new
        applied.extend(done)
    raise ConvergenceError(
        f"{doc.id}: fixes still changing the text after {MAX_PASSES} passes; "
        f"last rules: {sorted({a.code for a in applied if a.pass_no == MAX_PASSES})}"
    )


def replay(original: str, applied: Sequence[AppliedEdit]) -> str:
    """Re-apply recorded edits to the original text (forwards)."""
    text = original
    for pass_no in sorted({a.pass_no for a in applied}):
        parts: list[str] = []
        pos = 0
        for a in sorted((a for a in applied if a.pass_no == pass_no),
                        key=lambda a: (a.span.start, a.span.end)):
            parts.append(text[pos : a.span.start])
            parts.append(a.after)
            pos = a.span.end
        parts.append(text[pos:])
        text = "".join(parts)
    return text


def restore(cleaned: str, applied: Sequence[AppliedEdit]) -> str:
    """Undo recorded edits on the cleaned text (backwards): the original text."""
    text = cleaned
    for a in sorted(applied, key=lambda a: (a.pass_no, a.out_start, a.span.start), reverse=True):
        text = text[: a.out_start] + a.before + text[a.out_start + len(a.after) :]
    return text
