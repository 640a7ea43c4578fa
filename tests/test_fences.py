"""Markdown structure a fix leaves alone: fenced code blocks (every rule but trailing
white space), code fences in any file, thematic breaks and blockquote lines in .md."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provlint.engine import check, clean
from provlint.fences import fence_line, fenced_blocks, is_markdown
from provlint.model import Document

CODE = "```python\ndef f():\t\n    return 1\n\n\n\n|\nShare on Facebook\nprint(f())\n```\n"
DOC = "# Notes\n\nThe minister said.\n\n" + CODE + "\n***\n\n* * *\n\n> Quoted.\n>\n> The end.\n"


def _fixed(text: str, path: str) -> str:
    return clean(Document(id=path, text=text, path=path)).text


def test_fenced_blocks_follow_commonmark_fences() -> None:
    text = "a\n```\nx\n~~~\n````\nb\n~~~ js\ny\n~~~~\nc\n``` not `a` fence\n````\nz\n"
    blocks = fenced_blocks(text)
    assert [text[s:e] for s, e in blocks] == [
        "```\nx\n~~~\n````",    # a tilde line and a longer info-less fence inside: closes at 4
        "~~~ js\ny\n~~~~",
        "````\nz\n",            # never closed: runs to the end; the inline span opens nothing
    ]
    assert fenced_blocks("no fences here\n") == []
    assert fence_line("   ```") and fence_line("~~~ python") and not fence_line("    ```")
    assert not fence_line("``` a `b` c") and not fence_line("``")


def test_is_markdown_by_extension() -> None:
    assert is_markdown("notes/A.MD") and is_markdown("x.markdown") and not is_markdown("x.txt")
    assert not is_markdown(None) and is_markdown("x.mdx", ["mdx"])


def test_markdown_code_block_is_kept_apart_from_trailing_white_space() -> None:
    out = _fixed(DOC, "notes.md")
    assert CODE.replace("():\t\n", "():\n") in out  # only PL001 worked inside the block
    assert "\n***\n" in out and "\n* * *\n" in out and "\n>\n" in out


def test_the_same_text_as_plain_text_is_cleaned_but_keeps_its_fences() -> None:
    out = _fixed(DOC, "notes.txt")
    assert "Share on Facebook" not in out and "\n\n\n" not in out and "***" not in out
    assert out.count("```") == 2  # a fence line is never residue


def test_findings_inside_code_are_not_reported_in_markdown() -> None:
    codes_md = {f.code for f in check(Document(id="n.md", text=DOC, path="n.md"))}
    codes_txt = {f.code for f in check(Document(id="n.txt", text=DOC, path="n.txt"))}
    assert "PL005" in codes_txt and "PL005" not in codes_md


_RESIDUE = st.sampled_from(["|", "»", "Share on Facebook", "", "", "Live now", "  ", "***"])
_CODE_LINE = st.sampled_from(["x = 1", "|", "", "Share on Facebook", "»", "***", ">", "    y"])


@given(st.lists(st.tuples(st.lists(_RESIDUE, max_size=4), st.lists(_CODE_LINE, max_size=5)),
                min_size=1, max_size=4))
def test_no_fix_changes_a_markdown_code_block(parts: list[tuple[list[str], list[str]]]) -> None:
    blocks = ["```\n" + "".join(c + "\n" for c in code) + "```\n" for _, code in parts]
    text = "Intro line of the article.\n\n" + "".join(
        "".join(r + "\n" for r in residue) + "\n" + block
        for (residue, _), block in zip(parts, blocks, strict=True))
    out = _fixed(text, "doc.md")
    pos = 0
    for block in blocks:  # each block, unchanged, in order
        at = out.find(block, pos)
        assert at >= 0, (block, out)
        pos = at + len(block)
