"""Guards for rules whose first test is cheap and answers "nothing here" for most texts.

The engine calls every rule once per fix pass; a rule that finds nothing still
costs a call, a generator and its first step. A family whose rules start with
a test on the text alone (a character the text lacks, the text's first or last
character) answers those tests for all its rules in one ``gate(text)``, a tuple
of booleans, and gives each rule the guard ``(gate, its place in the tuple)``:
the engine skips the rule when its place is false (``rulerun._Guard``). A place
must be false only when the rule certainly finds nothing; each rule keeps its
own test, so it behaves the same when called without the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..registry import RuleFunc

Gate = Callable[[str], Sequence[bool]]


def gated(gate: Gate, key: int) -> Callable[[RuleFunc], RuleFunc]:
    """Give a rule the guard ``gate(text)[key]`` (false: the rule finds nothing on text)."""

    def deco(func: RuleFunc) -> RuleFunc:
        func.guard = gate, lambda options: key  # type: ignore[attr-defined]
        return func

    return deco
