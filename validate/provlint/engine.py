"""The engine: runs rules, turns hits into findings, applies fixes.

Only this module applies edits. Fixes are applied the way ruff does it:
sorted by position, overlapping ones skipped, and the whole rule set re-run
until nothing changes, at most ``MAX_PASSES`` times. Every applied edit keeps
the text it removed, so ``restore(cleaned, applied) == original``.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from . import rx
from .errors import ConfigError, ConvergenceError
from .io import reads_back
from .lines import by_identity
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
from .native import SPEEDUPS
from .registry import RuleFunc
from .ruleset import ActiveRule, Settings, resolve

MAX_PASSES = 10
RULE_CRASH = "PL904"

_NEWLINE_RE = rx.compile(r"\r\n?|\n")

RulesArg = Settings | Sequence[str] | None


# A rule to run: the active rule, its function, its options as a plain dict, and its
# guard: (gate, key) when the function carries ``guard = (gate, key_of)`` and
# ``key = key_of(options)``; then ``gate(text)[key]`` false means the rule certainly
# finds nothing on ``text`` (the data rules, whose phrase index answers that for all of
# them at once), and the call is skipped.
_Guard = tuple[Callable[[str], Sequence[bool]], int]
_Active = tuple[ActiveRule, RuleFunc, dict[str, Any], _Guard | None]


def _active(rules: RulesArg, path: str | None) -> list[_Active]:
    """The rules to run on a document at ``path``, each with its function, its options
    and its guard (``_runnable``; shared, never to be changed)."""
    settings = rules if isinstance(rules, Settings) else resolve(
        select=list(rules) if rules is not None else None)
    return _runnable(settings.for_path(path))


@by_identity(4)
def _runnable(rules: tuple[ActiveRule, ...]) -> list[_Active]:
    """Each of ``rules`` with its function, its options as a plain dict (``**`` of a
    dict is ~3x cheaper than of the rule set's read-only mapping, and every rule is called
    once per fix pass) and its guard. Rules that are only declared (PL9xx, reported by the
    reader) have no function and are left out. Made once per rule set: a run gives every
    document the same one (``Settings.for_path`` without per-file ignores)."""
    out: list[_Active] = []
    for ar in rules:
        if ar.rule.func is not None:
            options = dict(ar.options)
            out.append((ar, ar.rule.func, options, _guard(ar.rule.func, options)))
    return out


def _guard(func: RuleFunc, options: dict[str, Any]) -> _Guard | None:
    """The guard of ``func`` called with ``options`` (see ``_Active``), if it has one."""
    guard = getattr(func, "guard", None)
    if guard is None:
        return None
    gate, key_of = guard
    try:
        return gate, key_of(options)
    except Exception:  # bad options: the rule runs unguarded and crashes as it would have
        return None


# A hit as the engine handles it: its sort key (start, end, code, message), its
# place among the pass's hits (so ties keep the rules' order and the tuples
# compare without reaching the rule), the rule, the hit, and whether the rule
# crashed. Sorting these plain tuples is the findings' order; a Finding (line
# and column numbers) is only built for the passes the result reports.
_Hit = tuple[int, int, str, str, int, ActiveRule, Hit, bool]


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


def _hits(doc: Document, active: list[_Active], debug: bool,
          lifted: dict[str, str] | None = None) -> list[_Hit]:
    """Every rule's hits on ``doc``, in rule order (``list.sort`` gives the findings' order);
    each hit's metadata goes into ``lifted`` unless a rule before lifted the key."""
    out: list[_Hit] = []
    run = _run_rules_py if SPEEDUPS is None else SPEEDUPS.run_rules
    # a bad rule set (ConfigError, e.g. a pattern over its time budget) stops the run
    run(out, doc, active, len(doc.text), lifted, _crashed_shown if debug else _crashed,
        ConfigError)
    return out


def _run_rules_py(out: list[_Hit], doc: Document, active: list[_Active], size: int,
                  lifted: dict[str, str] | None, crashed: Crashed,
                  passthrough: type[Exception]) -> None:
    """Run each rule on ``doc`` and collect its hits into ``out`` (``_collect_py``); a rule
    raising ``passthrough`` stops the run, any other Exception goes to ``crashed`` and
    the next rule runs; a rule whose guard says it finds nothing is not called.
    ``_speedups.run_rules`` is its compiled twin."""
    gates: list[Any] = [None, None]  # the last gate asked and its answer for the text
    for ar, func, options, guard in active:
        if guard is not None and _idle(doc.text, guard, gates):
            continue
        try:
            found = list(func(doc, **options))
        except passthrough:
            raise
        except Exception as exc:
            crashed(out, ar, exc)
            continue
        if found:
            _collect_py(out, found, ar.rule.code, ar, size, lifted)


def _idle(text: str, guard: _Guard, gates: list[Any]) -> bool:
    """Whether the ``guard``'s gate says its rule finds nothing on ``text``; the gate's
    answer is kept in ``gates`` for the next rule. A gate that fails says nothing (each of
    its rules then runs, and fails on its own if it must)."""
    gate, key = guard
    if gates[0] is not gate:
        try:
            gates[1] = gate(text)
        except Exception:
            gates[1] = None
        gates[0] = gate
    live = gates[1]
    return live is not None and key < len(live) and not live[key]


Crashed = Callable[[list[_Hit], ActiveRule, Exception], None]


def _crashed(out: list[_Hit], ar: ActiveRule, exc: Exception) -> None:
    """Append the PL904 hit of rule ``ar`` crashing with ``exc``: where it raised."""
    import traceback  # a crash is rare: no start-up cost for it

    where = traceback.extract_tb(exc.__traceback__)[-1]
    msg = (f"rule {ar.rule.code} ({ar.rule.name}) crashed: {type(exc).__name__}: {exc}"
           f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}")
    out.append((0, 0, RULE_CRASH, msg, len(out), ar, Hit(Span(0, 0), msg), True))


def _crashed_shown(out: list[_Hit], ar: ActiveRule, exc: Exception) -> None:
    """``_crashed`` after showing the traceback (``--debug``), then carry on like a normal run."""
    import traceback

    traceback.print_exception(exc, file=sys.stderr)
    _crashed(out, ar, exc)


def _collect_py(out: list[_Hit], found: list[Hit], code: str, ar: ActiveRule, size: int,
                lifted: dict[str, str] | None) -> None:
    """Append the rule's ``found`` hits to ``out`` as ``_Hit`` tuples, then lift their
    metadata into ``lifted`` (when given); in C when the compiled helpers are built."""
    for hit in found:
        span = hit.span
        if span.end > size:
            raise AssertionError(f"{code} hit outside the text: {span}")
        out.append((span.start, span.end, code, hit.message, len(out), ar, hit, False))
    if lifted is not None:
        for hit in found:  # in rule order: the first rule to lift a key wins
            if hit.metadata:
                for key, value in hit.metadata.items():
                    lifted.setdefault(key, value)


def _findings(doc: Document, hits: list[_Hit]) -> list[Finding]:
    """The sorted ``hits`` as findings (line and column numbers, matched text)."""
    if not hits:
        return []
    text, doc_id, path = doc.text, doc.id, doc.path
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
            fix=hit.fix if ar.fixable else None,
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
        fixes, in_order = _select_fixes(hits, unsafe, doc.decoding)
        if fixes:
            new, done = _apply(text, fixes, pass_no, in_order)
            if not reads_back(new, doc.decoding):  # the bytes would decode differently
                fixes = _readable_subset(text, fixes, pass_no, doc.decoding)
                new, done = _apply(text, fixes, pass_no, False)
        if not fixes:  # the text is stable: its findings are what remains
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
