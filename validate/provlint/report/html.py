"""report.html: one self-contained page rendered from the validated frames.

No script, no external resource: the Content-Security-Policy meta tag
forbids everything except the page's own style block (allowed by hash),
so no inline event handler or remote load can run even if a document's
text tried. Every piece of document text, path and metadata is escaped.
The before/after views come from the provenance edits of each document.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import pandas as pd

from ..output import safe_text
from ..registry import FAMILIES
from ..runner import Outcome
from .frames import rule_counts
from .gate import GateFailure
from .svg import Bar, bar_chart, esc, histogram

VIEW_MAX_CHARS = 100_000
_CTL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DocView:
    """What a before/after view needs: both texts and the recorded edits."""

    doc_id: str
    before: str
    after: str
    edits: tuple[Mapping[str, Any], ...]


Candidate = tuple[float, int, str, DocView]  # share removed, code points removed, id, view


def candidate(o: Outcome) -> Candidate | None:
    """A changed document's view with its rank keys (None: nothing to show)."""
    if o.document is None or o.result is None or o.record is None or not o.result.applied:
        return None
    return view_of(o.source.id, o.document.text, o.result.text, o.record["edits"],
                   sum(len(a.before) for a in o.result.applied))


def view_of(doc_id: str, before: str, after: str, edits: Sequence[Mapping[str, Any]],
            removed: int) -> Candidate | None:
    """The view of a changed document (``removed``: code points its edits took out)
    with its rank keys; None when its input is too long to show."""
    if len(before) > VIEW_MAX_CHARS:
        return None
    return (removed / max(1, len(before)), removed, doc_id,
            DocView(doc_id, before, after, tuple(edits)))


@dataclass
class TopViews:
    """Keeps the views of the ``n`` documents that lost the largest share of text."""

    n: int = 50
    _heap: list[tuple[float, int, str, int, DocView]] = field(default_factory=list)
    _seen: int = 0  # tie-breaker: two documents may share an id (records of two shards)

    def add(self, o: Outcome) -> None:
        self.push(candidate(o))

    def push(self, c: Candidate | None) -> None:
        """Offer one document's candidate (made by ``candidate``, maybe in a worker)."""
        if c is None:
            return
        self._seen += 1
        item = (c[0], c[1], c[2], -self._seen, c[3])
        if len(self._heap) < self.n:
            heapq.heappush(self._heap, item)
        elif item[:4] > self._heap[0][:4]:
            heapq.heapreplace(self._heap, item)

    def views(self) -> list[DocView]:
        return [v for *_, v in sorted(self._heap, key=lambda t: t[:4], reverse=True)]


def trace(view: DocView) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]:
    """Segments (text, rule or None) of the input with removed spans marked, and of the
    output with inserted spans marked, replaying the edits pass by pass."""
    origin: list[int] = list(range(len(view.before)))  # -1 - k: inserted by edit k
    removed: list[tuple[int, str]] = []
    rules: list[str] = []
    for _, group in groupby(sorted(view.edits, key=lambda e: (int(e["pass"]), e["in_span"])),
                            key=lambda e: int(e["pass"])):
        new: list[int] = []
        pos = 0
        for e in group:
            s, t = int(e["in_span"][0]), int(e["in_span"][1])
            new.extend(origin[pos:s])
            removed.extend((o, str(e["rule"])) for o in origin[s:t] if o >= 0)
            rules.append(str(e["rule"]))
            new.extend([-len(rules)] * len(e["inserted"]))
            pos = t
        new.extend(origin[pos:])
        origin = new
    inserted = [(i, rules[-o - 1]) for i, o in enumerate(origin) if o < 0]
    return _segments(view.before, removed), _segments(view.after, inserted)


def _segments(text: str, marks: list[tuple[int, str]]) -> list[tuple[str, str | None]]:
    """Cut ``text`` into unmarked runs and runs of consecutive marked characters."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    marks = sorted(marks)
    i = 0
    while i < len(marks):
        start, rule = marks[i]
        j = i
        while j + 1 < len(marks) and marks[j + 1] == (marks[j][0] + 1, rule):
            j += 1
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:marks[j][0] + 1], rule))
        pos = marks[j][0] + 1
        i = j + 1
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def text_html(s: str) -> str:
    """Document text for a <pre>: printable, escaped, control characters shown as escapes."""
    s = safe_text(s)
    return _CTL.sub(lambda m: f"\\x{ord(m.group()):02x}", esc(s))


def name_html(s: str) -> str:
    """A document id for inline text: escaped, and isolated (``<bdi>``) so a right-to-left
    name does not reorder the text around it (" — 2 edits" shown as "2 — ..."); left to
    right inside, as a path reads ("docs/שלום.txt", not "txt.שלום/docs")."""
    return f'<bdi dir="ltr">{text_html(s)}</bdi>'


def _family_cls(code: str) -> str:
    return "f-" + FAMILIES.get(code[:3], "other")


def _segments_html(segments: list[tuple[str, str | None]], tag: str) -> str:
    out = []
    for text, rule in segments:
        if rule is None:
            out.append(text_html(text))
        else:
            shown = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "⏎\n")
            out.append(f'<{tag} class="{_family_cls(rule)}" title="{esc(rule)}">'
                       f"{text_html(shown)}</{tag}>")
    return "".join(out)


def view_html(view: DocView, anchor: str, open_: bool) -> str:
    before, after = trace(view)
    n = len(view.edits)
    return (f'<details id="{anchor}"{" open" if open_ else ""}><summary>{name_html(view.doc_id)}'
            f" — {n} edit{'s' if n != 1 else ''}</summary><div class=\"pair\">"
            f"<div><h4>before (removed text marked)</h4><pre>{_segments_html(before, 'del')}"
            f"</pre></div><div><h4>after (inserted text marked)</h4><pre>"
            f"{_segments_html(after, 'ins')}</pre></div></div></details>")


STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;
color:#1d2330;background:#fff}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #d6dae3}
.cards{display:flex;flex-wrap:wrap;gap:.8em}.card{border:1px solid #d6dae3;border-radius:6px;
padding:.5em 1em;min-width:9em}.card b{display:block;font-size:1.4em}
table{border-collapse:collapse}td,th{border-bottom:1px solid #e4e7ee;padding:.25em .7em;
text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
td:first-child,summary{overflow-wrap:anywhere}
pre{white-space:pre-wrap;word-break:break-word;background:#f7f8fa;padding:.6em;
border:1px solid #e4e7ee;font-size:12px;max-height:36em;overflow:auto}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}h4{margin:.4em 0}
del,ins{text-decoration:none;border-radius:2px}del{background:#ffd5d0}ins{background:#c8f0cf}
del.f-boilerplate{background:#ffc4a8}del.f-duplication{background:#f5d3ff}
del.f-metadata{background:#cfe3ff}del.f-whitespace{background:#ffe9a8}
summary{cursor:pointer;font-weight:600}.ok{color:#17693a}.bad{color:#a4161a}
svg .label,svg .value,svg .legend{font:12px system-ui,sans-serif;fill:#1d2330}
.b-fixed{fill:#2f7d4f}.b-left{fill:#d9822b}.b-docs{fill:#4c6ef5}.b-fam{fill:#7048e8}
"""


def _card(label: str, value: str) -> str:
    return f'<div class="card">{esc(label)}<b>{esc(value)}</b></div>'


def _charts(findings: pd.DataFrame, documents: pd.DataFrame) -> str:
    by_rule = [Bar(f"{code} {name}", ((fixed, "b-fixed", "fixed"),
                                      (total - fixed, "b-left", "left")))
               for code, name, fixed, total in rule_counts(findings)]
    by_family = [Bar(str(fam), ((float(n), "b-fam", ""),))
                 for fam, n in findings["family"].value_counts().sort_index().items()]
    return ("<h2>Findings by rule</h2>" + bar_chart(by_rule, "Findings by rule")
            + "<h2>Findings by family</h2>" + bar_chart(by_family, "Findings by family")
            + "<h2>Share of characters removed per document</h2>"
            + histogram(documents["chars_removed_share"].tolist(), "Documents per share removed"))


def _top_table(documents: pd.DataFrame, anchors: Mapping[str, str], n: int = 20) -> str:
    top = documents[documents["chars_removed"] > 0].sort_values(
        ["chars_removed_share", "chars_removed", "doc_id"], ascending=[False, False, True],
        kind="stable").head(n)
    rows = []
    for _, d in top.iterrows():
        name = name_html(str(d["doc_id"]))
        link = f'<a href="#{anchors[d["doc_id"]]}">{name}</a>' if d["doc_id"] in anchors else name
        published = "" if pd.isna(d["published"]) else text_html(str(d["published"]))
        rows.append(f'<tr><td>{link}</td><td class="n">{int(d["chars_removed"])}</td>'
                    f'<td class="n">{float(d["chars_removed_share"]) * 100:.1f}%</td>'
                    f'<td class="n">{int(d["findings"])}</td><td>{published}</td></tr>')
    if not rows:
        return "<p>No document lost any text.</p>"
    return ("<table><tr><th>document</th><th>chars removed</th><th>share</th><th>findings</th>"
            "<th>published</th></tr>" + "".join(rows) + "</table>")


def _gate_html(failures: Sequence[GateFailure] | None) -> str:
    if failures is None:
        return "<p>No thresholds configured (<code>[tool.provlint.gate]</code>).</p>"
    if not failures:
        return '<p class="ok">Every corpus threshold passed.</p>'
    return "".join(f'<pre class="bad">{text_html(f.describe())}</pre>' for f in failures)


def render_html(findings: pd.DataFrame, documents: pd.DataFrame, views: Sequence[DocView], *,
                run_id: str, started: str, gate: Sequence[GateFailure] | None = None) -> str:
    """The whole page as a string."""
    style_hash = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    csp = (f"default-src 'none'; style-src 'sha256-{style_hash}'; img-src 'none'; "
           "script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")
    # keyed as the documents table names them (printable): an id with a control
    # character or an undecodable byte had no link from the table to its view
    anchors = {safe_text(v.doc_id): f"doc-{i}" for i, v in enumerate(views)}
    n_in = int(documents["input_bytes"].fillna(0).sum())
    n_out = int(documents["output_bytes"].fillna(0).sum())
    cards = "".join([
        _card("documents", str(len(documents))),
        _card("changed", str(int(documents["changed"].sum()))),
        _card("findings", str(len(findings))),
        _card("fixed", str(int(findings["fixed"].sum()))),
        _card("bytes in → out", f"{n_in} → {n_out}"),
        _card("removed", f"{(n_in - n_out) / n_in * 100 if n_in else 0:.1f}%"),
        _card("gate", "not set" if gate is None else ("passed" if not gate else "FAILED")),
    ])
    body = "".join(view_html(v, f"doc-{i}", i == 0) for i, v in enumerate(views))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>provlint report</title><style>{STYLE}</style></head><body>"
        f"<h1>provlint report</h1><p>run <code>{esc(run_id)}</code> · {esc(started)}</p>"
        f'<div class="cards">{cards}</div><h2>Corpus gate</h2>{_gate_html(gate)}'
        f"{_charts(findings, documents)}"
        f"<h2>Documents with most text removed</h2>{_top_table(documents, anchors)}"
        f"<h2>Before and after</h2><p>{len(views)} documents with the largest share removed; "
        f"removed spans are marked by rule family (hover for the rule).</p>{body}"
        "</body></html>\n"
    )
