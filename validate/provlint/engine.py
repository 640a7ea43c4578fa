"""The engine: runs rules, turns hits into findings, applies fixes.

Only this module applies edits. Fixes are applied the way ruff does it:
sorted by position, overlapping ones skipped, and the whole rule set re-run
until nothing changes, at most ``MAX_PASSES`` times. Every applied edit keeps
the text it removed, so ``restore(cleaned, applied) == original``.
"""

from __future__ import annotations

import bisect
import itertools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace

from . import rx
from .errors import ConfigError, ConvergenceError
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
    Hit,
    Severity,
    Span,
)
from .ruleset import ActiveRule, Settings, resolve

MAX_PASSES = 10
RULE_CRASH = "PL904"

_NEWLINE_RE = rx.compile(r"\r\n?|\n")

RulesArg = Settings | Sequence[str] | None


def _active(rules: RulesArg, path: str | None) -> tuple[ActiveRule, ...]:
    if isinstance(rules, Settings):
        return rules.for_path(path)
    return resolve(select=list(rules) if rules is not None else None).for_path(path)


class _Locator:
    """Maps code-point offsets to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        if "\r" in text:
            self.starts = [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]
        else:
            self.starts = [0, *itertools.accumulate(len(p) + 1 for p in text.split("\n")[:-1])]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


_Pair = tuple[ActiveRule, Hit, bool]  # (rule, hit, the rule crashed)


def _hits(doc: Document, active: Iterable[ActiveRule], debug: bool) -> list[_Pair]:
    out: list[_Pair] = []
    for ar in active:
        try:
            found = list(ar.rule.run(doc, ar.options))
        except ConfigError:
            raise  # a bad rule set (e.g. a pattern over its time budget) stops the run
        except Exception as exc:
            import traceback  # a crash is rare: no start-up cost for it

            if debug:  # show the traceback, then carry on like a normal run
                traceback.print_exception(exc, file=sys.stderr)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            msg = (f"rule {ar.rule.code} ({ar.rule.name}) crashed: {type(exc).__name__}: {exc}"
                   f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}")
            out.append((ar, Hit(Span(0, 0), msg), True))
            continue
        for hit in found:
            if hit.span.end > len(doc.text):
                raise AssertionError(f"{ar.rule.code} hit outside the text: {hit.span}")
            out.append((ar, hit, False))
    return out


def _finding(doc: Document, pair: _Pair, loc: _Locator) -> Finding:
    ar, hit, crashed = pair
    line, col = loc.at(hit.span.start)
    end_line, end_col = loc.at(hit.span.end)
    return Finding(
        code=RULE_CRASH if crashed else ar.rule.code,
        name="rule-crashed" if crashed else ar.rule.name,
        doc_id=doc.id,
        span=hit.span,
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
        message=hit.message,
        severity=Severity.ERROR if crashed else ar.severity,
        fix=hit.fix if ar.fixable else None,
        path=doc.path,
        matched=doc.text[hit.span.start : hit.span.end],
    )


def _findings(doc: Document, pairs: list[_Pair]) -> list[Finding]:
    if not pairs:
        return []
    loc = _Locator(doc.text)
    found = [_finding(doc, pair, loc) for pair in pairs]
    found.sort(key=lambda f: (f.span.start, f.span.end, f.code, f.message))
    return found


def check(doc: Document, rules: RulesArg = None, *, debug: bool = False) -> list[Finding]:
    """All findings of the active rules on ``doc``, sorted by position."""
    return _findings(doc, _hits(doc, _active(rules, doc.path), debug))


def _writable(fix: Fix, decoding: Decoding) -> bool:
    """Whether every inserted text can be written back in the input's encoding
    (a repaired character may not exist in cp1252): if not, the fix is skipped
    and its finding remains."""
    try:
        for e in fix.edits:
            if e.replacement:
                e.replacement.encode(decoding.encoding, decoding.errors)
    except UnicodeEncodeError:
        return False
    return True


def _select_fixes(findings: list[Finding], unsafe: bool,
                  decoding: Decoding) -> list[tuple[str, Fix]]:
    accepted: list[tuple[str, Fix]] = []
    taken: list[tuple[int, int]] = []  # (start, end) of accepted edits, sorted
    for f in findings:
        fix = f.fix
        if fix is None or (fix.applicability is Applicability.UNSAFE and not unsafe):
            continue
        if not _writable(fix, decoding):
            continue
        if any(_collides(taken, e.span.start, e.span.end) for e in fix.edits):
            continue
        for e in fix.edits:
            bisect.insort(taken, (e.span.start, e.span.end))
        accepted.append((f.code, fix))
    return accepted


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
        if reads_back(_apply(text, [*kept, fix], pass_no)[0], decoding):
            kept.append(fix)
    return kept


def _apply(text: str, fixes: list[tuple[str, Fix]], pass_no: int) -> tuple[str, list[AppliedEdit]]:
    edits: list[tuple[Edit, str, Applicability]] = [
        (e, code, fix.applicability) for code, fix in fixes for e in fix.edits
    ]
    edits.sort(key=lambda t: (t[0].span.start, t[0].span.end))
    parts: list[str] = []
    applied: list[AppliedEdit] = []
    pos = delta = 0
    for e, code, app in edits:
        parts.append(text[pos : e.span.start])
        parts.append(e.replacement)
        before = text[e.span.start : e.span.end]
        applied.append(AppliedEdit(code, pass_no, e.span, before, e.replacement,
                                   e.span.start + delta, app))
        delta += len(e.replacement) - len(before)
        pos = e.span.end
    parts.append(text[pos:])
    return "".join(parts), applied


def clean(
    doc: Document, rules: RulesArg = None, *, unsafe: bool = False, debug: bool = False
) -> CleanResult:
    """Apply every applicable fix until the text is stable."""
    active = _active(rules, doc.path)
    text = doc.text
    applied: list[AppliedEdit] = []
    metadata: dict[str, str] = {}
    first: list[Finding] = []
    for pass_no in range(1, MAX_PASSES + 1):
        current = replace(doc, text=text)
        pairs = _hits(current, active, debug)
        findings = _findings(current, pairs)
        if pass_no == 1:
            first = findings
            for _, hit, _ in pairs:
                for key, value in hit.metadata.items():
                    metadata.setdefault(key, value)
        fixes = _select_fixes(findings, unsafe, doc.decoding)
        if fixes:
            new, done = _apply(text, fixes, pass_no)
            if not reads_back(new, doc.decoding):  # the bytes would decode differently
                fixes = _readable_subset(text, fixes, pass_no, doc.decoding)
                new, done = _apply(text, fixes, pass_no)
        if not fixes:
            remaining = tuple(findings)
            return CleanResult(doc, text, tuple(applied), remaining, metadata,
                               pass_no - 1, tuple(first))
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
