"""Subcommands; each module registers its commands on ``provlint.cli.cli``."""

from __future__ import annotations

from . import check, export, report, restore, rules, verify

__all__ = ["check", "export", "report", "restore", "rules", "verify"]
