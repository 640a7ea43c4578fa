"""Markdown structure a fix leaves alone: in .md files code, front matter, HTML, math and
definitions (every rule but trailing white space), tables, headings, list items and breaks
(changed only whole); code fences in any file."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provlint.engine import check, clean
from provlint.markdown import fence_line, is_markdown
from provlint.mdblocks import editable, protected
from provlint.model import Document

CODE = "```python\ndef f():\t\n    return 1\n\n\n\n|\nShare on Facebook\nprint(f())\n```\n"
DOC = "# Notes\n\nThe minister said.\n\n" + CODE + "\n***\n\n* * *\n\n> Quoted.\n>\n> The end.\n"


def _fixed(text: str, path: str) -> str:
    return clean(Document(id=path, text=text, path=path)).text


def test_fenced_blocks_follow_commonmark_fences() -> None:
    text = "a\n```\nx\n~~~\n````\nb\n~~~ js\ny\n~~~~\nc\n``` not `a` fence\n````\nz\n"
    assert [(text[s:e], whole) for s, e, whole in protected(text)] == [
        ("```\nx\n~~~\n````", False),  # a tilde line, a longer info-less fence: closes at 4
        ("~~~ js\ny\n~~~~", False),
        ("````\nz", False),  # never closed: runs to the end; the inline span opens nothing
    ]
    assert protected("no fences here\n") == []
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


# Markdown constructs (a block each, no trailing white space but a hard break's two
# spaces), with residue-like lines inside where the construct may hold them.
_FRONT = ["---\ntitle: Share on Facebook\ntags:\n- news\n---\n", '+++\ntitle = "x"\n+++\n']
_CONSTRUCTS = [
    "```\n|\nShare on Facebook\n\n\n\n```\n",
    "Example:\n\n    |\n    Share on Facebook\n\n\n    »\n",  # (not under a list item)
    "<!--\nShare on Facebook\n|\n-->\n",
    '<div align="center">\n»\n</div>\n',
    "<details>\n<summary>Share on Facebook</summary>\n</details>\n",
    "$$\n|x|\n$$\n",
    "| a | b |\n|---|:-:|\n| » | Share on Facebook |\n",
    "a | b\n--|--\n1 | 2\n",
    "Title\n=====\n",
    "Share on Facebook\n---\n",
    '[1]: https://example.org/share "Share on Facebook"\n',
    "[^1]: Share on Facebook\n    more of the note.\n",
    "* Item one\n  continued\n* Item two\n",
    "1. First\n   »\n2. Second\n",
    "- Share on Facebook\n  - nested\n",
    "Line one of a paragraph.  \nLine two of it.\n",
    "***bold and italic***\n",
    "***\n",
    "- - -\n",
    "___\n",
    "> Quoted line.\n>\n> Second.\n",
    "> ```\n> |\n> Share on Facebook\n> ```\n",
]
_RESIDUE_LINE = st.sampled_from(["Share on Facebook", "»", "|", "", "Prose here.\t"])


@given(st.sampled_from(["", *_FRONT]),
       st.lists(st.tuples(st.lists(_RESIDUE_LINE, max_size=3),
                          st.sampled_from(range(len(_CONSTRUCTS)))),
                min_size=1, max_size=6, unique_by=lambda p: p[1]))
def test_fix_keeps_markdown_constructs_and_removes_residue_around_them(
        front: str, parts: list[tuple[list[str], int]]) -> None:
    blocks = ([front] if front else []) + [_CONSTRUCTS[k] for _, k in parts]
    text = front + "The minister said the plan was ready.\n" + "".join(
        "\n" + "".join(r + "\n\n" for r in residue) + _CONSTRUCTS[k]
        for residue, k in parts) + "\nThe article ends here.\n"
    out = _fixed(text, "doc.md")
    rest, pos = [], 0
    for block in blocks:  # each construct, unchanged, in order
        at = out.find(block, pos)
        assert at >= 0, (block, out)
        rest.append(out[pos:at])
        pos = at + len(block)
    rest.append(out[pos:])
    between = "\x00".join(rest)  # the text outside the constructs: residue removed
    for residue in ("Share on Facebook", "»", "|", "\t", "\n\n\n"):
        assert residue not in between, (residue, out)


CARD = """---
title: News corpus
tags:
- news
---

Dataset Card
============

The corpus holds news articles.

| Field | Notes |
|-------|:-----:|
| text  | Share |

Sources
-------

- Share
  - nested item
- Follow us

See [the paper][1].

[1]: https://example.org/paper "Paper"

<!--
Share on Facebook
-->

$$
|x|
$$

    {
      "id": 1
    }

Share on Facebook
"""


def test_a_data_card_keeps_its_structure_and_loses_its_residue() -> None:
    # Before: PL207 deleted "tags:", PL210 the front matter's closing "---" and the
    # heading, PL211 "====", "$$", "<!--", "-->", "{" and "}", PL203 "- Share" (its
    # nested item moved under the next list) and a comment's line.
    out = _fixed(CARD, "card.md")
    assert out == CARD.replace("- Follow us\n", "").replace("\n\nShare on Facebook\n", "\n")


def test_protected_blocks_and_what_may_go_whole() -> None:
    text = ("Intro\n\n    code\n\na | b\n-|-\n1 | 2\n\nTitle\n---\n\n- item\n  more\n"
            "- one line\n\n***\n\n[x]: /y\n\n<div>\n»\n</div>\n\n$$ |x| $$\n")
    got = [(text[s:e], whole) for s, e, whole in protected(text)]
    assert got == [("    code", False), ("a | b\n-|-\n1 | 2", True), ("Title\n---", True),
                   ("- item\n  more", True), ("***", True), ("[x]: /y", False),
                   ("<div>\n»\n</div>", False), ("$$ |x| $$", False)]
    # a paragraph's indented line and a definition right under it are not blocks
    assert protected("Intro\n    lazy\n[x]: /y\n") == []
    blocks = protected(text)
    ends = [e for _, e, _ in blocks]
    table, heading = blocks[1], blocks[2]
    assert editable(blocks, ends, 0, 5)  # the intro touches nothing
    assert editable(blocks, ends, table[0], heading[1] + 1)  # table and heading whole
    assert not editable(blocks, ends, table[0], table[1] - 2)  # the table in part
    assert not editable(blocks, ends, blocks[0][0], blocks[0][1])  # code, even whole
    assert protected("---\na: 1\n") == [(0, 3, True)]  # unclosed: a break, not front matter
    assert protected("+++\na = 1\n+++\nx\n") == [(0, 13, False)]


def test_a_list_item_with_lazy_continuation_lines_goes_only_whole() -> None:
    """A list item's text wrapped without indent continues the item (CommonMark's lazy
    continuation): deleting "- Home" alone would join "and more text of the item" to the
    paragraph above it."""
    text = "Intro text.\n\n- Home\nand more text of the item\n- Two\n\nEnd text.\n"
    got = [(text[s:e], whole) for s, e, whole in protected(text)]
    assert got == [("- Home\nand more text of the item", True)]
    assert _fixed(text, "lazy.md") == text
    # a new item, a heading or a break ends the item; an empty item has no lazy lines
    assert protected("- Home\n- Two\n# Head\n") == []
    assert protected("-\nfoo\n") == []


def test_a_backslash_hard_break_line_is_kept_in_markdown() -> None:
    text = "The minister said the plan was ready.\n\\\nThe article ends here.\n"
    assert _fixed(text, "break.md") == text
    assert _fixed(text, "break.txt") == text.replace("\\\n", "")
