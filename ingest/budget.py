"""The run's byte budget: how much all downloads together may still fetch."""

from __future__ import annotations

import threading

from ingest.errors import FetchError


def describe_size(n: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= scale:
            return f"{n / scale:.4g} {unit}"
    return f"{n} bytes"


class ByteBudget:
    """Bytes the whole run may still download; shared by every thread."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._left = limit
        self._lock = threading.Lock()

    def check(self, n: int) -> None:
        with self._lock:
            if n > self._left:
                raise self._error()

    def take(self, n: int) -> None:
        with self._lock:
            if n > self._left:
                self._left = 0
                raise self._error()
            self._left -= n

    def _error(self) -> FetchError:
        return FetchError(
            f"the run's download budget of {describe_size(self._limit)} is used up "
            "(fetch.max_total_bytes)"
        )
