"""provlint: find, remove and account for extraction residue in web text."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
