"""Installed distributions, found by a folder scan instead of importlib.metadata.

Importing importlib.metadata (email parsing, zip handling and more) costs about
25 ms, a large share of a commit hook's start-up. What the pre-commit path
needs (is a rule pack installed? which ftfy version fixed this text?) can be
read from the ``*.dist-info`` folders on ``sys.path`` directly. When a path
entry cannot be scanned that way (a zip file), or a folder is not in the
usual shape, the answer comes from importlib.metadata after all, so results
match it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator


def normalise(name: str) -> str:
    """A project name as importlib.metadata compares it (``Foo.Bar-baz`` -> ``foo_bar_baz``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def metadata_dirs() -> Iterator[tuple[str, str] | None]:
    """``(normalised project name, folder)`` for each ``*.dist-info`` / ``*.egg-info``
    folder on ``sys.path``, in import order; ``None`` for an entry that is not a
    folder (a zip), whose distributions only importlib.metadata can list."""
    for entry in sys.path:
        try:
            listing = os.scandir(entry or ".")
        except NotADirectoryError:
            yield None
            continue
        except OSError:
            continue
        with listing:
            for d in listing:
                low = d.name.lower()
                if low.endswith((".dist-info", ".egg-info")):
                    yield normalise(low.rpartition(".")[0].partition("-")[0]), d.path


def _version_header(metadata_file: str) -> str | None:
    try:
        with open(metadata_file, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    return None  # end of the headers
                if line.startswith("Version:"):
                    return line[len("Version:"):].strip()
    except (OSError, UnicodeDecodeError):
        pass
    return None


def installed_version(name: str) -> str | None:
    """The version of the installed distribution ``name`` (None when not installed),
    as ``importlib.metadata.version`` gives it."""
    want = normalise(name)
    for found in metadata_dirs():
        if found is None:
            break
        key, path = found
        if key != want:
            continue
        if path.lower().endswith(".dist-info"):
            version = _version_header(os.path.join(path, "METADATA"))
            if version is not None:
                return version
        break
    else:
        return None
    from importlib import metadata  # an unusual layout: let importlib.metadata decide

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
