"""Run one provlint command in this process and print where its CPU went.

The parent process of a corpus run is serial work on top of the workers; this
prints its own CPU time next to its worker processes' (``getrusage`` of self
and of waited-for children) and the wall time, on stderr at exit:

    python bench/parent_cpu.py fix --isolated --exit-zero --out OUT --jobs 2 CORPUS
    python bench/parent_cpu.py report --isolated --exit-zero --no-html --out OUT --jobs 2 CORPUS
"""

from __future__ import annotations

import atexit
import resource
import sys
import time

START = time.perf_counter()


def _report() -> None:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"wall {time.perf_counter() - START:.1f}s  parent CPU {me.ru_utime + me.ru_stime:.1f}s"
          f"  workers CPU {kids.ru_utime + kids.ru_stime:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    atexit.register(_report)
    sys.argv = ["provlint", *sys.argv[1:]]
    from provlint.__main__ import main

    main()
