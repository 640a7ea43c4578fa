"""The data-rule kinds (checks/patterns.py) against texts indexed at any time."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provlint.checks import patterns, phrase_index
from provlint.model import Document

TEXT = ("Ministers met in Geneva on Monday to discuss the report, officials said.\n\n"
        "Zorblax widget\nQuuxly gadget\n\nQuuxly gadget deluxe edition\n"
        "Zorblax: council votes on the budget\n")


def _hits(kind: str, tokens: list[str]) -> list[str]:
    return _hits_in(kind, tokens, TEXT)


def _hits_in(kind: str, tokens: list[str], text: str) -> list[str]:
    spec: dict[str, Any] = {
        "code": "PL299", "name": "test-phrases", "kind": kind, "summary": "s", "why": "w",
        "fix_safety": "f", "bad": "b", "good": "g", "message": "{match}",
        "options": {"tokens": tokens},
    }
    rule = patterns.data_rule(spec, "test")
    doc = Document(id="t.txt", text=text)
    return [text[h.span.start:h.span.end] for h in rule.run(doc, rule.options)]


@pytest.mark.parametrize(("kind", "expected"), [
    ("line", ["Zorblax widget\n", "Quuxly gadget\n"]),
    ("line-cluster", ["Zorblax widget\nQuuxly gadget\n\n"]),
    ("line-prefix", ["Zorblax widget\n", "Quuxly gadget\n", "Quuxly gadget deluxe edition\n"]),
])
def test_phrases_no_rule_asked_for_before_are_found_in_a_text_already_indexed(
        kind: str, expected: list[str]) -> None:
    """The index keeps only the keys rules have asked for; new ones rebuild it."""
    before = phrase_index._index(TEXT)
    tokens = [f"{kind} zorblax widget", "Quuxly gadget", "Zorblax widget"]
    assert _hits(kind, tokens) == expected
    assert phrase_index._index(TEXT) is not before
    assert _hits(kind, tokens) == expected  # the same answer from the rebuilt index


def test_label_lines_and_lines_over_the_key_length_are_not_indexed_as_phrases() -> None:
    assert _hits("label-line", ["zorblax"]) == ["Zorblax: council votes on the budget\n"]
    long_line = ("Zorblax widget " * 20).strip()  # 299 characters: too long to be a phrase line
    phrase_index._keyset((long_line,)), phrase_index._first_words((long_line,))  # both wanted
    index = phrase_index._Index(long_line + "\n")
    assert not index.where and index.firsts == {"zorblax": [0]}


def test_an_index_older_than_some_wanted_key_is_built_again() -> None:
    """The generation dates an index: it moves on when a key is wanted for the first time."""
    text = "Gizmo zorblax\n"
    old = phrase_index._index(text)
    assert old.where == {}
    phrase_index._keyset(("gizmo zorblax",))  # a key no rule asked for before
    new = phrase_index._index(text)
    assert new is not old and new.known == phrase_index._generation
    assert new.where == {"gizmo zorblax": [0]}
    assert phrase_index._index(text) is new  # and then kept
    phrase_index._first_words(("gizmo zorblax", "zorblax gizmo"))  # new first words too
    assert phrase_index._index(text) is not new
    assert phrase_index._index(text).firsts == {"gizmo": [0]}


def test_keys_already_wanted_leave_the_index_current() -> None:
    """Asking again for wanted keys (another rule's list) dates nothing: no rebuild."""
    phrase_index._keyset(("Gizmo quuxly",))
    index = phrase_index._index("Gizmo quuxly\n")
    phrase_index._keyset(("gizmo quuxly", "GIZMO QUUXLY!"))  # the same key, a new list
    assert phrase_index._index("Gizmo quuxly\n") is index


def test_a_rule_asked_first_about_an_indexed_text_sees_its_probe() -> None:
    """A new rule's probe joins an index built before it (the generation moves on)."""
    text = "Blorpt widget\n"
    phrase_index._index(text)  # built before the rule below asks anything
    assert _hits_in("line", ["Blorpt widget"], text) == ["Blorpt widget\n"]


def _data_rules() -> list[tuple[Any, dict[str, Any]]]:
    """Every data rule of the default set, with its table as read from its file."""
    import tomllib
    from pathlib import Path

    from provlint.ruleset import resolve

    folder = Path(patterns.__file__).parent.parent / "rules" / "phrases"
    return [(ar, tomllib.loads((folder / ar.rule.origin).read_text(encoding="utf-8")))
            for ar in resolve("default").for_path(None) if ar.rule.origin.endswith(".toml")]


DATA_RULES = _data_rules()
_PHRASES = sorted({str(t) for _, spec in DATA_RULES for t in spec["options"]["tokens"]})


@st.composite
def _page(draw: st.DrawFn) -> str:
    """Lines of prose, phrases of every data rule (as lines, prefixes and labels)."""
    phrase = st.sampled_from(_PHRASES)
    line = st.one_of(
        st.sampled_from(["", "", "The council met on Monday.", "Budget: the vote is due.",
                         "  * ", "Read more: Council to vote on budget"]),
        phrase, phrase.map(str.upper), phrase.map(lambda p: f"{p} 12:34"),
        phrase.map(lambda p: f"{p} the rest of it"),
        phrase.map(lambda p: f"**{p}:** Council to vote on budget"),
        st.text(alphabet="ab :*#\n", max_size=12))
    return "\n".join(draw(st.lists(line, max_size=12))) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=150, deadline=None)
@given(_page())
def test_the_nothing_to_do_path_agrees_with_the_full_check(text: str) -> None:
    """A data rule that returns at once (``_Index.live``) would have found nothing."""
    doc = Document(id="t.txt", text=text)
    for ar, spec in DATA_RULES:
        options = dict(ar.options)
        full = list(patterns.KINDS[spec["kind"]](doc, spec, **options))
        assert list(ar.rule.func(doc, **options)) == full, ar.rule.code


@settings(max_examples=150, deadline=None)
@given(_page())
def test_the_index_answers_the_probes_alike_on_its_two_paths(text: str) -> None:
    """A generation's first index asks each probe's table; the later ones look the
    tables' few words up among the probes' words: the same live flags."""
    doc = Document(id="t.txt", text=text)
    for ar, _ in DATA_RULES:  # every data rule's probe asked
        list(ar.rule.func(doc, **dict(ar.options)))
    phrase_index._OF_WORD = (-1, None)
    first = phrase_index._Index(text)
    assert phrase_index._OF_WORD[1] is None  # the first index took the probes' path
    again = phrase_index._Index(text)
    assert phrase_index._OF_WORD[1] is not None
    assert first.known == again.known and first.live == again.live


@pytest.mark.parametrize(("text", "expected"), [
    # one phrase counted up: a transit list, a poem's numbered lines
    ("Line 1\nLine 2\n\nLine 3\n", []),
    ("line 1\nline 2\n", []),
    # the same button twice, or two phrases, each with a count: residue
    ("Share\nShare\n", ["Share\nShare\n"]),
    ("Line 2\nLine 2\n", ["Line 2\nLine 2\n"]),
    ("print\nPrint\n", ["print\nPrint\n"]),
    ("Facebook 12\nTwitter 3\n", ["Facebook 12\nTwitter 3\n"]),
    ("Line 1\nShare 4\n", ["Line 1\nShare 4\n"]),
])
def test_a_cluster_of_one_phrase_counted_up_is_a_numbered_list(
        text: str, expected: list[str]) -> None:
    tokens = ["LINE", "Share", "Print", "Facebook", "Twitter"]
    body = "Ministers met in Geneva on Monday, officials said.\n\n" + text
    assert _hits_in("line-cluster", tokens, body) == expected


@settings(max_examples=100, deadline=None)
@given(_page())
def test_the_engine_skips_a_data_rule_only_when_it_would_find_nothing(text: str) -> None:
    """The engine asks each data rule's guard (the index's probe) instead of calling it:
    every pass's hits are the same as with every rule called."""
    from provlint import rulerun
    from provlint.ruleset import resolve

    active = rulerun._active(resolve("default"), None)
    # the data rules' guards, beside the text gates of PL0xx and PL1xx (checks.gates)
    assert sum(guard is not None for ar, *_, guard in active
               if ar.rule.code.startswith("PL2")) == len(DATA_RULES)
    unguarded: list[rulerun._Active] = [(ar, func, options, None)
                                       for ar, func, options, _ in active]
    doc = Document(id="t.txt", text=text)
    assert rulerun._hits(doc, active, False) == rulerun._hits(doc, unguarded, False)


def test_line_prefix_phrase_that_loses_characters_to_its_key_matches_only_as_written() -> None:
    """"(c)" keys as "c": a drop cap or a sentence starting with the letter C is not a
    copyright footer; the phrase as written, and phrases whose key is them, still hit."""
    text = ("Plan A failed.\n\nC\nardiovascular disease kills more people than cancer.\n\n"
            "C is the grade most students got this year.\n\n(c)\n\n(C) Acme\n\n"
            "© 2024 Acme News\n\nC. 1850 the house was built.\n")
    assert _hits_in("line-prefix", ["(c)", "©"], text) == ["(c)\n", "© 2024 Acme News\n"]


def test_line_prefix_key_given_by_a_plain_phrase_too_keeps_its_meaning() -> None:
    # "c" is a phrase of its own here: a line starting with the word C is what was asked for
    assert _hits_in("line-prefix", ["(c)", "c"], "C\nNot this one.\n") == ["C\n"]


def test_a_one_word_sentence_is_not_the_button_it_spells() -> None:
    """The key drops a tail full stop: "More." or a Markdown quote "> More." is a sentence,
    not the read-more button; an ellipsis, a colon, several words, or a phrase written
    with its full stop still match."""
    text = ("Less tax? More.\n\nMore.\n\n> More.\n\n**More.**\n\nMore\n\nMore...\n\n"
            "More:\n\nLearn more.\n\nOk, got it.\n")
    for kind in ("line", "line-cluster"):
        found = _hits_in(kind, ["More", "More...", "Learn more", "Ok, got it."], text)
        assert "".join(found).split() == ["More", "More...", "More:", "Learn", "more.", "Ok,",
                                          "got", "it."], kind


_WHOLE_LINE = [(ar, spec) for ar, spec in DATA_RULES if spec["kind"] in ("line", "line-cluster")]
_ONE_WORD = sorted({str(t) for _, spec in _WHOLE_LINE for t in spec["options"]["tokens"]
                    if len(phrase_index.phrase_key(str(t)).split()) == 1
                    and not str(t).endswith(".")})


@given(st.sampled_from(_ONE_WORD), st.sampled_from(["", "> ", "* ", "**", "## "]))
def test_no_whole_line_data_rule_takes_a_one_word_sentence(word: str, head: str) -> None:
    line = f"{head}{word}.{'**' if head == '**' else ''}"
    text = f"The council met on Monday.\n\n{line}\n{line}\n\nThe vote is due.\n"
    doc = Document(id="t.md", text=text)
    assert not [ar.rule.code for ar, _ in _WHOLE_LINE for _ in ar.rule.run(doc, ar.options)]


_PARA = ("The council met on Monday to discuss the new budget for the city's schools, "
         "officials said.")
_HEADINGS = sorted({(str(t), spec["code"]) for _, spec in _WHOLE_LINE
                    for t in spec["options"].get("headings", ())})


def test_headings_are_phrases_of_their_rules() -> None:
    assert _HEADINGS
    for _, spec in _WHOLE_LINE:
        assert set(spec["options"].get("headings", ())) <= set(spec["options"]["tokens"])


@given(st.sampled_from(_HEADINGS), st.sampled_from(["", "## ", "**"]))
def test_a_heading_phrase_alone_between_paragraphs_is_a_subheading(
        heading: tuple[str, str], mark: str) -> None:
    """"FAQ", "Privacy", "Marketing" set alone between the article's paragraphs head its
    sections (PL209 and PL205 deleted them as footer links and cookie categories); among
    other menu lines, or after the article, they are still chrome."""
    phrase, code = heading
    line = f"{mark}{phrase}{mark if mark == '**' else ''}"
    rules = [ar for ar, spec in _WHOLE_LINE if spec["code"] == code]

    def hit(text: str) -> bool:
        doc = Document(id="t.txt", text=text)
        return any(text[h.span.start:h.span.end].strip() == line
                   for ar in rules for h in ar.rule.run(doc, ar.options))

    assert not hit(f"{_PARA}\n\n{line}\n\n{_PARA} Again.\n")
    assert hit(f"{_PARA}\n\nHome\n{line}\n\n{_PARA} Again.\n")  # in a menu
    assert hit(f"{_PARA}\n\n{_PARA} Again.\n\n{line}\n")  # after the article


WRAPPED = ("The corpus keeps every page we crawled and the\nnext\nbatch is added each week.\n\n"
           "Read more\n")


@pytest.mark.parametrize("kind", ["line", "line-cluster", "line-prefix"])
def test_a_word_of_a_hard_wrapped_sentence_is_not_a_button(kind: str) -> None:
    """"next" continues the sentence around it (the line before does not end one, the
    line after starts in lower case): it is prose, however much it looks like a button."""
    tokens = ["next", "read more"]
    expected = {"line": ["Read more\n"], "line-cluster": [], "line-prefix": ["Read more\n"]}
    assert _hits_in(kind, tokens, WRAPPED) == expected[kind]
    # the same word as a line of its own is still the button
    alone = "The corpus keeps every page we crawled.\n\nnext\nRead more\n"
    assert _hits_in(kind, tokens, alone) == (
        ["next\nRead more\n"] if kind == "line-cluster" else ["next\n", "Read more\n"])


def test_a_lower_case_menu_is_not_taken_for_a_wrapped_sentence() -> None:
    menu = ("The corpus keeps every page we crawled.\n\nmanage my account\nSubscribe\n"
            "home delivery\ndigital subscriptions\n")
    assert _hits_in("line", ["subscribe"], menu) == ["Subscribe\n"]
