"""PL3xx beyond adjacent repeats."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import example, given
from hypothesis import strategies as st

from provlint.checks import repeats
from provlint.checks.prose import credit_like, layout
from provlint.lines import block_span, line_keys
from provlint.model import Applicability, Edit, Fix, Hit

from .conftest import cleaned, codes, doc

PROSE = ("The council approved the budget on Monday after a long debate about the cost of "
         "the new bridge and the school, the mayor said.")


def test_a_caption_repeated_later_loses_its_second_copy() -> None:
    cap = "Chen Xu speaks in Geneva. Photo / AP"
    text = f"{cap}\n\n{PROSE}\n\n{cap}\n\n{PROSE} Again.\n"
    assert "PL303" in codes(text)
    assert cleaned(text) == f"{cap}\n\n{PROSE}\n\n{PROSE} Again.\n"


def test_headline_repeated_as_first_body_line() -> None:
    text = f"Council approves budget\nBy A. Writer\n\nCouncil approves budget\n\n{PROSE}\n"
    # the byline is lifted into metadata by PL402; the repeated headline goes (PL304)
    assert cleaned(text) == f"Council approves budget\n\n{PROSE}\n"


def test_a_refrain_repeated_line_after_line_is_not_a_repeated_headline() -> None:
    """A first line repeated at once (a song's or a poem's refrain) is PL301's business,
    not a headline printed again: PL304 used to delete its third copy, which made the
    fourth the next pass's third, one line per pass until the fix passes ran out."""
    verse = "Same line\nSame line\nSame line\n\n"
    text = verse * 3 + "Same line\nSame line\nSame line\n"
    assert "PL304" not in codes(text)
    assert cleaned(text).startswith(verse)  # converges (other rules may drop copies)


def test_a_later_subheading_that_repeats_the_headline_stays() -> None:
    text = f"Pros\n\n{PROSE}\n\nPros\n\n{PROSE} Twice.\n"
    assert cleaned(text) == text


def test_a_repeated_paragraph_is_removed_only_with_unsafe_fixes() -> None:
    text = f"{PROSE}\n\nOther news.\n\n{PROSE}\n"
    assert "PL305" in codes(text)
    assert cleaned(text) == text
    assert cleaned(text, unsafe=True) == f"{PROSE}\n\nOther news.\n"


def test_short_lines_repeated_inside_an_article_stay() -> None:
    week = "Monday\nRest day\nTuesday\nEasy run\n"
    text = f"{PROSE}\n\nWeek 1\n{week}\n{PROSE} More.\n\nWeek 2\n{week}\n{PROSE} End.\n"
    assert cleaned(text) == text



LONG = PROSE.replace("council", "board")
PARAGRAPH_LINES = st.lists(st.sampled_from(["", "", "\x1c", "\x1c x", "Other news.", "Share",
                                            PROSE, PROSE.upper(), LONG, "The board met."]),
                           max_size=24)


def _repeated_paragraphs_by_loop(text: str, min_words: int) -> Iterator[Hit]:
    """PL305 walking every line of text with a map of each one's neighbours (what
    looking only at the long lines with a repeated key must find)."""
    lay = layout(text)
    text_lines = [i for i, s in enumerate(lay.shapes) if s is not None]
    keys = line_keys(text)
    around = {i: (keys[a] if a is not None else None, keys[b] if b is not None else None)
              for a, i, b in zip([None, *text_lines], text_lines, [*text_lines[1:], None],
                                 strict=False)}
    first_seen: dict[str, int] = {}
    prev = -1
    for i in text_lines:
        s = lay.shapes[i]
        assert s is not None
        if s.words >= min_words and not credit_like(lay.lines[i].text):
            j = first_seen.setdefault(keys[i], i)
            shared = any(x is not None and x == y for x, y in zip(around[i], around[j],
                                                                  strict=True))
            if j != i and j != prev and not shared:
                span = block_span(lay.lines, i, i)
                yield Hit(span, f"paragraph repeated from line {j + 1}",
                          Fix("Delete the repeat", (Edit(span),), Applicability.UNSAFE))
        prev = i


@given(PARAGRAPH_LINES, st.sampled_from([0, 1, 3, 20]))
@example(["\x1c", "", "\x1c", PROSE], 0)
@example([PROSE, "", "Share", "Other news.", PROSE, "Other news.", LONG, "Share", LONG], 20)
def test_repeated_paragraphs_match_the_every_line_loop(lines: list[str], min_words: int) -> None:
    text = "".join(ln + "\n" for ln in lines)
    found = repeats.repeated_paragraph(doc(text), min_words=min_words)
    assert [repr(h) for h in found] == [repr(h) for h in _repeated_paragraphs_by_loop(
        text, min_words)]


@given(st.sampled_from(["- ", "* ", "  • ", "1. ", "12) "]),
       st.lists(st.sampled_from(["Intervals", "Tempo run", "Rest day", "Long run"]),
                min_size=2, max_size=4, unique=True))
def test_a_repeated_list_item_is_a_step_not_a_copy(bullet: str, days: list[str]) -> None:
    """A schedule repeats its steps on purpose; PL305 deleted every later "Warm up" of a
    training plan even with the unsafe fixes the aggressive set applies."""
    step = f"{bullet}{PROSE}"
    text = "".join(f"{day}\n{step}\n\n" for day in days)
    assert "PL305" not in codes(text, ["PL305"])
    assert cleaned(text, ["PL305"], unsafe=True) == text
    # the same paragraph set as prose is still a repeat (the days differ: not a block)
    prose = text.replace(bullet, "")
    assert "PL305" in codes(prose, ["PL305"])
