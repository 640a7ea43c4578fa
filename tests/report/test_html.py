"""report.html in real headless Chromium: charts render, nothing in the console,
no CSP violation, and hostile document text stays text."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from provlint.report.html import DocView, trace

from .conftest import NOISY, Run

HOSTILE_NAME = "x<img src=q onerror=alert(1)>.txt"
HOSTILE = ("<script>console.error('pwned')</script>  \n"
           '<img src="https://example.com/t.png" onerror="alert(2)"> & "quotes" \'too\'\n'
           "Live now\nStart time\nPlaying for\n\nA real paragraph of text.\n\n\n")


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "Debian's chromium is required (.ci/run installs it: apt-get install chromium)"
    return subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, check=False)


def console(stderr: str) -> list[str]:
    """Console messages (errors, CSP violations) Chromium logged for the page."""
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_report_page_in_headless_chromium(run: Run, corpus: Path, tmp_path: Path) -> None:
    (corpus / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
    result = run("report", str(corpus), "--out", "out")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "report.html").resolve()
    source = page.read_text(encoding="utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', source)
    assert csp and "script-src 'none'" in csp.group(1) and "default-src 'none'" in csp.group(1)
    assert "unsafe-inline" not in csp.group(1)
    assert "<script" not in source.lower() and "http://" not in source.replace(
        "http://www.w3.org/2000/svg", "")

    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console(dom.stderr) == [], console(dom.stderr)
    parsed = Tags()
    parsed.feed(dom.stdout)
    names = [t for t, _ in parsed.tags]
    assert "script" not in names and "img" not in names and "iframe" not in names
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    assert names.count("svg") >= 3
    bars = [a for t, a in parsed.tags if t == "rect" and float(a.get("width") or 0) > 1]
    assert len(bars) >= 5
    text = "".join(parsed.text)
    assert "<script>console.error('pwned')</script>" in text and HOSTILE_NAME in text
    assert "PL201 media-player-widget" in text
    assert len([t for t, a in parsed.tags if t == "del"]) >= 3  # removed spans marked

    shot = tmp_path / "shot.png"
    pic = chromium(tmp_path, "--window-size=1280,2000", f"--screenshot={shot}", page.as_uri())
    assert pic.returncode == 0 and console(pic.stderr) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 40_000


def test_long_and_right_to_left_names_keep_the_page_in_the_window(
        run: Run, corpus: Path, tmp_path: Path) -> None:
    # long names are common (file names made from URLs): the top table's other columns and
    # the before/after headings must stay in view, not behind a page-wide horizontal scroll
    long_name = "x" * 200 + ".txt"
    (corpus / long_name).write_text(NOISY, encoding="utf-8")
    (corpus / "\u05e9\u05dc\u05d5\u05dd.txt").write_text(NOISY, encoding="utf-8")
    assert run("report", str(corpus), "--out", "out").exit_code == 0
    source = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert '<bdi dir="ltr">docs/\u05e9\u05dc\u05d5\u05dd.txt</bdi> — ' in source  # isolated
    assert " — 1 edit</summary>" in source  # a seed has one edit: "edit", not "edits"
    # a copy without the policy, with a script that writes the page's layout into the DOM
    probe = tmp_path / "probe.html"
    probe.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", source)
                     .replace("</body>", "<script>document.body.dataset.fit = "
                              "document.documentElement.scrollWidth + '/' + innerWidth;"
                              "document.body.dataset.lines = [...document.querySelectorAll("
                              "'td.n')].map(td => {const r = document.createRange();"
                              "r.selectNodeContents(td); return r.getClientRects().length})"
                              ".join(' ')</script></body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--window-size=1000,800", "--dump-dom", probe.as_uri())
    fit = re.search(r'data-fit="(\d+)/(\d+)"', dom.stdout)
    assert fit, dom.stderr[-2000:]
    assert int(fit.group(1)) <= int(fit.group(2)), fit.group(0)
    lines = re.search(r'data-lines="([\d ]*)"', dom.stdout)
    assert lines and set(lines.group(1).split()) == {"1"}, lines  # numbers stay on one line


def test_console_detector_sees_csp_violations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                   "content=\"default-src 'none'\"></head><body><p style=\"color:red\">x</p>"
                   "<script>console.log(1)</script></body></html>")
    out = chromium(tmp_path, "--dump-dom", bad.as_uri())
    messages = console(out.stderr)
    assert len(messages) == 2 and all("Content Security Policy" in m for m in messages)


def test_before_after_trace_follows_edits_across_passes() -> None:
    before = "ab  \ncd\n\n\n"
    # pass 1 removes "  " at 2..4; pass 2 (on "ab\ncd\n\n\n") removes the last two "\n"
    edits = ({"rule": "PL001", "pass": 1, "in_span": [2, 4], "inserted": ""},
             {"rule": "PL003", "pass": 2, "in_span": [6, 8], "inserted": ""},
             {"rule": "PL002", "pass": 2, "in_span": [8, 8], "inserted": "!"})
    after = "ab\ncd\n!"
    segs_before, segs_after = trace(DocView("d", before, after, edits))
    assert segs_before == [("ab", None), ("  ", "PL001"), ("\ncd\n", None), ("\n\n", "PL003")]
    assert segs_after == [("ab\ncd\n", None), ("!", "PL002")]


def test_top_table_links_names_with_control_characters_and_undecodable_bytes(
        run: Run, corpus: Path, tmp_path: Path) -> None:
    # the table shows ids as printable text, the views were keyed by the raw id: such a
    # document had no link from the table to its before/after view
    import os

    for name in ("ctl\x01.txt", os.fsdecode(b"bad\xff.txt")):
        (corpus / name).write_text(NOISY, encoding="utf-8")
    assert run("report", str(corpus), "--out", "out").exit_code == 0
    source = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for shown in ("docs/ctl\\x01.txt", "docs/bad\\udcff.txt"):
        link = re.search(r'<td><a href="#(doc-\d+)"><bdi dir="ltr">' + re.escape(shown), source)
        assert link, shown
        view = re.search(f'<details id="{link.group(1)}"[^>]*><summary><bdi dir="ltr">(.*?)</bdi>',
                         source)
        assert view and view.group(1) == shown
    ids = re.findall(r'<details id="(doc-\d+)"', source)
    assert len(ids) == len(set(ids))  # one anchor per view
