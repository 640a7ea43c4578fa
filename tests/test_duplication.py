"""PL301/PL302: repeats are removed, the first copy kept; short or distinct lines stay."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint.engine import check, clean, replay
from provlint.model import Applicability, Document

CAP = "Photo: Reuters/J. Doe, in Geneva today"


def doc(text: str) -> Document:
    return Document("t", text)


@pytest.mark.parametrize(("text", "hits"), [
    (f"{CAP}\n{CAP}\n", 1),
    (f"{CAP}\n\n{CAP}\n\n{CAP}\n", 2),
    (f"{CAP}\n\nThe minister said.\n\n{CAP}\n", 0),  # not adjacent: silent
    ("Yes.\n\nYes.\n", 0),  # under min_chars: silent
    ("Pros\nCons\nPros\nCons\n", 0),
    (f"{CAP}\n{CAP.upper()}  \n", 1),  # compared after normalisation
])
def test_pl301_hits(text: str, hits: int) -> None:
    assert [f.code for f in check(doc(text), ["PL301"])].count("PL301") == hits


def test_pl301_keeps_the_first_copy_and_paragraph_spacing() -> None:
    assert clean(doc(f"{CAP}\n\n{CAP}\n\nBody.\n"), ["PL301"]).text == f"{CAP}\n\nBody.\n"


@given(st.lists(st.sampled_from([CAP, "Short.", "Body text of the story here."]))
       .map("\n\n".join))
def test_pl301_fix_is_complete_idempotent_replayable(text: str) -> None:
    out = clean(doc(text), ["PL301"])
    assert check(doc(out.text), ["PL301"]) == []
    assert clean(doc(out.text), ["PL301"]).text == out.text
    assert replay(text, out.applied) == out.text


HEAD = "China shuns co-operation with UN rights office\n\nPublish Date\nSat, 10 Sep 2022\n"


def test_pl302_removes_second_headline_block() -> None:
    text = f"{HEAD}\nFirst paragraph of the story.\n\n{HEAD}\nSecond paragraph.\n"
    out = clean(doc(text), ["PL302"])
    assert out.text == f"{HEAD}\nFirst paragraph of the story.\n\nSecond paragraph.\n"


def test_pl302_silent_on_distinct_blocks_and_single_lines() -> None:
    text = "Alpha beta gamma delta\nOne two three four\n\nAlpha beta gamma delta\nOther line.\n"
    assert check(doc(text), ["PL302"]) == []


def test_pl302_long_prose_block_is_unsafe() -> None:
    prose = "This is a long paragraph of ordinary article prose " * 4
    text = f"Heading here\n{prose}\n\nMiddle.\n\nHeading here\n{prose}\n"
    [f] = check(doc(text), ["PL302"])
    assert f.fix is not None and f.fix.applicability is Applicability.UNSAFE


PROSE = ("keeps the same evening routine, so that the body gets used to the rhythm of the "
         "week before the race.")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday")
SNACK = "Evening Snack\nWarm milk with honey, one cup\nServing: 1 cup.\n"


def _plan() -> str:
    """A plan with a prose paragraph after every day but the last: the last day's copy of
    the block the article repeats falls past the block's last prose line."""
    parts = [f"{day}\n\n{SNACK}\n{day} {PROSE}\n" for day in DAYS[:-1]]
    intro = f"The plan {PROSE}\n\n"
    return intro + "\n".join(parts) + f"\n{DAYS[-1]}\n\n{SNACK}"


def test_pl302_keeps_a_pattern_the_article_repeats_past_its_last_prose_line() -> None:
    text = _plan()  # the block three times in the article, once more after it
    found = check(doc(text), ["PL302"])
    assert len(found) == 3 and all(f.fix is None for f in found)
    assert clean(doc(text), ["PL302"]).text == text


def test_pl302_still_removes_a_tail_copy_of_a_block_the_article_prints_once() -> None:
    text = (f"Monday {PROSE}\n\n{SNACK}\nTuesday {PROSE}\n\nThe end of the story.\n\n"
            f"Footer links\n\n{SNACK}")
    out = clean(doc(text), ["PL302"])
    assert out.text.count("Warm milk") == 1 and out.text.endswith("Footer links\n\n")
