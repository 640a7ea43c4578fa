"""``python -m provlint`` and the ``provlint`` console script."""

from __future__ import annotations

from . import startup


def main() -> None:
    """Console-script entry point: ``provlint.cli.main`` after a quiet start-up
    (``provlint.startup``)."""
    import sys

    startup.pause()
    from .cli import main as cli_main

    if len(sys.argv) < 2 or sys.argv[1] not in startup.FAST_EXIT_COMMANDS:
        cli_main()
        return
    try:
        cli_main()
    except SystemExit as stop:
        startup.leave(stop.code)
    startup.leave(0)


if __name__ == "__main__":
    main()
