"""Rows of the last index version that a new one takes over."""

from __future__ import annotations

from collections.abc import Iterable


def taken_over(earlier: Iterable[str], now: Iterable[str]) -> list[int | None]:
    """For each key of `now`, the position in `earlier` of an equal key not yet taken (the
    first), or None: it is made anew."""
    # Each key's positions last-first, so the first is taken with pop() (pop(0) moved the
    # rest: a text repeated on every page made this quadratic).
    free: dict[str, list[int]] = {}
    for position, key in reversed(list(enumerate(earlier))):
        free.setdefault(key, []).append(position)
    taken: list[int | None] = []
    for key in now:
        found = free.get(key)
        taken.append(found.pop() if found else None)
    return taken
