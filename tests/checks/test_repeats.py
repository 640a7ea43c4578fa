"""PL3xx beyond adjacent repeats."""

from __future__ import annotations

from .conftest import cleaned, codes

PROSE = ("The council approved the budget on Monday after a long debate about the cost of "
         "the new bridge and the school, the mayor said.")


def test_a_caption_repeated_later_loses_its_second_copy() -> None:
    cap = "Chen Xu speaks in Geneva. Photo / AP"
    text = f"{cap}\n\n{PROSE}\n\n{cap}\n\n{PROSE} Again.\n"
    assert "PL303" in codes(text)
    assert cleaned(text) == f"{cap}\n\n{PROSE}\n\n{PROSE} Again.\n"


def test_headline_repeated_as_first_body_line() -> None:
    text = f"Council approves budget\nBy A. Writer\n\nCouncil approves budget\n\n{PROSE}\n"
    # the byline is lifted into metadata by PL402; the repeated headline goes (PL304)
    assert cleaned(text) == f"Council approves budget\n\n{PROSE}\n"


def test_a_later_subheading_that_repeats_the_headline_stays() -> None:
    text = f"Pros\n\n{PROSE}\n\nPros\n\n{PROSE} Twice.\n"
    assert cleaned(text) == text


def test_a_repeated_paragraph_is_removed_only_with_unsafe_fixes() -> None:
    text = f"{PROSE}\n\nOther news.\n\n{PROSE}\n"
    assert "PL305" in codes(text)
    assert cleaned(text) == text
    assert cleaned(text, unsafe=True) == f"{PROSE}\n\nOther news.\n"


def test_short_lines_repeated_inside_an_article_stay() -> None:
    week = "Monday\nRest day\nTuesday\nEasy run\n"
    text = f"{PROSE}\n\nWeek 1\n{week}\n{PROSE} More.\n\nWeek 2\n{week}\n{PROSE} End.\n"
    assert cleaned(text) == text
