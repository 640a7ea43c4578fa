"""The rules' fast paths find exactly what their plain definitions find.

Each shortcut (a C-speed scan that proves a rule has nothing to do, a regex
over the whole text instead of a loop over the lines) is compared here with
the straightforward version it replaced, on random texts built from the
characters that matter to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint.checks import duplication, encoding, metadata, prose, scan, taglines, whitespace
from provlint.checks.prose import layout
from provlint.lines import WS_CHARS, block_span, line_keys, split
from provlint.model import Applicability, Document, Edit, Fix, Hit, Span
from provlint.rulerun import _active

from .conftest import DEFAULT, doc

ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=80)  # surrogates too


def _hits(found: Iterator[Hit]) -> list[str]:
    return [repr(h) for h in found]


def test_has_control_agrees_with_the_regex_on_every_low_character() -> None:
    for code in range(0x300):
        ch = chr(code)
        assert encoding.has_control("ab" + ch) == bool(encoding._CONTROL_RE.search(ch)), code


@given(ANY_TEXT)
def test_has_control_agrees_with_the_regex(text: str) -> None:
    assert encoding.has_control(text) == bool(encoding._CONTROL_RE.search(text))


LINE_TEXT = st.lists(st.sampled_from(["a", "b", " ", "\t", "\u00a0", "\u200b", "\u3000", "\n",
                                      "\n", "\n", "\r", "\r\n"]), max_size=60).map("".join)


@given(LINE_TEXT.map(lambda t: t.replace("\r", "")))
def test_lf_only_trailing_space_scan_finds_the_same_line_ends(text: str) -> None:
    fast = [m.start() for m in whitespace._WS_LF_RE.finditer(text)]
    assert fast == [m.start() for m in whitespace._WS_EOL_RE.finditer(text)]


def _blank_runs_by_loop(text: str, max_blank_lines: int) -> Iterator[Hit]:
    """PL005 as a loop over the lines (the definition the regex over blank flags replaced)."""
    lines = split(text)
    i = 0
    while i < len(lines) and lines[i].blank:
        i += 1
    while i < len(lines):
        if not lines[i].blank:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].blank:
            j += 1
        if j < len(lines) and j - i > max_blank_lines:
            span = Span(lines[i + max_blank_lines].start, lines[j].start)
            yield Hit(span, f"{j - i} blank lines in a row (at most {max_blank_lines})",
                      Fix("Remove extra blank lines", (Edit(span),)))
        i = j


@given(LINE_TEXT, st.integers(0, 3))
def test_blank_line_runs_match_the_line_loop(text: str, max_blank: int) -> None:
    fast = whitespace.too_many_blank_lines(doc(text), max_blank_lines=max_blank)
    assert _hits(fast) == _hits(_blank_runs_by_loop(text, max_blank))


def _run_length(keys: tuple[str, ...], i: int, j: int) -> int:
    """The run of equal keys at j and i, short of i, ending on a key with text."""
    k = 0
    while i + k < len(keys) and j + k < i and keys[j + k] == keys[i + k]:
        k += 1
    while k and not keys[i + k - 1]:
        k -= 1
    return k


def _repeated_blocks_by_loop(text: str, min_lines: int, min_chars: int) -> Iterator[Hit]:
    """PL302 visiting every line and measuring every earlier copy (what the rule's
    skips, of unrepeated lines and of copies whose next line differs, must equal)."""
    keys = line_keys(text)
    lay = layout(text)
    lines = lay.lines
    seen: dict[str, list[int]] = {}
    i = 0
    while i < len(keys):
        key = keys[i]
        if not key:
            i += 1
            continue
        best = origin = 0
        for j in seen.get(key, [])[-8:]:
            size = _run_length(keys, i, j)
            if size > best:
                best, origin = size, j
        texts = [k for k in keys[i : i + best] if k]
        if len(texts) >= min_lines and sum(map(len, texts)) >= min_chars:
            last = i + best - 1
            edge = duplication._edge_copy(lay, keys, origin, i, last)
            short = max(len(t.split()) for t in texts) <= 30
            fix: Fix | None = Fix("Delete the second copy",
                                  (Edit(block_span(lines, i, last)),),
                                  Applicability.SAFE if edge and short else Applicability.UNSAFE)
            if not edge and short:
                fix = None
            yield Hit(Span(lines[i].start, lines[last].stop),
                      f"repeats a block of {len(texts)} lines seen earlier", fix)
            i += best
            continue
        seen.setdefault(key, []).append(i)
        i += 1


PROSE = "The council met on Monday to vote on the budget for the next year, she said."
BLOCK_LINES = st.lists(st.sampled_from(["", "", "", "Big news in Geneva today", "By A. Writer, AP",
                                        "Share", "Share", PROSE, "The council met."]),
                       max_size=40)


@given(BLOCK_LINES, st.integers(1, 3), st.sampled_from([1, 30]))
@example(["Share", "", "Big news in Geneva today", "Share", "", "", "Big news in Geneva today",
          "Share", "", "Big news in Geneva today", PROSE, "Share", "", "Big news in Geneva today"],
         2, 30)
def test_repeated_blocks_match_the_every_line_loop(lines: list[str], min_lines: int,
                                                   min_chars: int) -> None:
    text = "".join(ln + "\n" for ln in lines)
    found = duplication.repeated_block(Document("t.txt", text), min_lines=min_lines,
                                       min_chars=min_chars)
    assert _hits(found) == _hits(_repeated_blocks_by_loop(text, min_lines, min_chars))


def _repeated_lines_by_loop(text: str, min_chars: int) -> Iterator[Hit]:
    """PL301 comparing every line of text with the one before (what looking only at
    lines with a repeated key must find)."""
    lines = split(text)
    keys = line_keys(text)
    prev_key: str | None = None
    for line in lines:
        if line.blank:
            continue
        key = keys[line.index]
        if prev_key is not None and key == prev_key and len(key) >= min_chars:
            i = line.index
            yield Hit(line.full, f"repeats the line before it ({len(line.text)} chars)",
                      Fix("Delete the repeat", (Edit(block_span(lines, i, i)),)))
            continue
        prev_key = key


@given(st.lists(st.sampled_from(["", "", " ", "\x1c", "Share", "Big news in Geneva today",
                                 "BIG NEWS  in Geneva today", PROSE]), max_size=30),
       st.sampled_from([0, 1, 20]))
@example(["\x1c", "", "\x1c"], 0)  # text without a key: only min_chars 0 lets it count
def test_repeated_lines_match_the_line_loop(lines: list[str], min_chars: int) -> None:
    text = "".join(ln + "\n" for ln in lines)
    found = duplication.repeated_line(Document("t.txt", text), min_chars=min_chars)
    assert _hits(found) == _hits(_repeated_lines_by_loop(text, min_chars))


def test_ws_chars_cover_the_line_end_class() -> None:
    assert all(whitespace._WS_LF_RE.search(ch + "\n") for ch in WS_CHARS)


def test_odd_lists_every_character_that_folding_hides_from_an_ascii_letter() -> None:
    """Folding makes every non-ASCII character "?": that stands for re.IGNORECASE and
    for str.lower only when no such character matches or lowers to an ASCII letter."""
    letter = re.compile("(?i)[a-z]")
    for code in range(0x80, 0x110000):
        ch = chr(code)
        low = ch.lower()
        if letter.fullmatch(ch) or len(low) != 1 or low.isascii():
            assert ch in scan._ODD, hex(code)


@given(ANY_TEXT)
def test_lowered_folds_ascii_letters_and_hides_every_other_character(text: str) -> None:
    folded = "".join(c.lower() if c.isascii() else "?" for c in text)
    assert scan.lowered(text) == (None if any(c in text for c in scan._ODD) else folded)


WHOLE_LINES = ["", "", "Publish Date", "Last modified: 12 May 2023", "Tags: Budget, Taxes",
               "tagged with: Health", "Filed under: News", "Poſted in: News", "6 min read",
               "Lesezeit: 4 Min.", "Updated", "March 14, 2024", "Subscribe to our newsletter",
               "Get the news in your inbox", "By Jane Doe and John Roe | Reuters",
               "The council met on Monday and voted on the budget for next year, she said.",
               "Home", "İ", "ı", "\u212a", "Written by", "Jane Doe", "Door Jan Jansen",
               "Par Jean Dupont | AFP", "Por Ana García", "Von Anna Schmidt", "By The Numbers",
               "Suscríbete a nuestro boletín", "Recibe el Boletín Diario"]
WORDS = ["Tags:", "Posted", "Published", "2019", "min", "By", "Jane", "council", "Monday.",
         "12:30", "Note:"]
LINE = st.one_of(st.sampled_from(WHOLE_LINES), st.lists(st.sampled_from(WORDS), max_size=6)
                 .map(" ".join)).flatmap(
    lambda ln: st.sampled_from([ln, ln.upper(), ln.lower(), ln.title()]))
LINES = st.lists(LINE, max_size=16)
FILTERED = ("PL215", "PL401", "PL402", "PL403", "PL404", "PL405", "PL406")


@given(LINES)
@example([ln for ln in WHOLE_LINES if ln.isascii()])  # the prefilters on
@example(["Por Ana García", "", "Written by", "", "Jane Doe", "The council met on Monday and"
          " voted on the budget for next year, she said.", "Par Jean Dupont | AFP", "By Jane Doe",
          "The council met on Monday and voted on the budget for next year, she said.",
          "Door Jan Jansen", "", "Von Anna Schmidt", "By The Numbers"])  # bylines around prose
@example(["UPDATED", "March 14, 2024", "", "publish date", "March 14, 2024", "", "Poſted on",
          "March 14, 2024", "TAGS: A, B", "İ"])
def test_needle_prefilters_find_what_every_line_finds(lines: list[str]) -> None:
    text = "".join(ln + "\n" for ln in lines)
    rules = {ar.rule.code: (ar, opts) for ar, _, opts, _ in _active(DEFAULT, None)}
    fast = {c: _hits(rules[c][0].rule.run(doc(text), rules[c][1])) for c in FILTERED}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(scan, "lines_with", lambda *args, **kw: None)  # every line, as before
        mp.setattr(taglines, "labels_with", lambda _text, lines, *args: range(len(lines)))
        mp.setattr(metadata, "short_digit_lines", lambda lines, n: [  # digit or not
            i for i, ln in enumerate(lines) if not ln.blank and len(ln.text) <= n])
        slow = {c: _hits(rules[c][0].rule.run(doc(text), rules[c][1])) for c in FILTERED}
    assert fast == slow


@given(LINES, st.sampled_from([taglines._TAG_WORDS, ("min",), ("by", "2019")]))
def test_labels_with_finds_the_lines_holding_a_needle_before_their_first_colon(
        lines: list[str], needles: tuple[str, ...]) -> None:
    text = "".join(ln + "\n" for ln in lines)
    found = split(text)
    hay = scan.lowered(text)
    expected = range(len(found)) if hay is None else [
        i for i, ln in enumerate(found) if ":" in ln.text
        and any(n in hay[ln.start:ln.start + ln.text.index(":")] for n in needles)]
    assert list(scan.labels_with(text, found, needles)) == list(expected)


def _bylines_by_loop(text: str) -> Iterator[Hit]:
    """PL402 stepping through every line outside the prose (what its needle search
    over the head and the tail must find)."""
    lay = layout(text)
    lines = lay.lines
    lo, hi = prose.prose_bounds(lay)
    i = 0
    while i < len(lines):
        if lo <= i <= hi or lines[i].blank:
            i = hi + 1 if lo <= i <= hi else i + 1
            continue
        text_i, last = lines[i].text, i
        m = metadata._BY_RE.match(text_i)
        found = metadata._byline(m["rest"]) if m else None
        bare = found is None and metadata._LABEL_ONLY_RE.match(text_i) is not None
        if bare:
            j = i + 1
            while j < len(lines) and lines[j].blank:
                j += 1
            if j < len(lines) and not lo <= j <= hi:
                found = metadata._byline(lines[j].text)
                last = j if found else i
        if found is None and not bare:
            i += 1
            continue
        meta = {"byline": ", ".join(found[0])} if found else {}
        if found and found[1]:
            meta["outlet"] = found[1]
        if found and found[2]:
            meta["published"] = found[2]
        msg = (f"byline ({meta['byline']}) lifted into metadata" if found
               else f"byline label without names: '{text_i.strip()}'")
        yield Hit(Span(lines[i].start, lines[last].stop), msg,
                  Fix("Lift the byline into metadata and delete the line",
                      (Edit(block_span(lines, i, last)),)), meta)
        i = last + 1


@given(LINES)
@example(["By Jane Doe", "The council met on Monday and voted on the budget for next year, she"
          " said.", "By Jane Doe"])  # right before the first prose line and after the last
@example(["Written by", "Par Jean Dupont | AFP", "The council met on Monday and voted on the"
          " budget for next year, she said."])  # the names line is lifted with its label
def test_bylines_match_the_every_line_loop(lines: list[str]) -> None:
    text = "".join(ln + "\n" for ln in lines)
    assert _hits(metadata.byline(doc(text))) == _hits(_bylines_by_loop(text))


@given(st.lists(st.sampled_from(["", "Home", "The council met on Monday and voted on the "
                                 "budget for the next year.", "- item one", "| a | b |"]),
                max_size=20))
def test_prose_bounds_are_the_first_and_last_prose_lines(lines: list[str]) -> None:
    lay = layout("".join(ln + "\n" for ln in lines))
    inside = [k for k in range(max(lay.first, 0), lay.last + 1)
              if (s := lay.shapes[k]) is not None and s.prose]
    expected = (inside[0], inside[-1]) if inside else (len(lay.lines), -1)
    assert prose.prose_bounds(lay) == expected


# the shared needle scan (scan.needle_map) answers lines_with and labels_with as their
# straightforward definitions do: a str.find pass per needle over the folded text, and a
# search before each line's first colon
SCAN_TEXT = st.lists(st.sampled_from([*"byBYmin :?\n\r", "\r\n", "é", "’", "\u0130"]),
                     max_size=40).map("".join)
SCAN_NEEDLES = st.lists(st.sampled_from(["by", "min", "b", "y", "n ", "bé", "é", "?", "by:"]),
                        min_size=1, max_size=4).map(tuple)


@given(SCAN_TEXT, SCAN_NEEDLES, st.integers(0, 8), st.integers(0, 8), st.booleans())
@example("By me\nx\nby\n", ("by", "min"), 1, 3, False)
def test_lines_with_finds_what_a_find_per_needle_finds(text: str, needles: tuple[str, ...],
                                                       first: int, stop: int,
                                                       pure: bool) -> None:
    lines = split(text)
    stop = min(stop, len(lines))
    hay = scan.lowered(text)
    expected = None if hay is None else scan._holding(hay, lines, scan._ascii_heads(needles),
                                                      first, stop)
    with pytest.MonkeyPatch.context() as mp:
        if pure:
            mp.setattr(scan, "_C", None)
        assert scan.lines_with(text, lines, needles, True, first, stop) == expected


@given(SCAN_TEXT, SCAN_NEEDLES, st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)),
                                        max_size=4))
@example("By me\nx\nby\nmin\n", ("by", "min"), [(0, 4), (1, 3), (2, 4)])
def test_lines_with_asked_again_for_the_same_text_gives_the_same_lines(
        text: str, needles: tuple[str, ...], stretches: list[tuple[int, int]]) -> None:
    # the map of a text remembers each needle tuple's lines: the whole text's answer
    # (a copy, whatever its caller does with it) and every stretch's come from them
    lines = split(text)
    hay = scan.lowered(text)
    keys = scan._ascii_heads(needles)
    for first, stop in [(0, len(lines)), *stretches, (0, len(lines))]:
        stop = min(stop, len(lines))
        found = scan.lines_with(text, lines, needles, True, first, stop)
        assert found == (None if hay is None else scan._holding(hay, lines, keys, first, stop))
        if found:
            found.append(-1)  # the caller's list: the next answer is not changed by this


@given(SCAN_TEXT, SCAN_NEEDLES, st.booleans())
@example("By me: x\nby\nb: by\n", ("by", "y"), False)
def test_labels_with_finds_what_the_search_before_each_colon_finds(
        text: str, needles: tuple[str, ...], pure: bool) -> None:
    lines = split(text)
    expected = scan._labels_by_search(text, lines, scan._ascii_heads(needles), ":")
    with pytest.MonkeyPatch.context() as mp:
        if pure:
            mp.setattr(scan, "_C", None)
        assert list(scan.labels_with(text, lines, needles)) == list(expected)


def test_needles_never_hold_a_line_terminator() -> None:
    with pytest.raises(ValueError):
        scan.lines_with("a\nb", split("a\nb"), ("a\nb",))


def test_a_text_is_scanned_again_once_when_new_needles_join(
        monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[str, ...]] = []
    real = scan._map

    def counted(text: str, needles: tuple[str, ...]) -> scan.NeedleMap | None:
        made.append(needles)
        return real(text, needles)

    monkeypatch.setattr(scan, "_map", counted)
    text = "Tagged: zq1 words\nzq2: more\n"  # a fresh text object: not remembered yet
    first = scan.needle_map(text, ("zq1",))
    assert first is not None and len(made) == 1
    assert first.hold["zq1"] == [0] and first.before["zq1"] == []  # after "Tagged:"
    assert scan.needle_map(text, ("zq1",)) is first and len(made) == 1  # shared
    again = scan.needle_map(text, ("zq2",))  # a new needle: the remembered map is stale
    assert again is not None and len(made) == 2 and again.before["zq2"] == [1]
    assert again.hold["zq2"] == [1] and again.hold["zq1"] == [0]
    for keys in (("zq2",), ("zq1",), ("zq1", "zq2")):
        assert scan.needle_map(text, keys) is again  # made once, then shared
    assert len(made) == 2
