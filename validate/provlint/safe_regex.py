"""User-supplied regular expressions that cannot hang a run.

Rule sets and rule packs may carry patterns (a data-rule kind, an option
such as a custom dateline pattern). A pattern like ``(a|aa)+$`` backtracks
exponentially on ``"aaaa…!"``: with Python's ``re`` one such line stops the
whole corpus run. ``compile_pattern`` therefore compiles with the ``regex``
module and guards it twice:

1. At load time the pattern is probed against short adversarial strings
   built from its own literal characters; if a probe exceeds
   ``PROBE_SECONDS`` the pattern is rejected before any document is read.
2. At run time every search carries a time budget (``timeout`` seconds per
   call, default ``DOCUMENT_SECONDS``); a search that exceeds it raises
   ``PatternTimeout``.

Both are ``ConfigError``s naming the rule and the pattern: the command
stops with exit status 2 and tells the user which rule to fix. (The
``regex`` module already avoids the textbook ``(a+)+$`` blow-up; the guard
is for the patterns it cannot rescue.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from .errors import ConfigError

PROBE_SECONDS = 0.05
DOCUMENT_SECONDS = 2.0
_PROBE_LENGTH = 40


class PatternTimeout(ConfigError):
    """A rule's pattern took longer than its time budget."""


@dataclass(frozen=True)
class GuardedPattern:
    """A compiled pattern that searches under a time budget.

    ``rule`` names the owner ("PL207 custom-caption") for error messages.
    """

    pattern: str
    rule: str
    compiled: Any  # regex.Pattern[str]; the regex stubs make it generic-invariant
    timeout: float = DOCUMENT_SECONDS

    def _timed_out(self, where: str) -> PatternTimeout:
        return PatternTimeout(
            f"{self.rule}: pattern {self.pattern!r} took longer than {self.timeout:g} s "
            f"{where}; it backtracks catastrophically (nested or overlapping repeats such "
            f"as (a|aa)+ or (x+)*): simplify it"
        )

    def search(self, text: str, pos: int = 0) -> Any:
        """``regex.search`` under the budget (a Match or None)."""
        try:
            return self.compiled.search(text, pos, timeout=self.timeout)
        except TimeoutError:
            raise self._timed_out("on one search") from None

    def fullmatch(self, text: str) -> Any:
        """``regex.fullmatch`` under the budget (a Match or None)."""
        try:
            return self.compiled.fullmatch(text, timeout=self.timeout)
        except TimeoutError:
            raise self._timed_out("on one match") from None

    def finditer(self, text: str) -> Iterator[Any]:
        """All matches; the budget covers the whole scan of ``text``."""
        try:
            yield from self.compiled.finditer(text, timeout=self.timeout)
        except TimeoutError:
            raise self._timed_out("scanning one document") from None


def _probes(pattern: str) -> list[str]:
    """Strings that make an ambiguous repeat backtrack: runs of the pattern's
    own characters (and common classes) followed by a character that fails."""
    letters = {c for c in re.sub(r"\\[A-Za-z]", "", pattern) if c.isalnum() or c in " -_.,"}
    letters |= {"a", "0", " ", "x"}
    out = []
    for ch in sorted(letters)[:24]:
        run = ch * _PROBE_LENGTH
        out += [run + "!", run + "\n" + run + "\x00", "!" + run]
    out.append(" ".join(["word"] * (_PROBE_LENGTH // 2)) + " !")
    return out


@lru_cache(maxsize=256)
def compile_pattern(pattern: str, *, rule: str, flags: int = 0,
                    timeout: float = DOCUMENT_SECONDS) -> GuardedPattern:
    """Compile a user pattern for ``rule`` or raise ConfigError naming both.

    ``flags`` are ``regex`` flags (``regex.IGNORECASE``, ``regex.MULTILINE``…,
    equal in value to the ``re`` ones). The result is cached per pattern.
    """
    try:
        compiled = regex.compile(pattern, flags | regex.VERSION0)
    except (regex.error, TypeError, ValueError, OverflowError) as exc:
        raise ConfigError(f"{rule}: invalid pattern {pattern!r}: {exc}") from None
    for probe in _probes(pattern):
        try:
            compiled.search(probe, timeout=PROBE_SECONDS)
        except TimeoutError:
            raise ConfigError(
                f"{rule}: pattern {pattern!r} backtracks catastrophically (more than "
                f"{PROBE_SECONDS:g} s on the {len(probe)}-character probe {probe[:12]!r}…); "
                f"avoid nested or overlapping repeats such as (a|aa)+ or (x+)*"
            ) from None
    return GuardedPattern(pattern, rule, compiled, timeout)
