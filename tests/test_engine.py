"""Engine properties over arbitrary text, and the fix-application mechanics."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provlint.engine import MAX_PASSES, _Locator, _positions, check, clean, replay, restore
from provlint.errors import ConvergenceError
from provlint.io import document_from_bytes
from provlint.model import Applicability, Document, Edit, Fix, Span
from provlint.provenance import RunInfo, build_record, restore_bytes
from provlint.ruleset import resolve

DEFAULT = resolve("default")
PIECES = [
    "Live now", "Start time", "Playing for", "Up next", "Publish Date",
    "Sat, 10 Sep 2022, 1:23pm", "Take your Radio, Podcasts and Music with you",
    "A caption that is long enough to count. Photo / AP", "The minister said nothing.",
    "", " ", "\t", "\u00a0", "  ", "Überall ist es schön.", "日本語の文章です。",
]
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
STRUCTURED = st.lists(st.tuples(st.sampled_from(PIECES), NEWLINES), max_size=30).map(
    lambda parts: "".join(a + b for a, b in parts)
)
TEXTS = st.one_of(st.text(), STRUCTURED, STRUCTURED.map(lambda s: s.rstrip("\r\n")))


def _doc(text: str) -> Document:
    return Document("t.txt", text, "t.txt")


@given(TEXTS)
@example("")
@example("no newline at all")
@example("\r\n\r\n")
@example("a\u00a0\r\nb  \rc\n\n\n\nd")
def test_fix_properties_hold_for_any_text(text: str) -> None:
    doc = _doc(text)
    for f in check(doc, DEFAULT):  # every finding lies inside the text
        assert 0 <= f.span.start <= f.span.end <= len(text)
        assert f.line >= 1 and f.col >= 1
    out = clean(doc, DEFAULT)
    # fixing never inserts text other than newlines
    assert all(a.after in ("", "\n", "\r\n", "\r") for a in out.applied)
    # idempotent, complete, replayable, restorable
    again = clean(_doc(out.text), DEFAULT)
    assert again.text == out.text and not again.applied
    safe = [f for f in check(_doc(out.text), DEFAULT)
            if f.fix is not None and f.fix.applicability is Applicability.SAFE]
    assert safe == []
    assert replay(text, out.applied) == out.text
    assert restore(out.text, out.applied) == text


@given(st.one_of(st.binary(), TEXTS.map(lambda s: s.encode("utf-8", "surrogatepass"))))
@example(b"\xef\xbb\xbfBOM text\r\n\r\n\r\n")
@example(b"Caf\xe9 latin-1\n\n\n")
@example(b"broken \xff\xfe bytes \xc3\xa9\n  \n")
def test_restore_bytes_is_exact_for_any_input(data: bytes) -> None:
    read = document_from_bytes("t.txt", data)
    if read.document is None:  # binary: reported, not cleaned
        assert b"\x00" in data and read.problems[0].code == "PL902"
        return
    out = clean(read.document, DEFAULT)
    from provlint.io import encode

    output = encode(out.text, read.document.decoding)
    record = build_record(out, DEFAULT, RunInfo(mode="test", argv=[]), output)
    assert restore_bytes(output, record) == data


def test_overlapping_fixes_are_applied_over_passes() -> None:
    doc = _doc("Line   \n\n\n\n   \n")
    out = clean(doc, DEFAULT)
    assert out.text == "Line\n"
    assert out.passes >= 1
    assert restore(out.text, out.applied) == doc.text


def test_unsafe_fixes_need_opt_in() -> None:
    prose = " ".join(["word"] * 40) + "."
    text = f"Title of the piece\n{prose}\n\nMiddle.\n\nTitle of the piece\n{prose}\n"
    doc = _doc(text)
    assert "PL302" in {f.code for f in clean(doc, DEFAULT).remaining}
    assert clean(doc, DEFAULT, unsafe=True).text.count(prose) == 1


def test_fix_with_overlapping_edits_is_rejected() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        Fix("x", (Edit(Span(0, 3)), Edit(Span(2, 4))))


def test_non_converging_rule_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    from provlint.model import Hit
    from provlint.registry import load

    rule = load()["PL002"]

    def grow(doc: Document, **_: object) -> object:
        end = len(doc.text)
        return iter([Hit(Span(end, end), "grow", Fix("g", (Edit(Span(end, end), "\n"),)))])

    original = rule.func
    object.__setattr__(rule, "func", grow)
    try:
        with pytest.raises(ConvergenceError, match=f"{MAX_PASSES} passes"):
            clean(_doc("x"), ["PL002"])
    finally:
        object.__setattr__(rule, "func", original)


@given(TEXTS)
@example("a  \nb\n")
@example("clean text\n")
def test_first_findings_are_only_left_out(text: str) -> None:
    """Without pass 1's findings a clean run is the same but for ``findings``, which
    stays whole when nothing was fixed (then they are the remaining ones)."""
    full = clean(_doc(text), DEFAULT)
    lean = clean(_doc(text), DEFAULT, first_findings=False)
    assert (lean.text, lean.applied, lean.remaining, lean.metadata, lean.passes) == (
        full.text, full.applied, full.remaining, full.metadata, full.passes)
    assert lean.findings == (full.findings if full.passes == 0 else ())


def test_metadata_is_lifted_from_the_original_text() -> None:
    out = clean(_doc("Head\n\nPublished: 3 March 2021\n\nBody.\n"), DEFAULT)
    assert out.metadata == {"published": "2021-03-03"}
    assert "Published" not in out.text


def test_a_repair_the_input_encoding_cannot_hold_is_not_applied() -> None:
    """Found by the fuzz test: cp1252 input, an unsafe repair inserting a character
    cp1252 has no byte for. The fix is skipped (its finding stays), output stays writable."""
    from provlint.io import encode

    data = b"\xc2\x01\xae\xc4"
    doc = document_from_bytes("t.txt", data).document
    assert doc is not None and doc.decoding.encoding == "cp1252"
    out = clean(doc, resolve("aggressive"), unsafe=True)
    encode(out.text, doc.decoding)  # must not raise
    assert all(a.after.encode("cp1252") is not None for a in out.applied)


def test_a_fix_that_cannot_read_back_is_not_fixable_nor_blocks_its_neighbour() -> None:
    """Deleting U+0085 would leave bytes read as cp1252, so it is never applied: it
    was still offered as fixable, and it kept the touching final-newline fix out of
    every pass, so ``fix`` changed nothing and a pre-commit fix hook failed forever."""
    from provlint.io import encode

    doc = document_from_bytes("t.txt", b"Share\xffthis\xc2\x85").document
    assert doc is not None and doc.decoding.errors == "surrogateescape"
    fixable = {f.code: f.fix is not None for f in check(doc, DEFAULT)}
    assert fixable == {"PL103": False, "PL002": True}
    out = clean(doc, DEFAULT)
    assert encode(out.text, doc.decoding) == b"Share\xffthis\xc2\x85\n"
    assert [(f.code, f.fix) for f in out.remaining] == [("PL103", None)]
    again = document_from_bytes("t.txt", encode(out.text, doc.decoding)).document
    assert again is not None and clean(again, DEFAULT).applied == ()


@given(TEXTS, st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), max_size=12))
@example("a\nbb\n\nccc", [(0.0, 1.0), (0.5, 0.5), (0.2, 0.9)])
def test_finding_positions_match_a_line_index(text: str, cuts: list[tuple[float, float]]) -> None:
    """Line and column numbers counted between sorted hits equal a bisect into line starts."""
    n = len(text)
    spans = sorted((int(a * n), max(int(a * n), int(b * n))) for a, b in cuts)
    hits = [(s, e, "PL000", "", i, None, None, False) for i, (s, e) in enumerate(spans)]
    loc = _Locator(text)
    want = [(*loc.at(s), *loc.at(e)) for s, e in spans]
    assert list(_positions(text, hits)) == want  # type: ignore[arg-type]


def test_a_rule_sets_runnable_rules_are_made_once() -> None:
    """Every document of a run gets the same list of rules to run (made once per rule
    set); a path with per-file ignores gets its own, without the ignored rules."""
    from provlint.rulerun import _active
    from provlint.ruleset import Layer

    settings = resolve("default", cli=Layer(per_file_ignores={"*.md": ["PL0"]}))
    first = _active(settings, "a.txt")
    assert _active(settings, "b.txt") is first and _active(settings, None) is first
    runnable = [ar.rule.code for ar in settings.active if ar.rule.func is not None]
    assert [ar.rule.code for ar, *_ in first] == runnable
    ignored = _active(settings, "a.md")
    assert ignored is not first
    assert [ar.rule.code for ar, *_ in ignored] == [
        code for code in runnable if not code.startswith("PL0")]
    assert all(type(options) is dict for _, _, options, _ in first)
