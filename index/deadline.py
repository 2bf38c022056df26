"""The total deadline of one download, and the watchdog that enforces it mid-read.

httpx's timeouts count inactivity only: a server that drips its headers (or body)
a byte at a time resets them forever. While a `Deadline` is entered, a timer shuts
down every socket the download opened once the deadline passes; shutdown (unlike
close) wakes a read blocked in another thread, which then fails or sees the end.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any


class Deadline:
    """When one download must be over. Thread-safe; enter it to arm the watchdog."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._at = clock() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self.fired = False  # the watchdog shut the sockets down

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._sockets.clear()  # closed by now; never touched again

    def left(self) -> float:
        return self._at - self._clock()

    def passed(self) -> bool:
        return self.fired or self.left() < 0

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's `trace` request extension: remembers each socket connected or wrapped."""
        if not event.endswith(("connect_tcp.complete", "start_tls.complete")):
            return
        sock = getattr(info.get("return_value"), "get_extra_info", lambda _: None)("socket")
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets.append(sock)
                if self.fired:
                    _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket method reaches the descriptor under TLS too; a socket already
    # closed (or detached by the TLS wrap) raises OSError, which is fine.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
