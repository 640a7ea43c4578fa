"""Inline SVG charts for report.html: no scripts, no fonts, no network.

Colours come from CSS classes in the page's one style block (the page's
Content-Security-Policy allows that block by hash and nothing else), so
the SVG carries no ``style`` attributes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

BAR_H = 22
GAP = 6
LABEL_W = 260
VALUE_W = 70


def esc(s: str) -> str:
    return html.escape(s, quote=True)


@dataclass(frozen=True)
class Bar:
    """One bar: a label and stacked parts (value, css class, legend name)."""

    label: str
    parts: tuple[tuple[float, str, str], ...]

    @property
    def total(self) -> float:
        return sum(v for v, _, _ in self.parts)


def bar_chart(bars: Sequence[Bar], title: str, width: int = 760, fmt: str = "{:g}") -> str:
    """A horizontal (optionally stacked) bar chart with a legend."""
    plot = width - LABEL_W - VALUE_W
    top = max((b.total for b in bars), default=0.0) or 1.0
    legend = sorted({(cls, name) for b in bars for _, cls, name in b.parts if name})
    legend_h = 24 if legend else 0
    height = legend_h + max(1, len(bars)) * (BAR_H + GAP) + GAP
    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{esc(title)}</title>"]
    x = LABEL_W
    for cls, name in legend:
        out.append(f'<rect class="{esc(cls)}" x="{x}" y="6" width="12" height="12"/>'
                   f'<text class="legend" x="{x + 16}" y="16">{esc(name)}</text>')
        x += 24 + 8 * len(name)
    if not bars:
        out.append(f'<text class="label" x="{LABEL_W}" y="{legend_h + 16}">nothing to show</text>')
    for i, b in enumerate(bars):
        y = legend_h + GAP + i * (BAR_H + GAP)
        out.append(f'<text class="label" x="{LABEL_W - 8}" y="{y + 15}" '
                   f'text-anchor="end">{esc(b.label[:40])}</text>')
        x0 = float(LABEL_W)
        for value, cls, name in b.parts:
            w = plot * value / top
            if w > 0:
                out.append(f'<rect class="{esc(cls)}" x="{x0:.1f}" y="{y}" width="{max(w, 1):.1f}"'
                           f' height="{BAR_H}"><title>{esc(b.label)}: {esc(name)} '
                           f'{esc(fmt.format(value))}</title></rect>')
            x0 += w
        out.append(f'<text class="value" x="{x0 + 6:.1f}" y="{y + 15}">'
                   f"{esc(fmt.format(b.total))}</text>")
    out.append("</svg>")
    return "".join(out)


def histogram(values: Sequence[float], title: str, bins: int = 10, width: int = 760) -> str:
    """Counts of shares in [0, 1] per bin, drawn as a bar chart with one bar per bin."""
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int(v * bins)))] += 1
    bars = [Bar(f"{i * 100 // bins}–{(i + 1) * 100 // bins}%", ((float(n), "b-docs", ""),))
            for i, n in enumerate(counts)]
    return bar_chart(bars, title, width)
