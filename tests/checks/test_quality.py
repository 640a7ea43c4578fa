"""PL5xx and the quality signals the report uses."""

from __future__ import annotations

from provlint.quality import signals

from .conftest import codes

PROSE = "The council approved the budget on Monday after a long debate, the mayor said."


def test_signals_of_an_article() -> None:
    sig = signals(f"Headline\n\n{PROSE}\n\n{PROSE} Again.\n")
    assert sig.lines == 3 and sig.prose_share == 2 / 3 and sig.duplicate_share == 0
    assert not sig.truncated and sig.words > 20


def test_truncated_and_duplicated() -> None:
    sig = signals("Menu\nMenu\nMenu\nThe council approved the budget on Monday after a\n")
    assert sig.truncated and sig.duplicate_share == 0.5


def test_quality_rules_are_opt_in_and_report_without_fixes() -> None:
    menu = "".join(f"Item {c}\n" for c in "ABCDEFGHIJKL")
    assert not [c for c in codes(menu) if c.startswith("PL5")]
    found = codes(menu, ["PL5"])
    assert {"PL501", "PL503"} <= set(found)
    assert "PL502" in codes("The council met on Monday and said that the budget would be\n",
                            ["PL5"])
