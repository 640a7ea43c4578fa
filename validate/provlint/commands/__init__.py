"""Subcommands; each module registers its commands on ``provlint.cli.cli``."""

from __future__ import annotations

from . import check, report, restore, rules

__all__ = ["check", "report", "restore", "rules"]
