"""Rules that visit only the lines ``scan.flagged`` picks find what their line loops found.

Each reference below is the rule's loop over every line as it was before the
rule asked ``flagged`` for its lines; the hypothesis tests run both on random
texts made of the lines that matter to the rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import example, given
from hypothesis import strategies as st

from provlint.checks import boilerplate, counters, repeats, scan
from provlint.checks.prose import credit_like, layout, symbol_only
from provlint.lines import block_span, by_identity, normalise, split
from provlint.model import Applicability, Edit, Fix, Hit

from .conftest import doc


def _hits(found: Iterator[Hit]) -> list[str]:
    return [repr(h) for h in found]


def _text(lines: list[str]) -> str:
    return "".join(ln + "\n" for ln in lines)


def _symbol_only_by_loop(text: str) -> Iterator[Hit]:
    lay = layout(text)
    for i, ln in enumerate(lay.lines):
        if (lay.shapes[i] is None or not symbol_only(ln.text)
                or boilerplate._TABLE_RULE_RE.match(ln.text)):
            continue
        span = block_span(lay.lines, i, i)
        yield Hit(span, f"line without letters or digits: {ln.text.strip()[:20]!r}",
                  Fix("Delete the line", (Edit(span),)))


def _media_credit_by_loop(text: str, max_words: int = 40) -> Iterator[Hit]:
    lay = layout(text)
    for i, ln in enumerate(lay.lines):
        s = lay.shapes[i]
        if s is None or s.words > max_words or not credit_like(ln.text):
            continue
        span = block_span(lay.lines, i, i)
        yield Hit(span, f"media credit line: {ln.text.strip()[:60]!r}",
                  Fix("Delete the credit line", (Edit(span),), Applicability.UNSAFE))


def _repeated_caption_by_loop(text: str, max_words: int = 60) -> Iterator[Hit]:
    lay = layout(text)
    first_seen: dict[str, int] = {}
    prev = -1
    for i, ln in enumerate(lay.lines):
        s = lay.shapes[i]
        if s is None:
            continue
        if s.words <= max_words and credit_like(ln.text):
            j = first_seen.setdefault(normalise(ln.text), i)
            if j != i and j != prev:
                span = block_span(lay.lines, i, i)
                yield Hit(span, f"caption repeated from line {j + 1}",
                          Fix("Delete the repeat", (Edit(span),)))
        prev = i


def _counter_badge_by_loop(text: str) -> Iterator[Hit]:
    lay = layout(text)
    for i, ln in enumerate(lay.lines):
        if ln.blank or len(ln.text) > 48 or counters._DIGIT_RE.search(ln.text) is None:
            continue
        sidebar = counters._PAREN_COUNT_RE.match(ln.text) is not None and not lay.inside(i)
        if sidebar or counters._COUNTER_RE.match(ln.text.lower()):
            yield Hit(ln.full, f"counter badge '{ln.text.strip()}'",
                      Fix("Delete the counter line", (Edit(block_span(lay.lines, i, i)),)))


PROSE = "The council met on Monday and voted on the budget for the next year, she said."
LINES = st.lists(st.sampled_from([
    "", "", " ", "\u200b", "|", "»", "* * *", "|---|---|", "| a | b |", "___",
    "Photo / AP", "A man at the border. Photo / AP", "(Getty Images)", "Image: Reuters",
    "REUTERS", "Video: J. Doe", PROSE, PROSE, "Home", "World", "34 Comments", "(48)",
    " (1,200) ", "Image 2 of 5", "1.2K shares", "34 comments were sent to the council.",
    "Ⅻ", "٣ likes",
]), max_size=24)


@given(LINES)
@example(["Photo / AP", "", "Photo / AP", PROSE, "Photo / AP", "", "", "Photo / AP"])
@example(["(48)", PROSE, "(48)", PROSE, "(48)"])
def test_flagged_lines_rules_match_their_line_loops(lines: list[str]) -> None:
    text = _text(lines)
    assert _hits(boilerplate.symbol_only_line(doc(text))) == _hits(_symbol_only_by_loop(text))
    assert _hits(boilerplate.media_credit(doc(text))) == _hits(_media_credit_by_loop(text))
    for words in (1, 60):
        assert (_hits(repeats.repeated_caption(doc(text), max_words=words))
                == _hits(_repeated_caption_by_loop(text, words)))
    assert _hits(counters.counter_badge(doc(text))) == _hits(_counter_badge_by_loop(text))


@given(st.text(st.sampled_from("a \u200b\n\r|"), max_size=30))
def test_flagged_is_the_non_blank_lines_that_pass_the_test(text: str) -> None:
    expected = [i for i, ln in enumerate(split(text)) if not ln.blank and "|" in ln.text]
    assert list(scan.flagged(text, _has_bar)) == expected


def _has_bar(line: str) -> bool:
    return "|" in line


def _repeated_headline_by_loop(text: str, max_gap: int) -> Iterator[Hit]:
    lay = layout(text)
    text_lines = [i for i, s in enumerate(lay.shapes) if s is not None]
    if len(text_lines) < 3:
        return
    head = text_lines[0]
    hs = lay.shapes[head]
    if hs is None or hs.prose or hs.words < 2:
        return
    if normalise(lay.lines[text_lines[1]].text) == normalise(lay.lines[head].text):
        return  # repeated at once: a refrain (PL301's), not a headline printed again
    for i in text_lines[1 : 2 + max_gap]:
        s = lay.shapes[i]
        if s is not None and s.prose:
            return
        if i != text_lines[1] and normalise(lay.lines[i].text) == normalise(lay.lines[head].text):
            span = block_span(lay.lines, i, i)
            yield Hit(span, "headline repeated as the first body line",
                      Fix("Delete the repeat", (Edit(span),)))
            return


@given(st.lists(st.sampled_from(["", "", "Council approves budget", "council  approves budget",
                                 "By A. Writer", "Home", PROSE]), max_size=12),
       st.integers(-1, 5))
@example(["Council approves budget", "By A. Writer", "Home", "Council approves budget"], 1)
@example(["Council approves budget", "", "By A. Writer", "Home", "", "Home",
          "Council approves budget"], 3)  # the last line the loop looks at
def test_repeated_headline_looks_at_as_many_lines_as_the_loop(lines: list[str],
                                                               max_gap: int) -> None:
    text = _text(lines)
    assert (_hits(repeats.repeated_headline(doc(text), max_gap=max_gap))
            == _hits(_repeated_headline_by_loop(text, max_gap)))


def test_by_identity_remembers_the_last_arguments_by_identity() -> None:
    calls: list[list[int]] = []

    @by_identity(2)
    def total(values: list[int]) -> int:
        calls.append(values)
        return sum(values)

    a, b, c = [1, 2], [1, 2], [3]
    assert [total(a), total(a), total(b), total(a)] == [3, 3, 3, 3]
    assert calls == [a, b]  # b equals a but is another object: computed again
    total(c)  # pushes out a, the oldest of the two remembered
    total(b)
    total(a)
    assert calls == [a, b, c, a]
