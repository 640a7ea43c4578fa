"""restore(fix(x)) == x byte for byte, fix(fix(x)) == fix(x), and nothing safely fixable
left, for generated documents: residue lines, blank runs, every line ending Python or
provlint knows (LF, CRLF, lone CR, and the ones only ``str.splitlines`` breaks at: VT, FF,
FS/GS/RS, NEL, U+2028/U+2029), controls, invisible and astral code points, BOMs, long lines,
in UTF-8, cp1252 and broken UTF-8."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from provlint.io import Source, document_from_bytes
from provlint.model import Applicability
from provlint.provenance import RunInfo, restore_bytes
from provlint.ruleset import resolve
from provlint.runner import Options, Outcome, process_read

RUN = RunInfo(mode="test", argv=["test"])
DEFAULT = resolve("default")
ENDINGS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
           "\u2029"]
ODD = ["\u00a0", "\u200b", "\ufeff", "\x01", "\x1b", "\x7f", "\ufffd", "\U0001f600", "\t",
       "\u0301", "Ã©", "&amp;", "<br>"]
RESIDUE = ["Advertisement", "Share this", "Watch: Player loaded", "Publish Date: 10 September 2022",
           "Published", "Sat, 10 Sep 2022, 1:23pm", "By Jane Doe and John Roe | Reuters",
           "5 min read", "Subscribe to our newsletter", "Photo: AP", "Skip to content"]
PROSE = ["The council met on Monday and approved the budget for next year, officials said.",
         "Ministers said the plan would cost more than expected.", "Same line"]
LINE = st.lists(st.one_of(st.sampled_from(RESIDUE + PROSE), st.sampled_from(ODD),
                          st.sampled_from(["  ", " ", "\t "]), st.text(max_size=8)),
                max_size=4).map("".join)
DOC = st.lists(st.tuples(st.one_of(LINE, st.just(""), st.sampled_from(PROSE).map(lambda p: p * 40)),
                         st.sampled_from(ENDINGS)),
               max_size=20).map(lambda ls: "".join(a + b for a, b in ls))
ENCODED = st.one_of(
    DOC.map(lambda t: t.encode("utf-8")),
    DOC.map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
    DOC.map(lambda t: t.encode("cp1252", "replace")),
    st.tuples(DOC, st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82"])).map(
        lambda p: p[0].encode("utf-8").replace(b" ", p[1], 2)),
)


def fix(data: bytes) -> Outcome:
    src = Source(Path("t.txt"), "t.txt", "t.txt")
    return process_read(src, document_from_bytes("t.txt", data, "t.txt"), DEFAULT,
                        Options(fix=True), RUN)


@settings(max_examples=150, deadline=None)
@given(ENCODED)
@example(b"")
@example(b"\n\n\n\n")
@example("Advertisement\u2028Share this\x85\n\n\n\nA  \x0c\r\r\n".encode())
@example(b"Caf\xe9 \x85 quoted  \x1c\n\n\n\n")
@example(b"Share\xffthis\xc2\x85")  # without U+0085 the \xff would read as cp1252
def test_fix_restores_exactly_is_idempotent_and_leaves_nothing_safe_to_fix(data: bytes) -> None:
    first = fix(data)
    if first.document is None:  # binary (a NUL) or unreadable: nothing is written
        assert b"\x00" in data
        return
    assert first.output is not None and first.record is not None and first.result is not None
    assert restore_bytes(first.output, first.record) == data
    second = fix(first.output)
    assert second.output == first.output and second.result is not None
    assert not second.result.applied
    left = [f for f in second.result.remaining
            if f.fix is not None and f.fix.applicability is Applicability.SAFE]
    # A safe fix is left only where the engine refuses an edit whose bytes would decode
    # differently (io.reads_back), or one that overlaps such an edit: cp1252 or broken UTF-8.
    decoding = second.result.document.decoding
    assert not left or decoding.encoding == "cp1252" or decoding.errors == "surrogateescape"
