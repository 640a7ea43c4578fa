"""Running a fix pass's rules: which rules run on a document, each rule called on the
text with its options, its hits collected as the engine's sortable tuples, and a
rule that raises turned into a PL904 hit (``engine`` sorts the hits, makes findings
and applies fixes).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from .errors import ConfigError
from .lines import by_identity
from .markdown import is_markdown
from .model import Document, Hit, Span
from .native import SPEEDUPS
from .registry import RuleFunc
from .ruleset import ActiveRule, Settings, resolve

RULE_CRASH = "PL904"

RulesArg = Settings | Sequence[str] | None


# A hit as the engine handles it: its sort key (start, end, code, message), its
# place among the pass's hits (so ties keep the rules' order and the tuples
# compare without reaching the rule), the rule, the hit, and whether the rule
# crashed. Sorting these plain tuples is the findings' order; a Finding (line
# and column numbers) is only built for the passes the result reports.
_Hit = tuple[int, int, str, str, int, ActiveRule, Hit, bool]


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


def _hits(doc: Document, active: list[_Active], debug: bool,
          lifted: dict[str, str] | None = None) -> list[_Hit]:
    """Every rule's hits on ``doc``, in rule order (``list.sort`` gives the findings' order);
    each hit's metadata goes into ``lifted`` unless a rule before lifted the key."""
    out: list[_Hit] = []
    run = _run_rules_py if SPEEDUPS is None else SPEEDUPS.run_rules
    # a bad rule set (ConfigError, e.g. a pattern over its time budget) stops the run
    run(out, doc, active, len(doc.text), lifted, _crashed_shown if debug else _crashed,
        ConfigError)
    if out and is_markdown(doc.path or doc.id):
        out = _markdown_kept(doc.text, out)
    return out


def _markdown_kept(text: str, out: list[_Hit]) -> list[_Hit]:
    """``out`` without the hits that would change a block of the Markdown ``text`` in
    part (``mdblocks``, imported only here: no start-up cost for other files)."""
    from .mdblocks import editable, protected

    if not (blocks := protected(text)):
        return out
    ends = [b[1] for b in blocks]
    return [h for h in out if h[7] or h[2] in _IN_BLOCKS or editable(blocks, ends, h[0], h[1])]


# In a Markdown file's protected blocks (code, front matter, tables, HTML, ...: see
# ``mdblocks.protected``) only trailing white space is fixed (as pre-commit's
# trailing-whitespace hook does); no other rule's hit there is kept, but one that
# deletes a table, a heading or a list item as a whole.
_IN_BLOCKS = frozenset({"PL001"})


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
