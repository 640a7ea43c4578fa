"""provlint's one exception tree. Only the CLI catches these."""

from __future__ import annotations


class ProvlintError(Exception):
    """Base class: every error provlint raises on purpose."""


class ConfigError(ProvlintError):
    """A rule set, option or selector is wrong (exit 2)."""


class InputError(ProvlintError):
    """A path given on the command line cannot be used at all (exit 2)."""


class ConvergenceError(ProvlintError):
    """Fixes kept changing the text after the pass limit: a bug (exit 2)."""


class IntegrityError(ProvlintError):
    """A restored or verified text does not match its recorded digest."""
