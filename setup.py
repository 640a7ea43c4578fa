"""Builds the optional C helpers (provlint._speedups); everything else is in pyproject.toml.

``optional=True``: when the compiler or Python headers are missing, the build
warns and provlint runs on its pure-Python code (provlint.native).
"""

from setuptools import Extension, setup

HERE = "validate/provlint/"
setup(ext_modules=[Extension(
    "provlint._speedups",
    [HERE + name for name in ("_speedups.c", "_speedups_shape.c", "_speedups_loops.c",
                              "_speedups_credit.c", "_speedups_shared5.c",
                              "_speedups_bp5.c", "_speedups_ws5.c",
                              "_speedups_ws5_repeats.c", "_speedups_scan.c",
                              "_speedups_credit2.c")],
    depends=[HERE + "_speedups.h"],
    optional=True,
)])
