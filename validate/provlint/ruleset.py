"""Rule sets and configuration, resolved into the rules that run.

Layers, lowest first: the rule set TOML (``rules/<id>.toml``, which may
``extends`` another), the project configuration (``[tool.provlint]`` or
``provlint.toml``), then the command line. Selection follows ruff: a layer's
``select`` replaces the set, ``extend-select`` adds, ``ignore`` removes, and
within a layer the more specific selector wins (``PL201`` beats ``PL2``).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping, Sequence
from dataclasses import field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import cache
from .errors import ConfigError
from .excludes import under_root
from .io import sha256
from .model import Severity
from .record import dataclass
from .record import set_field as _set
from .registry import FAMILIES, RULES_DIR, Rule, load


@dataclass(frozen=True)
class ActiveRule:
    """A rule with its resolved options and severity."""

    rule: Rule
    options: Mapping[str, Any]
    severity: Severity
    fixable: bool = True

    def __init__(self, rule: Rule, options: Mapping[str, Any], severity: Severity,
                 fixable: bool = True) -> None:
        _set(self, "rule", rule)
        _set(self, "options", options)
        _set(self, "severity", severity)
        _set(self, "fixable", fixable)


@dataclass(frozen=True)
class Layer:
    """One layer of selection and options (rule set, project file or CLI)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    severity: Mapping[str, str] = field(default_factory=dict)
    unfixable: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, Sequence[str]] = field(default_factory=dict)
    unsafe_fixes: bool | None = None  # ``unsafe-fixes = true``: apply unsafe fixes too

    def __init__(self, select: tuple[str, ...] | None = None, extend_select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = (),
                 options: Mapping[str, Mapping[str, Any]] | None = None,
                 severity: Mapping[str, str] | None = None, unfixable: tuple[str, ...] = (),
                 per_file_ignores: Mapping[str, Sequence[str]] | None = None,
                 unsafe_fixes: bool | None = None) -> None:
        _set(self, "select", select)
        _set(self, "extend_select", extend_select)
        _set(self, "ignore", ignore)
        _set(self, "options", {} if options is None else options)
        _set(self, "severity", {} if severity is None else severity)
        _set(self, "unfixable", unfixable)
        _set(self, "per_file_ignores", {} if per_file_ignores is None else per_file_ignores)
        _set(self, "unsafe_fixes", unsafe_fixes)


@dataclass(frozen=True)
class Settings:
    """Everything that decides what a run does to a document."""

    ruleset_id: str
    ruleset_version: str
    active: tuple[ActiveRule, ...]
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    resolved: Mapping[str, Any] = field(default_factory=dict)
    unsafe_fixes: bool = False
    root: str = ""  # per-file-ignores globs are relative to it (the configuration's folder)

    def __init__(self, ruleset_id: str, ruleset_version: str, active: tuple[ActiveRule, ...],
                 per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = (),
                 resolved: Mapping[str, Any] | None = None, unsafe_fixes: bool = False,
                 root: str = "") -> None:
        _set(self, "ruleset_id", ruleset_id)
        _set(self, "ruleset_version", ruleset_version)
        _set(self, "active", active)
        _set(self, "per_file_ignores", per_file_ignores)
        _set(self, "resolved", {} if resolved is None else resolved)
        _set(self, "unsafe_fixes", unsafe_fixes)
        _set(self, "root", root)

    @cached_property
    def digest(self) -> str:
        """``sha256:`` of ``resolved`` as canonical JSON: the configuration that
        provenance records cite. Computed on first use (``check`` never needs it,
        nor the json module)."""
        import json

        blob = json.dumps(self.resolved, sort_keys=True, ensure_ascii=True, default=str)
        return sha256(blob.encode())

    def for_path(self, path: str | None) -> tuple[ActiveRule, ...]:
        if not path or not self.per_file_ignores:
            return self.active
        names = [path, Path(path).name]
        # as ruff does: from a subfolder, "notes/*.md" still means the project's
        if self.root and (rel := under_root(path, self.root)) is not None:
            names.append(rel)
        drop: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if any(fnmatch.fnmatch(name, pattern) for name in names):
                drop |= codes
        if not drop:  # the same tuple: the engine makes its rules to run once per tuple
            return self.active
        return tuple(a for a in self.active if a.rule.code not in drop)

    @property
    def codes(self) -> list[str]:
        return [a.rule.code for a in self.active]


def _specificity(selector: str, r: Rule) -> int:
    """How specifically ``selector`` names ``r`` (0 = not at all)."""
    if selector == "ALL":
        return 1
    if selector in (r.code, r.name):
        return 10
    if r.code.startswith(selector) and selector.startswith("PL"):
        return 1 + len(selector) - 2
    return 0


def _check_selectors(selectors: Sequence[str], rules: Mapping[str, Rule], where: str) -> None:
    for s in selectors:
        if s[:3] in FAMILIES and s.startswith("PL") and len(s) == 3:
            continue  # a family prefix is valid even before it has rules
        if not any(_specificity(s, r) for r in rules.values()):
            raise ConfigError(f"{where}: unknown rule selector {s!r} (see `provlint rules`)")


def _select(layers: Sequence[tuple[str, Layer]], rules: Mapping[str, Rule]) -> list[Rule]:
    state = {code: False for code in rules}
    for where, layer in layers:
        pos = list(layer.select or ()) + list(layer.extend_select)
        _check_selectors(pos + list(layer.ignore), rules, where)
        for code, r in rules.items():
            if layer.select is not None:
                state[code] = False
            best_pos = max((_specificity(s, r) for s in pos), default=0)
            best_neg = max((_specificity(s, r) for s in layer.ignore), default=0)
            if best_pos > best_neg:
                state[code] = True
            elif best_neg:
                state[code] = False
    return [rules[c] for c, on in state.items() if on]


def _code_of(key: str, rules: Mapping[str, Rule], where: str) -> str:
    for r in rules.values():
        if key in (r.code, r.name):
            return r.code
    raise ConfigError(f"{where}: unknown rule {key!r}")


def _options(r: Rule, layers: Sequence[tuple[str, Layer]], rules: Mapping[str, Rule]) -> dict[
    str, Any
]:
    opts = dict(r.options)
    for where, layer in layers:
        for key, values in layer.options.items():
            if _code_of(key, rules, where) != r.code:
                continue
            for name, value in values.items():
                name = name.replace("-", "_")
                if name.startswith("extend_") and name[7:] in opts:
                    base = opts[name[7:]]
                    if not isinstance(base, list) or not isinstance(value, list):
                        raise ConfigError(f"{where}: {r.code}.{name} needs a list")
                    opts[name[7:]] = [*base, *value]
                    continue
                if name not in opts:
                    known = ", ".join(sorted(r.options)) or "none"
                    raise ConfigError(f"{where}: {r.code} has no option {name!r} (known: {known})")
                default = r.options[name]
                if type(default) is not type(value) and not (
                    isinstance(default, float) and isinstance(value, int)
                ):
                    raise ConfigError(
                        f"{where}: {r.code}.{name} must be {type(default).__name__}, "
                        f"got {value!r}"
                    )
                opts[name] = value
    return opts


def read_ruleset(name_or_path: str, rules_dir: Path = RULES_DIR) -> tuple[dict[str, Any], Path]:
    """Load a rule set by id (``rules/<id>.toml``) or path, following ``extends``."""
    path = Path(name_or_path)
    if not path.suffix:
        path = rules_dir / f"{name_or_path}.toml"
    return cache.cached("ruleset", [path], lambda: _parse_ruleset(name_or_path, path)), path


def _parse_ruleset(name_or_path: str, path: Path) -> dict[str, Any]:
    import tomllib  # not needed when the cache has the table (provlint.cache)

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"rule set {name_or_path!r} not found (looked for {path})") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read rule set: {exc}") from exc


def layer_from(data: Mapping[str, Any], where: str) -> Layer:
    """Build a layer from a TOML table (rule set or ``[tool.provlint]``)."""
    from .config import check_shapes  # config -> provenance -> ruleset: import here

    check_shapes(data, where)  # every value's type, like the configuration's

    def strs(key: str) -> tuple[str, ...]:
        return tuple(data.get(key, ()))

    return Layer(
        select=strs("select") if "select" in data else None,
        extend_select=strs("extend-select"),
        ignore=strs("ignore"),
        options=dict(data.get("options", {})),
        severity=dict(data.get("severity", {})),
        unfixable=strs("unfixable"),
        per_file_ignores=dict(data.get("per-file-ignores", {})),
        unsafe_fixes=data.get("unsafe-fixes"),
    )


def _ruleset_layers(name: str, rules_dir: Path, seen: tuple[str, ...] = ()) -> tuple[
    dict[str, Any], list[tuple[str, Layer]]
]:
    data, path = read_ruleset(name, rules_dir)
    if str(path) in seen:
        raise ConfigError(f"rule set {path} extends itself")
    layers: list[tuple[str, Layer]] = []
    if "extends" in data:
        parent = str(data["extends"])
        if Path(parent).suffix and not os.path.isabs(parent):  # a path: from this file
            parent = os.path.relpath(path.parent / parent)
        _, layers = _ruleset_layers(parent, rules_dir, (*seen, str(path)))
    layers.append((str(path.name), layer_from(data, path.name)))
    return data, layers


def resolve(
    ruleset: str = "default",
    project: Layer | None = None,
    cli: Layer | None = None,
    rules_dir: Path = RULES_DIR,
    select: Sequence[str] | None = None,
    root: str = "",
) -> Settings:
    """Resolve rule set + project configuration + command line into Settings
    (``root``: the folder per-file-ignores globs are relative to)."""
    rules = load(rules_dir)
    head, layers = _ruleset_layers(ruleset, rules_dir)
    if project is not None:
        layers.append(("configuration", project))
    if cli is not None:
        layers.append(("command line", cli))
    if select is not None:
        layers.append(("select", Layer(select=tuple(select))))
    chosen = _select(layers, rules)
    severity: dict[str, Severity] = {}
    unfixable: set[str] = set()
    pfi: list[tuple[str, frozenset[str]]] = []
    for where, layer in layers:
        for key, level in layer.severity.items():
            try:
                severity[_code_of(key, rules, where)] = Severity.parse(level)
            except ValueError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        _check_selectors(layer.unfixable, rules, where)
        unfixable |= {r.code for r in rules.values()
                      if any(_specificity(s, r) for s in layer.unfixable)}
        for pattern, sels in layer.per_file_ignores.items():
            _check_selectors(list(sels), rules, where)
            pfi.append((pattern, frozenset(r.code for r in rules.values()
                                           if any(_specificity(s, r) for s in sels))))
    active = tuple(
        ActiveRule(r, _options(r, layers, rules), severity.get(r.code, r.severity),
                   r.code not in unfixable and r.fix != "never")
        for r in chosen
    )
    unsafe = False
    for _, layer in layers:
        if layer.unsafe_fixes is not None:
            unsafe = layer.unsafe_fixes
    resolved = {
        "ruleset": {"id": str(head.get("id", ruleset)), "version": str(head.get("version", ""))},
        "unsafe_fixes": unsafe,
        "rules": {a.rule.code: {"options": a.options, "severity": a.severity.label,
                                "fixable": a.fixable} for a in active},
        "per_file_ignores": [[p, sorted(c)] for p, c in pfi],
    }
    return Settings(
        ruleset_id=str(head.get("id", ruleset)),
        ruleset_version=str(head.get("version", "")),
        active=active,
        per_file_ignores=tuple(pfi),
        resolved=resolved,
        unsafe_fixes=unsafe,
        root=root,
    )
