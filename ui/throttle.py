"""Failed logins slowed down: after a few, a growing wait before the next is checked."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Failures:
    count: int = 0
    blocked_until: float = 0.0


@dataclass
class Throttle:
    """Per key (a user name): `free` failures are let through; each failure after them
    blocks the key for `base` * 2**k seconds, at most `cap`. A success forgets the key.

    Attempts while blocked are refused without being checked and do not lengthen the
    wait, so the owner of a guessed-at name waits at most `cap` after the last guess.
    """

    free: int = 5
    base: float = 1.0
    cap: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, _Failures] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def allows(self, key: str) -> bool:
        """Whether an attempt for `key` may be checked now."""
        with self._lock:
            found = self._failures.get(key)
            return found is None or self.clock() >= found.blocked_until

    def failed(self, key: str) -> None:
        with self._lock:
            found = self._failures.setdefault(key, _Failures())
            found.count += 1
            beyond = found.count - self.free
            if beyond > 0:
                wait = min(self.cap, self.base * 2 ** (beyond - 1))
                found.blocked_until = self.clock() + wait

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
