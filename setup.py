"""Builds the optional C helpers (provlint._speedups); everything else is in pyproject.toml.

``optional=True``: when the compiler or Python headers are missing, the build
warns and provlint runs on its pure-Python code (provlint.native).
"""

from setuptools import Extension, setup

HERE = "validate/provlint/"
setup(ext_modules=[Extension(
    "provlint._speedups",
    [HERE + name for name in ("_speedups.c", "_speedups_shape.c", "_speedups_loops.c",
                              "_speedups_credit.c", "_speedups_linetests.c",
                              "_speedups_layout.c", "_speedups_whitespace.c",
                              "_speedups_repeats.c", "_speedups_scan.c",
                              "_speedups_credit_scan.c", "_speedups_engine.c",
                              "_speedups_records.c", "_speedups_hits.c",
                              "_speedups_memo.c",
                              "_speedups_edits.c", "_speedups_passtext.c",
                              "_speedups_model.c", "_speedups_resplit.c",
                              "_speedups_rules.c", "_speedups_fixpass.c")],
    depends=[HERE + "_speedups.h"],
    optional=True,
)])
