"""Subcommands; each module registers its commands on ``provlint.cli.cli``.

Modules are imported when their command is used (``provlint.cli.LazyGroup``):
a new command needs its name here, mapped to its module.
"""

from __future__ import annotations

COMMANDS = {
    "check": ".commands.check",
    "fix": ".commands.check",
    "export-prov": ".commands.export",
    "report": ".commands.report",
    "restore": ".commands.restore",
    "rule": ".commands.rules",
    "rules": ".commands.rules",
    "verify": ".commands.verify",
}

