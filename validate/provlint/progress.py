"""Progress of a corpus run on a terminal: documents done, MB/s and ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Documents done, MB/s and ETA on a terminal's stderr; silent otherwise."""

    def __init__(self, total_bytes: int | None, stream: TextIO | None = None,
                 every: float = 0.5) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.on = self.stream.isatty()
        self.total, self.every = total_bytes, every
        self.docs = self.bytes = 0
        self.t0 = self.last = time.monotonic()

    def update(self, nbytes: int) -> None:
        self.docs += 1
        self.bytes += nbytes
        now = time.monotonic()
        if self.on and now - self.last >= self.every:
            self.last = now
            self.stream.write("\r" + self.line(now) + "\033[K")
            self.stream.flush()

    def line(self, now: float) -> str:
        """The status text: ``1,234 docs  12.3 MB  4.5 MB/s  ETA 0:12``."""
        rate = self.bytes / max(now - self.t0, 1e-9)
        text = f"{self.docs:,} docs  {self.bytes / 1e6:.1f} MB  {rate / 1e6:.1f} MB/s"
        if self.total and rate > 0:
            left = max(self.total - self.bytes, 0) / rate
            text += f"  ETA {int(left // 60)}:{int(left % 60):02d}"
        return text

    def close(self) -> None:
        if self.on and self.docs:
            self.stream.write("\r" + self.line(time.monotonic()) + "\033[K\n")
            self.stream.flush()
