"""PL1xx: encoding and markup residue."""

from __future__ import annotations

from provlint.ruleset import resolve

from .conftest import cleaned, codes


def test_mojibake_is_reported_and_repaired_only_as_an_unsafe_fix() -> None:
    text = "The cafÃ© said it wonâ€™t open.\n"
    assert "PL101" in codes(text)
    assert cleaned(text) == text
    assert cleaned(text, unsafe=True) == "The café said it won’t open.\n"


def test_correct_text_with_accents_and_curly_quotes_is_not_mojibake() -> None:
    text = "« Déjà vu », dit-il. The café’s “menu” — naïve Ærø, São Paulo, Ñandú.\n"
    assert "PL101" not in codes(text)


def test_control_zero_width_and_bom_are_deleted() -> None:
    text = "The coun\u200bcil\x07 met.\n\ufeffIt will meet again.\n"
    assert cleaned(text) == "The council met.\nIt will meet again.\n"


def test_joiners_that_are_spelling_stay() -> None:
    text = "می\u200cخواهم\n👩\u200d💻 works.\n"
    assert cleaned(text) == text


def test_replacement_character_is_reported_without_a_fix() -> None:
    text = "The caf\ufffd opened.\n"
    assert "PL102" in codes(text)
    assert cleaned(text, unsafe=True) == text


def test_entities_and_tags_need_unsafe_fixes() -> None:
    text = "Fish &amp; chips<br> cost &pound;5.\n"
    assert {"PL106", "PL107"} <= set(codes(text))
    assert cleaned(text) == text
    assert cleaned(text, resolve("aggressive"), unsafe=True) == "Fish & chips cost £5.\n"


def test_an_ampersand_in_prose_is_not_an_entity() -> None:
    assert "PL106" not in codes("Marks & Spencer and AT&T; R&D.\n")
