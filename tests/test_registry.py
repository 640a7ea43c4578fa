"""Meta-tests over every registered rule: documentation shape and runnable examples.

Like pycodestyle's self-doctests: each rule's Bad example must trigger the rule and its Good
example must not, both with only that rule selected and under the default rule set.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from provlint import registry
from provlint.engine import check, clean, replay, restore
from provlint.errors import ConfigError
from provlint.io import document_from_bytes, read_document
from provlint.model import Document
from provlint.registry import CODE_RE, NAME_RE, Rule, load
from provlint.ruleset import resolve

RULES = list(load().values())
TEXT_RULES = [r for r in RULES if r.func is not None]
INPUT_RULES = [r for r in RULES if r.code in ("PL901", "PL902", "PL903")]


def _ids(rules: list[Rule]) -> list[str]:
    return [r.code for r in rules]


@pytest.mark.parametrize("r", RULES, ids=_ids(RULES))
def test_rule_is_documented(r: Rule) -> None:
    assert CODE_RE.match(r.code) and NAME_RE.match(r.name)
    assert r.summary.endswith("."), r.summary
    for section in ("Why", "Fix safety", "Bad", "Good"):
        assert r.section(section), f"{r.code} lacks {section}:"
    assert r.family != "other"


def test_codes_and_names_are_unique() -> None:
    assert len({r.name for r in RULES}) == len(RULES)


def _doc(example: str | bytes, name: str = "example.txt") -> Document:
    assert isinstance(example, str)
    return Document(name, example, name)


@pytest.mark.parametrize("r", TEXT_RULES, ids=_ids(TEXT_RULES))
def test_bad_triggers_and_good_does_not(r: Rule) -> None:
    bad, good = _doc(r.example("Bad")), _doc(r.example("Good"))
    assert r.code in {f.code for f in check(bad, [r.code])}, f"{r.code}: Bad did not trigger"
    assert r.code not in {f.code for f in check(good, [r.code])}, f"{r.code}: Good triggered"
    default = resolve("default")
    if r.code in default.codes:
        assert r.code in {f.code for f in check(bad, default)}
        assert r.code not in {f.code for f in check(good, default)}


@pytest.mark.parametrize("r", [r for r in TEXT_RULES if r.fix != "never"],
                         ids=_ids([r for r in TEXT_RULES if r.fix != "never"]))
def test_bad_example_fix_is_complete_idempotent_and_replayable(r: Rule) -> None:
    bad = _doc(r.example("Bad"))
    out = clean(bad, [r.code], unsafe=True)
    assert out.changed
    again = Document(bad.id, out.text, bad.path)
    assert not [f for f in check(again, [r.code]) if f.fix is not None]
    assert clean(again, [r.code], unsafe=True).text == out.text
    assert replay(bad.text, out.applied) == out.text
    assert restore(out.text, out.applied) == bad.text


@pytest.mark.parametrize("r", INPUT_RULES, ids=_ids(INPUT_RULES))
def test_input_rule_examples(r: Rule, tmp_path: Path) -> None:
    good = r.example("Good")
    assert isinstance(good, bytes)
    assert r.code not in {f.code for f in document_from_bytes("g.txt", good).problems}
    if r.code == "PL901":  # a directory where a file was expected cannot be read
        (tmp_path / "d.txt").mkdir()
        problems = read_document(tmp_path / "d.txt", "d.txt").problems
    else:
        bad = r.example("Bad")
        assert isinstance(bad, bytes)
        problems = document_from_bytes("b.txt", bad).problems
    assert r.code in {f.code for f in problems}


def test_rule_crash_example_becomes_pl904() -> None:
    crash = load()["PL904"]
    victim = load()["PL001"]

    def boom(doc: Document, **_: object) -> object:
        if "crash" in doc.text:
            raise RuntimeError("boom")
        return iter(())

    object.__setattr__(victim, "func", boom)  # Rule is frozen; restored below
    try:
        bad = check(_doc(str(crash.example("Bad"))), ["PL001", "PL002"])
        good = check(_doc(str(crash.example("Good"))), ["PL001", "PL002"])
    finally:
        object.__setattr__(victim, "func", _original_pl001)
    assert [f.code for f in bad] == ["PL904"] and "PL001" in bad[0].message
    assert good == []


_original_pl001 = load()["PL001"].func


def test_options_read_from_code_objects_match_the_signature() -> None:
    from provlint.registry import _options_from_signature, _options_of

    registry.load()
    funcs = [r.func for r in registry._PYTHON_RULES.values() if r.func is not None]
    assert len(funcs) > 20
    for func in funcs:
        assert _options_of(func) == _options_from_signature(func)

    def inner(doc: object, *, a: int = 1, b: str = "x") -> None: ...

    @functools.wraps(inner)
    def wrapped(*args: object, **kw: object) -> None: ...

    def positional(doc: object, /, x: int = 3, *, k: None = None, **rest: object) -> None: ...

    class Callable_:
        def __call__(self, doc: object, *, n: int = 2) -> None: ...

    others: list[Any] = [inner, wrapped, positional, Callable_()]
    for func in others:
        assert _options_of(func) == _options_from_signature(func)
    assert _options_of(others[1]) == {"a": 1, "b": "x"}
    assert _options_of(others[2]) == {"k": None}

    def no_default(doc: object, *, n: int) -> None: ...

    missing: Any = no_default
    with pytest.raises(ConfigError, match="option n needs a default"):
        _options_of(missing)
