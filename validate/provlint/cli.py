"""The command line: a thin click layer over the library.

Exit codes follow ruff: 0 clean (or everything fixed), 1 findings remain or
(fix) a file was rewritten, 2 usage, configuration or internal error.
Library errors are caught here and only here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from . import __version__
from .config import load_config
from .errors import ProvlintError
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


def selection_options(func: F) -> F:
    """Options shared by every command that runs rules."""
    opts = [
        click.option("--select", multiple=True, help="Rules to run (codes, prefixes, names, ALL)."),
        click.option("--extend-select", multiple=True, help="Rules to add to the selection."),
        click.option("--ignore", multiple=True, help="Rules to leave out."),
        click.option("--rule-set", default=None, help="Rule set id in rules/ or a TOML path."),
        click.option("--config", "config_items", multiple=True,
                     help="Config file, or inline 'KEY = VALUE' TOML; repeatable."),
        click.option("--isolated", is_flag=True, help="Ignore configuration files."),
        click.option("--debug", is_flag=True, help="Show tracebacks for crashes."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def setup(
    select: Sequence[str], extend_select: Sequence[str], ignore: Sequence[str],
    rule_set: str | None, config_items: Sequence[str], isolated: bool, debug: bool,
) -> Setup:
    """Resolve rule set + configuration + flags into Settings."""
    config, _ = load_config(config_items, isolated)
    cli = Layer(select=_split(select) or None, extend_select=_split(extend_select),
                ignore=_split(ignore))
    settings = resolve(rule_set or str(config.get("rule-set", "default")),
                       project=layer_from(config, "configuration"), cli=cli)
    return Setup(settings, config, debug)


def run_guarded(func: Callable[[], int], debug: bool = False) -> int:
    """Run a command body; library errors become exit 2 with a clear message."""
    try:
        return func()
    except ProvlintError as exc:
        if debug:
            raise
        raise Abort(str(exc)) from exc
    except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:  # an internal error must not read as "findings"
        if debug:
            raise
        raise Abort(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provlint")
def cli() -> None:
    """provlint: find, remove and account for extraction residue in web text."""


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="provlint")


# The subcommands live in provlint.commands and register on ``cli`` when imported.
from . import commands  # noqa: E402, F401
