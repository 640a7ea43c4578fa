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
