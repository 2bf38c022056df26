"""Rows of the last index version that a new one takes over."""

from __future__ import annotations

from collections.abc import Iterable


def taken_over(earlier: Iterable[str], now: Iterable[str]) -> list[int | None]:
    """For each key of `now`, the position in `earlier` of an equal key not yet taken (the
    first), or None: it is made anew."""
    free: dict[str, list[int]] = {}
    for position, key in enumerate(earlier):
        free.setdefault(key, []).append(position)
    taken: list[int | None] = []
    for key in now:
        found = free.get(key)
        taken.append(found.pop(0) if found else None)
    return taken
