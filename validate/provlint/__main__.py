"""``python -m provlint`` and the ``provlint`` console script."""

from __future__ import annotations

from . import startup


def main() -> None:
    """Console-script entry point: ``provlint.cli.main`` after a quiet start-up
    (``provlint.startup``)."""
    startup.pause()
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
