"""A quiet start-up: the cyclic garbage collector waits until the rules are ready.

Start-up (imports, rule registration, rule-set resolution) allocates tens of
thousands of objects that live as long as the process. With the default
threshold the collector scans them about 30 times before the first document
is read and frees nothing: about 5 % of a commit hook's run. The console
script calls ``pause()`` before importing anything heavy; ``provlint.cli.setup``
calls ``resume()`` once the rule set is resolved, which freezes what start-up
built (later collections skip it) and restores the threshold. A command that
never calls ``setup`` still collects, only less often. Nothing changes for
library use or tests, which never call ``pause()``.
"""

from __future__ import annotations

import gc

_STARTUP_THRESHOLD = 100_000
_saved: tuple[int, int, int] | None = None


def pause() -> None:
    """Raise the first-generation threshold for the rest of start-up."""
    global _saved
    if _saved is None:
        _saved = gc.get_threshold()
        gc.set_threshold(_STARTUP_THRESHOLD, *_saved[1:])


def resume() -> None:
    """End of start-up: freeze its objects and restore the threshold ``pause`` raised."""
    global _saved
    if _saved is not None:
        gc.freeze()
        gc.set_threshold(*_saved)
        _saved = None
