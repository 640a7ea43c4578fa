"""credit_like's three searches say what one alternation of them says."""

from __future__ import annotations

import pytest
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
    media = any(prose._MEDIA_RE.match(lower, i) and prose._caption_start(lower, text, i)
                for i in range(len(lower)))
    assert prose._media_credit(lower, text) == media
    split = (prose._media_credit(lower, text) or lower.lstrip().startswith("©")
             or (prose.contains_any(lower, prose._AGENCY_NAMES)
                 and prose._AGENCY_RE.search(lower) is not None))
    # the alternation's media matches count where they start a credit (_caption_start)
    one = ONE_PATTERN.search(lower) is not None and (
        media or lower.lstrip().startswith("©") or prose._AGENCY_RE.search(lower) is not None)
    assert split == one
    if prose.credit_like(text) != split:  # only the agency-tail test may say yes first
        assert prose.credit_like(text) and not split


def test_captions_and_credits() -> None:
    for text in ("Photo / AP", "(Getty Images)", "Image: Reuters", "© 2024 Acme Inc.",
                 "Photograph by: Jane Doe", "Courtesy photo: City of Geneva"):
        assert prose.credit_like(text), text
    for text in ("The photo shows the council meeting.", "Images of the city at night"):
        assert not prose.credit_like(text), text


@pytest.mark.parametrize("text", [
    "(AP Photo/Alan Diaz, File)", "The minister in Geneva. Photo / AP", "video: arts",
    "This laptop is $300 off Credit: Apple", "  * Image credit: NASA", "Cover | Photo: J. Doe",
])
def test_a_media_word_starting_a_credit_is_one(text: str) -> None:
    assert prose.credit_like(text)


@pytest.mark.parametrize("text", [
    # a media word inside a sentence or a label is not a credit: found in article text
    # (lists of features and payment methods) deleted by PL212 as captions
    "Proton VPN, in addition to accepting credit/debit cards and PayPal, accepts cash.",
    "- Picture-in-Picture: Allows presenters to view participant streams.",
    "- Microsoft Whiteboard: 41 premade templates, add images/shapes/reactions",
    "- Companies that need voice and video: Ryver is one of the few platforms.",
    "The biggest photograph: Why \"biggest\"? (Family is really important to her.)",
    '    entity_picture: "/api/image/serve/23ad/512x512"',
    "Infographic: How to Create a Model of Your Customer's Mind",
])
def test_a_media_word_inside_a_sentence_or_label_is_not_a_credit(text: str) -> None:
    assert not prose.credit_like(text)
