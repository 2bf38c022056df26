"""Bounded decoding of a gzip/deflate body, so a compression bomb never lands in memory."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from ingest.errors import FetchError

_CHUNK = 64 * 1024
# 32 + MAX_WBITS accepts both gzip and zlib headers; later gzip members must be gzip.
_FIRST_MEMBER = 32 + zlib.MAX_WBITS
_NEXT_MEMBER = 16 + zlib.MAX_WBITS


class BoundedDecoder:
    """Undoes gzip/deflate in pieces of at most 64 KB, so a bomb never lands in memory whole.

    A gzip body may hold several members one after another (RFC 1952); all are
    decoded, and the caller's byte caps count their total.
    """

    def __init__(self, encoding: str | None) -> None:
        self.encoding = encoding
        # The member being decoded; None between gzip members (or for identity).
        self._member = zlib.decompressobj(_FIRST_MEMBER) if encoding else None

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
        if self.encoding is None:
            if data:
                yield data
            return
        pending = data
        while True:
            if self._member is None:
                pending = self._start_member(pending)
                if self._member is None:
                    return
            piece = self._decompress(self._member, pending)
            if piece:
                yield piece
            if self._member.eof:
                pending = self._member.unused_data
                self._member = None
                continue
            pending = self._member.unconsumed_tail
            # A full piece may leave output buffered inside zlib even with no input left.
            if not pending and len(piece) < _CHUNK:
                return

    def finish(self) -> None:
        if self._member is not None:
            raise FetchError(f"the {self.encoding} body is truncated")

    def _start_member(self, data: bytes) -> bytes:
        """Begins the next gzip member with `data`; what is left to decode of it.

        Zero bytes between members are padding, as gzip(1) and Python's gzip module
        accept; anything else must open a gzip member (or is refused by zlib).
        """
        rest = data.lstrip(b"\0")
        if not rest:
            return b""
        if self.encoding == "deflate":
            raise FetchError("cannot decode the deflate body: data follows the end of its stream")
        self._member = zlib.decompressobj(_NEXT_MEMBER)
        return rest

    def _decompress(self, member: zlib._Decompress, data: bytes) -> bytes:
        try:
            return member.decompress(data, _CHUNK)
        except zlib.error as error:
            raise FetchError(f"cannot decode the {self.encoding} body: {error}") from error
