"""Rule sets in rules/ resolve cleanly; configuration errors are ConfigErrors; the catalogue
in rules/CATALOGUE.md matches `provlint rules --format md` (regenerate it with that command)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provlint.commands.rules import rules_table
from provlint.errors import ConfigError
from provlint.registry import load
from provlint.ruleset import Layer, resolve

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
RULESETS = sorted(p.stem for p in RULES_DIR.glob("*.toml"))


@pytest.mark.parametrize("name", RULESETS)
def test_every_ruleset_resolves(name: str) -> None:
    settings = resolve(name)
    assert settings.active, f"{name} selects no rules"
    assert settings.digest.startswith("sha256:")
    assert set(settings.codes) <= set(load())


def test_catalogue_is_current() -> None:
    current = (RULES_DIR / "CATALOGUE.md").read_text(encoding="utf-8")
    assert current == rules_table("md"), "run: provlint rules --format md > rules/CATALOGUE.md"


def test_every_rule_page_renders_in_text_and_json() -> None:
    """'provlint rule PL901' and 'provlint rules --format json' crashed with a
    traceback on the input rules, whose Bad example is None (a file, not a text)."""
    from click.testing import CliRunner

    from provlint.cli import cli

    for code in load():
        res = CliRunner().invoke(cli, ["rule", code])
        assert res.exit_code == 0 and res.stdout.startswith("# "), (code, res.output)
    res = CliRunner().invoke(cli, ["rules", "--format", "json"])
    assert res.exit_code == 0, res.output
    pages = {r["code"]: r for r in json.loads(res.stdout)}
    assert pages["PL905"]["bad"] is None and pages["PL001"]["bad"].startswith("'")


@pytest.mark.parametrize("body,message", [
    ("per-file-ignores = 3", "per-file-ignores must be a table"),
    ("options = 3", "options must be a table of rule tables"),
    ("severity = { PL001 = 3 }", "severity must be a table of rule = severity"),
])
def test_a_rule_set_file_with_a_wrong_value_type_is_a_config_error(
        tmp_path: Path, body: str, message: str) -> None:
    """Not 'internal error: TypeError' from deep in the resolver."""
    path = tmp_path / "mine.toml"
    path.write_text(f'extends = "default"\n{body}\n')
    with pytest.raises(ConfigError, match=message):
        resolve(str(path))


def test_pl905_states_the_real_default_limit() -> None:
    from provlint.io import DEFAULT_MAX_DOCUMENT_BYTES

    assert f"(default {DEFAULT_MAX_DOCUMENT_BYTES >> 20} MiB)" in load()["PL905"].summary


@pytest.mark.parametrize(("layer", "message"), [
    (Layer(select=("PL777",)), "unknown rule selector"),
    (Layer(ignore=("nonsense",)), "unknown rule selector"),
    (Layer(options={"PL005": {"nope": 1}}), "has no option"),
    (Layer(options={"PL005": {"max_blank_lines": "two"}}), "must be int"),
    (Layer(options={"PL999": {"x": 1}}), "unknown rule"),
    (Layer(severity={"PL001": "fatal"}), "unknown severity"),
])
def test_bad_configuration_is_a_config_error(layer: Layer, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        resolve(cli=layer)


def test_selection_is_ruff_like() -> None:
    family = [c for c in resolve(cli=Layer(select=("PL2",))).codes]
    assert "PL201" in family and all(c.startswith("PL2") for c in family)
    assert resolve(cli=Layer(select=("PL2",), ignore=("PL201",))).codes == family[1:]
    # the more specific selector wins within a layer
    assert resolve(cli=Layer(select=("PL201",), ignore=("PL2",))).codes == ["PL201"]
    # a later layer's select replaces the set; names work as selectors
    proj = Layer(select=("PL0",), ignore=("PL001",))
    assert resolve(project=proj, cli=Layer(select=("trailing-whitespace",))).codes == ["PL001"]
    assert "PL001" not in resolve(project=proj).codes


def test_digest_changes_with_options() -> None:
    a = resolve()
    b = resolve(cli=Layer(options={"PL005": {"max_blank_lines": 2}}))
    assert a.digest != b.digest and a.digest == resolve().digest


def test_extend_tokens_adds_phrases() -> None:
    from provlint.engine import check
    from provlint.model import Document

    text = "Now streaming\nOn demand now\n\nBody.\n"
    assert check(Document("t", text), ["PL201"]) == []
    settings = resolve(cli=Layer(select=("PL201",), options={
        "PL201": {"extend_tokens": ["Now streaming", "On demand now"]}}))
    assert [f.code for f in check(Document("t", text), settings)] == ["PL201"]
