"""Project configuration: ``[tool.provlint]`` in pyproject.toml or provlint.toml.

The nearest file from the working directory upwards wins; ``--config`` takes
a file path or an inline ``KEY = VALUE`` TOML fragment (repeatable) and
``--isolated`` ignores files. Keys are kebab-case as in ruff.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from . import cache
from .errors import ConfigError
from .provenance import TEXT_MODES

KNOWN_KEYS = frozenset({
    "rule-set", "select", "extend-select", "ignore", "per-file-ignores", "options", "severity",
    "unfixable", "include", "exclude", "extend-exclude", "force-exclude", "unsafe-fixes",
    "output-format", "fail-on", "gate", "provenance-text", "max-document-bytes", "baseline",
    "sarif-max-results", "junit-max-results", "gitlab-max-results",
})


_STRS = "a list of strings"


def _strs(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# What each key's value must be, checked when the configuration is loaded, so a
# wrong type is a configuration error (exit 2) before any file is read or written
# instead of a crash halfway through a run. Values are checked further where
# they are used (rule codes, sizes, formats, gate keys).
_SHAPES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "rule-set": ("a string", lambda v: isinstance(v, str)),
    "select": (_STRS, _strs),
    "extend-select": (_STRS, _strs),
    "ignore": (_STRS, _strs),
    "unfixable": (_STRS, _strs),
    "include": (_STRS, _strs),
    "exclude": (_STRS, _strs),
    "extend-exclude": (_STRS, _strs),
    "per-file-ignores": ("a table of glob = [selectors]",
                         lambda v: isinstance(v, dict) and all(_strs(x) for x in v.values())),
    "options": ("a table of rule tables",
                lambda v: isinstance(v, dict) and all(isinstance(x, dict) for x in v.values())),
    "severity": ("a table of rule = severity",
                 lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values())),
    "gate": ("a table", lambda v: isinstance(v, dict)),
    "force-exclude": ("true or false", lambda v: isinstance(v, bool)),
    "unsafe-fixes": ("true or false", lambda v: isinstance(v, bool)),
    "output-format": ("a string", lambda v: isinstance(v, str)),
    "fail-on": ("a string", lambda v: isinstance(v, str)),
    "provenance-text": (f"one of {', '.join(TEXT_MODES)}", lambda v: v in TEXT_MODES),
    "max-document-bytes": ("a size (a number of bytes or a string such as '64MiB')",
                           lambda v: isinstance(v, int | str) and not isinstance(v, bool)),
    "baseline": ("a file name", lambda v: isinstance(v, str)),
}


def check_shapes(data: Mapping[str, Any], where: str) -> None:
    """Raise ConfigError naming the first key whose value has the wrong type."""
    for key, value in data.items():
        what, ok = _SHAPES.get(key, ("", lambda v: True))
        if not ok(value):
            raise ConfigError(f"{where}: {key} must be {what}, got {value!r}")


def find_config(start: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """The nearest provlint.toml or pyproject.toml with [tool.provlint]."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (found := _config_in(folder)) is not None:
            return paths_from(found[0], folder), found[1]
    return {}, None


def paths_from(data: Mapping[str, Any], folder: Path) -> dict[str, Any]:
    """``data`` with the file names it holds (``baseline``; ``rule-set`` when it is a
    path, not an id) taken from ``folder``, the configuration file's, as ruff takes its
    configuration's paths: a run from a subfolder finds the same files. They are given
    relative to the working directory (as a name typed there would be)."""
    out = dict(data)
    for key in ("baseline", "rule-set"):
        value = out.get(key)
        if (isinstance(value, str) and value and not os.path.isabs(value)
                and (key == "baseline" or Path(value).suffix)):
            out[key] = os.path.relpath(folder / value)
    return out


def _config_in(folder: Path) -> tuple[dict[str, Any], Path] | None:
    """The configuration file of ``folder`` itself, if it has one."""
    own = folder / "provlint.toml"
    if own.is_file():
        return _read(own, tool=False), own
    py = folder / "pyproject.toml"
    if py.is_file():
        data = _section(py)
        if data is not None:  # as in ruff, an empty [tool.provlint] is a configuration too
            return data, py
    return None


class UnusedConfigs:
    """Finds the configuration files a run leaves unused: one run reads one
    configuration (found from the working directory), so a file whose own folder
    (or a folder between it and that configuration) has another one is checked
    without it. ``unused(path)`` names that other file, once per file; folders are
    looked at once each."""

    def __init__(self, used: Path | None) -> None:
        self.used = used.resolve() if used is not None else None
        self.nearest: dict[str, Path | None] = {}
        self.told: set[Path] = set()

    def _nearest(self, folder: str) -> Path | None:
        if folder not in self.nearest:
            here = Path(folder).resolve()
            try:
                found = _config_in(here)
            except (ConfigError, OSError):  # another project's broken pyproject.toml, or a
                found = None  # folder we may not enter (its files are PL901): not the run's
            self.nearest[folder] = (found[1] if found is not None else None
                                    if here.parent == here else self._nearest(str(here.parent)))
        return self.nearest[folder]

    def unused(self, path: Path) -> Path | None:
        """The configuration nearest to ``path`` when it is not the run's and not yet named."""
        near = self._nearest(os.path.dirname(os.path.abspath(path)))
        if near is None or near == self.used or near in self.told:
            return None
        self.told.add(near)
        return near


class _Source(Protocol):
    """What ``warn_unused`` reads of a source (``provlint.io.Source``)."""

    @property
    def path(self) -> Path: ...

    @property
    def id(self) -> str: ...


S = TypeVar("S", bound=_Source)


def warn_unused(sources: Iterable[S], used: Path | None, say: Callable[[str], None]
                ) -> Iterator[S]:
    """``sources``, telling ``say`` (once per file) which configuration file nearer to a
    source than the run's (``used``) is not used for it: the rules it selects or ignores
    do not apply, which the user would otherwise learn only from what fix removed."""
    unused = UnusedConfigs(used)
    run_config = "no configuration" if used is None else _shown(used)
    for s in sources:
        if (other := unused.unused(s.path)) is not None:
            say(f"warning: {_shown(other)} is not used for {s.id} (a run reads one "
                f"configuration, found from the working directory: {run_config}); run "
                f"provlint in {_shown(other.parent).rstrip('/')}/ or pass --config "
                f"{_shown(other)}")
        yield s


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def _read(path: Path, tool: bool) -> dict[str, Any]:
    """The configuration in ``path``: its ``[tool.provlint]`` table when ``tool``
    (a pyproject.toml: empty when it has none), else the whole file."""
    if tool:
        return _section(path) or {}
    data = cache.cached("config", [path], lambda: _parse(path))
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.provlint] must be a table")
    return data


def _section(path: Path) -> dict[str, Any] | None:
    """The ``[tool.provlint]`` table of a pyproject.toml, or None when it has none."""
    def build() -> list[Any]:  # [] or [the table]: the cache cannot keep None
        tool = _parse(path).get("tool", {})
        return [tool["provlint"]] if isinstance(tool, dict) and "provlint" in tool else []

    found = cache.cached("pyproject-section", [path], build)
    if not found:
        return None
    if not isinstance(found[0], dict):
        raise ConfigError(f"{path}: [tool.provlint] must be a table")
    return found[0]


def _parse(path: Path) -> dict[str, Any]:
    import tomllib  # not needed when the cache has the table (provlint.cache)

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc


def merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge two config tables; ``extra`` wins."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def load_config(overrides: Sequence[str] = (), isolated: bool = False) -> tuple[
    dict[str, Any], Path | None
]:
    """Resolve the project configuration plus ``--config`` overrides.

    As in ruff, ``--config FILE`` replaces discovery (that file's settings are used
    for every file, the nearest configuration file is not read; at most one FILE),
    and inline ``KEY = VALUE`` overrides win over any file, whatever their order."""
    files = [item for item in overrides if "=" not in item]
    if len(files) > 1:
        raise ConfigError(f"--config: one configuration file at most, got {', '.join(files)}")
    data, path = ({}, None) if isolated or files else find_config()
    if files:
        path = Path(files[0])
        if not path.is_file():
            raise ConfigError(f"--config {files[0]!r}: no such file")
        data = paths_from(_read(path, tool=path.name == "pyproject.toml"), path.parent)
    for item in overrides:
        if "=" in item:
            import tomllib

            try:
                extra = tomllib.loads(item)
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"--config {item!r}: not a TOML 'KEY = VALUE': {exc}") from None
            data = merge(data, extra)
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path or 'configuration'}: unknown key(s) {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(KNOWN_KEYS))})")
    check_shapes(data, str(path or "configuration"))
    return data, path
