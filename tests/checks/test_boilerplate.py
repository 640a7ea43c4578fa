"""PL2xx: boilerplate is removed, article text never."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint.checks.boilerplate import _TABLE_RULE_RE
from provlint.ruleset import resolve

from .conftest import DEFAULT, cleaned, codes

BODY = ("Ministers from twelve countries met in Geneva on Monday to discuss the report, "
        "officials said.\n\nThe talks will continue on Tuesday, when the delegations are "
        "expected to present their own proposals to the council.\n")


def test_navigation_runs_at_the_edges_go_and_the_headline_stays() -> None:
    text = ("Home\nWorld\nPolitics\nBusiness\nSport\n\nGeneva talks resume after long pause\n\n"
            + BODY + "\nScience\nWeather\nTravel\nOpinion\n")
    out = cleaned(text)
    assert out == "Geneva talks resume after long pause\n\n" + BODY
    assert "PL210" in codes(text)


# longer than the headline, and the last line of three words or more before BODY; a short
# menu line after it keeps the article's block from growing over the head matter
BYLINE = "Posted on March 30, 2015 by Admin\n\nComments"
_MENU_WORD = st.sampled_from(["Home", "News", "Live", "Menu", "Sport", "World", "Ads", "Blog"])


def test_a_headline_set_among_menu_lines_stays() -> None:
    # the byline takes both places _headlines looks at (the last line of three words or
    # more, and the longest); the headline still stands out among the menu lines
    head = "Council votes on new city budget\n\n" + BYLINE + "\n\n"
    assert cleaned("Ads\nLive\n\n" + head + BODY, ["PL210"]) == head + BODY


@given(st.lists(st.lists(_MENU_WORD, min_size=1, max_size=2).map(" ".join), min_size=1,
                max_size=4),
       st.lists(st.sampled_from(["Council", "Votes", "On", "New", "City", "Budget", "Plans"]),
                min_size=4, max_size=6).map(" ".join))
def test_the_line_standing_out_among_the_menu_lines_nearest_the_article_stays(
        menu: list[str], headline: str) -> None:
    text = "\n".join([*menu, headline, BYLINE]) + "\n\n" + BODY
    assert headline + "\n" in cleaned(text, ["PL210"])


@pytest.mark.parametrize("text", [
    # a subheading between paragraphs is not navigation
    BODY + "\nWhat comes next\n\n" + BODY,
    # lists and table rows next to the prose belong to the article
    BODY + "\n- Better schools\n- New roads\n- Lower taxes\n- Clean water\n",
    BODY + "\n| Country | Votes |\n| France | 12 |\n| Spain | 9 |\n",
    # lowercase fragments and cells with digits are not menu items
    BODY + "\norganic cotton\nhemp\nrecycled wool\n",
    BODY + "\nMonday\n30 min\nTuesday\n45 min\nWednesday\n20 min\n",
    # short one-line paragraphs, quotes and datelines inside sentences
    "GENEVA, Sept 10 (Reuters) - The talks resumed on Monday.\n\n\"No.\"\n\n" + BODY,
    BODY + "\nShe paused.\n\n\"We will see,\" she said on 10 Sep 2022.\n",
    # a page without a single sentence (a recipe, a list) has no article edges to trim
    "Ingredients\n\n2 eggs\n1 cup flour\n1 cup milk\nSalt\nButter\n\nMethod\n\n"
    "Whisk\nFry\nServe\n",
    "Packing list\n\nPassport\nTickets\nCharger\nSunscreen\n",
    # non-English prose without any English stop word
    "Die Minister trafen sich am Montag in Genf, um über den Bericht zu beraten.\n\n"
    "Los ministros se reunieron el lunes en Ginebra para debatir el informe.\n\n"
    "部长们周一在日内瓦开会讨论这份报告。\n\nВстреча продолжится во вторник.\n",
])
def test_article_text_is_untouched(text: str) -> None:
    assert cleaned(text) == text


@pytest.mark.parametrize(("line", "code"), [
    ("Share this article", "PL203"),
    ("Subscribe to our newsletter", "PL204"),
    ("Accept all cookies", "PL205"),
    ("Advertisement", "PL206"),
    ("  * Related Articles", "PL207"),
    ("Leave a comment", "PL208"),
    ("Skip to main content", "PL209"),
    ("© 2024 Acme News Inc. All rights reserved.", "PL214"),
    ("Copyright ©2019 Acme News Inc.", "PL214"),  # the sign glued to the year
    (". All rights reserved.", "PL214"),  # the end of a notice the extractor split
    ("Anzeige", "PL206"),
    ("Lire aussi", "PL207"),
])
def test_phrase_lines_inside_the_article_go(line: str, code: str) -> None:
    text = BODY + "\n" + line + "\n\n" + BODY
    assert code in codes(text)
    assert cleaned(text) == BODY + "\n" + BODY


@pytest.mark.parametrize("line", [
    "Share your story with us, the editor wrote.",
    "Terms of the deal were not disclosed.",
    "Copyright law protects the photographs, the court said.",
    "Related articles in the journal reached the same conclusion.",
    "The advertisement ran for a week.",
    "Facebook",  # a lone network name can be a subheading
])
def test_phrase_words_inside_sentences_stay(line: str) -> None:
    text = BODY + "\n" + line + "\n\n" + BODY
    assert cleaned(text) == text


def test_social_names_go_only_as_a_run() -> None:
    text = BODY + "\nFacebook\nTwitter\nLinkedIn\nEmail\n\n" + BODY
    assert cleaned(text) == BODY + "\n" + BODY


def test_symbol_only_lines_go_but_table_rules_stay() -> None:
    assert cleaned(BODY + "\n»\n\n" + BODY) == BODY + "\n" + BODY
    table = BODY + "\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert cleaned(table) == table


# PL211's delimiter-row pattern as it was written first, with backtracking quantifiers
_BACKTRACKING_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@given(st.lists(st.sampled_from([" ", "\t", "\u00a0", "\n", "|", ":", "-", "--", "---", "x"]),
                max_size=16).map("".join))
@example("|---|:--:|")
@example(" | -- | ---: |\n")
@example("--|")
def test_possessive_table_rule_pattern_matches_the_backtracking_one(line: str) -> None:
    assert bool(_TABLE_RULE_RE.match(line)) == bool(_BACKTRACKING_TABLE_RULE.match(line))


def test_credit_lines_are_unsafe() -> None:
    text = BODY + "\nThe minister in Geneva. Photo / AP\n"
    assert "PL212" in codes(text)
    assert cleaned(text) == text  # default: report only
    assert cleaned(text, unsafe=True) == BODY


def test_aggressive_rule_set_applies_unsafe_fixes() -> None:
    aggressive = resolve("aggressive")
    assert aggressive.unsafe_fixes and not DEFAULT.unsafe_fixes
    assert set(DEFAULT.codes) <= set(aggressive.codes)


def test_edge_navigation_keeps_a_drop_cap() -> None:
    """"F" / "latworld Solutions ..." is a word split by a drop cap, not a menu item."""
    text = ("News\nWorld\nSport\nF\nlatworld Solutions offers services to small firms.\n\n"
            "Ministers met in Geneva on Monday to discuss the report, officials said.\n")
    assert cleaned(text) == text.replace("News\nWorld\nSport\n", "")


# a sentence a full-page dump split at its links: names on lines of their own, the commas
# between them on theirs, and its end on the last name's line
THANKS = ("Our thanks go to the many people who helped, including:\nAnna Berg\n,\nBen Osei\n"
          ", Carla Diaz,\nDev Patel\n,\nEmil Novak\n, and Farah Aziz.\n")


def test_a_sentence_split_at_its_links_after_the_article_stays() -> None:
    text = BODY + "\n" + THANKS + "\nScience\nWeather\nTravel\n"
    assert cleaned(text) == BODY + "\n" + THANKS


def test_a_list_of_links_that_is_not_a_sentence_still_goes() -> None:
    tags = "Tags\nAnna Berg\n,\nBen Osei\n,\nDev Patel\n"
    assert cleaned(BODY + "\n" + tags) == BODY


def test_only_the_punctuation_inside_a_split_sentence_stays() -> None:
    # PL211 keeps the commas between the sentence's pieces, and deletes a line of
    # punctuation at its end as it deletes one elsewhere
    text = BODY + "\n»\n" + THANKS + ".\n"
    assert cleaned(text, ["PL211"]) == BODY + "\n" + THANKS


def test_a_headline_as_short_as_the_menu_items_around_it_stays() -> None:
    # "Quiet Bridge Repairs" is no longer than the menu items, and the call to action
    # below it takes both of _headlines' places; its words open the article
    text = ("Talk to Our Team\n\nQuiet Bridge Repairs\n\nBook a Free Call\n\nOur Price List\n\n"
            "Use your work email for a faster and more\ntailored reply!\n\nPrivacy Policy\n\n"
            "Repairs to the old bridge were finished quietly over the weekend, and the "
            "crews left before the Monday traffic arrived, officials said.\n\n" + BODY)
    out = cleaned(text, ["PL210"])
    assert "\nQuiet Bridge Repairs\n" in out and "Our Price List" not in out


def test_a_headline_right_above_the_deck_stays() -> None:
    # the deck is the longest line before the article; the headline above it is in
    # a menu run of its own, far from the menu lines nearest the article
    text = ("Home\nHealth\nCity Bridge Repairs End Early\nPrices for the new tolls were set by "
            "the council on Monday night\nShare this\nEmail this\nPrint this\n\n" + BODY
            .replace("Ministers", "Repairs to the city bridge ended early; ministers"))
    out = cleaned(text, ["PL210"])
    assert out.startswith("City Bridge Repairs End Early\nPrices") and "Share this" not in out
