"""``credits.credit_lines``, which asks ``credit_like`` only about the lines the folded
text shows a hint word or an agency's name in, finds exactly the lines that asking it
(or the courtesy credit pattern) about every line finds (``scan.flagged``)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from provlint.checks import credits
from provlint.checks.prose import _CREDIT_HINTS, credit_like
from provlint.checks.scan import flagged
from provlint.lines import split

# pieces of caption and credit lines, and the characters that could hide or fake one:
# capitals, marks outside ASCII, white space of every kind, line ends (the characters
# folding cannot stand for, dotted capital I and the Kelvin sign, are in the examples:
# drawn often, they would leave most texts unfolded)
_PIECES = st.sampled_from([
    *_CREDIT_HINTS, *credits._AGENCY_WORDS, "Photo", "REUTERS", "Getty Images", "AP", "Ap",
    "photograph", "by", "credit", "ph", "ap", "x", "é", "caf\u00e9", " ", "  ", "\t", "\x0b",
    "\x1c", "\x1f", "\x85", "\u00a0", "\u2009", "\u3000", "(", ")", "/", "]", ".", ":", "|",
    "?", "\n", "\r\n", "\r", "\u00a9", "2024", "Courtesy", "courtesy of", " of "])
_TEXT = st.lists(_PIECES, max_size=16).map("".join)


@given(_TEXT)
@example("Photo / AP\n\nThe AP said.\n\u00a9 2020\n")
@example("x (/ap ).\t\nreuters\u00a0)\n")
@example("caption\u2009AP\nx\x1cafp\n")
@example("Video: x\u3000\nap ).\tx\n")
@example("AP\u212a\n\u0130mage: AP\ncaption\u2009AP\n")
@example("x\nPhoto courtesy of x\n Courtesy of x.\n")
def test_credit_lines_are_the_flagged_lines(text: str) -> None:
    assert credits.credit_lines(text) == flagged(text, _credit)


def _credit(text: str) -> bool:
    return credit_like(text) or credits._COURTESY_RE.match(text) is not None


@given(_TEXT)
def test_every_credit_line_is_a_candidate(text: str) -> None:
    lines = split(text)
    found = set(credits._candidates(text, lines))
    assert all(i in found for i, ln in enumerate(lines)
               if not ln.blank and _credit(ln.text))


def test_only_the_copyright_sign_is_looked_up_unfolded() -> None:
    """Every hint word but "©" is ASCII, found in the folded text; "©" is looked up in the
    text as it is, and no other character lowers to something holding it."""
    assert credits._MARKS == ("\u00a9",)
    assert [i for i in range(0x110000) if "\u00a9" in chr(i).lower()] == [0xa9]


def test_a_caption_among_prose() -> None:
    text = "The minister spoke.\n\nA man at the border. Photo / AP\n\n(Getty Images)\nIt rained.\n"
    assert credits.credit_lines(text) == (2, 4)


def test_a_courtesy_credit_is_a_credit_line() -> None:
    """"Photo courtesy of X" alone on its line credits a picture; a sentence starting with
    "Courtesy of" and one saying it mid-line are the article's."""
    text = ("Photo Courtesy of Noble Desktop\n\nThe course runs for ten weeks.\n\n"
            "Courtesy of brand\n\n**Image courtesy of: NASA/JPL-Caltech.**\n\n"
            "Courtesy of the council, the park reopened.\n\n"
            "Articles are provided here courtesy of the society\n")
    assert credits.credit_lines(text) == (0, 4, 6)
