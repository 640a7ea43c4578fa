"""Shared test configuration: hypothesis profiles and small fixtures."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
# CI is derandomized: a landing gate must not depend on which inputs a run happens
# to draw. Fresh inputs are explored in dev runs and by bench-style long fuzz runs.
settings.register_profile(
    "ci", max_examples=200, deadline=None, print_blob=True, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# The CLI caches parsed rule/config tables in ./.provlint_cache (provlint.cache);
# tests run without it unless they test it (tests/test_cache.py), so no test's
# folder gains a cache directory it does not expect.
os.environ.setdefault("PROVLINT_NO_CACHE", "1")
# A user's PROVLINT_OUTPUT_FILE (check -o) would send every test's findings to a file.
os.environ.pop("PROVLINT_OUTPUT_FILE", None)
