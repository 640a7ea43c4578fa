"""PL402-PL405 (byline, reading time, head date, tags) and PL215 (newsletter
prompts), plus the phrase data added with them: residue goes, prose stays."""

from __future__ import annotations

import pytest

from provlint.engine import clean

from .conftest import DEFAULT, cleaned, codes, doc, goes, stays

HEAD = "Council approves budget\n\n"
BODY = ("The council met on Monday and approved the budget for next year after a long "
        "debate.\n\nThe vote was close, and the mayor said the bridge would be built first.\n")


def lifted(text: str) -> dict[str, object]:
    return dict(clean(doc(text), DEFAULT).metadata)


@pytest.mark.parametrize(("line", "names"), [
    ("By Jane Doe", "Jane Doe"),
    ("By Jane Doe and John Roe | Reuters", "Jane Doe, John Roe"),
    ("By: Paul Fenaroli", "Paul Fenaroli"),
    ("by Maahnoor Siddiqui", "Maahnoor Siddiqui"),
    ("**By Jan de Vries**", "Jan de Vries"),
    ("Von Anna Schmidt und Jörg Müller", "Anna Schmidt, Jörg Müller"),
    ("Par Jean-Luc Dupont", "Jean-Luc Dupont"),
    ("Written by\n\nSérgio Schüler", "Sérgio Schüler"),
])
def test_a_byline_at_the_head_is_lifted(line: str, names: str) -> None:
    text = HEAD + line + "\n\n" + BODY
    goes(text, "PL402", HEAD + BODY)
    assert lifted(text)["byline"] == names


def test_a_byline_with_outlet_and_date_keeps_both() -> None:
    meta = lifted(HEAD + "By Preetam Jinka - Dec 17, 2025\n\n" + BODY)
    assert meta["byline"] == "Preetam Jinka" and meta["published"] == "2025-12-17"
    assert lifted(HEAD + "By Jane Doe | Reuters\n\n" + BODY)["outlet"] == "Reuters"


def test_a_byline_at_the_tail_goes_and_a_bare_label_goes_alone() -> None:
    assert cleaned(BODY + "\nBy Scott Kasun\n") == BODY
    assert cleaned(HEAD + "Written by\n\n" + BODY) == HEAD + BODY


@pytest.mark.parametrize("line", [
    "By The Numbers", "By Car", "By Reuters", "By Appointment Only", "By land and by sea",
    "By the Lavazza Team and friends, who wrote it.", "Von Braun", "Por favor",
    "By Jane Doe, who covers the council, reports.",
])
def test_headings_and_sentences_starting_with_by_stay(line: str) -> None:
    text = HEAD + line + "\n\n" + BODY
    stays(text, "PL402")


def test_a_byline_between_paragraphs_stays() -> None:
    text = BODY + "\nBy Jane Doe\n\n" + BODY
    assert cleaned(text) == text


@pytest.mark.parametrize("line", [
    "6 min read", "• 5 min read", "10 Min Read", "6 minute read", "min read", "- 2-3 min read",
    "Lesezeit: 4 Min.", "5 min de lecture", "Reading time: 7 minutes",
])
def test_reading_time_badges_go(line: str) -> None:
    text = HEAD + line + "\n\n" + BODY
    assert cleaned(text) == HEAD + BODY


def test_reading_time_is_lifted_and_sentences_about_reading_stay() -> None:
    assert lifted(HEAD + "6 min read\n\n" + BODY)["reading_time"] == "6 min"
    text = HEAD + "It takes 6 min to read the report, the mayor said.\n\n" + BODY
    assert cleaned(text) == text


@pytest.mark.parametrize("line", ["December 15, 2025", "Feb 2, 2023", "2024-11-06",
                                  "Wednesday 20 November 2019 11:42"])
def test_a_date_alone_at_the_head_is_lifted(line: str) -> None:
    text = HEAD + line + "\n\n" + BODY
    assert cleaned(text) == HEAD + BODY
    assert "date" in lifted(text)


def test_an_update_stamp_at_the_head_is_lifted_as_updated_not_as_the_date() -> None:
    """PL404 took "Updated ..." for a date alone (parse_date skips the word) and lifted
    the update time as ``date``, the publication date, beside PL401's ``updated``."""
    text = HEAD + "Updated  3:27 am PST, Wednesday, November 20, 2019\n\n" + BODY
    assert "PL404" not in codes(text) and "PL401" in codes(text)
    assert cleaned(text) == HEAD + BODY
    assert lifted(text) == {"updated": "2019-11-20T03:27:00"}


def test_dates_in_sentences_timelines_and_between_menu_lines_stay() -> None:
    keep = [
        HEAD + "On December 15, 2025 the council met.\n\n" + BODY,
        BODY + "\nDecember 15, 2025\n\n" + BODY,  # a timeline entry inside the article
        "Film\n\n23 Nov 2017\n\nIl\nblack Friday\n" + BODY,  # would join a menu run
    ]
    for text in keep:
        assert "PL404" not in codes(text)
    assert cleaned(keep[0]) == keep[0] and cleaned(keep[1]) == keep[1]


@pytest.mark.parametrize("line", [
    "Tags: Employment, Health & Fitness, Mid-sized Businesses",
    "Filed under: Khawarij |", "TAGS: | Storytime |", "Posted in: Recipes, Baking",
    "Schlagwörter: Haushalt, Stadtrat",
])
def test_tag_lines_go(line: str) -> None:
    assert cleaned(BODY + "\n" + line + "\n") == BODY


def test_tags_are_lifted_and_sentences_with_a_tags_label_stay() -> None:
    assert lifted(BODY + "\nTags: Budget, Taxes\n")["tags"] == "Budget, Taxes"
    text = BODY + "\nTags: the council voted on them. They cost little.\n"
    assert cleaned(text) == text
    text = BODY + "\nTags are cheap, the vendor said, and everyone uses them.\n"
    assert cleaned(text) == text


@pytest.mark.parametrize("line", [
    "Subscribe to the Morning Review newsletter", "Get our daily Entertainment newsletter",
    "Sign up for our free Friday email newsletter.", "Daily Briefing Newsletter",
    "Newsletter abonnieren", "Abonnez-vous à notre newsletter", "Suscríbete a nuestro boletín",
])
def test_newsletter_prompts_go(line: str) -> None:
    text = BODY + "\n" + line + "\n"
    goes(text, "PL215", BODY)


@pytest.mark.parametrize("line", [
    "She started the Morning Review newsletter in 2019 and still writes it.",
    "Get our newsletter. It is free, and the council pays for it, the mayor said.",
    "tech newsletter",
    "Der Newsletter des Stadtrats erscheint jeden Montag.",
    # sentences that hold the chrome phrases added with these rules
    "The table of contents lists every chapter, the editor said.",
    "Book a demo of the bridge, the mayor told the engineers, and bring the plans.",
    "Das Inhaltsverzeichnis des Berichts umfasst zwölf Kapitel.",
    # ... and the generic residue of test_phrase_residue.py
    "Book now, the agent said, or the rooms will be gone by June.",
    "Read less about the budget and more about the bridge, the mayor told reporters.",
    "Follow the river north for two miles until the road bends to the east.",
    "Visit the website of the council to read the whole plan before the vote.",
    "Older posts on the forum described the same fault in the bridge.",
])
def test_sentences_about_newsletters_and_chrome_phrases_stay(line: str) -> None:
    text = BODY + "\n" + line + "\n\n" + BODY
    assert cleaned(text) == text
