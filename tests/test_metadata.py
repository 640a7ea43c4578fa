"""PL401 and the strict date parser behind it."""

from __future__ import annotations

import pytest

from provlint.dates import parse_date
from provlint.engine import check, clean
from provlint.model import Document


@pytest.mark.parametrize(("text", "iso"), [
    ("Sat, 10 Sep 2022, 1:23pm", "2022-09-10T13:23:00"),
    ("10 September 2022", "2022-09-10"),
    ("September 10, 2022 at 9:05 a.m. ET", "2022-09-10T09:05:00"),
    ("Sept. 3, 2021", "2021-09-03"),
    ("2022-09-10T08:00:00+02:00", "2022-09-10T08:00:00+02:00"),
    ("2022-09-10", "2022-09-10"),
    ("Monday 1st March 2021 12:00am", "2021-03-01T00:00:00"),
    ("The report of 10 Sep 2022", None),  # other words: not a dateline
    ("31 Feb 2022", None),
    ("", None),
    ("Sat, 10 Sep 2022, 25:99", None),
])
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(("text", "meta"), [
    ("Publish Date\nSat, 10 Sep 2022, 1:23pm\n", {"published": "2022-09-10T13:23:00"}),
    ("Published: 3 March 2021\n", {"published": "2021-03-03"}),
    ("Updated 4 March 2021 10:00\n", {"updated": "2021-03-04T10:00:00"}),
    ("Last updated on March 5, 2021\n", {"updated": "2021-03-05"}),
])
def test_pl401_lifts_and_removes(text: str, meta: dict[str, str]) -> None:
    out = clean(Document("t", "Head\n\n" + text + "\nBody.\n"), ["PL401"])
    assert out.metadata == meta
    assert out.text == "Head\n\nBody.\n"


@pytest.mark.parametrize("text", [
    "The report was published on 10 Sep 2022, he said.\n",
    "Published by the ministry.\n",
    "Updated guidance follows below.\n",
    "Publish Date\nnot a date\n",
])
def test_pl401_silent_on_prose(text: str) -> None:
    assert check(Document("t", text), ["PL401"]) == []


def test_pl401_keep_option_lifts_without_removing() -> None:
    from provlint.ruleset import Layer, resolve

    settings = resolve(cli=Layer(select=("PL401",), options={"PL401": {"remove": False}}))
    out = clean(Document("t", "Published: 3 March 2021\nBody.\n"), settings)
    assert out.metadata == {"published": "2021-03-03"} and not out.applied
