"""PL220: a small learned line classifier for prose-shaped residue.

Line shapes (``prose``) find menus and footers; what is left is residue that
looks like prose: teasers, captions, author bios, comment text, product
blurbs. A logistic regression over cheap, site-independent features of a
line and its neighbours scores them. The weights are data
(``rules/model/line_classifier.json``), trained by
``bench/train_line_classifier.py``; inference here is pure Python: the sum
of the weights of a line's feature strings, compared with the model's
threshold (as a log-odds, so no ``exp`` per line).

``features`` is the one definition of the features: the training script
imports it, so training and inference cannot drift apart.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from .. import rx
from ..lines import block_span, in_sentence, normalise
from ..model import Applicability, Document, Edit, Fix, Hit
from ..record import dataclass
from ..record import set_field as _set
from ..registry import RULES_DIR, rule
from .headmatter import headlines
from .prose import Layout, Shape, credit_like, layout, nav_like, symbol_only

_ZEROS = repeat(0.0)  # the default weight of a feature the model does not know
MODEL_PATH = RULES_DIR / "model" / "line_classifier.json"

_WORD_BOUNDS = (0, 1, 2, 3, 5, 8, 12, 17, 25, 40)
_CHAR_BOUNDS = (10, 20, 40, 80, 160, 320)
_DIST_BOUNDS = (1, 2, 3, 6, 12)
_SIZE_BOUNDS = (5, 10, 20, 40, 80, 160)
_SHARE_BOUNDS = (0.1, 0.25, 0.5, 0.75)
_VOCAB_WORDS = 12  # word features only for lines this short (and first/last words always)
_TOKEN_RE = rx.compile(r"[^\W\d_]+")
_HEADING_RE = rx.compile(r"^\s*(?:#|\*\*|__)")
_DECOR = " \t\u00a0*_#>-•·"
_MARKERS = (
    ("http", "url"), ("www.", "url"), ("@", "at"), ("|", "bar"), ("©", "copy"), ("»", "guil"),
    ("›", "guil"), ("→", "arrow"), ("](", "mdlink"), ("**", "bold"), (" / ", "slash"),
    ("...", "ellip"), ("…", "ellip"), ("\t", "tab"), ("#", "hash"), ("$", "money"),
    ("€", "money"), ("£", "money"), ("%", "pct"), ('"', "quote"), ("“", "quote"),
)
_TERMINALS = {".": "t.", "!": "t!", "?": "t?", ":": "t:", "…": "t.", ")": "t)", "]": "t)",
              '"': "tq", "”": "tq", "'": "tq", "’": "tq", "»": "tq", ",": "t,", ";": "t,",
              "。": "t.", "！": "t!", "？": "t?"}


def _bucket(value: float, bounds: tuple[float, ...]) -> int:
    for k, b in enumerate(bounds):
        if value <= b:
            return k
    return len(bounds)


@lru_cache(maxsize=1 << 15)
def _kind(s: Shape, text: str) -> str:
    """A coarse class of a neighbouring line (cached like ``_text_features``)."""
    if s.prose:
        return "prose"
    if s.listy:
        return "list"
    if s.table:
        return "table"
    if nav_like(text, s):
        return "nav"
    return "short" if s.words <= 3 else "other"


@lru_cache(maxsize=1 << 15)
def _text_features(text: str, s: Shape) -> tuple[str, ...]:
    """Features of a line's own text (cached: lines recur across passes)."""
    out = [f"w{_bucket(s.words, _WORD_BOUNDS)}", f"L{_bucket(len(text), _CHAR_BOUNDS)}"]
    body = text.strip(_DECOR)
    out.append(_TERMINALS.get(body[-1:], "tn" if body[-1:].isalnum() else "to"))
    head = next((c for c in body if not c.isspace()), "")
    out.append("cU" if head.isupper() else "cL" if head.islower() else
               "cD" if head.isdigit() else "cA" if head.isalpha() else "cP")
    tokens = _TOKEN_RE.findall(body)
    if len(tokens) >= 2:
        caps = sum(1 for t in tokens if t[0].isupper()) / len(tokens)
        out.append(f"cap{_bucket(caps, _SHARE_BOUNDS)}")
    digits = sum(c.isdigit() for c in body)
    if digits:
        out.append("dg+" if digits > 0.15 * len(body) else "dg")
    out.extend({name for needle, name in _MARKERS if needle in text})
    if s.listy:
        out.append("list")
    if s.table:
        out.append("table")
    if _HEADING_RE.match(text):
        out.append("head")
    if s.prose:
        out.append("prose")
    if nav_like(text, s):
        out.append("nav")
    if credit_like(text):
        out.append("cred")
    if symbol_only(text):
        out.append("sym")
    if tokens:
        low = [t.lower() for t in tokens]
        out.append("f:" + low[0])
        out.append("l:" + low[-1])
        if len(low) <= _VOCAB_WORDS:
            out.extend({"u:" + t for t in low})
    return tuple(out)


@dataclass(frozen=True)
class Candidates:
    """The lines PL220 may score, with their feature strings."""

    lay: Layout
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def __init__(self, lay: Layout, rows: tuple[tuple[int, tuple[str, ...]], ...]) -> None:
        _set(self, "lay", lay)
        _set(self, "rows", rows)


def _protected(lay: Layout) -> set[int]:
    """Lines never scored: the likely headlines, prose lines inside the main block, and
    pieces of a sentence (a drop cap, a wrapped line: ``lines.in_sentence``)."""
    keep = headlines(lay) if lay.first >= 0 else set()
    keep.update(i for i, s in enumerate(lay.shapes)
                if s is not None and s.words <= 2 and in_sentence(lay.lines, i))
    for i in range(max(lay.first, 0), lay.last + 1):
        s = lay.shapes[i]
        if s is not None and s.prose:
            keep.add(i)
    return keep


@lru_cache(maxsize=4)
def features(text: str) -> Candidates:
    """Feature strings of every scorable line of ``text`` (see the module docstring)."""
    lay = layout(text)
    idx = [i for i, s in enumerate(lay.shapes) if s is not None]
    if not idx:
        return Candidates(lay, ())
    keep = _protected(lay)
    counts = Counter(normalise(lay.lines[i].text) for i in idx)
    kinds = ["prot" if i in keep or s is None else _kind(s, lay.lines[i].text)
             for i, s in ((i, lay.shapes[i]) for i in idx)]
    n = len(idx)
    doc = [f"n{_bucket(n, _SIZE_BOUNDS)}"]
    if lay.first >= 0:
        inside = sum(1 for i in idx if lay.inside(i))
        doc.append(f"bs{_bucket(inside / n, _SHARE_BOUNDS)}")
        pos_first = next(k for k, i in enumerate(idx) if i >= lay.first)
        pos_last = max(k for k, i in enumerate(idx) if i <= lay.last)
    else:
        doc.append("noblock")
        pos_first = pos_last = -1
    rows = []
    for k, i in enumerate(idx):
        if i in keep:
            continue
        text_i = lay.lines[i].text
        s = lay.shapes[i]
        assert s is not None
        own = _text_features(text_i, s)
        if pos_first < 0:
            zone, dist = "zN", 0
        elif k < pos_first:
            zone, dist = "zB", pos_first - k
        elif k > pos_last:
            zone, dist = "zA", k - pos_last
        else:
            zone, dist = "zI", min(k - pos_first, pos_last - k)
        feats = [*doc, *own, zone, f"{zone}d{_bucket(dist, _DIST_BOUNDS)}",
                 f"p{min(9, 10 * k // n)}", "P" + (kinds[k - 1] if k else "edge"),
                 "N" + (kinds[k + 1] if k + 1 < n else "edge")]
        feats.extend(zone + f for f in own[:3])
        if counts[normalise(text_i)] > 1:
            feats.append("rep")
        rows.append((i, tuple(feats)))
    return Candidates(lay, tuple(rows))


@dataclass(frozen=True)
class Model:
    """Weights of the line classifier: ``bias`` + sum of feature weights = log-odds."""

    bias: float
    weights: Mapping[str, float]
    threshold: float  # probability of residue at or above which a line goes

    def __init__(self, bias: float, weights: Mapping[str, float], threshold: float) -> None:
        _set(self, "bias", bias)
        _set(self, "weights", weights)
        _set(self, "threshold", threshold)

    def logit(self, feats: tuple[str, ...]) -> float:
        return self.bias + sum(map(self.weights.get, feats, _ZEROS))


@lru_cache(maxsize=4)
def load_model(path: str = "") -> Model:
    """The model at ``path`` (the shipped one when empty)."""
    import json  # PL220 is not in the default rule set: no json on its start-up

    data = json.loads(Path(path or MODEL_PATH).read_text(encoding="utf-8"))
    return Model(float(data["bias"]), dict(data["weights"]), float(data["threshold"]))


# an ordered list's number alone on a line ("12. "), its item's text on the next
_LIST_NUMBER_RE = rx.compile(r"\s*\d{1,3}[.)]\s*")


def scored(text: str, model: Model) -> Iterator[tuple[int, float]]:
    """(line index, log-odds of residue) for every scorable line.

    Caption and credit lines (``credit_like``) are left to PL212, whose fix
    is unsafe: some captions are the article's own text. An ordered list's
    number alone on a line ("12. ") is the article's numbering: full-page dumps
    print it apart from its item's text, and the model, which has no word to go
    by, took it for residue.
    """
    cands = features(text)
    lines = cands.lay.lines
    for i, feats in cands.rows:
        if "cred" not in feats and not _LIST_NUMBER_RE.fullmatch(lines[i].text):
            yield i, model.logit(feats)


def residue(text: str, model: Model, cut: float) -> dict[int, float]:
    """Lines of ``text`` to delete, with their log-odds, as a fixpoint.

    Deleting a line changes its neighbours' context (a new edge, a new
    neighbour), so the lines left are scored again until none reaches
    ``cut``: the rule's deletions are then complete in one pass, and a second
    run over the cleaned text finds nothing (idempotent fixes).
    """
    out: dict[int, float] = {}
    origin = list(range(len(features(text).lay.lines)))
    current = text
    while True:  # ends: every round deletes at least one line
        flagged = {i: z for i, z in scored(current, model) if z >= cut}
        if not flagged:
            return out
        for i, z in flagged.items():
            out[origin[i]] = z
        lines = features(current).lay.lines
        origin = [o for k, o in enumerate(origin) if k not in flagged]
        current = "".join(current[ln.start:ln.stop] for ln in lines if ln.index not in flagged)


@rule(code="PL220", name="learned-residue-line", fix="always")
def learned_residue_line(doc: Document, *, threshold: float = 0.0,
                         model: str = "") -> Iterator[Hit]:
    """A line a small learned classifier scores as residue (teaser, caption, bio, blurb).

    Why: what line shapes cannot tell from article text (prose-shaped
    teasers, captions, author bios, comment text, product blurbs) still
    differs in place and wording: next to the document's edges, away from
    the main prose block, with words like "comments", "reply", "posted",
    "follow". A logistic regression over such site-independent features of
    the line and its neighbours (trained across websites on labelled
    extractor output, shipped as ``rules/model/line_classifier.json``)
    scores each line outside the headline and the main block's prose lines
    (an ordered list's number alone on a line, "12. ", is not scored either).
    Lines scored at or above ``threshold`` (0 uses the model's own,
    chosen for removal precision across held-out websites) are reported;
    ``model`` names another weights file.
    Fix safety: unsafe: a learned score can be wrong about article text.
    Across held-out websites (cross-validation grouped by domain) about
    95.5% of the lines it deletes at the shipped threshold are residue on
    all four extractors, but only about 88% on main-content extractors;
    so it runs in the aggressive rule set (with --unsafe-fixes), not in
    the precision-first default. Headlines and the main block's prose are
    never scored.

    Bad: "Ministers met in Geneva on Monday to discuss the report, officials said on the
    record.\\n\\nThe talks will continue on Tuesday, when the delegations present their
    proposals.\\n\\nPosted in News\\n\\nYour email address will not be published.\\n"
    Good: "Ministers met in Geneva on Monday to discuss the report, officials said on the
    record.\\n\\nThe talks will continue on Tuesday, when the delegations present their
    proposals.\\n\\nWhat comes next\\n\\nThe council meets again in May, officials said.\\n"
    """
    m = load_model(model)
    p = threshold or m.threshold
    cut = math.log(p / (1.0 - p))
    lay = features(doc.text).lay
    for i, z in sorted(residue(doc.text, m, cut).items()):
        span = block_span(lay.lines, i, i)
        prob = 1.0 / (1.0 + math.exp(-z))
        yield Hit(span, f"line scored as residue (p={prob:.2f}): "
                        f"{lay.lines[i].text.strip()[:50]!r}",
                  Fix("Delete the line", (Edit(span),), Applicability.UNSAFE))
