"""Hostile text, paths and metadata come out of every report format inert.

One document carries script tags, an ``onerror`` image, ``</textarea>``, a
``javascript:`` URL, table pipes, backticks, a CDATA end, control characters
and a fake workflow command on its own line; its file name and its sidecar
metadata carry the same. The test pack's PL596 copies the line into a
finding message and PL598 crashes, so the text reaches every renderer.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

EVIL = ("ECHO <script>alert(1)</script> <img src=x onerror=alert(2)> </textarea></pre> "
        "<a href=\"javascript:alert(3)\">x</a> | `tick` ]]> &amp; \x01\x1b[31m\x7f\u202e "
        "\n::error file=x::pwned\n")
NAME = "<img src=x onerror=alert(4)>|`x`.txt"
SELECT = ("--isolated", "--extend-select", "PL596,PL598")


@pytest.fixture
def hostile_tree(h: SimpleNamespace) -> Path:
    h.write(f"tree/{NAME}", "Headline  \n" + EVIL + "Body.\n")
    h.write(f"tree/{NAME}.meta.json", json.dumps(
        {"url": "javascript:alert(5)", "publisher": "<script>alert(6)</script>|`p`"}))
    h.write("tree/boom.txt", "BOOM <svg onload=alert(7)>  \n")
    return Path("tree")


class _Audit(HTMLParser):
    """Collects every element, attribute and URL the browser would act on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        d = dict(attrs)
        if tag == "meta" and (d.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = d.get("content") or ""


def test_html_and_markdown_reports_show_everything_as_text(hostile_tree: Path,
                                                           spawn: SimpleNamespace) -> None:
    res = spawn("report", *SELECT, "--out", "rep", str(hostile_tree))
    assert res.returncode in (0, 1), res.stderr
    html = Path("rep/report.html").read_text(encoding="utf-8")
    audit = _Audit()
    audit.feed(html)
    active = {"script", "img", "iframe", "object", "embed", "form", "textarea", "base"}
    assert not active & set(audit.tags)  # (the charts are inline <svg>, no script)
    assert not [k for k, _ in audit.attrs if k.lower().startswith("on")]
    urls = [v for k, v in audit.attrs if k in ("href", "src", "action", "formaction")]
    assert not [u for u in urls if not u.startswith("#")], urls  # in-page anchors only
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror=alert(2)" in html and "&lt;/textarea&gt;" in html  # shown, as text
    assert "\x1b" not in html and "\x01" not in html
    # the policy forbids scripts, inline handlers and every remote load
    policy = dict(part.strip().split(" ", 1) for part in audit.csp.split(";") if part.strip())
    assert policy["default-src"] == "'none'"
    assert policy.get("script-src", "'none'") == "'none'"
    assert not re.search(r"unsafe-inline|unsafe-eval|https?:|\*|data:", audit.csp)
    # the Markdown summary: no cell text adds an unescaped pipe, nothing raw
    md = Path("rep/summary.md").read_text(encoding="utf-8")
    rows = [ln for ln in md.splitlines() if ln.startswith("|")]
    assert rows and len({len(re.findall(r"(?<!\\)\|", ln)) for ln in rows}) == 1
    assert "<script>" not in md and "\x1b" not in md


def _check(spawn: SimpleNamespace, fmt: str, tree: Path) -> str:
    res = spawn("check", *SELECT, "--output-format", fmt, str(tree))
    assert res.returncode == 1, res.stderr
    return str(res.stdout)


def test_junit_is_well_formed_xml_without_control_characters(hostile_tree: Path,
                                                              spawn: SimpleNamespace) -> None:
    out = _check(spawn, "junit", hostile_tree)
    root = ET.fromstring(out)  # a raw \x01 or an unescaped < would not parse
    text = ET.tostring(root, encoding="unicode")
    assert "ECHO <script>alert(1)</script>" in "".join(root.itertext()) + text.replace(
        "&lt;", "<").replace("&gt;", ">")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", out)


def test_sarif_and_gitlab_are_json_with_the_text_intact(hostile_tree: Path,
                                                        spawn: SimpleNamespace) -> None:
    sarif = json.loads(_check(spawn, "sarif", hostile_tree))
    messages = [r["message"]["text"] for run in sarif["runs"] for r in run["results"]]
    assert any("<script>alert(1)</script>" in m for m in messages)
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for run in sarif["runs"] for r in run["results"] for loc in r["locations"]]
    assert all(" " not in u and "<" not in u and "|" not in u for u in uris), uris
    gitlab = json.loads(_check(spawn, "gitlab", hostile_tree))
    assert any("<script>alert(1)</script>" in item["description"] for item in gitlab)
    assert len({item["fingerprint"] for item in gitlab}) == len(gitlab)


def test_github_annotations_cannot_inject_workflow_commands(hostile_tree: Path,
                                                            spawn: SimpleNamespace) -> None:
    out = _check(spawn, "github", hostile_tree)
    lines = out.splitlines()
    assert lines and all(re.match(r"::(error|warning|notice) ", ln) for ln in lines), lines
    assert not any(ln.startswith("::error file=x::") for ln in lines)


def test_terminal_output_escapes_control_characters(hostile_tree: Path,
                                                    spawn: SimpleNamespace) -> None:
    for fmt in ("full", "concise"):
        out = _check(spawn, fmt, hostile_tree)
        assert "\x1b" not in out and "\x01" not in out and "\u202e" not in out
        assert "\\x1b[31m" in out and "\\u202e" in out
        assert not any(ln.startswith("::error") for ln in out.splitlines())
