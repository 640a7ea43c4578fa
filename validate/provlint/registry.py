"""The rule registry: the ``@rule`` decorator, data rules and ``load()``.

Built-in Python rules register by being imported from ``provlint.checks``
(the one place that imports the family modules). Data rules come from
``rules/phrases/*.toml``; third-party packs from the ``provlint.checks``
entry-point group. ``load()`` returns all of them sorted by code.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import cache, rx
from .dists import metadata_dirs
from .errors import ConfigError
from .model import Document, Hit, Severity
from .record import dataclass
from .record import set_field as _set

RuleFunc = Callable[..., Iterator[Hit]]

CODE_RE = rx.compile(r"^PL\d{3}$")
NAME_RE = rx.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FIX_KINDS = ("always", "sometimes", "never")
FAMILIES = {
    "PL0": "whitespace",
    "PL1": "encoding",
    "PL2": "boilerplate",
    "PL3": "duplication",
    "PL4": "metadata",
    "PL5": "quality",
    "PL9": "input",
}
SECTION_RE = rx.compile(r"^(Why|Fix safety|Bad|Good):\s*", re.MULTILINE)

RULES_DIR = Path(__file__).resolve().parent / "rules"


@dataclass(frozen=True)
class Rule:
    """A registered rule: identity, documentation, options and its check."""

    code: str
    name: str
    doc: str
    func: RuleFunc | None
    severity: Severity = Severity.WARNING
    fix: str = "never"
    options: Mapping[str, Any] = field(default_factory=dict)
    origin: str = "builtin"

    def __init__(self, code: str, name: str, doc: str, func: RuleFunc | None,
                 severity: Severity = Severity.WARNING, fix: str = "never",
                 options: Mapping[str, Any] | None = None, origin: str = "builtin") -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "doc", doc)
        _set(self, "func", func)
        _set(self, "severity", severity)
        _set(self, "fix", fix)
        _set(self, "options", {} if options is None else options)
        _set(self, "origin", origin)

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[:3], "other")

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else ""

    def section(self, title: str) -> str:
        """The text of one docstring section (Why, Fix safety, Bad, Good).

        A section runs to the next section title or the next blank line.
        """
        parts = SECTION_RE.split(self.doc)
        for key, body in zip(parts[1::2], parts[2::2], strict=True):
            if key == title:
                # join wrapped lines, but keep spacing inside a line (examples
                # such as "a  \t\n" depend on it)
                para = body.strip().split("\n\n")[0]
                return " ".join(line.strip() for line in para.splitlines() if line.strip())
        return ""

    def example(self, title: str) -> str | bytes:
        """The Bad or Good example as a Python literal, evaluated."""
        raw = self.section(title)
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError) as exc:
            raise ConfigError(f"{self.code}: {title} example is not a literal: {raw!r}") from exc
        if not isinstance(value, str | bytes):
            raise ConfigError(f"{self.code}: {title} example must be str or bytes")
        return value

    def run(self, doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
        if self.func is None:
            return iter(())
        return self.func(doc, **options)


_PYTHON_RULES: dict[str, Rule] = {}


def _options_of(func: RuleFunc) -> dict[str, Any]:
    """The rule's options: its keyword-only parameters and their defaults. Read from the
    code object (``inspect.signature`` costs ~0.1 ms a rule at every start-up); anything
    that is not a plain function goes through ``inspect.signature``."""
    target = inspect.unwrap(func)
    code = getattr(target, "__code__", None)
    if code is None or not inspect.isfunction(target):
        return _options_from_signature(func)
    names = code.co_varnames[code.co_argcount:code.co_argcount + code.co_kwonlyargcount]
    defaults = target.__kwdefaults__ or {}
    for name in names:
        if name not in defaults:
            raise ConfigError(f"{func.__name__}: option {name} needs a default")
    return {name: defaults[name] for name in names}


def _options_from_signature(func: RuleFunc) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    for p in inspect.signature(func).parameters.values():
        if p.kind is inspect.Parameter.KEYWORD_ONLY:
            if p.default is inspect.Parameter.empty:
                raise ConfigError(f"{func.__name__}: option {p.name} needs a default")
            opts[p.name] = p.default
    return opts


def rule(
    *, code: str, name: str, fix: str = "never", severity: str = "warning"
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a Python rule. The docstring is its documentation."""

    def deco(func: RuleFunc) -> RuleFunc:
        _register(
            Rule(
                code=code,
                name=name,
                doc=inspect.getdoc(func) or "",
                func=func,
                severity=Severity.parse(severity),
                fix=fix,
                options=MappingProxyType(_options_of(func)),
                origin=f"{func.__module__}.{func.__qualname__}",
            )
        )
        return func

    return deco


def declare(*, code: str, name: str, doc: str, severity: str = "warning") -> None:
    """Register a rule the engine or reader reports itself (PL9xx input problems)."""
    _register(Rule(code=code, name=name, doc=inspect.cleandoc(doc), func=None,
                   severity=Severity.parse(severity)))


def _register(r: Rule) -> None:
    if not CODE_RE.match(r.code):
        raise ConfigError(f"bad rule code {r.code!r}: use PL + 3 digits")
    if not NAME_RE.match(r.name):
        raise ConfigError(f"{r.code}: rule name {r.name!r} must be kebab-case")
    if r.fix not in FIX_KINDS:
        raise ConfigError(f"{r.code}: fix must be one of {FIX_KINDS}")
    old = _PYTHON_RULES.get(r.code)
    if old is not None and old.origin != r.origin:
        raise ConfigError(f"{r.code} registered twice: {old.origin} and {r.origin}")
    _PYTHON_RULES[r.code] = r


def _read_data_rule(path: Path) -> dict[str, Any]:
    import tomllib  # not needed when the cache has the tables (provlint.cache)

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read data rule: {exc}") from exc


def _data_rules(rules_dir: Path) -> list[Rule]:
    from .checks import patterns  # the kinds live with the other checks

    paths = sorted((rules_dir / "phrases").glob("*.toml"))
    specs = cache.cached("phrases", paths, lambda: [_read_data_rule(p) for p in paths])
    rules = [patterns.data_rule(spec, origin=path.name)
             for path, spec in zip(paths, specs, strict=True)]
    phrases = [t for r in rules for t in r.options["tokens"] if isinstance(t, str)]
    keyed = [*paths, *map(Path, patterns.KEY_SOURCES)]
    patterns.remember(cache.cached("phrase-keys", keyed, lambda: patterns.phrase_entries(phrases)))
    return rules


PACK_GROUP = "provlint.checks"


def _packs_installed() -> bool:
    """Whether any distribution on sys.path may declare the ``provlint.checks`` group.

    A folder scan for ``*.dist-info/entry_points.txt`` naming the group
    (``_scan_for_packs``), so a run without rule packs never imports
    importlib.metadata and its scan of every distribution (about 30 ms of a
    pre-commit hook's start-up). The answer is kept in the start-up cache
    (provlint.cache) keyed on each sys.path folder's mtime, which changes
    whenever a distribution is installed, upgraded or removed there (its
    ``*.dist-info`` folder is created or deleted), so a warm run reads one
    entry instead of every ``entry_points.txt``. A sys.path entry that is not
    a folder (a zip) cannot be scanned cheaply: then the answer is "maybe" (True).
    """
    folders = []
    for entry in sys.path:
        path = Path(entry or ".")
        if path.is_dir():
            folders.append(path)
        elif path.exists():
            return True
    return bool(cache.cached("packs", folders, _scan_for_packs))


def _scan_for_packs() -> bool:
    needle = f"[{PACK_GROUP}]"
    for found in metadata_dirs():
        if found is None:
            return True
        try:
            with open(os.path.join(found[1], "entry_points.txt"), encoding="utf-8") as fh:
                if needle in fh.read():
                    return True
        except (OSError, UnicodeDecodeError):
            continue
    return False


def load(rules_dir: Path = RULES_DIR, plugins: bool = True) -> Mapping[str, Rule]:
    """All rules: built-in Python rules, data rules, then entry-point packs."""
    return _load(rules_dir, plugins)  # one cache entry whether or not args are spelt out


@lru_cache(maxsize=8)
def _load(rules_dir: Path, plugins: bool) -> Mapping[str, Rule]:
    importlib.import_module(".checks", __package__)
    if plugins and _packs_installed():
        from importlib import metadata

        for ep in sorted(metadata.entry_points(group=PACK_GROUP), key=lambda e: e.name):
            try:
                ep.load()
            except Exception as exc:  # a broken plugin is a configuration problem
                raise ConfigError(f"cannot load rule pack {ep.name!r}: {exc}") from exc
    found = dict(_PYTHON_RULES)
    for r in _data_rules(rules_dir):
        if r.code in found:
            raise ConfigError(f"{r.code} defined by {r.origin} and {found[r.code].origin}")
        found[r.code] = r
    return MappingProxyType(dict(sorted(found.items())))
