"""Fewer garbage collections while an ingest makes millions of short-lived objects.

Reading back a corpus of 10,000 documents makes millions of objects (records, pages,
chunks) that hold no reference cycles. Python's cyclic collector runs every 700 new
objects and, every so often, walks the whole heap: a second of a 4-second re-run over
such a corpus. Raising the first threshold while an ingest runs keeps the collector,
just less often; the earlier thresholds come back when it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# New objects between collections of the youngest generation (Python's default is 700),
# and how many of those before each older one is collected (default 10 and 10).
_FIRST = 50_000
_OLDER = 20


@contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(_FIRST, _OLDER, _OLDER)
    try:
        yield
    finally:
        gc.set_threshold(*before)
