"""Builds the optional C helpers (provlint._speedups); everything else is in pyproject.toml.

``optional=True``: when the compiler or Python headers are missing, the build
warns and provlint runs on its pure-Python code (provlint.native).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("provlint._speedups", ["validate/provlint/_speedups.c"],
                             optional=True)])
