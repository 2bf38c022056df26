"""A cited PDF page as the reader knows it: the page itself, the quote marked on it.

pypdfium2 (PDFium, the PDF engine of Chromium) renders the page and gives each
character's box; pypdf, which kilde reads text with, renders nothing. PDFium is
C++ reading documents from the internet, so it runs in a child process under
memory, CPU and wall-clock limits (ui/page_worker.py). Pages are kept in a
bounded cache: a page drawn once is shown again at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path


class PageImageError(Exception):
    """The page could not be drawn; the message says why."""


@dataclass(frozen=True)
class PageImage:
    png: str  # base64
    width: int
    height: int
    # The quote's lines as fractions of the page (x, y, width, height; top-left origin);
    # empty when the quote was not found on the page's text layer.
    boxes: tuple[tuple[float, float, float, float], ...]


class PageImages:
    """Thread-safe; one per app."""

    def __init__(
        self,
        *,
        max_side: int = 1400,
        memory_mb: int = 768,
        timeout: float = 15.0,
        cached: int = 48,
    ) -> None:
        self._max_side = max_side
        self._memory_mb = memory_mb
        self._timeout = timeout
        self._cached = cached
        self._cache: OrderedDict[tuple[str, int, int, int, str], PageImage] = OrderedDict()
        self._lock = threading.Lock()

    def image(self, path: Path, page: int, quote: str = "") -> PageImage:
        """Page `page` (1-based) of the PDF at `path`, `quote` marked; PageImageError."""
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size, page, quote)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        found = self._draw(path, page, quote)
        with self._lock:
            self._cache[key] = found
            while len(self._cache) > self._cached:
                self._cache.popitem(last=False)
        return found

    def _draw(self, path: Path, page: int, quote: str) -> PageImage:
        command = [
            sys.executable,
            "-m",
            "ui.page_worker",
            str(path),
            str(page),
            str(self._max_side),
            str(self._memory_mb),
            str(max(1, int(self._timeout))),
        ]
        try:
            done = subprocess.run(
                command,
                input=quote.encode("utf-8"),
                capture_output=True,
                timeout=self._timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PageImageError(f"drawing the page took over {self._timeout:.0f} s") from None
        try:
            result = json.loads(done.stdout or b"{}")
        except json.JSONDecodeError:
            result = {}
        if "png" not in result:
            why = result.get("error") or f"the page drawer stopped (exit {done.returncode})"
            raise PageImageError(str(why))
        boxes = tuple(
            (float(x), float(y), float(w), float(h)) for x, y, w, h in result.get("boxes", [])
        )
        return PageImage(str(result["png"]), int(result["width"]), int(result["height"]), boxes)
