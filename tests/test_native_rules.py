"""The compiled rule loop (``_speedups_rules.c``) gives exactly what its pure twin
(``rulerun._run_rules_py``) gives: the same hits, lifted metadata and crash hits, and the
same exceptions let through."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint import engine, rulerun
from provlint.errors import ConfigError
from provlint.model import Document, Hit, Span
from provlint.registry import load
from provlint.ruleset import ActiveRule, resolve


@pytest.fixture(scope="module")
def c() -> ModuleType:
    """The built extension (tests/test_native.py fails, saying how to build it, when it is
    missing or older than its source)."""
    return importlib.import_module("provlint._speedups")


_RULES = [ar for ar in resolve("default").active if ar.rule.func is not None]


def _hits(opts: dict[str, Any]) -> list[Hit]:
    return [Hit(Span(k, k + 1), f"m{k}", None, {"at": str(k)} if k % 2 else {})
            for k in range(opts.get("n", 0))]


def _listed(doc: Document, **opts: Any) -> list[Hit]:
    return _hits(opts)


def _generated(doc: Document, **opts: Any) -> Iterator[Hit]:
    yield from _hits(opts)
    if opts.get("fail_late"):
        raise ValueError(f"late {len(doc.text)}")


def _tupled(doc: Document, **opts: Any) -> tuple[Hit, ...]:
    return tuple(_hits(opts))


def _raises(doc: Document, **opts: Any) -> list[Hit]:
    raise opts.get("exc", RuntimeError)("boom")


class _Stop(BaseException):
    """Not an Exception: neither loop treats it as a crash."""


def _gate(text: str) -> list[bool]:
    return [bool(len(text) % 2), True, False]


def _other_gate(text: str) -> tuple[bool, ...]:
    return (False, bool(len(text) % 3))


def _failing_gate(text: str) -> list[bool]:
    raise RuntimeError("no answer")


_FUNCS = [_listed, _generated, _tupled, _raises]
# None, or (gate, key): keys past the gate's answer, and a gate that fails, run the rule
_GUARDS = st.one_of(st.none(), st.tuples(st.sampled_from([_gate, _other_gate, _failing_gate]),
                                         st.integers(0, 3)))
_OPTS = st.fixed_dictionaries({"n": st.integers(0, 4)}, optional={
    "fail_late": st.booleans(),
    "exc": st.sampled_from([RuntimeError, KeyError, ConfigError, _Stop]),
})


def _run(run: Any, active: list[Any], size: int, lift: bool) -> tuple[Any, ...]:
    out: list[Any] = []
    lifted: dict[str, str] | None = {"at": "first"} if lift else None
    doc = Document("d", "x" * size)
    try:
        run(out, doc, active, size, lifted, rulerun._crashed, ConfigError)
    except (AssertionError, ConfigError, _Stop) as exc:
        return "raised", type(exc), str(exc), out, lifted
    return "ok", out, lifted


@given(st.lists(st.tuples(st.sampled_from(_RULES), st.sampled_from(_FUNCS), _OPTS, _GUARDS),
                max_size=6),
       st.integers(0, 6), st.booleans())
def test_run_rules_of_any_rules(c: ModuleType, rules: list[tuple[ActiveRule, Any, Any, Any]],
                                size: int, lift: bool) -> None:
    active = [(ar, func, dict(opts), guard) for ar, func, opts, guard in rules]
    got = _run(c.run_rules, active, size, lift)
    assert got == _run(rulerun._run_rules_py, active, size, lift)
    assert repr(got) == repr(_run(rulerun._run_rules_py, active, size, lift))


def test_a_crash_says_where_the_rule_raised(c: ModuleType) -> None:
    ar = _RULES[0]
    active: list[Any] = [(ar, _raises, {"exc": KeyError}, None)]
    for run in (c.run_rules, rulerun._run_rules_py):
        out: list[Any] = []
        run(out, Document("d", "ab"), active, 2, None,
            rulerun._crashed, ConfigError)
        [(start, end, code, message, index, who, hit, crashed)] = out
        assert (start, end, code, index, who, crashed) == (0, 0, "PL904", 0, ar, True)
        line = _raises.__code__.co_firstlineno + 1
        assert message == (f"rule {ar.rule.code} ({ar.rule.name}) crashed: KeyError: 'boom'"
                           f" at test_native_rules.py:{line}")
        assert hit == Hit(Span(0, 0), message)


def _c_iterator(doc: Document, **opts: Any) -> Iterator[int]:
    return map(int, ["x"])  # raises in C, under no frame of the rule's


def test_a_crash_in_c_is_placed_where_the_rules_run(c: ModuleType) -> None:
    """With no frame of the rule's to name, both loops name the frame that runs them."""
    doc = Document("d", "ab")
    active: list[Any] = [(_RULES[0], _c_iterator, {}, None)]
    with pytest.MonkeyPatch.context() as mp:
        for speedups in (c, None):
            mp.setattr(rulerun, "SPEEDUPS", speedups)
            [hit] = rulerun._hits(doc, active, False)
            assert re.search(r"crashed: ValueError: .* at rulerun\.py:\d+$", hit[3])


def test_run_rules_refuses_what_is_not_an_active_rule_list(c: ModuleType) -> None:
    doc = Document("d", "ab")
    with pytest.raises(TypeError):
        c.run_rules([], doc, (), 2, None, rulerun._crashed, ConfigError)
    bad: list[Any] = [(_RULES[0], _listed, {}), (_RULES[0], _listed, (), None),
                      (_RULES[0], _listed, {}, (_gate,)), (_RULES[0], _listed, {}, (_gate, "0"))]
    for item in bad:
        with pytest.raises(TypeError):
            c.run_rules([], doc, [item], 2, None, rulerun._crashed, ConfigError)


def test_a_guard_skips_its_rule_only_when_its_gate_says_no(c: ModuleType) -> None:
    """The gate is asked once per text and gate; a "no" skips the call, a "yes", a key
    past its answer or a failing gate runs the rule."""
    asked: list[str] = []

    def gate(text: str) -> list[bool]:
        asked.append(text)
        return [False, True]

    guards = [(gate, 0), (gate, 1), (gate, 2), None, (_failing_gate, 0)]
    active: list[Any] = [(_RULES[0], _listed, {"n": 1}, guard) for guard in guards]
    for run in (c.run_rules, rulerun._run_rules_py):
        out: list[Any] = []
        run(out, Document("d", "ab"), active, 2, None, rulerun._crashed, ConfigError)
        assert len(out) == 4 and asked == ["ab"]
        asked.clear()


def test_a_crashing_rule_in_check_and_clean_on_both_paths(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A rule raising becomes PL904, the same with the compiled loop and without (the
    path PROVLINT_PURE=1 takes); ``debug`` shows the traceback and carries on."""
    victim = load()["PL001"]
    original = victim.func

    def boom(doc: Document, **_: object) -> Iterator[Hit]:
        if "crash" in doc.text:
            raise RuntimeError("boom")
        return iter(())

    doc = Document("d", "a crash  \n\n\n\n\nend\n")
    object.__setattr__(victim, "func", boom)  # Rule is frozen; restored below
    try:
        compiled = (engine.check(doc), engine.clean(doc), engine.check(doc, debug=True))
        shown = capsys.readouterr().err
        with pytest.MonkeyPatch.context() as mp:
            for module in (engine, rulerun):
                mp.setattr(module, "SPEEDUPS", None)
            pure = (engine.check(doc), engine.clean(doc), engine.check(doc, debug=True))
        shown_pure = capsys.readouterr().err
    finally:
        object.__setattr__(victim, "func", original)
    assert compiled == pure and repr(compiled) == repr(pure)
    assert [f.code for f in compiled[0]][:1] == ["PL904"]
    assert "PL001 (trailing-whitespace) crashed: RuntimeError: boom" in compiled[0][0].message
    assert "RuntimeError: boom" in shown and "RuntimeError: boom" in shown_pure
