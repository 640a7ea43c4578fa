"""PL220: the learned residue-line classifier (weights shipped in rules/model/)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provlint.checks import learned
from provlint.registry import RULES_DIR, load
from provlint.ruleset import Layer, resolve

from .conftest import DEFAULT, cleaned, codes, doc

ARTICLE = (
    "Ministers from twelve countries met in Geneva on Monday to discuss the report, "
    "officials said.\n\n"
    "The talks will continue on Tuesday, when the delegations are expected to present their "
    "own proposals to the council.\n\n"
    "Several delegates said they hoped to reach an agreement before the end of the month, "
    "although no date has been set.\n"
)
COMMENTS = "\nPosted in News\n\nLeave a Reply\n\nYour email address will not be published.\n"


def test_the_shipped_model_is_data_with_a_threshold() -> None:
    data = json.loads((RULES_DIR / "model" / "line_classifier.json").read_text("utf-8"))
    assert data["kind"] == "logistic-regression"
    assert 0.5 < data["threshold"] < 1.0
    assert data["cv"]["grouped_by"] == "regdom" and len(data["cv"]["folds"]) == 5
    model = learned.load_model()
    assert model.weights and all(math.isfinite(w) for w in model.weights.values())


AGGRESSIVE = resolve("aggressive")


def test_pl220_runs_only_in_the_aggressive_rule_set() -> None:
    assert "PL220" not in DEFAULT.codes and "PL220" in AGGRESSIVE.codes
    [hit] = [f for f in learned_hits(ARTICLE + COMMENTS)][:1]
    assert hit.fix is not None and hit.fix.applicability.value == "unsafe"


def learned_hits(text: str) -> list:  # type: ignore[type-arg]
    from provlint.engine import check

    return [f for f in check(doc(text), ["PL220"]) if f.code == "PL220"]


def test_comment_chrome_after_the_article_goes() -> None:
    text = ARTICLE + COMMENTS
    assert "PL220" in codes(text, AGGRESSIVE)
    out = cleaned(text, AGGRESSIVE, unsafe=True)
    assert out.startswith(ARTICLE)  # the article is whole
    assert "Posted in News" not in out and "will not be published" not in out


@pytest.mark.parametrize("text", [
    ARTICLE,
    # a headline, subheadings and list items inside the article stay
    "Geneva talks resume after long pause\n\n" + ARTICLE + "\nWhat comes next\n\n" + ARTICLE,
    ARTICLE + "\n- Better schools\n- New roads\n- Lower taxes\n\n" + ARTICLE,
    ARTICLE + "\n\"No,\" she said.\n\n" + ARTICLE,
    # non-English prose
    "Die Minister trafen sich am Montag in Genf, um über den Bericht zu beraten, sagten "
    "Beamte.\n\nDie Gespräche werden am Dienstag fortgesetzt, wenn die Delegationen ihre "
    "Vorschläge vorlegen.\n\nLos ministros se reunieron el lunes en Ginebra para debatir el "
    "informe, dijeron funcionarios.\n\n部长们周一在日内瓦开会讨论这份报告。\n",
])
def test_article_text_is_not_scored_as_residue(text: str) -> None:
    assert "PL220" not in codes(text, AGGRESSIVE)
    assert cleaned(text, AGGRESSIVE, unsafe=True) == text


def test_prose_lines_inside_the_main_block_are_never_candidates() -> None:
    lay_rows = learned.features(ARTICLE + COMMENTS).rows
    lines = learned.features(ARTICLE + COMMENTS).lay.lines
    scored = {lines[i].text for i, _ in lay_rows}
    assert not scored & set(ARTICLE.splitlines())
    assert "Posted in News" in scored


def test_deletions_are_a_fixpoint() -> None:
    """The rule rescores after its own deletions: a second run finds nothing."""
    text = ARTICLE + COMMENTS + "\nAbout the Author\n\nTags: Geneva, talks\n"
    model = learned.load_model()
    cut = math.log(model.threshold / (1 - model.threshold))
    gone = learned.residue(text, model, cut)
    assert gone
    lines = learned.features(text).lay.lines
    rest = "".join(text[ln.start:ln.stop] for ln in lines if ln.index not in gone)
    assert learned.residue(rest, model, cut) == {}


def test_threshold_and_model_are_options(tmp_path: Path) -> None:
    text = ARTICLE + COMMENTS
    assert "PL220" in codes(text, ["PL220"])
    high = resolve("default", cli=Layer(select=("PL220",),
                                        options={"PL220": {"threshold": 0.999999}}))
    assert "PL220" not in codes(text, high)
    zero = tmp_path / "zero.json"
    zero.write_text(json.dumps({"bias": -5.0, "weights": {}, "threshold": 0.5}), "utf-8")
    custom = resolve("default", cli=Layer(select=("PL220",),
                                          options={"PL220": {"model": str(zero)}}))
    assert "PL220" not in codes(text, custom)


def test_inference_is_pure_python_over_the_features() -> None:
    model = learned.load_model()
    rows = learned.features(ARTICLE + COMMENTS).rows
    for _, feats in rows:
        expected = model.bias + sum(model.weights.get(f, 0.0) for f in feats)
        assert model.logit(feats) == pytest.approx(expected)
    assert load()["PL220"].fix == "always"


_SENTENCE = st.sampled_from([
    "The committee published its findings on Thursday after a long review.",
    "Researchers measured the river's temperature every hour for three years.",
    "Local farmers said the early frost had damaged much of the harvest.",
    "La comisión publicó sus conclusiones el jueves tras una larga revisión.",
    "Die Forscher haben die Temperatur des Flusses drei Jahre lang gemessen.",
    "Le conseil municipal a voté le budget à une large majorité mardi soir.",
])


@given(st.lists(st.lists(_SENTENCE, min_size=2, max_size=4), min_size=1, max_size=6))
def test_ordinary_prose_is_never_touched(paras: list[list[str]]) -> None:
    text = "\n\n".join(" ".join(p) for p in paras) + "\n"
    assert "PL220" not in codes(text, AGGRESSIVE)


def test_a_drop_cap_is_never_scored() -> None:
    """A single capital letter on its own line, the rest of its word on the next ("C" /
    "ycle From ..."), is part of the headline: deleting it leaves "ycle From ..."."""
    text = "How Teams Can Cut Their Planning\nC\nycle From Two Weeks to Two Days\n\n" + ARTICLE
    assert 1 not in {i for i, _ in learned.features(text).rows}
    assert 1 in {i for i, _ in learned.features("Menu\nC\n\n" + ARTICLE).rows}  # a letter


def test_an_ordered_lists_numbers_alone_on_their_lines_are_never_deleted() -> None:
    """A full-page dump prints "1. " apart from its item's text; the model scored those
    lines as residue (it has no word to go by), deleting the article's numbering."""
    items = "\n1. \nBetter schools for every town\n\n2. \nNew roads across the valley\n"
    text = "1. \nA plan in two steps\n\n" + ARTICLE + items
    assert not [f for f in learned_hits(text) if text[f.span.start:f.span.end].strip()[:2]
                in ("1.", "2.")]
    out = cleaned(text, AGGRESSIVE, unsafe=True)
    assert out.startswith("1.\n") and "\n1.\nBetter" in out and "\n2.\n" in out
