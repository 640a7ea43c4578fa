"""The command line: a thin click layer over the library.

Exit codes follow ruff: 0 clean (or everything fixed), 1 findings remain or
(fix) a file was rewritten, 2 usage, configuration or internal error.
Library errors are caught here and only here.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, cache, startup
from .config import load_config
from .errors import ProvlintError
from .io import DEFAULT_MAX_DOCUMENT_BYTES
from .record import dataclass
from .record import set_field as _set
from .ruleset import Layer, Settings, layer_from, resolve

F = TypeVar("F", bound=Callable[..., Any])


class Abort(click.ClickException):
    """A usage, configuration or internal error: exit 2 (never 1, which means findings)."""

    exit_code = 2


@dataclass(frozen=True)
class Setup:
    """Resolved configuration for one command invocation."""

    settings: Settings
    config: dict[str, Any]
    debug: bool
    config_path: Path | None  # the configuration file read (None: none)
    discovered: bool  # found from the working directory (not --config FILE or --isolated)

    def __init__(self, settings: Settings, config: dict[str, Any], debug: bool,
                 config_path: Path | None = None, discovered: bool = False) -> None:
        _set(self, "settings", settings)
        _set(self, "config", config)
        _set(self, "debug", debug)
        _set(self, "config_path", config_path)
        _set(self, "discovered", discovered)


def _selection_options() -> list[Callable[[Any], Any]]:
    return [
        click.option("--select", multiple=True, help="Rules to run (codes, prefixes, names, ALL)."),
        click.option("--extend-select", multiple=True, help="Rules to add to the selection."),
        click.option("--ignore", multiple=True, help="Rules to leave out."),
        click.option("--rule-set", default=None, help="Rule set id in rules/ or a TOML path."),
        click.option("--config", "config_items", multiple=True,
                     help="Config file, or inline 'KEY = VALUE' TOML; repeatable."),
        click.option("--isolated", is_flag=True, help="Ignore configuration files."),
        click.option("--debug", is_flag=True, help="Show tracebacks for crashes."),
        click.option("-n", "--no-cache", is_flag=True,
                     help="Do not read or write the cache (env PROVLINT_NO_CACHE)."),
        click.option("--cache-dir", default=None, metavar="DIR",
                     help="Cache folder (default .provlint_cache; env PROVLINT_CACHE_DIR)."),
    ]


_MADE: dict[str, list[click.Parameter]] = {}  # the shared options' parameters, made once


def _shared(func: F, make: Callable[[], list[Callable[[Any], Any]]]) -> F:
    """``func`` with the options ``make`` lists. Their parameter objects are made once
    and shared by every command that takes them (click keeps no per-command state in
    them): every ``provlint check`` imports check and fix, and an option costs ~30 us
    of start-up to make."""
    params = _MADE.get(make.__name__)
    if params is None:
        def holder() -> None:
            """Collects the parameters."""

        made: Any = holder
        for opt in reversed(make()):
            made = opt(made)
        params = _MADE[make.__name__] = made.__click_params__
    target: Any = func  # click's decorators keep their parameters here
    target.__click_params__ = [*getattr(func, "__click_params__", ()), *params]
    return func


def selection_options(func: F) -> F:
    """Options shared by every command that runs rules."""
    return _shared(func, _selection_options)


FORCE_EXCLUDE = click.option(
    "--force-exclude/--no-force-exclude", default=None,
    help="Apply the exclude globs to paths named explicitly too (as pre-commit names files).")


def _io_options() -> list[Callable[[Any], Any]]:
    return [
        # not readable=True (click's default): a file we may not read is a PL901 finding and
        # the run goes on, not a usage error that checks nothing (pre-commit names it)
        click.argument("paths", nargs=-1, type=click.Path(readable=False)),
        click.option("--unsafe-fixes/--no-unsafe-fixes", default=None,
                     help="Also apply unsafe fixes (--no-unsafe-fixes: not even if configured)."),
        click.option("--fix-only", is_flag=True,
                     help="Fix, and leave what remains unreported: exit 1 only if a file changed."),
        click.option("--show-fixes", is_flag=True,
                     help="List the edits applied, by file and rule."),
        click.option("-q", "--quiet", is_flag=True, help="Print the findings and nothing else."),
        click.option("-s", "--silent", is_flag=True,
                     help="Print no findings or notes (only --diff, --statistics); exit as usual."),
        click.option("--diff", is_flag=True, help="Print a unified diff; write nothing."),
        click.option("--include", multiple=True, help="File globs for folders (*.txt, *.md)."),
        click.option("--exclude", "--extend-exclude", "exclude", multiple=True,
                     help="Globs to skip, added to the configured ones (either name)."),
        FORCE_EXCLUDE,
        click.option("--stdin-filename", default=None, help="Name for text read from '-'."),
        click.option("-e", "--exit-zero", is_flag=True, help="Exit 0 even when findings remain."),
        # ruff's pre-commit hooks were long set up with `args: [--fix, --exit-non-zero-on-fix]`:
        # provlint exits 1 after rewriting a file anyway, so the flag is taken and changes nothing
        click.option("--exit-non-zero-on-fix", is_flag=True, expose_value=False,
                     help="Exit 1 when a file was fixed (always so, unless --exit-zero)."),
        click.option("--ledger", type=click.Path(dir_okay=False), default=None,
                     help="Append provenance records to this JSONL file (fixing in place: "
                          "of the files rewritten; check without --fix: none)."),
        click.option("--provenance-text", type=click.Choice(["full", "hash", "none"]),
                     default=None, help="Keep removed text verbatim, hashed, or not at all."),
        click.option("--max-document-bytes", default=None, metavar="SIZE",
                     help="Report larger documents (PL905) instead of reading them "
                          f"(default {DEFAULT_MAX_DOCUMENT_BYTES >> 20}MiB)."),
    ]


def common_io_options(func: F) -> F:
    """The input, fixing and output options of check and fix."""
    return _shared(func, _io_options)


def stdin_paths(paths: tuple[str, ...], stdin_filename: str | None,
                warn: Callable[[str], None]) -> tuple[str, ...]:
    """The paths to read, as ruff takes them: with ``--stdin-filename`` that is stdin
    (``-``), given or not, and ``warn`` names each other path left out. (Without it,
    no path meant the working folder: an editor's ``fix --stdin-filename a.txt``
    rewrote every file below it.)"""
    if stdin_filename is None or paths == ("-",):
        return paths
    for path in paths:
        if path != "-":
            warn(f"warning: ignoring {path} in favour of stdin (--stdin-filename)")
    return ("-",)


def _split(values: Sequence[str], option: str) -> tuple[str, ...]:
    """The selectors of a repeatable, comma-separated option. An empty one (``--select ''``,
    ``--ignore A,,B``) is a usage error, as in ruff: it selects nothing, and the run must not
    fall back to the defaults without saying so."""
    out = tuple(v.strip() for item in values for v in item.split(","))
    if "" in out:
        raise Abort(f"empty rule selector in {option} (command line); name rules, or leave "
                    "the option out for the configured selection")
    return out


# The keyword arguments of ``setup``: the options ``selection_options`` adds.
SETUP_OPTIONS = ("select", "extend_select", "ignore", "rule_set", "config_items", "isolated",
                 "debug", "no_cache", "cache_dir")


def setup(
    select: Sequence[str], extend_select: Sequence[str], ignore: Sequence[str],
    rule_set: str | None, config_items: Sequence[str], isolated: bool, debug: bool,
    no_cache: bool = False, cache_dir: str | None = None,
) -> Setup:
    """Resolve rule set + configuration + flags into Settings."""
    cache.configure(cache_dir, enabled=not no_cache)
    config, found = load_config(config_items, isolated)
    cli = Layer(select=_split(select, "--select") or None,
                extend_select=_split(extend_select, "--extend-select"),
                ignore=_split(ignore, "--ignore"))
    settings = resolve(rule_set or str(config.get("rule-set", "default")),
                       project=layer_from(config, "configuration"), cli=cli,
                       root=os.path.dirname(os.path.abspath(found)) if found else os.getcwd())
    startup.resume()  # the rules are ready: collect garbage as usual again
    discovered = not isolated and all("=" in item for item in config_items)
    return Setup(settings, config, debug, found, discovered)


def run_guarded(func: Callable[[], int], debug: bool = False) -> int:
    """Run a command body; library errors become exit 2 with a clear message."""
    try:
        return func()
    except ProvlintError as exc:
        if debug:
            raise
        raise Abort(str(exc)) from exc
    except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt, BrokenPipeError):
        raise  # click's main ends a broken pipe (`provlint check | head`) quietly, status 1
    except OSError as exc:  # a read-only or full output folder: the machine's, not a bug
        if debug:
            raise
        raise Abort(os_error(exc)) from exc
    except Exception as exc:  # an internal error must not read as "findings"
        if debug:
            raise
        raise Abort(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)") from exc


def os_error(exc: OSError) -> str:
    """What an OS error that stops a run says: the file, or the folder of a temporary
    file (a name of provlint's making), and why."""
    why = exc.strerror or type(exc).__name__
    name = exc.filename
    if not isinstance(name, str | bytes):
        return why
    path = os.fsdecode(name)
    folder, base = os.path.split(path)
    if base.startswith(".") and base.endswith(".tmp"):
        return f"cannot write in {folder or os.curdir}: {why}"
    return f"{path}: {why}"


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that command is used.

    ``lazy`` maps command names to modules that register them on import, so
    ``provlint check`` (the pre-commit path) never loads report, restore or
    verify machinery. Listing the commands (``--help``) imports them all.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.lazy = dict(lazy or {})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.lazy.get(cmd_name)
        if cmd_name not in self.commands and module is not None:
            importlib.import_module(module, __package__)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for name in self.lazy:
            self.get_command(ctx, name)
        return super().list_commands(ctx)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provlint")
def cli() -> None:
    """provlint: find, remove and account for extraction residue in web text."""


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="provlint")


# The subcommands live in provlint.commands and register on ``cli`` when imported,
# which happens on first use (see LazyGroup).
from .commands import COMMANDS  # noqa: E402

assert isinstance(cli, LazyGroup)
cli.lazy.update(COMMANDS)
