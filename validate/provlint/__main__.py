"""``python -m provlint`` and the ``provlint`` console script."""

from __future__ import annotations

from . import startup


def main() -> None:
    """Console-script entry point: ``provlint.cli.main`` after a quiet start-up
    (``provlint.startup``)."""
    import sys

    startup.pause()
    fast = len(sys.argv) > 1 and sys.argv[1] in startup.FAST_EXIT_COMMANDS
    if fast:
        for name in startup.DEFERRED:
            startup.defer(name)
        from . import cache

        cache.configure_early(sys.argv[2:])
        from . import rx

        rx.seed()  # before click and the standard library compile their patterns
    from .cli import main as cli_main

    if not fast:
        cli_main()
        return
    try:
        cli_main()
    except SystemExit as stop:
        startup.leave(stop.code)
    startup.leave(0)


if __name__ == "__main__":
    main()
