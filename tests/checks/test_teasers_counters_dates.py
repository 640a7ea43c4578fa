"""PL216 teaser links, PL217 counter badges, PL218 widget labels, PL406 date
lines and PL215's sign-up sentences: residue goes, article prose stays."""

from __future__ import annotations

import pytest

from .conftest import cleaned, codes, goes, stays

HEAD = "Council approves budget\n\n"
BODY = ("The council met on Monday and approved the budget for next year after a long "
        "debate.\n\nThe vote was close, and the mayor said the bridge would be built first.\n")
MORE = "\nThe mayor will present the plan to residents at a meeting in the town hall in May.\n"



@pytest.mark.parametrize("line", [
    "Related: Council to vote on next year's budget",
    "**Related:****Electrician Van Setup**",
    "**Related** : Cybersecurity M&A Roundup: 27 Deals Announced in August 2025",
    "**Read also:** What are the unique advantages of open source software?",
    "RELATED: Workout of the Week: The Hill-Tempo Sandwich",
    "Lesen Sie auch: Stadtrat beschließt den Haushalt",
    "À lire aussi : Le conseil vote le budget",
])
def test_teaser_links_inside_the_article_go(line: str) -> None:
    text = BODY + "\n" + line + "\n" + MORE
    goes(text, "PL216", BODY + MORE)


@pytest.mark.parametrize("line", [
    "Related: the vote on the budget was delayed. The mayor blamed the weather for it.",
    "Note: the figures are in euros.",
    "Update: The council has since approved the plan.",
    "Read the report here: it runs to forty pages and covers every district of the city in detail"
    " with maps and tables for each of them.",
    "Siehe auch: der Bericht des Stadtrats. Er ist lang.",
    "Source: the city's budget office",
])
def test_sentences_and_other_labels_stay(line: str) -> None:
    text = BODY + "\n" + line + "\n" + MORE
    stays(text, "PL216")


@pytest.mark.parametrize("line", [
    "34 Comments", "1.2K shares", "  \xa0693 likes", "3 of 11 comments", "12 Kommentare",
    "Image 2 of 5", "Photo 3/12", "(Bild 1 von 5)", "Slide 4 of 9", "Image 1 of / 9",
])
def test_counter_badges_go(line: str) -> None:
    text = BODY + "\n" + line + "\n"
    goes(text, "PL217", BODY)


@pytest.mark.parametrize("line", [
    "34 comments were sent to the council by Friday.",
    "2 of 11 councillors voted against it.",
    "Image 2 shows the bridge.",
    "5 views of the old town",
])
def test_numbers_in_sentences_and_headings_stay(line: str) -> None:
    text = BODY + "\n" + line + "\n" + MORE
    stays(text, "PL217")


@pytest.mark.parametrize("line", [
    "Was this article helpful?", "[email\xa0protected]", "Voiced by Amazon Polly", "Δ",
    "%d bloggers like this:",
])
def test_widget_labels_go(line: str) -> None:
    text = BODY + "\n" + line + "\n"
    goes(text, "PL218", BODY)


def test_widget_words_inside_sentences_stay() -> None:
    text = BODY + "\nWas this article helpful? Readers wrote in to tell us.\n"
    assert cleaned(text) == text


@pytest.mark.parametrize("line", [
    "March 14, 2024", "2022-11-23T08:10+02:00", "Friday, November 14, 2025",
    "July 11, 2021 / 9:47 pm", "**Dec 17, 2025**",
])
def test_date_lines_in_teaser_lists_and_threads_go(line: str) -> None:
    text = HEAD + BODY + "\nMore news\n\nBridge plan delayed\n\n" + line + "\n"
    assert "PL406" in codes(text)
    assert line not in cleaned(text)


@pytest.mark.parametrize(("before", "after"), [
    # a dated entry between two paragraphs of a timeline
    ("The first case was reported in the city and the council closed the schools.",
     "The council reopened the schools after the number of cases fell for two weeks."),
    # an embedded post: its attribution line, then its date
    ("— Jane Doe (@janedoe)", "The council answered her the next day in a statement."),
    # a sentence split at its links
    ("The figures are as of", ". They come from the city's budget office."),
    ("Data as of", "and will be updated every month by the budget office."),
])
def test_dates_that_are_part_of_the_article_stay(before: str, after: str) -> None:
    text = HEAD + BODY + "\n" + before + "\nMarch 14, 2024\n" + after + "\n"
    assert "PL406" not in codes(text)
    assert "March 14, 2024" in cleaned(text)


def test_a_date_inside_a_sentence_stays() -> None:
    text = HEAD + BODY + "\nOn March 14, 2024 the council met again and passed the plan.\n"
    assert cleaned(text) == text


@pytest.mark.parametrize("line", [
    "Get the day’s top headlines delivered to your inbox every morning by subscribing to our "
    "newsletter.",
    "Sign up to our newsletter to enjoy New York without spending a thing (as well as options"
    " when you're feeling flush).",
    "Subscribe to get the latest posts sent to your email inbox.",
])
def test_sign_up_sentences_go(line: str) -> None:
    text = BODY + "\n" + line + "\n"
    goes(text, "PL215", BODY)


@pytest.mark.parametrize("line", [
    "She started a newsletter in 2019 and it now reaches forty thousand readers every week.",
    "Get ready: the newsletter business is booming. Publishers say inbox revenue doubled.",
    "Join the thousands of residents who read the council's newsletter? Few do, a survey found.",
    "Get this: the council's newsletter reached ten thousand inboxes last year, more than the"
    " local paper did.",
])
def test_sentences_about_newsletters_stay(line: str) -> None:
    text = BODY + "\n" + line + "\n" + MORE
    stays(text, "PL215")


def test_a_bare_count_goes_only_outside_the_article() -> None:
    sidebar = "Archives\n\nNovember 2019\n(48)\n\nOctober 2019\n(31)\n"
    assert cleaned(BODY + "\n" + sidebar) == BODY + "\nArchives\n\nNovember 2019\n\nOctober 2019\n"
    equation = ("The energy of the system is the sum of the kinetic and the potential energy of"
                " every part.\n(1)\nThe second law follows from it as the authors show in the"
                " appendix to the paper.\n")
    stays(equation, "PL217")
