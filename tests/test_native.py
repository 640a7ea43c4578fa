"""The compiled helpers (provlint._speedups) give exactly what their pure twins give.

The pure functions are the specification; these tests run both on the same
inputs. The extension must be built for them (``pip install -e .`` builds it;
``python setup.py build_ext --inplace`` rebuilds it in a checkout), and a
test fails, rather than passing on the pure path alone, when it is missing
or older than its source.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint import lines, native
from provlint.checks import duplication, encoding, phrase_index, prose, repeats, whitespace

ROOT = Path(__file__).resolve().parent.parent
REBUILD = "build it: pip install -e . (or python setup.py build_ext --inplace)"


@pytest.fixture(scope="module")
def c() -> ModuleType:
    try:
        from provlint import _speedups
    except ImportError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"provlint._speedups is not built ({exc}); {REBUILD}")
    assert not native.stale(_speedups), f"_speedups is older than its C source; {REBUILD}"
    return _speedups


def test_every_c_source_is_built_and_watched_for_staleness() -> None:
    """A C file missing from setup.py is not compiled; one missing from ``native.SOURCES``
    can change without ``stale`` noticing, and the tests would run an old build."""
    package = ROOT / "validate" / "provlint"
    on_disk = {p.name for p in package.glob("_speedups*.[ch]")}
    assert set(native.SOURCES) == on_disk
    setup_py = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert {name for name in on_disk if f'"{name}"' not in setup_py} == set()


def test_ws_chars_are_the_same_set_in_the_same_order(c: ModuleType) -> None:
    assert c.WS_CHARS == lines.WS_CHARS


def test_the_extension_is_used_unless_pure_is_forced(c: ModuleType) -> None:
    if os.environ.get("PROVLINT_PURE", "") in ("", "0"):
        assert lines._C is c and phrase_index._C is c and prose._C is c


def test_pure_env_and_staleness_switch_it_off(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path, c: ModuleType) -> None:
    monkeypatch.setenv("PROVLINT_PURE", "1")
    assert native._load() is None
    monkeypatch.setenv("PROVLINT_PURE", "0")
    assert native._load() is c
    built, source = tmp_path / "_speedups.so", tmp_path / "_speedups.c"
    built.write_bytes(b"")
    source.write_text("")
    os.utime(built, (1000, 1000))
    os.utime(source, (2000, 2000))
    fake = SimpleNamespace(__file__=str(built))
    assert native.stale(fake)  # type: ignore[arg-type]
    os.utime(built, (3000, 3000))
    assert not native.stale(fake)  # type: ignore[arg-type]
    source.unlink()
    assert not native.stale(fake)  # type: ignore[arg-type]  # a wheel ships no source


def _same(c: ModuleType, text: str) -> None:
    """Both paths agree on the split of ``text`` and on every per-line helper."""
    want = lines._split_py(text)
    got = c.split_lines(text, lines.Line)
    assert got == want
    assert all(type(ln) is lines.Line for ln in got)
    ix = phrase_index
    assert c.index_lines(want, ix._entry, ix._KEY_LEN, ix._MAX_LEN) == ix._index_lines(want)
    entries = [e for e in map(ix._entry, (ln.text for ln in want)) if e]
    wanted, wanted_firsts = {k for k, _ in entries[::2]}, {f for _, f in entries[1::2]}
    assert c.index_lines(want, ix._entry, ix._KEY_LEN, ix._MAX_LEN, wanted,
                         wanted_firsts) == ix._index_lines(want, wanted, wanted_firsts)
    for mark, within in ((":", 48), ("|", 3), ("\t", 0), (".", -3)):
        assert c.labelled(want, mark, within) == lines._labelled_py(want, mark, within)
    for func, extra in ((lines.normalise, ()), (prose.shape, ()), (prose.nav_line, (12,))):
        assert c.map_texts(want, func, None, *extra) \
            == [None if ln.blank else func(ln.text, *extra) for ln in want]
    shapes = [None if ln.blank else prose.Shape(*prose.shape_parts(ln.text)) for ln in want]
    assert c.main_block(shapes, 2.0) == prose._main_block_py(shapes, 2.0)
    for needles in (prose._CREDIT_HINTS, ("b", "’", "\r\n", "ab"), ("",), ()):
        assert c.contains_any(text, needles) == lines._contains_any_py(text, needles)
    for ln in want:
        s = ln.text
        key = lines._normalise_py(s)
        assert c.contains_any(s.lower(), prose._CREDIT_HINTS) \
            == lines._contains_any_py(s.lower(), prose._CREDIT_HINTS)
        assert c.normalise(s) == key, s
        assert c.credit_quick(s, prose._CREDIT_HINTS, prose._AGENCIES, prose._DECIDING) \
            == prose._credit_quick_py(s), s
        assert c.shape_parts(s) == prose.shape_parts(s), s
        assert type(c.shape_parts(s, prose.Shape)) is prose.Shape
        assert c.shape_parts(s, prose.Shape) == prose.Shape(*prose.shape_parts(s)), s
        assert c.trim_key(key) == phrase_index._trim_key(key), key
        assert c.trim_key(s) == phrase_index._trim_key(s), s
        assert c.phrase_entry(lines._normalise_py, s) == phrase_index._entry_py(s), s
        assert type(c.shape_of(prose.Shape, s)) is prose.Shape
        assert c.shape_of(prose.Shape, s) == prose._shape_py(s), s
        assert c.credit_like(prose._CREDIT_HINTS, prose._AGENCIES, prose._DECIDING,
                             prose._credit_like_py, s) is prose._credit_like_py(s), s


# Characters each helper treats specially, so random text hits every branch.
_SPECIAL = (
    "\r\n\x00\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029 " + lines.WS_CHARS
    + "#>*_+-•·▪◦‣»›|[](){}:.,;!?…/'\"’‘“”–—。！？｡．」』）"  # decoration, quotes, sentence ends
    + "0123456789٣۵०²½Ⅻ"  # ASCII and other decimals, digits that are not decimal, numerals
    + "aZßİﬁǅΣς\u0301ÅKΩ"  # case folding that grows, NFKC changes, combining marks
    + "ぁアー・ヿ㐀一龥가힣\ud7af豈\ufaff\u3040\u30ff"  # the CJK ranges and their edges
    + "😀𝔸\U0001d7ce"  # outside the BMP (a mathematical letter and digit)
)
_TEXT = st.text(st.one_of(st.sampled_from(_SPECIAL), st.characters(blacklist_categories=("Cs",))),
                max_size=200)
_LINE_SHAPED = st.lists(
    st.tuples(st.sampled_from(["", " ", "  ", "\t", "## ", "####### ", "> ", "* ", "- ", "**",
                               "*** ", "___x", "1. ", "12) ", "1234. ", "3.", "• "]),
              st.text(st.sampled_from("ab Z9 ,;.:!?'’-|\t*_"), max_size=30),
              st.sampled_from(["\n", "\r\n", "\r", "", " \n", "\u200b\n"])),
    max_size=12,
).map(lambda parts: "".join(a + b + nl for a, b, nl in parts))


@given(_TEXT)
@example("")
@example("\r\n\r\n")
@example("a\rb\r\nc\n\rd")
@example("  \u200b word \u200b\n")
@example("“Quote” – don’t\u00a0stop…")
@example("Don’t\u00a0STOP — “now”\u00a0\na\u00a0b\n‘x’\n")  # ASCII once the quotes are unified
@example("## Heading\n1. item\n**bold**  \n***\n|a|b|\n")
@example("漢字とカナ, and words 123.")
def test_random_text_gives_the_same_results(c: ModuleType, text: str) -> None:
    _same(c, text)


@given(_LINE_SHAPED)
@example("1234. x\n12) y\n** z\n**\n_\n#######  x\n")
def test_markdown_like_lines_give_the_same_results(c: ModuleType, text: str) -> None:
    _same(c, text)


@given(st.text(st.sampled_from("](x) \t\u00a0*#-:1[é"), max_size=40))
@example("[Share](https://example.com/x) [Tweet](t) ](a b) ]() ](x")
@example("]](a)(b)) ](](c)")
def test_phrase_entries_of_link_like_lines(c: ModuleType, line: str) -> None:
    """Markdown link targets are dropped from a key as ``_LINK_RE.sub`` drops them."""
    assert c.phrase_entry(lines._normalise_py, line) == phrase_index._entry_py(line)


def test_phrase_entry_needs_a_str_key(c: ModuleType) -> None:
    with pytest.raises(TypeError):
        c.phrase_entry(lambda line: None, "a")


def test_cached_per_line_tests_pass_errors_on(c: ModuleType) -> None:
    with pytest.raises(ZeroDivisionError):  # "photo:" leaves credit_quick undecided
        c.credit_like(prose._CREDIT_HINTS, prose._AGENCIES, prose._DECIDING, lambda text: 1 / 0,
                      "photo:")
    with pytest.raises(TypeError):
        c.shape_of(list, "a")


def test_fast_called_line_tests_check_their_arguments(c: ModuleType) -> None:
    """``shape_of`` and ``phrase_entry`` take their two arguments unparsed (fast calls)."""
    for bad in [(prose.Shape,), (prose.Shape, "a", "b"), ("not a type", "a"), (prose.Shape, 1)]:
        with pytest.raises(TypeError):
            c.shape_of(*bad)
    for bad in [(lines._normalise_py,), (lines._normalise_py, 1)]:
        with pytest.raises(TypeError):
            c.phrase_entry(*bad)
    assert c.shape_of(prose.Shape, "Home") == prose._shape_py("Home")


@given(st.binary(max_size=200))
@example(bytes(range(256)) + b"\xff\xfe caf\xe9 \xc3\x28 line\r\n \x80x \n")
def test_undecodable_bytes_kept_as_lone_surrogates_give_the_same_results(
        c: ModuleType, data: bytes) -> None:
    """provlint reads broken UTF-8 with surrogateescape: texts can hold lone surrogates."""
    _same(c, data.decode("utf-8", "surrogateescape"))


_SHAPES = st.lists(st.one_of(st.none(), st.builds(
    prose.Shape, st.integers(0, 30), st.booleans(), st.booleans(), st.booleans(), st.booleans(),
    st.booleans())), max_size=40)


@given(_SHAPES, st.sampled_from([2.0, 0.5, 0.0, -1.0, 7.25]))
def test_main_block_of_any_shapes(c: ModuleType, shapes: list[prose.Shape | None],
                                  penalty: float) -> None:
    """Kadane over the gains: prose lines, menu-like lines and the others in any order."""
    assert c.main_block(shapes, penalty) == prose._main_block_py(shapes, penalty)


_CREDIT_PARTS = st.sampled_from(
    [*prose._CREDIT_HINTS, *prose._AGENCIES, *prose._AGENCY_NAMES, *prose._PLAIN_MARKS,
     "Photo", "REUTERS", "AFP)", "(AP", "/", "(", ")", "]", ".", ":", " ", "  ", "\t", "x",
     "\u2009", "\u00e9", "\x1f", "Getty Images", "Ap"])


@given(st.lists(_CREDIT_PARTS, max_size=8).map("".join))
@example("Photo / AP")
@example("(Getty Images)")
@example("Image: Reuters")
@example("\u00a9 2020 Reuters")
@example("reuters ).")
@example("AFP\t).")
@example("x ( /ap")
@example("The photo shows the council.")  # a hint without a deciding word: no
@example("the photo shows | the council")
def test_credit_quick_on_credit_like_lines(c: ModuleType, text: str) -> None:
    quick = c.credit_quick(text, prose._CREDIT_HINTS, prose._AGENCIES, prose._DECIDING)
    assert quick == prose._credit_quick_py(text)
    assert quick is None or quick == prose._credit_like_py(text)


def test_credit_hints_are_latin1_words() -> None:
    """credit_quick looks for the hints and deciding words as bytes of Latin-1 (others: it
    answers None, or refuses them)."""
    assert all(h and max(h) <= "\xff" and "\x01" not in h
               for h in (*prose._CREDIT_HINTS, *prose._DECIDING))


def test_letters_and_digits_are_the_alnum_characters() -> None:
    """The C symbol-only test uses str.isalnum() for prose's Unicode categories L and N."""
    odd = [hex(i) for i in range(sys.maxunicode + 1)
           if (unicodedata.category(chr(i))[0] in "LN") != chr(i).isalnum()]
    assert odd == []


def test_every_character_class_boundary(c: ModuleType) -> None:
    """One line per code point of the BMP's first planes in use: each helper's class tests."""
    chars = [chr(i) for i in range(0x3100)] + [chr(i) for i in range(0xfe00, 0x10000)
                                               if unicodedata.category(chr(i)) != "Cs"]
    text = "\n".join(f"{ch}x{ch} 1{ch}. {ch}" for ch in chars)
    _same(c, text)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_seeds_give_the_same_results(c: ModuleType, newline: str) -> None:
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        _same(c, path.read_text(encoding="utf-8").replace("\n", newline))


def test_loops_over_lines_report_bad_input(c: ModuleType) -> None:
    with pytest.raises(TypeError):
        c.map_texts([("not", "a", "line")], len, None)
    with pytest.raises(TypeError):
        c.index_lines(lines._split_py("a\n"), lambda text: "no pair", 200, 400)
    with pytest.raises(ZeroDivisionError):
        c.map_texts(lines._split_py("a\n"), lambda text: 1 / 0, None)
    assert c.map_texts([], len, None) == []
    with pytest.raises(TypeError):
        c.labelled([("not", "a", "line")], ":", 48)
    with pytest.raises(TypeError):
        c.labelled([], "::", 48)  # the mark is one character
    with pytest.raises(TypeError):
        c.contains_any("a", ["a"])  # needles are a tuple
    with pytest.raises(TypeError):
        c.contains_any("a", ("b", 1))
    with pytest.raises(TypeError):
        c.shape_parts("a", list)
    with pytest.raises(TypeError):
        c.split_lines("a", list)
    with pytest.raises(TypeError):
        c.main_block([None, (1, True)], 2.0)  # not a Shape
    with pytest.raises(TypeError):
        c.credit_quick("a", ("b", 1), frozenset(), ())
    with pytest.raises(ValueError):  # a deciding word that is not Latin-1
        c.credit_quick("photo", ("photo",), frozenset(), ("\u2019",))


def test_lines_and_shapes_are_left_out_of_cycle_collection(c: ModuleType) -> None:
    """They hold only ints, strs and bools; CPython would keep tuple subclasses tracked."""
    assert not any(gc.is_tracked(ln) for ln in c.split_lines("a\nb\r\n\n", lines.Line))
    assert not gc.is_tracked(c.shape_parts("A line of words.", prose.Shape))


def test_check_output_is_the_same_on_both_paths(c: ModuleType, tmp_path: Path) -> None:
    """End to end: `provlint check` on the seeds, pure and compiled, in fresh interpreters."""
    outs = []
    for pure in ("1", "0"):
        env = {**os.environ, "PROVLINT_PURE": pure}
        proc = subprocess.run(
            [sys.executable, "-m", "provlint", "check", "--isolated", "--output-format", "json",
             "--select", "ALL", str(ROOT / "seeds")],
            env=env, capture_output=True, text=True, check=False, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr  # the seeds have findings
        outs.append(json.loads(proc.stdout))
    assert outs[0] == outs[1]
    assert outs[0]


# ---- the scans of the white-space, encoding and repeated-block rules (_speedups_whitespace.c) ----

_ANY_TEXT = st.text(st.one_of(st.sampled_from(_SPECIAL + "\x7f\x80\x9f\xa0\xff\u0100"),
                              st.characters(blacklist_categories=())), max_size=200)


@given(_ANY_TEXT)
@example("")
@example("a\x1fb")
@example("\ud800 \x85\n")  # a lone surrogate (undecodable input) and a C1 control
def test_has_control_gives_the_same_results(c: ModuleType, text: str) -> None:
    assert c.has_control(text) == encoding._has_control_py(text)


def test_has_control_on_every_character_below_u0300(c: ModuleType) -> None:
    for code in range(0x300):
        for text in (chr(code), "é" + chr(code), "’" + chr(code), "😀" + chr(code)):
            assert c.has_control(text) == encoding._has_control_py(text), code
    with pytest.raises(TypeError):
        c.has_control(b"a")


def test_has_control_on_every_character_in_each_width(c: ModuleType) -> None:
    """The test runs in the width of the text's characters (the subtraction from DEL
    wraps there): every code point of each width, alone in a text of that width."""
    for lead, top in (("", 0x100), ("’", 0x10000), ("😀", 0x10000), ("😀", 0x110000)):
        step = 0x101 if top > 0x10000 else 1  # sampled above the 16-bit characters
        for code in range(0, top, step):
            text = lead + chr(code)
            assert c.has_control(text) == encoding._has_control_py(text), code


_BLOCK_TEXT = st.lists(st.sampled_from(["", "", " ", "\x1c", "Share", "Big news in Geneva",
                                        "BIG news in  Geneva", "x"]),
                       max_size=40).map(lambda lines: "".join(ln + "\n" for ln in lines))


@given(_BLOCK_TEXT | _TEXT, st.integers(0, 3), st.sampled_from([0, 1, 20]))
@example("a\nb\n\na\nb\n\nc\n", 1, 0)  # a block ends on its last line with text
@example("a\nb\n" + "".join(f"a\nx{k}\n" for k in range(8)) + "a\nb\n", 2, 0)  # 8 copies back
def test_repeated_blocks_give_the_same_results(c: ModuleType, text: str, min_lines: int,
                                               min_chars: int) -> None:
    keys = lines.line_keys(text)
    repeated = duplication._repeated(keys)
    expected = duplication._blocks_py(keys, repeated, min_lines, min_chars)
    assert c.repeated_blocks(keys, repeated, min_lines, min_chars) == expected
    assert c.repeated_blocks(keys, None, min_lines, min_chars) == expected  # keys found in C


def test_repeated_blocks_report_bad_input(c: ModuleType) -> None:
    with pytest.raises(TypeError):
        c.repeated_blocks(["a", "a"], frozenset({"a"}), 2, 0)  # keys are a tuple
    with pytest.raises(TypeError):
        c.repeated_blocks(("a", 1), frozenset({"a"}), 2, 0)
    with pytest.raises(TypeError):
        c.repeated_blocks(("a", "a"), {"a": 1}, 2, 0)
    with pytest.raises(TypeError):
        c.repeated_blocks(("a", 1), None, 2, 0)


@given(_TEXT | _LINE_SHAPED | _ANY_TEXT)
@example(" \r\n\t\r \n\u3000")
@example("a\u200b\u00a0\n\n \rb \u2060")
# line ends on either side of the C scan's blocks of eight characters, in each width of str
@example("a" * 6 + " \n" + " " * 9 + "\u2019\r\n" + "b" * 7 + "\t\n" + "c" * 8 + "\u3000")
@example("\u2019\n \r" + " " * 13 + "\n\n\u3000\u3000\r\n\t" + "\u2019" * 8 + " \n")
@example("\U0001f600" * 7 + " \r" + "\t" * 9 + "\n\n" + "\U0001f600" * 8 + " ")
@example("x" * 7 + "\r \r\n" + "y" * 13 + " ")
def test_trailing_white_space_gives_the_same_results(c: ModuleType, text: str) -> None:
    assert c.trailing_ws(text) == whitespace._trailing_py(text)


@given(_BLOCK_TEXT | _TEXT, st.sampled_from([-1, 0, 1, 5, 20]))
@example("\x1c\n\n\x1c\n", 0)  # lines of text without a key
@example("a\n \na\nA\nb\na\n", 1)
def test_adjacent_repeats_give_the_same_results(c: ModuleType, text: str, min_chars: int) -> None:
    split, keys = lines._split_py(text), lines.line_keys(text)
    assert c.adjacent_repeats(split, keys, min_chars) \
        == duplication._adjacent_py(split, keys, min_chars)


def test_adjacent_repeats_report_bad_input(c: ModuleType) -> None:
    split = lines._split_py("a\na\n")
    assert c.adjacent_repeats(split, ("a", "a"), 1) == [1]
    with pytest.raises(ValueError):
        c.adjacent_repeats(split, ("a",), 1)
    with pytest.raises(TypeError):
        c.adjacent_repeats([("a",), ("a",)], ("a", "a"), 1)
    with pytest.raises(TypeError):
        c.adjacent_repeats(split, ("a", None), 1)


@given(_BLOCK_TEXT | _TEXT | _LINE_SHAPED, st.integers(0, 3))
@example("a\n\n\n\nb\n\n\n", 1)  # trailing blanks are not a run
@example("\n\n\na\n \n\u200b\n\t\nb\n", 0)
def test_blank_runs_give_the_same_results(c: ModuleType, text: str, max_blank: int) -> None:
    split = lines._split_py(text)
    assert c.blank_runs(split, max_blank) == whitespace._blank_runs_py(split, max_blank)


def test_blank_runs_report_bad_input(c: ModuleType) -> None:
    with pytest.raises(ValueError):
        c.blank_runs(lines._split_py("a\n\n\nb\n"), -1)
    with pytest.raises(TypeError):
        c.blank_runs([("a",)], 1)


@given(_BLOCK_TEXT | _TEXT | _LINE_SHAPED)
def test_repeated_keys_and_long_lines_give_the_same_results(c: ModuleType, text: str) -> None:
    keys = lines.line_keys(text)
    assert c.repeated_keys(keys) == duplication._repeated_py(keys)
    assert type(c.repeated_keys(keys)) is frozenset
    shapes = tuple(None if ln.blank else prose.shape(ln.text) for ln in lines._split_py(text))
    for min_words in (-1, 0, 1, 2, 5):
        assert c.long_lines(shapes, min_words) == repeats._long_lines_py(shapes, min_words)


def test_repeated_keys_and_long_lines_report_bad_input(c: ModuleType) -> None:
    assert c.repeated_keys(("", "", "a", "b", "a")) == frozenset({"a"})
    with pytest.raises(TypeError):
        c.repeated_keys(["a", "a"])
    with pytest.raises(TypeError):
        c.repeated_keys(("a", 1))
    with pytest.raises(TypeError):
        c.long_lines(((1.5,),), 1)
    with pytest.raises(TypeError):
        c.long_lines([None], 1)
