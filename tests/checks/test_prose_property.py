"""Property: text made only of ordinary prose sentences loses nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provlint.engine import clean

from .conftest import DEFAULT, doc

WORDS = [
    "the", "council", "city", "minister", "report", "water", "school", "budget", "people",
    "said", "would", "new", "year", "after", "before", "during", "their", "which", "about",
    "more", "than", "other", "into", "because", "also", "over", "Geneva", "Paris", "Monday",
    "Tuesday", "Maria", "Chen", "government", "committee", "plan", "road", "bridge", "share",
    "follow", "home", "comments", "advertisement", "related", "photo", "privacy", "cookies",
    "newsletter", "inbox", "watch", "read", "image", "likes",
    "views", "written", "author", "caption", "March", "14,", "2024", "34", "of",
]

sentence = st.builds(
    lambda ws, end: " ".join(ws).capitalize() + end,
    st.lists(st.sampled_from(WORDS), min_size=6, max_size=25),
    st.sampled_from([".", "!", "?", ".\u201d"]),
)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)


@given(st.lists(paragraph, min_size=1, max_size=8, unique=True))
def test_prose_paragraphs_are_never_touched(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs) + "\n"
    res = clean(doc(text), DEFAULT)
    assert res.text == text, [a.code for a in res.applied]
