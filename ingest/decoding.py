"""Bounded decoding of a gzip/deflate body, so a compression bomb never lands in memory."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from ingest.errors import FetchError

_CHUNK = 64 * 1024


class BoundedDecoder:
    """Undoes gzip/deflate in pieces of at most 64 KB, so a bomb never lands in memory whole."""

    def __init__(self, encoding: str | None) -> None:
        self.encoding = encoding
        # 32 + MAX_WBITS accepts both gzip and zlib headers.
        self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS) if encoding else None

    @classmethod
    def for_encoding(cls, header: str | None) -> BoundedDecoder:
        encoding = (header or "").strip().lower()
        if encoding in ("", "identity"):
            return cls(None)
        if encoding in ("gzip", "x-gzip", "deflate"):
            return cls(encoding)
        raise FetchError(
            f"the server sent Content-Encoding {encoding!r} although identity was asked; "
            "only gzip and deflate can be decoded"
        )

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            if data:
                yield data
            return
        pending = data
        while True:
            try:
                piece = self._zlib.decompress(pending, _CHUNK)
            except zlib.error as error:
                raise FetchError(f"cannot decode the {self.encoding} body: {error}") from error
            if piece:
                yield piece
            pending = self._zlib.unconsumed_tail
            # A full piece may leave output buffered inside zlib even with no input left.
            if not pending and len(piece) < _CHUNK:
                return

    def finish(self) -> None:
        if self._zlib is not None and not self._zlib.eof:
            raise FetchError(f"the {self.encoding} body is truncated")
