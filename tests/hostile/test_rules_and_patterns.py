"""A crashing rule is a PL904 finding; a runaway user pattern is a
configuration error naming the rule. Both through the real CLI, with a
test-only rule pack installed as an entry point (see conftest.PACK)."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import regex

from provlint.errors import ConfigError
from provlint.safe_regex import GuardedPattern, PatternTimeout, compile_pattern

PACK_SELECT = ("--extend-select", "PL597,PL598")


def test_a_crashing_rule_is_a_finding_and_the_run_goes_on(h: SimpleNamespace,
                                                          spawn: SimpleNamespace) -> None:
    h.write("tree/a.txt", "calm  \n")
    h.write("tree/b.txt", "BOOM  \n")
    h.write("tree/c.txt", "calm again  \n")
    res = spawn("check", "--isolated", *PACK_SELECT, "tree")
    assert res.returncode == 1, res.stderr
    lines = res.stdout.splitlines()
    crash = [ln for ln in lines if "PL904" in ln]
    assert len(crash) == 1 and crash[0].startswith("tree/b.txt:")
    assert "PL598 (crashes-on-boom) crashed: ZeroDivisionError: the test rule exploded" in crash[0]
    for name in ("a", "b", "c"):  # every document still got the other rules' findings
        assert any(ln.startswith(f"tree/{name}.txt:1:") and "PL001" in ln for ln in lines)
    assert "Traceback" not in res.stderr


def test_debug_shows_the_traceback_and_keeps_the_finding(h: SimpleNamespace,
                                                         spawn: SimpleNamespace) -> None:
    h.write("tree/b.txt", "BOOM  \n")
    h.write("tree/c.txt", "calm  \n")
    res = spawn("fix", "--isolated", "--debug", *PACK_SELECT, "tree")
    assert res.returncode == 1
    assert "Traceback (most recent call last)" in res.stderr
    assert "ZeroDivisionError: the test rule exploded" in res.stderr
    assert "hostile_pack.py" in res.stderr
    assert "PL904" in res.stdout
    assert Path("tree/c.txt").read_text() == "calm\n"  # fixes still applied everywhere


def test_a_runaway_pattern_in_the_configuration_stops_with_exit_2(h: SimpleNamespace,
                                                                    spawn: SimpleNamespace) -> None:
    h.write("tree/a.txt", "a" * 5000 + "!\n")
    h.write("provlint.toml", '[options.PL597]\npattern = "(a|aa)+$"\n')
    start = time.monotonic()
    res = spawn("check", "--extend-select", "PL597", "tree", timeout=30)
    assert time.monotonic() - start < 15
    assert res.returncode == 2
    assert "PL597 custom-pattern" in res.stderr and "(a|aa)+$" in res.stderr
    assert "backtracks catastrophically" in res.stderr


def test_nested_quantifier_on_a_hostile_document_is_stopped(h: SimpleNamespace,
                                                             spawn: SimpleNamespace) -> None:
    # (a+)+$ passes the short compile-time probes (the regex module does not
    # blow up exponentially) but is quadratic per line: on 20 lines of 5,000
    # "a"s it exceeds the per-document budget, and the run stops naming the rule
    h.write("tree/a.txt", ("a" * 5000 + "!\n") * 20)
    start = time.monotonic()
    res = spawn("check", "--isolated", "--select", "PL597", "--config",
                'options.PL597.pattern = "(?m)(a+)+$"', "tree", timeout=30)
    assert time.monotonic() - start < 15
    assert res.returncode == 2
    assert "PL597 custom-pattern: pattern '(?m)(a+)+$' took longer than 2 s" in res.stderr
    # the same pattern on ordinary text is fine
    h.write("tree/a.txt", "aaaa\nbbb\naa\n")
    res = spawn("check", "--isolated", "--select", "PL597", "--config",
                'options.PL597.pattern = "(?m)(a+)+$"', "tree", timeout=30)
    assert res.returncode == 1 and res.stdout.count("PL597") == 2


def test_the_runtime_budget_catches_what_the_probes_miss() -> None:
    slow = GuardedPattern("(a|aa)+$", "PL597 custom-pattern",
                          regex.compile("(a|aa)+$"), timeout=0.2)
    start = time.monotonic()
    with pytest.raises(PatternTimeout, match=r"PL597 custom-pattern: pattern '\(a\|aa\)\+\$'"):
        list(slow.finditer("a" * 60 + "!"))
    assert time.monotonic() - start < 3
    assert isinstance(PatternTimeout("x"), ConfigError)


@pytest.mark.parametrize("pattern",
                         ["(a|aa)+$", "([a-z]|[a-z]{2})+$", r"(\w|\w\w)+$", r"^(\s|\s\s)+$"])
def test_catastrophic_patterns_are_rejected_at_compile_time(pattern: str) -> None:
    with pytest.raises(ConfigError, match=r"PL500 test: pattern .* backtracks"):
        compile_pattern(pattern, rule="PL500 test")


def test_invalid_and_ordinary_patterns() -> None:
    with pytest.raises(ConfigError, match=r"PL500 test: invalid pattern"):
        compile_pattern("(", rule="PL500 test")
    ok = compile_pattern(r"(?i)^(watch|listen) now\b", rule="PL500 test", flags=regex.MULTILINE)
    assert [m.group(0) for m in ok.finditer("Watch now: x\nlisten now\n")] == ["Watch now",
                                                                               "listen now"]
