"""credit_like's three searches say what one alternation of them says."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from provlint import rx
from provlint.checks import prose

# The caption pattern as a single alternation: the specification of the split.
ONE_PATTERN = rx.compile(f"{prose._MEDIA_RE.pattern}|{prose._AGENCY_RE.pattern}|^\\s*©")

PIECES = ["photo", "photos", "photograph", "image", "imagen", "video", "credit", "courtesy",
          "by", "getty images", "shutterstock", "wikimedia commons", "pexels", "ap", "reuters",
          "©", ":", "/", "|", ")", "(", " ", "  ", "\u00a0", "\t", ".", "x", "news", "2024"]


@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
@example("  © 2024 Acme")
@example("\u00a0©x")
@example("photo by : x")
@example("x getty images/foo bar )  ")
@example("photo credit© getty images")
@example("photography photos:")  # the second "photo" starts the match
@example("imagenes imagen /")
def test_the_split_searches_match_the_single_alternation(text: str) -> None:
    lower = text.lower()
    assert prose._media_credit(lower) == (prose._MEDIA_RE.search(lower) is not None)
    split = (prose._media_credit(lower) or lower.lstrip().startswith("©")
             or (prose.contains_any(lower, prose._AGENCY_NAMES)
                 and prose._AGENCY_RE.search(lower) is not None))
    assert split == (ONE_PATTERN.search(lower) is not None)
    if prose.credit_like(text) != split:  # only the agency-tail test may say yes first
        assert prose.credit_like(text) and not split


def test_captions_and_credits() -> None:
    for text in ("Photo / AP", "(Getty Images)", "Image: Reuters", "© 2024 Acme Inc.",
                 "Photograph by: Jane Doe", "Courtesy photo: City of Geneva"):
        assert prose.credit_like(text), text
    for text in ("The photo shows the council meeting.", "Images of the city at night"):
        assert not prose.credit_like(text), text
