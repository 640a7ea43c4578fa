"""Reading .zst shards: zstandard (an optional dependency) and a reader that notices
a file cut short."""

from __future__ import annotations

import io
from typing import IO, Any

from .errors import InputError


def zstd() -> Any:
    """The zstandard module; a usage error naming the extra when it is missing."""
    try:
        import zstandard
    except ImportError:
        raise InputError(".jsonl.zst needs zstandard: pip install 'provlint[corpus]'") from None
    return zstandard


class ZstdReader(io.RawIOBase):
    """The decompressed bytes of a .zst file, frame after frame.

    zstandard's own stream_reader ends quietly where a truncated file ends; this
    reader raises EOFError when the file stops inside a frame, as gzip does, so
    no lost record goes unsaid. The file is fed in small pieces, so what one
    piece expands to stays bounded (zstd expands at most ~32,000x).
    """

    PIECE = 4096

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw, self._dec = raw, zstd().ZstdDecompressor()
        self._obj, self._in_frame = self._dec.decompressobj(), False
        self._out, self._pos = b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        while self._pos == len(self._out):
            piece = self._raw.read(self.PIECE)
            if not piece:
                if self._in_frame:
                    raise EOFError("the .zst file ends inside a frame")
                return 0
            self._out, self._pos = self._decompress(piece), 0
        n = min(len(buf), len(self._out) - self._pos)
        buf[:n] = memoryview(self._out)[self._pos:self._pos + n]
        self._pos += n
        return n

    def _decompress(self, piece: bytes) -> bytes:
        out = []
        while piece:
            if self._obj.eof:  # the previous frame is complete: a new one starts
                self._obj = self._dec.decompressobj()
            out.append(self._obj.decompress(piece))
            self._in_frame = not self._obj.eof
            piece = self._obj.unused_data if self._obj.eof else b""
        return b"".join(out)

    def close(self) -> None:
        self._raw.close()
        super().close()
